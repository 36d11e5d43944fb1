/* kvmmig-cli-interrupt.c: Ctrl-C (SIGINT), SIGTERM and SIGHUP, through
 * g_unix_signal_add: the first cancels the command's GCancellable, and
 * each calls the command's handler, which says what happens (and may quit
 * at the second).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <unistd.h>

#include <glib-unix.h>

#include "kvmmig-cli.h"

/* ------------------------------------------------------------------ */
/* Signals                                                              */

static struct
{
  GCancellable *cancellable;
  CliInterruptFunc func;
  gpointer user_data;
  guint count;
  guint sources[3];
} interrupt;

static gboolean
on_signal (gpointer data)
{
  interrupt.count++;
  if (interrupt.count == 1)
    g_cancellable_cancel (interrupt.cancellable);
  if (interrupt.func != NULL)
    interrupt.func (interrupt.count, interrupt.user_data);
  return G_SOURCE_CONTINUE;
}

GCancellable *
cli_interrupt_install (CliInterruptFunc on_interrupt,
                       gpointer         user_data)
{
  const int signums[] = { SIGINT, SIGTERM, SIGHUP };

  g_assert (interrupt.cancellable == NULL);
  interrupt.cancellable = g_cancellable_new ();
  interrupt.func = on_interrupt;
  interrupt.user_data = user_data;
  interrupt.count = 0;
  for (guint i = 0; i < G_N_ELEMENTS (signums); i++)
    interrupt.sources[i] = g_unix_signal_add (signums[i], on_signal, NULL);
  return interrupt.cancellable;
}

/* Whether Ctrl-C (or SIGTERM, SIGHUP) came since cli_interrupt_install(). */
gboolean
cli_interrupted (void)
{
  return interrupt.count > 0;
}

/* After a failure: if it was interrupted, that is the outcome. */
void
cli_interrupted_error (GError **error)
{
  if (!cli_interrupted ())
    return;
  g_clear_error (error);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       CLI_INTERRUPTED_BEFORE_MIGRATING);
}

void
cli_interrupt_remove (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (interrupt.sources); i++)
    g_clear_handle_id (&interrupt.sources[i], g_source_remove);
  g_clear_object (&interrupt.cancellable);
  interrupt.func = NULL;
}

void
cli_quit_interrupted (const char *message)
{
  cli_error_line (message);
  _exit (CLI_EXIT_CANCELLED);
}

void
cli_interrupt_read_only (guint    count,
                         gpointer user_data)
{
  if (count >= 2)
    cli_quit_interrupted ("interrupted; nothing was changed");
}
