/* kvmmig-check.h: KvmmigCheck, the outcome of one pre-flight check of a
 * migration job (guest running, memory free, CPU, storage, ...).
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

#define KVMMIG_TYPE_CHECK (kvmmig_check_get_type ())

KVMMIG_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (KvmmigCheck, kvmmig_check, KVMMIG, CHECK, GObject)

KVMMIG_AVAILABLE_IN_ALL
const char        *kvmmig_check_get_id      (KvmmigCheck *self);
KVMMIG_AVAILABLE_IN_ALL
const char        *kvmmig_check_get_title   (KvmmigCheck *self);
KVMMIG_AVAILABLE_IN_ALL
KvmmigCheckStatus  kvmmig_check_get_status  (KvmmigCheck *self);
KVMMIG_AVAILABLE_IN_ALL
const char        *kvmmig_check_get_message (KvmmigCheck *self);
KVMMIG_AVAILABLE_IN_ALL
const GError      *kvmmig_check_get_error   (KvmmigCheck *self);

G_END_DECLS
