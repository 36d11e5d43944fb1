/* kvmmig-cli-migration.c: what the migration commands share: GUEST
 * --from URI --to URI and the migration job they make (migrate, check), a
 * pre-flight check printed as text or JSON (migrate, check), and the one
 * parser of the migration options (--bandwidth, --max-downtime, --policy,
 * --allow-postcopy, --timeout, --postcopy-recovery-timeout, --no-persist,
 * --keep-source, --tls, --migration-uri), which migrate and evacuate both
 * use: each command lists the options it takes in its own table (with its
 * own help texts), and this parser checks those given.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-cli.h"

#define MAX_BANDWIDTH_MIB  1048576u           /* the library's ranges: 1 TiB/s */
#define MAX_DOWNTIME_MS    600000u            /* 10 minutes */
#define MAX_TIMEOUT_S      (G_MAXINT / 1000)

/* ------------------------------------------------------------------ */
/* GUEST --from URI --to URI, the job, its checks                       */

gboolean
cli_check_job_args (CliArgs  *args,
                    GError  **error)
{
  return cli_positional (args, 1, 1, "GUEST", error) &&
         cli_require (args, "from", error) &&
         cli_require (args, "to", error) &&
         cli_check_host_uri ("from", cli_args_get (args, "from"), error) &&
         cli_check_host_uri ("to", cli_args_get (args, "to"), error);
}

KvmmigMigrationJob *
cli_open_job (CliArgs       *args,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(KvmmigHost) source = NULL;
  g_autoptr(KvmmigHost) destination = NULL;

  source = cli_open_host (cli_args_get (args, "from"), cancellable, error);
  if (source != NULL)
    destination = cli_open_host (cli_args_get (args, "to"), cancellable, error);
  if (destination == NULL)
    {
      cli_interrupted_error (error);
      return NULL;
    }
  return kvmmig_migration_job_new (source, destination,
                                   g_ptr_array_index (args->positional, 0));
}

const char *
cli_job_guest_host (KvmmigMigrationJob *job)
{
  switch (kvmmig_migration_job_get_guest_location (job))
    {
    case KVMMIG_GUEST_LOCATION_SOURCE:
      return kvmmig_host_get_uri (kvmmig_migration_job_get_source (job));
    case KVMMIG_GUEST_LOCATION_DESTINATION:
      return kvmmig_host_get_uri (kvmmig_migration_job_get_destination (job));
    default:
      return NULL;
    }
}

static const char *
status_word (KvmmigCheckStatus status)
{
  switch (status)
    {
    case KVMMIG_CHECK_STATUS_PASSED:  return "pass";
    case KVMMIG_CHECK_STATUS_WARNING: return "warning";
    case KVMMIG_CHECK_STATUS_FAILED:  return "fail";
    case KVMMIG_CHECK_STATUS_SKIPPED: return "skipped";
    default:                          return "?";
    }
}

void
cli_print_check (FILE        *out,
                 KvmmigCheck *check)
{
  fprintf (out, "  %-8s %s\n", status_word (kvmmig_check_get_status (check)),
           kvmmig_check_get_title (check));
  fprintf (out, "  %-8s %s\n", "", kvmmig_check_get_message (check));
}

void
cli_json_check (KvmmigCheck *check)
{
  g_autoptr(JsonBuilder) b = cli_json_begin ("check");

  cli_json_string (b, "id", kvmmig_check_get_id (check));
  cli_json_string (b, "title", kvmmig_check_get_title (check));
  cli_json_string (b, "status", cli_enum_nick (KVMMIG_TYPE_CHECK_STATUS,
                                               kvmmig_check_get_status (check)));
  cli_json_string (b, "message", kvmmig_check_get_message (check));
  cli_json_error (b, kvmmig_check_get_error (check));
  cli_json_print (b);
}

/* ------------------------------------------------------------------ */
/* The migration options                                                */

static gboolean
check_migration_uri (const char  *value,
                     GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

  if (uri != NULL && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0' &&
      (g_strcmp0 (scheme, "tcp") == 0 || g_strcmp0 (scheme, "rdma") == 0))
    return TRUE;

  g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
               "--migration-uri: '%s' is not of the form tcp://ADDRESS[:PORT] "
               "(or rdma://ADDRESS[:PORT])", value);
  return FALSE;
}

static gboolean
parse_policy (const char             *value,
              KvmmigMigrationPolicy  *policy,
              GError                **error)
{
  if (g_str_equal (value, "auto"))
    *policy = KVMMIG_MIGRATION_POLICY_AUTO;
  else if (g_str_equal (value, "precopy"))
    *policy = KVMMIG_MIGRATION_POLICY_PRECOPY;
  else if (g_str_equal (value, "postcopy"))
    *policy = KVMMIG_MIGRATION_POLICY_POSTCOPY;
  else
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--policy: '%s' is not one of auto, precopy, postcopy", value);
      return FALSE;
    }
  return TRUE;
}

gboolean
cli_migration_options_parse (CliArgs              *args,
                             CliMigrationOptions  *o,
                             GError              **error)
{
  const char *value;

  o->bandwidth = 0;
  o->max_downtime = 0;
  o->policy = KVMMIG_MIGRATION_POLICY_AUTO;
  o->allow_postcopy = cli_args_flag (args, "allow-postcopy");
  o->timeout_ms = 0;
  o->recovery_timeout_ms = -1;
  o->persistent = !cli_args_flag (args, "no-persist");
  o->keep_source = cli_args_flag (args, "keep-source");
  o->tls = cli_args_flag (args, "tls");
  o->migration_uri = cli_args_get (args, "migration-uri");

  if ((value = cli_args_get (args, "bandwidth")) &&
      !cli_parse_uint ("bandwidth", value, 0, MAX_BANDWIDTH_MIB, "MiB/s", &o->bandwidth, error))
    return FALSE;

  if ((value = cli_args_get (args, "max-downtime")) &&
      !cli_parse_uint ("max-downtime", value, 1, MAX_DOWNTIME_MS, "ms", &o->max_downtime, error))
    return FALSE;

  if ((value = cli_args_get (args, "policy")) && !parse_policy (value, &o->policy, error))
    return FALSE;

  if (o->allow_postcopy && o->policy == KVMMIG_MIGRATION_POLICY_PRECOPY)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--allow-postcopy does not go with --policy precopy, which never "
                   "switches to post-copy (use --policy auto or postcopy)");
      return FALSE;
    }

  if ((value = cli_args_get (args, "timeout")))
    {
      guint64 seconds;

      if (g_str_equal (value, "none"))
        o->timeout_ms = -1;
      else if (cli_parse_uint ("timeout", value, 1, MAX_TIMEOUT_S, "seconds", &seconds, NULL))
        o->timeout_ms = (int) (seconds * 1000);
      else
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "--timeout: '%s' is not a whole number of seconds from 1 to %d, "
                       "or none", value, MAX_TIMEOUT_S);
          return FALSE;
        }
    }

  if ((value = cli_args_get (args, "postcopy-recovery-timeout")))
    {
      guint64 seconds;

      if (!cli_parse_uint ("postcopy-recovery-timeout", value, 0, MAX_TIMEOUT_S, "seconds",
                           &seconds, error))
        return FALSE;
      if (o->policy != KVMMIG_MIGRATION_POLICY_POSTCOPY && !o->allow_postcopy)
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "--postcopy-recovery-timeout applies to post-copy only: give it with "
                       "--allow-postcopy or --policy postcopy");
          return FALSE;
        }
      o->recovery_timeout_ms = (int) (seconds * 1000);
    }

  if (o->migration_uri != NULL && !check_migration_uri (o->migration_uri, error))
    return FALSE;

  return TRUE;
}

void
cli_migration_options_apply_to_job (const CliMigrationOptions *o,
                                    KvmmigMigrationJob        *job)
{
  kvmmig_migration_job_set_bandwidth_limit (job, (int) o->bandwidth);
  if (o->max_downtime > 0)
    kvmmig_migration_job_set_max_downtime_ms (job, (int) o->max_downtime);
  kvmmig_migration_job_set_policy (job, o->policy);
  kvmmig_migration_job_set_allow_postcopy (job, o->allow_postcopy);
  kvmmig_migration_job_set_completion_timeout_ms (job, o->timeout_ms);
  if (o->recovery_timeout_ms >= 0)
    kvmmig_migration_job_set_postcopy_recovery_timeout_ms (job, o->recovery_timeout_ms);
  if (!o->persistent)
    {
      /* Not defined on the destination: keep the definition on the
       * source, or the guest would be defined nowhere. */
      kvmmig_migration_job_set_persistent (job, FALSE);
      kvmmig_migration_job_set_undefine_source (job, FALSE);
    }
  if (o->keep_source)
    kvmmig_migration_job_set_undefine_source (job, FALSE);
  kvmmig_migration_job_set_tls (job, o->tls);
  kvmmig_migration_job_set_migration_uri (job, o->migration_uri);
}

void
cli_migration_options_apply_to_evacuation (const CliMigrationOptions *o,
                                           KvmmigEvacuation          *evacuation)
{
  kvmmig_evacuation_set_bandwidth_limit (evacuation, (guint) o->bandwidth);
  kvmmig_evacuation_set_allow_postcopy (evacuation, o->allow_postcopy);
  kvmmig_evacuation_set_policy (evacuation, o->policy);
  kvmmig_evacuation_set_tls (evacuation, o->tls);
}
