/* kvmmig-check-private.h: making KvmmigCheck results (pre-flight).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-check.h"

G_BEGIN_DECLS

KvmmigCheck *_kvmmig_check_new (const char        *id,
                                const char        *title,
                                KvmmigCheckStatus  status,
                                const char        *message,
                                const GError      *error);

G_END_DECLS
