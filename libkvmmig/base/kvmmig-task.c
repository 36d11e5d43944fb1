/* kvmmig-task.c: the _finish() end of the library's GTask-based
 * asynchronous calls. A public _finish() checks its object's type, then
 * hands the result here, which checks that it is a task of that object
 * started by the matching _async() (its source tag) and returns what the
 * task returned:
 *
 *   g_return_val_if_fail (KVMMIG_IS_FOO (self), FALSE);
 *
 *   return _kvmmig_task_finish_boolean (self, result, kvmmig_foo_bar_async, error);
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-task-private.h"

/* @result as a task, if it is one of @source_object's started with
 * @source_tag; %NULL (with a critical) otherwise. */
static GTask *
checked_task (gpointer      source_object,
              GAsyncResult *result,
              gpointer      source_tag)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return G_TASK (result);
}

/* The task's boolean, or %FALSE with @error set. */
gboolean
_kvmmig_task_finish_boolean (gpointer       source_object,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  GTask *task = checked_task (source_object, result, source_tag);

  return task != NULL && g_task_propagate_boolean (task, error);
}

/* The task's pointer (transfer full), or %NULL with @error set. */
gpointer
_kvmmig_task_finish_pointer (gpointer       source_object,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             GError       **error)
{
  GTask *task = checked_task (source_object, result, source_tag);

  return task != NULL ? g_task_propagate_pointer (task, error) : NULL;
}
