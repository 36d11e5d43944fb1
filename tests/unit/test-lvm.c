/* test-lvm.c: a shared store's volume group through libblockdev, on this
 * machine: a loop device the size of the testbed's large LUN (1 GiB) is
 * formatted as a volume group, and logical volumes are created, listed,
 * resized and removed, with LVM's activation turned off (the machines
 * this project is tested on have no device-mapper; LVM's metadata work
 * runs without it). Needs root (losetup, pvcreate). The tests that need
 * device-mapper (activating a logical volume, deactivating it on the
 * source after a migration) run where the kernel has device-mapper and
 * otherwise skip, saying so. The LVM module (libkvmmig-lvm.so) is
 * loaded from this build tree (KVMMIG_MODULE_DIR, tests/meson.build), on
 * first LVM use only, and its absence is an error.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "kvmmig-host-private.h"
#include "kvmmig-lvm-private.h"
#include "kvmmig-test-utils.h"

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)
#define GIB (1024 * MIB)

typedef struct
{
  char *image;
  char *device;
  char *vg;
  KvmmigSharedStore *store;
  gboolean had_mapper_dir;
  KvmmigVolume *lv1;   /* the 64 MiB LV "lv1" of lv1_fixture_setup */
  KvmmigVolume *lv2;   /* the LV "lv2" (10 MiB asked) of two_lvs_fixture_setup */
} Fixture;

static gboolean
skip_unless_root (void)
{
  if (geteuid () != 0)
    {
      g_test_skip ("needs root: loop devices (losetup) and LVM (pvcreate, vgcreate) "
                   "need it; run as root, as `sudo ./tools/run-tests` does");
      return TRUE;
    }
  return FALSE;
}

static gboolean
skip_unless_device_mapper (void)
{
  if (skip_unless_root ())
    return TRUE;
  if (!_kvmmig_lvm_has_device_mapper ())
    {
      g_test_skip ("needs device-mapper: this machine's kernel has none (no "
                   "device-mapper in /proc/misc), so no logical volume can be "
                   "activated or deactivated here (the LVM metadata tests run "
                   "with activation off instead)");
      return TRUE;
    }
  return FALSE;
}

/* A 1 GiB sparse file on a loop device, and an iSCSI store description
 * whose volume group is to live on it. */
static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gboolean activation = GPOINTER_TO_INT (data);
  int fd;

  if (geteuid () != 0 || (activation && !_kvmmig_lvm_has_device_mapper ()))
    return;

  _kvmmig_lvm_set_activation (activation);
  f->had_mapper_dir = g_file_test ("/dev/mapper", G_FILE_TEST_EXISTS);

  f->vg = g_strdup_printf ("st-vg-%d", (int) getpid ());
  fd = g_file_open_tmp ("st-lun-XXXXXX.img", &f->image, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ftruncate (fd, GIB), ==, 0);
  close (fd);

  if (!_kvmmig_loop_setup (f->image, &f->device, &error))
    g_error ("%s", error->message);
  g_test_message ("%s on %s", f->image, f->device);

  f->store = kvmmig_shared_store_new_iscsi ("st-lvm", "10.0.0.3", "iqn.2026-11.org.example:store");
  kvmmig_shared_store_set_initiator (f->store, KVMMIG_ISCSI_INITIATOR_HOST);
  kvmmig_shared_store_set_volume_group (f->store, f->vg);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->device != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KvmmigLvmLv) none = NULL;

      /* Whatever a failed test left: the VG (with its LVs), the label. */
      if (_kvmmig_lvm_vg_info (f->vg, NULL, NULL, NULL))
        {
          g_autoptr(GPtrArray) lvs = _kvmmig_lvm_list (f->vg, NULL);

          for (guint i = 0; lvs && i < lvs->len; i++)
            _kvmmig_lvm_lv (KVMMIG_LV_REMOVE, f->vg, ((KvmmigLvmLv *) g_ptr_array_index (lvs, i))->name, 0, NULL);
          if (!_kvmmig_lvm_remove_vg (f->vg, f->device, &error))
            g_test_message ("clean-up: %s", error->message);
        }
      g_clear_error (&error);
      if (!_kvmmig_loop_teardown (f->device, &error))
        g_test_message ("clean-up: %s", error->message);
    }
  if (f->image != NULL)
    g_unlink (f->image);

  /* LVM's library creates /dev/mapper/control even where the kernel has
   * no device-mapper: leave /dev as it was. */
  if (f->device != NULL && !f->had_mapper_dir && !_kvmmig_lvm_has_device_mapper ())
    {
      g_unlink ("/dev/mapper/control");
      g_rmdir ("/dev/mapper");
    }
  g_free (f->image);
  g_free (f->device);
  g_free (f->vg);
  g_clear_object (&f->store);
  g_clear_object (&f->lv1);
  g_clear_object (&f->lv2);
  _kvmmig_lvm_set_activation (TRUE);
}

static KvmmigVolume *
item (GListModel *model, guint i)
{
  KvmmigVolume *volume = g_list_model_get_item (model, i);

  g_object_unref (volume);
  return volume;
}

/* Every error here is about this machine, and names what it is about. */
static void
assert_error (GError *error, KvmmigError code, const char *needle)
{
  g_assert_nonnull (needle);
  kvmmig_test_assert_error (error, code, "this machine (", needle);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* Creates the LV @name of @size bytes in the store's volume group. */
static KvmmigVolume *
create_lv (Fixture *f, const char *name, guint64 size)
{
  g_autoptr(GError) error = NULL;
  KvmmigVolume *volume = kvmmig_shared_store_create_volume (f->store, NULL, name, size, NULL, &error);

  g_assert_no_error (error);
  return volume;
}

/* fixture_setup, then (where it made the loop device) the store's device
 * formatted with a 64 MiB LV "lv1" on it (f->lv1): for the device-mapper
 * tests (activation on) and two_lvs_fixture_setup. */
static void
lv1_fixture_setup (Fixture *f, gconstpointer data)
{
  fixture_setup (f, data);
  if (f->device == NULL)
    return;

  g_assert_true (kvmmig_shared_store_format (f->store, f->device, NULL, NULL));
  f->lv1 = create_lv (f, "lv1", 64 * MIB);
}

/* lv1_fixture_setup, and next to lv1 "lv2" of 10 MiB (f->lv2). */
static void
two_lvs_fixture_setup (Fixture *f, gconstpointer data)
{
  lv1_fixture_setup (f, data);
  if (f->lv1 != NULL)
    f->lv2 = create_lv (f, "lv2", 10 * MIB);
}

/* The size of the store's volume group, checking that all of it but
 * @used bytes is free. */
static guint64
vg_size_with_used (Fixture *f, guint64 used)
{
  g_autoptr(GError) error = NULL;
  guint64 size = 0, free_bytes = 0;

  g_assert_true (_kvmmig_lvm_vg_info (f->vg, &size, &free_bytes, &error));
  g_test_message ("volume group %s: %" G_GUINT64_FORMAT " bytes, %" G_GUINT64_FORMAT " free",
                  f->vg, size, free_bytes);
  g_assert_cmpuint (free_bytes, ==, size - used);
  return size;
}

/* Format (async: a long operation), then again: already done; the whole
 * volume group free, no volumes. */
static void
test_format (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  guint64 size;

  if (skip_unless_root ())
    return;

  kvmmig_shared_store_format_async (f->store, f->device, NULL, on_done, &result);
  kvmmig_test_wait_result (&result);
  g_assert_true (kvmmig_shared_store_format_finish (f->store, result, &error));
  g_assert_no_error (error);
  g_assert_true (kvmmig_shared_store_format (f->store, f->device, NULL, &error));
  g_assert_no_error (error);

  size = vg_size_with_used (f, 0);
  g_assert_cmpuint (size, >, 1000 * MIB);
  g_assert_cmpuint (size, <=, GIB);

  model = kvmmig_shared_store_list_volumes (f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
}

/* Create (async): a block volume, its size as LVM made it. */
static void
test_create_volume (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_strdup_printf ("/dev/%s/lv1", f->vg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KvmmigVolume) lv1 = NULL;

  if (skip_unless_root ())
    return;

  g_assert_true (kvmmig_shared_store_format (f->store, f->device, NULL, &error));
  kvmmig_shared_store_create_volume_async (f->store, NULL, "lv1", 64 * MIB, NULL, on_done, &result);
  kvmmig_test_wait_result (&result);
  lv1 = kvmmig_shared_store_create_volume_finish (f->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kvmmig_volume_get_name (lv1), ==, "lv1");
  g_assert_cmpstr (kvmmig_volume_get_path (lv1), ==, path);
  g_assert_cmpstr (kvmmig_volume_get_source (lv1), ==, path);
  g_assert_cmpint (kvmmig_volume_get_volume_type (lv1), ==, KVMMIG_VOLUME_TYPE_BLOCK);
  g_assert_cmpuint (kvmmig_volume_get_capacity (lv1), ==, 64 * MIB);
  g_assert_null (kvmmig_volume_get_host_uri (lv1));
  g_assert_cmpuint (strlen (kvmmig_volume_get_key (lv1)), >, 30);   /* the LV's UUID */
}

/* lv1 (64 MiB) and lv2 (10 MiB asked): sizes as LVM made them (whole
 * 4 MiB extents), and both listed. */
static void
test_list_volumes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = NULL;

  if (skip_unless_root ())
    return;

  g_assert_cmpuint (kvmmig_volume_get_capacity (f->lv2), ==, 12 * MIB);

  model = kvmmig_shared_store_list_volumes (f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpstr (kvmmig_volume_get_name (item (model, 0)), ==, "lv1");
  g_assert_cmpuint (kvmmig_volume_get_capacity (item (model, 0)), ==, 64 * MIB);
  g_assert_cmpstr (kvmmig_volume_get_name (item (model, 1)), ==, "lv2");
  g_assert_cmpuint (kvmmig_volume_get_capacity (item (model, 1)), ==, 12 * MIB);
}

/* Resize lv1 (64 MiB; lv2 next to it): grow; shrinking and overflowing
 * refused. */
static void
test_resize_volume (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigVolume) grown = NULL;
  g_autoptr(GListModel) model = NULL;

  if (skip_unless_root ())
    return;

  grown = kvmmig_shared_store_resize_volume (f->store, NULL, "lv1", 256 * MIB, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kvmmig_volume_get_capacity (grown), ==, 256 * MIB);
  g_assert_null (kvmmig_shared_store_resize_volume (f->store, NULL, "lv1", 128 * MIB, NULL, &error));
  assert_error (error, KVMMIG_ERROR_INVALID_ARGUMENT, "shrinking");
  g_clear_error (&error);
  g_assert_null (kvmmig_shared_store_resize_volume (f->store, NULL, "lv1", 2 * GIB, NULL, &error));
  assert_error (error, KVMMIG_ERROR_NO_SPACE, "bytes free");
  g_clear_error (&error);

  model = kvmmig_shared_store_list_volumes (f->store, NULL, NULL, &error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpuint (kvmmig_volume_get_capacity (item (model, 0)), ==, 256 * MIB);
  vg_size_with_used (f, (256 + 12) * MIB);
}

/* On lv1 (64 MiB) and lv2 (12 MiB): bad input (clear errors, nothing
 * changed), then lv2 deleted. */
static void
test_bad_input_and_delete (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *name;
    guint64     size;
    KvmmigError code;
    const char *needle;   /* NULL: only the code is checked */
  } bad_creates[] = {
    { "lv1", MIB, KVMMIG_ERROR_VOLUME_EXISTS, "already has a logical volume 'lv1'" },
    { "lv3", 0, KVMMIG_ERROR_INVALID_ARGUMENT, NULL },
    { "lv3", 2 * GIB, KVMMIG_ERROR_NO_SPACE, "needs" },
    { "no spaces", MIB, KVMMIG_ERROR_INVALID_ARGUMENT, "not a valid name" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = NULL;

  if (skip_unless_root ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (bad_creates); i++)
    {
      g_assert_null (kvmmig_shared_store_create_volume (f->store, NULL, bad_creates[i].name,
                                                        bad_creates[i].size, NULL, &error));
      if (bad_creates[i].needle != NULL)
        assert_error (error, bad_creates[i].code, bad_creates[i].needle);
      else
        g_assert_error (error, KVMMIG_ERROR, (gint) bad_creates[i].code);
      g_clear_error (&error);
    }
  g_assert_false (kvmmig_shared_store_delete_volume (f->store, NULL, "lv9", NULL, &error));
  assert_error (error, KVMMIG_ERROR_VOLUME_NOT_FOUND, "'lv9'");
  g_clear_error (&error);

  model = kvmmig_shared_store_list_volumes (f->store, NULL, NULL, &error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpuint (kvmmig_volume_get_capacity (item (model, 0)), ==, 64 * MIB);
  g_clear_object (&model);

  /* Delete. */
  g_assert_true (kvmmig_shared_store_delete_volume (f->store, NULL, "lv2", NULL, &error));
  g_assert_no_error (error);
  model = kvmmig_shared_store_list_volumes (f->store, NULL, NULL, &error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  vg_size_with_used (f, 64 * MIB);
}

static void
test_format_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigSharedStore) other = NULL;
  g_autofree char *other_vg = NULL;

  if (skip_unless_root ())
    return;

  /* Not a block device. */
  g_assert_false (kvmmig_shared_store_format (f->store, f->image, NULL, &error));
  assert_error (error, KVMMIG_ERROR_INVALID_ARGUMENT, "not a block device");
  g_clear_error (&error);

  /* No device known: an iSCSI store needs its LUN. */
  g_assert_false (kvmmig_shared_store_format (f->store, NULL, NULL, &error));
  assert_error (error, KVMMIG_ERROR_INVALID_ARGUMENT, "which LUN");
  g_clear_error (&error);

  /* A device that holds another volume group is left alone. */
  g_assert_true (kvmmig_shared_store_format (f->store, f->device, NULL, &error));
  other_vg = g_strdup_printf ("%s-other", f->vg);
  other = kvmmig_shared_store_new_block_device ("st-other", f->device, other_vg);
  g_assert_false (kvmmig_shared_store_format (other, NULL, NULL, &error));
  assert_error (error, KVMMIG_ERROR_INVALID_ARGUMENT, "already belongs to volume group");
  g_assert_true (_kvmmig_lvm_vg_info (f->vg, NULL, NULL, NULL));
  g_assert_false (_kvmmig_lvm_vg_info (other_vg, NULL, NULL, NULL));
}

static void
test_missing_vg (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  if (skip_unless_root ())
    return;

  /* Not formatted yet: the volume group is missing. */
  g_assert_null (kvmmig_shared_store_list_volumes (f->store, NULL, NULL, &error));
  assert_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, "is not found");
  g_clear_error (&error);
  g_assert_null (kvmmig_shared_store_create_volume (f->store, NULL, "lv1", MIB, NULL, &error));
  assert_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, "format the store's LUN first");
}

/* Whether this process maps a file whose name holds @name. */
static gboolean
maps_file (const char *name)
{
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, name) != NULL;
}

/* The LVM module, and with it libblockdev, is loaded on first LVM use
 * only: a process that lists a host's guests maps neither (a subprocess:
 * the module, once loaded, stays). */
static void
test_module_loaded_on_first_use (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(KvmmigHost) host = kvmmig_host_new ("test:///default");
      g_autoptr(GPtrArray) guests = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (kvmmig_host_open (host, NULL, &error));
      guests = kvmmig_host_list_guests (host, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (guests->len, ==, 1);
      g_assert_false (maps_file (KVMMIG_LVM_MODULE_NAME));
      g_assert_false (maps_file ("libblockdev"));

      /* The plugins or the tools may be missing here; the module is not. */
      if (!_kvmmig_lvm_init (&error))
        g_assert_null (strstr (error->message, "LVM module"));
      g_assert_true (maps_file (KVMMIG_LVM_MODULE_NAME));
      g_assert_true (maps_file ("libblockdev"));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A missing libblockdev plugin (@data "plugin"), or a missing LVM module
 * (@data "module": another KVMMIG_MODULE_DIR), is an error, not an
 * abort: MISSING_DEPENDENCY, saying what is missing (for the module, its
 * path and why), and the same again on the next call. A subprocess:
 * libblockdev is initialised, and the module loaded, once per process. */
static void
test_missing_dependency (gconstpointer data)
{
  gboolean module = g_str_equal (data, "module");

  if (g_test_subprocess ())
    {
      g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_block_device ("st", "/dev/null", "vg");
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) again = NULL;

      if (module)
        g_setenv ("KVMMIG_MODULE_DIR", "/nonexistent/modules", TRUE);
      else
        _kvmmig_lvm_set_plugin_soname ("libbd_lvm-not-installed.so.2");
      g_assert_null (kvmmig_shared_store_list_volumes (store, NULL, NULL, &error));
      g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_MISSING_DEPENDENCY);
      g_print ("%s\n", error->message);
      /* And again: the same answer, no retry storm. */
      g_assert_false (kvmmig_shared_store_format (store, NULL, NULL, &again));
      g_assert_error (again, KVMMIG_ERROR, KVMMIG_ERROR_MISSING_DEPENDENCY);
      g_assert_true (maps_file ("libblockdev") == !module);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  if (module)
    g_test_trap_assert_stdout ("*cannot load its LVM module /nonexistent/modules/"
                               KVMMIG_LVM_MODULE_NAME "*No such file*");
  else
    g_test_trap_assert_stdout ("*libblockdev cannot load its lvm plugin*");
}

/* -- these need device-mapper ---------------------------------------- */

/* The state letter of LV @vg/@lv in its attributes ('a': active). */
static char
lv_state (const char *vg, const char *lv)
{
  g_autoptr(KvmmigLvmLv) found = _kvmmig_lvm_lookup (vg, lv, NULL);

  if (found == NULL)
    g_error ("no logical volume %s/%s", vg, lv);
  return found->attr[4];
}

static void
test_activation (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  if (skip_unless_device_mapper ())
    return;

  g_assert_true (g_file_test (kvmmig_volume_get_path (f->lv1), G_FILE_TEST_EXISTS));

  g_assert_true (_kvmmig_lvm_lv (KVMMIG_LV_DEACTIVATE, f->vg, "lv1", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lv_state (f->vg, "lv1"), !=, 'a');
  g_assert_true (_kvmmig_lvm_lv (KVMMIG_LV_ACTIVATE, f->vg, "lv1", 0, &error));
  g_assert_cmpint (lv_state (f->vg, "lv1"), ==, 'a');
}

/* Defines @xml (a guest "st-moved") on test host B, as if it had just
 * moved there from @source (known as @source_uri), and has
 * _kvmmig_storage_release_lvs release its LVs; returns the one line that
 * reports. */
static char *
release_after_move (virConnectPtr source, const char *source_uri, const char *xml)
{
  g_autofree char *host_b = kvmmig_test_host_b_uri ();
  virConnectPtr destination = virConnectOpen (host_b);
  virDomainPtr dom = virDomainDefineXML (destination, xml);
  g_autoptr(GPtrArray) done = NULL;
  char *line;

  g_assert_nonnull (dom);
  done = _kvmmig_storage_release_lvs (source, source_uri, destination, "st-moved");
  g_assert_cmpuint (done->len, ==, 1);
  g_test_message ("%s", (char *) g_ptr_array_index (done, 0));
  line = g_strdup (g_ptr_array_index (done, 0));

  virDomainUndefine (dom);
  virDomainFree (dom);
  virConnectClose (destination);
  return line;
}

/* After a migration whose guest's disk is an LV, the source (this
 * machine) deactivates it: a guest on test host B (the destination) with
 * the LV as its disk, test:///default as the source. */
static void
test_deactivate_after_migration (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *done = NULL;
  virConnectPtr source;

  if (skip_unless_device_mapper ())
    return;

  {
    g_autoptr(KvmmigGuestSpec) spec = kvmmig_guest_spec_new ("st-moved", f->lv1);

    kvmmig_guest_spec_set_memory_mib (spec, 64);
    xml = kvmmig_guest_spec_to_xml (spec, &error);
    g_assert_no_error (error);
  }
  source = virConnectOpen ("test:///default");
  done = release_after_move (source, "test:///default", xml);
  g_assert_nonnull (strstr (done, "deactivated on the source"));
  g_assert_cmpint (lv_state (f->vg, "lv1"), !=, 'a');

  virConnectClose (source);
}

/* What is not guarded: a source that is not this machine keeps the LV
 * active, and says so. Runs here: it only reads the source's libvirt
 * pools (a logical pool on the test driver, which "sees" testvg1). */
static void
test_remote_source_not_guarded (void)
{
  g_autoptr(KvmmigHost) a = kvmmig_host_new ("test:///default");
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_block_device ("st-b", "/dev/sdz", "testvg1");
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  g_autofree char *lv_path = NULL;
  virConnectPtr source;
  virStoragePoolPtr pool;
  virStorageVolPtr vol;

  g_assert_true (kvmmig_host_open (a, NULL, &error));
  g_assert_true (kvmmig_shared_store_attach (store, a, NULL, &error));
  g_assert_no_error (error);

  source = _kvmmig_host_ref_connection (a, NULL);
  pool = virStoragePoolLookupByName (source, "st-b");
  vol = virStorageVolCreateXML (pool, "<volume><name>lv-moved</name><capacity>1048576</capacity>"
                                      "<allocation>1048576</allocation></volume>", 0);
  g_assert_nonnull (vol);
  lv_path = virStorageVolGetPath (vol);
  g_test_message ("the LV's path on the source: %s", lv_path);

  {
    g_autofree char *xml = g_strdup_printf (
      "<domain type='test'><name>st-moved</name><memory>65536</memory><os><type>hvm</type></os>"
      "<devices><disk type='block' device='disk'><source dev='%s'/>"
      "<target dev='vda' bus='virtio'/></disk></devices></domain>", lv_path);

    done = release_after_move (source, "qemu+tcp://hv1.example/system", xml);
  }
  g_assert_nonnull (strstr (done, "testvg1/lv-moved"));
  g_assert_nonnull (strstr (done, "stays active there"));

  virStorageVolDelete (vol, 0);
  virStorageVolFree (vol);
  virStoragePoolFree (pool);
  virConnectClose (source);
  g_assert_true (kvmmig_shared_store_detach (store, a, NULL, &error));
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  /* No G_TEST_OPTION_ISOLATE_DIRS: these tests use no user directories,
   * and GLib 2.74 leaks its per-test copies of them (an ASan failure). */
  g_test_init (&argc, &argv, NULL);

#define ADD(path, setup, func, activation) \
  g_test_add ("/Kvmmig/Lvm/" path, Fixture, GINT_TO_POINTER (activation), \
              setup, func, fixture_teardown)

  ADD ("format", fixture_setup, test_format, FALSE);
  ADD ("create-volume", fixture_setup, test_create_volume, FALSE);
  ADD ("list-volumes", two_lvs_fixture_setup, test_list_volumes, FALSE);
  ADD ("resize-volume", two_lvs_fixture_setup, test_resize_volume, FALSE);
  ADD ("bad-input-and-delete", two_lvs_fixture_setup, test_bad_input_and_delete, FALSE);
  ADD ("format-refused", fixture_setup, test_format_refused, FALSE);
  ADD ("missing-volume-group", fixture_setup, test_missing_vg, FALSE);
  g_test_add_data_func ("/Kvmmig/Lvm/missing-plugin", "plugin", test_missing_dependency);
  g_test_add_data_func ("/Kvmmig/Lvm/missing-module", "module", test_missing_dependency);
  g_test_add_func ("/Kvmmig/Lvm/module-loaded-on-first-use", test_module_loaded_on_first_use);
  g_test_add_func ("/Kvmmig/Lvm/remote-source-not-guarded", test_remote_source_not_guarded);
  ADD ("activation", lv1_fixture_setup, test_activation, TRUE);
  ADD ("deactivate-after-migration", lv1_fixture_setup, test_deactivate_after_migration, TRUE);

  return g_test_run ();
}
