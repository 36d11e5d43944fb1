/* kvmmig-libvirt-quirks-private.h: known bugs of released libvirt that the
 * library steers around, one entry each, told apart by the libvirt version
 * of the daemon that has them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

G_BEGIN_DECLS

typedef enum
{
  /* libvirt 11.3: a destination asked to resume a post-copy migration
   * (VIR_MIGRATE_POSTCOPY_RESUME) crashes: qemuMigrationDstPrepareResume()
   * passes a NULL fd that qemuProcessIncomingDefNew() reads. */
  KVMMIG_LIBVIRT_QUIRK_POSTCOPY_RESUME_CRASH,
} KvmmigLibvirtQuirk;

/* The quirk's name in KVMMIG_ASSUME_FIXED_LIBVIRT ("postcopy-resume"). */
const char *_kvmmig_libvirt_quirk_name          (KvmmigLibvirtQuirk quirk);

/* Whether libvirt @version (major * 1,000,000 + minor * 1,000 + micro) has
 * @quirk, not counting KVMMIG_ASSUME_FIXED_LIBVIRT. */
gboolean    _kvmmig_libvirt_version_has_quirk   (unsigned long      version,
                                                 KvmmigLibvirtQuirk quirk);

/* Whether the daemon behind @conn has @quirk: its libvirt version has it,
 * and the environment variable KVMMIG_ASSUME_FIXED_LIBVIRT (a comma-separated
 * list of quirk names, for a distribution build with the fix backported)
 * does not name it. If so, *@why (when given) says which bug, in which
 * version, in a sentence. A version that cannot be read counts as fixed. */
gboolean    _kvmmig_libvirt_has_quirk           (virConnectPtr      conn,
                                                 KvmmigLibvirtQuirk quirk,
                                                 char             **why);

G_END_DECLS
