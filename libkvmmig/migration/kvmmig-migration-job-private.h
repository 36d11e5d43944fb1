/* kvmmig-migration-job-private.h: how the migration machinery
 * (kvmmig-migration-run.c) reports to its KvmmigMigrationJob: updates
 * dispatched to the job's main context, applied there as property changes
 * and signals; and what an evacuation tells the jobs it runs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-migration-job.h"
#include "kvmmig-policy-step.h"

G_BEGIN_DECLS

typedef enum {
  KVMMIG_JOB_UPDATE_STATE    = 1 << 0,
  KVMMIG_JOB_UPDATE_STATS    = 1 << 1,
  KVMMIG_JOB_UPDATE_CHECKS   = 1 << 2,
  KVMMIG_JOB_UPDATE_STEP     = 1 << 3,
  KVMMIG_JOB_UPDATE_OUTCOME  = 1 << 4,
  KVMMIG_JOB_UPDATE_PROGRESS = 1 << 5,   /* emit ::progress */
  KVMMIG_JOB_UPDATE_FINISHED = 1 << 7,   /* the run's last update */
} KvmmigJobUpdateFlags;

typedef struct
{
  KvmmigJobUpdateFlags flags;

  KvmmigMigrationState state;             /* STATE */

  double progress;                        /* STATS */
  guint64 bytes_processed;
  guint64 bytes_remaining;
  guint64 bytes_total;
  guint64 bandwidth;
  guint64 dirty_rate;
  guint iteration;
  gint64 eta_ms;

  GPtrArray *checks;                      /* CHECKS, owned */
  KvmmigPolicyStep *step;                 /* STEP, owned */

  GError *error;                          /* FINISHED, owned: how it failed */
  char *registry_key;                     /* FINISHED, owned: released then */

  gint64 downtime_ms;                     /* OUTCOME */
  gint64 total_ms;
  KvmmigGuestLocation location;
} KvmmigJobUpdate;

KvmmigJobUpdate *_kvmmig_job_update_new  (KvmmigJobUpdateFlags flags);
void             _kvmmig_job_update_free (KvmmigJobUpdate     *update);

void             _kvmmig_migration_job_post_update (KvmmigMigrationJob *self,
                                                    KvmmigJobUpdate    *update);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KvmmigJobUpdate, _kvmmig_job_update_free)

/* For an evacuation: the destination's free memory when it started and
 * what it promised to other guests there; the memory check counts both. */
void             _kvmmig_migration_job_set_evacuation_budget (KvmmigMigrationJob *self,
                                                              guint64             free_memory,
                                                              guint64             promised);

G_END_DECLS
