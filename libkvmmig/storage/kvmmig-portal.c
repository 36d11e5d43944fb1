/* kvmmig-portal.c: iSCSI portals: splitting one into host and port, and
 * comparing two of them (see kvmmig-portal-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-portal-private.h"

#define DEFAULT_ISCSI_PORT "3260"

gboolean
_kvmmig_same_portal (const char *host_a,
                     const char *port_a,
                     const char *host_b,
                     const char *port_b)
{
  if (g_strcmp0 (host_a, host_b) != 0)
    return FALSE;
  return g_strcmp0 (port_a ? port_a : DEFAULT_ISCSI_PORT,
                    port_b ? port_b : DEFAULT_ISCSI_PORT) == 0;
}

gboolean
_kvmmig_portal_parse (const char  *portal,
                      char       **host,
                      char       **port)
{
  const char *colon;

  if (portal == NULL || *portal == '\0')
    return FALSE;

  if (portal[0] == '[')
    {
      const char *close = strchr (portal, ']');

      if (close == NULL || close == portal + 1)
        return FALSE;
      *host = g_strndup (portal + 1, close - portal - 1);
      colon = close[1] == ':' ? close + 1 : NULL;
      if (close[1] != '\0' && colon == NULL)
        {
          g_clear_pointer (host, g_free);
          return FALSE;
        }
    }
  else
    {
      colon = strchr (portal, ':');
      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        return FALSE;   /* an IPv6 address needs brackets */
      *host = colon ? g_strndup (portal, colon - portal) : g_strdup (portal);
    }

  if (**host == '\0')
    {
      g_clear_pointer (host, g_free);
      return FALSE;
    }
  for (const char *p = *host; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._:", *p) == NULL)
      {
        g_clear_pointer (host, g_free);
        return FALSE;
      }

  if (colon != NULL)
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &value, NULL))
        {
          g_clear_pointer (host, g_free);
          return FALSE;
        }
      *port = g_strdup_printf ("%u", (guint) value);
    }
  else
    *port = g_strdup (DEFAULT_ISCSI_PORT);

  return TRUE;
}
