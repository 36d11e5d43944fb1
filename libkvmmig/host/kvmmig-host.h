/* kvmmig-host.h: KvmmigHost, a libvirt host (a hypervisor reached at a
 * libvirt URI) that guests migrate from and to.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(KVMMIG_INSIDE) && !defined(KVMMIG_COMPILATION)
#error "Only <libkvmmig/kvmmig.h> can be included directly."
#endif

#include <gio/gio.h>

#include "kvmmig-types.h"
#include "kvmmig-version-macros.h"

G_BEGIN_DECLS

#define KVMMIG_TYPE_HOST (kvmmig_host_get_type ())

KVMMIG_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (KvmmigHost, kvmmig_host, KVMMIG, HOST, GObject)

KVMMIG_AVAILABLE_IN_ALL
KvmmigHost     *kvmmig_host_new               (const char          *uri);

KVMMIG_AVAILABLE_IN_ALL
const char     *kvmmig_host_get_uri           (KvmmigHost          *self);
KVMMIG_AVAILABLE_IN_ALL
const char     *kvmmig_host_get_hostname      (KvmmigHost          *self);
KVMMIG_AVAILABLE_IN_ALL
gboolean        kvmmig_host_is_open           (KvmmigHost          *self);

KVMMIG_AVAILABLE_IN_ALL
gboolean        kvmmig_host_open              (KvmmigHost          *self,
                                               GCancellable        *cancellable,
                                               GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void            kvmmig_host_open_async        (KvmmigHost          *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
gboolean        kvmmig_host_open_finish       (KvmmigHost          *self,
                                               GAsyncResult        *result,
                                               GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void            kvmmig_host_close             (KvmmigHost          *self);

KVMMIG_AVAILABLE_IN_ALL
KvmmigHostInfo *kvmmig_host_query_info        (KvmmigHost          *self,
                                               GCancellable        *cancellable,
                                               GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void            kvmmig_host_query_info_async  (KvmmigHost          *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
KvmmigHostInfo *kvmmig_host_query_info_finish (KvmmigHost          *self,
                                               GAsyncResult        *result,
                                               GError             **error);

KVMMIG_AVAILABLE_IN_ALL
GPtrArray      *kvmmig_host_list_guests        (KvmmigHost          *self,
                                                GCancellable        *cancellable,
                                                GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void            kvmmig_host_list_guests_async  (KvmmigHost          *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
GPtrArray      *kvmmig_host_list_guests_finish (KvmmigHost          *self,
                                                GAsyncResult        *result,
                                                GError             **error);

KVMMIG_AVAILABLE_IN_ALL
GListModel     *kvmmig_host_get_guests          (KvmmigHost          *self);

KVMMIG_AVAILABLE_IN_ALL
KvmmigGuest    *kvmmig_host_lookup_guest        (KvmmigHost          *self,
                                                 const char          *name,
                                                 GCancellable        *cancellable,
                                                 GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void            kvmmig_host_lookup_guest_async  (KvmmigHost          *self,
                                                 const char          *name,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
KvmmigGuest    *kvmmig_host_lookup_guest_finish (KvmmigHost          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS

/* ------------------------------------------------------------------ *
 * Guests on shared storage: defining a guest whose disk is a shared    *
 * store's volume, and starting it. Implemented in                      *
 * kvmmig-guest-define.c; see also kvmmig-shared-store.h.               *
 * ------------------------------------------------------------------ */

#include "kvmmig-guest-spec.h"

G_BEGIN_DECLS

KVMMIG_AVAILABLE_IN_ALL
KvmmigGuest    *kvmmig_host_define_guest        (KvmmigHost          *self,
                                                 KvmmigGuestSpec     *spec,
                                                 GCancellable        *cancellable,
                                                 GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void            kvmmig_host_define_guest_async  (KvmmigHost          *self,
                                                 KvmmigGuestSpec     *spec,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
KvmmigGuest    *kvmmig_host_define_guest_finish (KvmmigHost          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

KVMMIG_AVAILABLE_IN_ALL
gboolean        kvmmig_host_start_guest         (KvmmigHost          *self,
                                                 const char          *name,
                                                 GCancellable        *cancellable,
                                                 GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void            kvmmig_host_start_guest_async   (KvmmigHost          *self,
                                                 const char          *name,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
gboolean        kvmmig_host_start_guest_finish  (KvmmigHost          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS

/* ------------------------------------------------------------------ *
 * A migration under way from this host, whatever program runs it: its *
 * limits changed (virsh's migrate-setspeed, migrate-setmaxdowntime).   *
 * Implemented in migration/kvmmig-host-tune-migration.c.               *
 * ------------------------------------------------------------------ */

G_BEGIN_DECLS

KVMMIG_AVAILABLE_IN_ALL
gboolean        kvmmig_host_tune_migration        (KvmmigHost          *self,
                                                   const char          *guest,
                                                   int                  bandwidth_limit,
                                                   int                  max_downtime_ms,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void            kvmmig_host_tune_migration_async  (KvmmigHost          *self,
                                                   const char          *guest,
                                                   int                  bandwidth_limit,
                                                   int                  max_downtime_ms,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
gboolean        kvmmig_host_tune_migration_finish (KvmmigHost          *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
