/* kvmmig-policy-step.h: KvmmigPolicyStep, one action the convergence
 * policy took during a migration (downtime raised, guest throttled,
 * switched to post-copy, aborted at the timeout), and why.
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

#define KVMMIG_TYPE_POLICY_STEP (kvmmig_policy_step_get_type ())

KVMMIG_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (KvmmigPolicyStep, kvmmig_policy_step, KVMMIG, POLICY_STEP, GObject)

KVMMIG_AVAILABLE_IN_ALL
KvmmigPolicyAction kvmmig_policy_step_get_action      (KvmmigPolicyStep *self);
KVMMIG_AVAILABLE_IN_ALL
guint              kvmmig_policy_step_get_value       (KvmmigPolicyStep *self);
KVMMIG_AVAILABLE_IN_ALL
gint64             kvmmig_policy_step_get_elapsed_ms  (KvmmigPolicyStep *self);
KVMMIG_AVAILABLE_IN_ALL
guint              kvmmig_policy_step_get_iteration   (KvmmigPolicyStep *self);
KVMMIG_AVAILABLE_IN_ALL
const char        *kvmmig_policy_step_get_description (KvmmigPolicyStep *self);
KVMMIG_AVAILABLE_IN_ALL
gboolean           kvmmig_policy_step_get_applied     (KvmmigPolicyStep *self);

G_END_DECLS
