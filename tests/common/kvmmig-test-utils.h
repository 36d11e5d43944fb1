/* kvmmig-test-utils.h: helpers shared by the C tests: waiting for an async
 * result on a main loop with a timeout.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libkvmmig/kvmmig.h>

G_BEGIN_DECLS

/* Fail the test if nothing arrives within this many seconds. */
#define KVMMIG_TEST_TIMEOUT_S 30

/* An async-ready callback that stores the result in *(GAsyncResult **) data. */
void          kvmmig_test_store_result (GObject      *source,
                                        GAsyncResult *result,
                                        gpointer      user_data);

/* Iterates the thread-default context until *result is set, failing the
 * test after KVMMIG_TEST_TIMEOUT_S seconds. */
GAsyncResult *kvmmig_test_wait_result  (GAsyncResult **result);

/* Iterates the thread-default context until *flag is TRUE (with timeout). */
void          kvmmig_test_wait_flag    (gboolean     *flag);

/* Empties the thread-default context. */
void          kvmmig_test_drain        (void);

G_END_DECLS
