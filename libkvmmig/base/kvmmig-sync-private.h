/* kvmmig-sync-private.h: the blocking form of an asynchronous call, run
 * on a main context of its own (see kvmmig-sync.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _KvmmigSync KvmmigSync;

KvmmigSync   *_kvmmig_sync_new      (void);
void          _kvmmig_sync_callback (GObject      *source,
                                     GAsyncResult *result,
                                     gpointer      user_data);
GAsyncResult *_kvmmig_sync_wait     (KvmmigSync   *sync);
void          _kvmmig_sync_free     (KvmmigSync   *sync);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KvmmigSync, _kvmmig_sync_free)

G_END_DECLS
