/* kvmmig-evacuation.c: KvmmigEvacuation, every running guest of a host
 * migrated away, a few at a time, each to the destination with the most
 * free memory that passes its pre-flight checks: the class, its
 * properties and signals, construction, its options and state. The run
 * is in kvmmig-evacuation-running.c, where each guest goes in
 * kvmmig-placement.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-enum-types.h"
#include "kvmmig-evacuation-private.h"

#define DEFAULT_MAX_PER_SOURCE 2
#define DEFAULT_MAX_PER_DESTINATION 2
#define MAX_CONCURRENCY 64

/**
 * KvmmigEvacuation:
 *
 * Empties a host: migrates every guest running on it to one or more
 * destination hosts, as administrators do before maintenance.
 *
 * Guests are taken largest first. Each goes to the destination that has
 * the most memory free and passes the guest's pre-flight checks; a
 * destination that fails a check specific to it (memory, CPU, storage, a
 * guest of that name there) is skipped for that guest and the next one is
 * tried.
 *
 * Memory is never promised twice: each destination's free memory is read
 * when the evacuation starts, and every guest sent there counts at its
 * full memory, from the moment it is chosen (a guest on its way is not yet
 * in the host's own figure, and one that arrived may not have touched all
 * its memory yet); a guest that failed gives it back, unless it is not on
 * the source either. A guest that fits no free destination waits while one
 * that would fit is busy, or while one would fit if a migration on its way
 * there failed; smaller guests may start meanwhile. One that fits nowhere
 * at all ends %KVMMIG_ERROR_INSUFFICIENT_MEMORY, with the figures in its
 * error. Destinations that do not say how much memory they have free come
 * after those that have room, and get no such budget; those whose free
 * memory could not be read come last.
 *
 * At most [property@Kvmmig.Evacuation:max-per-source] migrations run at
 * once, and at most [property@Kvmmig.Evacuation:max-per-destination] into
 * any one destination: 2 and 2 by default, as oVirt does (Nova runs one
 * at a time per host by default, KubeVirt two per node). The migrations
 * use [property@Kvmmig.Evacuation:policy], and TLS if
 * [property@Kvmmig.Evacuation:tls] is set.
 *
 * A guest that cannot be moved does not stop the others. When the
 * evacuation ends, [method@Kvmmig.Evacuation.get_jobs] has one
 * [class@Kvmmig.MigrationJob] per guest whose migration started, whose
 * state, guest location and error say what happened to it; a guest whose
 * migration never started (the evacuation was cancelled first) has none,
 * and still runs on the source ([method@Kvmmig.Evacuation.get_guests]
 * lists them all). [property@Kvmmig.Evacuation:progress] is
 * the aggregate, weighted by guest memory.
 *
 * Cancelling the run's cancellable cancels the migrations under way (their
 * guests stay on the source) and starts no more.
 *
 * Signals and notifications happen on the thread-default main context of
 * the thread that called [method@Kvmmig.Evacuation.run_async].
 *
 * Since: 0.1
 */

G_DEFINE_FINAL_TYPE (KvmmigEvacuation, kvmmig_evacuation, G_TYPE_OBJECT)

enum {
  SIGNAL_PROGRESS,
  SIGNAL_JOB_STARTED,
  SIGNAL_JOB_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
_kvmmig_evacuation_notify (KvmmigEvacuation *self,
                           guint             prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
_kvmmig_evacuation_emit_progress (KvmmigEvacuation *self)
{
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
}

void
_kvmmig_evacuation_emit_job_started (KvmmigEvacuation   *self,
                                     KvmmigMigrationJob *job,
                                     KvmmigHost         *destination)
{
  g_signal_emit (self, signals[SIGNAL_JOB_STARTED], 0, job, destination);
}

void
_kvmmig_evacuation_emit_job_finished (KvmmigEvacuation   *self,
                                      KvmmigMigrationJob *job)
{
  g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, job);
}

static void
slot_free (Slot *slot)
{
  if (slot->job != NULL && slot->progress_handler != 0)
    g_signal_handler_disconnect (slot->job, slot->progress_handler);
  g_clear_object (&slot->job);
  g_clear_object (&slot->guest);
  g_free (slot->rejected);
  g_free (slot);
}

static void
kvmmig_evacuation_finalize (GObject *object)
{
  KvmmigEvacuation *self = KVMMIG_EVACUATION (object);

  g_clear_object (&self->source);
  g_clear_pointer (&self->destinations, g_ptr_array_unref);
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  g_clear_pointer (&self->dests, g_free);
  g_clear_error (&self->setup_error);

  G_OBJECT_CLASS (kvmmig_evacuation_parent_class)->finalize (object);
}

static void
kvmmig_evacuation_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KvmmigEvacuation *self = KVMMIG_EVACUATION (object);

  switch (prop_id)
    {
    case PROP_SOURCE:              g_value_set_object (value, self->source); break;
    case PROP_MAX_PER_SOURCE:      g_value_set_uint (value, self->max_per_source); break;
    case PROP_MAX_PER_DESTINATION: g_value_set_uint (value, self->max_per_destination); break;
    case PROP_BANDWIDTH_LIMIT:     g_value_set_uint (value, self->bandwidth_limit); break;
    case PROP_ALLOW_POSTCOPY:      g_value_set_boolean (value, self->allow_postcopy); break;
    case PROP_POLICY:              g_value_set_enum (value, self->policy); break;
    case PROP_TLS:                 g_value_set_boolean (value, self->tls); break;
    case PROP_REQUIRE_DISK_LOCKING: g_value_set_boolean (value, self->require_disk_locking); break;
    case PROP_ALLOW_CLUSTER_MANAGED: g_value_set_boolean (value, self->allow_cluster_managed); break;
    case PROP_STATE:               g_value_set_enum (value, self->state); break;
    case PROP_PROGRESS:            g_value_set_double (value, self->progress); break;
    case PROP_GUESTS_TOTAL:        g_value_set_uint (value, kvmmig_evacuation_get_guests_total (self)); break;
    case PROP_GUESTS_MOVED:        g_value_set_uint (value, self->guests_moved); break;
    case PROP_GUESTS_FAILED:       g_value_set_uint (value, self->guests_failed); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_evacuation_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KvmmigEvacuation *self = KVMMIG_EVACUATION (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      self->source = g_value_dup_object (value);
      break;
    case PROP_MAX_PER_SOURCE:
      kvmmig_evacuation_set_max_per_source (self, g_value_get_uint (value));
      break;
    case PROP_MAX_PER_DESTINATION:
      kvmmig_evacuation_set_max_per_destination (self, g_value_get_uint (value));
      break;
    case PROP_BANDWIDTH_LIMIT:
      kvmmig_evacuation_set_bandwidth_limit (self, g_value_get_uint (value));
      break;
    case PROP_ALLOW_POSTCOPY:
      kvmmig_evacuation_set_allow_postcopy (self, g_value_get_boolean (value));
      break;
    case PROP_POLICY:
      kvmmig_evacuation_set_policy (self, g_value_get_enum (value));
      break;
    case PROP_TLS:
      kvmmig_evacuation_set_tls (self, g_value_get_boolean (value));
      break;
    case PROP_REQUIRE_DISK_LOCKING:
      kvmmig_evacuation_set_require_disk_locking (self, g_value_get_boolean (value));
      break;
    case PROP_ALLOW_CLUSTER_MANAGED:
      kvmmig_evacuation_set_allow_cluster_managed (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_evacuation_class_init (KvmmigEvacuationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kvmmig_evacuation_finalize;
  object_class->get_property = kvmmig_evacuation_get_property;
  object_class->set_property = kvmmig_evacuation_set_property;

  /**
   * KvmmigEvacuation:source: (getter get_source)
   *
   * The host to empty.
   *
   * Since: 0.1
   */
  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, KVMMIG_TYPE_HOST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * KvmmigEvacuation:max-per-source: (getter get_max_per_source) (setter set_max_per_source)
   *
   * The most migrations out of the source at once.
   *
   * Since: 0.1
   */
  properties[PROP_MAX_PER_SOURCE] =
    g_param_spec_uint ("max-per-source", NULL, NULL, 1, MAX_CONCURRENCY,
                       DEFAULT_MAX_PER_SOURCE, rw);

  /**
   * KvmmigEvacuation:max-per-destination: (getter get_max_per_destination) (setter set_max_per_destination)
   *
   * The most migrations into any one destination at once.
   *
   * Since: 0.1
   */
  properties[PROP_MAX_PER_DESTINATION] =
    g_param_spec_uint ("max-per-destination", NULL, NULL, 1, MAX_CONCURRENCY,
                       DEFAULT_MAX_PER_DESTINATION, rw);

  /**
   * KvmmigEvacuation:bandwidth-limit: (getter get_bandwidth_limit) (setter set_bandwidth_limit)
   *
   * The bandwidth limit of each migration, in MiB/s (0 for none); see
   * [property@Kvmmig.MigrationJob:bandwidth-limit].
   *
   * Since: 0.1
   */
  properties[PROP_BANDWIDTH_LIMIT] =
    g_param_spec_uint ("bandwidth-limit", NULL, NULL, 0, 1024 * 1024, 0, rw);

  /**
   * KvmmigEvacuation:allow-postcopy: (getter get_allow_postcopy) (setter set_allow_postcopy)
   *
   * Whether each migration may switch to post-copy; see
   * [property@Kvmmig.MigrationJob:allow-postcopy].
   *
   * Since: 0.1
   */
  properties[PROP_ALLOW_POSTCOPY] =
    g_param_spec_boolean ("allow-postcopy", NULL, NULL, FALSE, rw);

  /**
   * KvmmigEvacuation:policy: (getter get_policy) (setter set_policy)
   *
   * The convergence policy of each migration; see
   * [property@Kvmmig.MigrationJob:policy].
   *
   * Since: 0.1
   */
  properties[PROP_POLICY] =
    g_param_spec_enum ("policy", NULL, NULL, KVMMIG_TYPE_MIGRATION_POLICY,
                       KVMMIG_MIGRATION_POLICY_AUTO, rw);

  /**
   * KvmmigEvacuation:tls: (getter get_tls) (setter set_tls)
   *
   * Whether each migration's stream is encrypted with TLS; see
   * [property@Kvmmig.MigrationJob:tls]. An evacuation moves every guest of
   * a host across the network, so set this unless that network is trusted.
   *
   * Since: 0.1
   */
  properties[PROP_TLS] = g_param_spec_boolean ("tls", NULL, NULL, FALSE, rw);

  /**
   * KvmmigEvacuation:require-disk-locking: (getter get_require_disk_locking) (setter set_require_disk_locking)
   *
   * Whether each migration's pre-flight check `disk-locking` fails, instead
   * of warning, when a host has no lock manager for the guest's shared
   * disks; see [property@Kvmmig.MigrationJob:require-disk-locking]. Such a
   * guest then fails with %KVMMIG_ERROR_NO_DISK_LOCKING and stays on the
   * source.
   *
   * Since: 0.2
   */
  properties[PROP_REQUIRE_DISK_LOCKING] =
    g_param_spec_boolean ("require-disk-locking", NULL, NULL, FALSE, rw);

  /**
   * KvmmigEvacuation:allow-cluster-managed: (getter get_allow_cluster_managed) (setter set_allow_cluster_managed)
   *
   * Whether the evacuation migrates guests that a cluster manager owns;
   * see [property@Kvmmig.MigrationJob:allow-cluster-managed]. %FALSE (the
   * default): such a guest fails with %KVMMIG_ERROR_CLUSTER_MANAGED and
   * stays on the source; a host of a Pacemaker cluster is emptied by
   * putting it in standby, which moves them through the cluster.
   *
   * Since: 0.2
   */
  properties[PROP_ALLOW_CLUSTER_MANAGED] =
    g_param_spec_boolean ("allow-cluster-managed", NULL, NULL, FALSE, rw);

  /**
   * KvmmigEvacuation:state: (getter get_state)
   *
   * Where the evacuation is: %KVMMIG_MIGRATION_STATE_CHECKING while it
   * lists guests and destinations, %KVMMIG_MIGRATION_STATE_MIGRATING while
   * guests move, then %KVMMIG_MIGRATION_STATE_COMPLETED (every guest
   * moved), %KVMMIG_MIGRATION_STATE_FAILED (some did not) or
   * %KVMMIG_MIGRATION_STATE_CANCELLED.
   *
   * Since: 0.1
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, KVMMIG_TYPE_MIGRATION_STATE,
                       KVMMIG_MIGRATION_STATE_NEW, ro);

  /**
   * KvmmigEvacuation:progress: (getter get_progress)
   *
   * How far the evacuation is, from 0.0 to 1.0: the guests' progress
   * weighted by their memory; a guest that failed counts as done.
   *
   * Since: 0.1
   */
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0, ro);

  /**
   * KvmmigEvacuation:guests-total: (getter get_guests_total)
   *
   * The number of running guests found on the source.
   *
   * Since: 0.1
   */
  properties[PROP_GUESTS_TOTAL] = g_param_spec_uint ("guests-total", NULL, NULL,
                                                     0, G_MAXUINT, 0, ro);

  /**
   * KvmmigEvacuation:guests-moved: (getter get_guests_moved)
   *
   * The number of guests that now run on a destination.
   *
   * Since: 0.1
   */
  properties[PROP_GUESTS_MOVED] = g_param_spec_uint ("guests-moved", NULL, NULL,
                                                     0, G_MAXUINT, 0, ro);

  /**
   * KvmmigEvacuation:guests-failed: (getter get_guests_failed)
   *
   * The number of guests that could not be moved.
   *
   * Since: 0.1
   */
  properties[PROP_GUESTS_FAILED] = g_param_spec_uint ("guests-failed", NULL, NULL,
                                                      0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KvmmigEvacuation::progress:
   * @self: the evacuation
   *
   * Emitted when [property@Kvmmig.Evacuation:progress] may have changed:
   * whenever one of its jobs emits [signal@Kvmmig.MigrationJob::progress].
   *
   * Since: 0.1
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * KvmmigEvacuation::job-started:
   * @self: the evacuation
   * @job: the guest's migration job, as it starts
   * @destination: where it goes
   *
   * Emitted when a guest's migration starts: after its checks passed on
   * @destination, or, when no destination took it, on the last one tried
   * (the run then fails its checks, and its error says why).
   *
   * Since: 0.1
   */
  signals[SIGNAL_JOB_STARTED] =
    g_signal_new ("job-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  KVMMIG_TYPE_MIGRATION_JOB, KVMMIG_TYPE_HOST);

  /**
   * KvmmigEvacuation::job-finished:
   * @self: the evacuation
   * @job: the guest's migration job, ended
   *
   * Emitted when a guest's migration ended, or when no destination would
   * take the guest; the job's state and error say which. The evacuation's
   * counts and progress already include it. A guest whose migration never
   * started (the evacuation was cancelled first) has no job and no
   * signal; see [method@Kvmmig.Evacuation.get_guests].
   *
   * Since: 0.1
   */
  signals[SIGNAL_JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, KVMMIG_TYPE_MIGRATION_JOB);
}

static void
kvmmig_evacuation_init (KvmmigEvacuation *self)
{
  self->destinations = g_ptr_array_new_with_free_func (g_object_unref);
  self->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_free);
  self->max_per_source = DEFAULT_MAX_PER_SOURCE;
  self->max_per_destination = DEFAULT_MAX_PER_DESTINATION;
  self->policy = KVMMIG_MIGRATION_POLICY_AUTO;
}

/* ------------------------------------------------------------------ */

/**
 * kvmmig_evacuation_new:
 * @source: the host to empty
 * @destinations: (array length=n_destinations): the hosts its guests may go to
 * @n_destinations: the number of destinations, at least one
 *
 * Creates an evacuation of @source. All the hosts must be open when it
 * runs.
 *
 * Returns: (transfer full): a new evacuation
 *
 * Since: 0.1
 */
KvmmigEvacuation *
kvmmig_evacuation_new (KvmmigHost        *source,
                       KvmmigHost * const *destinations,
                       guint              n_destinations)
{
  KvmmigEvacuation *self;

  g_return_val_if_fail (KVMMIG_IS_HOST (source), NULL);
  g_return_val_if_fail (destinations != NULL, NULL);
  g_return_val_if_fail (n_destinations > 0, NULL);
  for (guint i = 0; i < n_destinations; i++)
    g_return_val_if_fail (KVMMIG_IS_HOST (destinations[i]), NULL);

  self = g_object_new (KVMMIG_TYPE_EVACUATION, "source", source, NULL);
  for (guint i = 0; i < n_destinations; i++)
    g_ptr_array_add (self->destinations, g_object_ref (destinations[i]));

  return self;
}

/**
 * kvmmig_evacuation_get_source: (get-property source)
 * @self: an evacuation
 *
 * Gets the host to empty.
 *
 * Returns: (transfer none): the source
 *
 * Since: 0.1
 */
KvmmigHost *
kvmmig_evacuation_get_source (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), NULL);
  return self->source;
}

/**
 * kvmmig_evacuation_get_destinations:
 * @self: an evacuation
 *
 * Gets the hosts the guests may go to.
 *
 * Returns: (transfer container) (element-type KvmmigHost): the destinations
 *
 * Since: 0.1
 */
GPtrArray *
kvmmig_evacuation_get_destinations (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), NULL);
  return g_ptr_array_copy (self->destinations, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
}

#define RETURN_IF_RUNNING(self)                                             \
  G_STMT_START {                                                            \
    if ((self)->task != NULL || (self)->state != KVMMIG_MIGRATION_STATE_NEW) \
      {                                                                     \
        g_critical ("%s: the options of an evacuation are set before it "   \
                    "runs", G_STRFUNC);                                     \
        return;                                                             \
      }                                                                     \
  } G_STMT_END

/* The setters of the numeric options. */
static void
set_uint_option (KvmmigEvacuation *self,
                 guint            *field,
                 guint             value,
                 guint             prop)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

/**
 * kvmmig_evacuation_get_max_per_source: (get-property max-per-source)
 * @self: an evacuation
 *
 * Gets the most migrations out of the source at once.
 *
 * Returns: the limit
 *
 * Since: 0.1
 */
guint
kvmmig_evacuation_get_max_per_source (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), 0);
  return self->max_per_source;
}

/**
 * kvmmig_evacuation_set_max_per_source: (set-property max-per-source)
 * @self: an evacuation that has not run
 * @n: the limit, from 1 to 64
 *
 * Sets the most migrations out of the source at once.
 *
 * Since: 0.1
 */
void
kvmmig_evacuation_set_max_per_source (KvmmigEvacuation *self,
                                      guint             n)
{
  g_return_if_fail (KVMMIG_IS_EVACUATION (self));
  g_return_if_fail (n >= 1 && n <= MAX_CONCURRENCY);
  RETURN_IF_RUNNING (self);

  set_uint_option (self, &self->max_per_source, n, PROP_MAX_PER_SOURCE);
}

/**
 * kvmmig_evacuation_get_max_per_destination: (get-property max-per-destination)
 * @self: an evacuation
 *
 * Gets the most migrations into one destination at once.
 *
 * Returns: the limit
 *
 * Since: 0.1
 */
guint
kvmmig_evacuation_get_max_per_destination (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), 0);
  return self->max_per_destination;
}

/**
 * kvmmig_evacuation_set_max_per_destination: (set-property max-per-destination)
 * @self: an evacuation that has not run
 * @n: the limit, from 1 to 64
 *
 * Sets the most migrations into one destination at once.
 *
 * Since: 0.1
 */
void
kvmmig_evacuation_set_max_per_destination (KvmmigEvacuation *self,
                                           guint             n)
{
  g_return_if_fail (KVMMIG_IS_EVACUATION (self));
  g_return_if_fail (n >= 1 && n <= MAX_CONCURRENCY);
  RETURN_IF_RUNNING (self);

  set_uint_option (self, &self->max_per_destination, n, PROP_MAX_PER_DESTINATION);
}

/**
 * kvmmig_evacuation_get_bandwidth_limit: (get-property bandwidth-limit)
 * @self: an evacuation
 *
 * Gets the bandwidth limit of each migration.
 *
 * Returns: MiB/s, 0 for none
 *
 * Since: 0.1
 */
guint
kvmmig_evacuation_get_bandwidth_limit (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), 0);
  return self->bandwidth_limit;
}

/**
 * kvmmig_evacuation_set_bandwidth_limit: (set-property bandwidth-limit)
 * @self: an evacuation that has not run
 * @mib_per_s: MiB/s, 0 for none
 *
 * Sets the bandwidth limit of each migration.
 *
 * Since: 0.1
 */
void
kvmmig_evacuation_set_bandwidth_limit (KvmmigEvacuation *self,
                                       guint             mib_per_s)
{
  g_return_if_fail (KVMMIG_IS_EVACUATION (self));
  g_return_if_fail (mib_per_s <= 1024 * 1024);
  RETURN_IF_RUNNING (self);

  set_uint_option (self, &self->bandwidth_limit, mib_per_s, PROP_BANDWIDTH_LIMIT);
}

/**
 * kvmmig_evacuation_get_allow_postcopy: (get-property allow-postcopy)
 * @self: an evacuation
 *
 * Gets whether each migration may switch to post-copy.
 *
 * Returns: %TRUE if it may
 *
 * Since: 0.1
 */
gboolean
kvmmig_evacuation_get_allow_postcopy (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), FALSE);
  return self->allow_postcopy;
}

/**
 * kvmmig_evacuation_set_allow_postcopy: (set-property allow-postcopy)
 * @self: an evacuation that has not run
 * @allow: whether post-copy is allowed
 *
 * Sets whether each migration may switch to post-copy.
 *
 * Since: 0.1
 */
void
kvmmig_evacuation_set_allow_postcopy (KvmmigEvacuation *self,
                                      gboolean          allow)
{
  g_return_if_fail (KVMMIG_IS_EVACUATION (self));
  RETURN_IF_RUNNING (self);

  allow = !!allow;
  if (self->allow_postcopy != allow)
    {
      self->allow_postcopy = allow;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_POSTCOPY]);
    }
}

/**
 * kvmmig_evacuation_get_policy: (get-property policy)
 * @self: an evacuation
 *
 * Gets the convergence policy of each migration.
 *
 * Returns: the policy
 *
 * Since: 0.1
 */
KvmmigMigrationPolicy
kvmmig_evacuation_get_policy (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), KVMMIG_MIGRATION_POLICY_AUTO);
  return self->policy;
}

/**
 * kvmmig_evacuation_set_policy: (set-property policy)
 * @self: an evacuation that has not run
 * @policy: the policy
 *
 * Sets the convergence policy of each migration.
 *
 * Since: 0.1
 */
void
kvmmig_evacuation_set_policy (KvmmigEvacuation      *self,
                              KvmmigMigrationPolicy  policy)
{
  g_return_if_fail (KVMMIG_IS_EVACUATION (self));
  g_return_if_fail (policy <= KVMMIG_MIGRATION_POLICY_POSTCOPY);
  RETURN_IF_RUNNING (self);

  if (self->policy != policy)
    {
      self->policy = policy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
    }
}

/**
 * kvmmig_evacuation_get_tls: (get-property tls)
 * @self: an evacuation
 *
 * Gets whether each migration's stream is encrypted with TLS.
 *
 * Returns: %TRUE if it is
 *
 * Since: 0.1
 */
gboolean
kvmmig_evacuation_get_tls (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), FALSE);
  return self->tls;
}

/**
 * kvmmig_evacuation_set_tls: (set-property tls)
 * @self: an evacuation that has not run
 * @tls: whether to use TLS
 *
 * Sets whether each migration's stream is encrypted with TLS; the hosts
 * need the certificates that [property@Kvmmig.MigrationJob:tls] describes.
 *
 * Since: 0.1
 */
void
kvmmig_evacuation_set_tls (KvmmigEvacuation *self,
                           gboolean          tls)
{
  g_return_if_fail (KVMMIG_IS_EVACUATION (self));
  RETURN_IF_RUNNING (self);

  tls = !!tls;
  if (self->tls != tls)
    {
      self->tls = tls;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS]);
    }
}

/**
 * kvmmig_evacuation_get_require_disk_locking: (get-property require-disk-locking)
 * @self: an evacuation
 *
 * Gets whether each migration fails its check `disk-locking` instead of
 * warning.
 *
 * Returns: %TRUE if it does
 *
 * Since: 0.2
 */
gboolean
kvmmig_evacuation_get_require_disk_locking (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), FALSE);
  return self->require_disk_locking;
}

/**
 * kvmmig_evacuation_set_require_disk_locking: (set-property require-disk-locking)
 * @self: an evacuation that has not run
 * @require: whether a host without a lock manager for a guest's shared
 *   disks fails that guest's migration
 *
 * Sets [property@Kvmmig.MigrationJob:require-disk-locking] on each
 * migration of the evacuation.
 *
 * Since: 0.2
 */
void
kvmmig_evacuation_set_require_disk_locking (KvmmigEvacuation *self,
                                            gboolean          require)
{
  g_return_if_fail (KVMMIG_IS_EVACUATION (self));
  RETURN_IF_RUNNING (self);

  require = !!require;
  if (self->require_disk_locking != require)
    {
      self->require_disk_locking = require;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUIRE_DISK_LOCKING]);
    }
}

/**
 * kvmmig_evacuation_get_allow_cluster_managed: (get-property allow-cluster-managed)
 * @self: an evacuation
 *
 * Gets whether the evacuation migrates guests that a cluster manager owns.
 *
 * Returns: %TRUE if it does
 *
 * Since: 0.2
 */
gboolean
kvmmig_evacuation_get_allow_cluster_managed (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), FALSE);
  return self->allow_cluster_managed;
}

/**
 * kvmmig_evacuation_set_allow_cluster_managed: (set-property allow-cluster-managed)
 * @self: an evacuation that has not run
 * @allow: whether guests that a cluster manager owns are migrated anyway
 *
 * Sets [property@Kvmmig.MigrationJob:allow-cluster-managed] on each
 * migration of the evacuation.
 *
 * Since: 0.2
 */
void
kvmmig_evacuation_set_allow_cluster_managed (KvmmigEvacuation *self,
                                             gboolean          allow)
{
  g_return_if_fail (KVMMIG_IS_EVACUATION (self));
  RETURN_IF_RUNNING (self);

  allow = !!allow;
  if (self->allow_cluster_managed != allow)
    {
      self->allow_cluster_managed = allow;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_CLUSTER_MANAGED]);
    }
}

/**
 * kvmmig_evacuation_get_state: (get-property state)
 * @self: an evacuation
 *
 * Gets where the evacuation is.
 *
 * Returns: the state
 *
 * Since: 0.1
 */
KvmmigMigrationState
kvmmig_evacuation_get_state (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), KVMMIG_MIGRATION_STATE_NEW);
  return self->state;
}

/**
 * kvmmig_evacuation_get_progress: (get-property progress)
 * @self: an evacuation
 *
 * Gets how far the evacuation is.
 *
 * Returns: from 0.0 to 1.0
 *
 * Since: 0.1
 */
double
kvmmig_evacuation_get_progress (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), 0.0);
  return self->progress;
}

/**
 * kvmmig_evacuation_get_guests_total: (get-property guests-total)
 * @self: an evacuation
 *
 * Gets the number of running guests found on the source.
 *
 * Returns: the number
 *
 * Since: 0.1
 */
guint
kvmmig_evacuation_get_guests_total (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), 0);
  return self->slots->len;
}

/**
 * kvmmig_evacuation_get_guests_moved: (get-property guests-moved)
 * @self: an evacuation
 *
 * Gets the number of guests moved.
 *
 * Returns: the number
 *
 * Since: 0.1
 */
guint
kvmmig_evacuation_get_guests_moved (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), 0);
  return self->guests_moved;
}

/**
 * kvmmig_evacuation_get_guests_failed: (get-property guests-failed)
 * @self: an evacuation
 *
 * Gets the number of guests that could not be moved.
 *
 * Returns: the number
 *
 * Since: 0.1
 */
guint
kvmmig_evacuation_get_guests_failed (KvmmigEvacuation *self)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), 0);
  return self->guests_failed;
}

/* Whether the slot's migration started: a job that is only being checked
 * may still be replaced by one to another destination, or dropped. */
static gboolean
slot_started (Slot *slot)
{
  return slot->job != NULL && (slot->status == SLOT_RUNNING || slot->status == SLOT_DONE);
}

/**
 * kvmmig_evacuation_get_jobs:
 * @self: an evacuation
 *
 * Gets one migration job per guest whose migration started, largest guest
 * first; a guest no destination would take has a job whose checks say
 * why. A guest still being checked, or never started, has none yet.
 *
 * Returns: (transfer container) (element-type KvmmigMigrationJob): the jobs
 *
 * Since: 0.1
 */
GPtrArray *
kvmmig_evacuation_get_jobs (KvmmigEvacuation *self)
{
  GPtrArray *jobs = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), jobs);

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);
      if (slot_started (slot))
        g_ptr_array_add (jobs, g_object_ref (slot->job));
    }
  return jobs;
}

/**
 * kvmmig_evacuation_get_guests:
 * @self: an evacuation
 *
 * Gets the guests the evacuation moves: those that ran on the source when
 * it started, largest first (empty until it has listed them). Each has a job once its migration started
 * (see [method@Kvmmig.Evacuation.lookup_job]); one without a job when the
 * evacuation ended was never started, and still runs on the source.
 *
 * Returns: (transfer container) (element-type KvmmigGuest): the guests
 *
 * Since: 0.1
 */
GPtrArray *
kvmmig_evacuation_get_guests (KvmmigEvacuation *self)
{
  GPtrArray *guests = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), guests);

  for (guint i = 0; i < self->slots->len; i++)
    g_ptr_array_add (guests, g_object_ref (((Slot *) g_ptr_array_index (self->slots, i))->guest));
  return guests;
}

/**
 * kvmmig_evacuation_lookup_job:
 * @self: an evacuation
 * @guest_name: the name of one of its guests
 *
 * Gets the migration job of a guest of the evacuation.
 *
 * Returns: (transfer full) (nullable): the job, or %NULL if the guest is
 *   not one of the evacuation's or its migration has not started
 *
 * Since: 0.1
 */
KvmmigMigrationJob *
kvmmig_evacuation_lookup_job (KvmmigEvacuation *self,
                              const char       *guest_name)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), NULL);
  g_return_val_if_fail (guest_name != NULL, NULL);

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);

      if (g_strcmp0 (kvmmig_guest_get_name (slot->guest), guest_name) == 0)
        return slot_started (slot) ? g_object_ref (slot->job) : NULL;
    }
  return NULL;
}
