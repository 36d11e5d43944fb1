/* kvmmig-cli-json.c: the --json output of every command: one JSON object
 * a line on stdout (json-glib), each with a "type" member and the format's
 * version ("kvmmig_json": CLI_JSON_FORMAT), and the result object that ends
 * every --json run (command, exit_code, exit_name, error).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-cli.h"

/* ------------------------------------------------------------------ */
/* JSON                                                                 */

JsonBuilder *
cli_json_begin (const char *type)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "kvmmig_json");
  json_builder_add_int_value (builder, CLI_JSON_FORMAT);
  return builder;
}

void
cli_json_print (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

void
cli_json_string (JsonBuilder *builder,
                 const char  *name,
                 const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);
      json_builder_add_string_value (builder, valid);
    }
}

void
cli_json_int (JsonBuilder *builder,
              const char  *name,
              gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
cli_json_bool (JsonBuilder *builder,
               const char  *name,
               gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

void
cli_json_strv (JsonBuilder        *builder,
               const char         *name,
               const char * const *strv)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      g_autofree char *valid = g_utf8_make_valid (strv[i], -1);
      json_builder_add_string_value (builder, valid);
    }
  json_builder_end_array (builder);
}

void
cli_json_error (JsonBuilder  *builder,
                const GError *error)
{
  g_autofree char *message = NULL;
  const char *code = "failed";

  json_builder_set_member_name (builder, "error");
  if (error == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  if (error->domain == KVMMIG_ERROR)
    code = cli_enum_nick (KVMMIG_TYPE_ERROR, error->code);
  else if (error->domain == CLI_ERROR)
    code = "usage";
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    code = "cancelled";   /* as when the library's own code said so */

  message = cli_one_line (error->message);
  json_builder_begin_object (builder);
  cli_json_string (builder, "code", code);
  cli_json_string (builder, "message", message);
  json_builder_end_object (builder);
}

static void
json_result_members (JsonBuilder  *builder,
                     CliArgs      *args,
                     int           exit_code,
                     const GError *error)
{
  cli_json_string (builder, "command", args->path);
  cli_json_int (builder, "exit_code", exit_code);
  cli_json_string (builder, "exit_name", cli_exit_codes[exit_code].name);
  cli_json_error (builder, error);
}

/* The last line of every --json run; commands that add members build it
 * themselves with cli_json_result_begin(). */
void
cli_json_result (CliArgs      *args,
                 int           exit_code,
                 const GError *error)
{
  g_autoptr(JsonBuilder) builder = cli_json_result_begin (args, exit_code, error);

  cli_json_print (builder);
}

JsonBuilder *
cli_json_result_begin (CliArgs      *args,
                       int           exit_code,
                       const GError *error)
{
  JsonBuilder *builder = cli_json_begin ("result");

  json_result_members (builder, args, exit_code, error);
  return builder;
}
