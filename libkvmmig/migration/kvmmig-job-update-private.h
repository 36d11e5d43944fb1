/* kvmmig-job-update-private.h: what a run of a migration job reports
 * (KvmmigJobUpdate: its state, figures, checks, policy steps, outcome) and
 * where it reports it to (KvmmigJobUpdateSink). The run only knows the
 * sink; the job makes the sink and applies the updates on its main
 * context as property changes and signals.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-policy-step.h"
#include "kvmmig-types.h"

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

/* A run's figures, as the job shows them: each is the job's property of
 * the same name. */
typedef struct
{
  double progress;
  guint64 bytes_processed;
  guint64 bytes_remaining;
  guint64 bytes_total;
  guint64 bandwidth;
  guint64 dirty_rate;
  guint iteration;
  gint64 eta_ms;
  guint64 disk_bytes_processed;
  guint64 disk_bytes_remaining;
  guint64 disk_bytes_total;
} KvmmigJobStats;

typedef struct
{
  KvmmigJobUpdateFlags flags;

  KvmmigMigrationState state;             /* STATE */

  KvmmigJobStats stats;                   /* STATS */

  GPtrArray *checks;                      /* CHECKS, owned */
  KvmmigPolicyStep *step;                 /* STEP, owned */

  GError *error;                          /* FINISHED, owned: how it failed;
                                           * NULL: it succeeded (a check: every
                                           * check passed) */
  gboolean nothing_moved;                 /* FINISHED: a run (not a check) that
                                           * ended before the migration started */

  gint64 downtime_ms;                     /* OUTCOME */
  gint64 total_ms;
  KvmmigGuestLocation location;
} KvmmigJobUpdate;

KvmmigJobUpdate *_kvmmig_job_update_new  (KvmmigJobUpdateFlags flags);
void             _kvmmig_job_update_free (KvmmigJobUpdate     *update);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KvmmigJobUpdate, _kvmmig_job_update_free)

/*
 * KvmmigJobUpdateFunc:
 * @update: (transfer full): the update
 * @user_data: the sink's data
 *
 * Takes one update. Called on the run thread, on libvirt's event thread
 * (the states of a post-copy resume), and on the thread that started the
 * run when it fails at once; in the order the run made the updates. It
 * must only queue the update for the thread that owns the receiver, never
 * apply it there and then.
 */
typedef void (*KvmmigJobUpdateFunc) (KvmmigJobUpdate *update,
                                     gpointer         user_data);

/* Where a run sends its updates. The run owns its sink and frees it with
 * itself (the last reference to a run may be dropped on any thread,
 * libvirt's event thread included); @destroy then frees @user_data. */
typedef struct _KvmmigJobUpdateSink KvmmigJobUpdateSink;

KvmmigJobUpdateSink *_kvmmig_job_update_sink_new  (KvmmigJobUpdateFunc  func,
                                                   gpointer             user_data,
                                                   GDestroyNotify       destroy);
void                 _kvmmig_job_update_sink_post (KvmmigJobUpdateSink *sink,
                                                   KvmmigJobUpdate     *update);
void                 _kvmmig_job_update_sink_free (KvmmigJobUpdateSink *sink);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KvmmigJobUpdateSink, _kvmmig_job_update_sink_free)

G_END_DECLS
