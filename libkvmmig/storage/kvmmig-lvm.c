/* kvmmig-lvm.c: the functions of kvmmig-lvm-private.h, in the library.
 * The LVM work itself is in the LVM module (kvmmig-lvm-module.c,
 * libkvmmig-lvm.so), the only part of libkvmmig that links libblockdev:
 * this file loads it on the first call that needs LVM, with
 * g_module_open (LAZY, LOCAL), from $KVMMIG_MODULE_DIR (the build tree's
 * tests set it) or else LIBKVMMIG_MODULE_DIR (LIBDIR/libkvmmig-1/modules),
 * keeps it loaded, and calls the table of functions it returns. A process
 * that never works on LVM never maps the module nor libblockdev. Without
 * the module (or built without libblockdev), every call fails with
 * KVMMIG_ERROR_MISSING_DEPENDENCY, saying why. LVM names and
 * device-mapper are answered here, without the module.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <gmodule.h>

#include "kvmmig-lvm-private.h"
#include "kvmmig-util-private.h"

gboolean
_kvmmig_lvm_name_is_valid (const char *name)
{
  if (!_kvmmig_name_has_only (name, 127, "+_.-") ||
      name[0] == '-' || g_str_equal (name, ".") || g_str_equal (name, ".."))
    return FALSE;

  /* Names LVM keeps for its own LVs. */
  if (g_str_has_prefix (name, "snapshot") || g_str_has_prefix (name, "pvmove") ||
      strstr (name, "_mlog") || strstr (name, "_mimage") || strstr (name, "_rimage") ||
      strstr (name, "_rmeta") || strstr (name, "_tdata") || strstr (name, "_tmeta") ||
      strstr (name, "_pmspare") || strstr (name, "_cdata") || strstr (name, "_cmeta") ||
      strstr (name, "_vorigin"))
    return FALSE;

  return TRUE;
}

gboolean
_kvmmig_lvm_has_device_mapper (void)
{
  g_autofree char *misc = NULL;

  /* The kernel's device-mapper registers the misc device
   * "device-mapper"; /dev/mapper/control alone proves nothing (LVM's
   * tools create that node even when the kernel has no device-mapper). */
  if (!g_file_get_contents ("/proc/misc", &misc, NULL, NULL))
    return g_file_test ("/sys/class/misc/device-mapper", G_FILE_TEST_EXISTS);
  return strstr (misc, " device-mapper\n") != NULL;
}

#ifdef HAVE_BLOCKDEV

/* What the module gets of the library; it keeps the pointer. */
static KvmmigLvmHost lvm_host = {
  .version = PACKAGE_VERSION,
  .this_machine = _kvmmig_this_machine,
  .has_device_mapper = _kvmmig_lvm_has_device_mapper,
};

/* Loads the module, once: its table, or NULL and why in @error. */
static const KvmmigLvmOps *
lvm_ops (GError **error)
{
  static GMutex lock;
  static gboolean tried;
  static const KvmmigLvmOps *ops;
  static GError *load_error;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

  if (!tried)
    {
      const char *dir = g_getenv ("KVMMIG_MODULE_DIR");
      g_autofree char *path = g_build_filename (dir && *dir ? dir : LIBKVMMIG_MODULE_DIR,
                                                KVMMIG_LVM_MODULE_NAME, NULL);
      KvmmigLvmModuleGetOps get_ops = NULL;
      GModule *module;

      tried = TRUE;
      lvm_host.error_domain = KVMMIG_ERROR;
      module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      if (module == NULL)
        g_set_error (&load_error, KVMMIG_ERROR, KVMMIG_ERROR_MISSING_DEPENDENCY,
                     "%s: libkvmmig cannot load its LVM module %s (installed with "
                     "the library; it needs libblockdev): %s",
                     _kvmmig_this_machine (), path, g_module_error ());
      else if (!g_module_symbol (module, KVMMIG_LVM_MODULE_ENTRY, (gpointer *) &get_ops) ||
               (ops = get_ops (&lvm_host)) == NULL)
        g_set_error (&load_error, KVMMIG_ERROR, KVMMIG_ERROR_MISSING_DEPENDENCY,
                     "%s: %s is not the LVM module of libkvmmig %s: %s",
                     _kvmmig_this_machine (), path, PACKAGE_VERSION,
                     get_ops ? "it is of another version" : g_module_error ());

      /* Kept: the table and libblockdev's state live in it. */
      if (ops != NULL)
        g_module_make_resident (module);
      else if (module != NULL)
        g_module_close (module);
    }

  if (ops == NULL)
    g_propagate_error (error, g_error_copy (load_error));
  return ops;
}

#else /* !HAVE_BLOCKDEV */

static const KvmmigLvmOps *
lvm_ops (GError **error)
{
  g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_MISSING_DEPENDENCY,
               "%s: libkvmmig was built without libblockdev (meson option "
               "blockdev), so it cannot work on LVM here", _kvmmig_this_machine ());
  return NULL;
}

#endif /* HAVE_BLOCKDEV */

/* Each function: the module's, once it is loaded. */

void
_kvmmig_lvm_set_activation (gboolean enabled)
{
  const KvmmigLvmOps *ops = lvm_ops (NULL);

  if (ops != NULL)
    ops->set_activation (enabled);
}

void
_kvmmig_lvm_set_plugin_soname (const char *so_name)
{
  const KvmmigLvmOps *ops = lvm_ops (NULL);

  if (ops != NULL)
    ops->set_plugin_soname (so_name);
}

gboolean
_kvmmig_lvm_init (GError **error)
{
  const KvmmigLvmOps *ops = lvm_ops (error);

  return ops != NULL && ops->init (error);
}

gboolean
_kvmmig_lvm_format (const char    *device,
                    const char    *vg,
                    GCancellable  *cancellable,
                    GError       **error)
{
  const KvmmigLvmOps *ops = lvm_ops (error);

  return ops != NULL && ops->format (device, vg, cancellable, error);
}

gboolean
_kvmmig_lvm_vg_info (const char  *vg,
                     guint64     *size,
                     guint64     *free_bytes,
                     GError     **error)
{
  const KvmmigLvmOps *ops = lvm_ops (error);

  return ops != NULL && ops->vg_info (vg, size, free_bytes, error);
}

GPtrArray *
_kvmmig_lvm_list (const char  *vg,
                  GError     **error)
{
  const KvmmigLvmOps *ops = lvm_ops (error);

  return ops != NULL ? ops->list (vg, error) : NULL;
}

KvmmigLvmLv *
_kvmmig_lvm_lookup (const char  *vg,
                    const char  *name,
                    GError     **error)
{
  const KvmmigLvmOps *ops = lvm_ops (error);

  return ops != NULL ? ops->lookup (vg, name, error) : NULL;
}

gboolean
_kvmmig_lvm_lv (KvmmigLvmAction   action,
                const char       *vg,
                const char       *name,
                guint64           size,
                GError          **error)
{
  const KvmmigLvmOps *ops = lvm_ops (error);

  return ops != NULL && ops->lv (action, vg, name, size, error);
}

gboolean
_kvmmig_lvm_remove_vg (const char  *vg,
                       const char  *device,
                       GError     **error)
{
  const KvmmigLvmOps *ops = lvm_ops (error);

  return ops != NULL && ops->remove_vg (vg, device, error);
}

gboolean
_kvmmig_loop_setup (const char  *file,
                    char       **device,
                    GError     **error)
{
  const KvmmigLvmOps *ops = lvm_ops (error);

  return ops != NULL && ops->loop_setup (file, device, error);
}

gboolean
_kvmmig_loop_teardown (const char  *device,
                       GError     **error)
{
  const KvmmigLvmOps *ops = lvm_ops (error);

  return ops != NULL && ops->loop_teardown (device, error);
}
