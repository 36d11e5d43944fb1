/* test-evacuation-live.c: emptying the testbed's src host: four idle guests go
 * to dst, at most two at a time; a second destination that cannot take
 * them (libvirt's test driver: no memory, no QEMU) is tried and skipped;
 * the aggregate progress never goes backwards; every guest ends running
 * and defined on dst.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <libvirt/libvirt.h>

#include "testbed-utils.h"

#define N_GUESTS 4

typedef struct
{
  guint running;
  guint max_running;
  guint started;
  guint finished;
  double last_progress;
  gboolean progress_backwards;
} Watch;

static void
on_started (KvmmigEvacuation *ev, KvmmigMigrationJob *job, KvmmigHost *dest, Watch *w)
{
  w->started++;
  w->running++;
  w->max_running = MAX (w->max_running, w->running);
  g_test_message ("started %s -> %s", kvmmig_migration_job_get_guest_name (job),
                  kvmmig_host_get_uri (dest));
}

static void
on_finished (KvmmigEvacuation *ev, KvmmigMigrationJob *job, Watch *w)
{
  w->finished++;
  w->running--;
  g_test_message ("finished %s: state %d", kvmmig_migration_job_get_guest_name (job),
                  kvmmig_migration_job_get_state (job));
}

static void
on_progress (KvmmigEvacuation *ev, Watch *w)
{
  double p = kvmmig_evacuation_get_progress (ev);

  if (p < w->last_progress)
    w->progress_backwards = TRUE;
  w->last_progress = p;
}

static void
store (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
test_evacuate (void)
{
  g_autoptr(KvmmigHost) src = kvmmig_test_open_host (testbed.src_uri);
  g_autoptr(KvmmigHost) dst = kvmmig_test_open_host (testbed.dst_uri);
  g_autoptr(KvmmigHost) nowhere = kvmmig_test_open_host ("test:///default");
  KvmmigHost *dests[] = { dst, nowhere };
  g_autoptr(KvmmigEvacuation) ev = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  char *names[N_GUESTS];
  virConnectPtr dconn = virConnectOpen (testbed.dst_uri);
  Watch w = { 0 };
  gint64 t0;

  for (guint i = 0; i < N_GUESTS; i++)
    {
      g_autofree char *base = g_strdup_printf ("evac%u", i);
      names[i] = testbed_guest_name (base);
      testbed_guest (names[i], "src", 256, "idle");
    }

  ev = kvmmig_evacuation_new (src, dests, G_N_ELEMENTS (dests));
  g_signal_connect (ev, "job-started", G_CALLBACK (on_started), &w);
  g_signal_connect (ev, "job-finished", G_CALLBACK (on_finished), &w);
  g_signal_connect (ev, "progress", G_CALLBACK (on_progress), &w);

  t0 = g_get_monotonic_time ();
  kvmmig_evacuation_run_async (ev, NULL, store, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (kvmmig_evacuation_run_finish (ev, result, &error));
  g_assert_no_error (error);
  g_test_message ("evacuated %u guests in %.2f s, at most %u at once",
                  kvmmig_evacuation_get_guests_moved (ev),
                  (g_get_monotonic_time () - t0) / 1e6, w.max_running);

  g_assert_cmpint (kvmmig_evacuation_get_state (ev), ==, KVMMIG_MIGRATION_STATE_COMPLETED);
  g_assert_cmpuint (kvmmig_evacuation_get_guests_total (ev), >=, N_GUESTS);
  g_assert_cmpuint (kvmmig_evacuation_get_guests_moved (ev), ==,
                    kvmmig_evacuation_get_guests_total (ev));
  g_assert_cmpuint (kvmmig_evacuation_get_guests_failed (ev), ==, 0);
  g_assert_cmpfloat (kvmmig_evacuation_get_progress (ev), ==, 1.0);
  g_assert_false (w.progress_backwards);
  g_assert_cmpuint (w.max_running, <=, 2);
  g_assert_cmpuint (w.max_running, ==, 2);
  g_assert_cmpuint (w.finished, ==, w.started);

  jobs = kvmmig_evacuation_get_jobs (ev);
  for (guint i = 0; i < jobs->len; i++)
    {
      KvmmigMigrationJob *job = g_ptr_array_index (jobs, i);

      g_assert_true (kvmmig_migration_job_get_destination (job) == dst);
      g_assert_cmpint (kvmmig_migration_job_get_guest_location (job), ==,
                       KVMMIG_GUEST_LOCATION_DESTINATION);
    }

  for (guint i = 0; i < N_GUESTS; i++)
    {
      virDomainPtr dom = virDomainLookupByName (dconn, names[i]);
      int state = -1, reason;

      g_assert_nonnull (dom);
      virDomainGetState (dom, &state, &reason, 0);
      g_assert_cmpint (state, ==, VIR_DOMAIN_RUNNING);
      g_assert_cmpint (virDomainIsPersistent (dom), ==, 1);
      virDomainFree (dom);
      testbed_guest_rm (names[i]);
      g_free (names[i]);
    }
  virConnectClose (dconn);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  testbed_init_or_skip ();

  g_test_add_func ("/Kvmmig/Integration/Evacuation/four-idle-guests", test_evacuate);

  return g_test_run ();
}
