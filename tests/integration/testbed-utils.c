/* testbed-utils.c: what the C integration tests share (see the header).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <unistd.h>

#include "testbed-utils.h"

Testbed testbed;

static void
skip_all (const char *why)
{
  g_print ("1..0 # SKIP %s\n", why);
  g_printerr ("SKIPPED: %s\n", why);
  exit (0);
}

static char *
env_value (GHashTable *env, const char *key)
{
  const char *v = g_hash_table_lookup (env, key);

  if (v == NULL)
    g_error ("kvmmig-testbed env printed no %s", key);
  return g_strdup (v);
}

void
testbed_init_or_skip (void)
{
  g_autoptr(GHashTable) env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  const char *script = g_getenv ("KVMMIG_TESTBED");
  int status = 0;

  if (geteuid () != 0)
    skip_all ("not root: the integration tests need the two-host testbed, which "
              "needs root (run `sudo ./tools/run-tests`)");
  if (script == NULL)
    skip_all ("KVMMIG_TESTBED is not set: run through `meson test --suite integration`");

  {
    const char *argv[] = { script, "status", NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                  G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL);
    if (!g_spawn_check_wait_status (status, NULL))
      skip_all ("the testbed is not up: run `kvmmig-testbed up` first, or the whole "
                "integration suite, which brings it up and down");
  }

  {
    const char *argv[] = { script, "env", NULL };
    g_autoptr(GError) error = NULL;

    if (!g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, NULL,
                       &status, &error) ||
        !g_spawn_check_wait_status (status, &error))
      g_error ("kvmmig-testbed env failed: %s", error->message);
  }

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *eq = strchr (lines[i], '=');
      char *value;

      if (eq == NULL)
        continue;
      *eq = '\0';
      value = eq + 1;
      if (*value == '"')
        {
          value++;
          value[strcspn (value, "\"")] = '\0';
        }
      g_hash_table_insert (env, g_strdup (lines[i]), g_strdup (value));
    }

  testbed.script = g_strdup (script);

  /* A test that failed an assertion aborted before removing its guests:
   * remove what earlier runs left, so that they do not eat the CPUs. */
  {
    const char *argv[] = { script, "guests", NULL };
    g_autofree char *list = NULL;
    g_auto(GStrv) rows = NULL;

    if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                      &list, NULL, &status, NULL))
      {
        rows = g_strsplit (list, "\n", -1);
        for (guint i = 0; rows[i]; i++)
          if (g_str_has_prefix (rows[i], "it-"))
            {
              g_autofree char *name = g_strndup (rows[i], strcspn (rows[i], " \t"));
              const char *rm[] = { script, "guest-rm", name, NULL };

              g_printerr ("removing %s, left by an earlier run\n", name);
              g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                            G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            }
      }
  }
  testbed.src_uri = env_value (env, "KVMMIG_SRC_URI");
  testbed.dst_uri = env_value (env, "KVMMIG_DST_URI");
  testbed.src_logdir = env_value (env, "KVMMIG_SRC_LOGDIR");
  testbed.dst_logdir = env_value (env, "KVMMIG_DST_LOGDIR");
  testbed.kernel = env_value (env, "KVMMIG_GUEST_KERNEL");
  testbed.initrd = env_value (env, "KVMMIG_GUEST_INITRD");
  testbed.shared_dir = env_value (env, "KVMMIG_SHARED_DIR");
  testbed.store_portal = env_value (env, "KVMMIG_STORE_PORTAL");
  testbed.store_iqn = env_value (env, "KVMMIG_STORE_IQN");
}

char *
testbed_guest_name (const char *base)
{
  return g_strdup_printf ("it-%s-%d", base, (int) getpid ());
}

void
testbed_run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s %s %s failed: %s\n%s%s", argv[0], argv[1], argv[2],
             error->message, out ? out : "", err ? err : "");
  g_test_message ("%s %s %s: %s", argv[0], argv[1], argv[2], g_strstrip (err ? err : out));
}

void
testbed_guest (const char *name,
               const char *on,
               guint       memory_mib,
               const char *workload)
{
  g_autofree char *mem = g_strdup_printf ("%u", memory_mib);
  const char *argv[] = { testbed.script, "guest", name, "--on", on, "--memory", mem,
                         "--workload", workload, NULL };

  testbed_run (argv);
}

void
testbed_guest_rm (const char *name)
{
  const char *argv[] = { testbed.script, "guest-rm", name, NULL };

  testbed_run (argv);
}

char *
testbed_serial_log (const char *name,
                    const char *on)
{
  g_autofree char *base = g_strdup_printf ("%s-serial.log", name);
  g_autofree char *path = g_build_filename (g_str_equal (on, "src") ? testbed.src_logdir
                                                                   : testbed.dst_logdir,
                                            base, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

gint64
testbed_last_heartbeat (const char *log)
{
  const char *p = log;
  gint64 last = -1;

  while ((p = strstr (p, "KVMMIG-GUEST alive ")) != NULL)
    {
      p += strlen ("KVMMIG-GUEST alive ");
      last = g_ascii_strtoll (p, NULL, 10);
    }
  return last;
}

gint64
testbed_wait_heartbeat (const char *name,
                        const char *on,
                        gint64      after,
                        guint       timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *log = testbed_serial_log (name, on);
      gint64 beat = testbed_last_heartbeat (log);

      if (beat > after)
        return beat;
      if (g_get_monotonic_time () > deadline)
        return beat;
      g_usleep (G_USEC_PER_SEC / 4);
    }
}

gint64
testbed_dirty_total_bad (const char *log,
                         guint      *stats_lines)
{
  const char *p = log;
  gint64 total = -1;
  guint lines = 0;

  while ((p = strstr (p, "KVMMIG-DIRTY stats ")) != NULL)
    {
      const char *t = strstr (p, " total_bad=");
      const char *eol = strchr (p, '\n');

      p += strlen ("KVMMIG-DIRTY stats ");
      if (t != NULL && (eol == NULL || t < eol))
        {
          total = g_ascii_strtoll (t + strlen (" total_bad="), NULL, 10);
          lines++;
        }
    }
  if (stats_lines)
    *stats_lines = lines;
  return total;
}

/* -- progress -- */

typedef struct
{
  gint64 t_us;
  double progress;
  KvmmigMigrationState state;
} Emission;

struct _ProgressRecorder
{
  KvmmigMigrationJob *job;
  gulong handler;
  GArray *emissions;
};

static void
on_progress (KvmmigMigrationJob *job,
             gpointer            data)
{
  ProgressRecorder *rec = data;
  Emission e = {
    g_get_monotonic_time (),
    kvmmig_migration_job_get_progress (job),
    kvmmig_migration_job_get_state (job),
  };

  g_array_append_val (rec->emissions, e);
}

ProgressRecorder *
progress_recorder_new (KvmmigMigrationJob *job)
{
  ProgressRecorder *rec = g_new0 (ProgressRecorder, 1);

  rec->job = g_object_ref (job);
  rec->emissions = g_array_new (FALSE, FALSE, sizeof (Emission));
  rec->handler = g_signal_connect (job, "progress", G_CALLBACK (on_progress), rec);
  return rec;
}

void
progress_recorder_free (ProgressRecorder *rec)
{
  g_signal_handler_disconnect (rec->job, rec->handler);
  g_object_unref (rec->job);
  g_array_unref (rec->emissions);
  g_free (rec);
}

void
progress_recorder_assert (ProgressRecorder *rec)
{
  gint64 first = 0, last = 0, max_gap = 0;
  guint migrating = 0;
  double prev = 0;

  for (guint i = 0; i < rec->emissions->len; i++)
    {
      Emission *e = &g_array_index (rec->emissions, Emission, i);

      g_assert_cmpfloat (e->progress, >=, prev);
      prev = e->progress;

      if (e->state == KVMMIG_MIGRATION_STATE_MIGRATING ||
          e->state == KVMMIG_MIGRATION_STATE_SWITCHING_OVER)
        {
          if (migrating > 0)
            max_gap = MAX (max_gap, e->t_us - last);
          else
            first = e->t_us;
          last = e->t_us;
          migrating++;
        }
    }

  g_test_message ("progress: %u emissions while migrating over %.2f s, largest gap %.0f ms",
                  migrating, (last - first) / 1e6, max_gap / 1e3);
  g_assert_cmpuint (migrating, >=, 2);
  /* At least twice a second: no gap of more than half a second (plus
   * scheduling slack on a loaded 2-core machine). */
  g_assert_cmpint (max_gap, <=, 600 * 1000);
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

gboolean
run_job (KvmmigMigrationJob  *job,
         GCancellable        *cancellable,
         GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kvmmig_migration_job_run_async (job, cancellable, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return kvmmig_migration_job_run_finish (job, result, error);
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->src = kvmmig_test_open_host (testbed.src_uri);
  f->dst = kvmmig_test_open_host (testbed.dst_uri);
  f->src_conn = virConnectOpen (testbed.src_uri);
  f->dst_conn = virConnectOpen (testbed.dst_uri);
  g_assert_nonnull (f->src_conn);
  g_assert_nonnull (f->dst_conn);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->src);
  g_clear_object (&f->dst);
  g_clear_pointer (&f->src_conn, virConnectClose);
  g_clear_pointer (&f->dst_conn, virConnectClose);
}
