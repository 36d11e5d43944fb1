/* kvmmig-event-loop-private.h: libvirt's event loop, implemented on a
 * private GMainContext run by a thread of the library, unless the
 * application registered its own first.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#include "kvmmig-types.h"

/* Registers the library's implementation and starts its thread, unless
 * the application registered one first; says which happened. */
KvmmigEventLoopOwner _kvmmig_event_loop_start     (void);
KvmmigEventLoopOwner _kvmmig_event_loop_get_owner (void);

G_END_DECLS
