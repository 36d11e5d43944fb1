/* kvmmig-cli-auth.c: what a host's daemon asks for while the host opens
 * (KvmmigHost::authenticate: a SASL user name and password, ...), asked
 * on the terminal as virsh does: libvirt's prompt, the suggested answer in
 * brackets (Enter takes it), and a secret read with echo off, never shown
 * nor logged. Without a terminal nothing is asked, and the host's open
 * fails saying what the daemon wanted.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "kvmmig-cli.h"

static volatile sig_atomic_t interrupted;

static void
on_interrupt (int signo)
{
  interrupted = 1;
}

/* One line from @tty, without its newline; echo off for a secret. NULL at
 * the end of input. Ctrl-C (or SIGTERM) while it waits quits at once, as
 * at any moment before a migration starts: the terminal is restored, exit
 * code 6. The prompt runs on whichever thread opens the host, and the
 * kernel gives a process's SIGINT to any of its threads, so the wait does
 * not count on its read() being interrupted: it polls the terminal and
 * looks at the flag the handler sets every 100 ms (a Ctrl-C taken by
 * another thread left the read blocked for good). */
static char *
read_line (FILE       *tty,
           const char *prompt,
           gboolean    secret)
{
  int fd = fileno (tty);
  struct termios saved, quiet;
  struct sigaction quit = { .sa_handler = on_interrupt }, old_int, old_term;
  gboolean restore = FALSE;
  GString *line = g_string_new (NULL);
  gboolean ended = FALSE;
  char c;

  if (secret && tcgetattr (fd, &saved) == 0)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      quiet.c_lflag |= ECHONL;
      restore = tcsetattr (fd, TCSANOW, &quiet) == 0;
    }
  interrupted = 0;
  sigemptyset (&quit.sa_mask);
  sigaction (SIGINT, &quit, &old_int);
  sigaction (SIGTERM, &quit, &old_term);
  /* Shown only now: a Ctrl-C in answer to it finds the handlers above. */
  fputs (prompt, tty);
  fflush (tty);

  for (;;)
    {
      struct pollfd ready = { .fd = fd, .events = POLLIN };
      ssize_t n;

      int polled;

      if (interrupted)
        break;
      polled = poll (&ready, 1, 100);
      if (polled == 0 || (polled < 0 && errno == EINTR))
        continue;       /* nothing yet, or a signal: look at the flag */
      n = polled < 0 ? -1 : read (fd, &c, 1);

      if (n == 1 && c != '\n')
        {
          if (c != '\r')
            g_string_append_c (line, c);
          continue;
        }
      if (n < 0 && errno == EINTR && !interrupted)
        continue;
      ended = n <= 0;
      break;
    }

  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);
  if (restore)
    tcsetattr (fd, TCSANOW, &saved);
  c = 0;
  if (interrupted)
    {
      explicit_bzero (line->str, line->len);
      g_string_free (line, TRUE);
      fputc ('\n', tty);
      fflush (tty);
      cli_quit_interrupted ("interrupted while the host asked for credentials; "
                            "nothing was changed");
    }
  if (ended && line->len == 0)
    {
      g_string_free (line, TRUE);
      return NULL;
    }
  return g_string_free (line, FALSE);
}

static gboolean
on_authenticate (KvmmigHost        *host,
                 KvmmigAuthRequest *request,
                 gpointer           user_data)
{
  int fd = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  FILE *tty = fd >= 0 ? fdopen (fd, "r+") : NULL;

  if (tty == NULL)
    {
      if (fd >= 0)
        close (fd);
      return FALSE;     /* no terminal: the open fails, saying what was asked */
    }

  fprintf (tty, "%s asks for credentials\n", kvmmig_auth_request_get_uri (request));
  for (guint i = 0; i < kvmmig_auth_request_get_n_credentials (request); i++)
    {
      const char *prompt = kvmmig_auth_request_get_prompt (request, i);
      const char *challenge = kvmmig_auth_request_get_challenge (request, i);
      const char *suggested = kvmmig_auth_request_get_default (request, i);
      gboolean secret = kvmmig_auth_request_is_secret (request, i);
      char *answer;

      g_autofree char *shown = NULL;

      if (challenge != NULL && *challenge != '\0')
        fprintf (tty, "%s\n", challenge);
      if (suggested != NULL && *suggested != '\0' && !secret)
        shown = g_strdup_printf ("%s [%s]: ", prompt ? prompt : "Answer", suggested);
      else
        shown = g_strdup_printf ("%s: ", prompt ? prompt : "Answer");

      answer = read_line (tty, shown, secret);
      if (answer == NULL)
        {
          fputc ('\n', tty);
          fclose (tty);
          kvmmig_auth_request_cancel (request);
          return TRUE;
        }
      /* Enter alone takes the suggested answer (NULL: the default). */
      kvmmig_auth_request_set_answer (request, i, *answer != '\0' ? answer : NULL);
      explicit_bzero (answer, strlen (answer));
      g_free (answer);
    }
  fclose (tty);
  kvmmig_auth_request_reply (request);
  return TRUE;
}

void
cli_auth_attach (KvmmigHost *host)
{
  g_signal_connect (host, "authenticate", G_CALLBACK (on_authenticate), NULL);
}
