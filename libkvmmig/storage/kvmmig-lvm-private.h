/* kvmmig-lvm-private.h: LVM and loop devices on the machine the library
 * runs on, through libblockdev (its lvm and loop plugins only), which
 * only the library's LVM module links: it is loaded on the first call
 * here that needs LVM (kvmmig-lvm.c). Every function blocks; callers run
 * them on worker threads. Without libblockdev at build time, without the
 * module, or without libblockdev's plugins or the lvm tools at run time,
 * every function fails with KVMMIG_ERROR_MISSING_DEPENDENCY.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kvmmig-error.h"
#include "kvmmig-libvirt-private.h"
#include "kvmmig-lvm-module-private.h"

G_BEGIN_DECLS

/* Loads the LVM module, then libblockdev's lvm and loop plugins, once;
 * FALSE with KVMMIG_ERROR_MISSING_DEPENDENCY when one of them or the lvm
 * tools are missing. */
gboolean    _kvmmig_lvm_init           (GError     **error);

/* Whether this machine's kernel has device-mapper, without which no LV
 * can be activated. */
gboolean    _kvmmig_lvm_has_device_mapper (void);

/* Tests: LVM commands run with activation off (global{activation=0}), so
 * that metadata work runs on a machine without device-mapper. This and
 * the next load the module (and do nothing without it). */
void        _kvmmig_lvm_set_activation (gboolean     enabled);

/* Tests: load the lvm plugin from this file name instead (a missing file
 * simulates a missing plugin). Call before anything else. */
void        _kvmmig_lvm_set_plugin_soname (const char *so_name);

gboolean    _kvmmig_lvm_format         (const char  *device,
                                        const char  *vg,
                                        GCancellable *cancellable,
                                        GError     **error);
gboolean    _kvmmig_lvm_vg_info        (const char  *vg,
                                        guint64     *size,
                                        guint64     *free_bytes,
                                        GError     **error);
GPtrArray  *_kvmmig_lvm_list           (const char  *vg,
                                        GError     **error);
KvmmigLvmLv *_kvmmig_lvm_lookup        (const char  *vg,
                                        const char  *name,
                                        GError     **error);
/* Does @action to the logical volume @vg/@name; @size counts only for
 * KVMMIG_LV_CREATE and KVMMIG_LV_RESIZE (0 otherwise). */
gboolean    _kvmmig_lvm_lv             (KvmmigLvmAction action,
                                        const char  *vg,
                                        const char  *name,
                                        guint64      size,
                                        GError     **error);
/* Tests and clean-up: vgremove, then pvremove of @device. */
gboolean    _kvmmig_lvm_remove_vg      (const char  *vg,
                                        const char  *device,
                                        GError     **error);

/* A loop device for @file (losetup); the device's path in @device. */
gboolean    _kvmmig_loop_setup         (const char  *file,
                                        char       **device,
                                        GError     **error);
gboolean    _kvmmig_loop_teardown      (const char  *device,
                                        GError     **error);

/* Whether @name is a valid LVM name (VG or LV). */
gboolean    _kvmmig_lvm_name_is_valid  (const char  *name);

/* -- after a migration (kvmmig-lvm-release.c) ----------------------- */

/* After a successful migration of @guest_name from @source to
 * @destination: every disk of the guest that is an LVM logical volume is
 * deactivated on the source when the source is this machine (libblockdev);
 * otherwise what is not guarded is logged. Never fails the migration. */
void        _kvmmig_storage_after_migration (virConnectPtr  source,
                                             const char    *source_uri,
                                             virConnectPtr  destination,
                                             const char    *guest_name);

/* The same, returning one line per logical volume found: what was done. */
GPtrArray  *_kvmmig_storage_release_lvs (virConnectPtr  source,
                                         const char    *source_uri,
                                         virConnectPtr  destination,
                                         const char    *guest_name);

G_END_DECLS
