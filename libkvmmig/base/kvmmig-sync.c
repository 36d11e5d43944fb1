/* kvmmig-sync.c: the blocking form of an asynchronous call. Every
 * blocking method of the library that waits for one of its own
 * asynchronous operations does it this way:
 *
 *   g_autoptr(KvmmigSync) sync = _kvmmig_sync_new ();
 *
 *   kvmmig_foo_bar_async (self, cancellable, _kvmmig_sync_callback, sync);
 *   return kvmmig_foo_bar_finish (self, _kvmmig_sync_wait (sync), error);
 *
 * _kvmmig_sync_new() makes a main context of its own the thread-default
 * one, so that the operation's signals and callbacks run on the calling
 * thread while it waits, and nothing else of the caller's runs meanwhile.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-sync-private.h"

struct _KvmmigSync
{
  GMainContext *context;
  GAsyncResult *result;
};

/* Pushes a new main context as the calling thread's default; start the
 * asynchronous call after this, with _kvmmig_sync_callback() and the
 * returned KvmmigSync as its callback and data. */
KvmmigSync *
_kvmmig_sync_new (void)
{
  KvmmigSync *sync = g_new0 (KvmmigSync, 1);

  sync->context = g_main_context_new ();
  g_main_context_push_thread_default (sync->context);
  return sync;
}

void
_kvmmig_sync_callback (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  KvmmigSync *sync = user_data;

  g_assert (sync->result == NULL);
  sync->result = g_object_ref (result);
}

/*
 * _kvmmig_sync_wait:
 *
 * Iterates the context until the call's callback ran.
 *
 * Returns: (transfer none): the call's result, for its `_finish` function;
 *   valid until @sync is freed
 */
GAsyncResult *
_kvmmig_sync_wait (KvmmigSync *sync)
{
  while (sync->result == NULL)
    g_main_context_iteration (sync->context, TRUE);
  return sync->result;
}

/*
 * _kvmmig_sync_free:
 *
 * Dispatches what the context still has ready, then pops it.
 *
 * The result may come before everything the operation queued on the
 * context ran: an update a thread posted just after it, the idle that
 * frees a finished GTask, a job's last update. Those sources hold
 * references (a job, a task); objects that keep the context (a job keeps
 * the context of its last run) would then keep them, and each other,
 * forever. So they run now, on the calling thread, before the blocking
 * call returns. Sources not ready yet (timeouts) are destroyed with the
 * context when its last reference goes.
 */
void
_kvmmig_sync_free (KvmmigSync *sync)
{
  if (sync == NULL)
    return;

  while (g_main_context_pending (sync->context))
    g_main_context_iteration (sync->context, FALSE);

  g_main_context_pop_thread_default (sync->context);
  g_clear_object (&sync->result);
  g_main_context_unref (sync->context);
  g_free (sync);
}
