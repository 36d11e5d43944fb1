/* kvmmig-preflight-no-active-job.c: the pre-flight check "no-active-job": no
 * other libvirt job (a migration or another long operation) runs on the
 * guest.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-check-private.h"

void
_kvmmig_preflight_check_no_active_job (KvmmigPreflight *pf)
{
  const char *title = "No other job runs on the guest";
  virDomainJobInfo info;

  if (virDomainGetJobInfo (pf->domain, &info) < 0)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
      _kvmmig_preflight_record (pf, "no-active-job", title, KVMMIG_CHECK_STATUS_WARNING, 0,
                                "%s: cannot read the jobs of guest '%s': %s",
                                pf->in->source_uri, pf->in->guest_name, msg);
      return;
    }

  if (info.type != VIR_DOMAIN_JOB_NONE)
    _kvmmig_preflight_record (pf, "no-active-job", title, KVMMIG_CHECK_STATUS_FAILED,
                              KVMMIG_ERROR_JOB_ACTIVE,
                              "%s: guest '%s' already has a job running (a migration or "
                              "another long operation); wait for it or abort it",
                              pf->in->source_uri, pf->in->guest_name);
  else
    _kvmmig_preflight_record (pf, "no-active-job", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                              "%s: guest '%s' has no job running",
                              pf->in->source_uri, pf->in->guest_name);
}
