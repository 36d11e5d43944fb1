/* kvmmig-event-loop-private.h: libvirt's event loop, implemented on a
 * private GMainContext run by a thread of the library.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean _kvmmig_event_loop_start (void);

G_END_DECLS
