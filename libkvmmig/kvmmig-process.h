/* kvmmig-process.h: what libkvmmig does to the process it runs in, and
 * how an application chooses: libvirt's event loop (one per process) and
 * libvirt's process-wide error handler.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(KVMMIG_INSIDE) && !defined(KVMMIG_COMPILATION)
#error "Only <libkvmmig/kvmmig.h> can be included directly."
#endif

#include <glib.h>

#include "kvmmig-types.h"
#include "kvmmig-version-macros.h"

G_BEGIN_DECLS

KVMMIG_AVAILABLE_IN_ALL
KvmmigEventLoopOwner kvmmig_event_loop_get_owner (void);

G_END_DECLS
