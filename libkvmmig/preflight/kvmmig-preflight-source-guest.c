/* kvmmig-preflight-source-guest.c: the pre-flight check "source-guest": the
 * guest exists on the source and runs. It leaves the guest's domain in
 * KvmmigPreflight for the checks after it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-check-private.h"

#include <string.h>

gboolean
_kvmmig_guest_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > KVMMIG_GUEST_NAME_MAX || !g_utf8_validate (name, len, NULL))
    return FALSE;
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}
void
_kvmmig_preflight_check_source_guest (KvmmigPreflight *pf)
{
  const char *title = "The guest exists and runs on the source";
  const char *uri = pf->in->source_uri;
  const char *name = pf->in->guest_name;
  int state = 0;
  int reason = 0;

  if (!_kvmmig_guest_name_is_valid (name))
    {
      g_autofree char *valid = g_utf8_make_valid (name, MIN (strlen (name), 64));
      g_autoptr(GString) shown = g_string_new (NULL);

      /* Control characters shown as escapes: the message stays one line. */
      for (const char *c = valid; *c != '\0'; c++)
        {
          if ((guchar) *c < 0x20 || *c == 0x7f)
            g_string_append_printf (shown, "\\x%02x", (guchar) *c);
          else
            g_string_append_c (shown, *c);
        }
      _kvmmig_preflight_record (pf, "source-guest", title, KVMMIG_CHECK_STATUS_FAILED,
                                KVMMIG_ERROR_INVALID_ARGUMENT,
                                "%s: '%s%s' is not a guest name: it must be 1 to %d bytes of UTF-8 "
                                "without control characters", uri, shown->str, strlen (name) > 64 ? "..." : "",
                                KVMMIG_GUEST_NAME_MAX);
      return;
    }

  pf->domain = virDomainLookupByName (pf->in->source, name);
  if (pf->domain == NULL)
    {
      gboolean missing = _kvmmig_libvirt_last_error_code () == VIR_ERR_NO_DOMAIN;
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);

      if (missing)
        _kvmmig_preflight_record (pf, "source-guest", title, KVMMIG_CHECK_STATUS_FAILED,
                                  KVMMIG_ERROR_GUEST_NOT_FOUND, "%s: no guest named '%s'", uri, name);
      else
        _kvmmig_preflight_record (pf, "source-guest", title, KVMMIG_CHECK_STATUS_FAILED,
                                  KVMMIG_ERROR_CONNECTION_LOST, "%s: cannot look up guest '%s': %s",
                                  uri, name, msg);
      return;
    }

  if (virDomainGetState (pf->domain, &state, &reason, 0) < 0)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
      _kvmmig_preflight_record (pf, "source-guest", title, KVMMIG_CHECK_STATUS_FAILED,
                                KVMMIG_ERROR_FAILED, "%s: cannot read the state of guest '%s': %s",
                                uri, name, msg);
      g_clear_pointer (&pf->domain, virDomainFree);
      return;
    }

  if (state != VIR_DOMAIN_RUNNING)
    {
      const char *what = state == VIR_DOMAIN_PAUSED ? "paused"
                       : state == VIR_DOMAIN_SHUTOFF ? "shut off"
                       : "not running";
      _kvmmig_preflight_record (pf, "source-guest", title, KVMMIG_CHECK_STATUS_FAILED,
                                KVMMIG_ERROR_GUEST_NOT_RUNNING,
                                "%s: guest '%s' is %s; live migration needs a running guest",
                                uri, name, what);
      return;
    }

  _kvmmig_preflight_record (pf, "source-guest", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                            "%s: guest '%s' is running", uri, name);
}
