/* kvmmig-test-utils.c: helpers shared by the C tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <libvirt/virterror.h>

#include "kvmmig-test-utils.h"

void
kvmmig_test_store_result (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static gboolean
on_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until (gboolean (*done) (gpointer), gpointer data)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean timed_out = FALSE;
  GSource *timeout;

  timeout = g_timeout_source_new_seconds (KVMMIG_TEST_TIMEOUT_S);
  g_source_set_callback (timeout, on_timeout, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (!done (data) && !timed_out)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  g_source_unref (timeout);

  if (timed_out)
    g_error ("timed out after %d s waiting for an async result",
             KVMMIG_TEST_TIMEOUT_S);
}

static gboolean
result_is_set (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

GAsyncResult *
kvmmig_test_wait_result (GAsyncResult **result)
{
  wait_until (result_is_set, result);
  return *result;
}

void
kvmmig_test_wait_flag (gboolean *flag)
{
  wait_until (flag_is_set, flag);
}

void
kvmmig_test_drain (void)
{
  GMainContext *context = g_main_context_get_thread_default ();

  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
}

KvmmigHost *
kvmmig_test_open_host (const char *uri)
{
  g_autoptr(GError) error = NULL;
  KvmmigHost *host = kvmmig_host_new (uri);

  g_assert_true (kvmmig_host_open (host, NULL, &error));
  g_assert_no_error (error);
  return host;
}

virConnectPtr
kvmmig_test_hold_default (const char *const *names)
{
  virConnectPtr conn = virConnectOpen ("test:///default");

  g_assert_nonnull (conn);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *xml = g_strdup_printf ("<domain type='test'><name>%s</name>"
                                              "<memory>65536</memory>"
                                              "<os><type>hvm</type></os></domain>",
                                              names[i]);
      virDomainPtr dom = virDomainDefineXML (conn, xml);

      g_assert_nonnull (dom);
      g_assert_cmpint (virDomainCreate (dom), ==, 0);
      virDomainFree (dom);
    }
  return conn;
}

int
kvmmig_test_run_holding_default (const char *const *names)
{
  virConnectPtr conn = kvmmig_test_hold_default (names);
  int ret = g_test_run ();

  virConnectClose (conn);
  return ret;
}

char *
kvmmig_test_host_b_uri (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "test-host-b.xml", NULL);
  g_autofree char *abs = g_canonicalize_filename (path, NULL);

  return g_strdup_printf ("test://%s", abs);
}

void
kvmmig_test_open_hosts_a_b (KvmmigHost **a,
                            KvmmigHost **b)
{
  g_autofree char *host_b_uri = kvmmig_test_host_b_uri ();

  *a = kvmmig_test_open_host ("test:///default");
  *b = kvmmig_test_open_host (host_b_uri);
}

void
kvmmig_test_assert_error (const GError *error,
                          KvmmigError   code,
                          const char   *prefix,
                          const char   *needle)
{
  g_assert_nonnull (error);
  g_test_message ("expected error %d: %s", code, error->message);
  g_assert_error (error, KVMMIG_ERROR, (int) code);
  if (prefix != NULL)
    g_assert_true (g_str_has_prefix (error->message, prefix));
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("'%s' is not in the message '%s'", needle, error->message);
}

void
kvmmig_test_remove_guest (virConnectPtr conn,
                          const char   *name)
{
  virDomainPtr dom = virDomainLookupByName (conn, name);

  if (dom != NULL)
    {
      if (virDomainIsActive (dom) == 1)
        virDomainDestroy (dom);
      virDomainUndefine (dom);
      virDomainFree (dom);
    }
  virResetLastError ();
}
