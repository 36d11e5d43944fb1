/* kvmmig-cli-progress.c: the live status line of kvmmig. On a terminal it is
 * one line redrawn in place with carriage returns (no escape sequences,
 * so it works on any terminal), cut to the terminal's width so that it
 * never wraps, with permanent lines (policy steps, notices) printed above
 * it. Off a terminal it becomes plain lines, at most one per interval.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvmmig-cli.h"

struct _CliStatusLine
{
  FILE *out;
  gboolean tty;
  gint64 interval_us;
  gint64 last_plain_us;
  gsize shown;                    /* columns of the live line on screen */
  char *text;                     /* the live line, to redraw it */
};

CliStatusLine *
cli_status_line_new (FILE   *out,
                     gint64  plain_interval_ms)
{
  CliStatusLine *line = g_new0 (CliStatusLine, 1);

  line->out = out;
  line->tty = isatty (fileno (out));
  line->interval_us = plain_interval_ms * 1000;
  return line;
}

void
cli_status_line_free (CliStatusLine *line)
{
  cli_status_line_clear (line);
  g_free (line->text);
  g_free (line);
}

gboolean
cli_status_line_is_tty (CliStatusLine *line)
{
  return line->tty;
}

static gsize
terminal_width (CliStatusLine *line)
{
  struct winsize size;
  const char *columns;

  if (ioctl (fileno (line->out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  columns = g_getenv ("COLUMNS");
  if (columns != NULL && atoi (columns) > 0)
    return atoi (columns);
  return 80;
}

static void
erase (CliStatusLine *line)
{
  if (line->shown == 0)
    return;
  fputc ('\r', line->out);
  for (gsize i = 0; i < line->shown; i++)
    fputc (' ', line->out);
  fputc ('\r', line->out);
  line->shown = 0;
}

static void
draw (CliStatusLine *line)
{
  /* One column short of the width: writing the last column wraps on
   * some terminals. The text is ASCII. */
  gsize width = terminal_width (line) - 1;
  gsize len = MIN (strlen (line->text), width);
  gsize old = line->shown;

  fputc ('\r', line->out);
  fwrite (line->text, 1, len, line->out);
  for (gsize i = len; i < old; i++)
    fputc (' ', line->out);
  line->shown = MAX (len, old);
  fflush (line->out);
}

void
cli_status_line_update (CliStatusLine *line,
                        const char    *text,
                        gboolean       force)
{
  gint64 now = g_get_monotonic_time ();

  if (line->tty)
    {
      g_free (line->text);
      line->text = g_strdup (text);
      draw (line);
      return;
    }

  if (!force && line->last_plain_us != 0 && now - line->last_plain_us < line->interval_us)
    return;
  line->last_plain_us = now;
  fprintf (line->out, "%s\n", text);
  fflush (line->out);
}

void
cli_status_line_print (CliStatusLine *line,
                       const char    *text)
{
  if (line->tty)
    erase (line);
  fprintf (line->out, "%s\n", text);
  if (line->tty && line->text != NULL)
    draw (line);
  fflush (line->out);
}

void
cli_status_line_clear (CliStatusLine *line)
{
  if (line->tty)
    erase (line);
  g_clear_pointer (&line->text, g_free);
  fflush (line->out);
}
