/* kvmmig-store-runner.c: running the operations of a shared store: each
 * works on a snapshot of the store's description, and runs inline (the
 * synchronous public calls) or on a worker thread (the _async ones, whose
 * _finish calls take the result back); plus what every operation needs:
 * where it runs, the host's connection (see kvmmig-store-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-host-private.h"
#include "kvmmig-store-kind-private.h"
#include "kvmmig-task-private.h"
#include "kvmmig-util-private.h"

KvmmigStoreOp *
_kvmmig_store_op_new (KvmmigSharedStore        *self,
                      KvmmigHost               *host,
                      const KvmmigStoreOpClass *klass)
{
  KvmmigStoreOp *op = g_new0 (KvmmigStoreOp, 1);

  op->klass = klass;
  op->store = g_object_ref (self);
  op->cfg = _kvmmig_shared_store_snapshot (self);
  op->host = host ? g_object_ref (host) : NULL;
  return op;
}

void
_kvmmig_store_op_free (KvmmigStoreOp *op)
{
  g_clear_object (&op->store);
  g_clear_pointer (&op->cfg, _kvmmig_store_config_free);
  g_clear_object (&op->host);
  g_clear_pointer (&op->hosts, g_ptr_array_unref);
  g_free (op->name);
  g_free (op->device);
  g_free (op);
}

const char *
_kvmmig_store_op_where (KvmmigStoreOp *op)
{
  return op->host ? _kvmmig_host_get_display_uri (op->host) : _kvmmig_this_machine ();
}

virConnectPtr
_kvmmig_store_op_connect (KvmmigStoreOp  *op,
                          GError        **error)
{
  if (!_kvmmig_store_validate (op->cfg, _kvmmig_store_op_where (op), error))
    return NULL;
  return _kvmmig_host_ref_connection (op->host, error);
}

gboolean
_kvmmig_store_op_refused (KvmmigStoreOp  *op,
                          GError        **error)
{
  const KvmmigStoreKindOps *ops = op->cfg->ops;

  return ops->check_host != NULL &&
         !ops->check_host (op->cfg, _kvmmig_store_op_where (op), error);
}

virConnectPtr
_kvmmig_store_op_reach (KvmmigStoreOp  *op,
                        GError        **error)
{
  g_autoptr(virConnect) conn = _kvmmig_store_op_connect (op, error);

  if (conn == NULL || _kvmmig_store_op_refused (op, error))
    return NULL;
  return g_steal_pointer (&conn);
}

/* LVM's messages start with "this machine (HOST): ". */
gpointer
_kvmmig_store_op_name_store (KvmmigStoreOp  *op,
                             GError        **error)
{
  g_autofree char *prefix = g_strconcat (_kvmmig_this_machine (), ": ", NULL);

  if (error != NULL && *error != NULL && g_str_has_prefix ((*error)->message, prefix) &&
      !g_str_has_prefix ((*error)->message + strlen (prefix), "store '"))
    {
      char *message = g_strdup_printf ("%sstore '%s': %s", prefix, op->cfg->name,
                                       (*error)->message + strlen (prefix));
      g_free ((*error)->message);
      (*error)->message = message;
    }
  return NULL;
}

static gpointer
store_op_call (KvmmigStoreOp  *op,
               GCancellable   *cancellable,
               GError        **error)
{
  if (_kvmmig_check_cancelled (cancellable, _kvmmig_store_op_where (op), "store operation", error))
    return NULL;
  return op->klass->func (op, cancellable, error);
}

gpointer
_kvmmig_store_op_run (KvmmigStoreOp  *op,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(KvmmigStoreOp) owned = op;

  return store_op_call (owned, cancellable, error);
}

static void
store_op_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  KvmmigStoreOp *op = task_data;
  GError *error = NULL;
  gpointer result = store_op_call (op, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else  /* a boolean operation's TRUE is no object to unref */
    g_task_return_pointer (task, result, op->klass->boolean ? NULL : g_object_unref);
}

void
_kvmmig_store_op_start (KvmmigStoreOp       *op,
                        gpointer             source_tag,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (op->store, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, op, (GDestroyNotify) _kvmmig_store_op_free);
  g_task_run_in_thread (task, store_op_thread);
}

gpointer
_kvmmig_store_op_finish (KvmmigSharedStore  *self,
                         GAsyncResult       *result,
                         gpointer            source_tag,
                         GError            **error)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);

  return _kvmmig_task_finish_pointer (self, result, source_tag, error);
}
