/* kvmmig-cli-async.c: the library's async calls from a command that runs
 * them one after the other: waiting for a result on the main context,
 * opening hosts (which Ctrl-C cancels, through the command's cancellable;
 * a NULL URI is libvirt's default one),
 * and going through several hosts, one report each.
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
  g_autoptr(KvmmigHost) host = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  /* NULL: libvirt's default URI (LIBVIRT_DEFAULT_URI, then uri_default in
   * libvirt's client config). */
  host = kvmmig_host_new (uri);
  cli_auth_attach (host);
  kvmmig_host_open_async (host, cancellable, cli_store_result, &result);
  if (!kvmmig_host_open_finish (host, cli_wait (&result), error))
    return NULL;
  return g_steal_pointer (&host);
}

int
cli_report_each_host (CliArgs            *args,
                      GCancellable       *cancellable,
                      const char * const *uris,
                      guint               n_uris,
                      CliHostReportFunc   report,
                      CliHostFailedFunc   json_failed,
                      gpointer            user_data,
                      guint              *n_failed,
                      GError            **first_error)
{
  int code = CLI_EXIT_OK;

  *n_failed = 0;
  for (guint i = 0; i < n_uris && !g_cancellable_is_cancelled (cancellable); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!args->json && i > 0)
        printf ("\n");

      if (!report (uris[i], cancellable, user_data, &error))
        {
          (*n_failed)++;
          cli_error_line (error->message);
          if (args->json)
            json_failed (uris[i], error, user_data);
          cli_keep_first_error (first_error, &error, &code);
          continue;
        }
      fflush (stdout);
    }

  if (cli_interrupted ())
    cli_outcome_interrupted (first_error, &code);
  return code;
}
