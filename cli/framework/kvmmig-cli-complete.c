/* kvmmig-cli-complete.c: the hidden `kvmmig __complete` that the bash
 * completion (completion/kvmmig.bash) asks, so that the script never
 * lists a command or an option itself:
 *
 *   kvmmig __complete commands [COMMAND]       the commands (of a group)
 *   kvmmig __complete options COMMAND...       a command's options, one a
 *                                              line: "--NAME", "--NAME ARG",
 *                                              and "-N ARG" for a short one
 *   kvmmig [-c URI] __complete guests [URI]    the names of the host's
 *                                              running guests (libvirt's
 *                                              default URI without one)
 *
 * It never prompts and never hangs: the host is given a few seconds to
 * answer, opens without the terminal prompts of kvmmig-cli-auth.c (a
 * daemon that wants credentials fails it), an SSH transport is told not to
 * ask for a password (libvirt's no_tty), and nothing is printed on failure
 * (exit code 1).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "kvmmig-cli.h"

#define GUESTS_TIMEOUT_S 3

static const CliCommand *
lookup (const CliCommand *const *table,
        const char              *name)
{
  for (guint i = 0; table != NULL && table[i] != NULL; i++)
    if (g_str_equal (table[i]->name, name))
      return table[i];
  return NULL;
}

/* The command named by @words (migrate; volume create), or NULL. */
static const CliCommand *
command_of (int    n_words,
            char **words)
{
  const CliCommand *const *table = cli_commands;
  const CliCommand *command = NULL;

  for (int i = 0; i < n_words; i++)
    {
      command = lookup (table, words[i]);
      if (command == NULL)
        return NULL;
      table = command->subcommands;
    }
  return command;
}

static void
print_options (const CliOption *options)
{
  for (const CliOption *o = options; o != NULL && o->long_name != NULL; o++)
    {
      printf ("--%s%s%s\n", o->long_name, o->arg ? " " : "", o->arg ? o->arg : "");
      if (o->short_name != 0)
        printf ("-%c%s%s\n", o->short_name, o->arg ? " " : "", o->arg ? o->arg : "");
    }
}

static int
complete_options (int    n_words,
                  char **words)
{
  const CliCommand *command = command_of (n_words, words);

  if (command == NULL || command->handler == NULL)
    return CLI_EXIT_FAILED;
  print_options (command->options);
  /* virsh's options that it takes and does not list (--live, --p2p...). */
  for (const CliVirshOption *v = command->virsh; v && v->long_name != NULL; v++)
    {
      gboolean listed = FALSE;

      for (const CliOption *o = command->options; o->long_name != NULL && !listed; o++)
        listed = g_str_equal (o->long_name, v->long_name);
      if (!listed && v->kind != CLI_VIRSH_REFUSED)
        printf ("--%s%s%s\n", v->long_name, v->arg ? " " : "", v->arg ? v->arg : "");
    }
  if (command->json != NULL)
    print_options (cli_json_option);
  if (command->group != NULL)
    print_options (command->group->options);
  printf ("--help\n");
  return CLI_EXIT_OK;
}

/* @uri with no_tty=1 if it goes through ssh(1), which would otherwise ask
 * for a password on the terminal. */
static char *
without_prompts (const char *uri)
{
  const char *scheme_end = uri ? strstr (uri, "://") : NULL;
  g_autofree char *scheme = scheme_end ? g_strndup (uri, scheme_end - uri) : NULL;

  if (scheme == NULL || !g_str_has_suffix (scheme, "+ssh") || strstr (uri, "no_tty=") != NULL)
    return g_strdup (uri);
  return g_strconcat (uri, strchr (uri, '?') ? "&" : "?", "no_tty=1", NULL);
}

static gboolean
on_guests_timeout (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static int
complete_guests (const char *uri)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KvmmigHost) host = NULL;
  g_autoptr(GPtrArray) guests = NULL;
  g_autofree char *quiet_uri = without_prompts (uri);
  guint timeout;

  timeout = g_timeout_add_seconds (GUESTS_TIMEOUT_S, on_guests_timeout, cancellable);
  /* Not cli_open_host(): nothing is asked on the terminal. */
  host = kvmmig_host_new (quiet_uri);
  if (host != NULL)
    {
      kvmmig_host_open_async (host, cancellable, cli_store_result, &result);
      if (kvmmig_host_open_finish (host, cli_wait (&result), NULL))
        {
          g_clear_object (&result);
          kvmmig_host_list_guests_async (host, cancellable, cli_store_result, &result);
          guests = kvmmig_host_list_guests_finish (host, cli_wait (&result), NULL);
        }
    }
  g_source_remove (timeout);
  if (guests == NULL)
    return CLI_EXIT_FAILED;

  for (guint i = 0; i < guests->len; i++)
    {
      KvmmigGuest *guest = g_ptr_array_index (guests, i);

      if (kvmmig_guest_is_active (guest))
        printf ("%s\n", kvmmig_guest_get_name (guest));
    }
  return CLI_EXIT_OK;
}

int
cli_complete (const char  *connect,
              int          argc,
              char       **argv)
{
  if (argc >= 1 && g_str_equal (argv[0], "commands"))
    {
      const CliCommand *group = argc >= 2 ? command_of (argc - 1, argv + 1) : NULL;
      const CliCommand *const *table = argc >= 2 ? (group ? group->subcommands : NULL)
                                                 : cli_commands;

      for (guint i = 0; table != NULL && table[i] != NULL; i++)
        printf ("%s\n", table[i]->name);
      if (argc < 2)
        printf ("help\n");
      return table != NULL ? CLI_EXIT_OK : CLI_EXIT_FAILED;
    }
  if (argc >= 2 && g_str_equal (argv[0], "options"))
    return complete_options (argc - 1, argv + 1);
  if (argc >= 1 && argc <= 2 && g_str_equal (argv[0], "guests"))
    return complete_guests (argc == 2 && argv[1][0] != '\0' ? argv[1] : connect);
  return CLI_EXIT_USAGE;
}
