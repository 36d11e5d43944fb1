/* kvmmig-migration-job-options.c: the options of a KvmmigMigrationJob,
 * its writable properties, set before it runs; and the budget an
 * evacuation gives it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-migration-job-impl-private.h"
#include "kvmmig-migration-job-private.h"

#define RETURN_IF_STARTED(self)                                             \
  G_STMT_START {                                                            \
    if ((self)->busy || (self)->ran)                                        \
      {                                                                     \
        g_critical ("%s: the options of a migration job are set before "    \
                    "it runs", G_STRFUNC);                                  \
        return;                                                             \
      }                                                                     \
  } G_STMT_END

/* The two options a running job takes (bandwidth-limit and
 * max-downtime-ms): set before it runs, checked when it runs; set while it
 * runs, checked at once and handed to the run. */
#define RETURN_IF_RAN_OR_CHECKING(self)                                     \
  G_STMT_START {                                                            \
    if ((self)->ran && !(self)->busy)                                       \
      {                                                                     \
        g_critical ("%s: the job has run; its options no longer change",    \
                    G_STRFUNC);                                             \
        return;                                                             \
      }                                                                     \
    if ((self)->busy && (self)->tuning == NULL)                             \
      {                                                                     \
        g_critical ("%s: the options of a migration job are not set while " \
                    "its checks run", G_STRFUNC);                           \
        return;                                                             \
      }                                                                     \
  } G_STMT_END

/**
 * kvmmig_migration_job_get_bandwidth_limit: (get-property bandwidth-limit)
 * @self: a job
 *
 * Gets the bandwidth limit.
 *
 * Returns: MiB/s, 0 for none
 *
 * Since: 0.1
 */
int
kvmmig_migration_job_get_bandwidth_limit (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->options.bandwidth_limit;
}

/**
 * kvmmig_migration_job_set_bandwidth_limit: (set-property bandwidth-limit)
 * @self: a job that has not run, or that runs
 * @mib_per_s: the limit in MiB/s, 0 for none, up to 1048576
 *
 * Sets the most bandwidth the migration may use. Set before the job runs,
 * it is checked when the job runs (an error then). Set while the job runs,
 * it must be in range, and the migration takes it at once: libvirt changes
 * the limit of the migration under way (for post-copy too, when it is
 * allowed), and the convergence policy decides from the new rate from its
 * next sample. A change libvirt refuses (the migration is already switching
 * over) is dropped; the property keeps the value set.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_bandwidth_limit (KvmmigMigrationJob *self,
                                          int                 mib_per_s)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_RAN_OR_CHECKING (self);

  if (self->tuning != NULL)
    {
      g_return_if_fail (mib_per_s >= 0 && mib_per_s <= KVMMIG_MIGRATION_MAX_BANDWIDTH_MIB);
      if (self->options.bandwidth_limit == mib_per_s)
        return;
      _kvmmig_migration_tuning_post (self->tuning, mib_per_s, -1);
    }
  SET_AND_NOTIFY (self, options.bandwidth_limit, mib_per_s, PROP_BANDWIDTH_LIMIT);
}

/**
 * kvmmig_migration_job_get_max_downtime_ms: (get-property max-downtime-ms)
 * @self: a job
 *
 * Gets the longest allowed downtime.
 *
 * Returns: ms
 *
 * Since: 0.1
 */
int
kvmmig_migration_job_get_max_downtime_ms (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->options.max_downtime_ms;
}

/**
 * kvmmig_migration_job_set_max_downtime_ms: (set-property max-downtime-ms)
 * @self: a job that has not run, or that runs
 * @ms: the limit, from 1 ms to 600000 (10 minutes)
 *
 * Sets the longest the guest may be paused for the switchover. Set before
 * the job runs, it is checked when the job runs (an error then). Set while
 * the job runs, it must be in range, and the migration takes it at once:
 * the downtime target in force is lowered to it if it was above, and the
 * convergence policy may raise the target up to the new limit from its
 * next decision.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_max_downtime_ms (KvmmigMigrationJob *self,
                                          int                 ms)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_RAN_OR_CHECKING (self);

  if (self->tuning != NULL)
    {
      g_return_if_fail (ms >= 1 && ms <= KVMMIG_MIGRATION_MAX_DOWNTIME_MS);
      if (self->options.max_downtime_ms == ms)
        return;
      _kvmmig_migration_tuning_post (self->tuning, -1, ms);
    }
  SET_AND_NOTIFY (self, options.max_downtime_ms, ms, PROP_MAX_DOWNTIME_MS);
}

/**
 * kvmmig_migration_job_get_policy: (get-property policy)
 * @self: a job
 *
 * Gets the convergence policy.
 *
 * Returns: the policy
 *
 * Since: 0.1
 */
KvmmigMigrationPolicy
kvmmig_migration_job_get_policy (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), KVMMIG_MIGRATION_POLICY_AUTO);
  return self->options.policy;
}

/**
 * kvmmig_migration_job_set_policy: (set-property policy)
 * @self: a job that has not run
 * @policy: the policy
 *
 * Sets how the job drives the migration to completion.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_policy (KvmmigMigrationJob    *self,
                                 KvmmigMigrationPolicy  policy)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  g_return_if_fail (policy <= KVMMIG_MIGRATION_POLICY_POSTCOPY);
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.policy, policy, PROP_POLICY);
}

/**
 * kvmmig_migration_job_get_allow_postcopy: (get-property allow-postcopy)
 * @self: a job
 *
 * Gets whether the AUTO policy may switch to post-copy.
 *
 * Returns: %TRUE if post-copy is allowed
 *
 * Since: 0.1
 */
gboolean
kvmmig_migration_job_get_allow_postcopy (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), FALSE);
  return self->options.allow_postcopy;
}

/**
 * kvmmig_migration_job_set_allow_postcopy: (set-property allow-postcopy)
 * @self: a job that has not run
 * @allow: whether post-copy is allowed
 *
 * Sets whether the AUTO policy may switch to post-copy.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_allow_postcopy (KvmmigMigrationJob *self,
                                         gboolean            allow)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.allow_postcopy, !!allow, PROP_ALLOW_POSTCOPY);
}

/**
 * kvmmig_migration_job_get_persistent: (get-property persistent)
 * @self: a job
 *
 * Gets whether the guest is defined on the destination.
 *
 * Returns: %TRUE if it is
 *
 * Since: 0.1
 */
gboolean
kvmmig_migration_job_get_persistent (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), FALSE);
  return self->options.persistent;
}

/**
 * kvmmig_migration_job_set_persistent: (set-property persistent)
 * @self: a job that has not run
 * @persistent: whether to define the guest on the destination
 *
 * Sets whether the guest is defined on the destination.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_persistent (KvmmigMigrationJob *self,
                                     gboolean            persistent)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.persistent, !!persistent, PROP_PERSISTENT);
}

/**
 * kvmmig_migration_job_get_undefine_source: (get-property undefine-source)
 * @self: a job
 *
 * Gets whether the guest is undefined on the source afterwards.
 *
 * Returns: %TRUE if it is
 *
 * Since: 0.1
 */
gboolean
kvmmig_migration_job_get_undefine_source (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), FALSE);
  return self->options.undefine_source;
}

/**
 * kvmmig_migration_job_set_undefine_source: (set-property undefine-source)
 * @self: a job that has not run
 * @undefine: whether to undefine the guest on the source
 *
 * Sets whether the guest is undefined on the source afterwards.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_undefine_source (KvmmigMigrationJob *self,
                                          gboolean            undefine)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.undefine_source, !!undefine, PROP_UNDEFINE_SOURCE);
}

/**
 * kvmmig_migration_job_get_tls: (get-property tls)
 * @self: a job
 *
 * Gets whether the migration stream is encrypted with TLS.
 *
 * Returns: %TRUE if it is
 *
 * Since: 0.1
 */
gboolean
kvmmig_migration_job_get_tls (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), FALSE);
  return self->options.tls;
}

/**
 * kvmmig_migration_job_set_tls: (set-property tls)
 * @self: a job that has not run
 * @tls: whether to encrypt the migration stream
 *
 * Sets whether the migration stream is encrypted with TLS.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_tls (KvmmigMigrationJob *self,
                              gboolean            tls)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.tls, !!tls, PROP_TLS);
}

/**
 * kvmmig_migration_job_get_parallel_connections: (get-property parallel-connections)
 * @self: a job
 *
 * Gets the number of parallel connections.
 *
 * Returns: the number, 0 or 1 for one
 *
 * Since: 0.1
 */
int
kvmmig_migration_job_get_parallel_connections (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->options.parallel_connections;
}

/**
 * kvmmig_migration_job_set_parallel_connections: (set-property parallel-connections)
 * @self: a job that has not run
 * @n: the number of connections, up to 255
 *
 * Sets the number of connections memory is sent over. It is checked when
 * the job runs.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_parallel_connections (KvmmigMigrationJob *self,
                                               int                 n)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.parallel_connections, n, PROP_PARALLEL_CONNECTIONS);
}

/**
 * kvmmig_migration_job_get_compression: (get-property compression)
 * @self: a job
 *
 * Gets the compression.
 *
 * Returns: the compression
 *
 * Since: 0.1
 */
KvmmigCompression
kvmmig_migration_job_get_compression (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), KVMMIG_COMPRESSION_NONE);
  return self->options.compression;
}

/**
 * kvmmig_migration_job_set_compression: (set-property compression)
 * @self: a job that has not run
 * @compression: the compression
 *
 * Sets how pages are compressed on the wire.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_compression (KvmmigMigrationJob *self,
                                      KvmmigCompression   compression)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  g_return_if_fail (compression <= KVMMIG_COMPRESSION_ZSTD);
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.compression, compression, PROP_COMPRESSION);
}

/**
 * kvmmig_migration_job_get_migration_uri: (get-property migration-uri)
 * @self: a job
 *
 * Gets the migration URI.
 *
 * Returns: (transfer none) (nullable): the URI, or %NULL
 *
 * Since: 0.1
 */
const char *
kvmmig_migration_job_get_migration_uri (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), NULL);
  return self->options.migration_uri;
}

/**
 * kvmmig_migration_job_set_migration_uri: (set-property migration-uri)
 * @self: a job that has not run
 * @uri: (nullable): where the destination listens, such as
 *   `tcp://192.168.10.12`, or %NULL
 *
 * Sets where the destination listens for the migration stream. The URI is
 * checked when the job runs.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_migration_uri (KvmmigMigrationJob *self,
                                        const char         *uri)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  if (uri != NULL && *uri == '\0')
    uri = NULL;
  if (g_strcmp0 (self->options.migration_uri, uri) != 0)
    {
      g_free (self->options.migration_uri);
      self->options.migration_uri = g_strdup (uri);
      _kvmmig_migration_job_notify (self, PROP_MIGRATION_URI);
    }
}

/**
 * kvmmig_migration_job_get_completion_timeout_ms: (get-property completion-timeout-ms)
 * @self: a job
 *
 * Gets the completion timeout.
 *
 * Returns: ms, 0 for automatic, -1 for none
 *
 * Since: 0.1
 */
int
kvmmig_migration_job_get_completion_timeout_ms (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->options.completion_timeout_ms;
}

/**
 * kvmmig_migration_job_set_completion_timeout_ms: (set-property completion-timeout-ms)
 * @self: a job that has not run
 * @ms: the timeout in ms, 0 for automatic, -1 for none
 *
 * Sets how long the migration may take before it is aborted. It is
 * checked when the job runs.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_completion_timeout_ms (KvmmigMigrationJob *self,
                                                int                 ms)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.completion_timeout_ms, ms, PROP_COMPLETION_TIMEOUT_MS);
}

/**
 * kvmmig_migration_job_get_postcopy_recovery_timeout_ms: (get-property postcopy-recovery-timeout-ms)
 * @self: a job
 *
 * Gets how long an interrupted post-copy migration is retried.
 *
 * Returns: ms, 0 for not at all
 *
 * Since: 0.1
 */
int
kvmmig_migration_job_get_postcopy_recovery_timeout_ms (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->options.postcopy_recovery_timeout_ms;
}

/**
 * kvmmig_migration_job_set_postcopy_recovery_timeout_ms: (set-property postcopy-recovery-timeout-ms)
 * @self: a job that has not run
 * @ms: the time in ms, 0 for not at all
 *
 * Sets how long an interrupted post-copy migration is retried. It is
 * checked when the job runs.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_postcopy_recovery_timeout_ms (KvmmigMigrationJob *self,
                                                       int                 ms)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.postcopy_recovery_timeout_ms, ms, PROP_POSTCOPY_RECOVERY_TIMEOUT_MS);
}

/**
 * kvmmig_migration_job_get_require_disk_locking: (get-property require-disk-locking)
 * @self: a job
 *
 * Gets whether the pre-flight check `disk-locking` fails the job, instead
 * of warning, when a host has no lock manager for the guest's shared disks
 * or when it cannot tell.
 *
 * Returns: %TRUE if it does
 *
 * Since: 0.2
 */
gboolean
kvmmig_migration_job_get_require_disk_locking (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), FALSE);
  return self->options.require_disk_locking;
}

/**
 * kvmmig_migration_job_set_require_disk_locking: (set-property require-disk-locking)
 * @self: a job that has not run
 * @require: whether a host without a lock manager for the guest's shared
 *   disks fails the job
 *
 * Sets whether the pre-flight check `disk-locking` fails the job (with
 * %KVMMIG_ERROR_NO_DISK_LOCKING) instead of warning.
 *
 * Since: 0.2
 */
void
kvmmig_migration_job_set_require_disk_locking (KvmmigMigrationJob *self,
                                               gboolean            require)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.require_disk_locking, !!require, PROP_REQUIRE_DISK_LOCKING);
}

/**
 * kvmmig_migration_job_get_allow_cluster_managed: (get-property allow-cluster-managed)
 * @self: a job
 *
 * Gets whether the job migrates a guest that a cluster manager owns.
 *
 * Returns: %TRUE if it does
 *
 * Since: 0.2
 */
gboolean
kvmmig_migration_job_get_allow_cluster_managed (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), FALSE);
  return self->options.allow_cluster_managed;
}

/**
 * kvmmig_migration_job_set_allow_cluster_managed: (set-property allow-cluster-managed)
 * @self: a job that has not run
 * @allow: whether a guest that a cluster manager owns is migrated anyway
 *
 * Sets whether the pre-flight check `cluster-managed` lets the job
 * migrate a guest that a cluster manager owns (with a warning) instead of
 * failing it with %KVMMIG_ERROR_CLUSTER_MANAGED.
 *
 * Since: 0.2
 */
void
kvmmig_migration_job_set_allow_cluster_managed (KvmmigMigrationJob *self,
                                                gboolean            allow)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.allow_cluster_managed, !!allow, PROP_ALLOW_CLUSTER_MANAGED);
}

/**
 * kvmmig_migration_job_get_copy_storage: (get-property copy-storage)
 * @self: a job
 *
 * Gets which disks the job copies to the destination.
 *
 * Returns: the disks copied
 *
 * Since: 0.2
 */
KvmmigStorageCopy
kvmmig_migration_job_get_copy_storage (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), KVMMIG_STORAGE_COPY_NONE);
  return self->options.copy_storage;
}

/**
 * kvmmig_migration_job_set_copy_storage: (set-property copy-storage)
 * @self: a job that has not run
 * @copy: which disks to copy
 *
 * Sets which disks the job copies to the destination while the guest runs
 * (see [property@Kvmmig.MigrationJob:copy-storage]).
 *
 * Since: 0.2
 */
void
kvmmig_migration_job_set_copy_storage (KvmmigMigrationJob *self,
                                       KvmmigStorageCopy   copy)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  g_return_if_fail (copy >= KVMMIG_STORAGE_COPY_NONE && copy <= KVMMIG_STORAGE_COPY_INCREMENTAL);
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.copy_storage, copy, PROP_COPY_STORAGE);
}

/**
 * kvmmig_migration_job_get_copy_storage_pool: (get-property copy-storage-pool)
 * @self: a job
 *
 * Gets the destination's pool in which copied disks are created.
 *
 * Returns: (nullable): the pool's name, or %NULL for the pool whose target
 *   path is each disk's directory
 *
 * Since: 0.2
 */
const char *
kvmmig_migration_job_get_copy_storage_pool (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), NULL);
  return self->options.copy_storage_pool;
}

/**
 * kvmmig_migration_job_set_copy_storage_pool: (set-property copy-storage-pool)
 * @self: a job that has not run
 * @pool: (nullable): a storage pool of the destination, or %NULL
 *
 * Sets the destination's pool in which the disks the job copies are
 * created (see [property@Kvmmig.MigrationJob:copy-storage-pool]). Checked
 * by the pre-flight check `copy-storage`.
 *
 * Since: 0.2
 */
void
kvmmig_migration_job_set_copy_storage_pool (KvmmigMigrationJob *self,
                                            const char         *pool)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  if (pool != NULL && *pool == '\0')
    pool = NULL;
  if (g_strcmp0 (self->options.copy_storage_pool, pool) != 0)
    {
      g_free (self->options.copy_storage_pool);
      self->options.copy_storage_pool = g_strdup (pool);
      _kvmmig_migration_job_notify (self, PROP_COPY_STORAGE_POOL);
    }
}

/**
 * kvmmig_migration_job_get_reuse_destination_disks: (get-property reuse-destination-disks)
 * @self: a job
 *
 * Gets whether a disk file already on the destination is copied over.
 *
 * Returns: %TRUE if it is
 *
 * Since: 0.2
 */
gboolean
kvmmig_migration_job_get_reuse_destination_disks (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), FALSE);
  return self->options.reuse_destination_disks;
}

/**
 * kvmmig_migration_job_set_reuse_destination_disks: (set-property reuse-destination-disks)
 * @self: a job that has not run
 * @reuse: whether a disk file already on the destination is copied over
 *
 * Sets whether a disk file already on the destination, where a copied
 * disk goes, is copied over instead of failing the pre-flight check
 * `copy-storage` with %KVMMIG_ERROR_VOLUME_EXISTS.
 *
 * Since: 0.2
 */
void
kvmmig_migration_job_set_reuse_destination_disks (KvmmigMigrationJob *self,
                                                  gboolean            reuse)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.reuse_destination_disks, !!reuse, PROP_REUSE_DESTINATION_DISKS);
}

/**
 * kvmmig_migration_job_get_remove_source_disks: (get-property remove-source-disks)
 * @self: a job
 *
 * Gets whether the source's copies of the copied disks are deleted once
 * the guest runs on the destination.
 *
 * Returns: %TRUE if they are
 *
 * Since: 0.2
 */
gboolean
kvmmig_migration_job_get_remove_source_disks (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), FALSE);
  return self->options.remove_source_disks;
}

/**
 * kvmmig_migration_job_set_remove_source_disks: (set-property remove-source-disks)
 * @self: a job that has not run
 * @remove: whether to delete the source's copies of the copied disks
 *
 * Sets whether, once the guest runs on the destination, the job deletes
 * the source's volumes of the disks it copied.
 *
 * Since: 0.2
 */
void
kvmmig_migration_job_set_remove_source_disks (KvmmigMigrationJob *self,
                                              gboolean            remove)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  SET_AND_NOTIFY (self, options.remove_source_disks, !!remove, PROP_REMOVE_SOURCE_DISKS);
}

/*
 * _kvmmig_migration_job_set_evacuation_budget:
 * @free_memory: the destination's free memory when the evacuation started
 * @promised: how much of it the evacuation promised to other guests
 *
 * Makes the memory check count what an evacuation sends to the same
 * destination (see check_memory() in kvmmig-preflight.c).
 */
void
_kvmmig_migration_job_set_evacuation_budget (KvmmigMigrationJob *self,
                                             guint64             free_memory,
                                             guint64             promised)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));

  if (self->budget == NULL)
    self->budget = g_new0 (KvmmigEvacuationBudget, 1);
  self->budget->free_memory = free_memory;
  self->budget->promised = promised;
}
