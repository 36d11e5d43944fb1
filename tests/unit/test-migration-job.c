/* test-migration-job.c: KvmmigMigrationJob against two instances of
 * libvirt's test driver (test:///default and tests/data/test-host-b.xml):
 * options, pre-flight failures, bad input, cancellation before the start,
 * and a run that fails (the test driver cannot migrate) leaving the guest
 * where it was. Real migrations are tested in the integration suite.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <libvirt/libvirt.h>

#include "kvmmig-migration-job-private.h"
#include "kvmmig-migration-registry-private.h"
#include "kvmmig-preflight-check-private.h"
#include "kvmmig-test-utils.h"

#define HOST_A "test:///default"


typedef struct
{
  KvmmigHost *a;
  KvmmigHost *b;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  kvmmig_test_open_hosts_a_b (&f->a, &f->b);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->a);
  g_clear_object (&f->b);
}

static KvmmigCheck *
find_check (KvmmigMigrationJob *job, const char *id)
{
  g_autoptr(GPtrArray) checks = kvmmig_migration_job_get_checks (job);

  for (guint i = 0; i < checks->len; i++)
    if (g_str_equal (kvmmig_check_get_id (g_ptr_array_index (checks, i)), id))
      return g_object_ref (g_ptr_array_index (checks, i));
  return NULL;
}

static void
test_defaults (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, "test");
  g_autoptr(GPtrArray) checks = kvmmig_migration_job_get_checks (job);
  g_autoptr(GPtrArray) steps = kvmmig_migration_job_get_policy_steps (job);

  g_assert_true (kvmmig_migration_job_get_source (job) == f->a);
  g_assert_true (kvmmig_migration_job_get_destination (job) == f->b);
  g_assert_cmpstr (kvmmig_migration_job_get_guest_name (job), ==, "test");
  g_assert_cmpint (kvmmig_migration_job_get_state (job), ==, KVMMIG_MIGRATION_STATE_NEW);
  g_assert_cmpfloat (kvmmig_migration_job_get_progress (job), ==, 0.0);
  g_assert_cmpint (kvmmig_migration_job_get_eta_ms (job), ==, -1);
  g_assert_cmpint (kvmmig_migration_job_get_downtime_ms (job), ==, -1);
  g_assert_cmpint (kvmmig_migration_job_get_total_ms (job), ==, -1);
  g_assert_cmpint (kvmmig_migration_job_get_guest_location (job), ==, KVMMIG_GUEST_LOCATION_UNKNOWN);
  g_assert_cmpint (kvmmig_migration_job_get_policy (job), ==, KVMMIG_MIGRATION_POLICY_AUTO);
  g_assert_false (kvmmig_migration_job_get_allow_postcopy (job));
  g_assert_true (kvmmig_migration_job_get_persistent (job));
  g_assert_true (kvmmig_migration_job_get_undefine_source (job));
  g_assert_cmpuint (kvmmig_migration_job_get_max_downtime_ms (job), ==, 300);
  g_assert_cmpuint (kvmmig_migration_job_get_bandwidth_limit (job), ==, 0);
  g_assert_cmpint (kvmmig_migration_job_get_completion_timeout_ms (job), ==, 0);
  g_assert_false (kvmmig_migration_job_get_require_disk_locking (job));
  g_assert_false (kvmmig_migration_job_get_allow_cluster_managed (job));
  g_assert_cmpint (kvmmig_migration_job_get_compression (job), ==, KVMMIG_COMPRESSION_NONE);
  g_assert_null (kvmmig_migration_job_get_migration_uri (job));
  g_assert_cmpuint (checks->len, ==, 0);
  g_assert_cmpuint (steps->len, ==, 0);
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_options (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, "test");
  guint notified = 0;
  guint limit = 0;

  g_signal_connect (job, "notify::bandwidth-limit", G_CALLBACK (count_notify), &notified);
  kvmmig_migration_job_set_bandwidth_limit (job, 100);
  kvmmig_migration_job_set_bandwidth_limit (job, 100);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (job, "bandwidth-limit", &limit, NULL);
  g_assert_cmpuint (limit, ==, 100);

  g_object_set (job, "policy", KVMMIG_MIGRATION_POLICY_POSTCOPY,
                "migration-uri", "tcp://10.0.0.1", "completion-timeout-ms", -1, NULL);
  g_assert_cmpint (kvmmig_migration_job_get_policy (job), ==, KVMMIG_MIGRATION_POLICY_POSTCOPY);
  g_assert_cmpstr (kvmmig_migration_job_get_migration_uri (job), ==, "tcp://10.0.0.1");
  g_assert_cmpint (kvmmig_migration_job_get_completion_timeout_ms (job), ==, -1);

  /* Out of range values are kept, and refused when the job checks or runs
   * (test_check_bad_options). */
  kvmmig_migration_job_set_max_downtime_ms (job, 0);
  g_assert_cmpint (kvmmig_migration_job_get_max_downtime_ms (job), ==, 0);
}

static void
check_fails (KvmmigMigrationJob *job,
             KvmmigError         code,
             const char         *check_id,
             const char         *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigCheck) check = NULL;

  g_assert_false (kvmmig_migration_job_check (job, NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, (gint) code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, needle));
  g_assert_cmpint (kvmmig_migration_job_get_state (job), ==, KVMMIG_MIGRATION_STATE_NEW);

  check = find_check (job, check_id);
  g_assert_nonnull (check);
  g_assert_cmpint (kvmmig_check_get_status (check), ==, KVMMIG_CHECK_STATUS_FAILED);
  g_assert_nonnull (kvmmig_check_get_error (check));
  g_assert_cmpint (kvmmig_check_get_error (check)->code, ==, code);
}

static void
test_check_guest_exists (Fixture *f, gconstpointer data)
{
  /* Host B has "twin", with the UUID of A's "test"; and A has a "twin"
   * of its own, with the name of B's. */
  g_autoptr(KvmmigMigrationJob) by_uuid = kvmmig_migration_job_new (f->a, f->b, "test");
  g_autoptr(KvmmigMigrationJob) by_name = kvmmig_migration_job_new (f->a, f->b, "twin");

  check_fails (by_uuid, KVMMIG_ERROR_GUEST_EXISTS, "name-free", "same UUID");
  check_fails (by_name, KVMMIG_ERROR_GUEST_EXISTS, "name-free", "already exists there");
}

/* A job whose checks fail, one check with one error: its hosts ('a' or
 * 'b', the fixture's), its guest, and each text the error must hold
 * (checked a run of the checks each). */
typedef struct
{
  char source;
  char destination;
  const char *guest;
  KvmmigError code;
  const char *check_id;
  const char *needles[3];   /* NULL-terminated */
} CheckFailsCase;

static const CheckFailsCase check_guest_not_found =
  { 'a', 'b', "no-such-guest", KVMMIG_ERROR_GUEST_NOT_FOUND, "source-guest",
    { "no-such-guest", HOST_A, NULL } };
static const CheckFailsCase check_same_host =
  { 'a', 'a', "test", KVMMIG_ERROR_SAME_HOST, "distinct-hosts", { "same host", NULL } };
static const CheckFailsCase check_memory =
  { 'b', 'a', "other", KVMMIG_ERROR_INSUFFICIENT_MEMORY, "memory", { "3 MiB free", NULL } };

static void
test_check_fails (Fixture *f, gconstpointer data)
{
  const CheckFailsCase *c = data;
  g_autoptr(KvmmigMigrationJob) job =
    kvmmig_migration_job_new (c->source == 'a' ? f->a : f->b,
                              c->destination == 'a' ? f->a : f->b,
                              c->guest);

  for (guint i = 0; c->needles[i] != NULL; i++)
    check_fails (job, c->code, c->check_id, c->needles[i]);
}

static void
test_check_not_running (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, "test");
  virConnectPtr conn = virConnectOpen (HOST_A);
  virDomainPtr dom = virDomainLookupByName (conn, "test");

  g_assert_cmpint (virDomainDestroy (dom), ==, 0);
  check_fails (job, KVMMIG_ERROR_GUEST_NOT_RUNNING, "source-guest", "shut off");
  g_assert_cmpint (virDomainCreate (dom), ==, 0);
  virDomainFree (dom);
  virConnectClose (conn);
}

static void
test_check_bad_options (Fixture *f, gconstpointer data)
{
  struct {
    const char *prop;
    int value;
    const char *uri;
    const char *needle;
  } cases[] = {
    { "compression", KVMMIG_COMPRESSION_ZSTD, NULL, "zstd needs parallel-connections" },
    { "parallel-connections", 4, NULL, "xbzrle cannot be combined" },
    { NULL, 0, "not a uri", "migration-uri 'not a uri'" },
    { NULL, 0, "ftp://10.0.0.1", "tcp://ADDRESS" },
    { "bandwidth-limit", -5, NULL, "bandwidth-limit -5 MiB/s is out of range" },
    { "bandwidth-limit", G_MAXINT, NULL, "bandwidth-limit 2147483647 MiB/s" },
    { "max-downtime-ms", 0, NULL, "max-downtime-ms 0 is out of range" },
    { "max-downtime-ms", -300, NULL, "max-downtime-ms -300" },
    { "max-downtime-ms", 86400000, NULL, "max-downtime-ms 86400000" },
    { "completion-timeout-ms", -2, NULL, "completion-timeout-ms -2" },
    { "parallel-connections", -1, NULL, "parallel-connections -1" },
    { "parallel-connections", 1000, NULL, "parallel-connections 1000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, "fresh");

      if (i == 1)
        kvmmig_migration_job_set_compression (job, KVMMIG_COMPRESSION_XBZRLE);
      if (cases[i].prop)
        g_object_set (job, cases[i].prop, cases[i].value, NULL);
      if (cases[i].uri)
        kvmmig_migration_job_set_migration_uri (job, cases[i].uri);
      check_fails (job, KVMMIG_ERROR_INVALID_ARGUMENT, "options", cases[i].needle);
    }
}

static void
test_check_passes_and_lists_every_check (Fixture *f, gconstpointer data)
{
  /* "fresh" on A: no name or UUID clash on B, no disks. */
  g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, "fresh");
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected[] = { "options", "source-guest", "distinct-hosts", "destination",
                             "no-active-job", "cluster-managed", "name-free", "memory", "qemu-version",
                             "machine-type", "cpu", "copy-storage", "storage", "cache-mode", "disk-locking",
                             "postcopy" };

  g_assert_true (kvmmig_migration_job_check (job, NULL, &error));
  g_assert_no_error (error);
  checks = kvmmig_migration_job_get_checks (job);
  g_assert_cmpuint (checks->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < checks->len; i++)
    {
      KvmmigCheck *check = g_ptr_array_index (checks, i);

      g_assert_cmpstr (kvmmig_check_get_id (check), ==, expected[i]);
      g_assert_cmpint (kvmmig_check_get_status (check), !=, KVMMIG_CHECK_STATUS_FAILED);
      g_assert_null (kvmmig_check_get_error (check));
      g_assert_nonnull (kvmmig_check_get_title (check));
      g_assert_nonnull (kvmmig_check_get_message (check));
    }

  /* Checking does not spend the job: it can still run. */
  g_assert_cmpint (kvmmig_migration_job_get_state (job), ==, KVMMIG_MIGRATION_STATE_NEW);
}

/* The guest given by UUID or ID, as virsh takes it: the checks find it and
 * speak of it by name. */
static void
test_check_guest_by_uuid_or_id (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigGuest) guest = kvmmig_host_lookup_guest (f->a, "fresh", NULL, NULL);
  g_autofree char *id = NULL;
  const char *given[2];

  g_assert_nonnull (guest);
  id = g_strdup_printf ("%d", kvmmig_guest_get_id (guest));
  given[0] = kvmmig_guest_get_uuid (guest);
  given[1] = id;
  for (guint i = 0; i < G_N_ELEMENTS (given); i++)
    {
      g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, given[i]);
      g_autoptr(GPtrArray) checks = NULL;
      g_autoptr(GError) error = NULL;
      KvmmigCheck *source_guest;

      g_assert_true (kvmmig_migration_job_check (job, NULL, &error));
      g_assert_no_error (error);
      checks = kvmmig_migration_job_get_checks (job);
      source_guest = g_ptr_array_index (checks, 1);
      g_assert_cmpstr (kvmmig_check_get_id (source_guest), ==, "source-guest");
      g_test_message ("%s: %s", given[i], kvmmig_check_get_message (source_guest));
      g_assert_nonnull (strstr (kvmmig_check_get_message (source_guest), "'fresh'"));
      g_assert_cmpstr (kvmmig_migration_job_get_guest_name (job), ==, given[i]);
    }
}

static void
test_check_evacuation_budget (Fixture *f, gconstpointer data)
{
  /* An evacuation tells each job the destination's free memory when it
   * started and what it promised to other guests there: the memory check
   * fails when the rest is less than the guest's memory, even where the
   * host itself does not say how much it has free (test-host-b.xml). */
  g_autoptr(KvmmigGuest) guest = kvmmig_host_lookup_guest (f->a, "fresh", NULL, NULL);
  guint64 memory = kvmmig_guest_get_max_memory (guest);
  g_autoptr(KvmmigMigrationJob) full = kvmmig_migration_job_new (f->a, f->b, "fresh");
  g_autoptr(KvmmigMigrationJob) room = kvmmig_migration_job_new (f->a, f->b, "fresh");
  g_autoptr(KvmmigCheck) check = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (memory, >, 0);

  _kvmmig_migration_job_set_evacuation_budget (full, 2 * memory, memory + memory / 2);
  check_fails (full, KVMMIG_ERROR_INSUFFICIENT_MEMORY, "memory",
               "promised to the guests it moved or is moving there");

  _kvmmig_migration_job_set_evacuation_budget (room, 2 * memory, memory);
  g_assert_true (kvmmig_migration_job_check (room, NULL, &error));
  g_assert_no_error (error);
  check = find_check (room, "memory");
  g_assert_cmpint (kvmmig_check_get_status (check), !=, KVMMIG_CHECK_STATUS_FAILED);
}

static void
record_state (GObject *object, GParamSpec *pspec, gpointer data)
{
  GArray *states = data;
  KvmmigMigrationState state = kvmmig_migration_job_get_state (KVMMIG_MIGRATION_JOB (object));

  g_array_append_val (states, state);
}

static void
test_run_fails_guest_stays (Fixture *f, gconstpointer data)
{
  /* The test driver cannot migrate: the run gets past its checks, the
   * migration fails, and the job says the guest still runs on the source. */
  g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, "fresh");
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (KvmmigMigrationState));
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigGuest) guest = NULL;

  g_signal_connect (job, "notify::state", G_CALLBACK (record_state), states);
  g_assert_false (kvmmig_migration_job_run (job, NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_MIGRATION_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "the guest runs on the source"));
  g_assert_nonnull (strstr (error->message, "'fresh'"));

  g_assert_cmpuint (states->len, ==, 3);
  g_assert_cmpint (g_array_index (states, KvmmigMigrationState, 0), ==, KVMMIG_MIGRATION_STATE_CHECKING);
  g_assert_cmpint (g_array_index (states, KvmmigMigrationState, 1), ==, KVMMIG_MIGRATION_STATE_MIGRATING);
  g_assert_cmpint (g_array_index (states, KvmmigMigrationState, 2), ==, KVMMIG_MIGRATION_STATE_FAILED);
  g_assert_cmpint (kvmmig_migration_job_get_guest_location (job), ==, KVMMIG_GUEST_LOCATION_SOURCE);
  g_assert_cmpint (kvmmig_migration_job_get_total_ms (job), >=, 0);

  g_clear_error (&error);
  guest = kvmmig_host_lookup_guest (f->a, "fresh", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kvmmig_guest_get_state (guest), ==, KVMMIG_GUEST_STATE_RUNNING);

  /* A job runs once. */
  g_clear_error (&error);
  g_assert_false (kvmmig_migration_job_run (job, NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT);

  /* Its options are fixed now, those a running job takes too. */
  g_test_expect_message ("Kvmmig", G_LOG_LEVEL_CRITICAL, "*set before it runs*");
  kvmmig_migration_job_set_policy (job, KVMMIG_MIGRATION_POLICY_PRECOPY);
  g_test_assert_expected_messages ();
  g_test_expect_message ("Kvmmig", G_LOG_LEVEL_CRITICAL, "*has run*");
  kvmmig_migration_job_set_bandwidth_limit (job, 10);
  g_test_assert_expected_messages ();
  g_assert_cmpint (kvmmig_migration_job_get_bandwidth_limit (job), ==, 0);
}

static void
test_check_after_run_refused (Fixture *f, gconstpointer data)
{
  /* "test" on A clashes with B's "twin" (same UUID): the run ends FAILED
   * at pre-flight, with its checks. Checking the job again must fail and
   * leave its state, checks and error as the run left them. */
  g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, "test");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) checks_before = NULL;
  g_autoptr(GPtrArray) checks_after = NULL;
  const GError *run_error;
  guint notified = 0;

  g_assert_false (kvmmig_migration_job_run (job, NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (kvmmig_migration_job_get_state (job), ==, KVMMIG_MIGRATION_STATE_FAILED);
  checks_before = kvmmig_migration_job_get_checks (job);
  g_assert_cmpuint (checks_before->len, >, 0);
  run_error = kvmmig_migration_job_get_error (job);
  g_assert_error (run_error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_EXISTS);

  g_signal_connect (job, "notify::state", G_CALLBACK (count_notify), &notified);
  g_assert_false (kvmmig_migration_job_check (job, NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, HOST_A));
  g_assert_nonnull (strstr (error->message, "'test'"));
  g_assert_nonnull (strstr (error->message, "keeps its checks"));

  g_assert_cmpuint (notified, ==, 0);
  g_assert_cmpint (kvmmig_migration_job_get_state (job), ==, KVMMIG_MIGRATION_STATE_FAILED);
  g_assert_true (kvmmig_migration_job_get_error (job) == run_error);
  g_assert_error (kvmmig_migration_job_get_error (job), KVMMIG_ERROR, KVMMIG_ERROR_GUEST_EXISTS);
  checks_after = kvmmig_migration_job_get_checks (job);
  g_assert_cmpuint (checks_after->len, ==, checks_before->len);
  for (guint i = 0; i < checks_after->len; i++)
    g_assert_true (g_ptr_array_index (checks_after, i) == g_ptr_array_index (checks_before, i));
}

static void
test_run_host_not_open (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigHost) closed = kvmmig_host_new (HOST_A);
  g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, closed, "fresh");
  g_autoptr(GError) error = NULL;

  g_assert_false (kvmmig_migration_job_run (job, NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_OPEN);
  g_assert_nonnull (strstr (error->message, HOST_A));
  g_assert_cmpint (kvmmig_migration_job_get_state (job), ==, KVMMIG_MIGRATION_STATE_FAILED);
}

static void
test_cancel_before_start (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, "fresh");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (kvmmig_migration_job_run (job, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (strstr (error->message, "nothing was changed"));
  /* Nothing started: the state did not move, and the job can still run. */
  g_assert_cmpint (kvmmig_migration_job_get_state (job), ==, KVMMIG_MIGRATION_STATE_NEW);
  {
    g_autoptr(GPtrArray) checks = kvmmig_migration_job_get_checks (job);
    g_assert_cmpuint (checks->len, ==, 0);
  }
}

static void
test_second_job_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigMigrationJob) first = kvmmig_migration_job_new (f->a, f->b, "fresh");
  g_autoptr(KvmmigMigrationJob) second = kvmmig_migration_job_new (f->a, f->b, "fresh");
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GError) error = NULL;

  /* The first's run counts as under way until the second was refused,
   * however fast it ends. */
  _kvmmig_migration_registry_hold_releases (TRUE);
  kvmmig_migration_job_run_async (first, NULL, kvmmig_test_store_result, &r1);
  kvmmig_migration_job_run_async (second, NULL, kvmmig_test_store_result, &r2);

  g_assert_false (kvmmig_migration_job_run_finish (second, kvmmig_test_wait_result (&r2), &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_JOB_ACTIVE);
  g_clear_error (&error);
  _kvmmig_migration_registry_hold_releases (FALSE);

  kvmmig_migration_job_run_finish (first, kvmmig_test_wait_result (&r1), &error);
  g_assert_false (g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_JOB_ACTIVE));
  kvmmig_test_drain ();
}

static void
test_claim_released_when_run_ends (Fixture *f, gconstpointer data)
{
  /* The first job runs on a context the test does not iterate until the
   * end: its final update waits there. Its guest must be free for a
   * second job once its run has ended all the same. */
  g_autoptr(GMainContext) first_context = g_main_context_new ();
  g_autoptr(KvmmigMigrationJob) first = kvmmig_migration_job_new (f->a, f->b, "fresh");
  g_autoptr(KvmmigMigrationJob) second = kvmmig_migration_job_new (f->a, f->b, "fresh");
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + KVMMIG_TEST_TIMEOUT_S * G_USEC_PER_SEC;

  g_main_context_push_thread_default (first_context);
  kvmmig_migration_job_run_async (first, NULL, kvmmig_test_store_result, &r1);
  g_main_context_pop_thread_default (first_context);

  /* The run ends on its own thread (the test driver cannot migrate); its
   * claim goes with it. */
  while (_kvmmig_migration_registry_is_claimed (HOST_A, "fresh") &&
         g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 1000);

  kvmmig_migration_job_run_async (second, NULL, kvmmig_test_store_result, &r2);
  g_assert_false (kvmmig_migration_job_run_finish (second, kvmmig_test_wait_result (&r2), &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_MIGRATION_FAILED);
  g_assert_null (r1);
  g_assert_cmpint (kvmmig_migration_job_get_state (first), ==, KVMMIG_MIGRATION_STATE_CHECKING);

  /* Now the first's context delivers its end. */
  g_clear_error (&error);
  g_main_context_push_thread_default (first_context);
  g_assert_false (kvmmig_migration_job_run_finish (first, kvmmig_test_wait_result (&r1), &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_MIGRATION_FAILED);
  kvmmig_test_drain ();
  g_main_context_pop_thread_default (first_context);
  kvmmig_test_drain ();
}

static void
on_jobs_changed (GListModel *model,
                 guint       position,
                 guint       removed,
                 guint       added,
                 gpointer    user_data)
{
  guint *counts = user_data;

  counts[0] += added;
  counts[1] += removed;
  counts[2] = MAX (counts[2], g_list_model_get_n_items (model));
}

/* The model of running jobs: a run is listed from its start (before its
 * outcome reaches the caller) until it ended; a check alone is not. */
static void
test_running_jobs_model (Fixture *f, gconstpointer data)
{
  GListModel *jobs = kvmmig_migration_job_get_running_jobs ();
  g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, "fresh");
  g_autoptr(KvmmigMigrationJob) checked = kvmmig_migration_job_new (f->a, f->b, "fresh");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint counts[3] = { 0, 0, 0 };
  gulong id;

  kvmmig_test_drain ();
  g_assert_true (g_list_model_get_item_type (jobs) == KVMMIG_TYPE_MIGRATION_JOB);
  g_assert_cmpuint (g_list_model_get_n_items (jobs), ==, 0);
  id = g_signal_connect (jobs, "items-changed", G_CALLBACK (on_jobs_changed), counts);

  kvmmig_migration_job_check (checked, NULL, NULL);
  kvmmig_test_drain ();
  g_assert_cmpuint (counts[0], ==, 0);

  kvmmig_migration_job_run_async (job, NULL, kvmmig_test_store_result, &result);
  kvmmig_migration_job_run_finish (job, kvmmig_test_wait_result (&result), &error);
  g_assert_nonnull (error);
  g_assert_cmpuint (counts[0], ==, 1);
  g_assert_cmpuint (counts[2], ==, 1);
  {
    g_autoptr(KvmmigMigrationJob) listed = g_list_model_get_item (jobs, 0);

    /* Still listed when the caller learns the outcome; gone right after. */
    g_assert_true (listed == job);
  }
  kvmmig_test_drain ();
  g_assert_cmpuint (counts[1], ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (jobs), ==, 0);
  g_signal_handler_disconnect (jobs, id);
}

static void
test_cancel_before_outcome_delivered (Fixture *f, gconstpointer data)
{
  /* "test" on A clashes with B's "twin": the run ends at pre-flight,
   * nothing moved. Cancelled after its thread ended but before its end
   * reached the caller, the job ends CANCELLED all the same, in its state,
   * its error and run_finish alike, its checks kept. */
  g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, "test");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigCheck) name_free = NULL;
  gint64 deadline = g_get_monotonic_time () + KVMMIG_TEST_TIMEOUT_S * G_USEC_PER_SEC;

  kvmmig_migration_job_run_async (job, cancellable, kvmmig_test_store_result, &result);
  while (_kvmmig_migration_registry_is_claimed (HOST_A, "test") &&
         g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 1000);
  g_cancellable_cancel (cancellable);

  g_assert_false (kvmmig_migration_job_run_finish (job, kvmmig_test_wait_result (&result),
                                                   &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (strstr (error->message, "cancelled before the migration started; "
                                            "nothing was changed"));
  g_assert_cmpint (kvmmig_migration_job_get_state (job), ==, KVMMIG_MIGRATION_STATE_CANCELLED);
  g_assert_error (kvmmig_migration_job_get_error (job), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (kvmmig_migration_job_get_error (job)->message, ==, error->message);
  g_assert_cmpint (kvmmig_migration_job_get_guest_location (job), ==,
                   KVMMIG_GUEST_LOCATION_SOURCE);
  name_free = find_check (job, "name-free");
  g_assert_nonnull (name_free);
  g_assert_cmpint (kvmmig_check_get_status (name_free), ==, KVMMIG_CHECK_STATUS_FAILED);
  kvmmig_test_drain ();
}

static void
test_null_arguments (Fixture *f, gconstpointer data)
{
  KvmmigMigrationJob *job;

  g_test_expect_message ("Kvmmig", G_LOG_LEVEL_CRITICAL, "*guest_name != NULL*");
  job = kvmmig_migration_job_new (f->a, f->b, NULL);
  g_test_assert_expected_messages ();
  g_assert_null (job);

  g_test_expect_message ("Kvmmig", G_LOG_LEVEL_CRITICAL, "*KVMMIG_IS_HOST*");
  job = kvmmig_migration_job_new (NULL, f->b, "test");
  g_test_assert_expected_messages ();
  g_assert_null (job);
}

/* The test driver is not QEMU: the two QEMU checks say so, and pass. */
static void
test_check_qemu_checks_skip_other_hypervisors (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, "fresh");
  g_autoptr(GPtrArray) checks = NULL;
  guint seen = 0;

  g_assert_true (kvmmig_migration_job_check (job, NULL, NULL));
  checks = kvmmig_migration_job_get_checks (job);
  for (guint i = 0; i < checks->len; i++)
    {
      KvmmigCheck *check = g_ptr_array_index (checks, i);
      const char *id = kvmmig_check_get_id (check);

      if (!g_str_equal (id, "qemu-version") && !g_str_equal (id, "machine-type"))
        continue;
      g_test_message ("%s: %s", id, kvmmig_check_get_message (check));
      g_assert_cmpint (kvmmig_check_get_status (check), ==, KVMMIG_CHECK_STATUS_SKIPPED);
      g_assert_nonnull (strstr (kvmmig_check_get_message (check), "runs TEST"));
      seen++;
    }
  g_assert_cmpuint (seen, ==, 2);
}

/* "disk-locking": what it says of a guest's disks without asking the hosts
 * (no writable disk; network disks, which no libvirt lock manager covers),
 * and that a host whose lock manager cannot be probed is a warning, or a
 * failure with require-disk-locking. The test driver cannot start the
 * probe (it has no VIR_DOMAIN_START_AUTODESTROY): the probe itself is
 * tested on the testbed (tests/integration/test_disk_locking.py). */
static void
test_check_disk_locking (Fixture *f, gconstpointer data)
{
  struct {
    const char *disks;
    gboolean require;
    KvmmigCheckStatus status;
    const char *needles[3];
  } cases[] = {
    { "", FALSE, KVMMIG_CHECK_STATUS_PASSED, { "has no writable disk" } },
    { "<disk type='file' device='disk'><source file='/shared/ro.img'/><readonly/>"
      "<target dev='vda' bus='virtio'/></disk>",
      FALSE, KVMMIG_CHECK_STATUS_PASSED, { "has no writable disk" } },
    { "<disk type='network' device='disk'><driver name='qemu' type='raw' cache='none'/>"
      "<source protocol='iscsi' name='iqn.2026-11.org.example:store/3'>"
      "<host name='10.0.0.13' port='3260'/></source><target dev='vda' bus='virtio'/></disk>",
      FALSE, KVMMIG_CHECK_STATUS_WARNING,
      { "test:///default: no libvirt lock manager covers the network disks",
        "vda (iscsi://10.0.0.13:3260/iqn.2026-11.org.example:store/3)", "nothing but care" } },
    { "<disk type='network' device='disk'><source protocol='iscsi' name='iqn.x:y/1'>"
      "<host name='10.0.0.13'/></source><target dev='vda' bus='virtio'/></disk>",
      TRUE, KVMMIG_CHECK_STATUS_FAILED, { "network disks", "require-disk-locking is set" } },
    { "<disk type='file' device='disk'><source file='/shared/rw.img'/>"
      "<target dev='vda' bus='virtio'/></disk>",
      FALSE, KVMMIG_CHECK_STATUS_WARNING,
      { "test:///default: cannot tell whether it runs a lock manager for disks vda (/shared/rw.img)",
        "could not start a probe domain" } },
    { "<disk type='file' device='disk'><source file='/shared/rw.img'/><shareable/>"
      "<target dev='vdb' bus='virtio'/></disk>",
      TRUE, KVMMIG_CHECK_STATUS_FAILED, { "cannot tell", "vdb (/shared/rw.img)" } },
  };
  virConnectPtr conn = virConnectOpen (HOST_A);

  g_assert_nonnull (conn);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = g_strdup_printf ("<domain type='test'><name>locking</name>"
                                              "<memory>8192</memory><os><type>hvm</type></os>"
                                              "<devices>%s</devices></domain>", cases[i].disks);
      virDomainPtr dom = virDomainCreateXML (conn, xml, 0);
      g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, "locking");
      g_autoptr(KvmmigCheck) check = NULL;
      g_autoptr(GError) error = NULL;
      const GError *check_error;

      g_assert_nonnull (dom);
      kvmmig_migration_job_set_require_disk_locking (job, cases[i].require);
      g_assert_true (kvmmig_migration_job_get_require_disk_locking (job) == cases[i].require);
      kvmmig_migration_job_check (job, NULL, &error);
      check = find_check (job, "disk-locking");
      g_assert_nonnull (check);
      g_test_message ("case %u: %s", i, kvmmig_check_get_message (check));
      g_assert_cmpint (kvmmig_check_get_status (check), ==, cases[i].status);
      for (guint n = 0; n < G_N_ELEMENTS (cases[i].needles) && cases[i].needles[n]; n++)
        g_assert_nonnull (strstr (kvmmig_check_get_message (check), cases[i].needles[n]));
      check_error = kvmmig_check_get_error (check);
      if (cases[i].status == KVMMIG_CHECK_STATUS_FAILED)
        g_assert_error (check_error, KVMMIG_ERROR, KVMMIG_ERROR_NO_DISK_LOCKING);
      else
        g_assert_null (check_error);
      g_assert_cmpint (virDomainDestroy (dom), ==, 0);
      virDomainFree (dom);
    }
  virConnectClose (conn);
}

/* The check "cluster-managed": a guest that ocf:kvmmig:guest marked (as the
 * agent does, with virDomainSetMetadata, or in its definition) is refused
 * unless allow-cluster-managed, and the refusal names the resource and
 * the cluster's commands. */
static void
test_check_cluster_managed (Fixture *f, gconstpointer data)
{
  struct {
    const char *mark;        /* the element, or NULL */
    gboolean set_live;       /* set with virDomainSetMetadata, not in the XML */
    gboolean allow;
    KvmmigCheckStatus status;
    const char *needles[4];
  } cases[] = {
    { NULL, FALSE, FALSE, KVMMIG_CHECK_STATUS_PASSED, { "carries no cluster manager's mark" } },
    { "<kvmmig:cluster xmlns:kvmmig='" KVMMIG_CLUSTER_METADATA_NS "' manager='pacemaker' "
      "resource='vm-web' node='node1'/>", FALSE, FALSE, KVMMIG_CHECK_STATUS_FAILED,
      { "test:///default: guest 'managed' is resource 'vm-web' of a Pacemaker cluster "
        "(started on node 'node1')", "crm_resource --move --resource vm-web --node NODE",
        "pcs resource move vm-web NODE", "set allow-cluster-managed" } },
    { "<cluster manager='pacemaker' resource='vm-db' node='node2'/>", TRUE, FALSE,
      KVMMIG_CHECK_STATUS_FAILED, { "resource 'vm-db'", "crm resource move vm-db NODE" } },
    { "<cluster manager='pacemaker' resource='vm-db' node='node2'/>", TRUE, TRUE,
      KVMMIG_CHECK_STATUS_WARNING,
      { "resource 'vm-db' of a Pacemaker cluster; migrated anyway (allow-cluster-managed is set)" } },
    /* Another namespace is not the agent's mark. */
    { "<other:cluster xmlns:other='https://example.org/cluster' manager='pacemaker' "
      "resource='x'/>", FALSE, FALSE, KVMMIG_CHECK_STATUS_PASSED, { "no cluster manager's mark" } },
  };
  virConnectPtr conn = virConnectOpen (HOST_A);

  g_assert_nonnull (conn);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = g_strdup_printf ("<domain type='test'><name>managed</name>"
                                              "<memory>8192</memory>%s%s%s"
                                              "<os><type>hvm</type></os></domain>",
                                              cases[i].mark && !cases[i].set_live ? "<metadata>" : "",
                                              cases[i].mark && !cases[i].set_live ? cases[i].mark : "",
                                              cases[i].mark && !cases[i].set_live ? "</metadata>" : "");
      virDomainPtr dom = virDomainCreateXML (conn, xml, 0);
      g_autoptr(KvmmigMigrationJob) job = kvmmig_migration_job_new (f->a, f->b, "managed");
      g_autoptr(KvmmigCheck) check = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_assert_nonnull (dom);
      if (cases[i].set_live)
        g_assert_cmpint (virDomainSetMetadata (dom, VIR_DOMAIN_METADATA_ELEMENT, cases[i].mark,
                                               "kvmmig", KVMMIG_CLUSTER_METADATA_NS,
                                               VIR_DOMAIN_AFFECT_LIVE), ==, 0);
      kvmmig_migration_job_set_allow_cluster_managed (job, cases[i].allow);
      g_assert_true (kvmmig_migration_job_get_allow_cluster_managed (job) == cases[i].allow);
      ok = kvmmig_migration_job_check (job, NULL, &error);
      check = find_check (job, "cluster-managed");
      g_assert_nonnull (check);
      g_test_message ("case %u: %s", i, kvmmig_check_get_message (check));
      g_assert_cmpint (kvmmig_check_get_status (check), ==, cases[i].status);
      for (guint n = 0; n < G_N_ELEMENTS (cases[i].needles) && cases[i].needles[n]; n++)
        g_assert_nonnull (strstr (kvmmig_check_get_message (check), cases[i].needles[n]));
      if (cases[i].status == KVMMIG_CHECK_STATUS_FAILED)
        {
          g_assert_false (ok);
          g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_CLUSTER_MANAGED);
          g_assert_error (kvmmig_check_get_error (check), KVMMIG_ERROR,
                          KVMMIG_ERROR_CLUSTER_MANAGED);
        }
      else
        g_assert_null (kvmmig_check_get_error (check));
      g_assert_cmpint (virDomainDestroy (dom), ==, 0);
      virDomainFree (dom);
    }
  virConnectClose (conn);
}

/* kvmmig_host_tune_migration: the limits of a migration under way, which
 * the test driver never has: every refusal, each naming what and where. */
static void
test_host_tune_migration_refusals (Fixture *f, gconstpointer data)
{
  struct { const char *guest; int bandwidth, downtime; KvmmigError code; const char *needle; } cases[] = {
    { "fresh", -2, -1, KVMMIG_ERROR_INVALID_ARGUMENT, "bandwidth limit -2 MiB/s is out of range" },
    { "fresh", 2 * 1024 * 1024, -1, KVMMIG_ERROR_INVALID_ARGUMENT, "out of range" },
    { "fresh", -1, 0, KVMMIG_ERROR_INVALID_ARGUMENT, "maximum downtime 0 ms is out of range" },
    { "fresh", -1, 600001, KVMMIG_ERROR_INVALID_ARGUMENT, "out of range" },
    { "fresh", -1, -1, KVMMIG_ERROR_INVALID_ARGUMENT, "nothing to change" },
    { "", 10, -1, KVMMIG_ERROR_INVALID_ARGUMENT, "a guest must be named" },
    { "no-such-guest", 10, -1, KVMMIG_ERROR_GUEST_NOT_FOUND, "no-such-guest" },
    { "fresh", 10, 200, KVMMIG_ERROR_INVALID_ARGUMENT, "no migration of guest 'fresh' runs" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) async_error = NULL;
      g_autoptr(GAsyncResult) result = NULL;

      g_assert_false (kvmmig_host_tune_migration (f->a, cases[i].guest, cases[i].bandwidth,
                                                  cases[i].downtime, NULL, &error));
      g_test_message ("%s %d %d: %s", cases[i].guest, cases[i].bandwidth, cases[i].downtime,
                      error->message);
      g_assert_error (error, KVMMIG_ERROR, (gint) cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
      g_assert_nonnull (strstr (error->message, kvmmig_host_get_uri (f->a)));

      kvmmig_host_tune_migration_async (f->a, cases[i].guest, cases[i].bandwidth,
                                        cases[i].downtime, NULL, kvmmig_test_store_result,
                                        &result);
      g_assert_false (kvmmig_host_tune_migration_finish (f->a, kvmmig_test_wait_result (&result),
                                                         &async_error));
      g_assert_error (async_error, KVMMIG_ERROR, (gint) cases[i].code);
      g_assert_cmpstr (async_error->message, ==, error->message);
    }
}

static void
test_hypervisor_version_string (void)
{
  struct { unsigned long version; const char *text; } cases[] = {
    { 10000002, "10.0.2" }, { 7002000, "7.2.0" }, { 2006000, "2.6.0" }, { 2, "0.0.2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = _kvmmig_hypervisor_version_string (cases[i].version);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* A host's capabilities, as QEMU's libvirt driver writes them. */
static const char caps_xml[] =
  "<capabilities><host><uuid>5a3c1f0e-0000-4000-8000-000000000001</uuid></host>"
  "<guest><os_type>hvm</os_type><arch name='x86_64'><wordsize>64</wordsize>"
  "<emulator>/usr/bin/qemu-system-x86_64</emulator>"
  "<machine maxCpus='255'>pc-i440fx-7.2</machine>"
  "<machine canonical='pc-i440fx-7.2' maxCpus='255'>pc</machine>"
  "<machine maxCpus='288'>pc-q35-7.2</machine>"
  "<machine canonical='pc-q35-7.2' maxCpus='288'>q35</machine>"
  "<machine maxCpus='255'>pc-i440fx-2.12</machine>"
  "<domain type='qemu'/>"
  "<domain type='kvm'><machine maxCpus='710'>pc-q35-7.2-kvm-only</machine></domain>"
  "</arch></guest>"
  "<guest><os_type>hvm</os_type><arch name='i686'><wordsize>32</wordsize>"
  "<machine maxCpus='255'>isapc</machine><domain type='qemu'/></arch></guest>"
  "</capabilities>";

static gboolean
has (GPtrArray  *machines,
     const char *name)
{
  return g_ptr_array_find_with_equal_func (machines, name, g_str_equal, NULL);
}

static void
test_capabilities_machines (void)
{
  g_autoptr(GPtrArray) qemu = _kvmmig_capabilities_machines (caps_xml, "x86_64", "qemu");
  g_autoptr(GPtrArray) kvm = _kvmmig_capabilities_machines (caps_xml, "x86_64", "kvm");
  g_autoptr(GPtrArray) i686 = _kvmmig_capabilities_machines (caps_xml, "i686", "qemu");
  g_autoptr(GPtrArray) arm = _kvmmig_capabilities_machines (caps_xml, "aarch64", "qemu");

  g_assert_nonnull (qemu);
  /* Names and canonical names, each once. */
  g_assert_cmpuint (qemu->len, ==, 5);
  g_assert_true (has (qemu, "pc") && has (qemu, "q35") && has (qemu, "pc-i440fx-7.2") &&
                 has (qemu, "pc-q35-7.2") && has (qemu, "pc-i440fx-2.12"));
  /* A machine under <domain type='kvm'> is kvm's only. */
  g_assert_false (has (qemu, "pc-q35-7.2-kvm-only"));
  g_assert_true (has (kvm, "pc-q35-7.2-kvm-only"));
  g_assert_cmpuint (kvm->len, ==, 6);
  /* Another architecture's machines are not this one's. */
  g_assert_cmpuint (i686->len, ==, 1);
  g_assert_true (has (i686, "isapc") && !has (qemu, "isapc"));
  g_assert_cmpuint (arm->len, ==, 0);
  /* Not capabilities at all. */
  g_assert_null (_kvmmig_capabilities_machines ("<capabilities", "x86_64", "qemu"));
  g_assert_null (_kvmmig_capabilities_machines (NULL, "x86_64", "qemu"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Kvmmig/MigrationJob/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("defaults", test_defaults);
  ADD ("options", test_options);
  ADD ("check/guest-exists", test_check_guest_exists);
  g_test_add ("/Kvmmig/MigrationJob/check/guest-not-found", Fixture, &check_guest_not_found,
              fixture_setup, test_check_fails, fixture_teardown);
  g_test_add ("/Kvmmig/MigrationJob/check/same-host", Fixture, &check_same_host,
              fixture_setup, test_check_fails, fixture_teardown);
  ADD ("check/not-running", test_check_not_running);
  ADD ("check/evacuation-budget", test_check_evacuation_budget);
  g_test_add ("/Kvmmig/MigrationJob/check/memory", Fixture, &check_memory,
              fixture_setup, test_check_fails, fixture_teardown);
  ADD ("check/bad-options", test_check_bad_options);
  ADD ("check/passes", test_check_passes_and_lists_every_check);
  ADD ("check/guest-by-uuid-or-id", test_check_guest_by_uuid_or_id);
  ADD ("check/qemu-checks-skip-other-hypervisors", test_check_qemu_checks_skip_other_hypervisors);
  ADD ("check/disk-locking", test_check_disk_locking);
  ADD ("check/cluster-managed", test_check_cluster_managed);
  ADD ("host-tune-migration-refusals", test_host_tune_migration_refusals);
  g_test_add_func ("/Kvmmig/Preflight/hypervisor-version-string", test_hypervisor_version_string);
  g_test_add_func ("/Kvmmig/Preflight/capabilities-machines", test_capabilities_machines);
  ADD ("run/fails-guest-stays", test_run_fails_guest_stays);
  ADD ("run/host-not-open", test_run_host_not_open);
  ADD ("run/check-after-run-refused", test_check_after_run_refused);
  ADD ("run/cancel-before-start", test_cancel_before_start);
  ADD ("run/second-job-refused", test_second_job_refused);
  ADD ("run/claim-released-when-run-ends", test_claim_released_when_run_ends);
  ADD ("run/cancel-before-outcome-delivered", test_cancel_before_outcome_delivered);
  ADD ("run/running-jobs-model", test_running_jobs_model);
  ADD ("null-arguments", test_null_arguments);

  /* test:///default is one instance per process, alive while a connection
   * to it is open: add the guests the tests use, and hold it open. */
  return kvmmig_test_run_holding_default ((const char *const[]) { "fresh", "twin", NULL });
}
