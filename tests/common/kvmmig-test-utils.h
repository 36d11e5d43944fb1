/* kvmmig-test-utils.h: helpers shared by the C tests: waiting for an async
 * result on a main loop with a timeout, opening a host, the test driver's
 * hosts (test:///default held open with guests added, and the URI of the
 * second one), checking a KvmmigError, and removing a guest from a
 * libvirt connection.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libkvmmig/kvmmig.h>
#include <libvirt/libvirt.h>

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

/* A new KvmmigHost on @uri, opened; fails the test if it does not open. */
KvmmigHost   *kvmmig_test_open_host    (const char   *uri);

/* Opens test:///default (one instance per process, alive while a
 * connection to it is open) and defines and starts a guest on it for each
 * of @names (NULL-terminated, may be NULL). Close the connection it returns
 * at the end of the run. */
virConnectPtr kvmmig_test_hold_default (const char *const *names);

/* g_test_run() with test:///default held (kvmmig_test_hold_default()),
 * @names started on it; returns what g_test_run() returns. */
int           kvmmig_test_run_holding_default (const char *const *names);

/* "test://" and the absolute path of tests/data/test-host-b.xml: a second
 * libvirt test-driver host (G_TEST_SRCDIR is tests/). Free with g_free(). */
char         *kvmmig_test_host_b_uri   (void);

/* The two test-driver hosts, opened (kvmmig_test_open_host()):
 * test:///default in @a, the one of kvmmig_test_host_b_uri() in @b. */
void          kvmmig_test_open_hosts_a_b (KvmmigHost **a,
                                          KvmmigHost **b);

/* Fails the test unless @error is KVMMIG_ERROR @code whose message starts
 * with @prefix and holds @needle (either may be NULL: not checked). */
void          kvmmig_test_assert_error (const GError *error,
                                        KvmmigError   code,
                                        const char   *prefix,
                                        const char   *needle);

/* Destroys (if it runs) and undefines the guest @name on @conn, if there is
 * one; clears libvirt's last error. For clean-up after a test. */
void          kvmmig_test_remove_guest (virConnectPtr conn,
                                        const char   *name);

G_END_DECLS
