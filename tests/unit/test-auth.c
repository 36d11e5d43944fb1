/* test-auth.c: KvmmigHost::authenticate and KvmmigAuthRequest: libvirt's
 * authentication callback as an open calls it (the credentials libvirt
 * passes, filled in with the program's answers), answered at once, later
 * from the main loop, from a worker thread's open, declined, unanswered
 * and cancelled. libvirt's test driver never asks for credentials, so the
 * callback is called here the way libvirt calls it; the SASL daemon of
 * the testbed asks for real in the integration suite.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <libvirt/libvirt.h>

#include "kvmmig-host-private.h"
#include "kvmmig-test-utils.h"

#define TEST_URI "test:///default"

/* What a SASL login asks: a user name (with the local one as default)
 * and a password. */
static void
sasl_creds (virConnectCredential creds[2])
{
  memset (creds, 0, 2 * sizeof (virConnectCredential));
  creds[0].type = VIR_CRED_AUTHNAME;
  creds[0].prompt = "Please enter your authentication name";
  creds[0].defresult = "root";
  creds[1].type = VIR_CRED_PASSPHRASE;
  creds[1].prompt = "Please enter your password";
}

static void
clear_creds (virConnectCredential *creds,
             guint                 n)
{
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&creds[i].result, g_free);
}

typedef struct
{
  GThread *thread;              /* where the handler ran */
  guint calls;
  gboolean later;               /* answer from an idle, not the handler */
  gboolean decline;
  gboolean unhandled;
} Answerer;

static gboolean
reply_later (gpointer data)
{
  KvmmigAuthRequest *request = data;

  kvmmig_auth_request_set_answer (request, 1, "s3cret");
  kvmmig_auth_request_reply (request);
  return G_SOURCE_REMOVE;
}

static gboolean
on_authenticate (KvmmigHost        *host,
                 KvmmigAuthRequest *request,
                 gpointer           data)
{
  Answerer *a = data;

  a->thread = g_thread_self ();
  a->calls++;
  if (a->unhandled)
    return FALSE;

  g_assert_cmpuint (kvmmig_auth_request_get_n_credentials (request), ==, 2);
  g_assert_cmpstr (kvmmig_auth_request_get_uri (request), ==, TEST_URI);
  g_assert_cmpint (kvmmig_auth_request_get_kind (request, 0), ==, KVMMIG_CREDENTIAL_AUTHNAME);
  g_assert_cmpint (kvmmig_auth_request_get_kind (request, 1), ==, KVMMIG_CREDENTIAL_PASSPHRASE);
  g_assert_false (kvmmig_auth_request_is_secret (request, 0));
  g_assert_true (kvmmig_auth_request_is_secret (request, 1));
  g_assert_cmpstr (kvmmig_auth_request_get_prompt (request, 1), ==, "Please enter your password");
  g_assert_cmpstr (kvmmig_auth_request_get_default (request, 0), ==, "root");
  g_assert_null (kvmmig_auth_request_get_challenge (request, 0));

  if (a->decline)
    kvmmig_auth_request_cancel (request);
  else if (a->later)
    g_idle_add_full (G_PRIORITY_DEFAULT, reply_later, g_object_ref (request), g_object_unref);
  else
    {
      /* The name left to its default. */
      kvmmig_auth_request_set_answer (request, 1, "s3cret");
      kvmmig_auth_request_reply (request);
      /* A second reply, or a cancel after it, changes nothing. */
      kvmmig_auth_request_cancel (request);
    }
  return TRUE;
}

static void
assert_answered (virConnectCredential creds[2])
{
  g_assert_cmpstr (creds[0].result, ==, "root");
  g_assert_cmpuint (creds[0].resultlen, ==, 4);
  g_assert_cmpstr (creds[1].result, ==, "s3cret");
  g_assert_cmpuint (creds[1].resultlen, ==, 6);
}

/* Answered at once, and later from the main loop (the blocking open runs
 * the host's context until the answer comes). */
static void
test_answered_on_calling_thread (void)
{
  for (int later = 0; later <= 1; later++)
    {
      g_autoptr(KvmmigHost) host = kvmmig_host_new (TEST_URI);
      Answerer a = { .later = later };
      virConnectCredential creds[2];

      sasl_creds (creds);
      g_signal_connect (host, "authenticate", G_CALLBACK (on_authenticate), &a);
      g_assert_cmpint (_kvmmig_host_authenticate (host, creds, 2, FALSE, NULL), ==, 0);
      g_assert_cmpuint (a.calls, ==, 1);
      g_assert_true (a.thread == g_thread_self ());
      assert_answered (creds);
      clear_creds (creds, 2);
    }
}

typedef struct
{
  KvmmigHost *host;
  virConnectCredential creds[2];
  GCancellable *cancellable;
  int rc;
  gboolean done;
} WorkerCall;

static gpointer
worker (gpointer data)
{
  WorkerCall *w = data;

  w->rc = _kvmmig_host_authenticate (w->host, w->creds, 2, TRUE, w->cancellable);
  g_atomic_int_set (&w->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* An open on a worker thread (open_async): the signal comes on the host's
 * context, the main thread here, and the worker waits for the answer. */
static void
test_answered_from_worker (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_host_new (TEST_URI);
  Answerer a = { .later = TRUE };
  WorkerCall w = { .host = host };
  GThread *thread;

  sasl_creds (w.creds);
  g_signal_connect (host, "authenticate", G_CALLBACK (on_authenticate), &a);
  thread = g_thread_new ("test-open", worker, &w);
  while (!g_atomic_int_get (&w.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  g_assert_cmpint (w.rc, ==, 0);
  g_assert_true (a.thread == g_thread_self ());
  assert_answered (w.creds);
  clear_creds (w.creds, 2);
}

/* Declined, or no handler that takes it: libvirt gets no credentials. */
static void
test_declined_or_unhandled (void)
{
  for (int unhandled = 0; unhandled <= 2; unhandled++)
    {
      g_autoptr(KvmmigHost) host = kvmmig_host_new (TEST_URI);
      Answerer a = { .decline = unhandled == 0, .unhandled = unhandled == 1 };
      virConnectCredential creds[2];

      sasl_creds (creds);
      if (unhandled < 2)
        g_signal_connect (host, "authenticate", G_CALLBACK (on_authenticate), &a);
      g_assert_cmpint (_kvmmig_host_authenticate (host, creds, 2, FALSE, NULL), ==, -1);
      g_assert_null (creds[0].result);
      g_assert_null (creds[1].result);
    }
}

static gboolean
never_answer (KvmmigHost        *host,
              KvmmigAuthRequest *request,
              gpointer           data)
{
  g_cancellable_cancel (data);
  return TRUE;
}

/* A worker's open waiting for an answer stops when it is cancelled. */
static void
test_cancelled_while_waiting (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_host_new (TEST_URI);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  WorkerCall w = { .host = host, .cancellable = cancellable };
  GThread *thread;

  sasl_creds (w.creds);
  g_signal_connect (host, "authenticate", G_CALLBACK (never_answer), cancellable);
  thread = g_thread_new ("test-open", worker, &w);
  while (!g_atomic_int_get (&w.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  g_assert_cmpint (w.rc, ==, -1);
  g_assert_null (w.creds[1].result);
}

/* A host whose daemon asks nothing opens whether or not anything handles
 * the signal, and the handler is not called. */
static void
test_open_without_questions (void)
{
  g_autoptr(KvmmigHost) host = kvmmig_host_new (TEST_URI);
  g_autoptr(GError) error = NULL;
  Answerer a = { 0 };

  g_signal_connect (host, "authenticate", G_CALLBACK (on_authenticate), &a);
  g_assert_true (kvmmig_host_open (host, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (a.calls, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Kvmmig/Auth/answered-on-calling-thread", test_answered_on_calling_thread);
  g_test_add_func ("/Kvmmig/Auth/answered-from-worker", test_answered_from_worker);
  g_test_add_func ("/Kvmmig/Auth/declined-or-unhandled", test_declined_or_unhandled);
  g_test_add_func ("/Kvmmig/Auth/cancelled-while-waiting", test_cancelled_while_waiting);
  g_test_add_func ("/Kvmmig/Auth/open-without-questions", test_open_without_questions);

  return g_test_run ();
}
