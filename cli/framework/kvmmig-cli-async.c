/* kvmmig-cli-async.c: the library's async calls from a command that runs
 * them one after the other: waiting for a result on the main context, and
 * opening hosts (which Ctrl-C cancels, through the command's cancellable).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-cli.h"

/* ------------------------------------------------------------------ */
/* Async calls                                                          */

void
cli_store_result (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
cli_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

GPtrArray *
cli_open_hosts (GPtrArray     *uris,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < uris->len; i++)
    {
      KvmmigHost *host = cli_open_host (g_ptr_array_index (uris, i), cancellable, error);

      if (host == NULL)
        return NULL;
      g_ptr_array_add (hosts, host);
    }
  return g_steal_pointer (&hosts);
}

KvmmigHost *
cli_open_host (const char    *uri,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(KvmmigHost) host = kvmmig_host_new (uri);
  g_autoptr(GAsyncResult) result = NULL;

  kvmmig_host_open_async (host, cancellable, cli_store_result, &result);
  if (!kvmmig_host_open_finish (host, cli_wait (&result), error))
    return NULL;
  return g_steal_pointer (&host);
}
