/* kvmmig-portal.c: iSCSI portals: comparing two of them (see
 * kvmmig-portal-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-portal-private.h"

gboolean
_kvmmig_same_portal (const char *host_a,
                     const char *port_a,
                     const char *host_b,
                     const char *port_b)
{
  if (g_strcmp0 (host_a, host_b) != 0)
    return FALSE;
  return g_strcmp0 (port_a ? port_a : "3260", port_b ? port_b : "3260") == 0;
}
