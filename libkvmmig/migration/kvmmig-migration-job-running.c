/* kvmmig-migration-job-running.c: a KvmmigMigrationJob while it runs:
 * run_async/run and check_async/check, which start a run
 * (kvmmig-migration-run.c) with an update sink of the job's, and the
 * updates from the run, applied on the job's main context as property
 * changes and signals; the last one returns the caller's task, with the
 * outcome the job then shows.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-error.h"
#include "kvmmig-host-private.h"
#include "kvmmig-job-update-private.h"
#include "kvmmig-migration-job-impl-private.h"
#include "kvmmig-migration-run-private.h"
#include "kvmmig-sync-private.h"
#include "kvmmig-task-private.h"
#include "kvmmig-util-private.h"

/* ------------------------------------------------------------------ */
/* Updates from the run                                                 */

/* A run that ended before its migration started, cancelled before the
 * caller got its outcome: whatever ended it (a check that failed first,
 * say), it ends CANCELLED, so that a cancel gives the same outcome
 * whatever the threads' timing. */
static void
cancel_before_migration (KvmmigMigrationJob *self,
                         KvmmigJobUpdate    *u)
{
  GCancellable *cancellable = g_task_get_cancellable (self->task);

  if (!u->nothing_moved || cancellable == NULL || !g_cancellable_is_cancelled (cancellable))
    return;

  u->flags |= KVMMIG_JOB_UPDATE_STATE;
  u->state = KVMMIG_MIGRATION_STATE_CANCELLED;
  g_clear_error (&u->error);
  u->error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                          "%s: guest '%s': cancelled before the migration started; "
                          "nothing was changed", _kvmmig_host_get_display_uri (self->source),
                          self->guest_name);
}

static void
apply_update (KvmmigMigrationJob *self,
              KvmmigJobUpdate    *u)
{
  g_autoptr(GTask) task = NULL;

  if (u->flags & KVMMIG_JOB_UPDATE_FINISHED)
    {
      cancel_before_migration (self, u);
      task = g_steal_pointer (&self->task);
    }

  g_object_freeze_notify (G_OBJECT (self));

  if (u->flags & KVMMIG_JOB_UPDATE_STATE)
    {
      /* Current when the state is notified, not only at the next tick. */
      SET_AND_NOTIFY (self, elapsed_ms, (g_get_monotonic_time () - self->start_us) / 1000,
                      PROP_ELAPSED_MS);
      SET_AND_NOTIFY (self, state, u->state, PROP_STATE);
    }

  if (u->flags & KVMMIG_JOB_UPDATE_STATS)
    {
      /* Progress never goes backwards. */
      if (u->stats.progress > self->stats.progress)
        SET_AND_NOTIFY (self, stats.progress, MIN (u->stats.progress, 1.0), PROP_PROGRESS);
      SET_AND_NOTIFY (self, stats.bytes_processed, u->stats.bytes_processed, PROP_BYTES_PROCESSED);
      SET_AND_NOTIFY (self, stats.bytes_remaining, u->stats.bytes_remaining, PROP_BYTES_REMAINING);
      SET_AND_NOTIFY (self, stats.bytes_total, u->stats.bytes_total, PROP_BYTES_TOTAL);
      SET_AND_NOTIFY (self, stats.bandwidth, u->stats.bandwidth, PROP_BANDWIDTH);
      SET_AND_NOTIFY (self, stats.dirty_rate, u->stats.dirty_rate, PROP_DIRTY_RATE);
      SET_AND_NOTIFY (self, stats.iteration, u->stats.iteration, PROP_ITERATION);
      SET_AND_NOTIFY (self, stats.eta_ms, u->stats.eta_ms, PROP_ETA_MS);
      SET_AND_NOTIFY (self, stats.disk_bytes_processed, u->stats.disk_bytes_processed,
                      PROP_DISK_BYTES_PROCESSED);
      SET_AND_NOTIFY (self, stats.disk_bytes_remaining, u->stats.disk_bytes_remaining,
                      PROP_DISK_BYTES_REMAINING);
      SET_AND_NOTIFY (self, stats.disk_bytes_total, u->stats.disk_bytes_total,
                      PROP_DISK_BYTES_TOTAL);
    }

  if (u->flags & KVMMIG_JOB_UPDATE_CHECKS)
    {
      g_clear_pointer (&self->checks, g_ptr_array_unref);
      self->checks = g_steal_pointer (&u->checks);
    }

  if (u->flags & KVMMIG_JOB_UPDATE_STEP)
    g_ptr_array_add (self->steps, g_object_ref (u->step));

  if (u->flags & KVMMIG_JOB_UPDATE_OUTCOME)
    {
      SET_AND_NOTIFY (self, downtime_ms, u->downtime_ms, PROP_DOWNTIME_MS);
      SET_AND_NOTIFY (self, total_ms, u->total_ms, PROP_TOTAL_MS);
      SET_AND_NOTIFY (self, location, u->location, PROP_GUEST_LOCATION);
      if (self->state == KVMMIG_MIGRATION_STATE_COMPLETED)
        {
          SET_AND_NOTIFY (self, stats.progress, 1.0, PROP_PROGRESS);
          SET_AND_NOTIFY (self, stats.bytes_remaining, 0, PROP_BYTES_REMAINING);
          SET_AND_NOTIFY (self, stats.disk_bytes_remaining, 0, PROP_DISK_BYTES_REMAINING);
          SET_AND_NOTIFY (self, stats.eta_ms, 0, PROP_ETA_MS);
        }
    }

  /* The run's last update, applied before the caller's callback runs. */
  if (u->flags & KVMMIG_JOB_UPDATE_FINISHED)
    {
      self->busy = FALSE;
      if (!self->check_only_run)
        {
          _kvmmig_migration_job_list_remove (self);
          g_clear_error (&self->error);
          self->error = u->error ? g_error_copy (u->error) : NULL;
        }
      if (self->ticker != NULL)
        {
          g_source_destroy (self->ticker);
          g_clear_pointer (&self->ticker, g_source_unref);
        }
      g_clear_pointer (&self->tuning, _kvmmig_migration_tuning_unref);
      SET_AND_NOTIFY (self, elapsed_ms, (g_get_monotonic_time () - self->start_us) / 1000,
                      PROP_ELAPSED_MS);
    }

  g_object_thaw_notify (G_OBJECT (self));

  if (u->flags & KVMMIG_JOB_UPDATE_STEP)
    _kvmmig_migration_job_emit_policy_step (self, u->step);

  if (u->flags & KVMMIG_JOB_UPDATE_PROGRESS)
    _kvmmig_migration_job_emit_progress (self);

  /* Last: the caller learns the outcome the job now shows. */
  if (task != NULL && u->error != NULL)
    g_task_return_error (task, g_steal_pointer (&u->error));
  else if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

typedef struct
{
  KvmmigMigrationJob *job;
  KvmmigJobUpdate *update;
} PostedUpdate;

static void
posted_update_free (gpointer data)
{
  PostedUpdate *posted = data;

  g_object_unref (posted->job);
  _kvmmig_job_update_free (posted->update);
  g_free (posted);
}

static gboolean
posted_update_dispatch (gpointer data)
{
  PostedUpdate *posted = data;

  apply_update (posted->job, posted->update);
  return G_SOURCE_REMOVE;
}

/*
 * post_update:
 * @update: (transfer full): the update
 *
 * The job's update sink: applies @update on the job's main context, in the
 * order posted. Called from the run's threads while a run or check is
 * under way (the context is only replaced when no run is).
 */
static void
post_update (KvmmigJobUpdate *update,
             gpointer         user_data)
{
  KvmmigMigrationJob *self = user_data;
  PostedUpdate *posted = g_new0 (PostedUpdate, 1);

  posted->job = g_object_ref (self);
  posted->update = update;
  _kvmmig_dispatch_on_context (self->context, posted_update_dispatch,
                               posted, posted_update_free);
}

/* ------------------------------------------------------------------ */
/* Running                                                              */

/* ::progress four times a second while the migration runs, from the
 * job's own context: libvirt calls can block for a second or more in some
 * phases of a migration, and the signal must not wait for them. The
 * figures are the latest the run posted. */
static gboolean
tick (gpointer data)
{
  KvmmigMigrationJob *self = data;

  SET_AND_NOTIFY (self, elapsed_ms, (g_get_monotonic_time () - self->start_us) / 1000,
                  PROP_ELAPSED_MS);
  if (self->state == KVMMIG_MIGRATION_STATE_MIGRATING ||
      self->state == KVMMIG_MIGRATION_STATE_SWITCHING_OVER)
    _kvmmig_migration_job_emit_progress (self);
  return G_SOURCE_CONTINUE;
}

static void
start (KvmmigMigrationJob  *self,
       gboolean             check_only,
       gpointer             source_tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  KvmmigMigrationRunInput input = {
    .source = self->source,
    .destination = self->destination,
    .guest_name = self->guest_name,
    .options = &self->options,
    .budget = self->budget,
    .check_only = check_only,
  };
  g_autoptr(KvmmigMigrationTuning) tuning = NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);

  if (self->busy)
    {
      g_task_return_new_error (task, KVMMIG_ERROR, KVMMIG_ERROR_JOB_ACTIVE,
                               "%s: guest '%s': this job is already running",
                               _kvmmig_host_get_display_uri (self->source), self->guest_name);
      return;
    }

  if (self->ran)
    {
      /* A job that ran keeps what its run found: its state, checks and
       * error are the run's, and checking it again would overwrite them. */
      if (check_only)
        g_task_return_new_error (task, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                                 "%s: guest '%s': this job has run, and a job that ran "
                                 "keeps its checks, state and error; make a new one to "
                                 "check again", _kvmmig_host_get_display_uri (self->source),
                                 self->guest_name);
      else
        g_task_return_new_error (task, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                                 "%s: guest '%s': a migration job runs once; make a "
                                 "new one", _kvmmig_host_get_display_uri (self->source),
                                 self->guest_name);
      return;
    }

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      /* Cancelled before it started: nothing was touched. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "%s: guest '%s': cancelled before the %s started; "
                               "nothing was changed", _kvmmig_host_get_display_uri (self->source),
                               self->guest_name, check_only ? "checks" : "migration");
      return;
    }

  self->busy = TRUE;
  self->check_only_run = check_only;
  if (!check_only)
    self->ran = TRUE;

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->start_us = g_get_monotonic_time ();

  if (!check_only)
    {
      _kvmmig_migration_job_list_add (self);
      tuning = _kvmmig_migration_tuning_new ();
      self->tuning = _kvmmig_migration_tuning_ref (tuning);
      input.tuning = tuning;
      self->ticker = g_timeout_source_new (250);
      g_source_set_callback (self->ticker, tick, self, NULL);
      g_source_set_static_name (self->ticker, "[kvmmig] job progress");
      g_source_attach (self->ticker, self->context);
    }

  g_object_freeze_notify (G_OBJECT (self));
  SET_AND_NOTIFY (self, state, KVMMIG_MIGRATION_STATE_CHECKING, PROP_STATE);
  SET_AND_NOTIFY (self, elapsed_ms, 0, PROP_ELAPSED_MS);
  g_object_thaw_notify (G_OBJECT (self));

  /* Returned when the run's last update is applied (apply_update()). */
  self->task = g_object_ref (task);
  _kvmmig_migration_run_start (&input,
                               _kvmmig_job_update_sink_new (post_update, g_object_ref (self),
                                                            g_object_unref),
                               cancellable);
}

/**
 * kvmmig_migration_job_run_async:
 * @self: a job that has not run
 * @cancellable: (nullable): cancelling it aborts the migration
 * @callback: (scope async): called when the job ended
 * @user_data: data for @callback
 *
 * Runs the job: the pre-flight checks, then the live migration, driven by
 * the job's policy. @callback is called on the thread-default main context
 * of the calling thread once the job ended; call
 * [method@Kvmmig.MigrationJob.run_finish] from it.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_run_async (KvmmigMigrationJob  *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start (self, FALSE, kvmmig_migration_job_run_async, cancellable, callback, user_data);
}

static gboolean
finish (KvmmigMigrationJob  *self,
        GAsyncResult        *result,
        gpointer             source_tag,
        GError             **error)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), FALSE);

  return _kvmmig_task_finish_boolean (self, result, source_tag, error);
}

/* The blocking form of a run (or of a check with @check_only), on a main
 * context of its own, so that the job's signals are emitted on the
 * calling thread. */
static gboolean
run_sync (KvmmigMigrationJob  *self,
          gboolean             check_only,
          GCancellable        *cancellable,
          GError             **error)
{
  gpointer source_tag = check_only ? (gpointer) kvmmig_migration_job_check_async
                                   : (gpointer) kvmmig_migration_job_run_async;
  g_autoptr(KvmmigSync) sync = _kvmmig_sync_new ();

  start (self, check_only, source_tag, cancellable, _kvmmig_sync_callback, sync);
  return finish (self, _kvmmig_sync_wait (sync), source_tag, error);
}

/**
 * kvmmig_migration_job_run_finish:
 * @self: a job
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.MigrationJob.run_async]. On failure, the error
 * says what failed and where the guest runs; so does
 * [property@Kvmmig.MigrationJob:guest-location].
 *
 * Returns: %TRUE if the guest now runs on the destination
 *
 * Since: 0.1
 */
gboolean
kvmmig_migration_job_run_finish (KvmmigMigrationJob  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  return finish (self, result, kvmmig_migration_job_run_async, error);
}

/**
 * kvmmig_migration_job_run:
 * @self: a job that has not run
 * @cancellable: (nullable): cancelling it aborts the migration
 * @error: return location for an error
 *
 * Runs the job, blocking the calling thread until it ended. Signals are
 * emitted on the calling thread meanwhile. See
 * [method@Kvmmig.MigrationJob.run_async].
 *
 * Returns: %TRUE if the guest now runs on the destination
 *
 * Since: 0.1
 */
gboolean
kvmmig_migration_job_run (KvmmigMigrationJob  *self,
                          GCancellable        *cancellable,
                          GError             **error)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_sync (self, FALSE, cancellable, error);
}

/**
 * kvmmig_migration_job_check_async:
 * @self: a job that has not run
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called when the checks are done
 * @user_data: data for @callback
 *
 * Runs the pre-flight checks alone; nothing is migrated or changed. The
 * outcome of each check is then in
 * [method@Kvmmig.MigrationJob.get_checks]. The job's state returns to
 * %KVMMIG_MIGRATION_STATE_NEW, and it can still run.
 *
 * Only a job that has not run can be checked: a job that ran keeps the
 * state, checks and error of its run, and checking it fails with
 * %KVMMIG_ERROR_INVALID_ARGUMENT, changing nothing.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_check_async (KvmmigMigrationJob  *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start (self, TRUE, kvmmig_migration_job_check_async, cancellable, callback, user_data);
}

/**
 * kvmmig_migration_job_check_finish:
 * @self: a job
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.MigrationJob.check_async].
 *
 * Returns: %TRUE if every check passed (warnings included); %FALSE with the
 *   first failure's error otherwise
 *
 * Since: 0.1
 */
gboolean
kvmmig_migration_job_check_finish (KvmmigMigrationJob  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  return finish (self, result, kvmmig_migration_job_check_async, error);
}

/**
 * kvmmig_migration_job_check:
 * @self: a job that has not run
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Runs the pre-flight checks alone, blocking the calling thread. See
 * [method@Kvmmig.MigrationJob.check_async].
 *
 * Returns: %TRUE if every check passed
 *
 * Since: 0.1
 */
gboolean
kvmmig_migration_job_check (KvmmigMigrationJob  *self,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_sync (self, TRUE, cancellable, error);
}
