/* kvmmig-evacuation.h: KvmmigEvacuation, emptying a host before
 * maintenance: every running guest migrated to one of several
 * destinations, a few at a time, with one aggregate progress. Also the
 * kvmmig_host_evacuate*() shorthands.
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

#define KVMMIG_TYPE_EVACUATION (kvmmig_evacuation_get_type ())

KVMMIG_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (KvmmigEvacuation, kvmmig_evacuation, KVMMIG, EVACUATION, GObject)

KVMMIG_AVAILABLE_IN_ALL
KvmmigEvacuation     *kvmmig_evacuation_new (KvmmigHost        *source,
                                             KvmmigHost * const *destinations,
                                             guint              n_destinations);

KVMMIG_AVAILABLE_IN_ALL
KvmmigHost           *kvmmig_evacuation_get_source        (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
GPtrArray            *kvmmig_evacuation_get_destinations  (KvmmigEvacuation *self);

KVMMIG_AVAILABLE_IN_ALL
guint                 kvmmig_evacuation_get_max_per_source      (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_evacuation_set_max_per_source      (KvmmigEvacuation *self,
                                                                 guint             n);
KVMMIG_AVAILABLE_IN_ALL
guint                 kvmmig_evacuation_get_max_per_destination (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_evacuation_set_max_per_destination (KvmmigEvacuation *self,
                                                                 guint             n);
KVMMIG_AVAILABLE_IN_ALL
guint                 kvmmig_evacuation_get_bandwidth_limit     (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_evacuation_set_bandwidth_limit     (KvmmigEvacuation *self,
                                                                 guint             mib_per_s);
KVMMIG_AVAILABLE_IN_ALL
gboolean              kvmmig_evacuation_get_allow_postcopy      (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_evacuation_set_allow_postcopy      (KvmmigEvacuation *self,
                                                                 gboolean          allow);
KVMMIG_AVAILABLE_IN_ALL
KvmmigMigrationPolicy kvmmig_evacuation_get_policy              (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_evacuation_set_policy              (KvmmigEvacuation      *self,
                                                                 KvmmigMigrationPolicy  policy);
KVMMIG_AVAILABLE_IN_ALL
gboolean              kvmmig_evacuation_get_tls                 (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_evacuation_set_tls                 (KvmmigEvacuation *self,
                                                                 gboolean          tls);
KVMMIG_AVAILABLE_IN_ALL
gboolean              kvmmig_evacuation_get_require_disk_locking (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_evacuation_set_require_disk_locking (KvmmigEvacuation *self,
                                                                  gboolean          require);
KVMMIG_AVAILABLE_IN_ALL
gboolean              kvmmig_evacuation_get_allow_cluster_managed (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_evacuation_set_allow_cluster_managed (KvmmigEvacuation *self,
                                                                   gboolean          allow);

KVMMIG_AVAILABLE_IN_ALL
KvmmigMigrationState  kvmmig_evacuation_get_state           (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
double                kvmmig_evacuation_get_progress        (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
guint                 kvmmig_evacuation_get_guests_total    (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
guint                 kvmmig_evacuation_get_guests_moved    (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
guint                 kvmmig_evacuation_get_guests_failed   (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
GPtrArray            *kvmmig_evacuation_get_jobs            (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
GPtrArray            *kvmmig_evacuation_get_guests          (KvmmigEvacuation *self);
KVMMIG_AVAILABLE_IN_ALL
KvmmigMigrationJob   *kvmmig_evacuation_lookup_job          (KvmmigEvacuation *self,
                                                             const char       *guest_name);

KVMMIG_AVAILABLE_IN_ALL
gboolean kvmmig_evacuation_run        (KvmmigEvacuation     *self,
                                       GCancellable         *cancellable,
                                       GError              **error);
KVMMIG_AVAILABLE_IN_ALL
void     kvmmig_evacuation_run_async  (KvmmigEvacuation     *self,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
KVMMIG_AVAILABLE_IN_ALL
gboolean kvmmig_evacuation_run_finish (KvmmigEvacuation     *self,
                                       GAsyncResult         *result,
                                       GError              **error);

KVMMIG_AVAILABLE_IN_ALL
gboolean kvmmig_host_evacuate         (KvmmigHost           *self,
                                       KvmmigHost * const   *destinations,
                                       guint                 n_destinations,
                                       GCancellable         *cancellable,
                                       GError              **error);
KVMMIG_AVAILABLE_IN_ALL
void     kvmmig_host_evacuate_async   (KvmmigHost           *self,
                                       KvmmigHost * const   *destinations,
                                       guint                 n_destinations,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
KVMMIG_AVAILABLE_IN_ALL
gboolean kvmmig_host_evacuate_finish  (KvmmigHost           *self,
                                       GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
