/* kvmmig-util-private.h: small helpers shared by the classes: deferring
 * work to the GMainContext that a caller captured, checking the characters of a name, and how messages name this machine.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void _kvmmig_dispatch_on_context (GMainContext   *context,
                                  GSourceFunc     func,
                                  gpointer        data,
                                  GDestroyNotify  destroy);

/* Whether @name is non-NULL, 1 to @max_len bytes long, and made of ASCII
 * letters, digits and the characters of @extra only. */
gboolean _kvmmig_name_has_only (const char  *name,
                                gsize        max_len,
                                const char  *extra);

/* "this machine (HOSTNAME)": messages about this machine name it, as
 * messages about hosts name the host's URI. */
const char *_kvmmig_this_machine (void);

G_END_DECLS
