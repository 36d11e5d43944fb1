/* test-bad-input.c: a table of bad inputs through the C API (issue 8),
 * against two test-driver hosts. Each must give a KvmmigError of the
 * expected code with a message that names where, never a crash or a GLib
 * critical, and leave both hosts as they were. The same table, in
 * Python, is tests/gir/test_bad_input.py.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <libvirt/libvirt.h>

#include "kvmmig-test-utils.h"

#define HOST_A "test:///default"

static KvmmigHost *host_a;
static KvmmigHost *host_b;

/* -- what a case does ------------------------------------------------- */

typedef enum {
  OPEN_URI,        /* open a host at `text` */
  LOOKUP,          /* look up guest `text` on A */
  CHECK_GUEST,     /* check a job A -> B for guest `text` */
  CHECK_OPTION,    /* check a job A -> B for "fresh" with option `text` = `number` */
  CHECK_URI,       /* check a job with migration-uri `text` */
  CHECK_SAME,      /* check a job A -> A */
  RUN_TWICE,       /* run a job, then run it again */
  RUN_CLOSED,      /* run a job whose source was closed */
  RUN_DEST_CLOSED, /* run a job whose destination was never opened */
  EVACUATE_SELF,   /* evacuate A to A */
  EVACUATE_CLOSED, /* evacuate a host that is not open */
} Action;

typedef struct
{
  const char *what;
  Action action;
  const char *text;
  gint64 number;
  KvmmigError code;
} Case;

static const Case cases[] = {
  /* Hosts */
  { "blank URI (\"\" is libvirt's default)", OPEN_URI, "   ", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "URI with spaces", OPEN_URI, "not a uri", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "unterminated IPv6 URI", OPEN_URI, "qemu+tcp://[broken/system", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "unknown transport", OPEN_URI, "qemu+nosuch://127.0.0.1/system", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "invalid UTF-8 URI", OPEN_URI, "qemu+tcp://\xff\xfe/system", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "URI with a quote", OPEN_URI, "qemu+tcp://a'b/system", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "URI with a shell command", OPEN_URI, "qemu+tcp://$(reboot)/system", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "port out of range", OPEN_URI, "qemu+tcp://127.0.0.1:99999/system", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "nothing listening", OPEN_URI, "qemu+tcp://127.0.0.1:1/system", 0, KVMMIG_ERROR_HOST_UNREACHABLE },
  /* Guest names, looked up */
  { "empty guest name", LOOKUP, "", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "unknown guest", LOOKUP, "no-such-guest", 0, KVMMIG_ERROR_GUEST_NOT_FOUND },
  { "name with spaces", LOOKUP, "my guest", 0, KVMMIG_ERROR_GUEST_NOT_FOUND },
  { "name with quotes", LOOKUP, "a'b\"c", 0, KVMMIG_ERROR_GUEST_NOT_FOUND },
  { "name with XML", LOOKUP, "<domain>&amp;</domain>", 0, KVMMIG_ERROR_GUEST_NOT_FOUND },
  { "name in unicode", LOOKUP, "gäst-名前-🚀", 0, KVMMIG_ERROR_GUEST_NOT_FOUND },
  { "name with a shell command", LOOKUP, "$(rm -rf /); `reboot`", 0, KVMMIG_ERROR_GUEST_NOT_FOUND },
  { "invalid UTF-8 name", LOOKUP, "g\xc3\x28st", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  /* Guest names, migrated */
  { "job: empty guest name", CHECK_GUEST, "", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "job: unknown guest", CHECK_GUEST, "no-such-guest", 0, KVMMIG_ERROR_GUEST_NOT_FOUND },
  { "job: name with a newline", CHECK_GUEST, "a\nb", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "job: name with quotes", CHECK_GUEST, "a'b\"c", 0, KVMMIG_ERROR_GUEST_NOT_FOUND },
  { "job: name with XML", CHECK_GUEST, "]]><x/>", 0, KVMMIG_ERROR_GUEST_NOT_FOUND },
  { "job: name in unicode", CHECK_GUEST, "gäst-名前", 0, KVMMIG_ERROR_GUEST_NOT_FOUND },
  { "job: invalid UTF-8 name", CHECK_GUEST, "\xff", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "job: name already on the destination", CHECK_GUEST, "twin", 0, KVMMIG_ERROR_GUEST_EXISTS },
  { "job: UUID already on the destination", CHECK_GUEST, "test", 0, KVMMIG_ERROR_GUEST_EXISTS },
  { "job: same host", CHECK_SAME, "fresh", 0, KVMMIG_ERROR_SAME_HOST },
  /* Options out of range */
  { "negative bandwidth", CHECK_OPTION, "bandwidth-limit", -5, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "absurd bandwidth", CHECK_OPTION, "bandwidth-limit", G_MAXINT, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "zero downtime", CHECK_OPTION, "max-downtime-ms", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "negative downtime", CHECK_OPTION, "max-downtime-ms", -300, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "absurd downtime", CHECK_OPTION, "max-downtime-ms", 86400000, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "negative timeout", CHECK_OPTION, "completion-timeout-ms", -2, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "very negative timeout", CHECK_OPTION, "completion-timeout-ms", G_MININT, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "negative parallel connections", CHECK_OPTION, "parallel-connections", -1, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "absurd parallel connections", CHECK_OPTION, "parallel-connections", 100000, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "negative post-copy recovery", CHECK_OPTION, "postcopy-recovery-timeout-ms", -1, KVMMIG_ERROR_INVALID_ARGUMENT },
  /* Options that contradict each other */
  { "zstd without parallel connections", CHECK_OPTION, "compression", KVMMIG_COMPRESSION_ZSTD, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "xbzrle with parallel connections", CHECK_OPTION, "xbzrle+parallel", 4, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "post-copy policy with compression", CHECK_OPTION, "postcopy+compression", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "migration URI not a URI", CHECK_URI, "not a uri", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "migration URI of another scheme", CHECK_URI, "ftp://10.0.0.1", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "migration URI without a host", CHECK_URI, "tcp://", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "migration URI with a shell command", CHECK_URI, "tcp://$(reboot):49152", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  /* Jobs and hosts in the wrong state */
  { "job run twice", RUN_TWICE, "fresh", 0, KVMMIG_ERROR_INVALID_ARGUMENT },
  { "job whose source was closed", RUN_CLOSED, "fresh", 0, KVMMIG_ERROR_NOT_OPEN },
  { "job whose destination was never opened", RUN_DEST_CLOSED, "fresh", 0, KVMMIG_ERROR_NOT_OPEN },
  { "evacuation to itself", EVACUATE_SELF, NULL, 0, KVMMIG_ERROR_SAME_HOST },
  { "evacuation of a closed host", EVACUATE_CLOSED, NULL, 0, KVMMIG_ERROR_NOT_OPEN },
};

/* -- what "nothing changed" means: both hosts' guests, states, definitions */

static char *
snapshot (void)
{
  GString *out = g_string_new (NULL);
  KvmmigHost *hosts[] = { host_a, host_b };

  for (guint h = 0; h < G_N_ELEMENTS (hosts); h++)
    {
      g_autoptr(GPtrArray) guests = kvmmig_host_list_guests (hosts[h], NULL, NULL);

      g_assert_nonnull (guests);
      for (guint i = 0; i < guests->len; i++)
        {
          KvmmigGuest *g = g_ptr_array_index (guests, i);
          g_string_append_printf (out, "%u %s %s %d %d\n", h, kvmmig_guest_get_name (g),
                                  kvmmig_guest_get_uuid (g), kvmmig_guest_get_state (g),
                                  kvmmig_guest_is_persistent (g));
        }
    }
  return g_string_free (out, FALSE);
}

static GError *
apply (const Case *c)
{
  g_autoptr(KvmmigMigrationJob) job = NULL;
  g_autoptr(KvmmigHost) other = NULL;
  g_autoptr(KvmmigGuest) guest = NULL;
  GError *error = NULL;

  switch (c->action)
    {
    case OPEN_URI:
      other = kvmmig_host_new (c->text);
      kvmmig_host_open (other, NULL, &error);
      break;

    case LOOKUP:
      guest = kvmmig_host_lookup_guest (host_a, c->text, NULL, &error);
      break;

    case CHECK_GUEST:
      job = kvmmig_migration_job_new (host_a, host_b, c->text);
      kvmmig_migration_job_check (job, NULL, &error);
      break;

    case CHECK_SAME:
      job = kvmmig_migration_job_new (host_a, host_a, c->text);
      kvmmig_migration_job_check (job, NULL, &error);
      break;

    case CHECK_OPTION:
      job = kvmmig_migration_job_new (host_a, host_b, "fresh");
      if (g_str_equal (c->text, "xbzrle+parallel"))
        {
          kvmmig_migration_job_set_compression (job, KVMMIG_COMPRESSION_XBZRLE);
          kvmmig_migration_job_set_parallel_connections (job, (int) c->number);
        }
      else if (g_str_equal (c->text, "postcopy+compression"))
        {
          kvmmig_migration_job_set_policy (job, KVMMIG_MIGRATION_POLICY_POSTCOPY);
          kvmmig_migration_job_set_compression (job, KVMMIG_COMPRESSION_XBZRLE);
        }
      else if (g_str_equal (c->text, "compression"))
        kvmmig_migration_job_set_compression (job, (KvmmigCompression) c->number);
      else
        g_object_set (job, c->text, (int) c->number, NULL);
      kvmmig_migration_job_check (job, NULL, &error);
      break;

    case CHECK_URI:
      job = kvmmig_migration_job_new (host_a, host_b, "fresh");
      kvmmig_migration_job_set_migration_uri (job, c->text);
      kvmmig_migration_job_check (job, NULL, &error);
      break;

    case RUN_TWICE:
      job = kvmmig_migration_job_new (host_a, host_b, c->text);
      kvmmig_migration_job_run (job, NULL, NULL);   /* the test driver cannot migrate */
      kvmmig_migration_job_run (job, NULL, &error);
      break;

    case RUN_CLOSED:
      other = kvmmig_host_new (HOST_A);
      g_assert_true (kvmmig_host_open (other, NULL, NULL));
      job = kvmmig_migration_job_new (other, host_b, c->text);
      kvmmig_host_close (other);
      kvmmig_migration_job_run (job, NULL, &error);
      break;

    case RUN_DEST_CLOSED:
      other = kvmmig_host_new (kvmmig_host_get_uri (host_b));
      job = kvmmig_migration_job_new (host_a, other, c->text);
      kvmmig_migration_job_run (job, NULL, &error);
      break;

    case EVACUATE_SELF:
      {
        KvmmigHost *dests[] = { host_a };
        kvmmig_host_evacuate (host_a, dests, 1, NULL, &error);
      }
      break;

    case EVACUATE_CLOSED:
      {
        KvmmigHost *dests[] = { host_b };
        other = kvmmig_host_new (HOST_A);
        kvmmig_host_evacuate (other, dests, 1, NULL, &error);
      }
      break;
    }

  return error;
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *before = snapshot ();
  g_autofree char *after = NULL;
  g_autoptr(GError) error = apply (c);

  g_assert_nonnull (error);
  g_test_message ("%s -> %s", c->what, error->message);
  g_assert_error (error, KVMMIG_ERROR, (gint) c->code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  /* The message says where: a host URI (the source's, usually). */
  if (c->action != OPEN_URI || *c->text)
    g_assert_true (strstr (error->message, "://") != NULL || strstr (error->message, "test:") != NULL);

  after = snapshot ();
  g_assert_cmpstr (after, ==, before);
}

int
main (int argc, char *argv[])
{
  g_autofree char *host_b_uri = NULL;
  virConnectPtr conn;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* test:///default lives while a connection is open: add "fresh" (no
   * clash on B) and "twin" (a name B has), and hold it. */
  conn = kvmmig_test_hold_default ((const char *const[]) { "fresh", "twin", NULL });

  host_a = kvmmig_host_new (HOST_A);
  host_b_uri = kvmmig_test_host_b_uri ();
  host_b = kvmmig_host_new (host_b_uri);
  g_assert_true (kvmmig_host_open (host_a, NULL, NULL));
  g_assert_true (kvmmig_host_open (host_b, NULL, NULL));

  g_assert_cmpuint (G_N_ELEMENTS (cases), >=, 40);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/Kvmmig/BadInput/%02u", i + 1);
      g_test_add_data_func (name, &cases[i], test_case);
    }

  ret = g_test_run ();

  g_clear_object (&host_a);
  g_clear_object (&host_b);
  virConnectClose (conn);
  return ret;
}
