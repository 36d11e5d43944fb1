/* kvmmig-migration-job.c: KvmmigMigrationJob, the public face of one live
 * migration: its options, its state and progress as properties, its
 * signals, and the run and check entry points. The work itself is done by
 * kvmmig-migration-run.c, which reports back through the update sink the
 * job gives it (see kvmmig-job-update-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-enum-types.h"
#include "kvmmig-error.h"
#include "kvmmig-host.h"
#include "kvmmig-job-update-private.h"
#include "kvmmig-migration-job-private.h"
#include "kvmmig-migration-options-private.h"
#include "kvmmig-migration-registry-private.h"
#include "kvmmig-migration-run-private.h"
#include "kvmmig-sync-private.h"
#include "kvmmig-util-private.h"

#define DEFAULT_MAX_DOWNTIME_MS KVMMIG_MIGRATION_DEFAULT_MAX_DOWNTIME_MS

/**
 * KvmmigMigrationJob:
 *
 * One live migration of a guest from a source [class@Kvmmig.Host] to a
 * destination host that shares its storage.
 *
 * Make one with [ctor@Kvmmig.MigrationJob.new], set its options (the
 * writable properties), then run it with
 * [method@Kvmmig.MigrationJob.run_async]. While it runs, its read-only
 * properties follow the migration and [signal@Kvmmig.MigrationJob::progress]
 * is emitted four times a second; every action of the convergence policy is
 * emitted as [signal@Kvmmig.MigrationJob::policy-step]. A job runs once.
 *
 * ## Before anything moves
 *
 * The job first runs its pre-flight checks (also available alone, as
 * [method@Kvmmig.MigrationJob.check_async]): the guest exists and runs on
 * the source; the destination answers and is another host; no other job
 * runs on the guest; no guest of that name or UUID is on the destination;
 * the destination has the memory free; it can run the guest's CPU; it sees
 * every disk of the guest at the same path or network source (its storage
 * pools are refreshed to find out); every writable disk uses a cache mode
 * safe for migration; and post-copy, if allowed, is supported there. Each
 * failure has its own [error@Kvmmig.Error] code; all outcomes are kept in
 * [method@Kvmmig.MigrationJob.get_checks].
 *
 * ## The migration
 *
 * The migration is peer-to-peer: the source's libvirt daemon drives it, so
 * it goes on if the program that started it dies. By default the guest is
 * defined on the destination and undefined on the source
 * ([property@Kvmmig.MigrationJob:persistent],
 * [property@Kvmmig.MigrationJob:undefine-source]), so that it can be started
 * again where it now runs.
 *
 * The default policy, %KVMMIG_MIGRATION_POLICY_AUTO, watches each pre-copy
 * pass. It aims for a low downtime first; when the data left stops
 * shrinking, it raises the allowed downtime within
 * [property@Kvmmig.MigrationJob:max-downtime-ms], then throttles the guest
 * by what its measured dirty rate and the bandwidth require, then switches
 * to post-copy if [property@Kvmmig.MigrationJob:allow-postcopy] is set. When
 * [property@Kvmmig.MigrationJob:completion-timeout-ms] runs out, it aborts
 * and the guest keeps running on the source.
 *
 * ## Cancelling
 *
 * Cancelling the [class@Gio.Cancellable] given to the run aborts the
 * migration in libvirt; the guest keeps running on the source, and the job
 * ends %KVMMIG_MIGRATION_STATE_CANCELLED with %G_IO_ERROR_CANCELLED. Once
 * post-copy has started the guest already runs on the destination, and the
 * migration can no longer be cancelled; it completes, and the cancel is
 * dropped. While post-copy is interrupted
 * (%KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED), cancelling stops the attempts
 * to resume it: once the attempt under way has returned, the job ends
 * %KVMMIG_ERROR_GUEST_LOST, the guest paused on both hosts, as when
 * [property@Kvmmig.MigrationJob:postcopy-recovery-timeout-ms] runs out. A
 * [class@Gio.Cancellable] is cancelled only once, so one that was
 * cancelled while post-copy ran does not stop a later recovery.
 *
 * ## Threads
 *
 * Property notifications, signals and the callback of `run_async` and
 * `check_async` happen on the thread-default main context of the thread
 * that called `run_async` (or `check_async`). The blocking forms run a main
 * context of their own while they wait, so signals are emitted on the
 * calling thread.
 *
 * Since: 0.1
 */
struct _KvmmigMigrationJob
{
  GObject parent_instance;

  KvmmigHost *source;
  KvmmigHost *destination;
  char *guest_name;

  KvmmigMigrationOptions options;
  KvmmigEvacuationBudget *budget; /* set by an evacuation, or NULL */

  GMainContext *context;          /* of the running run or check */
  gboolean busy;                  /* a run or check is under way */
  gboolean ran;                   /* run once already */
  gint64 start_us;                /* when the run or check started */
  gboolean check_only_run;        /* the one under way is a check */
  GSource *ticker;                /* emits ::progress while it runs */

  KvmmigMigrationState state;
  double progress;
  guint64 bytes_processed;
  guint64 bytes_remaining;
  guint64 bytes_total;
  guint64 bandwidth;
  guint64 dirty_rate;
  guint iteration;
  gint64 elapsed_ms;
  gint64 eta_ms;
  gint64 downtime_ms;
  gint64 total_ms;
  KvmmigGuestLocation location;
  GError *error;
  GPtrArray *checks;
  GPtrArray *steps;
};

G_DEFINE_FINAL_TYPE (KvmmigMigrationJob, kvmmig_migration_job, G_TYPE_OBJECT)

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
  N_PROPS
};

enum {
  SIGNAL_PROGRESS,
  SIGNAL_POLICY_STEP,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* Updates from the run                                                 */

#define SET_AND_NOTIFY(self, field, value, prop)                            \
  G_STMT_START {                                                            \
    if ((self)->field != (value))                                           \
      {                                                                     \
        (self)->field = (value);                                            \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);       \
      }                                                                     \
  } G_STMT_END

static void
apply_update (KvmmigMigrationJob *self,
              KvmmigJobUpdate    *u)
{
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
      if (u->progress > self->progress)
        SET_AND_NOTIFY (self, progress, MIN (u->progress, 1.0), PROP_PROGRESS);
      SET_AND_NOTIFY (self, bytes_processed, u->bytes_processed, PROP_BYTES_PROCESSED);
      SET_AND_NOTIFY (self, bytes_remaining, u->bytes_remaining, PROP_BYTES_REMAINING);
      SET_AND_NOTIFY (self, bytes_total, u->bytes_total, PROP_BYTES_TOTAL);
      SET_AND_NOTIFY (self, bandwidth, u->bandwidth, PROP_BANDWIDTH);
      SET_AND_NOTIFY (self, dirty_rate, u->dirty_rate, PROP_DIRTY_RATE);
      SET_AND_NOTIFY (self, iteration, u->iteration, PROP_ITERATION);
      SET_AND_NOTIFY (self, eta_ms, u->eta_ms, PROP_ETA_MS);
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
          SET_AND_NOTIFY (self, progress, 1.0, PROP_PROGRESS);
          SET_AND_NOTIFY (self, bytes_remaining, 0, PROP_BYTES_REMAINING);
          SET_AND_NOTIFY (self, eta_ms, 0, PROP_ETA_MS);
        }
    }

  /* The run's last update, applied before the caller's callback runs. */
  if (u->flags & KVMMIG_JOB_UPDATE_FINISHED)
    {
      self->busy = FALSE;
      /* The guest counts as being migrated until the end is delivered here,
       * so that a caller starting a second job before its main context ran
       * is refused whatever the threads' timing. */
      if (u->registry_key != NULL)
        _kvmmig_migration_registry_release (u->registry_key);
      if (!self->check_only_run)
        {
          g_clear_error (&self->error);
          self->error = g_steal_pointer (&u->error);
        }
      if (self->ticker != NULL)
        {
          g_source_destroy (self->ticker);
          g_clear_pointer (&self->ticker, g_source_unref);
        }
      SET_AND_NOTIFY (self, elapsed_ms, (g_get_monotonic_time () - self->start_us) / 1000,
                      PROP_ELAPSED_MS);
    }

  g_object_thaw_notify (G_OBJECT (self));

  if (u->flags & KVMMIG_JOB_UPDATE_STEP)
    g_signal_emit (self, signals[SIGNAL_POLICY_STEP], 0, u->step);

  if (u->flags & KVMMIG_JOB_UPDATE_PROGRESS)
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
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
/* GObject                                                              */

static void
kvmmig_migration_job_dispose (GObject *object)
{
  KvmmigMigrationJob *self = KVMMIG_MIGRATION_JOB (object);

  g_clear_object (&self->source);
  g_clear_object (&self->destination);

  G_OBJECT_CLASS (kvmmig_migration_job_parent_class)->dispose (object);
}

static void
kvmmig_migration_job_finalize (GObject *object)
{
  KvmmigMigrationJob *self = KVMMIG_MIGRATION_JOB (object);

  g_clear_pointer (&self->guest_name, g_free);
  _kvmmig_migration_options_clear (&self->options);
  g_clear_pointer (&self->budget, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  if (self->ticker != NULL)
    g_source_destroy (self->ticker);
  g_clear_pointer (&self->ticker, g_source_unref);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (kvmmig_migration_job_parent_class)->finalize (object);
}

static void
kvmmig_migration_job_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  KvmmigMigrationJob *self = KVMMIG_MIGRATION_JOB (object);

  switch (prop_id)
    {
    case PROP_SOURCE:           g_value_set_object (value, self->source); break;
    case PROP_DESTINATION:      g_value_set_object (value, self->destination); break;
    case PROP_GUEST_NAME:       g_value_set_string (value, self->guest_name); break;
    case PROP_STATE:            g_value_set_enum (value, self->state); break;
    case PROP_PROGRESS:         g_value_set_double (value, self->progress); break;
    case PROP_BYTES_PROCESSED:  g_value_set_uint64 (value, self->bytes_processed); break;
    case PROP_BYTES_REMAINING:  g_value_set_uint64 (value, self->bytes_remaining); break;
    case PROP_BYTES_TOTAL:      g_value_set_uint64 (value, self->bytes_total); break;
    case PROP_BANDWIDTH:        g_value_set_uint64 (value, self->bandwidth); break;
    case PROP_DIRTY_RATE:       g_value_set_uint64 (value, self->dirty_rate); break;
    case PROP_ITERATION:        g_value_set_uint (value, self->iteration); break;
    case PROP_ELAPSED_MS:       g_value_set_int64 (value, self->elapsed_ms); break;
    case PROP_ETA_MS:           g_value_set_int64 (value, self->eta_ms); break;
    case PROP_DOWNTIME_MS:      g_value_set_int64 (value, self->downtime_ms); break;
    case PROP_TOTAL_MS:         g_value_set_int64 (value, self->total_ms); break;
    case PROP_GUEST_LOCATION:   g_value_set_enum (value, self->location); break;
    case PROP_BANDWIDTH_LIMIT:  g_value_set_int (value, self->options.bandwidth_limit); break;
    case PROP_MAX_DOWNTIME_MS:  g_value_set_int (value, self->options.max_downtime_ms); break;
    case PROP_POLICY:           g_value_set_enum (value, self->options.policy); break;
    case PROP_ALLOW_POSTCOPY:   g_value_set_boolean (value, self->options.allow_postcopy); break;
    case PROP_PERSISTENT:       g_value_set_boolean (value, self->options.persistent); break;
    case PROP_UNDEFINE_SOURCE:  g_value_set_boolean (value, self->options.undefine_source); break;
    case PROP_PARALLEL_CONNECTIONS: g_value_set_int (value, self->options.parallel_connections); break;
    case PROP_COMPRESSION:      g_value_set_enum (value, self->options.compression); break;
    case PROP_TLS:              g_value_set_boolean (value, self->options.tls); break;
    case PROP_MIGRATION_URI:    g_value_set_string (value, self->options.migration_uri); break;
    case PROP_COMPLETION_TIMEOUT_MS: g_value_set_int (value, self->options.completion_timeout_ms); break;
    case PROP_POSTCOPY_RECOVERY_TIMEOUT_MS:
      g_value_set_int (value, self->options.postcopy_recovery_timeout_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_migration_job_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  KvmmigMigrationJob *self = KVMMIG_MIGRATION_JOB (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      self->source = g_value_dup_object (value);
      break;
    case PROP_DESTINATION:
      self->destination = g_value_dup_object (value);
      break;
    case PROP_GUEST_NAME:
      self->guest_name = g_value_dup_string (value);
      break;
    case PROP_BANDWIDTH_LIMIT:
      kvmmig_migration_job_set_bandwidth_limit (self, g_value_get_int (value));
      break;
    case PROP_MAX_DOWNTIME_MS:
      kvmmig_migration_job_set_max_downtime_ms (self, g_value_get_int (value));
      break;
    case PROP_POLICY:
      kvmmig_migration_job_set_policy (self, g_value_get_enum (value));
      break;
    case PROP_ALLOW_POSTCOPY:
      kvmmig_migration_job_set_allow_postcopy (self, g_value_get_boolean (value));
      break;
    case PROP_PERSISTENT:
      kvmmig_migration_job_set_persistent (self, g_value_get_boolean (value));
      break;
    case PROP_UNDEFINE_SOURCE:
      kvmmig_migration_job_set_undefine_source (self, g_value_get_boolean (value));
      break;
    case PROP_PARALLEL_CONNECTIONS:
      kvmmig_migration_job_set_parallel_connections (self, g_value_get_int (value));
      break;
    case PROP_COMPRESSION:
      kvmmig_migration_job_set_compression (self, g_value_get_enum (value));
      break;
    case PROP_TLS:
      kvmmig_migration_job_set_tls (self, g_value_get_boolean (value));
      break;
    case PROP_MIGRATION_URI:
      kvmmig_migration_job_set_migration_uri (self, g_value_get_string (value));
      break;
    case PROP_COMPLETION_TIMEOUT_MS:
      kvmmig_migration_job_set_completion_timeout_ms (self, g_value_get_int (value));
      break;
    case PROP_POSTCOPY_RECOVERY_TIMEOUT_MS:
      kvmmig_migration_job_set_postcopy_recovery_timeout_ms (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_migration_job_class_init (KvmmigMigrationJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = kvmmig_migration_job_dispose;
  object_class->finalize = kvmmig_migration_job_finalize;
  object_class->get_property = kvmmig_migration_job_get_property;
  object_class->set_property = kvmmig_migration_job_set_property;

  /**
   * KvmmigMigrationJob:source: (getter get_source)
   *
   * The host the guest runs on before the migration.
   *
   * Since: 0.1
   */
  properties[PROP_SOURCE] = g_param_spec_object ("source", NULL, NULL, KVMMIG_TYPE_HOST, co);

  /**
   * KvmmigMigrationJob:destination: (getter get_destination)
   *
   * The host the guest moves to.
   *
   * Since: 0.1
   */
  properties[PROP_DESTINATION] = g_param_spec_object ("destination", NULL, NULL,
                                                      KVMMIG_TYPE_HOST, co);

  /**
   * KvmmigMigrationJob:guest-name: (getter get_guest_name)
   *
   * The name of the guest on the source host.
   *
   * Since: 0.1
   */
  properties[PROP_GUEST_NAME] = g_param_spec_string ("guest-name", NULL, NULL, NULL, co);

  /**
   * KvmmigMigrationJob:state: (getter get_state)
   *
   * Where the job is.
   *
   * Since: 0.1
   */
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL,
                                              KVMMIG_TYPE_MIGRATION_STATE,
                                              KVMMIG_MIGRATION_STATE_NEW, ro);

  /**
   * KvmmigMigrationJob:progress: (getter get_progress)
   *
   * How far the migration is, from 0.0 to 1.0: the share of the data sent
   * so far in all the data sent or still to send. It never goes backwards,
   * and is 1.0 once the job completed.
   *
   * Since: 0.1
   */
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL,
                                                   0.0, 1.0, 0.0, ro);

  /**
   * KvmmigMigrationJob:bytes-processed: (getter get_bytes_processed)
   *
   * Bytes sent so far, pages sent again included.
   *
   * Since: 0.1
   */
  properties[PROP_BYTES_PROCESSED] = g_param_spec_uint64 ("bytes-processed", NULL, NULL,
                                                          0, G_MAXUINT64, 0, ro);

  /**
   * KvmmigMigrationJob:bytes-remaining: (getter get_bytes_remaining)
   *
   * Bytes still to send, as libvirt last reported it; it grows when the
   * guest dirties memory faster than it is sent.
   *
   * Since: 0.1
   */
  properties[PROP_BYTES_REMAINING] = g_param_spec_uint64 ("bytes-remaining", NULL, NULL,
                                                          0, G_MAXUINT64, 0, ro);

  /**
   * KvmmigMigrationJob:bytes-total: (getter get_bytes_total)
   *
   * The size of what the migration moves (the guest's memory), in bytes.
   *
   * Since: 0.1
   */
  properties[PROP_BYTES_TOTAL] = g_param_spec_uint64 ("bytes-total", NULL, NULL,
                                                      0, G_MAXUINT64, 0, ro);

  /**
   * KvmmigMigrationJob:bandwidth: (getter get_bandwidth)
   *
   * The rate memory is sent at, in bytes per second, as QEMU measures it.
   *
   * Since: 0.1
   */
  properties[PROP_BANDWIDTH] = g_param_spec_uint64 ("bandwidth", NULL, NULL,
                                                    0, G_MAXUINT64, 0, ro);

  /**
   * KvmmigMigrationJob:dirty-rate: (getter get_dirty_rate)
   *
   * The rate the guest dirties memory at, in bytes per second, as QEMU
   * measures it (0 until the end of the first pass).
   *
   * Since: 0.1
   */
  properties[PROP_DIRTY_RATE] = g_param_spec_uint64 ("dirty-rate", NULL, NULL,
                                                     0, G_MAXUINT64, 0, ro);

  /**
   * KvmmigMigrationJob:iteration: (getter get_iteration)
   *
   * The pre-copy pass over the guest's memory, from 1.
   *
   * Since: 0.1
   */
  properties[PROP_ITERATION] = g_param_spec_uint ("iteration", NULL, NULL,
                                                  0, G_MAXUINT, 0, ro);

  /**
   * KvmmigMigrationJob:elapsed-ms: (getter get_elapsed_ms)
   *
   * Time since the job started, in ms.
   *
   * Since: 0.1
   */
  properties[PROP_ELAPSED_MS] = g_param_spec_int64 ("elapsed-ms", NULL, NULL,
                                                    0, G_MAXINT64, 0, ro);

  /**
   * KvmmigMigrationJob:eta-ms: (getter get_eta_ms)
   *
   * The estimated time left, in ms, from the data left, the bandwidth and
   * the dirty rate; -1 when unknown, or when the guest dirties memory as
   * fast as it is sent (the policy then has to act).
   *
   * Since: 0.1
   */
  properties[PROP_ETA_MS] = g_param_spec_int64 ("eta-ms", NULL, NULL,
                                                -1, G_MAXINT64, -1, ro);

  /**
   * KvmmigMigrationJob:downtime-ms: (getter get_downtime_ms)
   *
   * How long the guest was paused for the switchover, in ms, as QEMU
   * measured it; -1 until the job completed.
   *
   * Since: 0.1
   */
  properties[PROP_DOWNTIME_MS] = g_param_spec_int64 ("downtime-ms", NULL, NULL,
                                                     -1, G_MAXINT64, -1, ro);

  /**
   * KvmmigMigrationJob:total-ms: (getter get_total_ms)
   *
   * How long the whole job took, checks included, in ms; -1 until it ended.
   *
   * Since: 0.1
   */
  properties[PROP_TOTAL_MS] = g_param_spec_int64 ("total-ms", NULL, NULL,
                                                  -1, G_MAXINT64, -1, ro);

  /**
   * KvmmigMigrationJob:guest-location: (getter get_guest_location)
   *
   * Where the guest runs once the job ended, as the job verified it.
   *
   * Since: 0.1
   */
  properties[PROP_GUEST_LOCATION] = g_param_spec_enum ("guest-location", NULL, NULL,
                                                       KVMMIG_TYPE_GUEST_LOCATION,
                                                       KVMMIG_GUEST_LOCATION_UNKNOWN, ro);

  /**
   * KvmmigMigrationJob:bandwidth-limit: (getter get_bandwidth_limit) (setter set_bandwidth_limit)
   *
   * The most bandwidth the migration may use, in MiB/s, in pre-copy and
   * post-copy alike; 0 for no limit, up to 1048576 (1 TiB/s). A value out
   * of range makes the job fail its checks with
   * %KVMMIG_ERROR_INVALID_ARGUMENT.
   *
   * Since: 0.1
   */
  properties[PROP_BANDWIDTH_LIMIT] = g_param_spec_int ("bandwidth-limit", NULL, NULL,
                                                       G_MININT, G_MAXINT, 0, rw);

  /**
   * KvmmigMigrationJob:max-downtime-ms: (getter get_max_downtime_ms) (setter set_max_downtime_ms)
   *
   * The longest the guest may be paused for the switchover, in ms, from 1
   * to 600000 (10 minutes). The AUTO policy starts lower and raises it up
   * to this limit when it must; the other policies use it as it is. A
   * value out of range makes the job fail its checks with
   * %KVMMIG_ERROR_INVALID_ARGUMENT.
   *
   * Since: 0.1
   */
  properties[PROP_MAX_DOWNTIME_MS] = g_param_spec_int ("max-downtime-ms", NULL, NULL,
                                                       G_MININT, G_MAXINT,
                                                       DEFAULT_MAX_DOWNTIME_MS, rw);

  /**
   * KvmmigMigrationJob:policy: (getter get_policy) (setter set_policy)
   *
   * How the job drives the migration to completion.
   *
   * Since: 0.1
   */
  properties[PROP_POLICY] = g_param_spec_enum ("policy", NULL, NULL,
                                               KVMMIG_TYPE_MIGRATION_POLICY,
                                               KVMMIG_MIGRATION_POLICY_AUTO, rw);

  /**
   * KvmmigMigrationJob:allow-postcopy: (getter get_allow_postcopy) (setter set_allow_postcopy)
   *
   * Whether the AUTO policy may switch to post-copy. Post-copy always
   * completes, but while it runs the guest's memory is split between the
   * two hosts: if either host or the link between them fails then, the
   * guest is lost. That is why it is off by default.
   *
   * Since: 0.1
   */
  properties[PROP_ALLOW_POSTCOPY] = g_param_spec_boolean ("allow-postcopy", NULL, NULL,
                                                          FALSE, rw);

  /**
   * KvmmigMigrationJob:persistent: (getter get_persistent) (setter set_persistent)
   *
   * Whether the guest is defined on the destination, so that it can be
   * started there again after it stops.
   *
   * Since: 0.1
   */
  properties[PROP_PERSISTENT] = g_param_spec_boolean ("persistent", NULL, NULL, TRUE, rw);

  /**
   * KvmmigMigrationJob:undefine-source: (getter get_undefine_source) (setter set_undefine_source)
   *
   * Whether the guest's definition is removed from the source once it runs
   * on the destination, so that it is not started twice.
   *
   * Since: 0.1
   */
  properties[PROP_UNDEFINE_SOURCE] = g_param_spec_boolean ("undefine-source", NULL, NULL,
                                                           TRUE, rw);

  /**
   * KvmmigMigrationJob:parallel-connections: (getter get_parallel_connections) (setter set_parallel_connections)
   *
   * The number of connections memory is sent over (QEMU's multifd), up to
   * 255; 0 or 1 for one. A value out of range makes the job fail its
   * checks with %KVMMIG_ERROR_INVALID_ARGUMENT.
   *
   * Since: 0.1
   */
  properties[PROP_PARALLEL_CONNECTIONS] = g_param_spec_int ("parallel-connections", NULL, NULL,
                                                            G_MININT, G_MAXINT, 0, rw);

  /**
   * KvmmigMigrationJob:compression: (getter get_compression) (setter set_compression)
   *
   * How pages are compressed on the wire.
   *
   * Since: 0.1
   */
  properties[PROP_COMPRESSION] = g_param_spec_enum ("compression", NULL, NULL,
                                                    KVMMIG_TYPE_COMPRESSION,
                                                    KVMMIG_COMPRESSION_NONE, rw);

  /**
   * KvmmigMigrationJob:tls: (getter get_tls) (setter set_tls)
   *
   * Whether the migration stream is encrypted with TLS. Both hosts' libvirt
   * daemons need TLS certificates set up for it (see the README).
   *
   * Since: 0.1
   */
  properties[PROP_TLS] = g_param_spec_boolean ("tls", NULL, NULL, FALSE, rw);

  /**
   * KvmmigMigrationJob:migration-uri: (getter get_migration_uri) (setter set_migration_uri)
   *
   * Where the destination listens for the migration stream, such as
   * `tcp://192.168.10.12`, to send it over a dedicated network; %NULL to
   * let libvirt choose.
   *
   * Since: 0.1
   */
  properties[PROP_MIGRATION_URI] = g_param_spec_string ("migration-uri", NULL, NULL, NULL, rw);

  /**
   * KvmmigMigrationJob:completion-timeout-ms: (getter get_completion_timeout_ms) (setter set_completion_timeout_ms)
   *
   * How long the migration may take before it is aborted (the guest stays
   * on the source), in ms: 0 for automatic (60 s plus 60 s per GiB of guest
   * memory), -1 for none. It does not apply once post-copy has started.
   * Other negative values make the job fail its checks with
   * %KVMMIG_ERROR_INVALID_ARGUMENT.
   *
   * Since: 0.1
   */
  properties[PROP_COMPLETION_TIMEOUT_MS] = g_param_spec_int ("completion-timeout-ms", NULL, NULL,
                                                             G_MININT, G_MAXINT, 0, rw);

  /**
   * KvmmigMigrationJob:postcopy-recovery-timeout-ms: (getter get_postcopy_recovery_timeout_ms) (setter set_postcopy_recovery_timeout_ms)
   *
   * How long the job keeps trying to resume a post-copy migration that was
   * interrupted (state %KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED), in ms;
   * 0 to give up at once. Default: 5 minutes. When it gives up, the guest
   * stays paused on both hosts and the job fails with
   * %KVMMIG_ERROR_GUEST_LOST, saying how to resume it by hand.
   *
   * Since: 0.1
   */
  properties[PROP_POSTCOPY_RECOVERY_TIMEOUT_MS] =
    g_param_spec_int ("postcopy-recovery-timeout-ms", NULL, NULL,
                      G_MININT, G_MAXINT,
                      KVMMIG_MIGRATION_DEFAULT_POSTCOPY_RECOVERY_TIMEOUT_MS, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KvmmigMigrationJob::progress:
   * @self: the job
   *
   * Emitted four times a second while the migration runs (states
   * %KVMMIG_MIGRATION_STATE_MIGRATING and
   * %KVMMIG_MIGRATION_STATE_SWITCHING_OVER), with the job's properties
   * holding the latest figures from libvirt's statistics (read four times
   * a second, and at each new pre-copy pass), and once more when the job
   * ends.
   *
   * Since: 0.1
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * KvmmigMigrationJob::policy-step:
   * @self: the job
   * @step: what the policy did, and why
   *
   * Emitted when the convergence policy acts: it raised the allowed
   * downtime, throttled the guest, switched to post-copy, gave up trying,
   * or aborted at the completion timeout.
   *
   * Since: 0.1
   */
  signals[SIGNAL_POLICY_STEP] =
    g_signal_new ("policy-step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, KVMMIG_TYPE_POLICY_STEP);
}

static void
kvmmig_migration_job_init (KvmmigMigrationJob *self)
{
  _kvmmig_migration_options_init (&self->options);
  self->eta_ms = -1;
  self->downtime_ms = -1;
  self->total_ms = -1;
  self->checks = g_ptr_array_new_with_free_func (g_object_unref);
  self->steps = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ------------------------------------------------------------------ */
/* Construction and read-only state                                     */

/**
 * kvmmig_migration_job_new:
 * @source: the host the guest runs on
 * @destination: the host to move it to
 * @guest_name: the guest's name on @source
 *
 * Creates a migration job. Both hosts must be open when it runs.
 *
 * Returns: (transfer full): a new job
 *
 * Since: 0.1
 */
KvmmigMigrationJob *
kvmmig_migration_job_new (KvmmigHost *source,
                          KvmmigHost *destination,
                          const char *guest_name)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (source), NULL);
  g_return_val_if_fail (KVMMIG_IS_HOST (destination), NULL);
  g_return_val_if_fail (guest_name != NULL, NULL);

  return g_object_new (KVMMIG_TYPE_MIGRATION_JOB,
                       "source", source,
                       "destination", destination,
                       "guest-name", guest_name,
                       NULL);
}

/**
 * kvmmig_migration_job_get_source: (get-property source)
 * @self: a job
 *
 * Gets the source host.
 *
 * Returns: (transfer none): the source host
 *
 * Since: 0.1
 */
KvmmigHost *
kvmmig_migration_job_get_source (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), NULL);
  return self->source;
}

/**
 * kvmmig_migration_job_get_destination: (get-property destination)
 * @self: a job
 *
 * Gets the destination host.
 *
 * Returns: (transfer none): the destination host
 *
 * Since: 0.1
 */
KvmmigHost *
kvmmig_migration_job_get_destination (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), NULL);
  return self->destination;
}

/**
 * kvmmig_migration_job_get_guest_name: (get-property guest-name)
 * @self: a job
 *
 * Gets the guest's name.
 *
 * Returns: (transfer none): the guest's name
 *
 * Since: 0.1
 */
const char *
kvmmig_migration_job_get_guest_name (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), NULL);
  return self->guest_name;
}

/**
 * kvmmig_migration_job_get_state: (get-property state)
 * @self: a job
 *
 * Gets the job's state.
 *
 * Returns: the state
 *
 * Since: 0.1
 */
KvmmigMigrationState
kvmmig_migration_job_get_state (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), KVMMIG_MIGRATION_STATE_NEW);
  return self->state;
}

/**
 * kvmmig_migration_job_get_progress: (get-property progress)
 * @self: a job
 *
 * Gets how far the migration is.
 *
 * Returns: the progress, from 0.0 to 1.0
 *
 * Since: 0.1
 */
double
kvmmig_migration_job_get_progress (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0.0);
  return self->progress;
}

/**
 * kvmmig_migration_job_get_bytes_processed: (get-property bytes-processed)
 * @self: a job
 *
 * Gets the bytes sent so far.
 *
 * Returns: bytes sent
 *
 * Since: 0.1
 */
guint64
kvmmig_migration_job_get_bytes_processed (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->bytes_processed;
}

/**
 * kvmmig_migration_job_get_bytes_remaining: (get-property bytes-remaining)
 * @self: a job
 *
 * Gets the bytes still to send.
 *
 * Returns: bytes left
 *
 * Since: 0.1
 */
guint64
kvmmig_migration_job_get_bytes_remaining (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->bytes_remaining;
}

/**
 * kvmmig_migration_job_get_bytes_total: (get-property bytes-total)
 * @self: a job
 *
 * Gets the size of what the migration moves.
 *
 * Returns: bytes
 *
 * Since: 0.1
 */
guint64
kvmmig_migration_job_get_bytes_total (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->bytes_total;
}

/**
 * kvmmig_migration_job_get_bandwidth: (get-property bandwidth)
 * @self: a job
 *
 * Gets the rate memory is sent at.
 *
 * Returns: bytes per second
 *
 * Since: 0.1
 */
guint64
kvmmig_migration_job_get_bandwidth (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->bandwidth;
}

/**
 * kvmmig_migration_job_get_dirty_rate: (get-property dirty-rate)
 * @self: a job
 *
 * Gets the rate the guest dirties memory at.
 *
 * Returns: bytes per second
 *
 * Since: 0.1
 */
guint64
kvmmig_migration_job_get_dirty_rate (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->dirty_rate;
}

/**
 * kvmmig_migration_job_get_iteration: (get-property iteration)
 * @self: a job
 *
 * Gets the pre-copy pass.
 *
 * Returns: the pass, from 1; 0 before the migration started
 *
 * Since: 0.1
 */
guint
kvmmig_migration_job_get_iteration (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->iteration;
}

/**
 * kvmmig_migration_job_get_elapsed_ms: (get-property elapsed-ms)
 * @self: a job
 *
 * Gets the time since the job started.
 *
 * Returns: ms
 *
 * Since: 0.1
 */
gint64
kvmmig_migration_job_get_elapsed_ms (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->elapsed_ms;
}

/**
 * kvmmig_migration_job_get_eta_ms: (get-property eta-ms)
 * @self: a job
 *
 * Gets the estimated time left.
 *
 * Returns: ms, or -1 when unknown
 *
 * Since: 0.1
 */
gint64
kvmmig_migration_job_get_eta_ms (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), -1);
  return self->eta_ms;
}

/**
 * kvmmig_migration_job_get_downtime_ms: (get-property downtime-ms)
 * @self: a job
 *
 * Gets how long the guest was paused for the switchover.
 *
 * Returns: ms, or -1 until the job completed
 *
 * Since: 0.1
 */
gint64
kvmmig_migration_job_get_downtime_ms (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), -1);
  return self->downtime_ms;
}

/**
 * kvmmig_migration_job_get_total_ms: (get-property total-ms)
 * @self: a job
 *
 * Gets how long the job took.
 *
 * Returns: ms, or -1 until the job ended
 *
 * Since: 0.1
 */
gint64
kvmmig_migration_job_get_total_ms (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), -1);
  return self->total_ms;
}

/**
 * kvmmig_migration_job_get_guest_location: (get-property guest-location)
 * @self: a job
 *
 * Gets where the guest runs once the job ended.
 *
 * Returns: the location
 *
 * Since: 0.1
 */
KvmmigGuestLocation
kvmmig_migration_job_get_guest_location (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), KVMMIG_GUEST_LOCATION_UNKNOWN);
  return self->location;
}

/**
 * kvmmig_migration_job_get_error:
 * @self: a job
 *
 * Gets how the job's run failed, once it ended: the same error its
 * `run_finish` returned.
 *
 * Returns: (transfer none) (nullable): the error, or %NULL if the job
 *   completed or has not ended
 *
 * Since: 0.1
 */
const GError *
kvmmig_migration_job_get_error (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), NULL);
  return self->error;
}

/**
 * kvmmig_migration_job_get_checks:
 * @self: a job
 *
 * Gets the outcome of each pre-flight check of the last run or check, in
 * the order they ran.
 *
 * Returns: (transfer container) (element-type KvmmigCheck): the checks
 *
 * Since: 0.1
 */
GPtrArray *
kvmmig_migration_job_get_checks (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), NULL);
  return g_ptr_array_copy (self->checks, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
}

/**
 * kvmmig_migration_job_get_policy_steps:
 * @self: a job
 *
 * Gets every step the convergence policy took, in order.
 *
 * Returns: (transfer container) (element-type KvmmigPolicyStep): the steps
 *
 * Since: 0.1
 */
GPtrArray *
kvmmig_migration_job_get_policy_steps (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), NULL);
  return g_ptr_array_copy (self->steps, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
}

/* ------------------------------------------------------------------ */
/* Options                                                              */

#define RETURN_IF_STARTED(self)                                             \
  G_STMT_START {                                                            \
    if ((self)->busy || (self)->ran)                                        \
      {                                                                     \
        g_critical ("%s: the options of a migration job are set before "    \
                    "it runs", G_STRFUNC);                                  \
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
 * @self: a job that has not run
 * @mib_per_s: the limit in MiB/s, 0 for none, up to 1048576
 *
 * Sets the most bandwidth the migration may use. It is checked when the
 * job runs.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_bandwidth_limit (KvmmigMigrationJob *self,
                                          int                 mib_per_s)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  if (self->options.bandwidth_limit != mib_per_s)
    {
      self->options.bandwidth_limit = mib_per_s;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BANDWIDTH_LIMIT]);
    }
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
 * @self: a job that has not run
 * @ms: the limit, from 1 ms to 600000 (10 minutes)
 *
 * Sets the longest the guest may be paused for the switchover. It is
 * checked when the job runs.
 *
 * Since: 0.1
 */
void
kvmmig_migration_job_set_max_downtime_ms (KvmmigMigrationJob *self,
                                          int                 ms)
{
  g_return_if_fail (KVMMIG_IS_MIGRATION_JOB (self));
  RETURN_IF_STARTED (self);

  if (self->options.max_downtime_ms != ms)
    {
      self->options.max_downtime_ms = ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_DOWNTIME_MS]);
    }
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

  if (self->options.policy != policy)
    {
      self->options.policy = policy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
    }
}

/* The setters of the boolean options. */
static void
set_boolean_option (KvmmigMigrationJob *self,
                    gboolean           *field,
                    gboolean            value,
                    guint               prop)
{
  value = !!value;
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
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

  set_boolean_option (self, &self->options.allow_postcopy, allow, PROP_ALLOW_POSTCOPY);
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

  set_boolean_option (self, &self->options.persistent, persistent, PROP_PERSISTENT);
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

  set_boolean_option (self, &self->options.undefine_source, undefine, PROP_UNDEFINE_SOURCE);
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

  set_boolean_option (self, &self->options.tls, tls, PROP_TLS);
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

  if (self->options.parallel_connections != n)
    {
      self->options.parallel_connections = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARALLEL_CONNECTIONS]);
    }
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

  if (self->options.compression != compression)
    {
      self->options.compression = compression;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPRESSION]);
    }
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
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIGRATION_URI]);
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

  if (self->options.completion_timeout_ms != ms)
    {
      self->options.completion_timeout_ms = ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETION_TIMEOUT_MS]);
    }
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

  if (self->options.postcopy_recovery_timeout_ms != ms)
    {
      self->options.postcopy_recovery_timeout_ms = ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSTCOPY_RECOVERY_TIMEOUT_MS]);
    }
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
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
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

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);

  if (self->busy)
    {
      g_task_return_new_error (task, KVMMIG_ERROR, KVMMIG_ERROR_JOB_ACTIVE,
                               "%s: guest '%s': this job is already running",
                               kvmmig_host_get_uri (self->source), self->guest_name);
      return;
    }

  if (!check_only && self->ran)
    {
      g_task_return_new_error (task, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                               "%s: guest '%s': a migration job runs once; make a "
                               "new one", kvmmig_host_get_uri (self->source),
                               self->guest_name);
      return;
    }

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      /* Cancelled before it started: nothing was touched. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "%s: guest '%s': cancelled before the %s started; "
                               "nothing was changed", kvmmig_host_get_uri (self->source),
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
      self->ticker = g_timeout_source_new (250);
      g_source_set_callback (self->ticker, tick, self, NULL);
      g_source_set_static_name (self->ticker, "[kvmmig] job progress");
      g_source_attach (self->ticker, self->context);
    }

  g_object_freeze_notify (G_OBJECT (self));
  SET_AND_NOTIFY (self, state, KVMMIG_MIGRATION_STATE_CHECKING, PROP_STATE);
  SET_AND_NOTIFY (self, elapsed_ms, 0, PROP_ELAPSED_MS);
  g_object_thaw_notify (G_OBJECT (self));

  _kvmmig_migration_run_start (&input,
                               _kvmmig_job_update_sink_new (post_update, g_object_ref (self),
                                                            g_object_unref),
                               task);
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
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
  g_autoptr(KvmmigSync) sync = NULL;

  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* On a main context of its own, so that the job's signals are emitted
   * on the calling thread. */
  sync = _kvmmig_sync_new ();
  kvmmig_migration_job_run_async (self, cancellable, _kvmmig_sync_callback, sync);
  return kvmmig_migration_job_run_finish (self, _kvmmig_sync_wait (sync), error);
}

/**
 * kvmmig_migration_job_check_async:
 * @self: a job
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called when the checks are done
 * @user_data: data for @callback
 *
 * Runs the pre-flight checks alone; nothing is migrated or changed. The
 * outcome of each check is then in
 * [method@Kvmmig.MigrationJob.get_checks]. The job's state returns to
 * %KVMMIG_MIGRATION_STATE_NEW, and it can still run.
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
 * @self: a job
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
  g_autoptr(KvmmigSync) sync = NULL;

  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sync = _kvmmig_sync_new ();
  kvmmig_migration_job_check_async (self, cancellable, _kvmmig_sync_callback, sync);
  return kvmmig_migration_job_check_finish (self, _kvmmig_sync_wait (sync), error);
}
