/* kvmmig-portal-private.h: iSCSI portals (HOST[:PORT] or [IPV6][:PORT]):
 * splitting one into host and port, comparing two of them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether two network hosts/ports are the same portal (the port defaults
 * to 3260 for iSCSI). */
gboolean    _kvmmig_same_portal        (const char *host_a,
                                        const char *port_a,
                                        const char *host_b,
                                        const char *port_b);

/* Splits "HOST[:PORT]" or "[V6ADDR][:PORT]" into a host and a port (3260
 * when none is given); FALSE for anything else. */
gboolean    _kvmmig_portal_parse       (const char  *portal,
                                        char       **host,
                                        char       **port);

G_END_DECLS
