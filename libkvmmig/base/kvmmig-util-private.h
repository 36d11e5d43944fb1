/* kvmmig-util-private.h: small helpers shared by the classes: deferring
 * work to the GMainContext that a caller captured, and how messages name
 * this machine.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

void _kvmmig_dispatch_on_context (GMainContext   *context,
                                  GSourceFunc     func,
                                  gpointer        data,
                                  GDestroyNotify  destroy);

/* "this machine (HOSTNAME)": messages about this machine name it, as
 * messages about hosts name the host's URI. */
const char *_kvmmig_this_machine (void);

G_END_DECLS
