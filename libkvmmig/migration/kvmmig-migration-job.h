/* kvmmig-migration-job.h: KvmmigMigrationJob, one live migration of a
 * guest from a source host to a destination host, with its options,
 * pre-flight checks, live progress, convergence policy and cancellation.
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

#define KVMMIG_TYPE_MIGRATION_JOB (kvmmig_migration_job_get_type ())

KVMMIG_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (KvmmigMigrationJob, kvmmig_migration_job, KVMMIG, MIGRATION_JOB, GObject)

KVMMIG_AVAILABLE_IN_ALL
KvmmigMigrationJob   *kvmmig_migration_job_new (KvmmigHost *source,
                                                KvmmigHost *destination,
                                                const char *guest_name);

KVMMIG_AVAILABLE_IN_ALL
KvmmigHost           *kvmmig_migration_job_get_source      (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
KvmmigHost           *kvmmig_migration_job_get_destination (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
const char           *kvmmig_migration_job_get_guest_name  (KvmmigMigrationJob *self);

/* Progress and outcome (read-only) */
KVMMIG_AVAILABLE_IN_ALL
KvmmigMigrationState  kvmmig_migration_job_get_state           (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
double                kvmmig_migration_job_get_progress        (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
guint64               kvmmig_migration_job_get_bytes_processed (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
guint64               kvmmig_migration_job_get_bytes_remaining (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
guint64               kvmmig_migration_job_get_bytes_total     (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
guint64               kvmmig_migration_job_get_disk_bytes_processed (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
guint64               kvmmig_migration_job_get_disk_bytes_remaining (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
guint64               kvmmig_migration_job_get_disk_bytes_total (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
guint64               kvmmig_migration_job_get_bandwidth       (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
guint64               kvmmig_migration_job_get_dirty_rate      (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
guint                 kvmmig_migration_job_get_iteration       (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
gint64                kvmmig_migration_job_get_elapsed_ms      (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
gint64                kvmmig_migration_job_get_eta_ms          (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
gint64                kvmmig_migration_job_get_downtime_ms     (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
gint64                kvmmig_migration_job_get_total_ms        (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
KvmmigGuestLocation   kvmmig_migration_job_get_guest_location  (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
const GError         *kvmmig_migration_job_get_error           (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
GPtrArray            *kvmmig_migration_job_get_checks          (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
GPtrArray            *kvmmig_migration_job_get_policy_steps    (KvmmigMigrationJob *self);

/* Options (set before running) */
KVMMIG_AVAILABLE_IN_ALL
int                   kvmmig_migration_job_get_bandwidth_limit (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_bandwidth_limit (KvmmigMigrationJob *self,
                                                                int                 mib_per_s);
KVMMIG_AVAILABLE_IN_ALL
int                   kvmmig_migration_job_get_max_downtime_ms (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_max_downtime_ms (KvmmigMigrationJob *self,
                                                                int                 ms);
KVMMIG_AVAILABLE_IN_ALL
KvmmigMigrationPolicy kvmmig_migration_job_get_policy          (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_policy          (KvmmigMigrationJob   *self,
                                                                KvmmigMigrationPolicy policy);
KVMMIG_AVAILABLE_IN_ALL
gboolean              kvmmig_migration_job_get_allow_postcopy  (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_allow_postcopy  (KvmmigMigrationJob *self,
                                                                gboolean            allow);
KVMMIG_AVAILABLE_IN_ALL
gboolean              kvmmig_migration_job_get_persistent      (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_persistent      (KvmmigMigrationJob *self,
                                                                gboolean            persistent);
KVMMIG_AVAILABLE_IN_ALL
gboolean              kvmmig_migration_job_get_undefine_source (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_undefine_source (KvmmigMigrationJob *self,
                                                                gboolean            undefine);
KVMMIG_AVAILABLE_IN_ALL
int                   kvmmig_migration_job_get_parallel_connections (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_parallel_connections (KvmmigMigrationJob *self,
                                                                     int                 n);
KVMMIG_AVAILABLE_IN_ALL
KvmmigCompression     kvmmig_migration_job_get_compression     (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_compression     (KvmmigMigrationJob *self,
                                                                KvmmigCompression   compression);
KVMMIG_AVAILABLE_IN_ALL
gboolean              kvmmig_migration_job_get_tls             (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_tls             (KvmmigMigrationJob *self,
                                                                gboolean            tls);
KVMMIG_AVAILABLE_IN_ALL
const char           *kvmmig_migration_job_get_migration_uri   (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_migration_uri   (KvmmigMigrationJob *self,
                                                                const char         *uri);
KVMMIG_AVAILABLE_IN_ALL
int                   kvmmig_migration_job_get_completion_timeout_ms (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_completion_timeout_ms (KvmmigMigrationJob *self,
                                                                      int                 ms);

KVMMIG_AVAILABLE_IN_ALL
int                   kvmmig_migration_job_get_postcopy_recovery_timeout_ms (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_postcopy_recovery_timeout_ms (KvmmigMigrationJob *self,
                                                                             int                 ms);

KVMMIG_AVAILABLE_IN_ALL
gboolean              kvmmig_migration_job_get_require_disk_locking (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_require_disk_locking (KvmmigMigrationJob *self,
                                                                     gboolean            require);

KVMMIG_AVAILABLE_IN_ALL
KvmmigStorageCopy     kvmmig_migration_job_get_copy_storage    (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_copy_storage    (KvmmigMigrationJob *self,
                                                                KvmmigStorageCopy   copy);
KVMMIG_AVAILABLE_IN_ALL
const char           *kvmmig_migration_job_get_copy_storage_pool (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_copy_storage_pool (KvmmigMigrationJob *self,
                                                                  const char         *pool);
KVMMIG_AVAILABLE_IN_ALL
gboolean              kvmmig_migration_job_get_reuse_destination_disks (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_reuse_destination_disks (KvmmigMigrationJob *self,
                                                                        gboolean            reuse);
KVMMIG_AVAILABLE_IN_ALL
gboolean              kvmmig_migration_job_get_remove_source_disks (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_remove_source_disks (KvmmigMigrationJob *self,
                                                                    gboolean            remove);
KVMMIG_AVAILABLE_IN_ALL
gboolean              kvmmig_migration_job_get_allow_cluster_managed (KvmmigMigrationJob *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_migration_job_set_allow_cluster_managed (KvmmigMigrationJob *self,
                                                                      gboolean            allow);

/* Running */
KVMMIG_AVAILABLE_IN_ALL
GListModel *kvmmig_migration_job_get_running_jobs (void);

KVMMIG_AVAILABLE_IN_ALL
gboolean kvmmig_migration_job_run          (KvmmigMigrationJob   *self,
                                            GCancellable         *cancellable,
                                            GError              **error);
KVMMIG_AVAILABLE_IN_ALL
void     kvmmig_migration_job_run_async    (KvmmigMigrationJob   *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
KVMMIG_AVAILABLE_IN_ALL
gboolean kvmmig_migration_job_run_finish   (KvmmigMigrationJob   *self,
                                            GAsyncResult         *result,
                                            GError              **error);

KVMMIG_AVAILABLE_IN_ALL
gboolean kvmmig_migration_job_check        (KvmmigMigrationJob   *self,
                                            GCancellable         *cancellable,
                                            GError              **error);
KVMMIG_AVAILABLE_IN_ALL
void     kvmmig_migration_job_check_async  (KvmmigMigrationJob   *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
KVMMIG_AVAILABLE_IN_ALL
gboolean kvmmig_migration_job_check_finish (KvmmigMigrationJob   *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
