/* test-guest-spec.c: the libvirt XML of KvmmigVolume (its <disk>) and
 * KvmmigGuestSpec (the domain), with names that need escaping, and
 * kvmmig_host_define_guest()/start_guest() on libvirt's test driver.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <libvirt/libvirt.h>

#include "kvmmig-host-private.h"
#include "kvmmig-xml-private.h"
#include "kvmmig-volume-private.h"
#include "kvmmig-test-utils.h"

#define HOST_A "test:///default"
#define MIB (G_GUINT64_CONSTANT (1024) * 1024)

/* Quotes, spaces, XML metacharacters, non-ASCII. */
#define AWKWARD "vm 'a' \"b\" <c> & d é ✓"

static KvmmigVolume *
file_volume (const char *path)
{
  KvmmigVolumeInfo info = {
    .name = strrchr (path, '/') + 1, .key = path, .capacity = 64 * MIB,
    .allocation = MIB, .type = KVMMIG_VOLUME_TYPE_FILE, .path = path,
    .format = "qcow2", .store_name = "st", .pool_name = "st", .host_uri = HOST_A,
  };
  return _kvmmig_volume_new (&info);
}

static KvmmigVolume *
network_volume (const char *user)
{
  KvmmigVolumeInfo info = {
    .name = "unit:0:0:3", .key = "ip-10.0.0.3:3260-iscsi-iqn.2026-11.org.example:s-lun-3",
    .capacity = 64 * MIB, .allocation = 64 * MIB, .type = KVMMIG_VOLUME_TYPE_NETWORK,
    .store_name = "st", .pool_name = "st", .host_uri = HOST_A,
    .protocol = "iscsi", .net_host = "10.0.0.3", .net_port = "3260",
    .net_name = "iqn.2026-11.org.example:s/3",
    .auth_username = user, .auth_usage = user ? "libkvmmig/st" : NULL,
  };
  return _kvmmig_volume_new (&info);
}

static char *
xstr (KvmmigXml *xml, const char *expr)
{
  return _kvmmig_xml_string (xml, NULL, expr);
}

#define ASSERT_XPATH(xml, expr, expected) \
  G_STMT_START { \
    g_autofree char *_v = xstr ((xml), (expr)); \
    g_assert_cmpstr (_v, ==, (expected)); \
  } G_STMT_END

static void
test_disk_xml_file (void)
{
  g_autofree char *path = g_strconcat ("/srv/shared dir/", AWKWARD, NULL);
  g_autoptr(KvmmigVolume) volume = file_volume (path);
  g_autofree char *xml = kvmmig_volume_to_disk_xml (volume, NULL);
  g_auto(KvmmigXml) doc = { 0 };

  g_test_message ("%s", xml);
  g_assert_true (_kvmmig_xml_parse (&doc, xml));
  ASSERT_XPATH (&doc, "/disk/@type", "file");
  ASSERT_XPATH (&doc, "/disk/@device", "disk");
  ASSERT_XPATH (&doc, "/disk/source/@file", path);
  ASSERT_XPATH (&doc, "/disk/driver/@name", "qemu");
  ASSERT_XPATH (&doc, "/disk/driver/@type", "qcow2");
  ASSERT_XPATH (&doc, "/disk/driver/@cache", "none");
  ASSERT_XPATH (&doc, "/disk/target/@dev", "vda");
  ASSERT_XPATH (&doc, "/disk/target/@bus", "virtio");
  g_assert_cmpstr (kvmmig_volume_get_source (volume), ==, path);
}

static void
test_disk_xml_block (void)
{
  KvmmigVolumeInfo info = {
    .name = "lv-1", .key = "uuid", .capacity = MIB, .allocation = MIB,
    .type = KVMMIG_VOLUME_TYPE_BLOCK, .path = "/dev/vg-store/lv-1", .store_name = "st",
    .pool_name = "st",
  };
  g_autoptr(KvmmigVolume) volume = _kvmmig_volume_new (&info);
  g_autofree char *xml = kvmmig_volume_to_disk_xml (volume, "vdb");
  g_auto(KvmmigXml) doc = { 0 };
  KvmmigDiskSource mapper = { .type = "block", .path = "/dev/mapper/vg--store-lv--1" };
  KvmmigDiskSource other = { .type = "block", .path = "/dev/vg-store/lv-2" };

  g_assert_true (_kvmmig_xml_parse (&doc, xml));
  ASSERT_XPATH (&doc, "/disk/@type", "block");
  ASSERT_XPATH (&doc, "/disk/source/@dev", "/dev/vg-store/lv-1");
  ASSERT_XPATH (&doc, "/disk/driver/@type", "raw");
  ASSERT_XPATH (&doc, "/disk/driver/@cache", "none");
  ASSERT_XPATH (&doc, "/disk/target/@dev", "vdb");
  g_assert_null (kvmmig_volume_get_host_uri (volume));

  /* A guest may name the LV by its device-mapper path. */
  g_assert_true (_kvmmig_volume_matches_disk (volume, &mapper));
  g_assert_false (_kvmmig_volume_matches_disk (volume, &other));
}

static void
test_disk_xml_network (void)
{
  g_autoptr(KvmmigVolume) plain = network_volume (NULL);
  g_autoptr(KvmmigVolume) chap = network_volume ("joe's <user>");
  g_autofree char *xml = kvmmig_volume_to_disk_xml (plain, NULL);
  g_autofree char *chap_xml = kvmmig_volume_to_disk_xml (chap, NULL);
  g_auto(KvmmigXml) doc = { 0 };
  g_auto(KvmmigXml) chap_doc = { 0 };
  KvmmigDiskSource same = { .type = "network", .protocol = "iscsi", .host = "10.0.0.3",
                            .name = "iqn.2026-11.org.example:s/3" };
  KvmmigDiskSource lun4 = { .type = "network", .protocol = "iscsi", .host = "10.0.0.3",
                            .port = "3260", .name = "iqn.2026-11.org.example:s/4" };

  g_test_message ("%s", xml);
  g_assert_true (_kvmmig_xml_parse (&doc, xml));
  ASSERT_XPATH (&doc, "/disk/@type", "network");
  ASSERT_XPATH (&doc, "/disk/source/@protocol", "iscsi");
  ASSERT_XPATH (&doc, "/disk/source/@name", "iqn.2026-11.org.example:s/3");
  ASSERT_XPATH (&doc, "/disk/source/host/@name", "10.0.0.3");
  ASSERT_XPATH (&doc, "/disk/source/host/@port", "3260");
  ASSERT_XPATH (&doc, "/disk/driver/@cache", "none");
  ASSERT_XPATH (&doc, "/disk/target/@bus", "virtio");
  g_assert_null (xstr (&doc, "/disk/source/auth/@username"));
  g_assert_cmpstr (kvmmig_volume_get_source (plain), ==,
                   "iscsi://10.0.0.3:3260/iqn.2026-11.org.example:s/3");
  g_assert_null (kvmmig_volume_get_path (plain));

  g_test_message ("%s", chap_xml);
  g_assert_true (_kvmmig_xml_parse (&chap_doc, chap_xml));
  ASSERT_XPATH (&chap_doc, "/disk/source/auth/@username", "joe's <user>");
  ASSERT_XPATH (&chap_doc, "/disk/source/auth/secret/@type", "iscsi");
  ASSERT_XPATH (&chap_doc, "/disk/source/auth/secret/@usage", "libkvmmig/st");

  /* The default port matches an explicit 3260. */
  g_assert_true (_kvmmig_volume_matches_disk (plain, &same));
  g_assert_false (_kvmmig_volume_matches_disk (plain, &lun4));
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_spec_properties (void)
{
  g_autoptr(KvmmigVolume) volume = file_volume ("/srv/v");
  g_autoptr(KvmmigGuestSpec) spec = kvmmig_guest_spec_new ("g", volume);
  guint notified = 0;

  g_assert_cmpstr (kvmmig_guest_spec_get_name (spec), ==, "g");
  g_assert_true (kvmmig_guest_spec_get_volume (spec) == volume);
  g_assert_cmpuint (kvmmig_guest_spec_get_memory_mib (spec), ==, 512);
  g_assert_cmpuint (kvmmig_guest_spec_get_vcpus (spec), ==, 1);
  g_assert_cmpint (kvmmig_guest_spec_get_virt_type (spec), ==, KVMMIG_VIRT_TYPE_KVM);
  g_assert_null (kvmmig_guest_spec_get_kernel (spec));
  g_assert_null (kvmmig_guest_spec_get_serial_log (spec));

  g_signal_connect (spec, "notify", G_CALLBACK (count_notify), &notified);
  kvmmig_guest_spec_set_memory_mib (spec, 256);
  kvmmig_guest_spec_set_memory_mib (spec, 256);
  kvmmig_guest_spec_set_vcpus (spec, 2);
  kvmmig_guest_spec_set_kernel (spec, "/boot/vmlinuz");
  kvmmig_guest_spec_set_kernel (spec, "/boot/vmlinuz");
  g_object_set (spec, "virt-type", KVMMIG_VIRT_TYPE_QEMU, "machine", "pc", NULL);
  g_assert_cmpuint (notified, ==, 5);
}

static void
test_spec_xml (void)
{
  g_autofree char *path = g_strconcat ("/srv/shared/", AWKWARD, ".qcow2", NULL);
  g_autoptr(KvmmigVolume) volume = file_volume (path);
  g_autoptr(KvmmigGuestSpec) spec = kvmmig_guest_spec_new (AWKWARD, volume);
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *log = g_strconcat ("/var/log/libvirt/qemu/", AWKWARD, "-serial.log", NULL);
  const char *cmdline = "console=ttyS0 quiet kvmmig.workload=diskseq x=\"a b\" y='<&>'";
  g_auto(KvmmigXml) doc = { 0 };

  kvmmig_guest_spec_set_memory_mib (spec, 256);
  kvmmig_guest_spec_set_vcpus (spec, 2);
  kvmmig_guest_spec_set_virt_type (spec, KVMMIG_VIRT_TYPE_QEMU);
  kvmmig_guest_spec_set_machine (spec, "pc");
  kvmmig_guest_spec_set_kernel (spec, "/boot/vmlinuz é");
  kvmmig_guest_spec_set_initrd (spec, "/boot/initrd & more.img");
  kvmmig_guest_spec_set_cmdline (spec, cmdline);
  kvmmig_guest_spec_set_serial_log (spec, log);

  xml = kvmmig_guest_spec_to_xml (spec, &error);
  g_assert_no_error (error);
  g_test_message ("%s", xml);
  g_assert_true (_kvmmig_xml_parse (&doc, xml));
  ASSERT_XPATH (&doc, "/domain/@type", "qemu");
  ASSERT_XPATH (&doc, "/domain/name", AWKWARD);
  ASSERT_XPATH (&doc, "/domain/memory", "262144");
  ASSERT_XPATH (&doc, "/domain/vcpu", "2");
  ASSERT_XPATH (&doc, "/domain/os/type", "hvm");
  ASSERT_XPATH (&doc, "/domain/os/type/@machine", "pc");
  ASSERT_XPATH (&doc, "/domain/os/kernel", "/boot/vmlinuz é");
  ASSERT_XPATH (&doc, "/domain/os/initrd", "/boot/initrd & more.img");
  ASSERT_XPATH (&doc, "/domain/os/cmdline", cmdline);
  g_assert_null (xstr (&doc, "/domain/os/boot/@dev"));
  ASSERT_XPATH (&doc, "name(/domain/features/acpi)", "acpi");
  ASSERT_XPATH (&doc, "/domain/clock/@offset", "utc");
  ASSERT_XPATH (&doc, "/domain/devices/disk/source/@file", path);
  ASSERT_XPATH (&doc, "/domain/devices/disk/driver/@cache", "none");
  ASSERT_XPATH (&doc, "/domain/devices/disk/target/@bus", "virtio");
  ASSERT_XPATH (&doc, "/domain/devices/serial/@type", "file");
  ASSERT_XPATH (&doc, "/domain/devices/serial/source/@path", log);
  ASSERT_XPATH (&doc, "/domain/devices/serial/source/@append", "on");
  ASSERT_XPATH (&doc, "/domain/devices/console/target/@type", "serial");
  ASSERT_XPATH (&doc, "/domain/devices/console/source/@path", log);
  g_assert_null (xstr (&doc, "/domain/cpu/@mode"));

  /* Booting from the disk, console on a pty. */
  kvmmig_guest_spec_set_kernel (spec, NULL);
  kvmmig_guest_spec_set_initrd (spec, NULL);
  kvmmig_guest_spec_set_cmdline (spec, NULL);
  kvmmig_guest_spec_set_serial_log (spec, NULL);
  g_clear_pointer (&xml, g_free);
  xml = kvmmig_guest_spec_to_xml (spec, &error);
  g_assert_no_error (error);
  {
    g_auto(KvmmigXml) boot = { 0 };

    g_assert_true (_kvmmig_xml_parse (&boot, xml));
    ASSERT_XPATH (&boot, "/domain/os/boot/@dev", "hd");
    g_assert_null (xstr (&boot, "/domain/os/kernel"));
    ASSERT_XPATH (&boot, "/domain/devices/serial/@type", "pty");
  }
}

static void
test_spec_invalid (void)
{
  g_autoptr(KvmmigVolume) volume = file_volume ("/srv/v");
  struct {
    const char *name;
    gboolean volume;
    const char *kernel;
    const char *initrd;
    const char *serial;
    const char *needle;
  } cases[] = {
    { "", TRUE, NULL, NULL, NULL, "non-empty" },
    { NULL, TRUE, NULL, NULL, NULL, "non-empty" },
    { "a/b", TRUE, NULL, NULL, NULL, "'/'" },
    { "new\nline", TRUE, NULL, NULL, NULL, "control" },
    { "g", FALSE, NULL, NULL, NULL, "no volume" },
    { "g", TRUE, NULL, "/boot/initrd", NULL, "needs a kernel" },
    { "g", TRUE, "boot/vmlinuz", NULL, NULL, "absolute" },
    { "g", TRUE, NULL, NULL, "serial.log", "absolute" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KvmmigGuestSpec) spec = kvmmig_guest_spec_new (cases[i].name,
                                                               cases[i].volume ? volume : NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *xml = NULL;

      kvmmig_guest_spec_set_kernel (spec, cases[i].kernel);
      kvmmig_guest_spec_set_initrd (spec, cases[i].initrd);
      kvmmig_guest_spec_set_serial_log (spec, cases[i].serial);
      xml = kvmmig_guest_spec_to_xml (spec, &error);
      g_assert_null (xml);
      g_test_message ("%s", error->message);
      g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
    }
}

/* -- kvmmig_host_define_guest on the test driver -- */

typedef struct
{
  KvmmigHost *host;
  KvmmigSharedStore *store;
  KvmmigVolume *volume;
  virConnectPtr conn;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->host = kvmmig_host_new (HOST_A);
  g_assert_true (kvmmig_host_open (f->host, NULL, &error));
  f->conn = _kvmmig_host_ref_connection (f->host, NULL);
  f->store = kvmmig_shared_store_new_directory ("st-dir", "/st/shared");
  g_assert_true (kvmmig_shared_store_attach (f->store, f->host, NULL, &error));
  f->volume = kvmmig_shared_store_create_volume (f->store, f->host, AWKWARD, 16 * MIB, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  kvmmig_test_remove_guest (f->conn, AWKWARD);
  kvmmig_test_remove_guest (f->conn, "st-second");
  g_assert_true (kvmmig_shared_store_delete_volume (f->store, f->host, AWKWARD, NULL, &error));
  g_assert_true (kvmmig_shared_store_detach (f->store, f->host, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->volume);
  g_clear_object (&f->store);
  virConnectClose (f->conn);
  g_clear_object (&f->host);
  kvmmig_test_drain ();
}

static void
test_define_guest (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigGuestSpec) spec = kvmmig_guest_spec_new (AWKWARD, f->volume);
  g_autoptr(KvmmigGuest) guest = NULL;
  g_autoptr(KvmmigVolume) seen = NULL;
  g_autoptr(GError) error = NULL;

  kvmmig_guest_spec_set_memory_mib (spec, 64);
  kvmmig_guest_spec_set_kernel (spec, "/boot/vmlinuz");
  kvmmig_guest_spec_set_cmdline (spec, "console=ttyS0 a='<&>'");

  guest = kvmmig_host_define_guest (f->host, spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kvmmig_guest_get_name (guest), ==, AWKWARD);
  g_assert_true (kvmmig_guest_is_persistent (guest));
  g_assert_cmpint (kvmmig_guest_get_state (guest), ==, KVMMIG_GUEST_STATE_SHUTOFF);
  g_assert_cmpuint (kvmmig_guest_get_max_memory (guest), ==, 64 * MIB);

  /* The volume knows its guest now. */
  seen = kvmmig_shared_store_lookup_volume (f->store, f->host, AWKWARD, NULL, &error);
  g_assert_cmpstr (kvmmig_volume_get_guests (seen)[0], ==, AWKWARD);

  /* The same name again: refused, the first left as it is. */
  g_assert_null (kvmmig_host_define_guest (f->host, spec, NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_EXISTS);
  g_assert_true (g_str_has_prefix (error->message, HOST_A));
  g_clear_error (&error);

  /* Another guest on the same volume: refused. */
  kvmmig_guest_spec_set_name (spec, "st-second");
  g_assert_null (kvmmig_host_define_guest (f->host, spec, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_IN_USE);
  g_assert_nonnull (strstr (error->message, "already a disk of guest"));
  g_clear_error (&error);
  {
    virDomainPtr none = virDomainLookupByName (f->conn, "st-second");
    g_assert_null (none);
    virResetLastError ();
  }

  /* Start it. */
  g_assert_true (kvmmig_host_start_guest (f->host, AWKWARD, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kvmmig_host_start_guest (f->host, AWKWARD, NULL, &error));
  g_assert_false (kvmmig_host_start_guest (f->host, "st-no-such-guest", NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_NOT_FOUND);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
test_define_guest_async (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigGuestSpec) spec = kvmmig_guest_spec_new (AWKWARD, f->volume);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KvmmigGuest) guest = NULL;
  g_autoptr(GError) error = NULL;

  kvmmig_guest_spec_set_memory_mib (spec, 64);
  kvmmig_host_define_guest_async (f->host, spec, NULL, on_done, &result);
  /* The spec is read before the call returns. */
  kvmmig_guest_spec_set_name (spec, "changed afterwards");
  kvmmig_test_wait_result (&result);
  guest = kvmmig_host_define_guest_finish (f->host, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kvmmig_guest_get_name (guest), ==, AWKWARD);
  g_clear_object (&result);

  kvmmig_host_start_guest_async (f->host, AWKWARD, NULL, on_done, &result);
  kvmmig_test_wait_result (&result);
  g_assert_true (kvmmig_host_start_guest_finish (f->host, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* An invalid spec fails through the callback. */
  kvmmig_guest_spec_set_name (spec, "");
  kvmmig_host_define_guest_async (f->host, spec, NULL, on_done, &result);
  kvmmig_test_wait_result (&result);
  g_assert_null (kvmmig_host_define_guest_finish (f->host, result, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, HOST_A));
}

/* A volume of a store the host does not have. */
static void
test_define_guest_volume_not_seen (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigVolume) elsewhere = file_volume ("/not/attached/here.img");
  g_autoptr(KvmmigGuestSpec) spec = kvmmig_guest_spec_new ("st-second", elsewhere);
  g_autoptr(GError) error = NULL;

  g_assert_null (kvmmig_host_define_guest (f->host, spec, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/not/attached/here.img"));
}

static void
test_define_guest_not_open (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_host_new (HOST_A);
  g_autoptr(KvmmigVolume) volume = file_volume ("/srv/v");
  g_autoptr(KvmmigGuestSpec) spec = kvmmig_guest_spec_new ("g", volume);
  g_autoptr(GError) error = NULL;

  g_assert_null (kvmmig_host_define_guest (host, spec, NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_OPEN);
  g_clear_error (&error);
  g_assert_false (kvmmig_host_start_guest (host, "g", NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_OPEN);
}

int
main (int argc, char *argv[])
{
  virConnectPtr conn;
  int ret;

  /* No G_TEST_OPTION_ISOLATE_DIRS: these tests use no user directories,
   * and GLib 2.74 leaks its per-test copies of them (an ASan failure). */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Kvmmig/Volume/disk-xml/file", test_disk_xml_file);
  g_test_add_func ("/Kvmmig/Volume/disk-xml/block", test_disk_xml_block);
  g_test_add_func ("/Kvmmig/Volume/disk-xml/network", test_disk_xml_network);
  g_test_add_func ("/Kvmmig/GuestSpec/properties", test_spec_properties);
  g_test_add_func ("/Kvmmig/GuestSpec/xml", test_spec_xml);
  g_test_add_func ("/Kvmmig/GuestSpec/invalid", test_spec_invalid);
  g_test_add ("/Kvmmig/Host/define-guest", Fixture, NULL, fixture_setup,
              test_define_guest, fixture_teardown);
  g_test_add ("/Kvmmig/Host/define-guest-async", Fixture, NULL, fixture_setup,
              test_define_guest_async, fixture_teardown);
  g_test_add ("/Kvmmig/Host/define-guest-volume-not-seen", Fixture, NULL, fixture_setup,
              test_define_guest_volume_not_seen, fixture_teardown);
  g_test_add_func ("/Kvmmig/Host/define-guest-not-open", test_define_guest_not_open);

  conn = virConnectOpen (HOST_A);
  ret = g_test_run ();
  virConnectClose (conn);
  return ret;
}
