/* test-host.c: KvmmigHost against libvirt's built-in test driver
 * (test:///default, one running guest named "test"; no daemon needed):
 * opening, queries, errors, the closed signal, and which main context
 * callbacks run on.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <libvirt/libvirt.h>

#include "kvmmig-test-utils.h"

#define TEST_URI "test:///default"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_host_new (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_host_new (TEST_URI);
  g_autofree char *uri = NULL;
  gboolean is_open = TRUE;

  g_assert_cmpstr (kvmmig_host_get_uri (host), ==, TEST_URI);
  g_assert_false (kvmmig_host_is_open (host));
  g_assert_null (kvmmig_host_get_hostname (host));

  g_object_get (host, "uri", &uri, "is-open", &is_open, NULL);
  g_assert_cmpstr (uri, ==, TEST_URI);
  g_assert_false (is_open);
}

static void
test_host_open_sync (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_host_new (TEST_URI);
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  g_signal_connect (host, "notify::is-open", G_CALLBACK (count_notify), &notified);

  g_assert_true (kvmmig_host_open (host, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kvmmig_host_is_open (host));
  g_assert_nonnull (kvmmig_host_get_hostname (host));
  g_assert_cmpuint (notified, ==, 1);

  /* Opening again is a no-op. */
  g_assert_true (kvmmig_host_open (host, NULL, &error));
  g_assert_cmpuint (notified, ==, 1);
}

typedef struct
{
  GMainContext *context;
  gboolean context_was_owner;
  GAsyncResult *result;
} CallbackCheck;

static void
check_context_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CallbackCheck *check = user_data;

  check->context_was_owner = g_main_context_is_owner (check->context);
  check->result = g_object_ref (result);
}

static void
test_host_open_async (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(KvmmigHost) host = NULL;
  g_autoptr(GError) error = NULL;
  CallbackCheck check = { context, FALSE, NULL };
  guint notified = 0;

  /* Host and call on a private context: callback and notify come there. */
  g_main_context_push_thread_default (context);

  host = kvmmig_host_new (TEST_URI);
  g_signal_connect (host, "notify::is-open", G_CALLBACK (count_notify), &notified);

  kvmmig_host_open_async (host, NULL, check_context_cb, &check);
  g_assert_false (kvmmig_host_is_open (host) && notified > 0);

  kvmmig_test_wait_result (&check.result);
  g_assert_true (check.context_was_owner);
  g_assert_true (kvmmig_host_open_finish (host, check.result, &error));
  g_assert_no_error (error);
  g_assert_true (kvmmig_host_is_open (host));

  kvmmig_test_drain ();
  g_assert_cmpuint (notified, ==, 1);

  g_clear_object (&check.result);
  g_main_context_pop_thread_default (context);
}

static char *
libvirt_version_string (void)
{
  unsigned long version = 0;

  g_assert_cmpint (virGetVersion (&version, NULL, NULL), ==, 0);
  return g_strdup_printf ("%lu.%lu.%lu", version / 1000000,
                          (version / 1000) % 1000, version % 1000);
}

static void
check_info (KvmmigHostInfo *info)
{
  g_autofree char *libvirt_version = libvirt_version_string ();

  g_assert_cmpstr (kvmmig_host_info_get_uri (info), ==, TEST_URI);
  g_assert_nonnull (kvmmig_host_info_get_hostname (info));
  g_assert_cmpstr (kvmmig_host_info_get_hostname (info), ==, g_get_host_name ());
  g_assert_nonnull (kvmmig_host_info_get_arch (info));
  /* The test driver describes a fixed 16-CPU, 3 GiB machine. */
  g_assert_cmpuint (kvmmig_host_info_get_cpus (info), ==, 16);
  g_assert_cmpuint (kvmmig_host_info_get_memory_total (info), ==,
                    (guint64) 3 * 1024 * 1024 * 1024);
  g_assert_cmpuint (kvmmig_host_info_get_memory_free (info), >, 0);
  g_assert_cmpuint (kvmmig_host_info_get_memory_free (info), <=,
                    kvmmig_host_info_get_memory_total (info));
  g_assert_cmpstr (kvmmig_host_info_get_hypervisor (info), ==, "TEST");
  g_assert_cmpstr (kvmmig_host_info_get_libvirt_version (info), ==, libvirt_version);
  g_assert_nonnull (kvmmig_host_info_get_hypervisor_version (info));
}

static void
test_host_info (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_test_open_host (TEST_URI);
  g_autoptr(KvmmigHostInfo) info = NULL;
  g_autoptr(KvmmigHostInfo) info_async = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  info = kvmmig_host_query_info (host, NULL, &error);
  g_assert_no_error (error);
  check_info (info);

  kvmmig_host_query_info_async (host, NULL, kvmmig_test_store_result, &result);
  info_async = kvmmig_host_query_info_finish (host, kvmmig_test_wait_result (&result), &error);
  g_assert_no_error (error);
  check_info (info_async);
}

static void
check_guests (GPtrArray *guests)
{
  KvmmigGuest *guest;

  /* test:///default holds exactly one guest, "test", running. */
  g_assert_cmpuint (guests->len, ==, 1);
  guest = g_ptr_array_index (guests, 0);
  g_assert_cmpstr (kvmmig_guest_get_name (guest), ==, "test");
  g_assert_cmpstr (kvmmig_guest_get_host_uri (guest), ==, TEST_URI);
  g_assert_cmpint (kvmmig_guest_get_state (guest), ==, KVMMIG_GUEST_STATE_RUNNING);
  g_assert_true (kvmmig_guest_is_active (guest));
  g_assert_true (kvmmig_guest_is_persistent (guest));
  g_assert_cmpint (kvmmig_guest_get_id (guest), >=, 0);
  g_assert_cmpuint (kvmmig_guest_get_memory (guest), >, 0);
  g_assert_cmpuint (kvmmig_guest_get_max_memory (guest), >=, kvmmig_guest_get_memory (guest));
  g_assert_cmpuint (kvmmig_guest_get_vcpus (guest), >=, 1);
  g_assert_true (g_uuid_string_is_valid (kvmmig_guest_get_uuid (guest)));
}

static void
test_host_guests (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_test_open_host (TEST_URI);
  g_autoptr(GPtrArray) guests = NULL;
  g_autoptr(GPtrArray) guests_async = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  guests = kvmmig_host_list_guests (host, NULL, &error);
  g_assert_no_error (error);
  check_guests (guests);

  kvmmig_host_list_guests_async (host, NULL, kvmmig_test_store_result, &result);
  guests_async = kvmmig_host_list_guests_finish (host, kvmmig_test_wait_result (&result), &error);
  g_assert_no_error (error);
  check_guests (guests_async);
}

static void
test_host_lookup (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_test_open_host (TEST_URI);
  g_autoptr(KvmmigGuest) guest = NULL;
  g_autoptr(KvmmigGuest) guest_async = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  guest = kvmmig_host_lookup_guest (host, "test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kvmmig_guest_get_name (guest), ==, "test");

  kvmmig_host_lookup_guest_async (host, "test", NULL, kvmmig_test_store_result, &result);
  guest_async = kvmmig_host_lookup_guest_finish (host, kvmmig_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kvmmig_guest_get_uuid (guest_async), ==, kvmmig_guest_get_uuid (guest));
}

/* As virsh: by ID, by UUID (with or without its hyphens), by name; a
 * number that is no guest's ID is looked up as a name too. */
static void
test_host_lookup_by_uuid_or_id (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_test_open_host (TEST_URI);
  g_autoptr(KvmmigGuest) by_name = kvmmig_host_lookup_guest (host, "test", NULL, NULL);
  g_autofree char *id = g_strdup_printf ("%d", kvmmig_guest_get_id (by_name));
  g_autofree char *bare = NULL;
  g_auto(GStrv) parts = g_strsplit (kvmmig_guest_get_uuid (by_name), "-", -1);
  const char *given[3];
  g_autoptr(GError) error = NULL;

  bare = g_strjoinv ("", parts);
  given[0] = id;
  given[1] = kvmmig_guest_get_uuid (by_name);
  given[2] = bare;
  for (guint i = 0; i < G_N_ELEMENTS (given); i++)
    {
      g_autoptr(KvmmigGuest) guest = kvmmig_host_lookup_guest (host, given[i], NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (kvmmig_guest_get_name (guest), ==, "test");
    }
  g_assert_null (kvmmig_host_lookup_guest (host, "4242", NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nor with that ID or UUID"));
}

/* A guest that is not there, and names that cannot be one. */
static void
test_host_lookup_missing (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_test_open_host (TEST_URI);
  g_autoptr(KvmmigGuest) missing = NULL;
  g_autoptr(GError) error = NULL;

  missing = kvmmig_host_lookup_guest (host, "no-such-guest", NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, TEST_URI));
  g_assert_nonnull (strstr (error->message, "no-such-guest"));
  g_clear_error (&error);

  g_assert_null (kvmmig_host_lookup_guest (host, "", NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* XML and shell metacharacters are just a name that does not exist. */
  g_assert_null (kvmmig_host_lookup_guest (host, "<a'b\"c&$(x)>", NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_NOT_FOUND);
}

static void
test_host_not_open (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_host_new (TEST_URI);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) guests = NULL;

  g_assert_null (kvmmig_host_query_info (host, NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_OPEN);
  g_assert_nonnull (strstr (error->message, TEST_URI));
  g_clear_error (&error);

  kvmmig_host_list_guests_async (host, NULL, kvmmig_test_store_result, &result);
  guests = kvmmig_host_list_guests_finish (host, kvmmig_test_wait_result (&result), &error);
  g_assert_null (guests);
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_OPEN);
}

static void
check_open_fails (const char *uri,
                  KvmmigError code)
{
  g_autoptr(KvmmigHost) host = kvmmig_host_new (uri);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (kvmmig_host_open (host, NULL, &error));
  g_assert_error (error, KVMMIG_ERROR, (gint) code);
  g_test_message ("%s -> %s", uri, error->message);
  if (*uri)
    g_assert_nonnull (strstr (error->message, uri));
  g_assert_false (kvmmig_host_is_open (host));
  g_clear_error (&error);

  kvmmig_host_open_async (host, NULL, kvmmig_test_store_result, &result);
  g_assert_false (kvmmig_host_open_finish (host, kvmmig_test_wait_result (&result), &error));
  g_assert_error (error, KVMMIG_ERROR, (gint) code);
}

static void
test_host_bad_uri (void)
{
  check_open_fails ("not a uri", KVMMIG_ERROR_INVALID_ARGUMENT);
  check_open_fails ("   ", KVMMIG_ERROR_INVALID_ARGUMENT);
  check_open_fails ("hv1/system", KVMMIG_ERROR_INVALID_ARGUMENT);
  /* The form of an alias, which libvirt's client configuration does not
   * define: libvirt refuses it, and the message says where aliases live. */
  check_open_fails ("no-such-alias", KVMMIG_ERROR_INVALID_ARGUMENT);
  check_open_fails ("qemu+tcp://[broken/system", KVMMIG_ERROR_INVALID_ARGUMENT);
  /* An unknown transport is refused by the client; an unknown driver
   * scheme would be handed to a local daemon, so it is not tested here. */
  check_open_fails ("qemu+nosuchtransport://127.0.0.1/system", KVMMIG_ERROR_INVALID_ARGUMENT);
  /* Nothing listens on port 1 of loopback: refused at once. */
  check_open_fails ("qemu+tcp://127.0.0.1:1/system", KVMMIG_ERROR_HOST_UNREACHABLE);
}

/* No URI, or "": libvirt's default, as virsh without -c (here
 * LIBVIRT_DEFAULT_URI=test:///default, set by the suite). The host keeps
 * no URI of its own (NULL), and its messages say "libvirt's default URI". */
static void
test_host_default_uri (void)
{
  const char *given[] = { NULL, "" };

  g_assert_cmpstr (g_getenv ("LIBVIRT_DEFAULT_URI"), ==, "test:///default");
  for (guint i = 0; i < G_N_ELEMENTS (given); i++)
    {
      g_autoptr(KvmmigHost) host = kvmmig_host_new (given[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(KvmmigGuest) guest = NULL;
      g_autofree char *uri = NULL;

      g_assert_null (kvmmig_host_get_uri (host));
      g_object_get (host, "uri", &uri, NULL);
      g_assert_null (uri);
      g_assert_true (kvmmig_host_open (host, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (kvmmig_host_get_hostname (host), !=, NULL);
      /* The test driver's own guest: this is test:///default. */
      guest = kvmmig_host_lookup_guest (host, "test", NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (guest);
      g_assert_null (kvmmig_host_lookup_guest (host, "no-such-guest", NULL, &error));
      g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_NOT_FOUND);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "libvirt's default URI: "));
    }
}

static void
on_closed (KvmmigHost        *host,
           KvmmigCloseReason  reason,
           gpointer           user_data)
{
  KvmmigCloseReason *out = user_data;

  g_assert_false (kvmmig_host_is_open (host));
  *out = reason;
}

static void
test_host_close (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_test_open_host (TEST_URI);
  g_autoptr(GPtrArray) guests = NULL;
  g_autoptr(GError) error = NULL;
  KvmmigCloseReason reason = (KvmmigCloseReason) -1;

  g_signal_connect (host, "closed", G_CALLBACK (on_closed), &reason);
  kvmmig_host_close (host);
  g_assert_cmpint (reason, ==, KVMMIG_CLOSE_REASON_CLIENT);
  g_assert_false (kvmmig_host_is_open (host));

  guests = kvmmig_host_list_guests (host, NULL, &error);
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_OPEN);
  g_clear_error (&error);

  /* Closing twice emits nothing more; the host can be opened again. */
  reason = (KvmmigCloseReason) -1;
  kvmmig_host_close (host);
  g_assert_cmpint (reason, ==, (KvmmigCloseReason) -1);
  g_assert_true (kvmmig_host_open (host, NULL, &error));
  g_assert_no_error (error);
}

static void
test_host_cancelled (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_host_new (TEST_URI);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (kvmmig_host_open (host, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (kvmmig_host_is_open (host));
  g_clear_error (&error);

  kvmmig_host_open_async (host, cancellable, kvmmig_test_store_result, &result);
  g_assert_false (kvmmig_host_open_finish (host, kvmmig_test_wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_host_null_arguments (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_test_open_host (TEST_URI);

  /* kvmmig_host_new (NULL) is libvirt's default URI: see default-uri. */
  g_test_expect_message ("Kvmmig", G_LOG_LEVEL_CRITICAL, "*KVMMIG_IS_HOST*");
  g_assert_false (kvmmig_host_open (NULL, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Kvmmig", G_LOG_LEVEL_CRITICAL, "*name != NULL*");
  g_assert_null (kvmmig_host_lookup_guest (host, NULL, NULL, NULL));
  g_test_assert_expected_messages ();
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Kvmmig/Host/new", test_host_new);
  g_test_add_func ("/Kvmmig/Host/open-sync", test_host_open_sync);
  g_test_add_func ("/Kvmmig/Host/open-async", test_host_open_async);
  g_test_add_func ("/Kvmmig/Host/info", test_host_info);
  g_test_add_func ("/Kvmmig/Host/guests", test_host_guests);
  g_test_add_func ("/Kvmmig/Host/lookup", test_host_lookup);
  g_test_add_func ("/Kvmmig/Host/lookup-missing", test_host_lookup_missing);
  g_test_add_func ("/Kvmmig/Host/not-open", test_host_not_open);
  g_test_add_func ("/Kvmmig/Host/lookup-by-uuid-or-id", test_host_lookup_by_uuid_or_id);
  g_test_add_func ("/Kvmmig/Host/bad-uri", test_host_bad_uri);
  g_test_add_func ("/Kvmmig/Host/default-uri", test_host_default_uri);
  g_test_add_func ("/Kvmmig/Host/close", test_host_close);
  g_test_add_func ("/Kvmmig/Host/cancelled", test_host_cancelled);
  g_test_add_func ("/Kvmmig/Host/null-arguments", test_host_null_arguments);

  return g_test_run ();
}
