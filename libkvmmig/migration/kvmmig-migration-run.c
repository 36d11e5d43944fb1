/* kvmmig-migration-run.c: one run of a migration job, on a thread of its
 * own (the run thread, "kvmmig-run"), which
 *
 *   runs the pre-flight checks;
 *   starts the peer-to-peer migration (virDomainMigrateToURI3, which
 *                    blocks until it ends, on a thread of its own that
 *                    tells the run when it returns: kvmmig-migration-call.c);
 *   monitors it until the call returns, or ABORT_GRACE after an accepted
 *                    abort if it has not: wakes four times a second, or
 *                    when libvirt reports a new pre-copy pass, reads the
 *                    job's statistics, feeds the convergence policy and
 *                    applies its decisions (the completion timeout even
 *                    before there are statistics), and aborts the
 *                    migration when the job is cancelled; an abort
 *                    libvirt refused is asked again after a growing delay;
 *   then finds out where the guest is and resumes it on the source if a
 *                    failed migration left it paused there, or recovers
 *                    an interrupted post-copy migration
 *                    (kvmmig-migration-recovery.c; what it decides from
 *                    libvirt's states, and the migration's parameters,
 *                    are in kvmmig-migration-states.c).
 *
 * libvirt's domain events (migration iterations, the switchover, job
 * completion) arrive on the library's event thread and only wake the
 * monitor loop. Everything the job shows, the outcome last, is sent as
 * KvmmigJobUpdate records to the sink the run was given; the run never
 * calls the job.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <libvirt/libvirt-qemu.h>

#include "kvmmig-convergence-private.h"
#include "kvmmig-host-private.h"
#include "kvmmig-migration-call-private.h"
#include "kvmmig-migration-registry-private.h"
#include "kvmmig-migration-run-impl-private.h"
#include "kvmmig-migration-run-private.h"
#include "kvmmig-migration-states-private.h"
#include "kvmmig-preflight-private.h"
#include "kvmmig-policy-step-private.h"
#include "kvmmig-qmp-private.h"
#include "kvmmig-lvm-private.h"
#include "kvmmig-xml-private.h"

#define TICK_US               (G_USEC_PER_SEC / 4)
#define COMPLETED_EVENT_WAIT  (2 * G_USEC_PER_SEC)
/* How long the run waits for libvirt's migration call after an abort it
 * accepted (see kvmmig-migration-call.c). */
#define ABORT_GRACE           (20 * G_USEC_PER_SEC)
#define MIB                   (1024.0 * 1024.0)
#define GIB                   (1024.0 * MIB)

typedef KvmmigRun Run;

static Run *
run_ref (Run *run)
{
  return g_atomic_rc_box_acquire (run);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->sink, _kvmmig_job_update_sink_free);
  _kvmmig_migration_options_clear (&run->options);
  g_clear_pointer (&run->tuning, _kvmmig_migration_tuning_unref);
  g_clear_pointer (&run->source_uri, g_free);
  g_clear_pointer (&run->dest_uri, g_free);
  g_clear_pointer (&run->guest_name, g_free);
  g_clear_pointer (&run->registry_key, g_free);
  g_clear_object (&run->source);
  g_clear_object (&run->destination);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->domain, virDomainFree);
  g_clear_pointer (&run->sconn, virConnectClose);
  g_clear_pointer (&run->dconn, virConnectClose);
  g_clear_pointer (&run->uuid, g_free);
  g_clear_pointer (&run->copies, g_ptr_array_unref);
  g_clear_pointer (&run->engine, _kvmmig_convergence_free);
  g_clear_pointer (&run->call, _kvmmig_migration_call_unref);
  if (run->steps_summary)
    g_string_free (run->steps_summary, TRUE);
  g_mutex_clear (&run->lock);
  g_cond_clear (&run->cond);
}

static void
run_unref (void *data)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) run_clear);
}

gint64
_kvmmig_run_elapsed_ms (Run *run)
{
  return (g_get_monotonic_time () - run->start_us) / 1000;
}

static gint64
migration_elapsed_ms (Run *run)
{
  return run->migration_start_us ? (g_get_monotonic_time () - run->migration_start_us) / 1000 : 0;
}

void
_kvmmig_run_post (Run *run, KvmmigJobUpdate *update)
{
  _kvmmig_job_update_sink_post (run->sink, update);
}

void
_kvmmig_run_post_state (Run *run, KvmmigMigrationState state)
{
  KvmmigJobUpdate *update = _kvmmig_job_update_new (KVMMIG_JOB_UPDATE_STATE);
  update->state = state;
  _kvmmig_run_post (run, update);
}

static void
wake_monitor (Run *run)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&run->lock);

  run->wake = TRUE;
  g_cond_signal (&run->cond);
}

static void
wake_monitor_for_tuning (gpointer data)
{
  wake_monitor (data);
}

/* Whether post-copy runs, as the run last learnt it. */
static gboolean
postcopy_is_running (Run *run)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&run->lock);

  return run->postcopy_running;
}

static gboolean
cancel_is_requested (Run *run)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&run->lock);

  return run->cancel_requested;
}

/* ------------------------------------------------------------------ */
/* Cancellation and libvirt events                                      */

static void
on_cancelled (GCancellable *cancellable,
              gpointer      data)
{
  Run *run = data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&run->lock);

  /* While post-copy runs a cancel is dropped (see handle_cancel()); while
   * it is interrupted, a cancel stops the attempts to resume it. */
  if (!run->postcopy_running || run->recovering)
    run->cancel_requested = TRUE;
  run->wake = TRUE;
  g_cond_signal (&run->cond);
}

static void
on_iteration (virConnectPtr  conn,
              virDomainPtr   domain,
              int            iteration,
              void          *opaque)
{
  g_debug ("migration iteration %d", iteration);
  wake_monitor (opaque);
}

static void
on_job_completed (virConnectPtr         conn,
                  virDomainPtr          domain,
                  virTypedParameterPtr  params,
                  int                   nparams,
                  void                 *opaque)
{
  Run *run = opaque;
  gint64 downtime = _kvmmig_job_stats_downtime_ms (params, nparams);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&run->lock);

  if (downtime >= 0)
    run->event_downtime_ms = downtime;
  run->completed_event = TRUE;
  g_debug ("job completed event: downtime %" G_GINT64_FORMAT " ms", downtime);
  g_cond_broadcast (&run->cond);
}

static int
on_lifecycle (virConnectPtr  conn,
              virDomainPtr   domain,
              int            event,
              int            detail,
              void          *opaque)
{
  Run *run = opaque;
  g_autoptr(GMutexLocker) locker = NULL;

  if (event != VIR_DOMAIN_EVENT_SUSPENDED)
    return 0;

  locker = g_mutex_locker_new (&run->lock);
  if (detail == VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED ||
      detail == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY)
    run->switching_over = TRUE;
  if (detail == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY)
    run->postcopy_running = TRUE;
  /* From now on a cancel stops the attempts to resume it. */
  if (detail == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED)
    run->recovering = run->postcopy_failed_event = TRUE;
  /* While a resume attempt runs, the source says when QEMU took up the
   * post-copy again (libvirt corrects its state on "postcopy-recover") and
   * when it broke again: the job shows both as they happen. Posted under
   * the lock, which the recovery holds when it posts its own. */
  if (run->resume_running && detail == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY &&
      run->recovery_state == KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED)
    {
      run->recovery_state = KVMMIG_MIGRATION_STATE_SWITCHING_OVER;
      _kvmmig_run_post_state (run, KVMMIG_MIGRATION_STATE_SWITCHING_OVER);
    }
  else if (run->resume_running && detail == VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED &&
           run->recovery_state == KVMMIG_MIGRATION_STATE_SWITCHING_OVER)
    {
      run->recovery_state = KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED;
      _kvmmig_run_post_state (run, KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED);
    }
  run->wake = TRUE;
  g_cond_signal (&run->cond);

  return 0;
}

static void
register_events (Run *run)
{
  run->event_ids[0] =
    virConnectDomainEventRegisterAny (run->sconn, run->domain,
                                      VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION,
                                      VIR_DOMAIN_EVENT_CALLBACK (on_iteration),
                                      run_ref (run), run_unref);
  run->event_ids[1] =
    virConnectDomainEventRegisterAny (run->sconn, run->domain,
                                      VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
                                      VIR_DOMAIN_EVENT_CALLBACK (on_job_completed),
                                      run_ref (run), run_unref);
  run->event_ids[2] =
    virConnectDomainEventRegisterAny (run->sconn, run->domain,
                                      VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                      VIR_DOMAIN_EVENT_CALLBACK (on_lifecycle),
                                      run_ref (run), run_unref);

  /* A failed registration keeps its reference: release it. */
  for (guint i = 0; i < G_N_ELEMENTS (run->event_ids); i++)
    if (run->event_ids[i] < 0)
      {
        g_debug ("%s: domain event %u not available", run->source_uri, i);
        run_unref (run);
      }
  virResetLastError ();
}

static void
unregister_events (Run *run)
{
  for (guint i = 0; i < G_N_ELEMENTS (run->event_ids); i++)
    if (run->event_ids[i] >= 0)
      {
        virConnectDomainEventDeregisterAny (run->sconn, run->event_ids[i]);
        run->event_ids[i] = -1;
      }
  virResetLastError ();
}

/* ------------------------------------------------------------------ */
/* The monitor loop                                                     */

static gboolean
read_sample (Run                     *run,
             KvmmigConvergenceSample *s,
             guint64                 *processed,
             guint64                 *total)
{
  virTypedParameterPtr params = NULL;
  int nparams = 0;
  int type = VIR_DOMAIN_JOB_NONE;
  gboolean sample;

  memset (s, 0, sizeof *s);
  if (virDomainGetJobStats (run->domain, &type, &params, &nparams, 0) < 0)
    {
      virResetLastError ();
      return FALSE;
    }

  sample = _kvmmig_job_stats_read (type, params, nparams, s, processed, total);
  virTypedParamsFree (params, nparams);
  if (sample)
    s->elapsed_ms = migration_elapsed_ms (run);
  return sample;
}

/* The share of its vCPUs' time the guest used since the last call,
 * smoothed over about a second; 0 until known. */
static double
read_vcpu_load (Run *run)
{
  virVcpuInfo info[64];
  gint64 now = g_get_monotonic_time ();
  guint64 total = 0;
  int n;

  n = virDomainGetVcpus (run->domain, info, G_N_ELEMENTS (info), NULL, 0);
  if (n <= 0)
    {
      virResetLastError ();
      return run->vcpu_load;
    }

  /* Unsigned: the host's figures may be anything, and then they wrap
   * round (a signed sum would overflow, which is undefined). */
  for (int i = 0; i < n; i++)
    total += info[i].cpuTime;

  if (run->vcpu_prev_us > 0 && now > run->vcpu_prev_us)
    {
      double load = (double) (gint64) (total - run->vcpu_prev_ns) /
                    (1000.0 * (now - run->vcpu_prev_us) * n);

      load = CLAMP (load, 0.0, 1.0);
      run->vcpu_load = run->vcpu_load > 0 ? 0.6 * run->vcpu_load + 0.4 * load : load;
    }
  run->vcpu_prev_ns = total;
  run->vcpu_prev_us = now;
  return run->vcpu_load;
}

/* Whether a libvirt call that returned @rc applied what the policy
 * decided; if not, @note takes libvirt's message. */
static gboolean
libvirt_applied (int    rc,
                 char **note)
{
  if (rc < 0)
    {
      *note = _kvmmig_libvirt_take_message (NULL);
      return FALSE;
    }
  return TRUE;
}

/* Whether the guest runs under QEMU's emulator (TCG: domain type 'qemu'),
 * where a strongly throttled vCPU stalls the migration's bitmap syncs (see
 * KVMMIG_CONVERGENCE_TCG_SLEEP_SHARE). FALSE when its definition cannot
 * be read: the throttle then goes to the usual maximum. */
static gboolean
guest_is_emulated (Run *run)
{
  g_autofree char *text = virDomainGetXMLDesc (run->domain, 0);
  g_auto(KvmmigXml) xml = { 0 };
  g_autofree char *type = NULL;

  if (text == NULL)
    {
      g_free (_kvmmig_libvirt_take_message (NULL));
      return FALSE;
    }
  if (!_kvmmig_xml_parse (&xml, text))
    return FALSE;
  type = _kvmmig_xml_string (&xml, NULL, "/domain/@type");
  return g_strcmp0 (type, "qemu") == 0;
}

static gboolean
set_throttle (Run   *run,
              guint  wanted,
              guint  current,
              char **note)
{
  g_autofree char *cmd = NULL;
  g_autofree char *reply = NULL;
  g_autoptr(JsonObject) arguments = NULL;
  g_autoptr(GError) error = NULL;
  guint increment;

  /* QEMU throttles at cpu-throttle-initial when it first finds the guest
   * dirtying too fast, then adds cpu-throttle-increment at each further
   * finding. Neither can be set through libvirt once the migration runs,
   * so they go through QEMU's monitor (libvirt marks the guest as
   * "tainted: custom-monitor" in its log). */
  increment = current > 0 && wanted > current ? wanted - current
                                              : KVMMIG_CONVERGENCE_START_INCREMENT;
  arguments = json_object_new ();
  json_object_set_int_member (arguments, "cpu-throttle-initial", wanted);
  json_object_set_int_member (arguments, "cpu-throttle-increment", MIN (increment, 99));
  cmd = _kvmmig_qmp_command ("migrate-set-parameters", arguments);

  if (!libvirt_applied (virDomainQemuMonitorCommand (run->domain, cmd, &reply, 0), note))
    return FALSE;
  if (!_kvmmig_qmp_reply_check (reply, &error))
    {
      *note = g_strdup (error->message);
      return FALSE;
    }
  return TRUE;
}

/* Switches every mirror of the migration's disk copy to synchronous
 * writes. libvirt has no call for it once the migration runs (only
 * VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES at its start), so it goes
 * through QEMU's monitor: query-block-jobs, then block-job-change
 * (copy-mode write-blocking, QEMU 8.2 and later). *@switched counts the
 * mirrors changed. */
static gboolean
sync_disk_writes (Run    *run,
                  guint  *switched,
                  char  **note)
{
  g_autofree char *query = NULL;
  g_autofree char *reply = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(JsonObject) none = json_object_new ();
  g_autoptr(GError) error = NULL;

  *switched = 0;
  query = _kvmmig_qmp_command ("query-block-jobs", none);
  if (!libvirt_applied (virDomainQemuMonitorCommand (run->domain, query, &reply, 0), note))
    return FALSE;
  ids = _kvmmig_qmp_mirror_jobs (reply, &error);
  if (ids == NULL)
    {
      *note = g_strdup (error->message);
      return FALSE;
    }
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(JsonObject) arguments = json_object_new ();
      g_autofree char *cmd = NULL;
      g_autofree char *answer = NULL;

      json_object_set_string_member (arguments, "id", ids[i]);
      json_object_set_string_member (arguments, "type", "mirror");
      json_object_set_string_member (arguments, "copy-mode", "write-blocking");
      cmd = _kvmmig_qmp_command ("block-job-change", arguments);
      if (!libvirt_applied (virDomainQemuMonitorCommand (run->domain, cmd, &answer, 0), note))
        return FALSE;
      if (!_kvmmig_qmp_reply_check (answer, &error))
        {
          *note = g_strdup_printf ("mirror %s: %s", ids[i], error->message);
          return FALSE;
        }
      (*switched)++;
    }
  if (*switched == 0)
    {
      *note = g_strdup ("QEMU lists no mirror job");
      return FALSE;
    }
  return TRUE;
}

/* Asks libvirt to abort the migration. Refused (no job yet: the migration
 * is being set up), it is asked again after a delay that grows with each
 * refusal (see the monitor loop), not at every tick. Accepted, it is not
 * asked again, and the run waits ABORT_GRACE at most for the migration
 * call. */
static gboolean
try_abort (Run   *run,
           char **note)
{
  if (virDomainAbortJob (run->domain) == 0)
    {
      run->abort_deadline_us = g_get_monotonic_time () + ABORT_GRACE;
      return TRUE;
    }

  run->abort_refusals++;
  run->next_abort_us = g_get_monotonic_time () +
                       _kvmmig_convergence_abort_retry_ms (run->abort_refusals) * 1000;
  *note = _kvmmig_libvirt_take_message (NULL);
  g_debug ("%s: guest '%s': abort refused (%u), asked again in %" G_GINT64_FORMAT " ms: %s",
           run->source_uri, run->guest_name, run->abort_refusals,
           _kvmmig_convergence_abort_retry_ms (run->abort_refusals), *note);
  return FALSE;
}

static void
apply_decision (Run                             *run,
                const KvmmigConvergenceSample   *s,
                const KvmmigConvergenceDecision *d)
{
  g_autofree char *note = NULL;
  g_autofree char *description = NULL;
  KvmmigJobUpdate *update;
  gboolean applied = TRUE;
  guint switched = 0;

  switch (d->action)
    {
    case KVMMIG_POLICY_ACTION_SET_DOWNTIME:
      applied = libvirt_applied (virDomainMigrateSetMaxDowntime (run->domain, d->value, 0),
                                 &note);
      break;

    case KVMMIG_POLICY_ACTION_THROTTLE:
      applied = set_throttle (run, d->value, s->throttle, &note);
      break;

    case KVMMIG_POLICY_ACTION_START_POSTCOPY:
      /* This asks QEMU to switch at the end of the pass under way: until
       * the source says post-copy runs (its event, or its state, see
       * poll_postcopy()), the migration is pre-copy and a cancel aborts
       * it. */
      applied = libvirt_applied (virDomainMigrateStartPostCopy (run->domain, 0), &note);
      if (applied)
        run->postcopy_requested = TRUE;
      else
        _kvmmig_convergence_step_failed (run->engine, d);   /* decided again later */
      break;

    case KVMMIG_POLICY_ACTION_ABORT_TIMEOUT:
      run->timed_out = TRUE;
      applied = try_abort (run, &note);
      break;

    case KVMMIG_POLICY_ACTION_SYNC_DISK_WRITES:
      applied = sync_disk_writes (run, &switched, &note);
      break;

    case KVMMIG_POLICY_ACTION_EXHAUSTED:
    default:
      break;
    }

  description = note ? g_strdup_printf ("%s (not applied: %s)", d->reason, note)
                     : g_strdup (d->reason);
  g_debug ("%s: guest '%s': policy: %s", run->source_uri, run->guest_name, description);

  if (d->action == KVMMIG_POLICY_ACTION_SET_DOWNTIME ||
      d->action == KVMMIG_POLICY_ACTION_THROTTLE ||
      d->action == KVMMIG_POLICY_ACTION_START_POSTCOPY ||
      d->action == KVMMIG_POLICY_ACTION_SYNC_DISK_WRITES)
    g_string_append_printf (run->steps_summary, "%s%s",
                            run->steps_summary->len ? ", " : "",
                            d->action == KVMMIG_POLICY_ACTION_START_POSTCOPY ? "post-copy"
                            : d->action == KVMMIG_POLICY_ACTION_THROTTLE ? "throttle"
                            : d->action == KVMMIG_POLICY_ACTION_SYNC_DISK_WRITES
                            ? "synchronous disk writes" : "downtime");
  if (d->action == KVMMIG_POLICY_ACTION_SET_DOWNTIME)
    g_string_append_printf (run->steps_summary, " %u ms", d->value);
  else if (d->action == KVMMIG_POLICY_ACTION_THROTTLE)
    g_string_append_printf (run->steps_summary, " %u %%", d->value);

  update = _kvmmig_job_update_new (KVMMIG_JOB_UPDATE_STEP);
  update->step = _kvmmig_policy_step_new (d->action,
                                          d->action == KVMMIG_POLICY_ACTION_SYNC_DISK_WRITES
                                          ? switched : d->value, s->elapsed_ms,
                                          s->iteration, description, applied);
  _kvmmig_run_post (run, update);
}

/* The job's bandwidth limit or maximum downtime changed while it
 * migrates: libvirt applies them at once, the policy uses them from its
 * next decision. Refused (the migration is switching over, say), the
 * change is dropped: only the debug log says so. */
static void
apply_tuning (Run *run)
{
  int bandwidth, downtime;

  if (run->tuning == NULL || !_kvmmig_migration_tuning_take (run->tuning, &bandwidth, &downtime))
    return;

  if (bandwidth >= 0)
    {
      unsigned long speed = bandwidth > 0 ? (unsigned long) bandwidth
                                          : KVMMIG_MIGRATION_UNLIMITED_MIB;
      g_autofree char *note = NULL;
      gboolean applied;

      run->options.bandwidth_limit = bandwidth;
      applied = libvirt_applied (virDomainMigrateSetMaxSpeed (run->domain, speed, 0), &note);
      if (applied && run->options.allow_postcopy)
        applied = libvirt_applied (virDomainMigrateSetMaxSpeed (run->domain, speed,
                                                                VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY),
                                   &note);
      g_debug ("%s: guest '%s': bandwidth limit now %d MiB/s%s%s", run->source_uri,
               run->guest_name, bandwidth, applied ? "" : ", not applied: ", note ? note : "");
    }

  if (downtime >= 0)
    {
      g_autofree char *note = NULL;
      gboolean applied = TRUE;

      run->options.max_downtime_ms = downtime;
      if (_kvmmig_convergence_set_max_downtime (run->engine, (guint) downtime))
        applied = libvirt_applied (virDomainMigrateSetMaxDowntime (
                                     run->domain, _kvmmig_convergence_get_downtime (run->engine), 0),
                                   &note);
      g_debug ("%s: guest '%s': maximum downtime now %d ms, target %u ms%s%s", run->source_uri,
               run->guest_name, downtime, _kvmmig_convergence_get_downtime (run->engine),
               applied ? "" : ", not applied: ", note ? note : "");
    }
}

/* Whether post-copy runs, after the policy asked for it: the lifecycle
 * event says so, or else the source's state (PAUSED, reason POSTCOPY). */
static gboolean
poll_postcopy (Run *run)
{
  gboolean running = postcopy_is_running (run);
  int state = VIR_DOMAIN_NOSTATE, reason = 0;

  if (running || !run->postcopy_requested)
    return running;

  if (virDomainGetState (run->domain, &state, &reason, 0) < 0)
    virResetLastError ();
  else if (state == VIR_DOMAIN_PAUSED &&
           (reason == VIR_DOMAIN_PAUSED_POSTCOPY || reason == VIR_DOMAIN_PAUSED_POSTCOPY_FAILED))
    {
      g_mutex_lock (&run->lock);
      run->postcopy_running = TRUE;
      run->switching_over = TRUE;
      g_mutex_unlock (&run->lock);
      running = TRUE;
    }
  return running;
}

static void
handle_cancel (Run      *run,
               gboolean  postcopy)
{
  if (postcopy)
    {
      /* The guest already runs on the destination: aborting now would
       * lose it. The migration completes, and the cancel is dropped: it
       * must not stop the recovery should post-copy be interrupted later
       * (only a cancel while it is paused does). */
      if (!run->cancel_ignored)
        g_debug ("%s: guest '%s': cancel ignored, post-copy is running",
                 run->source_uri, run->guest_name);
      run->cancel_ignored = TRUE;
      g_mutex_lock (&run->lock);
      if (!run->recovering)
        run->cancel_requested = FALSE;
      g_mutex_unlock (&run->lock);
      return;
    }

  {
    g_autofree char *note = NULL;

    try_abort (run, &note);
  }
}

/* Called on the call's thread when libvirt's migration call returns. */
static void
on_call_done (gpointer data)
{
  Run *run = data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&run->lock);

  run->migrate_done = TRUE;
  g_cond_broadcast (&run->cond);
}

/* Until the migration call returns, or ABORT_GRACE after an accepted
 * abort if it has not. */
static void
monitor_migration (Run *run)
{
  gboolean downtime_applied = FALSE;

  for (;;)
    {
      gint64 deadline = g_get_monotonic_time () + TICK_US;
      KvmmigConvergenceSample s;
      KvmmigConvergenceDecision d;
      KvmmigJobUpdate *update;
      gboolean cancel, postcopy, switching;
      guint64 processed = 0, total = 0;

      if (run->abort_deadline_us != 0)
        deadline = MIN (deadline, run->abort_deadline_us);
      g_mutex_lock (&run->lock);
      while (!run->migrate_done && !run->wake &&
             g_cond_wait_until (&run->cond, &run->lock, deadline))
        ;
      run->wake = FALSE;
      if (run->migrate_done)
        {
          g_mutex_unlock (&run->lock);
          break;
        }
      g_mutex_unlock (&run->lock);
      if (run->abort_deadline_us != 0 && g_get_monotonic_time () >= run->abort_deadline_us)
        break;

      postcopy = poll_postcopy (run);
      g_mutex_lock (&run->lock);
      cancel = run->cancel_requested;
      switching = run->switching_over;
      g_mutex_unlock (&run->lock);

      /* A cancel, or a timeout whose abort was refused (before post-copy,
       * which cannot be aborted): asked again once the delay after the last
       * refusal has passed. */
      if ((cancel || (run->timed_out && !postcopy)) && run->abort_deadline_us == 0 &&
          g_get_monotonic_time () >= run->next_abort_us)
        {
          if (cancel)
            handle_cancel (run, postcopy);
          else
            {
              g_autofree char *note = NULL;

              try_abort (run, &note);
            }
        }

      if (switching && !run->posted_switching)
        {
          run->posted_switching = TRUE;
          _kvmmig_run_post_state (run, KVMMIG_MIGRATION_STATE_SWITCHING_OVER);
        }

      if (!read_sample (run, &s, &processed, &total))
        {
          /* Not started yet (the destination is preparing), or just
           * ended: the completion timeout counts all the same. */
          memset (&s, 0, sizeof s);
          s.elapsed_ms = migration_elapsed_ms (run);
          if (!cancel && !postcopy &&
              _kvmmig_convergence_check_timeout (run->engine, s.elapsed_ms, &d))
            {
              apply_decision (run, &s, &d);
              _kvmmig_convergence_decision_clear (&d);
            }
          continue;
        }
      s.postcopy = postcopy;
      s.vcpu_load = read_vcpu_load (run);
      g_debug ("sample %.1f s: pass %u, %.1f MiB left, %.1f MiB/s sent, %.1f MiB/s dirtied, "
               "vCPU load %.0f %%, throttle %u %%", s.elapsed_ms / 1000.0, s.iteration,
               s.remaining / MIB, s.bandwidth / MIB, s.dirty_rate / MIB,
               100 * s.vcpu_load, s.throttle);

      if (!downtime_applied)
        {
          /* Set once the job runs: libvirt sets up QEMU's parameters when
           * the migration starts. */
          virDomainMigrateSetMaxDowntime (run->domain,
                                          _kvmmig_convergence_get_downtime (run->engine), 0);
          virResetLastError ();
          downtime_applied = TRUE;
        }
      apply_tuning (run);

      /* While libvirt mirrors the disks, before the memory's first pass,
       * there is no memory pass for the policy to judge; the completion
       * timeout counts all the same. */
      if (s.disk_total > 0 && s.iteration == 0)
        {
          if (!cancel && (_kvmmig_convergence_check_timeout (run->engine, s.elapsed_ms, &d) ||
                          _kvmmig_convergence_decide_disks (run->engine, &s, &d)))
            {
              apply_decision (run, &s, &d);
              _kvmmig_convergence_decision_clear (&d);
            }
        }
      else
        while (!cancel && _kvmmig_convergence_decide (run->engine, &s, &d))
          {
            apply_decision (run, &s, &d);
            _kvmmig_convergence_decision_clear (&d);
          }

      {
        /* While the disks are mirrored, the memory still to go counts
         * too, though libvirt has not counted it yet. */
        guint64 left = s.data_remaining +
                       (s.disk_total > 0 && s.iteration == 0 ? MAX (s.memory_total, run->memory) : 0);

        if (processed + left > 0)
          run->progress = MAX (run->progress,
                               MIN (0.99, (double) processed / (double) (processed + left)));
      }

      update = _kvmmig_job_update_new (KVMMIG_JOB_UPDATE_STATS);
      update->stats.progress = run->progress;
      update->stats.bytes_processed = processed;
      update->stats.bytes_remaining = s.data_remaining;
      update->stats.bytes_total = total;
      update->stats.bandwidth = s.bandwidth;
      update->stats.dirty_rate = s.dirty_rate;
      update->stats.iteration = s.iteration;
      update->stats.eta_ms = _kvmmig_convergence_eta_ms (&s, _kvmmig_convergence_get_downtime (run->engine));
      if (s.disk_total > 0 && s.iteration == 0)
        {
          /* Mirroring the disks: what is left of them, then the memory,
           * at the rate the disks go. */
          update->stats.eta_ms = s.disk_bandwidth > 0
            ? (gint64) (1000.0 * (s.disk_remaining + s.memory_total) / s.disk_bandwidth) : -1;
        }
      update->stats.disk_bytes_processed = s.disk_processed;
      update->stats.disk_bytes_remaining = s.disk_remaining;
      update->stats.disk_bytes_total = s.disk_total;
      _kvmmig_run_post (run, update);
    }
}

/* ------------------------------------------------------------------ */
/* The migration                                                        */

/* What the disk copy moves: the bytes the source's images hold. */
static guint64
copied_bytes (Run *run)
{
  guint64 bytes = 0;

  for (guint i = 0; run->copies != NULL && i < run->copies->len; i++)
    bytes += ((KvmmigDiskCopy *) g_ptr_array_index (run->copies, i))->allocation;
  return bytes;
}

static gint64
resolve_timeout_ms (Run *run)
{
  gint timeout = run->options.completion_timeout_ms;

  if (timeout < 0)
    return 0;
  if (timeout > 0)
    return timeout;
  return 60000 + (gint64) (60000.0 * (run->memory + copied_bytes (run)) / GIB);
}

/* The guest's state on @conn: KVMMIG_DOMAIN_STATE_GONE if the host
 * answers that it has no such domain, KVMMIG_DOMAIN_STATE_UNREADABLE if
 * it cannot be read (no connection, or a dead one). */
int
_kvmmig_run_domain_state (virConnectPtr  conn,
              const char    *uuid,
              int           *reason)
{
  g_autoptr(virDomain) domain = conn ? virDomainLookupByUUIDString (conn, uuid) : NULL;
  int state = KVMMIG_DOMAIN_STATE_UNREADABLE;

  *reason = 0;
  if (domain == NULL)
    {
      if (conn != NULL && _kvmmig_libvirt_last_error_code () == VIR_ERR_NO_DOMAIN)
        state = KVMMIG_DOMAIN_STATE_GONE;
    }
  else if (virDomainGetState (domain, &state, reason, 0) < 0)
    state = KVMMIG_DOMAIN_STATE_UNREADABLE;
  virResetLastError ();
  return state;
}

/* After a failed migration: where is the guest? A guest that a failed
 * pre-copy left paused on the source is resumed there; one that post-copy
 * split between the hosts is not touched (resuming the source would run
 * stale memory). */
static KvmmigGuestLocation
locate_and_recover (Run     *run,
                    char   **note)
{
  int sreason, dreason;
  int sstate = _kvmmig_run_domain_state (run->sconn, run->uuid, &sreason);
  int dstate = _kvmmig_run_domain_state (run->dconn, run->uuid, &dreason);

  if (dstate == VIR_DOMAIN_RUNNING && sstate != VIR_DOMAIN_RUNNING)
    return KVMMIG_GUEST_LOCATION_DESTINATION;

  if (sstate == VIR_DOMAIN_RUNNING)
    return KVMMIG_GUEST_LOCATION_SOURCE;

  if (sstate == VIR_DOMAIN_PAUSED)
    {
      if (postcopy_is_running (run) || sreason == VIR_DOMAIN_PAUSED_POSTCOPY ||
          sreason == VIR_DOMAIN_PAUSED_POSTCOPY_FAILED)
        {
          *note = g_strdup ("post-copy had started: the guest's memory is split between "
                            "the hosts and it is paused; it can only be recovered by "
                            "resuming the post-copy migration");
          return KVMMIG_GUEST_LOCATION_NONE;
        }

      if (virDomainResume (run->domain) == 0)
        {
          *note = g_strdup ("it was left paused and has been resumed");
          return KVMMIG_GUEST_LOCATION_SOURCE;
        }

      {
        g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
        *note = g_strdup_printf ("it is paused on the source and could not be "
                                 "resumed: %s", msg);
      }
      return KVMMIG_GUEST_LOCATION_NONE;
    }

  /* Neither running nor paused on the source, not running on the
   * destination: its QEMU exited (killed, crashed, shut down). */
  if (sstate == VIR_DOMAIN_SHUTOFF || sstate == VIR_DOMAIN_CRASHED)
    *note = g_strdup ("it stopped on the source during the migration (its QEMU "
                      "exited) and was not started on the destination; it is still "
                      "defined on the source and can be started there again");
  else
    *note = g_strdup ("it is not on the source any more and not running on the "
                      "destination");
  return KVMMIG_GUEST_LOCATION_NONE;
}

static gint64
completed_downtime_ms (Run *run)
{
  gint64 deadline = g_get_monotonic_time () + COMPLETED_EVENT_WAIT;
  gint64 downtime;
  g_autoptr(virDomain) dest = NULL;
  virTypedParameterPtr params = NULL;
  int nparams = 0, type = 0;

  /* JOB_COMPLETED carries QEMU's measured downtime; it may come just
   * after the migration call returned. */
  g_mutex_lock (&run->lock);
  while (!run->completed_event &&
         g_cond_wait_until (&run->cond, &run->lock, deadline))
    ;
  downtime = run->completed_event ? run->event_downtime_ms : -1;
  g_mutex_unlock (&run->lock);

  if (downtime >= 0)
    return downtime;

  /* Otherwise the destination keeps the incoming job's statistics. */
  dest = virDomainLookupByUUIDString (run->dconn, run->uuid);
  if (dest != NULL &&
      virDomainGetJobStats (dest, &type, &params, &nparams,
                            VIR_DOMAIN_JOB_STATS_COMPLETED) == 0)
    {
      downtime = _kvmmig_job_stats_downtime_ms (params, nparams);
      virTypedParamsFree (params, nparams);
    }
  virResetLastError ();
  return downtime;
}

static gboolean
migrate (Run     *run,
         GError **error)
{
  g_autofree char *message = NULL;
  g_autofree char *note = NULL;
  virTypedParameterPtr params = NULL;
  int nparams = 0;
  unsigned int flags;
  KvmmigJobUpdate *update;
  KvmmigGuestLocation location;
  KvmmigError code;
  KvmmigPeerFailure peer = KVMMIG_PEER_FAILURE_NONE;
  int err_code = VIR_ERR_OK;
  gboolean cancelled;
  gboolean returned;
  int rc;

  /* What the job changed while its checks ran counts from the start. */
  if (run->tuning != NULL)
    {
      int bandwidth, downtime;

      if (_kvmmig_migration_tuning_take (run->tuning, &bandwidth, &downtime))
        {
          if (bandwidth >= 0)
            run->options.bandwidth_limit = bandwidth;
          if (downtime >= 0)
            run->options.max_downtime_ms = downtime;
        }
    }

  /* The disks to copy get their volumes on the destination now, after
   * every check passed; a failure here leaves nothing behind. */
  if (run->copies != NULL && run->copies->len > 0)
    {
      if (_kvmmig_check_cancelled (run->cancellable, run->source_uri,
                                   "migration", error))
        return FALSE;
      if (!_kvmmig_disk_copies_create (run->dconn, run->dest_uri, run->copies, error))
        {
          g_autofree char *left = _kvmmig_disk_copies_remove_created (run->dconn, run->dest_uri,
                                                                     run->copies);

          g_prefix_error (error, "migration of guest '%s' not started, the guest runs on "
                          "%s: ", run->guest_name, run->source_uri);
          if (left != NULL)
            {
              char *both = g_strdup_printf ("%s; %s", (*error)->message, left);

              g_free ((*error)->message);
              (*error)->message = both;
            }
          return FALSE;
        }
    }

  run->engine = _kvmmig_convergence_new (run->options.policy,
                                         (guint) run->options.max_downtime_ms,
                                         run->options.allow_postcopy,
                                         resolve_timeout_ms (run));
  _kvmmig_convergence_set_emulated (run->engine, guest_is_emulated (run));
  run->steps_summary = g_string_new (NULL);
  flags = _kvmmig_migration_build_params (&run->options, &params, &nparams);
  run->call = _kvmmig_migration_call_new (run->domain, run->dest_uri, params, nparams, flags);

  register_events (run);
  _kvmmig_run_post_state (run, KVMMIG_MIGRATION_STATE_MIGRATING);

  run->migration_start_us = g_get_monotonic_time ();
  g_debug ("%s: guest '%s': migration starts at %.3f s", run->source_uri,
           run->guest_name, _kvmmig_run_elapsed_ms (run) / 1000.0);
  /* Both wakes refer to the run, and go with the call: nothing returns
   * between here and the call's finish. What the job changes before the
   * wake is set waits in the mailbox for the monitor loop's first turn. */
  if (run->tuning != NULL)
    _kvmmig_migration_tuning_set_wake (run->tuning, wake_monitor_for_tuning, run);
  _kvmmig_migration_call_start (run->call, on_call_done, run);
  monitor_migration (run);
  returned = _kvmmig_migration_call_finish (run->call, &rc, &message, &err_code);
  if (run->tuning != NULL)
    _kvmmig_migration_tuning_set_wake (run->tuning, NULL, NULL);
  if (!returned)
    {
      rc = -1;
      err_code = VIR_ERR_OPERATION_ABORTED;
      message = g_strdup_printf ("the migration was aborted, but libvirt's migration call "
                                 "had not returned %d s later (the destination does not "
                                 "answer); libvirt ends its job when it gives up on the "
                                 "destination", (int) (ABORT_GRACE / G_USEC_PER_SEC));
    }
  if (rc == 0)
    g_debug ("%s: guest '%s': migration call returned 0 at %.3f s", run->source_uri,
             run->guest_name, _kvmmig_run_elapsed_ms (run) / 1000.0);
  else
    g_debug ("%s: guest '%s': migration call returned %d at %.3f s, libvirt error %d: %s",
             run->source_uri, run->guest_name, rc, _kvmmig_run_elapsed_ms (run) / 1000.0,
             err_code, message ? message : "");

  update = _kvmmig_job_update_new (KVMMIG_JOB_UPDATE_STATE | KVMMIG_JOB_UPDATE_OUTCOME |
                                   KVMMIG_JOB_UPDATE_PROGRESS);

  if (rc == 0)
    {
      update->state = KVMMIG_MIGRATION_STATE_COMPLETED;
      update->location = KVMMIG_GUEST_LOCATION_DESTINATION;
      update->downtime_ms = completed_downtime_ms (run);
      update->total_ms = _kvmmig_run_elapsed_ms (run);
      unregister_events (run);
      _kvmmig_storage_after_migration (run->sconn, run->source_uri, run->dconn, run->guest_name);
      if (run->copies != NULL && run->options.remove_source_disks)
        {
          g_autofree char *kept = _kvmmig_disk_copies_remove_sources (run->sconn, run->source_uri,
                                                                     run->copies);

          if (kept != NULL)
            g_warning ("guest '%s' runs on %s; %s", run->guest_name, run->dest_uri, kept);
        }
      _kvmmig_run_post (run, update);
      return TRUE;
    }

  unregister_events (run);

  if (poll_postcopy (run) && !run->check_only)
    {
      gboolean not_paused = FALSE;
      gboolean ok;

      /* The source's events again, for the resume attempts: they tell
       * when QEMU takes up the post-copy again, and when it breaks again. */
      register_events (run);
      ok = _kvmmig_run_recover_postcopy (run, message, &not_paused, error);
      unregister_events (run);

      if (!not_paused)
        {
          _kvmmig_job_update_free (update);
          return ok;
        }
    }

  location = locate_and_recover (run, &note);
  /* The guest stays on its source, on its own disks: what the job created
   * on the destination goes again. */
  if (location == KVMMIG_GUEST_LOCATION_SOURCE && run->copies != NULL)
    {
      g_autofree char *left = _kvmmig_disk_copies_remove_created (run->dconn, run->dest_uri,
                                                                 run->copies);

      if (left != NULL)
        {
          char *both = g_strdup_printf ("%s%s%s", note ? note : "", note ? "; " : "", left);

          g_free (note);
          note = both;
        }
    }
  if (!returned)
    {
      char *both = g_strdup_printf ("%s%s%s", note ? note : "", note ? "; " : "", message);

      g_free (note);
      note = both;
    }

  cancelled = cancel_is_requested (run) &&
              (run->abort_deadline_us != 0 || err_code == VIR_ERR_OPERATION_ABORTED);
  if (returned && location != KVMMIG_GUEST_LOCATION_NONE)
    peer = _kvmmig_peer_failure_classify (run->dest_uri, err_code, message);
  if (cancelled)
    code = KVMMIG_ERROR_FAILED;   /* unused: a cancel is G_IO_ERROR_CANCELLED */
  else if (run->timed_out)
    code = KVMMIG_ERROR_TIMEOUT;
  else if (location == KVMMIG_GUEST_LOCATION_NONE)
    code = KVMMIG_ERROR_GUEST_LOST;
  else if (strstr (message, "ostcopy is not supported") ||
           strstr (message, "ost-copy is not supported"))
    code = KVMMIG_ERROR_POSTCOPY_UNSUPPORTED;
  else if (err_code == VIR_ERR_OPERATION_INVALID && strstr (message, "job"))
    code = KVMMIG_ERROR_JOB_ACTIVE;
  else if (peer != KVMMIG_PEER_FAILURE_NONE)
    code = KVMMIG_ERROR_PEER_UNREACHABLE;
  else
    code = KVMMIG_ERROR_MIGRATION_FAILED;

  update->state = cancelled ? KVMMIG_MIGRATION_STATE_CANCELLED
                            : KVMMIG_MIGRATION_STATE_FAILED;
  update->location = location;
  update->total_ms = _kvmmig_run_elapsed_ms (run);
  _kvmmig_run_post (run, update);

  {
    const char *where =
      location == KVMMIG_GUEST_LOCATION_SOURCE ? "the guest runs on the source"
      : location == KVMMIG_GUEST_LOCATION_DESTINATION ? "the guest runs on the destination"
      : "the guest runs on neither host";
    g_autofree char *what = NULL;

    if (cancelled)
      what = g_strdup ("cancelled");
    else if (code == KVMMIG_ERROR_TIMEOUT)
      what = g_strdup_printf ("not complete within the completion timeout (%.0f s) "
                              "after trying: %s; aborted",
                              resolve_timeout_ms (run) / 1000.0,
                              run->steps_summary->len ? run->steps_summary->str
                              : run->options.policy == KVMMIG_MIGRATION_POLICY_PRECOPY
                              ? "nothing (policy precopy)" : "nothing");
    else if (code == KVMMIG_ERROR_PEER_UNREACHABLE)
      {
        g_autofree char *why = _kvmmig_peer_failure_describe (peer, run->dest_uri, message);

        what = g_strdup_printf ("failed: %s", why);
      }
    else if (err_code == VIR_ERR_AUTH_FAILED)
      what = g_strdup_printf ("failed: the source host's libvirtd could not "
                              "authenticate with the destination's: %s", message);
    else if (run->options.tls &&
             (strstr (message, "certificate") != NULL ||
              strstr (message, "Unable to access credentials") != NULL))
      what = g_strdup_printf ("failed: the TLS of the migration stream failed: %s "
                              "(each host's QEMU needs x509 certificates from a CA "
                              "the other host trusts, in qemu.conf's "
                              "migrate_tls_x509_cert_dir, by default /etc/pki/qemu)",
                              message);
    else
      what = g_strdup_printf ("failed: %s", message);

    g_set_error (error,
                 cancelled ? G_IO_ERROR : KVMMIG_ERROR,
                 cancelled ? G_IO_ERROR_CANCELLED : (int) code,
                 "%s: migration of guest '%s' to %s %s; %s%s%s%s%s%s",
                 run->source_uri, run->guest_name, run->dest_uri, what, where,
                 location == KVMMIG_GUEST_LOCATION_NONE ? "" : " (",
                 location == KVMMIG_GUEST_LOCATION_SOURCE ? run->source_uri
                 : location == KVMMIG_GUEST_LOCATION_DESTINATION ? run->dest_uri : "",
                 location == KVMMIG_GUEST_LOCATION_NONE ? "" : ")",
                 note ? ": " : "", note ? note : "");
  }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* The run thread                                                       */

static gboolean
open_connections (Run     *run,
                  GError **error)
{
  run->sconn = _kvmmig_host_ref_connection (run->source, error);
  if (run->sconn == NULL)
    return FALSE;
  run->dconn = _kvmmig_host_ref_connection (run->destination, error);
  return run->dconn != NULL;
}

/* The guest as the caller named it may be its UUID or ID (as virsh takes
 * them): from here on the run, its checks and its messages use its name.
 * One that is not found is left for the source-guest check to say so. */
static void
resolve_guest_name (Run *run)
{
  g_autoptr(virDomain) domain = _kvmmig_lookup_domain (run->sconn, run->guest_name);
  const char *name = domain ? virDomainGetName (domain) : NULL;

  if (name != NULL && strcmp (name, run->guest_name) != 0)
    {
      g_debug ("%s: guest '%s' is '%s'", run->source_uri, run->guest_name, name);
      g_free (run->guest_name);
      run->guest_name = g_strdup (name);
    }
  virResetLastError ();
}

/* When a copied disk goes to another path or volume on the destination
 * (copy-storage-pool), the guest's definitions for it, with that disk
 * pointed at its copy: the running one, and for a persistent guest the
 * inactive one, which libvirt would otherwise carry over as it is. */
static gboolean
definitions_for_moved_disks (Run     *run,
                             GError **error)
{
  const unsigned int flags = VIR_DOMAIN_XML_MIGRATABLE | VIR_DOMAIN_XML_SECURE;
  g_autofree char *live = NULL;
  g_autofree char *what = NULL;
  gboolean moves = FALSE;
  int persistent;

  for (guint i = 0; run->copies != NULL && i < run->copies->len; i++)
    moves |= _kvmmig_disk_copy_moves (g_ptr_array_index (run->copies, i));
  if (!moves)
    return TRUE;

  what = g_strdup_printf ("%s: the definition of guest '%s'", run->source_uri, run->guest_name);
  live = virDomainGetXMLDesc (run->domain, flags);
  if (live == NULL)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);

      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED, "%s could not be read: %s", what,
                   msg ? msg : "libvirt gave no reason");
      return FALSE;
    }
  run->options.dest_xml = _kvmmig_disk_copies_move (live, run->copies, TRUE, what, error);
  if (run->options.dest_xml == NULL)
    return FALSE;

  persistent = virDomainIsPersistent (run->domain);
  virResetLastError ();
  if (persistent == 1 && run->options.persistent)
    {
      g_autofree char *inactive = virDomainGetXMLDesc (run->domain,
                                                       flags | VIR_DOMAIN_XML_INACTIVE);

      if (inactive == NULL)
        {
          g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);

          g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                       "%s (persistent) could not be read: %s", what,
                       msg ? msg : "libvirt gave no reason");
          return FALSE;
        }
      run->options.persist_xml = _kvmmig_disk_copies_move (inactive, run->copies, FALSE, what,
                                                           error);
      if (run->options.persist_xml == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
preflight (Run     *run,
           GError **error)
{
  KvmmigPreflightInput input = {
    .source = run->sconn,
    .destination = run->dconn,
    .source_uri = run->source_uri,
    .destination_uri = run->dest_uri,
    .guest_name = run->guest_name,
    .options = &run->options,
    .budget = run->has_budget ? &run->budget : NULL,
  };
  KvmmigPreflightResult result = { 0 };
  KvmmigJobUpdate *update;
  gboolean ok;

  ok = _kvmmig_preflight_run (&input, run->cancellable, &result, error);

  update = _kvmmig_job_update_new (KVMMIG_JOB_UPDATE_CHECKS);
  update->checks = g_steal_pointer (&result.checks);
  _kvmmig_run_post (run, update);

  run->domain = g_steal_pointer (&result.domain);
  run->uuid = g_steal_pointer (&result.uuid);
  run->memory = result.memory;
  run->copies = g_steal_pointer (&result.copies);
  run->options.migrate_disks = _kvmmig_disk_copies_targets (run->copies, FALSE);
  run->options.zero_disks = _kvmmig_disk_copies_targets (run->copies, TRUE);
  _kvmmig_preflight_result_clear (&result);

  return ok && definitions_for_moved_disks (run, error);
}

static void
finish (Run     *run,
        gboolean ok,
        GError  *error)
{
  KvmmigJobUpdate *update = _kvmmig_job_update_new (KVMMIG_JOB_UPDATE_FINISHED);

  /* The run is over: its guest is free for another job, whether or not
   * the caller's main context ever delivers the updates below. Released
   * before they are posted, so that a caller who got the outcome can start
   * a new job for the guest. */
  if (run->registry_key != NULL)
    _kvmmig_migration_registry_release (run->registry_key);
  g_clear_pointer (&run->registry_key, g_free);

  if (run->cancel_handler)
    g_cancellable_disconnect (run->cancellable, run->cancel_handler);
  run->cancel_handler = 0;

  if (run->check_only)
    {
      update->flags |= KVMMIG_JOB_UPDATE_STATE;
      update->state = KVMMIG_MIGRATION_STATE_NEW;
    }
  else if (!ok && run->migration_start_us == 0)
    {
      /* Failed or cancelled before anything moved. */
      gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      update->flags |= KVMMIG_JOB_UPDATE_STATE | KVMMIG_JOB_UPDATE_OUTCOME |
                       KVMMIG_JOB_UPDATE_PROGRESS;
      update->nothing_moved = TRUE;
      update->state = cancelled ? KVMMIG_MIGRATION_STATE_CANCELLED
                                : KVMMIG_MIGRATION_STATE_FAILED;
      update->total_ms = _kvmmig_run_elapsed_ms (run);
      update->location = run->domain ? KVMMIG_GUEST_LOCATION_SOURCE
                                     : KVMMIG_GUEST_LOCATION_UNKNOWN;
    }
  update->error = error;
  _kvmmig_run_post (run, update);
}

static gpointer
run_thread (gpointer data)
{
  Run *run = data;
  GError *error = NULL;
  gboolean ok;

  ok = open_connections (run, &error);
  if (ok)
    resolve_guest_name (run);
  ok = ok &&
       preflight (run, &error) &&
       (run->check_only || migrate (run, &error));

  finish (run, ok, error);
  run_unref (run);
  return NULL;
}

/*
 * _kvmmig_migration_run_start:
 * @sink: (transfer full): where the run reports
 * @cancellable: (nullable): cancelling it cancels the run
 *
 * Starts a run (or, with @input->check_only, the pre-flight checks alone)
 * on a thread of its own. Every update goes to @sink, the last one
 * (KVMMIG_JOB_UPDATE_FINISHED) with the outcome: its error, or NULL.
 */
void
_kvmmig_migration_run_start (const KvmmigMigrationRunInput *input,
                             KvmmigJobUpdateSink           *sink,
                             GCancellable                  *cancellable)
{
  Run *run = g_atomic_rc_box_new0 (Run);

  g_mutex_init (&run->lock);
  g_cond_init (&run->cond);
  run->event_ids[0] = run->event_ids[1] = run->event_ids[2] = -1;
  run->start_us = g_get_monotonic_time ();
  run->sink = sink;
  run->check_only = input->check_only;
  _kvmmig_migration_options_copy (input->options, &run->options);
  if (input->tuning != NULL)
    run->tuning = _kvmmig_migration_tuning_ref (input->tuning);
  if (input->budget != NULL)
    {
      run->budget = *input->budget;
      run->has_budget = TRUE;
    }
  run->source = g_object_ref (input->source);
  run->destination = g_object_ref (input->destination);
  /* As libvirt opened them (an alias expanded, the default resolved): the
   * source daemon opens the destination itself. */
  run->source_uri = _kvmmig_host_dup_connection_uri (run->source);
  run->dest_uri = _kvmmig_host_dup_connection_uri (run->destination);
  run->guest_name = g_strdup (input->guest_name);

  if (!run->check_only)
    {
      run->registry_key = _kvmmig_migration_registry_claim (run->source_uri, run->guest_name);
      if (run->registry_key == NULL)
        {
          finish (run, FALSE,
                  g_error_new (KVMMIG_ERROR, KVMMIG_ERROR_JOB_ACTIVE,
                               "%s: guest '%s' is already being migrated by another job "
                               "of this program", run->source_uri, run->guest_name));
          run_unref (run);
          return;
        }
    }

  if (cancellable != NULL)
    {
      run->cancellable = g_object_ref (cancellable);
      run->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                   run_ref (run), run_unref);
    }

  g_thread_unref (g_thread_new ("kvmmig-run", run_thread, run));
}
