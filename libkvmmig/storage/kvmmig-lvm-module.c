/* kvmmig-lvm-module.c: libkvmmig's LVM module (libkvmmig-lvm.so, in
 * LIBKVMMIG_MODULE_DIR): LVM and loop devices on the machine the library
 * runs on, through libblockdev. It is the only part of libkvmmig that
 * links libblockdev, which libkvmmig-1.so loads with it on first LVM use
 * only (kvmmig-lvm.c); the functions of kvmmig-lvm-private.h call the
 * table this file returns. Only the lvm and loop plugins are loaded,
 * once, on first use; a missing plugin or tool is a
 * KVMMIG_ERROR_MISSING_DEPENDENCY, never an abort. Every function blocks
 * (LVM commands run as subprocesses); callers run them on worker threads.
 *
 * The module does not link libkvmmig-1.so: what it needs of the library
 * (the KVMMIG_ERROR quark, the name of this machine, whether the kernel
 * has device-mapper) comes in the KvmmigLvmHost that the library passes
 * to kvmmig_lvm_module_get_ops(). So it has no undefined symbol of
 * libkvmmig's (it links with -z defs), and it loads into the unit tests,
 * which link the library's objects statically: linking libkvmmig-1.so
 * would give those a second copy of the library, with its own GTypes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <dlfcn.h>
#include <string.h>
#include <sys/stat.h>

#include <blockdev/blockdev.h>
#include <blockdev/loop.h>
#include <blockdev/lvm.h>
#include <gmodule.h>

#include "kvmmig-lvm-module-private.h"

/* What the library lent at kvmmig_lvm_module_get_ops(); KVMMIG_ERROR is
 * the library's quark, known here through it. */
static const KvmmigLvmHost *lvm_host;
#undef KVMMIG_ERROR
#define KVMMIG_ERROR (lvm_host->error_domain)

static const char *
this_machine (void)
{
  return lvm_host->this_machine ();
}

static GMutex lvm_lock;            /* LVM calls, the settings below */
static gboolean activation = TRUE;
static char *plugin_soname;
static gboolean init_done;
static GError *init_error;

static void
lvm_set_activation (gboolean enabled)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lvm_lock);
  g_autoptr(GError) error = NULL;

  activation = enabled;
  if (init_done && init_error == NULL &&
      !bd_lvm_set_global_config (enabled ? NULL : "global{activation=0}", &error))
    g_debug ("cannot set LVM's configuration: %s", error->message);
}

static void
lvm_set_plugin_soname (const char *so_name)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lvm_lock);

  g_free (plugin_soname);
  plugin_soname = g_strdup (so_name);
}

/* Called with lvm_lock held. */
static gboolean
init_locked (GError **error)
{
  if (!init_done)
    {
      BDPluginSpec lvm = { BD_PLUGIN_LVM, plugin_soname };
      BDPluginSpec loop = { BD_PLUGIN_LOOP, NULL };
      BDPluginSpec *plugins[] = { &lvm, &loop, NULL };
      g_autoptr(GError) local_error = NULL;

      init_done = TRUE;

      /* libblockdev warns (g_warning) about a plugin it cannot load: look
       * for the plugin first, and report its absence as an error. */
      for (guint i = 0; plugins[i] != NULL; i++)
        {
          /* libblockdev 2.x's own default names. */
          const char *so_name = plugins[i]->so_name ? plugins[i]->so_name
                              : plugins[i]->name == BD_PLUGIN_LVM ? "libbd_lvm.so.2"
                              : "libbd_loop.so.2";
          void *handle = dlopen (so_name, RTLD_LAZY | RTLD_LOCAL);

          if (handle == NULL)
            {
              g_set_error (&init_error, KVMMIG_ERROR, KVMMIG_ERROR_MISSING_DEPENDENCY,
                           "%s: libblockdev cannot load its %s plugin (%s: %s); install "
                           "the Debian packages libblockdev-lvm2, libblockdev-loop2 and lvm2",
                           this_machine (), i == 0 ? "lvm" : "loop", so_name, dlerror ());
              break;
            }
          dlclose (handle);
        }

      if (init_error != NULL)
        ;
      else if (!bd_ensure_init (plugins, NULL, &local_error) ||
          !bd_is_plugin_available (BD_PLUGIN_LVM) ||
          !bd_is_plugin_available (BD_PLUGIN_LOOP))
        {
          g_set_error (&init_error, KVMMIG_ERROR, KVMMIG_ERROR_MISSING_DEPENDENCY,
                       "%s: libblockdev cannot load its %s plugin%s%s (Debian "
                       "packages libblockdev-lvm2 and libblockdev-loop2, and lvm2)",
                       this_machine (),
                       !bd_is_plugin_available (BD_PLUGIN_LVM) ? "lvm" : "loop",
                       local_error ? ": " : "",
                       local_error ? local_error->message : "");
        }
      else if (!bd_lvm_is_tech_avail (BD_LVM_TECH_BASIC,
                                      BD_LVM_TECH_MODE_CREATE | BD_LVM_TECH_MODE_QUERY |
                                      BD_LVM_TECH_MODE_MODIFY | BD_LVM_TECH_MODE_REMOVE,
                                      &local_error))
        {
          g_set_error (&init_error, KVMMIG_ERROR, KVMMIG_ERROR_MISSING_DEPENDENCY,
                       "%s: the LVM tools are missing (Debian package lvm2): %s",
                       this_machine (), local_error ? local_error->message : "unknown");
        }
      else if (!activation &&
               !bd_lvm_set_global_config ("global{activation=0}", &local_error))
        {
          g_set_error (&init_error, KVMMIG_ERROR, KVMMIG_ERROR_MISSING_DEPENDENCY,
                       "%s: cannot configure libblockdev's lvm plugin: %s",
                       this_machine (), local_error->message);
        }
    }

  if (init_error != NULL)
    {
      g_propagate_error (error, g_error_copy (init_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
lvm_init (GError **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lvm_lock);

  return init_locked (error);
}

/* Sets @error from a failed libblockdev LVM call: device-mapper missing,
 * no space, or the tool's own message. */
static void
set_lvm_error (GError     **error,
               GError      *bd_error,
               KvmmigError  fallback,
               const char  *format,
               ...) G_GNUC_PRINTF (4, 5);

static void
set_lvm_error (GError     **error,
               GError      *bd_error,
               KvmmigError  fallback,
               const char  *format,
               ...)
{
  g_autofree char *what = NULL;
  const char *msg = bd_error ? bd_error->message : "unknown error";
  KvmmigError code = fallback;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (activation && !lvm_host->has_device_mapper () &&
      (strstr (msg, "device-mapper") || strstr (msg, "/dev/mapper")))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_MISSING_DEPENDENCY,
                   "%s: %s: this machine has no device-mapper "
                   "(/dev/mapper/control), which LVM needs to activate "
                   "logical volumes: %s", this_machine (), what, msg);
      return;
    }

  if (strstr (msg, "nsufficient free space") || strstr (msg, "not enough free"))
    code = KVMMIG_ERROR_NO_SPACE;

  g_set_error (error, KVMMIG_ERROR, code, "%s: %s: %s", this_machine (), what, msg);
}

static KvmmigLvmLv *
lv_from_data (const BDLVMLVdata *data)
{
  KvmmigLvmLv *lv = g_new0 (KvmmigLvmLv, 1);

  lv->vg = g_strdup (data->vg_name);
  lv->name = g_strdup (data->lv_name);
  lv->uuid = g_strdup (data->uuid);
  lv->size = data->size;
  lv->attr = g_strdup (data->attr);
  return lv;
}

static gboolean
vg_info_locked (const char  *vg,
                guint64     *size,
                guint64     *free_bytes,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  BDLVMVGdata *data;

  data = bd_lvm_vginfo (vg, &local_error);
  if (data == NULL)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_STORE_UNREACHABLE,
                   "%s: volume group '%s' is not found (format the store's "
                   "LUN first, or make its device visible here): %s",
                   this_machine (), vg, local_error ? local_error->message : "not found");
      return FALSE;
    }

  if (size)
    *size = data->size;
  if (free_bytes)
    *free_bytes = data->free;
  bd_lvm_vgdata_free (data);
  return TRUE;
}

static gboolean
lvm_vg_info (const char  *vg,
             guint64     *size,
             guint64     *free_bytes,
             GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lvm_lock);

  return init_locked (error) && vg_info_locked (vg, size, free_bytes, error);
}

static int
compare_lvs (gconstpointer a,
             gconstpointer b)
{
  const KvmmigLvmLv *la = *(KvmmigLvmLv **) a;
  const KvmmigLvmLv *lb = *(KvmmigLvmLv **) b;

  return g_strcmp0 (la->name, lb->name);
}

static GPtrArray *
list_locked (const char  *vg,
             GError     **error)
{
  g_autoptr(GPtrArray) lvs = g_ptr_array_new_with_free_func ((GDestroyNotify) _kvmmig_lvm_lv_free);
  g_autoptr(GError) local_error = NULL;
  BDLVMLVdata **data;

  if (!vg_info_locked (vg, NULL, NULL, error))
    return NULL;

  data = bd_lvm_lvs (vg, &local_error);
  if (data == NULL)
    {
      set_lvm_error (error, local_error, KVMMIG_ERROR_FAILED,
                     "cannot list the logical volumes of volume group '%s'", vg);
      return NULL;
    }

  for (guint i = 0; data[i] != NULL; i++)
    {
      /* Hidden LVs (thin pools' parts, ...) are LVM's own. */
      if (data[i]->lv_name && data[i]->lv_name[0] != '[')
        g_ptr_array_add (lvs, lv_from_data (data[i]));
      bd_lvm_lvdata_free (data[i]);
    }
  g_free (data);

  g_ptr_array_sort (lvs, compare_lvs);
  return g_steal_pointer (&lvs);
}

static GPtrArray *
lvm_list (const char  *vg,
          GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lvm_lock);

  return init_locked (error) ? list_locked (vg, error) : NULL;
}

static KvmmigLvmLv *
lookup_locked (const char  *vg,
               const char  *name,
               GError     **error)
{
  g_autoptr(GPtrArray) lvs = list_locked (vg, error);

  if (lvs == NULL)
    return NULL;

  for (guint i = 0; i < lvs->len; i++)
    {
      KvmmigLvmLv *lv = g_ptr_array_index (lvs, i);

      if (g_str_equal (lv->name, name))
        return g_ptr_array_steal_index (lvs, i);
    }

  g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_NOT_FOUND,
               "%s: volume group '%s' has no logical volume '%s'", this_machine (), vg, name);
  return NULL;
}

static KvmmigLvmLv *
lvm_lookup (const char  *vg,
            const char  *name,
            GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lvm_lock);

  return init_locked (error) ? lookup_locked (vg, name, error) : NULL;
}

/* The checks before lvcreate; called with lvm_lock held. */
static gboolean
create_check_locked (const char  *vg,
                     const char  *name,
                     guint64      size,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(KvmmigLvmLv) existing = NULL;
  guint64 free_bytes = 0;

  if (!vg_info_locked (vg, NULL, &free_bytes, error))
    return FALSE;

  existing = lookup_locked (vg, name, &local_error);
  if (existing != NULL)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_EXISTS,
                   "%s: volume group '%s' already has a logical volume '%s' (%"
                   G_GUINT64_FORMAT " bytes)", this_machine (), vg, name, existing->size);
      return FALSE;
    }
  if (!g_error_matches (local_error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (size > free_bytes)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NO_SPACE,
                   "%s: volume group '%s' has %" G_GUINT64_FORMAT " bytes free; "
                   "logical volume '%s' needs %" G_GUINT64_FORMAT,
                   this_machine (), vg, free_bytes, name, size);
      return FALSE;
    }
  return TRUE;
}

/* The checks before lvresize; called with lvm_lock held. Sets @unchanged
 * when the volume already has @size. */
static gboolean
resize_check_locked (const char  *vg,
                     const char  *name,
                     guint64      size,
                     gboolean    *unchanged,
                     GError     **error)
{
  g_autoptr(KvmmigLvmLv) lv = NULL;
  guint64 free_bytes = 0;

  lv = lookup_locked (vg, name, error);
  if (lv == NULL)
    return FALSE;

  if (size < lv->size)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: logical volume '%s/%s' has %" G_GUINT64_FORMAT " bytes; "
                   "shrinking it to %" G_GUINT64_FORMAT " would destroy the data "
                   "at its end, and is not done", this_machine (), vg, name, lv->size, size);
      return FALSE;
    }
  if (size == lv->size)
    {
      *unchanged = TRUE;
      return TRUE;
    }

  if (!vg_info_locked (vg, NULL, &free_bytes, error))
    return FALSE;
  if (size - lv->size > free_bytes)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NO_SPACE,
                   "%s: volume group '%s' has %" G_GUINT64_FORMAT " bytes free; "
                   "growing logical volume '%s' to %" G_GUINT64_FORMAT " bytes "
                   "needs %" G_GUINT64_FORMAT, this_machine (), vg, free_bytes, name,
                   size, size - lv->size);
      return FALSE;
    }
  return TRUE;
}

/* The check before lvremove; called with lvm_lock held. */
static gboolean
remove_check_locked (const char  *vg,
                     const char  *name,
                     GError     **error)
{
  g_autoptr(KvmmigLvmLv) lv = lookup_locked (vg, name, error);

  if (lv == NULL)
    return FALSE;

  /* The sixth attribute character is 'o' while the LV is open (mounted,
   * or a running guest's disk on this machine). */
  if (lv->attr && strlen (lv->attr) > 5 && lv->attr[5] == 'o')
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_IN_USE,
                   "%s: logical volume '%s/%s' is open (a guest or a mount uses "
                   "it); it is not removed", this_machine (), vg, name);
      return FALSE;
    }
  return TRUE;
}


static const char * const lv_action_verbs[] = {
  [KVMMIG_LV_RESIZE] = "resize",
  [KVMMIG_LV_REMOVE] = "remove",
  [KVMMIG_LV_ACTIVATE] = "activate",
  [KVMMIG_LV_DEACTIVATE] = "deactivate",
};

/* Takes lvm_lock, loads the plugins, makes the action's checks, then runs
 * the LVM command. */
static gboolean
lvm_lv (KvmmigLvmAction   action,
        const char       *vg,
        const char       *name,
        guint64           size,
        GError          **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lvm_lock);
  g_autoptr(GError) local_error = NULL;
  gboolean unchanged = FALSE;
  gboolean ok = FALSE;

  if (!init_locked (error))
    return FALSE;

  switch (action)
    {
    case KVMMIG_LV_CREATE:
      if (!create_check_locked (vg, name, size, error))
        return FALSE;
      ok = bd_lvm_lvcreate (vg, name, size, NULL, NULL, NULL, &local_error);
      break;
    case KVMMIG_LV_RESIZE:
      if (!resize_check_locked (vg, name, size, &unchanged, error))
        return FALSE;
      ok = unchanged || bd_lvm_lvresize (vg, name, size, NULL, &local_error);
      break;
    case KVMMIG_LV_REMOVE:
      if (!remove_check_locked (vg, name, error))
        return FALSE;
      ok = bd_lvm_lvremove (vg, name, FALSE, NULL, &local_error);
      break;
    case KVMMIG_LV_ACTIVATE:
      ok = bd_lvm_lvactivate (vg, name, TRUE, NULL, &local_error);
      break;
    case KVMMIG_LV_DEACTIVATE:
      ok = bd_lvm_lvdeactivate (vg, name, NULL, &local_error);
      break;
    }

  if (!ok && action == KVMMIG_LV_CREATE)
    set_lvm_error (error, local_error, KVMMIG_ERROR_FAILED,
                   "cannot create logical volume '%s' in volume group '%s'", name, vg);
  else if (!ok)
    set_lvm_error (error, local_error, KVMMIG_ERROR_FAILED,
                   "cannot %s logical volume '%s/%s'", lv_action_verbs[action], vg, name);
  return ok;
}

static gboolean
lvm_format (const char    *device,
            const char    *vg,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lvm_lock);
  g_autoptr(GError) local_error = NULL;
  const char *pvs[] = { device, NULL };
  BDLVMPVdata *pv;
  gboolean had_pv;
  struct stat st;

  if (!init_locked (error))
    return FALSE;

  if (stat (device, &st) < 0 || !S_ISBLK (st.st_mode))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: '%s' is not a block device here; the store's LUN must "
                   "be visible on this machine (its own iSCSI initiator, or a "
                   "shared block device) to be formatted", this_machine (), device);
      return FALSE;
    }

  /* Already done: a PV of this VG. A PV of another VG is refused. */
  /* libblockdev's functions need an error location, even when the error
   * is not wanted. */
  pv = bd_lvm_pvinfo (device, &local_error);
  g_clear_error (&local_error);
  had_pv = pv != NULL;
  if (pv != NULL)
    {
      g_autofree char *pv_vg = g_strdup (pv->vg_name);

      bd_lvm_pvdata_free (pv);
      if (g_strcmp0 (pv_vg, vg) == 0)
        return TRUE;
      if (pv_vg != NULL && *pv_vg != '\0')
        {
          g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                       "%s: '%s' already belongs to volume group '%s'; it is "
                       "not formatted again as '%s'", this_machine (), device, pv_vg, vg);
          return FALSE;
        }
    }

  if (vg_info_locked (vg, NULL, NULL, NULL))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: a volume group '%s' already exists on other devices; "
                   "'%s' is not formatted", this_machine (), vg, device);
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   "%s: formatting '%s' as volume group '%s': cancelled; "
                   "nothing was changed", this_machine (), device, vg);
      return FALSE;
    }

  if (!had_pv && !bd_lvm_pvcreate (device, 0, 0, NULL, &local_error))
    {
      set_lvm_error (error, local_error, KVMMIG_ERROR_FAILED,
                     "cannot make '%s' an LVM physical volume", device);
      return FALSE;
    }

  if (!bd_lvm_vgcreate (vg, pvs, 0, NULL, &local_error))
    {
      set_lvm_error (error, local_error, KVMMIG_ERROR_FAILED,
                     "cannot create volume group '%s' on '%s'", vg, device);
      /* Leave the device as it was. */
      if (!had_pv)
        {
          g_autoptr(GError) pvremove_error = NULL;

          if (!bd_lvm_pvremove (device, NULL, &pvremove_error))
            g_debug ("%s: cannot remove the PV label of '%s' again: %s", this_machine (),
                     device, pvremove_error->message);
        }
      return FALSE;
    }

  return TRUE;
}

static gboolean
lvm_remove_vg (const char  *vg,
               const char  *device,
               GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lvm_lock);
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (!init_locked (error))
    return FALSE;
  ok = bd_lvm_vgremove (vg, NULL, &local_error);
  if (!ok)
    set_lvm_error (error, local_error, KVMMIG_ERROR_FAILED,
                   "cannot remove volume group '%s'", vg);
  else if (device != NULL && !(ok = bd_lvm_pvremove (device, NULL, &local_error)))
    set_lvm_error (error, local_error, KVMMIG_ERROR_FAILED,
                   "cannot remove the physical volume label of '%s'", device);
  return ok;
}

static gboolean
loop_setup (const char  *file,
            char       **device,
            GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lvm_lock);
  g_autoptr(GError) local_error = NULL;
  const char *name = NULL;
  gboolean ok;

  if (!init_locked (error))
    return FALSE;
  ok = bd_loop_setup (file, 0, 0, FALSE, FALSE, &name, &local_error);
  if (ok)
    *device = g_str_has_prefix (name, "/dev/") ? g_strdup (name)
                                               : g_strconcat ("/dev/", name, NULL);
  else
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                 "%s: cannot set up a loop device for '%s': %s", this_machine (), file,
                 local_error ? local_error->message : "unknown error");
  g_free ((char *) name);
  return ok;
}

static gboolean
loop_teardown (const char  *device,
               GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lvm_lock);
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (!init_locked (error))
    return FALSE;
  ok = bd_loop_teardown (device, &local_error);
  if (!ok)
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                 "%s: cannot detach loop device '%s': %s", this_machine (), device,
                 local_error ? local_error->message : "unknown error");
  return ok;
}

static const KvmmigLvmOps lvm_ops = {
  .init = lvm_init,
  .set_activation = lvm_set_activation,
  .set_plugin_soname = lvm_set_plugin_soname,
  .format = lvm_format,
  .vg_info = lvm_vg_info,
  .list = lvm_list,
  .lookup = lvm_lookup,
  .lv = lvm_lv,
  .remove_vg = lvm_remove_vg,
  .loop_setup = loop_setup,
  .loop_teardown = loop_teardown,
};

G_MODULE_EXPORT const KvmmigLvmOps *kvmmig_lvm_module_get_ops (const KvmmigLvmHost *host);

/* The entry point (KVMMIG_LVM_MODULE_ENTRY): called once, by the library
 * that loaded the module, which keeps it loaded and @host alive. */
G_MODULE_EXPORT const KvmmigLvmOps *
kvmmig_lvm_module_get_ops (const KvmmigLvmHost *host)
{
  if (g_strcmp0 (host->version, PACKAGE_VERSION) != 0)
    return NULL;
  lvm_host = host;
  return &lvm_ops;
}
