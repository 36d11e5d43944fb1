/* kvmmig-version-macros.h: the export macro and the per-release
 * availability markers that every public symbol carries.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(KVMMIG_INSIDE) && !defined(KVMMIG_COMPILATION)
#error "Only <libkvmmig/kvmmig.h> can be included directly."
#endif

#include <glib.h>

/* The library is built with -fvisibility=hidden: only symbols marked with
 * one of these macros are exported from libkvmmig-1.so. */
#ifndef _KVMMIG_EXTERN
#define _KVMMIG_EXTERN __attribute__((visibility ("default"))) extern
#endif

#define KVMMIG_AVAILABLE_IN_ALL _KVMMIG_EXTERN
#define KVMMIG_AVAILABLE_IN_0_1 _KVMMIG_EXTERN
