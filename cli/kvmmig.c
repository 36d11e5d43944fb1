/* kvmmig.c: main() of the kvmmig command: the table of its commands,
 * global options (-c URI before the command, as virsh's; --help,
 * --version, and the hidden --man that prints the man page, and the hidden
 * __complete that the bash completion asks), then dispatch to a command
 * (and to its subcommand, for commands that have some). Each command is in commands/; what they share
 * is in framework/ (see README.md).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <locale.h>
#include <signal.h>
#include <string.h>

#include "kvmmig-cli.h"

/* The commands, in the order --help and the man page list them. Each
 * NAME here is the CliCommand cli_command_NAME, defined with its options,
 * help texts and handler in commands/kvmmig-cmd-NAME.c (a file that
 * meson.build lists too); migrate_setspeed and migrate_setmaxdowntime
 * (named migrate-setspeed... as virsh's) share kvmmig-cmd-migrate-tune.c. */
#define CLI_COMMANDS(COMMAND) \
  COMMAND (migrate)           \
  COMMAND (migrate_setspeed)  \
  COMMAND (migrate_setmaxdowntime) \
  COMMAND (check)             \
  COMMAND (hosts)             \
  COMMAND (evacuate)          \
  COMMAND (store)             \
  COMMAND (volume)

#define CLI_DECLARE_COMMAND(name) extern const CliCommand cli_command_##name;
#define CLI_LIST_COMMAND(name)    &cli_command_##name,

CLI_COMMANDS (CLI_DECLARE_COMMAND)

const CliCommand *const cli_commands[] = {
  CLI_COMMANDS (CLI_LIST_COMMAND)
  NULL
};

static const CliCommand *
command_lookup (const CliCommand *const *table,
                const char              *name)
{
  for (guint i = 0; table[i] != NULL; i++)
    if (g_str_equal (table[i]->name, name))
      return table[i];
  return NULL;
}

static gboolean
is_help (const char *arg)
{
  return g_str_equal (arg, "-h") || g_str_equal (arg, "--help");
}

/* --json among the arguments (before any "--"), for a result object even
 * when the arguments cannot be parsed. */
static gboolean
wants_json (int    argc,
            char **argv)
{
  for (int i = 0; i < argc && !g_str_equal (argv[i], "--"); i++)
    if (g_str_equal (argv[i], "--json"))
      return TRUE;
  return FALSE;
}

static char *
command_names (const CliCommand *const *table)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; table[i] != NULL; i++)
    g_string_append_printf (names, "%s%s", names->len ? ", " : "", table[i]->name);
  return g_string_free (names, FALSE);
}

static int
usage_error (const char *path,
             gboolean    json,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static int
usage_error (const char *path,
             gboolean    json,
             const char *format,
             ...)
{
  g_autoptr(GError) error = NULL;
  va_list ap;

  va_start (ap, format);
  error = g_error_new_valist (CLI_ERROR, CLI_ERROR_USAGE, format, ap);
  va_end (ap);

  cli_error_line (error->message);
  if (json)
    {
      CliArgs args = { .path = (char *) path, .json = TRUE };
      cli_json_result (&args, CLI_EXIT_USAGE, error);
    }
  return CLI_EXIT_USAGE;
}

/* The global -c URI (--connect URI, --connect=URI), as virsh takes it. */
static const char *connect_uri = NULL;
static gboolean connect_given = FALSE;

/* Reads the global options before the command: -c URI. Returns how many
 * arguments they took, or -1 (with an error line) if one is bad. */
static int
global_options (int    argc,
                char **argv)
{
  int i = 1;

  while (i < argc)
    {
      const char *value;

      if (g_str_equal (argv[i], "-c") || g_str_equal (argv[i], "--connect"))
        {
          if (i + 1 >= argc)
            {
              usage_error ("", FALSE, "%s needs a URI (see 'kvmmig --help')", argv[i]);
              return -1;
            }
          value = argv[i + 1];
          i += 2;
        }
      else if (g_str_has_prefix (argv[i], "--connect="))
        value = argv[i++] + strlen ("--connect=");
      else if (g_str_has_prefix (argv[i], "-c") && argv[i][2] != '\0')
        value = argv[i++] + 2;
      else
        break;

      connect_given = TRUE;
      /* Empty: libvirt's default URI, as virsh -c ''. */
      connect_uri = value[0] != '\0' ? value : NULL;
      if (connect_uri != NULL)
        {
          g_autoptr(GError) error = NULL;

          if (!cli_check_host_uri ("connect", connect_uri, &error))
            {
              usage_error ("", FALSE, "%s", error->message);
              return -1;
            }
        }
    }
  return i - 1;
}

static int
dispatch (const CliCommand  *command,
          const char        *path,
          int                argc,
          char             **argv)
{
  g_autoptr(CliArgs) args = NULL;
  g_autoptr(GError) error = NULL;
  gboolean help = FALSE;

  if (command->subcommands != NULL)
    {
      const CliCommand *sub;
      g_autofree char *subpath = NULL;
      g_autofree char *names = command_names (command->subcommands);

      if (argc == 0 || is_help (argv[0]))
        {
          if (argc == 0)
            return usage_error (path, FALSE, "missing command: %s %s (see 'kvmmig %s --help')",
                                path, names, path);
          cli_print_command_help (stdout, path, command);
          return CLI_EXIT_OK;
        }
      sub = command_lookup (command->subcommands, argv[0]);
      if (sub == NULL)
        return usage_error (path, wants_json (argc, argv),
                            "unknown command '%s %s'; the commands are %s (see 'kvmmig %s --help')",
                            path, argv[0], names, path);
      subpath = g_strdup_printf ("%s %s", path, sub->name);
      return dispatch (sub, subpath, argc - 1, argv + 1);
    }

  args = cli_args_parse (command, path, argc, argv, &help, &error);
  if (help)
    {
      cli_print_command_help (stdout, path, command);
      return CLI_EXIT_OK;
    }
  if (args == NULL)
    return usage_error (path, wants_json (argc, argv), "%s", error->message);
  if (connect_given && !command->connect)
    return usage_error (path, args->json,
                        "-c URI does not go with 'kvmmig %s': it names the source of "
                        "migrate and check (GUEST DESTURI) and the host of hosts; give "
                        "the hosts with the command's options (see 'kvmmig %s --help')",
                        path, path);
  args->connect = connect_uri;
  args->connect_given = connect_given;

  return command->handler (args);
}

int
main (int   argc,
      char *argv[])
{
  const CliCommand *command;

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  /* A closed pipe on stdout must not kill kvmmig in the middle of a
   * migration: it goes on, and says where the guest is on stderr. */
  signal (SIGPIPE, SIG_IGN);

  {
    int taken = global_options (argc, argv);

    if (taken < 0)
      return CLI_EXIT_USAGE;
    /* The command's words move up, after argv[0]. */
    argc -= taken;
    memmove (argv + 1, argv + 1 + taken, (argc) * sizeof (char *));
  }

  if (argc < 2)
    return usage_error ("", FALSE, "missing command (see 'kvmmig --help')");

  /* Hidden: what the bash completion asks (framework/kvmmig-cli-complete.c). */
  if (g_str_equal (argv[1], "__complete"))
    return cli_complete (connect_uri, argc - 2, argv + 2);

  if (is_help (argv[1]) || g_str_equal (argv[1], "help"))
    {
      if (argc > 2 && g_str_equal (argv[1], "help"))
        {
          /* kvmmig help COMMAND [SUBCOMMAND] */
          const CliCommand *const *table = cli_commands;
          g_autoptr(GString) path = g_string_new (NULL);

          command = NULL;
          for (int i = 2; i < argc; i++)
            {
              const CliCommand *found = table ? command_lookup (table, argv[i]) : NULL;

              if (found == NULL)
                {
                  g_string_append_printf (path, "%s%s", path->len ? " " : "", argv[i]);
                  return usage_error ("", FALSE, "unknown command '%s' (see 'kvmmig --help')",
                                      path->str);
                }
              g_string_append_printf (path, "%s%s", path->len ? " " : "", found->name);
              command = found;
              table = found->subcommands;
            }
          cli_print_command_help (stdout, path->str, command);
        }
      else
        cli_print_usage (stdout);
      return CLI_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      printf ("kvmmig %s\nlibkvmmig %u.%u.%u\n", KVMMIG_VERSION_S,
              kvmmig_get_major_version (), kvmmig_get_minor_version (),
              kvmmig_get_micro_version ());
      return CLI_EXIT_OK;
    }

  /* Hidden: the man page, from the same table as --help. */
  if (g_str_equal (argv[1], "--man"))
    {
      cli_print_man (stdout);
      return CLI_EXIT_OK;
    }

  if (argv[1][0] == '-')
    return usage_error ("", FALSE, "unknown option '%s' (see 'kvmmig --help')", argv[1]);

  command = command_lookup (cli_commands, argv[1]);
  if (command == NULL)
    {
      g_autofree char *names = command_names (cli_commands);
      return usage_error (argv[1], wants_json (argc, argv),
                          "unknown command '%s'; the commands are %s (see 'kvmmig --help')",
                          argv[1], names);
    }

  return dispatch (command, command->name, argc - 2, argv + 2);
}
