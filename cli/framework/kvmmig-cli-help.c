/* kvmmig-cli-help.c: prints the command table (cli_commands[] of kvmmig.c,
 * each command from its file in commands/, and the texts of
 * kvmmig-manual.c) two ways: as the text of `--help` (wrapped for a
 * terminal) and as the roff of the man page kvmmig.1 (`kvmmig --man`,
 * hidden, run by meson at build time). A command's table of virsh's
 * options (.virsh) is a section of the man page, VIRSH MIGRATE OPTIONS,
 * and a short list in its --help.
 *
 * Texts are paragraphs separated by an empty line; a paragraph whose
 * first line starts with two spaces is verbatim (kept as it is).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "kvmmig-cli.h"

#define WIDTH         79
#define OPTION_COLUMN 28

static gboolean
is_verbatim (const char *paragraph)
{
  return g_str_has_prefix (paragraph, "  ");
}

/* Appends @text wrapped at WIDTH: the first line after @first columns
 * already used, the next ones indented by @indent. */
static void
wrap (GString    *out,
      const char *text,
      guint       first,
      guint       indent)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \n", -1);
  guint column = first;
  gboolean line_empty = TRUE;

  for (guint i = 0; words[i] != NULL; i++)
    {
      guint len = strlen (words[i]);

      if (len == 0)
        continue;
      if (!line_empty && column + 1 + len > WIDTH)
        {
          g_string_append_c (out, '\n');
          for (guint j = 0; j < indent; j++)
            g_string_append_c (out, ' ');
          column = indent;
          line_empty = TRUE;
        }
      if (!line_empty)
        {
          g_string_append_c (out, ' ');
          column++;
        }
      g_string_append (out, words[i]);
      column += len;
      line_empty = FALSE;
    }
  g_string_append_c (out, '\n');
}

static void
text_paragraphs (GString    *out,
                 const char *text,
                 guint       indent)
{
  g_auto(GStrv) paragraphs = g_strsplit (text, "\n\n", -1);

  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\n');
      if (is_verbatim (paragraphs[i]))
        {
          g_auto(GStrv) lines = g_strsplit (paragraphs[i], "\n", -1);
          for (guint j = 0; lines[j] != NULL; j++)
            g_string_append_printf (out, "%*s%s\n", (int) indent, "", lines[j]);
        }
      else
        {
          g_string_append_printf (out, "%*s", (int) indent, "");
          wrap (out, paragraphs[i], indent, indent);
        }
    }
}

static char *
option_label (const CliOption *option)
{
  return g_strdup_printf ("%c%c%s--%s%s%s",
                          option->short_name ? '-' : ' ',
                          option->short_name ? option->short_name : ' ',
                          option->short_name ? ", " : "  ",
                          option->long_name,
                          option->arg ? " " : "",
                          option->arg ? option->arg : "");
}

static void
text_option (GString         *out,
             const CliOption *option,
             const char      *help)
{
  g_autofree char *label = option_label (option);
  guint used = 2 + strlen (label);

  g_string_append_printf (out, "  %s", label);
  if (used + 2 > OPTION_COLUMN)
    {
      g_string_append_printf (out, "\n%*s", OPTION_COLUMN, "");
      used = OPTION_COLUMN;
    }
  else
    {
      g_string_append_printf (out, "%*s", (int) (OPTION_COLUMN - used), "");
      used = OPTION_COLUMN;
    }
  wrap (out, help, used, OPTION_COLUMN);
}

static void
text_exit_codes (GString *out,
                 guint    codes)
{
  g_string_append (out, "Exit status:\n");
  for (guint i = 0; i < CLI_N_EXITS; i++)
    if (codes & CLI_EXIT_BIT (i))
      {
        g_string_append_printf (out, "  %u  ", cli_exit_codes[i].code);
        wrap (out, cli_exit_codes[i].help, 5, 5);
      }
}

static void
text_commands (GString                 *out,
               const CliCommand *const *table)
{
  g_string_append (out, "Commands:\n");
  for (guint i = 0; table[i] != NULL; i++)
    {
      /* A name longer than the column gets its summary on the next line. */
      if (strlen (table[i]->name) > 9)
        g_string_append_printf (out, "  %s\n%12s", table[i]->name, "");
      else
        g_string_append_printf (out, "  %-10s", table[i]->name);
      wrap (out, table[i]->summary, 12, 12);
    }
}

void
cli_print_usage (FILE *out)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_string_append (s, "Usage: kvmmig [-c URI] COMMAND [ARGUMENT...] [OPTION...]\n"
                      "       kvmmig --help | --version\n\n");
  text_paragraphs (s, cli_description, 0);
  g_string_append_c (s, '\n');
  text_commands (s, cli_commands);
  g_string_append (s, "\nOptions:\n");
  for (const CliOption *o = cli_global_options; o->long_name != NULL; o++)
    text_option (s, o, o->help);
  g_string_append_c (s, '\n');
  text_exit_codes (s, ~0u);
  for (const CliSection *section = cli_sections; section->title != NULL; section++)
    {
      g_string_append_printf (s, "\n%s:\n", section->title);
      text_paragraphs (s, section->body, 2);
    }
  g_string_append (s, "\nRun 'kvmmig COMMAND --help' for the options of a command; "
                      "see also kvmmig(1).\n");
  fputs (s->str, out);
  fflush (out);
}

static const CliOption help_option = {
  "help", 'h', NULL, "Show this help and exit."
};

/* Writes each of @command's own options with @write_option, in the order
 * --help and the man page list them: .options, --json, --help. */
static void
command_options (GString          *out,
                 const CliCommand *command,
                 void            (*write_option) (GString         *out,
                                                  const CliOption *option,
                                                  const char      *help))
{
  for (const CliOption *o = command->options; o && o->long_name != NULL; o++)
    write_option (out, o, o->help);
  if (command->json != NULL)
    write_option (out, cli_json_option, command->json);
  write_option (out, &help_option, help_option.help);
}

/* The names of @command's virsh options of @kind that it does not list
 * among its own, "--live, --p2p". */
static char *
virsh_names (const CliCommand *command,
             CliVirshKind      kind)
{
  GString *names = g_string_new (NULL);

  for (const CliVirshOption *v = command->virsh; v && v->long_name != NULL; v++)
    {
      gboolean own = FALSE;

      for (const CliOption *o = command->options; o && o->long_name != NULL && !own; o++)
        own = g_str_equal (o->long_name, v->long_name);
      if (v->kind == kind && !own)
        g_string_append_printf (names, "%s--%s", names->len ? ", " : "", v->long_name);
    }
  return g_string_free (names, FALSE);
}

void
cli_print_command_help (FILE             *out,
                        const char       *path,
                        const CliCommand *command)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_string_append_printf (s, "Usage: kvmmig %s %s\n\n%s.\n\n", path,
                          command->usage, command->summary);
  text_paragraphs (s, command->description, 0);
  if (command->subcommands != NULL)
    {
      g_string_append_c (s, '\n');
      text_commands (s, command->subcommands);
    }
  g_string_append (s, "\nOptions:\n");
  command_options (s, command, text_option);
  if (command->virsh != NULL)
    {
      g_autofree char *always = virsh_names (command, CLI_VIRSH_ALWAYS);
      g_autofree char *refused = virsh_names (command, CLI_VIRSH_REFUSED);
      g_autofree char *upper = g_ascii_strup (command->name, -1);
      g_autofree char *text = g_strdup_printf (
        "Also accepted, as virsh %s does them always: %s. Refused (exit code 2, "
        "with a message that names kvmmig's way): %s. GUEST and DESTURI may "
        "be given as --domain GUEST and --desturi URI. VIRSH %s OPTIONS in "
        "kvmmig(1) says what kvmmig does with each.",
        command->name, always, refused, upper);

      g_string_append_printf (s, "\nvirsh %s options:\n", command->name);
      text_paragraphs (s, text, 2);
    }
  if (command->group != NULL)
    {
      g_string_append_printf (s, "\n%s:\n", command->group->title);
      text_paragraphs (s, command->group->summary, 2);
      g_string_append_c (s, '\n');
      for (const CliOption *o = command->group->options; o->long_name != NULL; o++)
        text_option (s, o, o->help);
    }
  g_string_append_c (s, '\n');
  text_exit_codes (s, command->exit_codes);
  if (command->examples != NULL)
    {
      g_string_append (s, "\nExamples:\n");
      text_paragraphs (s, command->examples, 0);
    }
  fputs (s->str, out);
  fflush (out);
}

/* ------------------------------------------------------------------ */
/* roff                                                                 */

/* Escapes @text for roff: backslashes; a leading control character; and
 * the dashes of a word that starts with one (an option such as
 * --allow-postcopy, a minus sign): those are \-, so that they can be
 * typed as they are shown, while a hyphen inside a word (pre-flight) stays
 * a hyphen. */
static void
roff_escape (GString    *out,
             const char *text)
{
  gboolean in_option = FALSE;
  char prev = ' ';

  if (text[0] == '.' || text[0] == '\'')
    g_string_append (out, "\\&");
  for (const char *p = text; *p; p++)
    {
      if (*p == '-' && strchr (" \t\n([|\"/", prev) != NULL)
        in_option = TRUE;
      else if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        in_option = FALSE;

      if (*p == '\\')
        g_string_append (out, "\\e");
      else if (*p == '-' && in_option)
        g_string_append (out, "\\-");
      else
        g_string_append_c (out, *p);
      if (*p == '\n' && (p[1] == '.' || p[1] == '\''))
        g_string_append (out, "\\&");
      prev = *p;
    }
}

/* @text escaped, in the font @font ('B' bold, 'I' italic), then roman again. */
static void
roff_in_font (GString    *out,
              char        font,
              const char *text)
{
  g_string_append_printf (out, "\\f%c", font);
  roff_escape (out, text);
  g_string_append (out, "\\fR");
}

/* @text escaped, and the end of its line. */
static void
roff_line (GString    *out,
           const char *text)
{
  roff_escape (out, text);
  g_string_append_c (out, '\n');
}

static void
roff_paragraphs (GString    *out,
                 const char *text)
{
  g_auto(GStrv) paragraphs = g_strsplit (text, "\n\n", -1);

  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_string_append (out, ".PP\n");
      if (is_verbatim (paragraphs[i]))
        {
          g_string_append (out, ".nf\n");
          roff_escape (out, paragraphs[i]);
          g_string_append (out, "\n.fi\n");
        }
      else
        {
          g_autofree char *flat = g_strdup (paragraphs[i]);

          g_strdelimit (flat, "\n", ' ');
          roff_line (out, flat);
        }
    }
}

static void
roff_option (GString         *out,
             const CliOption *option,
             const char      *help)
{
  g_string_append (out, ".TP\n");
  if (option->short_name)
    g_string_append_printf (out, "\\fB\\-%c\\fR, ", option->short_name);
  {
    g_autofree char *name = g_strconcat ("--", option->long_name, NULL);

    roff_in_font (out, 'B', name);
  }
  if (option->arg)
    {
      g_string_append_c (out, ' ');
      roff_in_font (out, 'I', option->arg);
    }
  g_string_append_c (out, '\n');
  roff_line (out, help);
}

static void
roff_command (GString          *out,
              const char       *path,
              const CliCommand *command)
{
  g_autofree char *heading = g_strdup_printf ("kvmmig %s %s", path, command->usage);
  GString *codes = g_string_new (NULL);

  g_string_append (out, ".SS \"");
  roff_escape (out, heading);
  g_string_append (out, "\"\n");
  roff_paragraphs (out, command->description);

  command_options (out, command, roff_option);
  if (command->group != NULL)
    {
      g_autofree char *title = g_ascii_strup (command->group->title, -1);
      g_autofree char *lower = g_ascii_strdown (command->group->title, -1);

      g_string_append (out, ".PP\nIt also takes the ");
      roff_escape (out, lower);
      g_string_append (out, " (see ");
      roff_in_font (out, 'B', title);
      g_string_append (out, ").\n");
    }

  for (guint i = 0; i < CLI_N_EXITS; i++)
    if (command->exit_codes & CLI_EXIT_BIT (i))
      g_string_append_printf (codes, "%s%u", codes->len ? ", " : "", i);
  g_string_append_printf (out, ".PP\nExit status: %s (see \\fBEXIT STATUS\\fR).\n", codes->str);
  g_string_free (codes, TRUE);

  if (command->examples != NULL)
    {
      g_string_append (out, ".PP\nExamples:\n");
      roff_paragraphs (out, command->examples);
    }

  for (guint i = 0; command->subcommands && command->subcommands[i] != NULL; i++)
    {
      const CliCommand *sub = command->subcommands[i];
      g_autofree char *subpath = g_strdup_printf ("%s %s", path, sub->name);
      roff_command (out, subpath, sub);
    }
}

/* The table of every option of virsh's command and what kvmmig does with
 * it: VIRSH MIGRATE OPTIONS. */
static void
roff_virsh (GString          *out,
            const CliCommand *command)
{
  static const char *const labels[] = {
    [CLI_VIRSH_MAPPED] = "Mapped.",
    [CLI_VIRSH_ALWAYS] = "Accepted, always so.",
    [CLI_VIRSH_REFUSED] = "Refused:",
  };
  g_autofree char *upper = g_ascii_strup (command->name, -1);

  g_string_append_printf (out, ".SH \"VIRSH %s OPTIONS\"\n", upper);
  roff_paragraphs (out, command->virsh_intro);
  for (const CliVirshOption *v = command->virsh; v->long_name != NULL; v++)
    {
      g_autofree char *name = g_strconcat ("--", v->long_name, NULL);

      g_string_append (out, ".TP\n");
      roff_in_font (out, 'B', name);
      if (v->arg)
        {
          g_string_append_c (out, ' ');
          roff_in_font (out, 'I', v->arg);
        }
      g_string_append_printf (out, "\n%s ", labels[v->kind]);
      roff_escape (out, v->text);
      g_string_append (out, v->kind == CLI_VIRSH_REFUSED ? ".\n" : "\n");
    }
}

static void
roff_synopsis (GString                 *out,
               const char              *path,
               const CliCommand *const *table)
{
  for (guint i = 0; table[i] != NULL; i++)
    {
      const CliCommand *c = table[i];
      g_autofree char *name = g_strdup_printf ("%s%s%s", path ? path : "",
                                               path ? " " : "", c->name);
      if (c->subcommands != NULL)
        {
          roff_synopsis (out, name, c->subcommands);
          continue;
        }
      g_string_append (out, c->connect ? "\\fBkvmmig\\fR [\\fB\\-c\\fR \\fIURI\\fR] \\fB"
                                       : "\\fBkvmmig ");
      roff_escape (out, name);
      g_string_append (out, "\\fR ");
      roff_line (out, c->usage);
    }
}

/* The option groups the commands take (each once), in the order the
 * commands first take them. */
static void
add_option_groups (GPtrArray               *groups,
                   const CliCommand *const *table)
{
  for (guint i = 0; table[i] != NULL; i++)
    {
      if (table[i]->group != NULL && !g_ptr_array_find (groups, table[i]->group, NULL))
        g_ptr_array_add (groups, (gpointer) table[i]->group);
      if (table[i]->subcommands != NULL)
        add_option_groups (groups, table[i]->subcommands);
    }
}

static GPtrArray *
option_groups (void)
{
  GPtrArray *groups = g_ptr_array_new ();

  add_option_groups (groups, cli_commands);
  return groups;
}

void
cli_print_man (FILE *out)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GPtrArray) groups = NULL;

  g_string_append_printf (s,
                          ".\\\" kvmmig.1: made by `kvmmig --man` from the texts of cli/commands/\n"
                          ".\\\" and cli/kvmmig-manual.c; edit those files, not this one.\n"
                          ".TH KVMMIG 1 \"\" \"libkvmmig %u.%u.%u\" \"User Commands\"\n"
                          ".nh\n"
                          ".SH NAME\nkvmmig \\- ",
                          kvmmig_get_major_version (), kvmmig_get_minor_version (),
                          kvmmig_get_micro_version ());
  roff_escape (s, cli_name_line);
  g_string_append (s, "\n.SH SYNOPSIS\n.nf\n");
  roff_synopsis (s, NULL, cli_commands);
  g_string_append (s, "\\fBkvmmig \\-\\-help\\fR | \\fB\\-\\-version\\fR\n.fi\n");

  g_string_append (s, ".SH DESCRIPTION\n");
  roff_paragraphs (s, cli_description);

  g_string_append (s, ".SH COMMANDS\n");
  for (guint i = 0; cli_commands[i] != NULL; i++)
    roff_command (s, cli_commands[i]->name, cli_commands[i]);

  groups = option_groups ();
  for (guint i = 0; i < groups->len; i++)
    {
      const CliOptionGroup *group = g_ptr_array_index (groups, i);
      g_autofree char *title = g_ascii_strup (group->title, -1);

      g_string_append (s, ".SH \"");
      roff_escape (s, title);
      g_string_append (s, "\"\n");
      roff_paragraphs (s, group->description);
      for (const CliOption *o = group->options; o->long_name != NULL; o++)
        roff_option (s, o, o->help);
    }

  for (guint i = 0; cli_commands[i] != NULL; i++)
    if (cli_commands[i]->virsh != NULL)
      roff_virsh (s, cli_commands[i]);

  g_string_append (s, ".SH OPTIONS\n");
  for (const CliOption *o = cli_global_options; o->long_name != NULL; o++)
    roff_option (s, o, o->help);

  g_string_append (s, ".SH \"EXIT STATUS\"\n");
  for (guint i = 0; i < CLI_N_EXITS; i++)
    {
      g_string_append_printf (s, ".TP\n.B %u\n", cli_exit_codes[i].code);
      roff_escape (s, cli_exit_codes[i].help);
      g_string_append_c (s, '\n');
    }

  for (const CliSection *section = cli_sections; section->title != NULL; section++)
    {
      g_autofree char *title = g_ascii_strup (section->title, -1);

      g_string_append (s, ".SH \"");
      roff_escape (s, title);
      g_string_append (s, "\"\n");
      roff_paragraphs (s, section->body);
    }

  g_string_append (s, ".SH \"SEE ALSO\"\n"
                      ".BR virsh (1),\n"
                      ".BR libvirtd (8);\n"
                      "the libkvmmig API reference (Kvmmig\\-1.0).\n");
  fputs (s->str, out);
  fflush (out);
}
