/* test-host-guests.c: a host's live guest model (kvmmig_host_get_guests)
 * against libvirt's test driver (test:///default, shared by every
 * connection of the process, so a second connection of the test's own
 * changes the guests the host sees): filled when the host opens, kept
 * current by libvirt's domain events (defined, started, paused, resumed,
 * stopped, undefined, transient guests), the same item object all along
 * with its properties notified on the host's context, emptied on close.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <libvirt/libvirt.h>

#include "kvmmig-test-utils.h"

#define TEST_URI "test:///default"

/* The model's item named @name, or NULL (transfer full). */
static KvmmigGuest *
find_guest (GListModel *model,
            const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KvmmigGuest) guest = g_list_model_get_item (model, i);

      if (g_strcmp0 (kvmmig_guest_get_name (guest), name) == 0)
        return g_steal_pointer (&guest);
    }
  return NULL;
}

typedef struct
{
  GListModel *model;
  const char *name;
  int state;                    /* -1: absent */
} Want;

static gboolean
have (const Want *want)
{
  g_autoptr(KvmmigGuest) guest = find_guest (want->model, want->name);

  if (want->state < 0)
    return guest == NULL;
  return guest != NULL && (int) kvmmig_guest_get_state (guest) == want->state;
}

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the thread-default context until the model has @name in
 * @state (-1: until it has no such guest); fails after 10 s. No polling
 * of the host: only the host's own updates change the model. */
static void
wait_for (GListModel *model,
          const char *name,
          int         state)
{
  Want want = { model, name, state };
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GSource *tick = g_timeout_source_new (50);

  g_source_set_callback (tick, wake, NULL, NULL);
  g_source_attach (tick, g_main_context_get_thread_default ());
  while (!have (&want) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (g_main_context_get_thread_default (), TRUE);
  g_source_destroy (tick);
  g_source_unref (tick);
  if (!have (&want))
    g_error ("guest '%s' did not get to state %d in the model within 10 s", name, state);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  GHashTable *seen = user_data;
  const char *name = g_param_spec_get_name (pspec);

  g_hash_table_insert (seen, g_strdup (name),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (seen, name)) + 1));
}

static guint
seen_count (GHashTable *seen,
            const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (seen, name));
}

#define DOMAIN_XML(name) \
  "<domain type='test'><name>" name "</name><memory>131072</memory>" \
  "<os><type>hvm</type></os></domain>"

static void
test_model_follows_events (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_test_open_host (TEST_URI);
  GListModel *model = kvmmig_host_get_guests (host);
  g_autoptr(GListModel) from_property = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(KvmmigGuest) first = NULL;
  g_autoptr(KvmmigGuest) item = NULL;
  virConnectPtr conn = virConnectOpen (TEST_URI);
  virDomainPtr domain;

  g_assert_nonnull (conn);
  g_object_get (host, "guests", &from_property, NULL);
  g_assert_true (from_property == model);
  g_assert_true (g_list_model_get_item_type (model) == KVMMIG_TYPE_GUEST);

  /* A synchronous open on this thread's context: full on return. */
  first = find_guest (model, "test");
  g_assert_nonnull (first);
  g_assert_cmpint (kvmmig_guest_get_state (first), ==, KVMMIG_GUEST_STATE_RUNNING);
  g_assert_null (find_guest (model, "model-a"));

  /* Defined: appears, shut off and persistent. */
  domain = virDomainDefineXML (conn, DOMAIN_XML ("model-a"));
  g_assert_nonnull (domain);
  wait_for (model, "model-a", KVMMIG_GUEST_STATE_SHUTOFF);
  item = find_guest (model, "model-a");
  g_assert_true (kvmmig_guest_is_persistent (item));
  g_assert_false (kvmmig_guest_is_active (item));
  g_signal_connect (item, "notify", G_CALLBACK (count_notify), seen);

  /* Sorted by name: "model-a" before "test". */
  {
    g_autoptr(KvmmigGuest) at0 = g_list_model_get_item (model, 0);

    g_assert_cmpstr (kvmmig_guest_get_name (at0), ==, "model-a");
  }

  /* Started, paused, resumed, stopped: the same object, notified. */
  g_assert_cmpint (virDomainCreate (domain), ==, 0);
  wait_for (model, "model-a", KVMMIG_GUEST_STATE_RUNNING);
  {
    g_autoptr(KvmmigGuest) again = find_guest (model, "model-a");

    g_assert_true (again == item);
  }
  g_assert_cmpuint (seen_count (seen, "state"), ==, 1);
  g_assert_cmpuint (seen_count (seen, "active"), ==, 1);
  g_assert_cmpuint (seen_count (seen, "id"), ==, 1);
  g_assert_true (kvmmig_guest_is_active (item));
  g_assert_cmpuint (kvmmig_guest_get_memory (item), ==, 131072 * 1024);

  g_assert_cmpint (virDomainSuspend (domain), ==, 0);
  wait_for (model, "model-a", KVMMIG_GUEST_STATE_PAUSED);
  g_assert_cmpint (virDomainResume (domain), ==, 0);
  wait_for (model, "model-a", KVMMIG_GUEST_STATE_RUNNING);
  g_assert_cmpuint (seen_count (seen, "state"), ==, 3);

  g_assert_cmpint (virDomainDestroy (domain), ==, 0);
  wait_for (model, "model-a", KVMMIG_GUEST_STATE_SHUTOFF);
  g_assert_cmpint (kvmmig_guest_get_id (item), ==, -1);

  /* Undefined: gone. */
  g_assert_cmpint (virDomainUndefine (domain), ==, 0);
  wait_for (model, "model-a", -1);
  virDomainFree (domain);

  /* A transient guest: there while it runs, gone when it stops. */
  domain = virDomainCreateXML (conn, DOMAIN_XML ("model-b"), 0);
  g_assert_nonnull (domain);
  wait_for (model, "model-b", KVMMIG_GUEST_STATE_RUNNING);
  {
    g_autoptr(KvmmigGuest) b = find_guest (model, "model-b");

    g_assert_false (kvmmig_guest_is_persistent (b));
  }
  g_assert_cmpint (virDomainDestroy (domain), ==, 0);
  wait_for (model, "model-b", -1);
  virDomainFree (domain);

  /* The first item was never replaced. */
  {
    g_autoptr(KvmmigGuest) test = find_guest (model, "test");

    g_assert_true (test == first);
  }

  /* Closed: empty, from the host's context. */
  kvmmig_host_close (host);
  kvmmig_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  virConnectClose (conn);
}

/* Opened asynchronously: the model fills from the context, and its
 * changes (items-changed) reach the context the host was made on. */
static void
test_model_async_open (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_host_new (TEST_URI);
  GListModel *model = kvmmig_host_get_guests (host);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  kvmmig_host_open_async (host, NULL, kvmmig_test_store_result, &result);
  kvmmig_test_wait_result (&result);
  g_assert_true (kvmmig_host_open_finish (host, result, &error));
  g_assert_no_error (error);
  wait_for (model, "test", KVMMIG_GUEST_STATE_RUNNING);

  /* Reopened after a close: filled again. */
  kvmmig_host_close (host);
  kvmmig_test_drain ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_true (kvmmig_host_open (host, NULL, &error));
  g_assert_no_error (error);
  wait_for (model, "test", KVMMIG_GUEST_STATE_RUNNING);
}

/* Dropped while updates are on their way: nothing reaches a freed host. */
static void
test_model_host_dropped (void)
{
  virConnectPtr conn = virConnectOpen (TEST_URI);

  for (int i = 0; i < 20; i++)
    {
      KvmmigHost *host = kvmmig_test_open_host (TEST_URI);
      virDomainPtr domain = virDomainCreateXML (conn, DOMAIN_XML ("model-c"), 0);

      g_assert_nonnull (domain);
      virDomainDestroy (domain);
      virDomainFree (domain);
      g_object_unref (host);
    }
  kvmmig_test_drain ();
  virConnectClose (conn);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Kvmmig/Host/guest-model/events", test_model_follows_events);
  g_test_add_func ("/Kvmmig/Host/guest-model/async-open", test_model_async_open);
  g_test_add_func ("/Kvmmig/Host/guest-model/host-dropped", test_model_host_dropped);

  return kvmmig_test_run_holding_default (NULL);
}
