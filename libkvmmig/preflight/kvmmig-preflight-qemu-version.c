/* kvmmig-preflight-qemu-version.c: the pre-flight check "qemu-version":
 * the destination's QEMU is not older than the source's. QEMU migrates to
 * the same version or a newer one: an older QEMU may not know state that a
 * newer one sends, and fails to load the stream after the guest's memory
 * has been copied, or loads it wrong. Nova and oVirt refuse such a
 * destination too.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-check-private.h"

/* libvirt's version numbers are major * 1,000,000 + minor * 1,000 + micro. */
char *
_kvmmig_hypervisor_version_string (unsigned long version)
{
  return g_strdup_printf ("%lu.%lu.%lu", version / 1000000, (version / 1000) % 1000,
                          version % 1000);
}

void
_kvmmig_preflight_check_qemu_version (KvmmigPreflight *pf)
{
  const char *title = "The destination's QEMU is not older than the source's";
  const char *src_hv = kvmmig_host_info_get_hypervisor (pf->source_info);
  const char *dst_hv = kvmmig_host_info_get_hypervisor (pf->dest_info);
  unsigned long src_version = 0, dst_version = 0;
  g_autofree char *src_text = NULL;
  g_autofree char *dst_text = NULL;

  if (g_strcmp0 (src_hv, "QEMU") != 0 || g_strcmp0 (dst_hv, "QEMU") != 0)
    {
      _kvmmig_preflight_record (pf, "qemu-version", title, KVMMIG_CHECK_STATUS_SKIPPED, 0,
                                "%s runs %s and %s runs %s: only QEMU's versions are compared",
                                pf->in->source_uri, src_hv ? src_hv : "an unknown hypervisor",
                                pf->in->destination_uri, dst_hv ? dst_hv : "an unknown hypervisor");
      return;
    }

  if (virConnectGetVersion (pf->in->source, &src_version) < 0 ||
      virConnectGetVersion (pf->in->destination, &dst_version) < 0 ||
      src_version == 0 || dst_version == 0)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
      _kvmmig_preflight_record (pf, "qemu-version", title, KVMMIG_CHECK_STATUS_WARNING, 0,
                                "the QEMU versions of %s and %s could not be read (%s): "
                                "a destination older than the source would fail the migration",
                                pf->in->source_uri, pf->in->destination_uri,
                                msg ? msg : "libvirt gave none");
      return;
    }

  src_text = _kvmmig_hypervisor_version_string (src_version);
  dst_text = _kvmmig_hypervisor_version_string (dst_version);
  if (dst_version < src_version)
    _kvmmig_preflight_record (pf, "qemu-version", title, KVMMIG_CHECK_STATUS_FAILED,
                              KVMMIG_ERROR_HYPERVISOR_TOO_OLD,
                              "%s runs QEMU %s, older than QEMU %s on %s: QEMU migrates a guest "
                              "only to the same or a newer version; upgrade %s first, or move "
                              "guest '%s' to a host with QEMU %s or later",
                              pf->in->destination_uri, dst_text, src_text, pf->in->source_uri,
                              pf->in->destination_uri, pf->in->guest_name, src_text);
  else
    _kvmmig_preflight_record (pf, "qemu-version", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                              "%s runs QEMU %s, %s QEMU %s on %s", pf->in->destination_uri,
                              dst_text, dst_version == src_version ? "the same as" : "newer than",
                              src_text, pf->in->source_uri);
}
