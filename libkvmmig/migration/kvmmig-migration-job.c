/* kvmmig-migration-job.c: KvmmigMigrationJob, the public face of one live
 * migration: the class, its properties and signals, construction and the
 * read-only state. Its options are in kvmmig-migration-job-options.c, its
 * run and check entry points in kvmmig-migration-job-running.c; the work
 * itself is done by kvmmig-migration-run.c, which reports back through
 * the update sink the job gives it (see kvmmig-job-update-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-enum-types.h"
#include "kvmmig-host.h"
#include "kvmmig-migration-job-impl-private.h"

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
 * emitted as [signal@Kvmmig.MigrationJob::policy-step]. A job runs once,
 * and keeps the outcome of its run: it cannot be checked again after it.
 *
 * ## Before anything moves
 *
 * The job first runs its pre-flight checks (also available alone, as
 * [method@Kvmmig.MigrationJob.check_async]): the guest exists and runs on
 * the source; the destination answers and is another host; no other job
 * runs on the guest; no cluster manager owns the guest (`cluster-managed`:
 * the resource agent `ocf:kvmmig:guest` marked it, unless
 * [property@Kvmmig.MigrationJob:allow-cluster-managed] is set); no guest of that name or UUID is on the destination;
 * the destination has the memory free; it can run the guest's CPU; it sees
 * every disk of the guest at the same path or network source (its storage
 * pools are refreshed to find out); every writable disk uses a cache mode
 * safe for migration; both hosts run a libvirt lock manager for the
 * guest's shared disks (`disk-locking`, a warning unless
 * [property@Kvmmig.MigrationJob:require-disk-locking] is set); and
 * post-copy, if allowed, is supported there. Each
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
 * ends %KVMMIG_MIGRATION_STATE_CANCELLED with %G_IO_ERROR_CANCELLED.
 *
 * A cancel that comes before the migration started (while the checks run)
 * ends the job %KVMMIG_MIGRATION_STATE_CANCELLED with
 * %G_IO_ERROR_CANCELLED ("cancelled before the migration started; nothing
 * was changed"), with the checks that ran in
 * [method@Kvmmig.MigrationJob.get_checks]. So does a cancel that comes
 * after a run ended before its migration started (a check failed), as long
 * as the run's callback has not been called yet: what the job ends with
 * does not depend on which came first. Its state, its error and the result
 * of [method@Kvmmig.MigrationJob.run_finish] always agree. A cancellable
 * already cancelled when `run_async` is called fails the call at once, and
 * the job stays %KVMMIG_MIGRATION_STATE_NEW.
 *
 * Once post-copy has started the guest already runs on the destination,
 * and the migration can no longer be cancelled; it completes, and the
 * cancel is dropped. While post-copy is interrupted
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
G_DEFINE_FINAL_TYPE (KvmmigMigrationJob, kvmmig_migration_job, G_TYPE_OBJECT)

enum {
  SIGNAL_PROGRESS,
  SIGNAL_POLICY_STEP,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
_kvmmig_migration_job_notify (KvmmigMigrationJob *self,
                              guint               prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
_kvmmig_migration_job_emit_progress (KvmmigMigrationJob *self)
{
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
}

void
_kvmmig_migration_job_emit_policy_step (KvmmigMigrationJob *self,
                                        KvmmigPolicyStep   *step)
{
  g_signal_emit (self, signals[SIGNAL_POLICY_STEP], 0, step);
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
  g_clear_object (&self->task);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  if (self->ticker != NULL)
    g_source_destroy (self->ticker);
  g_clear_pointer (&self->ticker, g_source_unref);
  g_clear_pointer (&self->tuning, _kvmmig_migration_tuning_unref);
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
    case PROP_PROGRESS:         g_value_set_double (value, self->stats.progress); break;
    case PROP_BYTES_PROCESSED:  g_value_set_uint64 (value, self->stats.bytes_processed); break;
    case PROP_BYTES_REMAINING:  g_value_set_uint64 (value, self->stats.bytes_remaining); break;
    case PROP_BYTES_TOTAL:      g_value_set_uint64 (value, self->stats.bytes_total); break;
    case PROP_BANDWIDTH:        g_value_set_uint64 (value, self->stats.bandwidth); break;
    case PROP_DIRTY_RATE:       g_value_set_uint64 (value, self->stats.dirty_rate); break;
    case PROP_ITERATION:        g_value_set_uint (value, self->stats.iteration); break;
    case PROP_ELAPSED_MS:       g_value_set_int64 (value, self->elapsed_ms); break;
    case PROP_ETA_MS:           g_value_set_int64 (value, self->stats.eta_ms); break;
    case PROP_DOWNTIME_MS:      g_value_set_int64 (value, self->downtime_ms); break;
    case PROP_TOTAL_MS:         g_value_set_int64 (value, self->total_ms); break;
    case PROP_GUEST_LOCATION:   g_value_set_enum (value, self->location); break;
    case PROP_DISK_BYTES_PROCESSED: g_value_set_uint64 (value, self->stats.disk_bytes_processed); break;
    case PROP_DISK_BYTES_REMAINING: g_value_set_uint64 (value, self->stats.disk_bytes_remaining); break;
    case PROP_DISK_BYTES_TOTAL: g_value_set_uint64 (value, self->stats.disk_bytes_total); break;
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
    case PROP_REQUIRE_DISK_LOCKING:
      g_value_set_boolean (value, self->options.require_disk_locking);
      break;
    case PROP_COPY_STORAGE:     g_value_set_enum (value, self->options.copy_storage); break;
    case PROP_COPY_STORAGE_POOL: g_value_set_string (value, self->options.copy_storage_pool); break;
    case PROP_REUSE_DESTINATION_DISKS:
      g_value_set_boolean (value, self->options.reuse_destination_disks);
      break;
    case PROP_ALLOW_CLUSTER_MANAGED:
      g_value_set_boolean (value, self->options.allow_cluster_managed);
      break;
    case PROP_REMOVE_SOURCE_DISKS:
      g_value_set_boolean (value, self->options.remove_source_disks);
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
    case PROP_REQUIRE_DISK_LOCKING:
      kvmmig_migration_job_set_require_disk_locking (self, g_value_get_boolean (value));
      break;
    case PROP_COPY_STORAGE:
      kvmmig_migration_job_set_copy_storage (self, g_value_get_enum (value));
      break;
    case PROP_COPY_STORAGE_POOL:
      kvmmig_migration_job_set_copy_storage_pool (self, g_value_get_string (value));
      break;
    case PROP_REUSE_DESTINATION_DISKS:
      kvmmig_migration_job_set_reuse_destination_disks (self, g_value_get_boolean (value));
      break;
    case PROP_ALLOW_CLUSTER_MANAGED:
      kvmmig_migration_job_set_allow_cluster_managed (self, g_value_get_boolean (value));
      break;
    case PROP_REMOVE_SOURCE_DISKS:
      kvmmig_migration_job_set_remove_source_disks (self, g_value_get_boolean (value));
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
   * The guest on the source host, as the job was given it: its name, or
   * its UUID or ID, which the job looks up as virsh does (an ID first if
   * it is a number, then a UUID, then a name); the checks and messages
   * then use its name.
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
   * post-copy alike (libvirt's `bandwidth` and, when post-copy is allowed
   * or the policy is %KVMMIG_MIGRATION_POLICY_POSTCOPY,
   * `bandwidth.postcopy`, also while a post-copy migration is resumed);
   * 0 for no limit, up to 1048576 (1 TiB/s). A value out
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
                                                       KVMMIG_MIGRATION_DEFAULT_MAX_DOWNTIME_MS, rw);

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

  /**
   * KvmmigMigrationJob:require-disk-locking: (getter get_require_disk_locking) (setter set_require_disk_locking)
   *
   * Whether the pre-flight check `disk-locking` fails, instead of warning,
   * when it finds that a host has no lock manager for the guest's shared
   * disks (or cannot tell): the job then fails with
   * %KVMMIG_ERROR_NO_DISK_LOCKING and nothing moves. See `doc/storage.md`
   * for what the check can and cannot see.
   *
   * Since: 0.2
   */
  properties[PROP_REQUIRE_DISK_LOCKING] =
    g_param_spec_boolean ("require-disk-locking", NULL, NULL, FALSE, rw);

  /**
   * KvmmigMigrationJob:allow-cluster-managed: (getter get_allow_cluster_managed) (setter set_allow_cluster_managed)
   *
   * Whether the job migrates a guest that a cluster manager owns (one that
   * the OCF resource agent `ocf:kvmmig:guest` started and marked with
   * %KVMMIG_CLUSTER_METADATA_NS). %FALSE (the default): the pre-flight
   * check `cluster-managed` fails with %KVMMIG_ERROR_CLUSTER_MANAGED and
   * names the cluster's own command to move it; a guest moved behind
   * Pacemaker's back runs where the cluster does not expect it, which
   * Pacemaker takes as a failure and "recovers" by starting it again
   * elsewhere. The agent itself sets it. See `doc/cluster.md`.
   *
   * Since: 0.2
   */
  properties[PROP_ALLOW_CLUSTER_MANAGED] =
    g_param_spec_boolean ("allow-cluster-managed", NULL, NULL, FALSE, rw);

  /**
   * KvmmigMigrationJob:disk-bytes-processed: (getter get_disk_bytes_processed)
   *
   * With [property@Kvmmig.MigrationJob:copy-storage], the bytes of the
   * guest's disks copied so far (what the guest wrote meanwhile and was
   * copied again included); 0 otherwise.
   *
   * Since: 0.2
   */
  properties[PROP_DISK_BYTES_PROCESSED] = g_param_spec_uint64 ("disk-bytes-processed", NULL, NULL,
                                                               0, G_MAXUINT64, 0, ro);

  /**
   * KvmmigMigrationJob:disk-bytes-remaining: (getter get_disk_bytes_remaining)
   *
   * With [property@Kvmmig.MigrationJob:copy-storage], the bytes of the
   * guest's disks still to copy, as libvirt last reported it; it grows
   * when the guest writes its disks faster than they are copied.
   *
   * Since: 0.2
   */
  properties[PROP_DISK_BYTES_REMAINING] = g_param_spec_uint64 ("disk-bytes-remaining", NULL, NULL,
                                                               0, G_MAXUINT64, 0, ro);

  /**
   * KvmmigMigrationJob:disk-bytes-total: (getter get_disk_bytes_total)
   *
   * With [property@Kvmmig.MigrationJob:copy-storage], the size of what the
   * disk copy moves, in bytes; 0 otherwise.
   *
   * Since: 0.2
   */
  properties[PROP_DISK_BYTES_TOTAL] = g_param_spec_uint64 ("disk-bytes-total", NULL, NULL,
                                                           0, G_MAXUINT64, 0, ro);

  /**
   * KvmmigMigrationJob:copy-storage: (getter get_copy_storage) (setter set_copy_storage)
   *
   * Which disks the job copies to the destination while the guest runs,
   * for hosts that share no storage. %KVMMIG_STORAGE_COPY_NONE (the
   * default): none, the disks are on storage both hosts see.
   * %KVMMIG_STORAGE_COPY_ALL: every writable disk that is not on a shared
   * store (a network disk or a pool of a network kind the destination
   * sees), whole. %KVMMIG_STORAGE_COPY_INCREMENTAL: the same disks, but only
   * what their top image holds (the destination must have their backing
   * images).
   *
   * The pre-flight check `copy-storage` says, disk by disk, what is copied
   * and where it goes, and fails before anything is created when no pool
   * of the destination fits, when it has not enough space, when a file is
   * already there (see [property@Kvmmig.MigrationJob:reuse-destination-disks])
   * or when a disk cannot be copied. The job creates the missing volumes
   * on the destination (same size and format) before the migration, and
   * removes them again when the migration fails or is cancelled.
   *
   * Since: 0.2
   */
  properties[PROP_COPY_STORAGE] = g_param_spec_enum ("copy-storage", NULL, NULL,
                                                     KVMMIG_TYPE_STORAGE_COPY,
                                                     KVMMIG_STORAGE_COPY_NONE, rw);

  /**
   * KvmmigMigrationJob:copy-storage-pool: (getter get_copy_storage_pool) (setter set_copy_storage_pool)
   *
   * The destination's storage pool in which the job creates the disks it
   * copies. %NULL (the default): the destination's pool whose target path
   * is the directory of the source's disk, so that the disk keeps its
   * path. A pool with another target path must be a directory pool; the
   * guest then runs on the destination from its disk's new path there.
   *
   * Since: 0.2
   */
  properties[PROP_COPY_STORAGE_POOL] = g_param_spec_string ("copy-storage-pool", NULL, NULL,
                                                            NULL, rw);

  /**
   * KvmmigMigrationJob:reuse-destination-disks: (getter get_reuse_destination_disks) (setter set_reuse_destination_disks)
   *
   * Whether a disk file that is already on the destination, where a copied
   * disk goes, is copied over (it must be at least as large). %FALSE (the
   * default): the pre-flight check `copy-storage` fails with
   * %KVMMIG_ERROR_VOLUME_EXISTS. Such a file is never removed by the job.
   *
   * Since: 0.2
   */
  properties[PROP_REUSE_DESTINATION_DISKS] =
    g_param_spec_boolean ("reuse-destination-disks", NULL, NULL, FALSE, rw);

  /**
   * KvmmigMigrationJob:remove-source-disks: (getter get_remove_source_disks) (setter set_remove_source_disks)
   *
   * Whether, once the guest runs on the destination, the job deletes the
   * source's copies of the disks it copied (volumes of a storage pool
   * only). %FALSE (the default): they stay where they are.
   *
   * Since: 0.2
   */
  properties[PROP_REMOVE_SOURCE_DISKS] =
    g_param_spec_boolean ("remove-source-disks", NULL, NULL, FALSE, rw);

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
  self->stats.eta_ms = -1;
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
 * @guest_name: the guest on @source: its name, UUID or ID
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
  return self->stats.progress;
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
  return self->stats.bytes_processed;
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
  return self->stats.bytes_remaining;
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
  return self->stats.bytes_total;
}

/**
 * kvmmig_migration_job_get_disk_bytes_processed: (get-property disk-bytes-processed)
 * @self: a job
 *
 * Gets the bytes of the guest's disks copied so far, with [property@Kvmmig.MigrationJob:copy-storage].
 *
 * Returns: bytes; 0 when no disk is copied
 *
 * Since: 0.2
 */
guint64
kvmmig_migration_job_get_disk_bytes_processed (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->stats.disk_bytes_processed;
}

/**
 * kvmmig_migration_job_get_disk_bytes_remaining: (get-property disk-bytes-remaining)
 * @self: a job
 *
 * Gets the bytes of the guest's disks still to copy, with [property@Kvmmig.MigrationJob:copy-storage].
 *
 * Returns: bytes; 0 when no disk is copied
 *
 * Since: 0.2
 */
guint64
kvmmig_migration_job_get_disk_bytes_remaining (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->stats.disk_bytes_remaining;
}

/**
 * kvmmig_migration_job_get_disk_bytes_total: (get-property disk-bytes-total)
 * @self: a job
 *
 * Gets the size of what the disk copy moves, with [property@Kvmmig.MigrationJob:copy-storage].
 *
 * Returns: bytes; 0 when no disk is copied
 *
 * Since: 0.2
 */
guint64
kvmmig_migration_job_get_disk_bytes_total (KvmmigMigrationJob *self)
{
  g_return_val_if_fail (KVMMIG_IS_MIGRATION_JOB (self), 0);
  return self->stats.disk_bytes_total;
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
  return self->stats.bandwidth;
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
  return self->stats.dirty_rate;
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
  return self->stats.iteration;
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
  return self->stats.eta_ms;
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
