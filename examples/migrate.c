/* migrate.c: live-migrate a guest between two hosts, with progress.
 *
 *   kvmmig-migrate GUEST SOURCE-URI DESTINATION-URI [BANDWIDTH-MiB/s]
 *
 * Hosts are libvirt URIs; qemu+ssh:// (SSH keys) and qemu+tls:// (x509
 * certificates) authenticate and encrypt the connection, for example
 *   kvmmig-migrate web1 qemu+ssh://root@node1/system qemu+ssh://root@node2/system
 *   kvmmig-migrate web1 qemu+tls://node1/system qemu+tls://node2/system
 * qemu+tcp:// has no authentication nor encryption: only on a trusted,
 * isolated network (such as the testbed's).
 */
#include <libkvmmig/kvmmig.h>

static void
on_progress (KvmmigMigrationJob *job, gpointer user_data)
{
  g_print ("\r%5.1f %%  sent %6.1f MiB  left %6.1f MiB  %6.1f MiB/s  dirty %6.1f MiB/s  pass %u   ",
           100 * kvmmig_migration_job_get_progress (job),
           kvmmig_migration_job_get_bytes_processed (job) / 1048576.0,
           kvmmig_migration_job_get_bytes_remaining (job) / 1048576.0,
           kvmmig_migration_job_get_bandwidth (job) / 1048576.0,
           kvmmig_migration_job_get_dirty_rate (job) / 1048576.0,
           kvmmig_migration_job_get_iteration (job));
}

static void
on_policy_step (KvmmigMigrationJob *job, KvmmigPolicyStep *step, gpointer user_data)
{
  g_print ("\n  policy: %s\n", kvmmig_policy_step_get_description (step));
}

int
main (int argc, char *argv[])
{
  g_autoptr(KvmmigHost) src = NULL;
  g_autoptr(KvmmigHost) dst = NULL;
  g_autoptr(KvmmigMigrationJob) job = NULL;
  g_autoptr(GError) error = NULL;

  if (argc < 4)
    {
      g_printerr ("usage: %s GUEST SOURCE-URI DESTINATION-URI [BANDWIDTH-MiB/s]\n", argv[0]);
      return 2;
    }

  src = kvmmig_host_new (argv[2]);
  dst = kvmmig_host_new (argv[3]);
  if (!kvmmig_host_open (src, NULL, &error) || !kvmmig_host_open (dst, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  job = kvmmig_migration_job_new (src, dst, argv[1]);
  if (argc > 4)
    kvmmig_migration_job_set_bandwidth_limit (job, (guint) g_ascii_strtoull (argv[4], NULL, 10));
  g_signal_connect (job, "progress", G_CALLBACK (on_progress), NULL);
  g_signal_connect (job, "policy-step", G_CALLBACK (on_policy_step), NULL);

  if (!kvmmig_migration_job_run (job, NULL, &error))
    {
      g_printerr ("\n%s\n", error->message);
      return 1;
    }

  g_print ("\nmigrated '%s' in %.2f s, downtime %" G_GINT64_FORMAT " ms\n", argv[1],
           kvmmig_migration_job_get_total_ms (job) / 1000.0,
           kvmmig_migration_job_get_downtime_ms (job));
  return 0;
}
