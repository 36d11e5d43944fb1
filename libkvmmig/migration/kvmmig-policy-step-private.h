/* kvmmig-policy-step-private.h: making KvmmigPolicyStep records.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-policy-step.h"

G_BEGIN_DECLS

KvmmigPolicyStep *_kvmmig_policy_step_new (KvmmigPolicyAction  action,
                                           guint               value,
                                           gint64              elapsed_ms,
                                           guint               iteration,
                                           const char         *description,
                                           gboolean            applied);

G_END_DECLS
