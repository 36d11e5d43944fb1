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
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "kvmmig-cli.h"

/* One line from @tty, without its newline; echo off for a secret. NULL at
 * the end of input. */
static char *
read_line (FILE     *tty,
           gboolean  secret)
{
  struct termios saved, quiet;
  gboolean restore = FALSE;
  char buf[1024];
  char *line = NULL;

  if (secret && tcgetattr (fileno (tty), &saved) == 0)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      quiet.c_lflag |= ECHONL;
      restore = tcsetattr (fileno (tty), TCSAFLUSH, &quiet) == 0;
    }
  if (fgets (buf, sizeof buf, tty) != NULL)
    {
      buf[strcspn (buf, "\r\n")] = '\0';
      line = g_strdup (buf);
    }
  if (restore)
    tcsetattr (fileno (tty), TCSAFLUSH, &saved);
  explicit_bzero (buf, sizeof buf);
  return line;
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

      if (challenge != NULL && *challenge != '\0')
        fprintf (tty, "%s\n", challenge);
      if (suggested != NULL && *suggested != '\0' && !secret)
        fprintf (tty, "%s [%s]: ", prompt ? prompt : "Answer", suggested);
      else
        fprintf (tty, "%s: ", prompt ? prompt : "Answer");
      fflush (tty);

      answer = read_line (tty, secret);
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
