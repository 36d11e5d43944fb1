/* fuzz-common.c: the LLVMFuzzerInitialize of every target of tests/fuzz/:
 * a GLib critical (a precondition broken by host data) or warning
 * (something the library did not expect of it) is a crash there.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}
