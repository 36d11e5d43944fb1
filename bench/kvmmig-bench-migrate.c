/* kvmmig-bench-migrate.c: the libkvmmig contender of the benchmark: one
 * migration (or one evacuation) through the C API, its figures printed as
 * one JSON object. A plain C client, so that the benchmark measures the
 * library's own CPU and memory cost, not an interpreter's.
 *
 *   kvmmig-bench-migrate GUEST SRC-URI DST-URI [--bandwidth MiB/s]
 *                        [--allow-postcopy] [--copy-storage-all] [--timeout s]
 *   kvmmig-bench-migrate --evacuate SRC-URI DST-URI [--bandwidth MiB/s]
 *
 * --copy-storage-all sets the job's copy-storage to ALL (a guest on a local
 * disk: the library creates the destination's volume and mirrors the disk);
 * the JSON object's disk figures (disk_bytes_*) are 0 without it.
 *
 * With KVMMIG_BENCH_SMAPS=FILE, it copies its /proc/self/smaps there at
 * the end (where its resident memory goes).
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <libkvmmig/kvmmig.h>

static char *
json_string (const char *s)
{
  GString *out = g_string_new ("\"");

  for (; s && *s; s++)
    {
      if (*s == '"' || *s == '\\')
        g_string_append_printf (out, "\\%c", *s);
      else if ((guchar) *s < 0x20)
        g_string_append_printf (out, "\\u%04x", *s);
      else
        g_string_append_c (out, *s);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* CPU time (user + system) of the whole process so far, all threads. */
static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
         ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* The hosts at @src_uri and @dst_uri, opened, in *@src and *@dst; FALSE,
 * with the error printed, if one does not open. */
static gboolean
open_hosts (const char  *src_uri,
            const char  *dst_uri,
            KvmmigHost **src,
            KvmmigHost **dst)
{
  g_autoptr(GError) error = NULL;

  *src = kvmmig_host_new (src_uri);
  *dst = kvmmig_host_new (dst_uri);
  if (!kvmmig_host_open (*src, NULL, &error) || !kvmmig_host_open (*dst, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

static int
evacuate (const char *src_uri, const char *dst_uri, guint bandwidth)
{
  g_autoptr(KvmmigHost) src = NULL;
  g_autoptr(KvmmigHost) dst = NULL;
  g_autoptr(KvmmigEvacuation) ev = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *msg = NULL;
  KvmmigHost *dests[1];
  gint64 t0 = g_get_monotonic_time ();
  gboolean ok;

  if (!open_hosts (src_uri, dst_uri, &src, &dst))
    return 1;
  dests[0] = dst;
  ev = kvmmig_evacuation_new (src, dests, 1);
  kvmmig_evacuation_set_bandwidth_limit (ev, bandwidth);
  ok = kvmmig_evacuation_run (ev, NULL, &error);
  msg = json_string (error ? error->message : "");
  printf ("{\"completed\": %s, \"guests_moved\": %u, \"guests_failed\": %u, "
          "\"total_ms\": %" G_GINT64_FORMAT ", \"error\": %s}\n",
          ok ? "true" : "false", kvmmig_evacuation_get_guests_moved (ev),
          kvmmig_evacuation_get_guests_failed (ev),
          (g_get_monotonic_time () - t0) / 1000, msg);
  return ok ? 0 : 1;
}

int
main (int argc, char *argv[])
{
  g_autoptr(KvmmigHost) src = NULL;
  g_autoptr(KvmmigHost) dst = NULL;
  g_autoptr(KvmmigMigrationJob) job = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) step_json = g_string_new ("[");
  g_autofree char *msg = NULL;
  guint bandwidth = 0;
  gboolean postcopy = FALSE;
  gboolean copy_storage = FALSE;
  int timeout_s = 60;
  gboolean ok;
  double cpu_before, run_cpu, run_wall;
  gint64 run_start;

  if (argc >= 4 && g_str_equal (argv[1], "--evacuate"))
    return evacuate (argv[2], argv[3],
                     argc >= 6 && g_str_equal (argv[4], "--bandwidth")
                       ? (guint) g_ascii_strtoull (argv[5], NULL, 10) : 0);

  if (argc < 4)
    {
      g_printerr ("usage: %s GUEST SRC-URI DST-URI [--bandwidth N] [--allow-postcopy] "
                  "[--copy-storage-all] [--timeout S]\n", argv[0]);
      return 2;
    }
  for (int i = 4; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--bandwidth") && i + 1 < argc)
        bandwidth = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--allow-postcopy"))
        postcopy = TRUE;
      else if (g_str_equal (argv[i], "--copy-storage-all"))
        copy_storage = TRUE;
      else if (g_str_equal (argv[i], "--timeout") && i + 1 < argc)
        timeout_s = (int) g_ascii_strtoll (argv[++i], NULL, 10);
    }

  if (!open_hosts (argv[2], argv[3], &src, &dst))
    return 1;

  job = kvmmig_migration_job_new (src, dst, argv[1]);
  kvmmig_migration_job_set_bandwidth_limit (job, bandwidth);
  kvmmig_migration_job_set_allow_postcopy (job, postcopy);
  if (copy_storage)
    kvmmig_migration_job_set_copy_storage (job, KVMMIG_STORAGE_COPY_ALL);
  kvmmig_migration_job_set_completion_timeout_ms (job, timeout_s * 1000);
  /* The library's own cost while it checks and monitors the migration:
   * the process's CPU time during the call, apart from loading libvirt and
   * the rest at startup and opening the connections. */
  cpu_before = cpu_seconds ();
  run_start = g_get_monotonic_time ();
  ok = kvmmig_migration_job_run (job, NULL, &error);
  run_cpu = cpu_seconds () - cpu_before;
  run_wall = (g_get_monotonic_time () - run_start) / 1e6;

  steps = kvmmig_migration_job_get_policy_steps (job);
  for (guint i = 0; i < steps->len; i++)
    {
      KvmmigPolicyStep *step = g_ptr_array_index (steps, i);
      g_autofree char *line = g_strdup_printf ("%.2f s, pass %u: %s",
                                               kvmmig_policy_step_get_elapsed_ms (step) / 1000.0,
                                               kvmmig_policy_step_get_iteration (step),
                                               kvmmig_policy_step_get_description (step));
      g_autofree char *d = json_string (line);
      g_string_append_printf (step_json, "%s%s", i ? ", " : "", d);
    }
  g_string_append_c (step_json, ']');
  msg = json_string (error ? error->message : "");

  printf ("{\"completed\": %s, \"total_ms\": %" G_GINT64_FORMAT ", \"downtime_ms\": %"
          G_GINT64_FORMAT ", \"bytes_processed\": %" G_GUINT64_FORMAT ", \"run_cpu_s\": %.4f, "
          "\"run_wall_s\": %.3f, \"disk_bytes_total\": %" G_GUINT64_FORMAT ", "
          "\"disk_bytes_processed\": %" G_GUINT64_FORMAT ", \"steps\": %s, \"error\": %s}\n",
          ok ? "true" : "false",
          kvmmig_migration_job_get_total_ms (job), kvmmig_migration_job_get_downtime_ms (job),
          kvmmig_migration_job_get_bytes_processed (job), run_cpu, run_wall,
          kvmmig_migration_job_get_disk_bytes_total (job),
          kvmmig_migration_job_get_disk_bytes_processed (job), step_json->str, msg);

  /* For finding where the resident memory goes: the mappings at the end. */
  if (g_getenv ("KVMMIG_BENCH_SMAPS") != NULL)
    {
      g_autofree char *smaps = NULL;

      if (g_file_get_contents ("/proc/self/smaps", &smaps, NULL, NULL))
        g_file_set_contents (g_getenv ("KVMMIG_BENCH_SMAPS"), smaps, -1, NULL);
    }
  return ok ? 0 : 1;
}
