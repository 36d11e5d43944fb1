/* test-host-replies.c: the readers of what a libvirt host sends, on the
 * hostile inputs that once crashed, leaked or broke an invariant in
 * tests/fuzz/ (each test names its regression input there): bad XML gives
 * a KvmmigError in valid UTF-8 that names what was read, never a crash.
 * No libvirt connection.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <gio/gio.h>

#include "kvmmig-convergence-private.h"
#include "kvmmig-error.h"
#include "kvmmig-host-info-private.h"
#include "kvmmig-migration-states-private.h"
#include "kvmmig-preflight-check-private.h"
#include "kvmmig-qmp-private.h"

static void
assert_reply_refused (const char *reply,
                      const char *expected_start)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (_kvmmig_qmp_reply_check (reply, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_true (g_str_has_prefix (error->message, expected_start));
  /* A quote of the reply, not all of it. */
  g_assert_cmpuint (strlen (error->message), <, 600);
}

/* corpus/qmp-reply/qmp-regress-*.json */
static void
test_qmp_reply (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = g_strnfill (1000000, '[');
  g_autofree char *long_desc = NULL;
  g_autofree char *long_reply = NULL;

  g_assert_true (_kvmmig_qmp_reply_check (NULL, &error));
  g_assert_no_error (error);
  g_assert_true (_kvmmig_qmp_reply_check ("{\"return\": {}, \"id\": \"libvirt-7\"}", &error));
  g_assert_no_error (error);

  assert_reply_refused ("{\"error\": {\"class\": \"GenericError\", \"desc\": \"no migration\"}}",
                        "QEMU refused it: no migration");
  /* A million levels: json-glib would recurse until the stack overflows. */
  deep[0] = '{';
  assert_reply_refused (deep, "QEMU's monitor gave a reply nested deeper than 64 levels");
  deep[0] = '[';
  /* json-glib 1.6 leaks what it read before data after the root. */
  assert_reply_refused ("{\"return\": {}} {\"return\": {}}",
                        "QEMU's monitor gave a reply with more after its JSON object");
  assert_reply_refused ("0{\"error\": {\"desc\": null}}",
                        "QEMU's monitor gave a reply that is not an object");
  g_assert_true (_kvmmig_qmp_reply_check (" {\"return\": {\"s\": \"}]\\\"\"}}\r\n", &error));
  g_assert_no_error (error);
  /* json-glib 1.6 leaks on a malformed surrogate pair. */
  assert_reply_refused ("{\"error\": {\"desc\": \"\\ud83d\\u\"}}",
                        "QEMU's monitor gave a reply that is not JSON (a \\u escape");
  assert_reply_refused ("{\"a\": \"\\ude00\"}", "QEMU's monitor gave a reply that is not JSON");
  assert_reply_refused ("{\"a\": \"\\u12\"}", "QEMU's monitor gave a reply that is not JSON");
  g_assert_false (_kvmmig_qmp_reply_check ("{\"error\": {\"desc\": \"\\u00e9\\ud83d\\ude00\"}}",
                                           &error));
  g_assert_cmpstr (error->message, ==, "QEMU refused it: \u00e9\U0001F600");
  g_clear_error (&error);
  /* Bytes that are not UTF-8 are not pasted into the message. */
  assert_reply_refused ("{\"\x8d\x9aturn\": \x17{}}", "QEMU's monitor gave a reply that is not JSON");
  /* JSON has no comments; json-glib 1.6 reads C ones and leaks on some. */
  assert_reply_refused ("{/{{/}{}}", "QEMU's monitor gave a reply that is not JSON (a character");
  assert_reply_refused ("{\"return\": {} /* x */}", "QEMU's monitor gave a reply that is not JSON");
  g_assert_true (_kvmmig_qmp_reply_check ("{\"return\": {\"path\": \"/* x */\"}}", &error));
  g_assert_no_error (error);
  /* A "desc" that is not a string was a GLib critical. */
  assert_reply_refused ("{\"error\": {\"desc\": {\"x\": 1}}}", "QEMU refused it: {\"error\"");
  assert_reply_refused ("{\"error\": {\"desc\": [\"a\"]}}", "QEMU refused it: {\"error\"");
  assert_reply_refused ("[{\"return\": {}}]", "QEMU's monitor gave a reply that is not an object");

  long_desc = g_strdup_printf ("{\"error\": {\"desc\": \"%s\"}}", deep + 1000000 - 5000);
  for (char *p = strchr (long_desc, '['); p && *p == '['; p++)
    *p = 'x';
  assert_reply_refused (long_desc, "QEMU refused it: xxx");
  long_reply = g_strdup_printf ("{\"return\": {}, \"padding\": \"%s\"", deep + 1000000 - 5000);
  assert_reply_refused (long_reply, "QEMU's monitor gave a reply that is not JSON");
}

/* query-block-jobs: the mirror jobs of a disk copy, by id; other jobs,
 * odd members and refused replies. */
static void
test_qmp_mirror_jobs (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) none = NULL;
  char **bad;

  ids = _kvmmig_qmp_mirror_jobs ("{\"return\":[{\"device\":\"drive-virtio-disk0\",\"type\":\"mirror\","
                                 "\"len\":67108864},{\"device\":\"c1\",\"type\":\"commit\"},"
                                 "{\"device\":5,\"type\":\"mirror\"},{\"type\":\"mirror\"},7,"
                                 "{\"device\":\"drive-virtio-disk1\",\"type\":\"mirror\"}],"
                                 "\"id\":\"libvirt-487\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, "drive-virtio-disk0");
  g_assert_cmpstr (ids[1], ==, "drive-virtio-disk1");

  none = _kvmmig_qmp_mirror_jobs ("{\"return\":[]}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  bad = _kvmmig_qmp_mirror_jobs ("{\"return\":{}}", &error);
  g_assert_null (bad);
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "without a list of jobs"));
  g_clear_error (&error);
  bad = _kvmmig_qmp_mirror_jobs ("{\"error\":{\"class\":\"GenericError\",\"desc\":\"no\"}}", &error);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "QEMU refused it: no");
  g_clear_error (&error);
  bad = _kvmmig_qmp_mirror_jobs (NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED);
}

/* corpus/job-stats/job-hostile-figures.txt and job-regress-downtime.txt:
 * figures no QEMU sends. */
static void
test_job_stats_extremes (void)
{
  virTypedParameterPtr params = NULL;
  int nparams = 0, maxparams = 0;
  KvmmigConvergenceSample s = { 0 };
  KvmmigConvergenceDecision d = { 0 };
  KvmmigConvergence *engine;
  guint64 processed = 0, total = 0;

  g_assert_cmpint (virTypedParamsAddULLong (&params, &nparams, &maxparams,
                                            VIR_DOMAIN_JOB_DATA_TOTAL, G_MAXUINT64), ==, 0);
  g_assert_cmpint (virTypedParamsAddULLong (&params, &nparams, &maxparams,
                                            VIR_DOMAIN_JOB_DATA_REMAINING, G_MAXUINT64), ==, 0);
  g_assert_cmpint (virTypedParamsAddULLong (&params, &nparams, &maxparams,
                                            VIR_DOMAIN_JOB_MEMORY_BPS, 1), ==, 0);
  g_assert_cmpint (virTypedParamsAddULLong (&params, &nparams, &maxparams,
                                            VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, G_MAXUINT64 / 2), ==, 0);
  g_assert_cmpint (virTypedParamsAddULLong (&params, &nparams, &maxparams,
                                            VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, 4096), ==, 0);
  g_assert_cmpint (virTypedParamsAddULLong (&params, &nparams, &maxparams,
                                            VIR_DOMAIN_JOB_MEMORY_ITERATION, 2), ==, 0);
  g_assert_cmpint (virTypedParamsAddULLong (&params, &nparams, &maxparams,
                                            VIR_DOMAIN_JOB_DOWNTIME, G_MAXUINT64), ==, 0);

  g_assert_true (_kvmmig_job_stats_read (VIR_DOMAIN_JOB_UNBOUNDED, params, nparams, &s,
                                         &processed, &total));
  /* Pages/s times the page size saturates instead of wrapping round. */
  g_assert_cmpuint (s.dirty_rate, ==, G_MAXUINT64);
  g_assert_cmpuint (s.remaining, ==, G_MAXUINT64);
  /* 2^64 ms is no downtime. */
  g_assert_cmpint (_kvmmig_job_stats_downtime_ms (params, nparams), ==, -1);

  /* 2^64 bytes at 1 byte/s: an estimate that is huge, not negative (its
   * conversion was undefined). */
  s.dirty_rate = 0;
  g_assert_cmpint (_kvmmig_convergence_eta_ms (&s, 300), >, G_MAXINT64 / 2);
  s.postcopy = TRUE;
  g_assert_cmpint (_kvmmig_convergence_eta_ms (&s, 300), >, G_MAXINT64 / 2);
  s.postcopy = FALSE;

  /* The downtime that would be needed is far beyond the limit: the limit,
   * with the time it would take said in the reason. */
  s.dirty_rate = G_MAXUINT64;
  s.elapsed_ms = 1000;
  engine = _kvmmig_convergence_new (KVMMIG_MIGRATION_POLICY_AUTO, 500, FALSE, 0);
  g_assert_true (_kvmmig_convergence_decide (engine, &s, &d));
  g_assert_cmpint (d.action, ==, KVMMIG_POLICY_ACTION_SET_DOWNTIME);
  g_assert_cmpuint (d.value, ==, 500);
  g_assert_nonnull (strstr (d.reason, "9000000000000000010 ms"));
  _kvmmig_convergence_decision_clear (&d);
  _kvmmig_convergence_free (engine);

  virTypedParamsFree (params, nparams);
}

/* A migration that copies disks: libvirt's data figures add the disks'
 * to the memory's; the policy gets the memory's, the job both. */
static void
test_job_stats_with_disks (void)
{
  virTypedParameterPtr params = NULL;
  int nparams = 0, maxparams = 0;
  KvmmigConvergenceSample s = { 0 };
  guint64 processed = 0, total = 0;
  const struct { const char *field; unsigned long long value; } figures[] = {
    { VIR_DOMAIN_JOB_DATA_TOTAL, 1000 + 300 },
    { VIR_DOMAIN_JOB_DATA_PROCESSED, 600 + 100 },
    { VIR_DOMAIN_JOB_DATA_REMAINING, 400 + 200 },
    { VIR_DOMAIN_JOB_DISK_TOTAL, 1000 },
    { VIR_DOMAIN_JOB_DISK_PROCESSED, 600 },
    { VIR_DOMAIN_JOB_DISK_REMAINING, 400 },
    { VIR_DOMAIN_JOB_DISK_BPS, 50 },
    { VIR_DOMAIN_JOB_MEMORY_TOTAL, 300 },
    { VIR_DOMAIN_JOB_MEMORY_REMAINING, 200 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    g_assert_cmpint (virTypedParamsAddULLong (&params, &nparams, &maxparams, figures[i].field,
                                              figures[i].value), ==, 0);
  g_assert_true (_kvmmig_job_stats_read (VIR_DOMAIN_JOB_UNBOUNDED, params, nparams, &s,
                                         &processed, &total));
  g_assert_cmpuint (total, ==, 1300);
  g_assert_cmpuint (processed, ==, 700);
  g_assert_cmpuint (s.data_remaining, ==, 600);
  g_assert_cmpuint (s.remaining, ==, 200);
  g_assert_cmpuint (s.disk_total, ==, 1000);
  g_assert_cmpuint (s.disk_processed, ==, 600);
  g_assert_cmpuint (s.disk_remaining, ==, 400);
  g_assert_cmpuint (s.disk_bandwidth, ==, 50);
  g_assert_cmpuint (s.memory_total, ==, 300);
  virTypedParamsFree (params, nparams);
}

/* corpus/capabilities-xml/caps-regress-*: libvirt-gconfig crashed on
 * these. */
static void
test_capabilities (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL, *arch = NULL, *model = NULL;

  g_assert_false (_kvmmig_capabilities_read ("", "the capabilities of h", &uuid, &arch, &model,
                                             &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "the capabilities of h is empty");
  g_clear_error (&error);

  g_assert_false (_kvmmig_capabilities_read ("not XML", "the capabilities of h", &uuid, &arch,
                                             &model, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message,
                                   "the capabilities of h is not well-formed XML (line 1: "));
  g_clear_error (&error);

  g_assert_false (_kvmmig_capabilities_read ("<domain/>", "the capabilities of h", &uuid, &arch,
                                             &model, &error));
  g_assert_cmpstr (error->message, ==,
                   "the capabilities of h cannot be read: it has no <capabilities> element");
  g_clear_error (&error);
  g_assert_null (uuid);

  g_assert_true (_kvmmig_capabilities_read ("<capabilities><host><uuid>u-1</uuid><cpu>"
                                            "<arch>x86_64</arch><model>Skylake-Client-IBRS</model>"
                                            "</cpu></host></capabilities>",
                                            "the capabilities of h", &uuid, &arch, &model, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (uuid, ==, "u-1");
  g_assert_cmpstr (arch, ==, "x86_64");
  g_assert_cmpstr (model, ==, "Skylake-Client-IBRS");
}

/* corpus/capabilities-xml/domcaps-regress-duplicate-model.xml: a model
 * listed twice as unusable leaked the first reason. */
static void
test_domcaps_duplicate_model (void)
{
  static const char caps[] =
    "<domainCapabilities><cpu><mode name='custom' supported='yes'>"
    "<model usable='no'>qemu64</model><model usable='no'>qemu64</model>"
    "<model usable='no'>kvm64</model><model usable='yes'>kvm64</model>"
    "</mode></cpu></domainCapabilities>";
  g_autofree char *why = NULL;

  g_assert_false (_kvmmig_domcaps_allow_cpu (caps, "custom", "qemu64", &why));
  g_assert_cmpstr (why, ==, "it cannot provide CPU model qemu64 on its host CPU");
  g_clear_pointer (&why, g_free);
  g_assert_true (_kvmmig_domcaps_allow_cpu (caps, "custom", "kvm64", &why));
  g_assert_null (why);
  g_assert_false (_kvmmig_domcaps_allow_cpu (caps, "custom", "EPYC", &why));
  g_assert_cmpstr (why, ==, "it does not know CPU model EPYC");
  g_clear_pointer (&why, g_free);
  g_assert_false (_kvmmig_domcaps_allow_cpu (caps, "host-model", NULL, &why));
  g_assert_cmpstr (why, ==, "it does not support CPU mode host-model for such guests");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* libvirt's error state, which its typed parameters use. */
  g_assert_cmpint (virInitialize (), ==, 0);

  g_test_add_func ("/Kvmmig/HostReplies/qmp-reply", test_qmp_reply);
  g_test_add_func ("/Kvmmig/HostReplies/qmp-mirror-jobs", test_qmp_mirror_jobs);
  g_test_add_func ("/Kvmmig/HostReplies/job-stats-extremes", test_job_stats_extremes);
  g_test_add_func ("/Kvmmig/HostReplies/job-stats-with-disks", test_job_stats_with_disks);
  g_test_add_func ("/Kvmmig/HostReplies/capabilities", test_capabilities);
  g_test_add_func ("/Kvmmig/HostReplies/domcaps-duplicate-model", test_domcaps_duplicate_model);

  return g_test_run ();
}
