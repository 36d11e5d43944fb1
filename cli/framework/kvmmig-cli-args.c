/* kvmmig-cli-args.c: parses a command's arguments against its options in the
 * command table (GOptionContext does the parsing; its own --help is off,
 * since kvmmig-cli-help.c prints the table), with the virsh options of its
 * .virsh table that it does not list itself (refusing those it refuses,
 * with their text), and validates option values before anything reaches
 * the library. Every problem becomes one CLI_ERROR_USAGE error that names
 * the option (exit code 2).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "kvmmig-cli.h"

G_DEFINE_QUARK (kvmmig-cli-error-quark, cli_error)

const CliOption cli_json_option[] = {
  { "json", 0, NULL, NULL },
  { NULL }
};

static const CliOption *
find_in (const CliOption *options,
         const char      *name)
{
  gboolean is_long = g_str_has_prefix (name, "--");

  for (const CliOption *o = options; o && o->long_name != NULL; o++)
    if (is_long ? g_str_equal (name + 2, o->long_name)
                : (name[0] == '-' && name[1] == o->short_name && name[2] == '\0'))
      return o;
  return NULL;
}

/* The options of @command's .virsh table that its own tables lack, as
 * CliOptions (made once; they live as long as the process). */
static const CliOption *
virsh_extra_options (const CliCommand *command)
{
  static GHashTable *made = NULL;   /* command -> CliOption[] */
  CliOption *options;
  guint n = 0;

  if (command->virsh == NULL)
    return NULL;
  if (made == NULL)
    made = g_hash_table_new (NULL, NULL);
  options = g_hash_table_lookup (made, command);
  if (options != NULL)
    return options;

  for (const CliVirshOption *v = command->virsh; v->long_name != NULL; v++)
    n++;
  options = g_new0 (CliOption, n + 1);
  n = 0;
  for (const CliVirshOption *v = command->virsh; v->long_name != NULL; v++)
    {
      g_autofree char *name = g_strconcat ("--", v->long_name, NULL);

      if (find_in (command->options, name) != NULL)
        continue;
      options[n].long_name = v->long_name;
      options[n].arg = v->arg;
      options[n].help = v->text;
      n++;
    }
  g_hash_table_insert (made, (gpointer) command, options);
  return options;
}

static const CliOption *
find_option (const CliCommand *command,
             const char       *name)
{
  const CliOption *option = find_in (command->options, name);

  if (option == NULL && command->json != NULL)
    option = find_in (cli_json_option, name);
  if (option == NULL && command->group != NULL)
    option = find_in (command->group->options, name);
  if (option == NULL)
    option = find_in (virsh_extra_options (command), name);
  return option;
}

/* A virsh option that the command refuses, if one was given: the error
 * says why, and what kvmmig does instead. */
static gboolean
virsh_refused (CliArgs  *args,
               GError  **error)
{
  for (const CliVirshOption *v = args->command->virsh; v && v->long_name != NULL; v++)
    if (v->kind == CLI_VIRSH_REFUSED && cli_args_flag (args, v->long_name))
      {
        g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, "--%s: %s", v->long_name, v->text);
        return TRUE;
      }
  return FALSE;
}

static gboolean
on_option (const char  *name,
           const char  *value,
           gpointer     data,
           GError     **error)
{
  CliArgs *args = data;
  const CliOption *option = find_option (args->command, name);

  GPtrArray *list;

  g_assert (option != NULL);
  g_hash_table_replace (args->values, g_strdup (option->long_name),
                        g_strdup (value ? value : ""));
  list = g_hash_table_lookup (args->lists, option->long_name);
  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (args->lists, g_strdup (option->long_name), list);
    }
  g_ptr_array_add (list, g_strdup (value ? value : ""));
  return TRUE;
}

/* An option that takes a secret must never have it on the command line,
 * where every user sees it (ps, /proc): refused before GOption, whose own
 * message would repeat "--chap-secret=VALUE". */
static gboolean
secret_on_command_line (int      argc,
                        char   **argv,
                        GError **error)
{
  for (int i = 0; i < argc && !g_str_equal (argv[i], "--"); i++)
    if (g_str_equal (argv[i], "--chap-secret") || g_str_has_prefix (argv[i], "--chap-secret="))
      {
        g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                     "--chap-secret: a CHAP secret is never taken from the command line, "
                     "where other users can read it; put it in a file only you can read "
                     "and give --chap-secret-file FILE, or --chap-secret-file - to read it "
                     "from standard input");
        return TRUE;
      }
  return FALSE;
}

static void
add_entries (GArray          *entries,
             const CliOption *options)
{
  for (const CliOption *o = options; o && o->long_name != NULL; o++)
    {
      GOptionEntry entry = {
        .long_name = o->long_name,
        .short_name = o->short_name,
        .flags = o->arg ? G_OPTION_FLAG_FILENAME : G_OPTION_FLAG_NO_ARG,
        .arg = G_OPTION_ARG_CALLBACK,
        .arg_data = (gpointer) on_option,
      };
      g_array_append_val (entries, entry);
    }
}

/* -h or --help before any "--": help wins over every other problem. */
static gboolean
wants_help (int    argc,
            char **argv)
{
  for (int i = 0; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        return FALSE;
      if (g_str_equal (argv[i], "-h") || g_str_equal (argv[i], "--help"))
        return TRUE;
    }
  return FALSE;
}

/*
 * cli_args_parse:
 * @argv: the arguments after the command's name
 * @help: set to TRUE if -h/--help was given (then nothing else is parsed)
 *
 * Returns: the parsed arguments, or NULL with a CLI_ERROR_USAGE error.
 */
CliArgs *
cli_args_parse (const CliCommand  *command,
                const char        *path,
                int                argc,
                char             **argv,
                gboolean          *help,
                GError           **error)
{
  g_autoptr(CliArgs) args = g_new0 (CliArgs, 1);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) strv = NULL;
  g_auto(GStrv) remaining = NULL;
  GOptionGroup *group;

  args->command = command;
  args->path = g_strdup (path);
  args->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  args->lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);
  args->positional = g_ptr_array_new_with_free_func (g_free);

  *help = wants_help (argc, argv);
  if (*help)
    return g_steal_pointer (&args);
  if (secret_on_command_line (argc, argv, error))
    return NULL;

  add_entries (entries, command->options);
  if (command->json != NULL)
    add_entries (entries, cli_json_option);
  if (command->group != NULL)
    add_entries (entries, command->group->options);
  add_entries (entries, virsh_extra_options (command));
  {
    GOptionEntry rest = {
      .long_name = G_OPTION_REMAINING,
      .arg = G_OPTION_ARG_FILENAME_ARRAY,
      .arg_data = &remaining,
    };
    g_array_append_val (entries, rest);
  }

  context = g_option_context_new (NULL);
  g_option_context_set_help_enabled (context, FALSE);
  group = g_option_group_new ("kvmmig", "kvmmig", "kvmmig", args, NULL);
  g_option_group_add_entries (group, (const GOptionEntry *) entries->data);
  g_option_context_set_main_group (context, group);

  /* GOption skips the program name in strv[0]. */
  strv = g_new0 (char *, argc + 2);
  strv[0] = g_strdup ("kvmmig");
  for (int i = 0; i < argc; i++)
    strv[i + 1] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (context, &strv, &local_error))
    {
      g_autofree char *message = g_strdup (local_error->message);

      message[0] = g_ascii_tolower (message[0]);
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, "%s (see 'kvmmig %s --help')",
                   message, path);
      return NULL;
    }

  for (guint i = 0; remaining && remaining[i]; i++)
    g_ptr_array_add (args->positional, g_strdup (remaining[i]));
  args->json = cli_args_flag (args, "json");
  if (virsh_refused (args, error))
    return NULL;
  return g_steal_pointer (&args);
}

void
cli_args_free (CliArgs *args)
{
  g_clear_pointer (&args->path, g_free);
  g_clear_pointer (&args->values, g_hash_table_unref);
  g_clear_pointer (&args->lists, g_hash_table_unref);
  g_clear_pointer (&args->positional, g_ptr_array_unref);
  g_free (args);
}

const char *
cli_args_get (CliArgs    *args,
              const char *long_name)
{
  return g_hash_table_lookup (args->values, long_name);
}

gboolean
cli_args_flag (CliArgs    *args,
               const char *long_name)
{
  return g_hash_table_contains (args->values, long_name);
}

GPtrArray *
cli_args_get_all (CliArgs    *args,
                  const char *long_name)
{
  GPtrArray *list = g_hash_table_lookup (args->lists, long_name);

  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (args->lists, g_strdup (long_name), list);
    }
  return list;
}

/* ------------------------------------------------------------------ */
/* Validation                                                           */

gboolean
cli_parse_uint (const char  *option,
                const char  *value,
                guint64      min,
                guint64      max,
                const char  *unit,
                guint64     *out,
                GError     **error)
{
  if (!g_ascii_string_to_unsigned (value, 10, min, max, out, NULL))
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--%s: '%s' is not a whole number of %s from %" G_GUINT64_FORMAT
                   " to %" G_GUINT64_FORMAT, option, value, unit, min, max);
      return FALSE;
    }
  return TRUE;
}

/* The units of a size: a letter (K, M, G, T, P: powers of 1024), or the
 * letter and "iB" (the same), or the letter and "B" (powers of 1000), as
 * virsh reads them; case does not matter. */
static gboolean
size_unit (const char *unit,
           guint64    *factor)
{
  static const char letters[] = "KMGTP";
  const char *letter;
  guint64 base;

  if (*unit == '\0' || g_ascii_strcasecmp (unit, "B") == 0)
    {
      *factor = 1;
      return TRUE;
    }
  letter = strchr (letters, g_ascii_toupper (*unit));
  if (letter == NULL)
    return FALSE;
  if (unit[1] == '\0' || g_ascii_strcasecmp (unit + 1, "iB") == 0)
    base = 1024;
  else if (g_ascii_strcasecmp (unit + 1, "B") == 0)
    base = 1000;
  else
    return FALSE;

  *factor = 1;
  for (const char *l = letters; l <= letter; l++)
    *factor *= base;
  return TRUE;
}

gboolean
cli_parse_size (const char  *option,
                const char  *value,
                guint64     *out,
                GError     **error)
{
  g_autofree char *number = NULL;
  const char *unit = value;
  guint64 n = 0, factor = 1;

  while (g_ascii_isdigit (*unit))
    unit++;
  number = g_strndup (value, unit - value);
  if (*number == '\0' || !g_ascii_string_to_unsigned (number, 10, 0, G_MAXUINT64, &n, NULL) ||
      !size_unit (unit, &factor) || (n > 0 && factor > G_MAXUINT64 / n))
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--%s: '%s' is not a size: a whole number of bytes, or with a unit "
                   "such as 512M, 10G or 1T (K, M, G, T, P are powers of 1024; KB, MB, "
                   "GB... powers of 1000)", option, value);
      return FALSE;
    }
  *out = n * factor;
  return TRUE;
}

/* The characters libvirt allows in the name of a URI alias (its client
 * config's uri_aliases = [ "hv1=qemu+ssh://root@hv1/system" ]). */
#define ALIAS_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-."

gboolean
cli_check_host_uri (const char  *option,
                    const char  *uri,
                    GError     **error)
{
  if (uri[0] != '\0' &&
      (g_uri_is_valid (uri, G_URI_FLAGS_NONE, NULL) || strspn (uri, ALIAS_CHARS) == strlen (uri)))
    return TRUE;

  if (option != NULL)
    g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                 "--%s: '%s' is not a libvirt URI (such as qemu+ssh://HOST/system) nor "
                 "the name of a URI alias", option, uri);
  else
    g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                 "'%s' is not a libvirt URI (such as qemu+ssh://HOST/system) nor the name "
                 "of a URI alias", uri);
  return FALSE;
}

const char *
cli_uri_label (const char *uri)
{
  return uri != NULL && uri[0] != '\0' ? uri : "libvirt's default URI";
}

gboolean
cli_require (CliArgs     *args,
             const char  *long_name,
             GError     **error)
{
  const char *value = cli_args_get (args, long_name);

  if (value != NULL)
    return TRUE;
  g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
               "--%s is required (see 'kvmmig %s --help')", long_name, args->path);
  return FALSE;
}

GPtrArray *
cli_require_uris (CliArgs     *args,
                  const char  *long_name,
                  guint        min,
                  GError     **error)
{
  GPtrArray *uris = cli_args_get_all (args, long_name);

  if (uris->len < min)
    {
      if (min <= 1)
        g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                     "--%s is required (see 'kvmmig %s --help')", long_name, args->path);
      else
        g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                     "--%s is needed %u times or more (see 'kvmmig %s --help')",
                     long_name, min, args->path);
      return NULL;
    }
  for (guint i = 0; i < uris->len; i++)
    {
      const char *uri = g_ptr_array_index (uris, i);

      if (!cli_check_host_uri (long_name, uri, error))
        return NULL;
      for (guint j = 0; j < i; j++)
        if (g_str_equal (uri, g_ptr_array_index (uris, j)))
          {
            g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                         "--%s: '%s' is given twice", long_name, uri);
            return NULL;
          }
    }
  return uris;
}

gboolean
cli_positional (CliArgs     *args,
                guint        min,
                guint        max,
                const char  *what,
                GError     **error)
{
  if (args->positional->len < min)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "missing %s (see 'kvmmig %s --help')", what, args->path);
      return FALSE;
    }
  if (args->positional->len > max)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "unexpected argument '%s' (see 'kvmmig %s --help')",
                   (const char *) g_ptr_array_index (args->positional, max), args->path);
      return FALSE;
    }
  for (guint i = 0; i < args->positional->len; i++)
    if (((const char *) g_ptr_array_index (args->positional, i))[0] == '\0')
      {
        g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                     "empty %s (see 'kvmmig %s --help')", what, args->path);
        return FALSE;
      }
  return TRUE;
}
