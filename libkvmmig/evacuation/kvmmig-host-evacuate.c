/* kvmmig-host-evacuate.c: KvmmigHost's evacuate methods, shorthands for a
 * KvmmigEvacuation with its defaults (declared in kvmmig-evacuation.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-evacuation.h"
#include "kvmmig-host.h"
#include "kvmmig-task-private.h"

static void
on_host_evacuation_done (GObject      *source,
                         GAsyncResult *result,
                         gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  if (kvmmig_evacuation_run_finish (KVMMIG_EVACUATION (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * kvmmig_host_evacuate_async:
 * @self: the host to empty
 * @destinations: (array length=n_destinations): the hosts its guests may go to
 * @n_destinations: the number of destinations, at least one
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called when every guest was dealt with
 * @user_data: data for @callback
 *
 * Migrates every running guest of the host to the destinations, with the
 * defaults of [class@Kvmmig.Evacuation] (2 migrations at once out of the
 * host and into each destination). For its options, per-guest outcomes
 * and aggregate progress, use a [class@Kvmmig.Evacuation].
 *
 * Since: 0.1
 */
void
kvmmig_host_evacuate_async (KvmmigHost          *self,
                            KvmmigHost * const  *destinations,
                            guint                n_destinations,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(KvmmigEvacuation) evacuation = NULL;
  GTask *task;

  g_return_if_fail (KVMMIG_IS_HOST (self));
  g_return_if_fail (destinations != NULL && n_destinations > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kvmmig_host_evacuate_async);
  g_task_set_check_cancellable (task, FALSE);

  evacuation = kvmmig_evacuation_new (self, destinations, n_destinations);
  g_task_set_task_data (task, g_object_ref (evacuation), g_object_unref);
  kvmmig_evacuation_run_async (evacuation, cancellable, on_host_evacuation_done, task);
}

/**
 * kvmmig_host_evacuate_finish:
 * @self: a host
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.Host.evacuate_async].
 *
 * Returns: %TRUE if every running guest was moved; otherwise the error
 *   lists the guests that were not, and why
 *
 * Since: 0.1
 */
gboolean
kvmmig_host_evacuate_finish (KvmmigHost    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), FALSE);

  return _kvmmig_task_finish_boolean (self, result, kvmmig_host_evacuate_async, error);
}

/**
 * kvmmig_host_evacuate:
 * @self: the host to empty
 * @destinations: (array length=n_destinations): the hosts its guests may go to
 * @n_destinations: the number of destinations, at least one
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Migrates every running guest of the host to the destinations, blocking
 * the calling thread. See [method@Kvmmig.Host.evacuate_async].
 *
 * Returns: %TRUE if every running guest was moved
 *
 * Since: 0.1
 */
gboolean
kvmmig_host_evacuate (KvmmigHost          *self,
                      KvmmigHost * const  *destinations,
                      guint                n_destinations,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(KvmmigEvacuation) evacuation = NULL;

  g_return_val_if_fail (KVMMIG_IS_HOST (self), FALSE);
  g_return_val_if_fail (destinations != NULL && n_destinations > 0, FALSE);

  evacuation = kvmmig_evacuation_new (self, destinations, n_destinations);
  return kvmmig_evacuation_run (evacuation, cancellable, error);
}
