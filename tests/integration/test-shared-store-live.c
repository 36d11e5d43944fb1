/* test-shared-store-live.c: KvmmigSharedStore on the testbed, through the C
 * API: the testbed's iSCSI target attached to src and dst as a store
 * (QEMU's initiator, libvirt iscsi-direct pools), both hosts seeing the
 * same LUNs; a guest defined on src with one of those LUNs as its disk
 * (kvmmig_host_define_guest), writing sequence-numbered records to it (the
 * testbed's diskseq workload), migrated to dst, where it reads back every
 * record after a hard power-off and keeps appending with no gap; detaching
 * the store from a host whose guest uses it refused. The shared directory
 * as a store: a file volume made through the library on one host seen on
 * the other. Bad input: each a clear KvmmigError, nothing changed.
 *
 * The guests are named st-*; a LUN is taken from the testbed's pool of
 * LUNs (kvmmig-testbed guest --no-wait, whose domain is then replaced by
 * ours), so that no other test is handed the same LUN meanwhile, and freed
 * (and wiped) by kvmmig-testbed guest-rm.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "kvmmig-host-private.h"
#include "kvmmig-xml-private.h"
#include "testbed-utils.h"

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)

static char *
st_name (const char *base)
{
  return g_strdup_printf ("st-%s-%d", base, (int) getpid ());
}

/* Takes a free LUN from the testbed for guest @name: the testbed defines
 * and starts a guest of that name on src; it is destroyed and undefined
 * at once, and `guest-rm @name` frees (and wipes) the LUN later. */
static int
reserve_lun (virConnectPtr src, const char *name)
{
  const char *argv[] = { testbed.script, "guest", name, "--on", "src", "--workload", "idle",
                         "--no-wait", NULL };
  g_autofree char *xml = NULL;
  g_autofree char *source = NULL;
  g_auto(KvmmigXml) doc = { 0 };
  virDomainPtr dom;
  const char *slash;
  int lun;

  testbed_run (argv);
  dom = virDomainLookupByName (src, name);
  g_assert_nonnull (dom);
  xml = virDomainGetXMLDesc (dom, 0);
  g_assert_true (_kvmmig_xml_parse (&doc, xml));
  source = _kvmmig_xml_string (&doc, NULL, "/domain/devices/disk/source/@name");
  g_assert_nonnull (source);
  slash = strrchr (source, '/');
  lun = atoi (slash + 1);
  virDomainDestroy (dom);
  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  virDomainFree (dom);
  g_test_message ("LUN %d reserved for %s", lun, name);
  return lun;
}

/* The testbed's LUNs are shared with other tests, some of which leave
 * guests defined (shut off) on a LUN that the testbed has since freed: a
 * LUN is taken only if no guest of either host has it as a disk (else
 * define_guest would rightly refuse it). Every LUN taken is recorded in
 * @reserved (names for `guest-rm`), the one to use is returned. */
static KvmmigVolume *
reserve_unused_lun (Fixture           *f,
                    KvmmigSharedStore *store,
                    GPtrArray         *reserved)
{
  for (guint attempt = 0; attempt < 8; attempt++)
    {
      g_autofree char *base = g_strdup_printf ("lun%u", attempt);
      char *owner = st_name (base);
      g_autofree char *volume_name = NULL;
      g_autoptr(KvmmigVolume) on_src = NULL;
      g_autoptr(KvmmigVolume) on_dst = NULL;
      g_autoptr(GError) error = NULL;
      int lun;

      g_ptr_array_add (reserved, owner);
      lun = reserve_lun (f->src_conn, owner);
      volume_name = g_strdup_printf ("unit:0:0:%d", lun);
      on_src = kvmmig_shared_store_lookup_volume (store, f->src, volume_name, NULL, &error);
      g_assert_no_error (error);
      on_dst = kvmmig_shared_store_lookup_volume (store, f->dst, volume_name, NULL, &error);
      g_assert_no_error (error);
      if (!kvmmig_volume_is_in_use (on_src) && !kvmmig_volume_is_in_use (on_dst))
        return g_steal_pointer (&on_src);

      g_test_message ("LUN %d is still a disk of guest '%s' (left by another test); "
                      "taking another", lun,
                      kvmmig_volume_is_in_use (on_src) ? kvmmig_volume_get_guests (on_src)[0]
                                                       : kvmmig_volume_get_guests (on_dst)[0]);
    }
  g_error ("no LUN of the testbed is free of guests");
}

static void
remove_guest_everywhere (Fixture *f, const char *name)
{
  kvmmig_test_remove_guest (f->src_conn, name);
  kvmmig_test_remove_guest (f->dst_conn, name);
}

/* Removes what a failed test may have left of a store's pools. */
static void
remove_pool (virConnectPtr conn, const char *name)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (conn, name);

  if (pool == NULL)
    {
      virResetLastError ();
      return;
    }
  if (virStoragePoolIsActive (pool) == 1)
    virStoragePoolDestroy (pool);
  if (virStoragePoolIsPersistent (pool) == 1)
    virStoragePoolUndefine (pool);
  virStoragePoolFree (pool);
  virResetLastError ();
}

/* The pools and secrets of this test process (st-*-PID), as a string. */
static char *
my_state (virConnectPtr conn)
{
  g_autofree char *suffix = g_strdup_printf ("-%d", (int) getpid ());
  g_autoptr(GString) out = g_string_new (NULL);
  virStoragePoolPtr *pools = NULL;
  virSecretPtr *secrets = NULL;
  int n = virConnectListAllStoragePools (conn, &pools, 0);
  int m = virConnectListAllSecrets (conn, &secrets, 0);

  g_assert_cmpint (n, >=, 0);
  for (int i = 0; i < n; i++)
    {
      const char *name = virStoragePoolGetName (pools[i]);

      if (g_str_has_prefix (name, "st-") && strstr (name, suffix))
        g_string_append_printf (out, "pool %s:%d ", name, virStoragePoolIsActive (pools[i]));
      virStoragePoolFree (pools[i]);
    }
  for (int i = 0; i < m; i++)
    {
      const char *usage = virSecretGetUsageID (secrets[i]);

      if (usage && g_str_has_prefix (usage, "libkvmmig/st-") && strstr (usage, suffix))
        g_string_append_printf (out, "secret %s ", usage);
      virSecretFree (secrets[i]);
    }
  g_free (pools);
  g_free (secrets);
  virResetLastError ();
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Detaches at the end of a test. The testbed's target is shared by every
 * test: another engineer's guest on a LUN of it makes the host refuse
 * (that is the STORE_IN_USE rule); then the message must not name a guest
 * of this test, and the pools are removed directly. */
static void
detach_or_clean (KvmmigSharedStore *store, KvmmigHost *host, virConnectPtr conn,
                 const char *mine)
{
  g_autoptr(GError) error = NULL;

  if (kvmmig_shared_store_detach (store, host, NULL, &error))
    return;

  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_STORE_IN_USE);
  if (mine != NULL)
    g_assert_null (strstr (error->message, mine));
  g_test_message ("detach refused because of other tests' guests on the shared "
                  "target (%s); removing the pools directly", error->message);
  remove_pool (conn, kvmmig_shared_store_get_name (store));
}

/* -- the diskseq workload's serial lines (tests/testbed/README.md) -- */

/* The last "progress seq=K" in @log after @from, or -1. */
static gint64
diskseq_last_progress (const char *log, gsize from)
{
  const char *p = log + MIN (from, strlen (log));
  gint64 last = -1;

  while ((p = strstr (p, "KVMMIG-DISKSEQ progress seq=")) != NULL)
    {
      p += strlen ("KVMMIG-DISKSEQ progress seq=");
      last = g_ascii_strtoll (p, NULL, 10);
    }
  return last;
}

static guint
diskseq_count (const char *log, gsize from, const char *what)
{
  g_autofree char *needle = g_strdup_printf ("KVMMIG-DISKSEQ %s ", what);
  const char *p = log + MIN (from, strlen (log));
  guint n = 0;

  while ((p = strstr (p, needle)) != NULL)
    {
      p += strlen (needle);
      n++;
    }
  return n;
}

/* A field of the last "KVMMIG-DISKSEQ boot" line after @from, or -1. */
static gint64
diskseq_boot_field (const char *log, gsize from, const char *field)
{
  const char *p = log + MIN (from, strlen (log));
  const char *line = NULL;
  g_autofree char *key = g_strdup_printf (" %s=", field);
  const char *v, *eol;

  while ((p = strstr (p, "KVMMIG-DISKSEQ boot ")) != NULL)
    line = p++;
  if (line == NULL)
    return -1;
  eol = strchr (line, '\n');
  v = strstr (line, key);
  if (v == NULL || (eol != NULL && v > eol))
    return -1;
  return g_ascii_strtoll (v + strlen (key), NULL, 10);
}

/* Waits until the guest's log on @on has a progress line with seq > @after
 * written after byte @from; returns that seq. */
static gint64
wait_progress (const char *name, const char *on, gsize from, gint64 after, guint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *log = testbed_serial_log (name, on);
      gint64 seq = diskseq_last_progress (log, from);

      if (seq > after)
        return seq;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s on %s: no diskseq progress beyond %" G_GINT64_FORMAT " in %u s; "
                 "log:\n%s", name, on, after, timeout_s, log + MIN (from, strlen (log)));
      g_usleep (G_USEC_PER_SEC / 4);
    }
}

static KvmmigSharedStore *
testbed_iscsi_store (const char *name)
{
  KvmmigSharedStore *store = kvmmig_shared_store_new_iscsi (name, testbed.store_portal,
                                                            testbed.store_iqn);
  g_autofree char *initiator = g_strdup_printf ("iqn.2026-11.org.libkvmmig:%s", name);

  kvmmig_shared_store_set_initiator_iqn (store, initiator);
  return store;
}

/* What @store's check_visibility says of @hosts, its summary logged. */
static KvmmigStoreVisibility *
visibility (KvmmigSharedStore *store, GPtrArray *hosts)
{
  g_autoptr(GError) error = NULL;
  KvmmigStoreVisibility *result;

  result = kvmmig_shared_store_check_visibility (store, hosts, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", kvmmig_store_visibility_get_summary (result));
  return result;
}

/* ------------------------------------------------------------------ */

static void
test_iscsi_visibility (Fixture *f, gconstpointer data)
{
  g_autofree char *name = st_name ("lun");
  g_autoptr(KvmmigSharedStore) store = testbed_iscsi_store (name);
  g_autoptr(KvmmigStoreVisibility) result = NULL;
  g_autoptr(GPtrArray) hosts = g_ptr_array_new ();
  g_autoptr(GListModel) volumes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before_src = my_state (f->src_conn);
  g_autofree char *before_dst = my_state (f->dst_conn);
  g_auto(GStrv) luns = NULL;

  g_ptr_array_add (hosts, f->src);
  g_ptr_array_add (hosts, f->dst);

  /* Attached to src only: dst sees nothing, and says why. */
  g_assert_true (kvmmig_shared_store_attach (store, f->src, NULL, &error));
  g_assert_no_error (error);
  result = visibility (store, hosts);
  g_assert_false (kvmmig_store_visibility_is_complete (result));
  g_assert_nonnull (strstr (kvmmig_store_visibility_get_problems (result, testbed.dst_uri)[0],
                            "not attached"));
  g_clear_object (&result);

  /* Both, twice (idempotent). */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (kvmmig_shared_store_attach (store, f->src, NULL, &error));
      g_assert_true (kvmmig_shared_store_attach (store, f->dst, NULL, &error));
      g_assert_no_error (error);
    }

  result = visibility (store, hosts);
  g_assert_true (kvmmig_store_visibility_is_complete (result));

  /* Every LUN of the testbed, on both hosts, the same key and size. */
  luns = g_strsplit (g_getenv ("KVMMIG_TEST_LUNS") ? g_getenv ("KVMMIG_TEST_LUNS")
                                                    : "1 2 3 4 5 6 7 8 9 10 11 12 13", " ", -1);
  g_assert_cmpuint (g_strv_length ((GStrv) kvmmig_store_visibility_get_volume_names (result)),
                    ==, g_strv_length (luns));
  volumes = kvmmig_shared_store_list_volumes (store, f->dst, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; luns[i]; i++)
    {
      g_autoptr(KvmmigVolume) volume = g_list_model_get_item (volumes, i);
      g_autofree char *expected = g_strdup_printf ("unit:0:0:%s", luns[i]);
      g_autofree char *source = g_strdup_printf ("iscsi://%s/%s/%s", testbed.store_portal,
                                                 testbed.store_iqn, luns[i]);
      guint64 lun_size = g_str_equal (luns[i], "13") ? 1024 * MIB : 64 * MIB;

      g_assert_cmpstr (kvmmig_volume_get_name (volume), ==, expected);
      g_assert_cmpstr (kvmmig_volume_get_source (volume), ==, source);
      g_assert_cmpint (kvmmig_volume_get_volume_type (volume), ==, KVMMIG_VOLUME_TYPE_NETWORK);
      /* libvirt 11.3's iscsi-direct reports one 512-byte block less. */
      g_assert_true (kvmmig_volume_get_capacity (volume) == lun_size ||
                     kvmmig_volume_get_capacity (volume) == lun_size - 512);
      g_assert_cmpstr (kvmmig_volume_get_host_uri (volume), ==, testbed.dst_uri);
    }

  detach_or_clean (store, f->src, f->src_conn, NULL);
  detach_or_clean (store, f->dst, f->dst_conn, NULL);
  {
    g_autofree char *after_src = my_state (f->src_conn);
    g_autofree char *after_dst = my_state (f->dst_conn);

    g_assert_cmpstr (before_src, ==, after_src);
    g_assert_cmpstr (before_dst, ==, after_dst);
  }
}

/* The classic workflow, checked as an administrator would. */
static void
test_guest_on_store_migrates (Fixture *f, gconstpointer data)
{
  g_autofree char *name = st_name ("diskseq");
  g_autofree char *store_name = st_name ("store");
  g_autoptr(KvmmigSharedStore) store = testbed_iscsi_store (store_name);
  g_autoptr(KvmmigVolume) volume = NULL;
  g_autoptr(KvmmigVolume) seen = NULL;
  g_autoptr(KvmmigGuestSpec) spec = NULL;
  g_autoptr(KvmmigGuest) guest = NULL;
  g_autoptr(KvmmigMigrationJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reserved = g_ptr_array_new_with_free_func (g_free);
  const char *volume_name;
  g_autofree char *serial = NULL;
  g_autofree char *log = NULL;
  gint64 before, acked, last_src, after, found, last, gaps, bad;
  gsize from;

  g_assert_true (kvmmig_shared_store_attach (store, f->src, NULL, &error));
  g_assert_true (kvmmig_shared_store_attach (store, f->dst, NULL, &error));
  g_assert_no_error (error);

  volume = reserve_unused_lun (f, store, reserved);
  volume_name = kvmmig_volume_get_name (volume);
  g_test_message ("the guest's disk: %s (%s)", volume_name, kvmmig_volume_get_source (volume));

  /* The guest, on src, booting the testbed's kernel with the diskseq
   * workload, its serial console in src's own log directory. */
  serial = g_strdup_printf ("/var/log/libvirt/qemu/%s-serial.log", name);
  spec = kvmmig_guest_spec_new (name, volume);
  kvmmig_guest_spec_set_memory_mib (spec, 256);
  kvmmig_guest_spec_set_virt_type (spec, KVMMIG_VIRT_TYPE_QEMU);   /* no usable KVM here */
  kvmmig_guest_spec_set_machine (spec, "pc");
  kvmmig_guest_spec_set_kernel (spec, testbed.kernel);
  kvmmig_guest_spec_set_initrd (spec, testbed.initrd);
  kvmmig_guest_spec_set_cmdline (spec, "console=ttyS0 quiet kvmmig.workload=diskseq");
  kvmmig_guest_spec_set_serial_log (spec, serial);
  guest = kvmmig_host_define_guest (f->src, spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kvmmig_guest_is_persistent (guest));
  g_assert_cmpint (kvmmig_guest_get_state (guest), ==, KVMMIG_GUEST_STATE_SHUTOFF);
  g_assert_true (kvmmig_host_start_guest (f->src, name, NULL, &error));
  g_assert_no_error (error);

  before = wait_progress (name, "src", 0, 3, 120);
  g_test_message ("diskseq on src: records up to %" G_GINT64_FORMAT " written", before);

  /* The volume knows its guest; the store cannot be detached from src. */
  seen = kvmmig_shared_store_lookup_volume (store, f->src, volume_name, NULL, &error);
  g_assert_cmpstr (kvmmig_volume_get_guests (seen)[0], ==, name);
  {
    g_autofree char *state = my_state (f->src_conn);

    g_assert_false (kvmmig_shared_store_detach (store, f->src, NULL, &error));
    kvmmig_test_assert_error (error, KVMMIG_ERROR_STORE_IN_USE, testbed.src_uri, name);
    g_assert_nonnull (strstr (error->message, "(running)"));
    g_clear_error (&error);
    g_free (state);
    state = my_state (f->src_conn);
    g_assert_nonnull (strstr (state, store_name));
  }

  /* Migrate. The pre-flight check sees the LUN through the store's pool on dst. */
  job = kvmmig_migration_job_new (f->src, f->dst, name);
  g_assert_true (run_job (job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kvmmig_migration_job_get_guest_location (job), ==, KVMMIG_GUEST_LOCATION_DESTINATION);
  {
    g_autoptr(GPtrArray) checks = kvmmig_migration_job_get_checks (job);

    for (guint i = 0; i < checks->len; i++)
      {
        KvmmigCheck *check = g_ptr_array_index (checks, i);

        if (g_str_equal (kvmmig_check_get_id (check), "storage"))
          {
            g_test_message ("storage check: %s", kvmmig_check_get_message (check));
            g_assert_cmpint (kvmmig_check_get_status (check), ==, KVMMIG_CHECK_STATUS_PASSED);
            g_assert_nonnull (strstr (kvmmig_check_get_message (check), store_name));
          }
      }
  }

  /* On dst: running, defined; gone from src. It keeps appending with no
   * gap, no torn record, no write error. */
  {
    g_autoptr(KvmmigGuest) there = kvmmig_host_lookup_guest (f->dst, name, NULL, &error);
    g_autoptr(KvmmigGuest) gone = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (kvmmig_guest_get_state (there), ==, KVMMIG_GUEST_STATE_RUNNING);
    g_assert_true (kvmmig_guest_is_persistent (there));
    gone = kvmmig_host_lookup_guest (f->src, name, NULL, &error);
    g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_NOT_FOUND);
    g_clear_error (&error);
  }
  log = testbed_serial_log (name, "src");
  last_src = diskseq_last_progress (log, 0);
  g_assert_cmpuint (diskseq_count (log, 0, "error"), ==, 0);
  after = wait_progress (name, "dst", 0, last_src, 60);
  g_test_message ("diskseq: %" G_GINT64_FORMAT " on src last, %" G_GINT64_FORMAT
                  " on dst after the migration", last_src, after);
  g_free (log);
  log = testbed_serial_log (name, "dst");
  g_assert_cmpuint (diskseq_count (log, 0, "gap"), ==, 0);
  g_assert_cmpuint (diskseq_count (log, 0, "badrec"), ==, 0);
  g_assert_cmpuint (diskseq_count (log, 0, "error"), ==, 0);

  /* Detaching from dst, where it runs now: refused. */
  g_assert_false (kvmmig_shared_store_detach (store, f->dst, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_STORE_IN_USE, testbed.dst_uri, name);
  g_clear_error (&error);

  /* Read back every record on dst: a hard power-off, a new boot there. */
  {
    virDomainPtr dom = virDomainLookupByName (f->dst_conn, name);

    g_assert_nonnull (dom);
    g_free (log);
    log = testbed_serial_log (name, "dst");
    acked = diskseq_last_progress (log, 0);
    from = strlen (log);
    g_assert_cmpint (virDomainDestroy (dom), ==, 0);
    virDomainFree (dom);
  }
  g_free (log);
  log = testbed_serial_log (name, "dst");
  acked = MAX (acked, diskseq_last_progress (log, 0));
  from = strlen (log);
  g_assert_true (kvmmig_host_start_guest (f->dst, name, NULL, &error));
  g_assert_no_error (error);
  after = wait_progress (name, "dst", from, 0, 120);
  g_free (log);
  log = testbed_serial_log (name, "dst");
  found = diskseq_boot_field (log, from, "found");
  last = diskseq_boot_field (log, from, "last");
  gaps = diskseq_boot_field (log, from, "gaps");
  bad = diskseq_boot_field (log, from, "bad");
  g_test_message ("new boot on dst: found=%" G_GINT64_FORMAT " last=%" G_GINT64_FORMAT
                  " gaps=%" G_GINT64_FORMAT " bad=%" G_GINT64_FORMAT "; %" G_GINT64_FORMAT
                  " were acknowledged; then progress to %" G_GINT64_FORMAT,
                  found, last, gaps, bad, acked, after);
  g_assert_cmpint (last, >=, acked);
  g_assert_cmpint (found, ==, last);
  g_assert_cmpint (gaps, ==, 0);
  g_assert_cmpint (bad, ==, 0);
  g_assert_cmpint (after, >, last);
  g_assert_cmpuint (diskseq_count (log, from, "error"), ==, 0);

  remove_guest_everywhere (f, name);
  for (guint i = 0; i < reserved->len; i++)
    testbed_guest_rm (g_ptr_array_index (reserved, i));
  detach_or_clean (store, f->src, f->src_conn, name);
  detach_or_clean (store, f->dst, f->dst_conn, name);
}

/* The shared directory as a store: a file volume created through the
 * library on src is seen on dst; resize and delete travel too. */
static void
test_shared_directory (Fixture *f, gconstpointer data)
{
  g_autofree char *store_name = st_name ("dir");
  g_autofree char *dir = g_build_filename (testbed.shared_dir, store_name, NULL);
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_directory (store_name, dir);
  g_autoptr(GPtrArray) hosts = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigVolume) made = NULL;
  g_autoptr(KvmmigVolume) seen = NULL;
  g_autoptr(KvmmigVolume) grown = NULL;
  g_autoptr(KvmmigStoreVisibility) result = NULL;
  g_autofree char *before_src = my_state (f->src_conn);
  g_autofree char *before_dst = my_state (f->dst_conn);
  const char *vol = "disk 'one' é.raw";

  g_ptr_array_add (hosts, f->src);
  g_ptr_array_add (hosts, f->dst);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  g_assert_true (kvmmig_shared_store_attach (store, f->src, NULL, &error));
  g_assert_true (kvmmig_shared_store_attach (store, f->dst, NULL, &error));
  g_assert_no_error (error);

  made = kvmmig_shared_store_create_volume (store, f->src, vol, 32 * MIB, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kvmmig_volume_get_capacity (made), ==, 32 * MIB);

  seen = kvmmig_shared_store_lookup_volume (store, f->dst, vol, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kvmmig_volume_get_key (seen), ==, kvmmig_volume_get_key (made));
  g_assert_cmpstr (kvmmig_volume_get_path (seen), ==, kvmmig_volume_get_path (made));
  g_assert_cmpuint (kvmmig_volume_get_capacity (seen), ==, 32 * MIB);

  result = visibility (store, hosts);
  g_assert_true (kvmmig_store_visibility_is_complete (result));

  /* Grown on dst, seen grown on src. */
  grown = kvmmig_shared_store_resize_volume (store, f->dst, vol, 48 * MIB, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kvmmig_volume_get_capacity (grown), ==, 48 * MIB);
  g_clear_object (&seen);
  seen = kvmmig_shared_store_lookup_volume (store, f->src, vol, NULL, &error);
  g_assert_cmpuint (kvmmig_volume_get_capacity (seen), ==, 48 * MIB);

  /* Deleted on dst, gone on src. */
  g_assert_true (kvmmig_shared_store_delete_volume (store, f->dst, vol, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&seen);
  seen = kvmmig_shared_store_lookup_volume (store, f->src, vol, NULL, &error);
  g_assert_null (seen);
  kvmmig_test_assert_error (error, KVMMIG_ERROR_VOLUME_NOT_FOUND, testbed.src_uri, vol);
  g_clear_error (&error);

  /* Nobody else uses this directory: detach works on both, and leaves the
   * hosts as they were. */
  g_assert_true (kvmmig_shared_store_detach (store, f->src, NULL, &error));
  g_assert_true (kvmmig_shared_store_detach (store, f->dst, NULL, &error));
  g_assert_no_error (error);
  {
    g_autofree char *after_src = my_state (f->src_conn);
    g_autofree char *after_dst = my_state (f->dst_conn);

    g_assert_cmpstr (before_src, ==, after_src);
    g_assert_cmpstr (before_dst, ==, after_dst);
  }
  g_rmdir (dir);
}

/* Bad input: each a clear KvmmigError, nothing changed on the hosts (their
 * pools and secrets of this test) or the store (its volumes). */
static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_autofree char *store_name = st_name ("bad");
  g_autofree char *dir_name = st_name ("baddir");
  g_autofree char *dir = g_build_filename (testbed.shared_dir, dir_name, NULL);
  g_autofree char *guest = st_name ("user");
  g_autoptr(KvmmigSharedStore) dir_store = kvmmig_shared_store_new_directory (dir_name, dir);
  g_autoptr(KvmmigVolume) volume = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before_src = NULL;
  g_autofree char *before_dst = NULL;
  g_autofree char *portal_host = g_strndup (testbed.store_portal,
                                            strcspn (testbed.store_portal, ":"));
  const char *secret = "Very-Secret-CHAP-42";

#define NOTHING_CHANGED() \
  G_STMT_START { \
    g_autofree char *_s = my_state (f->src_conn); \
    g_autofree char *_d = my_state (f->dst_conn); \
    g_assert_cmpstr (before_src, ==, _s); \
    g_assert_cmpstr (before_dst, ==, _d); \
  } G_STMT_END

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (kvmmig_shared_store_attach (dir_store, f->src, NULL, &error));
  g_assert_no_error (error);
  volume = kvmmig_shared_store_create_volume (dir_store, f->src, "v1", 4 * MIB, NULL, &error);
  g_assert_no_error (error);
  before_src = my_state (f->src_conn);
  before_dst = my_state (f->dst_conn);

  /* An unreachable portal: nothing listens on port 3261. */
  {
    g_autofree char *portal = g_strdup_printf ("%s:3261", portal_host);
    g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_iscsi (store_name, portal, testbed.store_iqn);

    g_assert_false (kvmmig_shared_store_attach (store, f->src, NULL, &error));
    kvmmig_test_assert_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, testbed.src_uri, portal);
    g_clear_error (&error);
    NOTHING_CHANGED ();
  }

  /* A wrong IQN, with CHAP credentials: the secret defined for them is
   * removed again, and is in no message. */
  {
    g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_iscsi (store_name, testbed.store_portal,
                                                                        "iqn.2026-11.org.libkvmmig:no-such-target");

    kvmmig_shared_store_set_chap (store, "st-user", secret);
    g_assert_false (kvmmig_shared_store_attach (store, f->src, NULL, &error));
    kvmmig_test_assert_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, testbed.src_uri, "no-such-target");
    g_assert_null (strstr (error->message, secret));
    g_clear_error (&error);
    NOTHING_CHANGED ();
  }

  /* The host's own initiator: the testbed's libvirt has no iscsi backend. */
  {
    g_autoptr(KvmmigSharedStore) store = testbed_iscsi_store (store_name);

    kvmmig_shared_store_set_initiator (store, KVMMIG_ISCSI_INITIATOR_HOST);
    g_assert_false (kvmmig_shared_store_attach (store, f->src, NULL, &error));
    g_assert_true (error->code == KVMMIG_ERROR_MISSING_DEPENDENCY ||
                   error->code == KVMMIG_ERROR_STORE_UNREACHABLE);
    g_test_message ("host initiator: %s", error->message);
    g_clear_error (&error);
    NOTHING_CHANGED ();

    /* A volume group on a LUN, with QEMU's initiator: not possible. */
    kvmmig_shared_store_set_initiator (store, KVMMIG_ISCSI_INITIATOR_QEMU);
    kvmmig_shared_store_set_volume_group (store, "vg_st");
    g_assert_false (kvmmig_shared_store_attach (store, f->src, NULL, &error));
    kvmmig_test_assert_error (error, KVMMIG_ERROR_NOT_SUPPORTED, testbed.src_uri, "own iSCSI initiator");
    g_clear_error (&error);
    NOTHING_CHANGED ();
  }

  /* A missing volume group (on a shared block device). */
  {
    g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_block_device (store_name, "/dev/st-none",
                                                                               "st_no_such_vg");

    g_assert_false (kvmmig_shared_store_attach (store, f->dst, NULL, &error));
    kvmmig_test_assert_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, testbed.dst_uri,
                              "does not see volume group 'st_no_such_vg'");
    g_clear_error (&error);
    NOTHING_CHANGED ();
  }

  /* A pool of the store's name that is something else. */
  {
    g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_directory (dir_name, "/var/tmp");

    g_assert_false (kvmmig_shared_store_attach (store, f->src, NULL, &error));
    kvmmig_test_assert_error (error, KVMMIG_ERROR_INVALID_ARGUMENT, testbed.src_uri, "already exists");
    g_clear_error (&error);
    NOTHING_CHANGED ();
  }

  /* Volumes: a name clash, a size of zero, larger than the store, a LUN. */
  g_assert_null (kvmmig_shared_store_create_volume (dir_store, f->src, "v1", MIB, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_VOLUME_EXISTS, testbed.src_uri, "'v1'");
  g_clear_error (&error);
  g_assert_null (kvmmig_shared_store_create_volume (dir_store, f->src, "v2", 0, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_INVALID_ARGUMENT, testbed.src_uri, "size of 0");
  g_clear_error (&error);
  g_assert_null (kvmmig_shared_store_create_volume (dir_store, f->src, "v2",
                                                    G_GUINT64_CONSTANT (1) << 55, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_NO_SPACE, testbed.src_uri, "does not fit");
  g_clear_error (&error);
  {
    g_autoptr(KvmmigSharedStore) store = testbed_iscsi_store (store_name);

    g_assert_null (kvmmig_shared_store_create_volume (store, f->src, "lun", MIB, NULL, &error));
    kvmmig_test_assert_error (error, KVMMIG_ERROR_NOT_SUPPORTED, testbed.src_uri, "storage box");
    g_clear_error (&error);
  }

  /* A volume in use: by a guest defined on it. */
  {
    g_autoptr(KvmmigGuestSpec) spec = kvmmig_guest_spec_new (guest, volume);
    g_autoptr(KvmmigGuest) defined = NULL;
    g_autoptr(GListModel) volumes = NULL;

    kvmmig_guest_spec_set_virt_type (spec, KVMMIG_VIRT_TYPE_QEMU);
    kvmmig_guest_spec_set_memory_mib (spec, 128);
    defined = kvmmig_host_define_guest (f->src, spec, NULL, &error);
    g_assert_no_error (error);

    g_assert_false (kvmmig_shared_store_delete_volume (dir_store, f->src, "v1", NULL, &error));
    kvmmig_test_assert_error (error, KVMMIG_ERROR_VOLUME_IN_USE, testbed.src_uri, guest);
    g_clear_error (&error);
    g_assert_false (kvmmig_shared_store_detach (dir_store, f->src, NULL, &error));
    kvmmig_test_assert_error (error, KVMMIG_ERROR_STORE_IN_USE, testbed.src_uri, guest);
    g_clear_error (&error);

    /* A second guest on it. */
    kvmmig_guest_spec_set_name (spec, "st-second-guest");
    g_assert_null (kvmmig_host_define_guest (f->src, spec, NULL, &error));
    kvmmig_test_assert_error (error, KVMMIG_ERROR_VOLUME_IN_USE, testbed.src_uri, guest);
    g_clear_error (&error);

    volumes = kvmmig_shared_store_list_volumes (dir_store, f->src, NULL, &error);
    g_assert_cmpuint (g_list_model_get_n_items (volumes), ==, 1);
    NOTHING_CHANGED ();
  }

  {
    virDomainPtr dom = virDomainLookupByName (f->src_conn, guest);

    g_assert_nonnull (dom);
    virDomainUndefine (dom);
    virDomainFree (dom);
  }
  g_assert_true (kvmmig_shared_store_delete_volume (dir_store, f->src, "v1", NULL, &error));
  g_assert_true (kvmmig_shared_store_detach (dir_store, f->src, NULL, &error));
  g_assert_no_error (error);
  g_rmdir (dir);
#undef NOTHING_CHANGED
}

/* NFS cannot be tried here. */
static void
test_nfs (Fixture *f, gconstpointer data)
{
  g_test_skip ("NFS: the test machines have no NFS client or server (no nfsd, no "
               "mount.nfs in the hosts' namespaces), so an NFS store cannot be "
               "attached here; the netfs pool it defines is checked on libvirt's "
               "test driver (tests/unit/test-shared-store.c)");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  testbed_init_or_skip ();

  {
    /* Remove what an earlier run of this program left (st-*). */
    const char *argv_guests[] = { testbed.script, "guests", NULL };
    g_autofree char *list = NULL;

    if (g_spawn_sync (NULL, (char **) argv_guests, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                      NULL, &list, NULL, NULL, NULL))
      {
        g_auto(GStrv) rows = g_strsplit (list, "\n", -1);

        for (guint i = 0; rows[i]; i++)
          if (g_str_has_prefix (rows[i], "st-diskseq-") || g_str_has_prefix (rows[i], "st-user-") ||
              g_str_has_prefix (rows[i], "st-lun"))
            {
              g_autofree char *name = g_strndup (rows[i], strcspn (rows[i], " \t"));
              const char *pid = strrchr (name, '-') + 1;
              g_autofree char *proc = g_strdup_printf ("/proc/%s", pid);

              if (!g_file_test (proc, G_FILE_TEST_EXISTS))
                {
                  g_printerr ("removing %s, left by an earlier run\n", name);
                  testbed_guest_rm (name);
                }
            }
      }
  }

#define ADD(path, func) \
  g_test_add ("/Kvmmig/Integration/SharedStore/" path, Fixture, NULL, \
              fixture_setup, func, fixture_teardown)

  ADD ("iscsi-both-hosts-see-the-luns", test_iscsi_visibility);
  ADD ("guest-on-store-migrates-with-its-disk", test_guest_on_store_migrates);
  ADD ("shared-directory", test_shared_directory);
  ADD ("bad-input", test_bad_input);
  ADD ("nfs", test_nfs);

  return g_test_run ();
}
