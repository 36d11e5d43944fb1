/* kvmmig-cli-output.c: how every kvmmig command talks to the user: the
 * one-line error on stderr, the exit code an error maps to, the outcome of
 * a command that goes through several hosts, and the formats of sizes,
 * durations and enum values. JSON lines are in kvmmig-cli-json.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-cli.h"

#define MIB (1024.0 * 1024.0)
#define GIB (1024.0 * MIB)

/* ------------------------------------------------------------------ */
/* Errors                                                               */

char *
cli_one_line (const char *message)
{
  char *line = g_utf8_make_valid (message, -1);

  g_strdelimit (line, "\r\n", ' ');
  return line;
}

void
cli_error_line (const char *message)
{
  g_autofree char *line = cli_one_line (message);

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
    case KVMMIG_ERROR_HYPERVISOR_TOO_OLD:
    case KVMMIG_ERROR_MACHINE_TYPE_UNSUPPORTED:
    case KVMMIG_ERROR_NO_DISK_LOCKING:
    case KVMMIG_ERROR_NO_STORAGE_POOL:
    case KVMMIG_ERROR_DISK_NOT_COPYABLE:
    case KVMMIG_ERROR_CLUSTER_MANAGED:
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

/* The unit of @bytes, and its decimals: 2 for GiB, 1 below 100 MiB. */
static const char *
size_unit (guint64  bytes,
           double  *divisor,
           int     *decimals)
{
  if (bytes >= 1000 * MIB)
    {
      *divisor = GIB;
      *decimals = 2;
      return "GiB";
    }
  *divisor = MIB;
  *decimals = bytes / MIB >= 100 ? 0 : 1;
  return "MiB";
}

char *
cli_format_size (guint64 bytes)
{
  double divisor;
  int decimals;
  const char *unit = size_unit (bytes, &divisor, &decimals);

  return g_strdup_printf ("%.*f %s", decimals, bytes / divisor, unit);
}

char *
cli_format_size_of (guint64 done,
                    guint64 total)
{
  double divisor;
  int decimals;
  const char *unit = size_unit (total, &divisor, &decimals);

  return g_strdup_printf ("%.*f/%.*f %s", decimals, done / divisor, decimals, total / divisor,
                          unit);
}

char *
cli_format_downtime (gint64 ms)
{
  if (ms < 0)
    return g_strdup ("unknown");
  return g_strdup_printf ("%" G_GINT64_FORMAT " ms", ms);
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
