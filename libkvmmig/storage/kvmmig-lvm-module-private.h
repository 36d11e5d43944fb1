/* kvmmig-lvm-module-private.h: what the library and its LVM module
 * (libkvmmig-lvm.so, kvmmig-lvm-module.c) share: the module's one entry
 * point, the table of LVM functions it returns, and what the library
 * lends it (its error domain, the name of this machine). The library
 * loads the module on first LVM use only (kvmmig-lvm.c), so that a
 * process that never works on LVM never maps libblockdev. Both sides come
 * from the same build: the module refuses a library of another version.
 *
 * Only GLib here: the module links GLib, GIO and libblockdev, not
 * libkvmmig (see kvmmig-lvm-module.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kvmmig-error.h"

G_BEGIN_DECLS

/* The module's file name, in LIBKVMMIG_MODULE_DIR (config.h) or in
 * $KVMMIG_MODULE_DIR. */
#define KVMMIG_LVM_MODULE_NAME "libkvmmig-lvm.so"
/* Its entry point: const KvmmigLvmOps *(*) (const KvmmigLvmHost *). */
#define KVMMIG_LVM_MODULE_ENTRY "kvmmig_lvm_module_get_ops"

/* One logical volume, as LVM reports it. */
typedef struct
{
  char *vg;
  char *name;
  char *uuid;
  guint64 size;        /* bytes */
  char *attr;          /* lvs' attribute string, e.g. "-wi-a-----" */
} KvmmigLvmLv;

/* Inline: the module and the library each have it, and it frees with
 * GLib's allocator, which both share. */
static inline void
_kvmmig_lvm_lv_free (KvmmigLvmLv *lv)
{
  if (lv == NULL)
    return;
  g_free (lv->vg);
  g_free (lv->name);
  g_free (lv->uuid);
  g_free (lv->attr);
  g_free (lv);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KvmmigLvmLv, _kvmmig_lvm_lv_free)

/* What _kvmmig_lvm_lv does to one logical volume, and the verb of its
 * error message ("cannot VERB logical volume 'VG/NAME'"; lvcreate's names
 * the volume group apart). */
typedef enum {
  KVMMIG_LV_CREATE,
  KVMMIG_LV_RESIZE,
  KVMMIG_LV_REMOVE,
  KVMMIG_LV_ACTIVATE,
  KVMMIG_LV_DEACTIVATE,
} KvmmigLvmAction;

/* What the library lends the module. */
typedef struct
{
  const char *version;                /* PACKAGE_VERSION: first, always */
  GQuark      error_domain;           /* KVMMIG_ERROR */
  const char *(*this_machine) (void); /* _kvmmig_this_machine */
  gboolean    (*has_device_mapper) (void);
} KvmmigLvmHost;

/* The module's functions: those of kvmmig-lvm-private.h of the same
 * names, which call them. */
typedef struct
{
  gboolean     (*init)              (GError **error);
  void         (*set_activation)    (gboolean enabled);
  void         (*set_plugin_soname) (const char *so_name);
  gboolean     (*format)            (const char *device, const char *vg,
                                     GCancellable *cancellable, GError **error);
  gboolean     (*vg_info)           (const char *vg, guint64 *size,
                                     guint64 *free_bytes, GError **error);
  GPtrArray   *(*list)              (const char *vg, GError **error);
  KvmmigLvmLv *(*lookup)            (const char *vg, const char *name, GError **error);
  gboolean     (*lv)                (KvmmigLvmAction action, const char *vg,
                                     const char *name, guint64 size, GError **error);
  gboolean     (*remove_vg)         (const char *vg, const char *device, GError **error);
  gboolean     (*loop_setup)        (const char *file, char **device, GError **error);
  gboolean     (*loop_teardown)     (const char *device, GError **error);
} KvmmigLvmOps;

/* The entry point: the module's table, or NULL when @host comes from
 * another version of libkvmmig. @host must outlive the module. */
typedef const KvmmigLvmOps *(*KvmmigLvmModuleGetOps) (const KvmmigLvmHost *host);

G_END_DECLS
