/* kvmmig-portal.c: iSCSI portals: splitting one into host and port, and
 * comparing two of them (see kvmmig-portal-private.h). GIO parses;
 * what it accepts beyond a portal is refused here.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "kvmmig-portal-private.h"

#define DEFAULT_ISCSI_PORT 3260
#define HOST_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:"

gboolean
_kvmmig_same_portal (const char *host_a,
                     const char *port_a,
                     const char *host_b,
                     const char *port_b)
{
  if (g_strcmp0 (host_a, host_b) != 0)
    return FALSE;
  return g_strcmp0 (port_a ? port_a : G_STRINGIFY (DEFAULT_ISCSI_PORT),
                    port_b ? port_b : G_STRINGIFY (DEFAULT_ISCSI_PORT)) == 0;
}

gboolean
_kvmmig_portal_parse (const char  *portal,
                      char       **host,
                      char       **port)
{
  g_autoptr(GSocketConnectable) address = NULL;
  const char *name;
  const char *after_host;
  const char *colon;
  guint16 number;

  if (portal == NULL)
    return FALSE;
  address = g_network_address_parse (portal, DEFAULT_ISCSI_PORT, NULL);
  if (address == NULL)
    return FALSE;
  name = g_network_address_get_hostname (G_NETWORK_ADDRESS (address));
  number = g_network_address_get_port (G_NETWORK_ADDRESS (address));

  /* GIO also takes an IPv6 address without brackets, a service name or 0
   * as the port, and any bytes as a host name: none is a portal. */
  after_host = portal[0] == '[' ? strchr (portal, ']') : portal;
  if (after_host == NULL || *name == '\0' || number == 0 ||
      strspn (name, HOST_CHARS) != strlen (name) ||
      (portal[0] != '[' && strchr (name, ':') != NULL))
    return FALSE;
  colon = strchr (after_host, ':');
  if (colon != NULL && strspn (colon + 1, "0123456789") != strlen (colon + 1))
    return FALSE;

  *host = g_strdup (name);
  *port = g_strdup_printf ("%u", number);
  return TRUE;
}
