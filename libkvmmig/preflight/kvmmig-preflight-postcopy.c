/* kvmmig-preflight-postcopy.c: the pre-flight check "postcopy": when
 * the job may switch to post-copy, the destination's QEMU can do it; a
 * warning when its libvirt could not resume an interrupted post-copy.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-libvirt-quirks-private.h"
#include "kvmmig-preflight-check-private.h"

/* QEMU gained post-copy in 2.6 (and libvirt's support in 1.3.3). */
#define POSTCOPY_MIN_QEMU_VERSION 2006000

void
_kvmmig_preflight_check_postcopy (KvmmigPreflight *pf)
{
  const char *title = "The destination supports post-copy";
  const KvmmigMigrationOptions *o = pf->in->options;
  g_autofree char *cannot_resume = NULL;
  unsigned long version = 0;

  if (!o->allow_postcopy && o->policy != KVMMIG_MIGRATION_POLICY_POSTCOPY)
    {
      _kvmmig_preflight_record (pf, "postcopy", title, KVMMIG_CHECK_STATUS_SKIPPED, 0,
                                "post-copy is not allowed for this job");
      return;
    }

  virConnectGetVersion (pf->in->destination, &version);
  virResetLastError ();
  if (g_strcmp0 (kvmmig_host_info_get_hypervisor (pf->dest_info), "QEMU") != 0 ||
      version < POSTCOPY_MIN_QEMU_VERSION)
    {
      _kvmmig_preflight_record (pf, "postcopy", title, KVMMIG_CHECK_STATUS_FAILED,
                                KVMMIG_ERROR_POSTCOPY_UNSUPPORTED,
                                "%s runs %s %s; post-copy needs QEMU 2.6 or later",
                                pf->in->destination_uri, kvmmig_host_info_get_hypervisor (pf->dest_info),
                                kvmmig_host_info_get_hypervisor_version (pf->dest_info));
      return;
    }

  if (_kvmmig_libvirt_has_quirk (pf->in->destination, KVMMIG_LIBVIRT_QUIRK_POSTCOPY_RESUME_CRASH,
                                 &cannot_resume))
    {
      _kvmmig_preflight_record (pf, "postcopy", title, KVMMIG_CHECK_STATUS_WARNING, 0,
                                "%s runs QEMU %s, which has post-copy, but a post-copy "
                                "interrupted by a network fault cannot be resumed there: %s's %s; "
                                "the guest would stay paused on both hosts until it is",
                                pf->in->destination_uri,
                                kvmmig_host_info_get_hypervisor_version (pf->dest_info),
                                pf->in->destination_uri, cannot_resume);
      return;
    }

  _kvmmig_preflight_record (pf, "postcopy", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                            "%s runs QEMU %s, which has post-copy (whether its kernel lets QEMU "
                            "use userfaultfd is only known when the migration starts; if not, it "
                            "fails there before anything is copied)", pf->in->destination_uri,
                            kvmmig_host_info_get_hypervisor_version (pf->dest_info));
}
