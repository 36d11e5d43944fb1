/* kvmmig-cli-output.c: what every kvmmig command shares to talk to the user
 * and to the library: the one-line error on stderr and the exit code an
 * error maps to, JSON lines (json-glib), number formats, Ctrl-C handling
 * (g_unix_signal_add), and waiting for async calls on the main context.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <string.h>

#include <glib-unix.h>

#include "kvmmig-cli.h"

#define MIB (1024.0 * 1024.0)
#define GIB (1024.0 * MIB)

/* ------------------------------------------------------------------ */
/* Errors                                                               */

/* One line, valid UTF-8, whatever libvirt put in the message. */
static char *
one_line (const char *message)
{
  char *line = g_utf8_make_valid (message, -1);

  g_strdelimit (line, "\r\n", ' ');
  return line;
}

void
cli_error_line (const char *message)
{
  g_autofree char *line = one_line (message);

  fflush (stdout);
  fprintf (stderr, "kvmmig: %s\n", line);
  fflush (stderr);
}

void
cli_keep_first_error (GError  **first_error,
                      GError  **error,
                      int      *code)
{
  if (*first_error != NULL)
    {
      g_clear_error (error);
      return;
    }
  *code = cli_exit_for_error (*error);
  *first_error = g_steal_pointer (error);
}

void
cli_outcome_interrupted (GError  **first_error,
                         int      *code)
{
  g_clear_error (first_error);
  *first_error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                              "interrupted; nothing was changed");
  *code = CLI_EXIT_CANCELLED;
  cli_error_line ((*first_error)->message);
}

CliExit
cli_exit_for_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return CLI_EXIT_CANCELLED;
  if (error->domain == CLI_ERROR)
    return CLI_EXIT_USAGE;
  if (error->domain != KVMMIG_ERROR)
    return CLI_EXIT_FAILED;

  switch ((KvmmigError) error->code)
    {
    case KVMMIG_ERROR_INVALID_ARGUMENT:
      return CLI_EXIT_USAGE;

    case KVMMIG_ERROR_HOST_UNREACHABLE:
    case KVMMIG_ERROR_AUTH_FAILED:
    case KVMMIG_ERROR_NOT_OPEN:
    case KVMMIG_ERROR_CONNECTION_LOST:
      return CLI_EXIT_UNREACHABLE;

    /* What the pre-flight checks find. */
    case KVMMIG_ERROR_GUEST_NOT_FOUND:
    case KVMMIG_ERROR_GUEST_NOT_RUNNING:
    case KVMMIG_ERROR_GUEST_EXISTS:
    case KVMMIG_ERROR_INSUFFICIENT_MEMORY:
    case KVMMIG_ERROR_CPU_INCOMPATIBLE:
    case KVMMIG_ERROR_STORAGE_NOT_SHARED:
    case KVMMIG_ERROR_UNSAFE_CACHE:
    case KVMMIG_ERROR_POSTCOPY_UNSUPPORTED:
    case KVMMIG_ERROR_JOB_ACTIVE:
    case KVMMIG_ERROR_SAME_HOST:
      return CLI_EXIT_PREFLIGHT;

    case KVMMIG_ERROR_MIGRATION_FAILED:
    case KVMMIG_ERROR_TIMEOUT:
      return CLI_EXIT_MIGRATION_FAILED;

    case KVMMIG_ERROR_GUEST_LOST:
      return CLI_EXIT_GUEST_LOST;

    /* What stores and volumes refuse. */
    case KVMMIG_ERROR_STORE_UNREACHABLE:
    case KVMMIG_ERROR_STORE_IN_USE:
    case KVMMIG_ERROR_VOLUME_NOT_FOUND:
    case KVMMIG_ERROR_VOLUME_EXISTS:
    case KVMMIG_ERROR_VOLUME_IN_USE:
    case KVMMIG_ERROR_NO_SPACE:
      return CLI_EXIT_STORAGE;

    default:
      return CLI_EXIT_FAILED;
    }
}

int
cli_fail (CliArgs      *args,
          const GError *error)
{
  CliExit code = cli_exit_for_error (error);

  cli_error_line (error->message);
  if (args != NULL && args->json)
    cli_json_result (args, code, error);
  return code;
}

/* ------------------------------------------------------------------ */
/* Formats                                                              */

const char *
cli_enum_nick (GType type,
               int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);
  const char *nick = v ? v->value_nick : "unknown";

  /* Enum classes of the library stay alive once referenced. */
  g_type_class_unref (klass);
  return nick;
}

char *
cli_format_size (guint64 bytes)
{
  double mib = bytes / MIB;

  if (bytes >= 1000 * MIB)
    return g_strdup_printf ("%.2f GiB", bytes / GIB);
  if (mib >= 100)
    return g_strdup_printf ("%.0f MiB", mib);
  return g_strdup_printf ("%.1f MiB", mib);
}

char *
cli_format_duration (gint64 ms)
{
  if (ms < 0)
    return g_strdup ("?");
  if (ms < 10000)
    return g_strdup_printf ("%.1fs", ms / 1000.0);
  if (ms < 3600000)
    return g_strdup_printf ("%d:%02d", (int) (ms / 60000), (int) (ms / 1000 % 60));
  return g_strdup_printf ("%d:%02d:%02d", (int) (ms / 3600000),
                          (int) (ms / 60000 % 60), (int) (ms / 1000 % 60));
}

/* ------------------------------------------------------------------ */
/* JSON                                                                 */

JsonBuilder *
cli_json_begin (const char *type)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
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

  message = one_line (error->message);
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
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
               "interrupted before anything was migrated; nothing was changed");
}

void
cli_interrupt_remove (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (interrupt.sources); i++)
    g_clear_handle_id (&interrupt.sources[i], g_source_remove);
  g_clear_object (&interrupt.cancellable);
  interrupt.func = NULL;
}

/* ------------------------------------------------------------------ */
/* Async calls                                                          */

void
cli_store_result (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
cli_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

GPtrArray *
cli_open_hosts (GPtrArray     *uris,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < uris->len; i++)
    {
      KvmmigHost *host = cli_open_host (g_ptr_array_index (uris, i), cancellable, error);

      if (host == NULL)
        return NULL;
      g_ptr_array_add (hosts, host);
    }
  return g_steal_pointer (&hosts);
}

KvmmigHost *
cli_open_host (const char    *uri,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(KvmmigHost) host = kvmmig_host_new (uri);
  g_autoptr(GAsyncResult) result = NULL;

  kvmmig_host_open_async (host, cancellable, cli_store_result, &result);
  if (!kvmmig_host_open_finish (host, cli_wait (&result), error))
    return NULL;
  return g_steal_pointer (&host);
}
