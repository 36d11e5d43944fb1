/* kvmmig-error.c: the KvmmigError quark.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-error.h"

/**
 * kvmmig_error_quark:
 *
 * Gets the quark of the libkvmmig error domain.
 *
 * Returns: the `KVMMIG_ERROR` quark
 *
 * Since: 0.1
 */
G_DEFINE_QUARK (kvmmig-error-quark, kvmmig_error)
