/* kvmmig-util.c: small helpers shared by the classes (see kvmmig-util-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-util-private.h"

/*
 * _kvmmig_dispatch_on_context:
 *
 * Runs @func(@data) once from @context's next iteration, whatever thread
 * this is called from. Unlike g_main_context_invoke(), never runs @func
 * right away: callers on worker threads rely on it running on the thread
 * that iterates @context, and in the order it was queued.
 */
void
_kvmmig_dispatch_on_context (GMainContext   *context,
                             GSourceFunc     func,
                             gpointer        data,
                             GDestroyNotify  destroy)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, destroy);
  g_source_set_static_name (source, "[kvmmig] dispatch");
  g_source_attach (source, context);
}

gboolean
_kvmmig_name_has_only (const char  *name,
                       gsize        max_len,
                       const char  *extra)
{
  gsize len;

  if (name == NULL || (len = strlen (name)) == 0 || len > max_len)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr (extra, *p) == NULL)
      return FALSE;
  return TRUE;
}

const char *
_kvmmig_this_machine (void)
{
  static gsize once;
  static char *name;

  if (g_once_init_enter (&once))
    {
      name = g_strdup_printf ("this machine (%s)", g_get_host_name ());
      g_once_init_leave (&once, 1);
    }
  return name;
}
