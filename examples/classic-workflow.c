/* classic-workflow.c: the classic shared-storage workflow, end to end. An
 * iSCSI target is attached to two hosts as a shared store, both are
 * checked to see the same LUNs, one LUN becomes the disk of a new guest
 * on the first host, the guest is started and live-migrated to the second
 * host, where it stays defined.
 *
 *   kvmmig-classic-workflow SRC-URI DST-URI PORTAL TARGET-IQN VOLUME GUEST \
 *                           KERNEL INITRD [kvm|qemu]
 *
 * VOLUME is the LUN's volume name, such as unit:0:0:3. KERNEL and INITRD
 * are paths on the hosts (the guest boots them directly; the same paths on
 * both hosts). Use qemu (TCG) where KVM is not usable. SRC-URI and DST-URI
 * are such as qemu+ssh://root@node1/system (SSH keys) or
 * qemu+tls://node1/system (certificates); qemu+tcp:// has no
 * authentication nor encryption: only on a trusted, isolated network.
 */
#include <libkvmmig/kvmmig.h>

static void
on_progress (KvmmigMigrationJob *job, gpointer user_data)
{
  g_print ("\r  %5.1f %%  %6.1f MiB sent   ", 100 * kvmmig_migration_job_get_progress (job),
           kvmmig_migration_job_get_bytes_processed (job) / 1048576.0);
}

static int
fail (GError *error)
{
  g_printerr ("\n%s\n", error->message);
  return 1;
}

int
main (int argc, char *argv[])
{
  g_autoptr(KvmmigHost) src = NULL;
  g_autoptr(KvmmigHost) dst = NULL;
  g_autoptr(KvmmigSharedStore) store = NULL;
  g_autoptr(KvmmigStoreVisibility) visibility = NULL;
  g_autoptr(KvmmigVolume) volume = NULL;
  g_autoptr(KvmmigGuestSpec) spec = NULL;
  g_autoptr(KvmmigGuest) guest = NULL;
  g_autoptr(KvmmigMigrationJob) job = NULL;
  g_autoptr(GPtrArray) hosts = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *store_name = NULL;
  g_autofree char *serial_log = NULL;
  const char *name;

  if (argc < 9)
    {
      g_printerr ("usage: %s SRC-URI DST-URI PORTAL TARGET-IQN VOLUME GUEST KERNEL INITRD "
                  "[kvm|qemu]\n", argv[0]);
      return 2;
    }
  name = argv[6];

  /* 1. The two hosts. */
  src = kvmmig_host_new (argv[1]);
  dst = kvmmig_host_new (argv[2]);
  if (!kvmmig_host_open (src, NULL, &error) || !kvmmig_host_open (dst, NULL, &error))
    return fail (error);
  g_ptr_array_add (hosts, src);
  g_ptr_array_add (hosts, dst);

  /* 2. The store, attached to both (QEMU's own iSCSI initiator). */
  store_name = g_strdup_printf ("%s-store", name);
  store = kvmmig_shared_store_new_iscsi (store_name, argv[3], argv[4]);
  if (!kvmmig_shared_store_attach (store, src, NULL, &error) ||
      !kvmmig_shared_store_attach (store, dst, NULL, &error))
    return fail (error);
  g_print ("store '%s' attached to %s and %s\n", store_name, argv[1], argv[2]);

  /* 3. Both hosts see the same LUNs. */
  visibility = kvmmig_shared_store_check_visibility (store, hosts, NULL, &error);
  if (visibility == NULL)
    return fail (error);
  g_print ("%s\n", kvmmig_store_visibility_get_summary (visibility));
  if (!kvmmig_store_visibility_is_complete (visibility))
    return 1;

  /* 4. The volume, as the source sees it. */
  volume = kvmmig_shared_store_lookup_volume (store, src, argv[5], NULL, &error);
  if (volume == NULL)
    return fail (error);
  g_print ("volume %s: %s, %" G_GUINT64_FORMAT " MiB\n", kvmmig_volume_get_name (volume),
           kvmmig_volume_get_source (volume), kvmmig_volume_get_capacity (volume) >> 20);

  /* 5. A guest on it, defined and started on the source. */
  spec = kvmmig_guest_spec_new (name, volume);
  kvmmig_guest_spec_set_memory_mib (spec, 256);
  kvmmig_guest_spec_set_kernel (spec, argv[7]);
  kvmmig_guest_spec_set_initrd (spec, argv[8]);
  kvmmig_guest_spec_set_cmdline (spec, "console=ttyS0 quiet");
  serial_log = g_strdup_printf ("/var/log/libvirt/qemu/%s-serial.log", name);
  kvmmig_guest_spec_set_serial_log (spec, serial_log);
  if (argc > 9 && g_str_equal (argv[9], "qemu"))
    kvmmig_guest_spec_set_virt_type (spec, KVMMIG_VIRT_TYPE_QEMU);
  guest = kvmmig_host_define_guest (src, spec, NULL, &error);
  if (guest == NULL || !kvmmig_host_start_guest (src, name, NULL, &error))
    return fail (error);
  g_print ("guest '%s' defined and started on %s\n", name, argv[1]);

  /* 6. Live migration; by default the guest ends up defined on the
   *    destination and undefined on the source. */
  job = kvmmig_migration_job_new (src, dst, name);
  g_signal_connect (job, "progress", G_CALLBACK (on_progress), NULL);
  if (!kvmmig_migration_job_run (job, NULL, &error))
    return fail (error);
  g_print ("\nmigrated '%s' to %s in %.2f s, downtime %" G_GINT64_FORMAT " ms\n", name, argv[2],
           kvmmig_migration_job_get_total_ms (job) / 1000.0,
           kvmmig_migration_job_get_downtime_ms (job));

  /* 7. Where it is now. */
  g_clear_object (&guest);
  guest = kvmmig_host_lookup_guest (dst, name, NULL, &error);
  if (guest == NULL)
    return fail (error);
  g_print ("on %s: %s, %s\n", argv[2],
           kvmmig_guest_is_active (guest) ? "running" : "not running",
           kvmmig_guest_is_persistent (guest) ? "defined" : "not defined");

  return kvmmig_guest_is_active (guest) && kvmmig_guest_is_persistent (guest) ? 0 : 1;
}
