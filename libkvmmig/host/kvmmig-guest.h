/* kvmmig-guest.h: KvmmigGuest, a snapshot of one guest (libvirt domain)
 * on a host: name, UUID, state, memory, persistence.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(KVMMIG_INSIDE) && !defined(KVMMIG_COMPILATION)
#error "Only <libkvmmig/kvmmig.h> can be included directly."
#endif

#include <glib-object.h>

#include "kvmmig-types.h"
#include "kvmmig-version-macros.h"

G_BEGIN_DECLS

#define KVMMIG_TYPE_GUEST (kvmmig_guest_get_type ())

KVMMIG_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (KvmmigGuest, kvmmig_guest, KVMMIG, GUEST, GObject)

KVMMIG_AVAILABLE_IN_ALL
const char       *kvmmig_guest_get_name       (KvmmigGuest *self);
KVMMIG_AVAILABLE_IN_ALL
const char       *kvmmig_guest_get_uuid       (KvmmigGuest *self);
KVMMIG_AVAILABLE_IN_ALL
const char       *kvmmig_guest_get_host_uri   (KvmmigGuest *self);
KVMMIG_AVAILABLE_IN_ALL
int               kvmmig_guest_get_id         (KvmmigGuest *self);
KVMMIG_AVAILABLE_IN_ALL
KvmmigGuestState  kvmmig_guest_get_state      (KvmmigGuest *self);
KVMMIG_AVAILABLE_IN_ALL
gboolean          kvmmig_guest_is_active      (KvmmigGuest *self);
KVMMIG_AVAILABLE_IN_ALL
gboolean          kvmmig_guest_is_persistent  (KvmmigGuest *self);
KVMMIG_AVAILABLE_IN_ALL
guint64           kvmmig_guest_get_memory     (KvmmigGuest *self);
KVMMIG_AVAILABLE_IN_ALL
guint64           kvmmig_guest_get_max_memory (KvmmigGuest *self);
KVMMIG_AVAILABLE_IN_ALL
guint             kvmmig_guest_get_vcpus      (KvmmigGuest *self);

G_END_DECLS
