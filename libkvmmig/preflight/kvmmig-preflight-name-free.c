/* kvmmig-preflight-name-free.c: the pre-flight check "name-free": no
 * guest of the same name or UUID is defined on the destination.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-check-private.h"

void
_kvmmig_preflight_check_name_free (KvmmigPreflight *pf)
{
  const char *uuid = pf->uuid[0] ? pf->uuid : NULL;
  const char *title = "No guest of that name or UUID on the destination";
  const char *uri = pf->in->destination_uri;
  g_autoptr(virDomain) by_name = NULL;
  g_autoptr(virDomain) by_uuid = NULL;

  by_name = virDomainLookupByName (pf->in->destination, pf->in->guest_name);
  virResetLastError ();
  if (by_name != NULL)
    {
      _kvmmig_preflight_record (pf, "name-free", title, KVMMIG_CHECK_STATUS_FAILED,
                                KVMMIG_ERROR_GUEST_EXISTS,
                                "%s: a guest named '%s' already exists there (%s); undefine it "
                                "first", uri, pf->in->guest_name,
                                virDomainIsActive (by_name) == 1 ? "running" : "defined");
      return;
    }

  if (uuid != NULL)
    {
      by_uuid = virDomainLookupByUUIDString (pf->in->destination, uuid);
      virResetLastError ();
      if (by_uuid != NULL)
        {
          _kvmmig_preflight_record (pf, "name-free", title, KVMMIG_CHECK_STATUS_FAILED,
                                    KVMMIG_ERROR_GUEST_EXISTS,
                                    "%s: guest '%s' there has the same UUID %s as guest '%s'",
                                    uri, virDomainGetName (by_uuid), uuid, pf->in->guest_name);
          return;
        }
    }

  _kvmmig_preflight_record (pf, "name-free", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                            "%s: no guest named '%s' or with UUID %s", uri,
                            pf->in->guest_name, uuid ? uuid : "?");
}
