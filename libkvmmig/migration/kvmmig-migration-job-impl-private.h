/* kvmmig-migration-job-impl-private.h: the instance struct and property
 * ids of KvmmigMigrationJob, shared by its own files only:
 *
 *   kvmmig-migration-job.c          the class, its properties and signals,
 *                                   construction, the read-only state
 *   kvmmig-migration-job-options.c  the options (writable properties)
 *   kvmmig-migration-job-running.c  run and check, their blocking forms,
 *                                   and the updates from the run
 *   kvmmig-migration-job-list.c     the model of the jobs running
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-job-update-private.h"
#include "kvmmig-migration-job.h"
#include "kvmmig-migration-options-private.h"
#include "kvmmig-migration-tuning-private.h"
#include "kvmmig-policy-step.h"

G_BEGIN_DECLS

struct _KvmmigMigrationJob
{
  GObject parent_instance;

  KvmmigHost *source;
  KvmmigHost *destination;
  char *guest_name;

  KvmmigMigrationOptions options;
  KvmmigEvacuationBudget *budget; /* set by an evacuation, or NULL */

  GMainContext *context;          /* of the running run or check */
  GTask *task;                    /* of the run or check under way */
  gboolean busy;                  /* a run or check is under way */
  gboolean ran;                   /* run once already */
  gint64 start_us;                /* when the run or check started */
  gboolean check_only_run;        /* the one under way is a check */
  GSource *ticker;                /* emits ::progress while it runs */
  KvmmigMigrationTuning *tuning;  /* while it runs: live option changes */

  KvmmigMigrationState state;
  KvmmigJobStats stats;
  gint64 elapsed_ms;
  gint64 downtime_ms;
  gint64 total_ms;
  KvmmigGuestLocation location;
  GError *error;
  GPtrArray *checks;
  GPtrArray *steps;
};

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_DESTINATION,
  PROP_GUEST_NAME,
  /* progress and outcome */
  PROP_STATE,
  PROP_PROGRESS,
  PROP_BYTES_PROCESSED,
  PROP_BYTES_REMAINING,
  PROP_BYTES_TOTAL,
  PROP_BANDWIDTH,
  PROP_DIRTY_RATE,
  PROP_ITERATION,
  PROP_ELAPSED_MS,
  PROP_ETA_MS,
  PROP_DOWNTIME_MS,
  PROP_TOTAL_MS,
  PROP_GUEST_LOCATION,
  PROP_DISK_BYTES_PROCESSED,
  PROP_DISK_BYTES_REMAINING,
  PROP_DISK_BYTES_TOTAL,
  /* options */
  PROP_BANDWIDTH_LIMIT,
  PROP_MAX_DOWNTIME_MS,
  PROP_POLICY,
  PROP_ALLOW_POSTCOPY,
  PROP_PERSISTENT,
  PROP_UNDEFINE_SOURCE,
  PROP_PARALLEL_CONNECTIONS,
  PROP_COMPRESSION,
  PROP_TLS,
  PROP_MIGRATION_URI,
  PROP_COMPLETION_TIMEOUT_MS,
  PROP_POSTCOPY_RECOVERY_TIMEOUT_MS,
  PROP_REQUIRE_DISK_LOCKING,
  PROP_COPY_STORAGE,
  PROP_COPY_STORAGE_POOL,
  PROP_REUSE_DESTINATION_DISKS,
  PROP_REMOVE_SOURCE_DISKS,
  PROP_ALLOW_CLUSTER_MANAGED,
  N_PROPS
};

/* Notifies a property (kvmmig-migration-job.c holds the pspecs). */
void _kvmmig_migration_job_notify           (KvmmigMigrationJob *self,
                                             guint               prop_id);
void _kvmmig_migration_job_emit_progress    (KvmmigMigrationJob *self);
void _kvmmig_migration_job_emit_policy_step (KvmmigMigrationJob *self,
                                             KvmmigPolicyStep   *step);

#define SET_AND_NOTIFY(self, field, value, prop)                            \
  G_STMT_START {                                                            \
    if ((self)->field != (value))                                           \
      {                                                                     \
        (self)->field = (value);                                            \
        _kvmmig_migration_job_notify ((self), (prop));                      \
      }                                                                     \
  } G_STMT_END

/* The model of running jobs (kvmmig-migration-job-list.c). */
void _kvmmig_migration_job_list_add    (KvmmigMigrationJob *job);
void _kvmmig_migration_job_list_remove (KvmmigMigrationJob *job);

G_END_DECLS
