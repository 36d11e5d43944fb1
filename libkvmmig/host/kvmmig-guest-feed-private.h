/* kvmmig-guest-feed-private.h: what keeps a host's guest model
 * (kvmmig_host_get_guests()) current: libvirt's domain events on the
 * host's connection, each answered by reading the guest again on a worker
 * thread, and the result applied to the model on the host's main context.
 *
 * One feed per connection: KvmmigHost starts it when a connection is
 * installed and stops it when the connection is dropped. A stopped feed
 * changes the model no more, even with updates still queued.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kvmmig-guest.h"
#include "kvmmig-libvirt-private.h"

G_BEGIN_DECLS

typedef struct _KvmmigGuestFeed KvmmigGuestFeed;

/* Registers for @conn's domain events and queues a full read of its
 * guests into @store (a GListStore of KvmmigGuest, sorted by name),
 * applied from @context. Any thread. */
KvmmigGuestFeed *_kvmmig_guest_feed_start (virConnectPtr  conn,
                                           const char    *uri,
                                           GListStore    *store,
                                           GMainContext  *context);

/* Reads every guest of @conn now, on the calling thread, and applies the
 * result to the feed's store at once: for a caller that owns the store's
 * context (a synchronous open on it), so that the model is full when the
 * open returns. */
void             _kvmmig_guest_feed_fill_now (KvmmigGuestFeed *feed);

/* Unregisters from the connection's events and drops the feed; the model
 * is emptied from the feed's context. @feed may be NULL. */
void             _kvmmig_guest_feed_stop  (KvmmigGuestFeed *feed);

/* The models' own operations, pure (tested on their own): puts @guest
 * into @store (sorted by name), or updates the guest of the same UUID in
 * place (its properties notified), moving it when its name changed. */
void             _kvmmig_guest_store_upsert  (GListStore  *store,
                                              KvmmigGuest *guest);
/* Removes the guest whose UUID is @uuid; FALSE if there was none. */
gboolean         _kvmmig_guest_store_remove  (GListStore  *store,
                                              const char  *uuid);
/* Makes @store hold exactly @guests (KvmmigGuest), keeping the objects of
 * guests it already had. */
void             _kvmmig_guest_store_replace (GListStore  *store,
                                              GPtrArray   *guests);

G_END_DECLS
