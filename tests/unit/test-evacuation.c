/* test-evacuation.c: KvmmigEvacuation against libvirt's test driver, which
 * cannot migrate: options, the per-guest outcome when every migration
 * fails, the summary error, and that the guests stay where they were; a
 * cancel names the guests never started. Where each guest goes is tried
 * on plain figures (the test driver reports no free memory). Real
 * evacuations are in tests/integration/test-evacuation-live.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "kvmmig-evacuation-private.h"
#include "kvmmig-test-utils.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)

static void
test_defaults_and_options (void)
{
  g_autoptr(KvmmigHost) a = kvmmig_host_new ("test:///default");
  g_autoptr(KvmmigHost) b = kvmmig_host_new ("test:///default");
  KvmmigHost *dests[] = { b };
  g_autoptr(KvmmigEvacuation) ev = kvmmig_evacuation_new (a, dests, 1);
  g_autoptr(GPtrArray) d = kvmmig_evacuation_get_destinations (ev);

  g_assert_true (kvmmig_evacuation_get_source (ev) == a);
  g_assert_cmpuint (d->len, ==, 1);
  g_assert_cmpuint (kvmmig_evacuation_get_max_per_source (ev), ==, 2);
  g_assert_cmpuint (kvmmig_evacuation_get_max_per_destination (ev), ==, 2);
  g_assert_cmpint (kvmmig_evacuation_get_state (ev), ==, KVMMIG_MIGRATION_STATE_NEW);
  g_assert_cmpint (kvmmig_evacuation_get_policy (ev), ==, KVMMIG_MIGRATION_POLICY_AUTO);
  g_assert_false (kvmmig_evacuation_get_tls (ev));
  g_assert_false (kvmmig_evacuation_get_require_disk_locking (ev));
  g_assert_false (kvmmig_evacuation_get_allow_cluster_managed (ev));
  g_object_set (ev, "allow-cluster-managed", TRUE, NULL);
  g_assert_true (kvmmig_evacuation_get_allow_cluster_managed (ev));
  kvmmig_evacuation_set_allow_cluster_managed (ev, FALSE);
  g_assert_false (kvmmig_evacuation_get_allow_cluster_managed (ev));
  kvmmig_evacuation_set_max_per_source (ev, 4);
  g_assert_cmpuint (kvmmig_evacuation_get_max_per_source (ev), ==, 4);
  g_object_set (ev, "policy", KVMMIG_MIGRATION_POLICY_PRECOPY, "tls", TRUE, NULL);
  g_assert_cmpint (kvmmig_evacuation_get_policy (ev), ==, KVMMIG_MIGRATION_POLICY_PRECOPY);
  g_assert_true (kvmmig_evacuation_get_tls (ev));
  g_object_set (ev, "require-disk-locking", TRUE, NULL);
  g_assert_true (kvmmig_evacuation_get_require_disk_locking (ev));
  kvmmig_evacuation_set_require_disk_locking (ev, FALSE);
  g_assert_false (kvmmig_evacuation_get_require_disk_locking (ev));

  g_test_expect_message ("Kvmmig", G_LOG_LEVEL_CRITICAL, "*n >= 1*");
  kvmmig_evacuation_set_max_per_destination (ev, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Kvmmig", G_LOG_LEVEL_CRITICAL, "*n_destinations > 0*");
  g_assert_null (kvmmig_evacuation_new (a, dests, 0));
  g_test_assert_expected_messages ();
}

/* An evacuation of the second test-driver host (B) to test:///default, its
 * one destination; both hosts open. */
static KvmmigEvacuation *
evacuation_of_host_b (void)
{
  g_autofree char *b_uri = kvmmig_test_host_b_uri ();
  g_autoptr(KvmmigHost) b = kvmmig_host_new (b_uri);
  g_autoptr(KvmmigHost) a = kvmmig_host_new ("test:///default");
  KvmmigHost *dests[] = { a };

  g_assert_true (kvmmig_host_open (a, NULL, NULL));
  g_assert_true (kvmmig_host_open (b, NULL, NULL));
  return kvmmig_evacuation_new (b, dests, 1);
}

static void
test_every_guest_fails (void)
{
  /* Two test-driver hosts: B refuses nothing in its checks but cannot
   * migrate, so each guest ends FAILED, on its source. */
  g_autoptr(KvmmigEvacuation) ev = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) guests = NULL;
  g_autoptr(GError) error = NULL;

  ev = evacuation_of_host_b ();
  g_object_set (ev, "policy", KVMMIG_MIGRATION_POLICY_PRECOPY, "tls", TRUE,
                "require-disk-locking", TRUE, "allow-cluster-managed", TRUE, NULL);
  g_assert_false (kvmmig_evacuation_run (ev, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_MIGRATION_FAILED);
  g_assert_nonnull (strstr (error->message, "2 of 2 guests could not be moved"));
  g_assert_nonnull (strstr (error->message, "twin"));
  g_assert_nonnull (strstr (error->message, "other"));
  g_assert_cmpint (kvmmig_evacuation_get_state (ev), ==, KVMMIG_MIGRATION_STATE_FAILED);
  g_assert_cmpuint (kvmmig_evacuation_get_guests_total (ev), ==, 2);
  g_assert_cmpuint (kvmmig_evacuation_get_guests_moved (ev), ==, 0);
  g_assert_cmpuint (kvmmig_evacuation_get_guests_failed (ev), ==, 2);
  g_assert_cmpfloat (kvmmig_evacuation_get_progress (ev), ==, 1.0);

  jobs = kvmmig_evacuation_get_jobs (ev);
  g_assert_cmpuint (jobs->len, ==, 2);
  for (guint i = 0; i < jobs->len; i++)
    {
      KvmmigMigrationJob *job = g_ptr_array_index (jobs, i);
      g_autoptr(KvmmigMigrationJob) found =
        kvmmig_evacuation_lookup_job (ev, kvmmig_migration_job_get_guest_name (job));

      /* Each job took the evacuation's options. */
      g_assert_true (found == job);
      g_assert_true (kvmmig_migration_job_get_tls (job));
      g_assert_true (kvmmig_migration_job_get_require_disk_locking (job));
      g_assert_true (kvmmig_migration_job_get_allow_cluster_managed (job));
      g_assert_cmpint (kvmmig_migration_job_get_policy (job), ==, KVMMIG_MIGRATION_POLICY_PRECOPY);
      g_assert_cmpint (kvmmig_migration_job_get_state (job), ==, KVMMIG_MIGRATION_STATE_FAILED);
      g_assert_nonnull (kvmmig_migration_job_get_error (job));
      g_assert_cmpint (kvmmig_migration_job_get_guest_location (job), ==,
                       KVMMIG_GUEST_LOCATION_SOURCE);
    }

  g_clear_error (&error);
  guests = kvmmig_host_list_guests (kvmmig_evacuation_get_source (ev), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (guests->len, ==, 2);
  for (guint i = 0; i < guests->len; i++)
    g_assert_cmpint (kvmmig_guest_get_state (g_ptr_array_index (guests, i)), ==,
                     KVMMIG_GUEST_STATE_RUNNING);

  /* An evacuation runs once. */
  g_clear_error (&error);
  g_assert_false (kvmmig_evacuation_run (ev, NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT);
}

static void
count_finished (KvmmigEvacuation   *ev,
                KvmmigMigrationJob *job,
                gpointer            data)
{
  g_assert_nonnull (job);
  (*(guint *) data)++;
}

static void
cancel_on_start (KvmmigEvacuation   *ev,
                 KvmmigMigrationJob *job,
                 KvmmigHost         *destination,
                 gpointer            data)
{
  g_cancellable_cancel (data);
}

static void
test_cancelled_names_guests_not_started (void)
{
  /* One migration at a time, cancelled as the first starts: the second
   * guest never gets a job nor ::job-finished, and is still named. */
  g_autoptr(KvmmigEvacuation) ev = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) guests = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  guint finished = 0;

  ev = evacuation_of_host_b ();
  kvmmig_evacuation_set_max_per_source (ev, 1);
  g_signal_connect (ev, "job-started", G_CALLBACK (cancel_on_start), cancellable);
  g_signal_connect (ev, "job-finished", G_CALLBACK (count_finished), &finished);
  g_assert_false (kvmmig_evacuation_run (ev, cancellable, &error));
  g_test_message ("%s", error->message);

  guests = kvmmig_evacuation_get_guests (ev);
  jobs = kvmmig_evacuation_get_jobs (ev);
  g_assert_cmpuint (guests->len, ==, 2);
  g_assert_cmpuint (kvmmig_evacuation_get_guests_total (ev), ==, 2);
  g_assert_cmpuint (kvmmig_evacuation_get_guests_failed (ev), ==, 2);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpuint (finished, ==, 1);
  {
    g_autoptr(KvmmigMigrationJob) first =
      kvmmig_evacuation_lookup_job (ev, kvmmig_guest_get_name (g_ptr_array_index (guests, 0)));
    g_autoptr(KvmmigMigrationJob) second =
      kvmmig_evacuation_lookup_job (ev, kvmmig_guest_get_name (g_ptr_array_index (guests, 1)));

    g_assert_true (first == g_ptr_array_index (jobs, 0));
    g_assert_null (second);
    /* The first was cancelled as it ran: it says so, and where its guest is. */
    g_assert_cmpint (kvmmig_migration_job_get_state (first), ==, KVMMIG_MIGRATION_STATE_CANCELLED);
    g_assert_error (kvmmig_migration_job_get_error (first), G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (kvmmig_migration_job_get_guest_location (first), ==,
                     KVMMIG_GUEST_LOCATION_SOURCE);
  }
  g_assert_null (kvmmig_evacuation_lookup_job (ev, "no-such-guest"));
}

static void
test_placement (void)
{
  /* A has 40 GiB free, B 20 GiB; guests of 32 then 24 GiB. */
  KvmmigPlacementDest d[2] = { { .free_memory = 40 * GIB }, { .free_memory = 20 * GIB } };
  gboolean rejected[2] = { FALSE, FALSE };

  /* The 32 GiB guest goes to A, the roomiest. */
  g_assert_cmpint (_kvmmig_placement_choose (d, rejected, 2, 32 * GIB, 2), ==, 0);
  d[0].reserved = d[0].in_flight = 32 * GIB;
  d[0].active = 1;

  /* The 24 GiB guest fits neither (A has 8 GiB left, B 20): it waits while
   * the first is on its way, since if that failed A would have room. */
  g_assert_cmpint (_kvmmig_placement_choose (d, rejected, 2, 24 * GIB, 2), ==, -2);

  /* The first arrived: A's 32 GiB stay promised. Nothing can change now:
   * the guest is given B, the roomier, whose check will refuse it. */
  d[0].in_flight = 0;
  d[0].active = 0;
  g_assert_cmpint (_kvmmig_placement_choose (d, rejected, 2, 24 * GIB, 2), ==, 1);
  /* B refused it: A is tried, and its check refuses it with the figures. */
  rejected[1] = TRUE;
  g_assert_cmpint (_kvmmig_placement_choose (d, rejected, 2, 24 * GIB, 2), ==, 0);
  rejected[0] = TRUE;
  g_assert_cmpint (_kvmmig_placement_choose (d, rejected, 2, 24 * GIB, 2), ==, -1);

  /* A small guest fits both: it goes where most is left, B. */
  rejected[0] = rejected[1] = FALSE;
  g_assert_cmpint (_kvmmig_placement_choose (d, rejected, 2, 4 * GIB, 2), ==, 1);
}

static void
test_placement_busy_and_unknown (void)
{
  KvmmigPlacementDest d[3] = {
    { .free_memory = 64 * GIB, .active = 2 },   /* fits, but busy */
    { .free_memory = 0 },                        /* does not say */
    { .info_failed = TRUE },                     /* could not be read */
  };
  gboolean rejected[3] = { FALSE, FALSE, FALSE };

  /* The only destination known to fit is busy: wait for it rather than
   * send the guest where its memory is unknown. */
  g_assert_cmpint (_kvmmig_placement_choose (d, rejected, 3, 8 * GIB, 2), ==, -2);
  /* Free again: it is chosen. */
  d[0].active = 1;
  g_assert_cmpint (_kvmmig_placement_choose (d, rejected, 3, 8 * GIB, 2), ==, 0);
  /* Refused there: the unknown one comes before the unreadable one. */
  rejected[0] = TRUE;
  g_assert_cmpint (_kvmmig_placement_choose (d, rejected, 3, 8 * GIB, 2), ==, 1);
  rejected[1] = TRUE;
  g_assert_cmpint (_kvmmig_placement_choose (d, rejected, 3, 8 * GIB, 2), ==, 2);
  /* All busy: later. */
  d[2].active = 2;
  g_assert_cmpint (_kvmmig_placement_choose (d, rejected, 3, 8 * GIB, 2), ==, -2);

  /* Too small even if everything on its way came back: no point waiting. */
  {
    KvmmigPlacementDest e[1] = { { .free_memory = 16 * GIB, .reserved = 12 * GIB,
                                   .in_flight = 4 * GIB, .active = 1 } };

    g_assert_cmpint (_kvmmig_placement_choose (e, NULL, 1, 32 * GIB, 2), ==, 0);
    g_assert_cmpint (_kvmmig_placement_choose (e, NULL, 1, 6 * GIB, 2), ==, -2);
  }
}

static void
test_source_among_destinations (void)
{
  g_autoptr(KvmmigHost) a = kvmmig_host_new ("test:///default");
  KvmmigHost *dests[] = { a };
  g_autoptr(GError) error = NULL;

  g_assert_false (kvmmig_host_evacuate (a, dests, 1, NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_SAME_HOST);
}

static void
test_source_not_open (void)
{
  g_autoptr(KvmmigHost) a = kvmmig_host_new ("test:///default");
  g_autoptr(KvmmigHost) b = kvmmig_host_new ("test:///default");
  KvmmigHost *dests[] = { b };
  g_autoptr(GError) error = NULL;

  g_assert_false (kvmmig_host_evacuate (a, dests, 1, NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_OPEN);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Kvmmig/Evacuation/defaults-and-options", test_defaults_and_options);
  g_test_add_func ("/Kvmmig/Evacuation/every-guest-fails", test_every_guest_fails);
  g_test_add_func ("/Kvmmig/Evacuation/cancelled-names-guests-not-started",
                   test_cancelled_names_guests_not_started);
  g_test_add_func ("/Kvmmig/Evacuation/placement", test_placement);
  g_test_add_func ("/Kvmmig/Evacuation/placement-busy-and-unknown", test_placement_busy_and_unknown);
  g_test_add_func ("/Kvmmig/Evacuation/source-among-destinations", test_source_among_destinations);
  g_test_add_func ("/Kvmmig/Evacuation/source-not-open", test_source_not_open);

  return g_test_run ();
}
