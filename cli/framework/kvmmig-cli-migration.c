/* kvmmig-cli-migration.c: what the migration commands share: the guest and
 * hosts of a migration in kvmmig's form (GUEST --from URI --to URI) or
 * virsh's ([-c URI] GUEST DESTURI, the source libvirt's default URI
 * without -c) and the migration job they make (migrate, check), a
 * pre-flight check printed as text or JSON (migrate, check), and the one
 * parser of the migration options, kvmmig's (--bandwidth, --max-downtime,
 * --policy, --allow-postcopy, --abort-after, --timeout,
 * --postcopy-recovery-timeout, --no-persist, --keep-source, --tls,
 * --migration-uri, --require-disk-locking, --allow-cluster-managed, and those of the disk copy:
 * --copy-storage-pool, --reuse-destination-disks, --remove-source-disks)
 * and those of virsh migrate that map onto the library's (--persistent,
 * --undefinesource, --auto-converge, --postcopy, --postcopy-after-precopy,
 * --compressed, --comp-methods, --parallel, --parallel-connections,
 * --migrateuri, --copy-storage-all, --copy-storage-inc), with virsh's
 * defaults in virsh's form and kvmmig's in its own. migrate and evacuate
 * both use it, and check the disk copy's part alone: each command lists
 * the options it takes in its own table (with its own help texts), and
 * this parser checks those given.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "kvmmig-cli.h"

#define MAX_BANDWIDTH_MIB  1048576u           /* the library's ranges: 1 TiB/s */
#define MAX_DOWNTIME_MS    600000u            /* 10 minutes */
#define MAX_TIMEOUT_S      (G_MAXINT / 1000)
#define MAX_PARALLEL       255                /* the library's range */
#define VIRSH_PARALLEL     2                  /* QEMU's multifd-channels default */

/* ------------------------------------------------------------------ */
/* GUEST --from URI --to URI, the job, its checks                       */

static gboolean
not_together (CliArgs     *args,
              const char  *a,
              const char  *b,
              const char  *why,
              GError     **error)
{
  if (!cli_args_flag (args, a) || !cli_args_flag (args, b))
    return TRUE;
  g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, "--%s and --%s do not go together%s%s",
               a, b, why ? ": " : "", why ? why : "");
  return FALSE;
}

/* kvmmig's form: GUEST (or --domain GUEST) --from URI --to URI. */
static gboolean
kvmmig_form (CliArgs       *args,
             CliJobTarget  *target,
             GError       **error)
{
  const char *domain = cli_args_get (args, "domain");

  if (args->connect_given)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "-c and --%s do not go together: -c names the source of virsh's form, "
                   "kvmmig %s GUEST DESTURI; kvmmig's form takes it as --from URI",
                   cli_args_get (args, "from") ? "from" : "to", args->path);
      return FALSE;
    }
  if (!not_together (args, "desturi", "to", NULL, error))
    return FALSE;
  if (domain != NULL)
    {
      if (!cli_positional (args, 0, 0, "GUEST", error))
        return FALSE;
      target->guest = domain;
    }
  else
    {
      if (!cli_positional (args, 1, 1, "GUEST", error))
        return FALSE;
      target->guest = g_ptr_array_index (args->positional, 0);
    }
  if (!cli_require (args, "from", error) ||
      !cli_require (args, "to", error) ||
      !cli_check_host_uri ("from", cli_args_get (args, "from"), error) ||
      !cli_check_host_uri ("to", cli_args_get (args, "to"), error))
    return FALSE;
  target->source = cli_args_get (args, "from");
  target->destination = cli_args_get (args, "to");
  target->virsh_form = FALSE;
  return TRUE;
}

/* virsh's form: [-c URI] GUEST DESTURI, each also as --domain GUEST and
 * --desturi URI; positional arguments fill the slots not named, in order,
 * as virsh fills them. */
static gboolean
virsh_form (CliArgs       *args,
            CliJobTarget  *target,
            GError       **error)
{
  const char *slots[2] = { cli_args_get (args, "domain"), cli_args_get (args, "desturi") };
  const char *names[2] = { "GUEST", "DESTURI" };
  guint next = 0;

  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      if (slots[i] != NULL)
        continue;
      if (next < args->positional->len)
        slots[i] = g_ptr_array_index (args->positional, next++);
      else
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "missing %s: give GUEST DESTURI (virsh's form; the source is -c URI "
                       "or libvirt's default URI) or GUEST --from URI --to URI (see 'kvmmig "
                       "%s --help')", names[i], args->path);
          return FALSE;
        }
    }
  if (next < args->positional->len)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "unexpected argument '%s' (kvmmig takes GUEST DESTURI only; virsh's "
                   "migrateuri is --migrateuri URI here; see 'kvmmig %s --help')",
                   (const char *) g_ptr_array_index (args->positional, next), args->path);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    if (slots[i][0] == '\0')
      {
        g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, "empty %s (see 'kvmmig %s --help')",
                     names[i], args->path);
        return FALSE;
      }
  if (!cli_check_host_uri (NULL, slots[1], error) ||
      (args->connect != NULL && !cli_check_host_uri (NULL, args->connect, error)))
    return FALSE;
  target->guest = slots[0];
  target->source = args->connect;
  target->destination = slots[1];
  target->virsh_form = TRUE;
  return TRUE;
}

gboolean
cli_check_job_args (CliArgs       *args,
                    CliJobTarget  *target,
                    GError       **error)
{
  memset (target, 0, sizeof *target);
  if (cli_args_flag (args, "from") || cli_args_flag (args, "to"))
    return kvmmig_form (args, target, error);
  return virsh_form (args, target, error);
}

KvmmigMigrationJob *
cli_open_job (const CliJobTarget  *target,
              GCancellable        *cancellable,
              GError             **error)
{
  g_autoptr(KvmmigHost) source = NULL;
  g_autoptr(KvmmigHost) destination = NULL;

  source = cli_open_host (target->source, cancellable, error);
  if (source != NULL)
    destination = cli_open_host (target->destination, cancellable, error);
  if (destination == NULL)
    {
      cli_interrupted_error (error);
      return NULL;
    }
  return kvmmig_migration_job_new (source, destination, target->guest);
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
check_migration_uri (const char  *option,
                     const char  *value,
                     GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

  if (uri != NULL && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0' &&
      (g_strcmp0 (scheme, "tcp") == 0 || g_strcmp0 (scheme, "rdma") == 0))
    return TRUE;

  g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
               "--%s: '%s' is not of the form tcp://ADDRESS[:PORT] "
               "(or rdma://ADDRESS[:PORT])", option, value);
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

/* The policy from --policy and virsh's --auto-converge, --postcopy and
 * --postcopy-after-precopy; @policy holds the form's default. */
static gboolean
parse_policy_options (CliArgs              *args,
                      CliMigrationOptions  *o,
                      GError              **error)
{
  const char *value = cli_args_get (args, "policy");
  gboolean given = value != NULL;
  gboolean postcopy = cli_args_flag (args, "postcopy");
  gboolean after_precopy = cli_args_flag (args, "postcopy-after-precopy");

  if (given && !parse_policy (value, &o->policy, error))
    return FALSE;

  if (after_precopy && !postcopy)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--postcopy-after-precopy needs --postcopy (as in virsh)");
      return FALSE;
    }
  if (postcopy && after_precopy)
    {
      /* virsh: switch to post-copy after the first pre-copy pass. */
      if (given && o->policy != KVMMIG_MIGRATION_POLICY_POSTCOPY)
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "--postcopy-after-precopy does not go with --policy %s (it is "
                       "--policy postcopy)", value);
          return FALSE;
        }
      o->policy = KVMMIG_MIGRATION_POLICY_POSTCOPY;
      return TRUE;
    }

  if (cli_args_flag (args, "auto-converge"))
    {
      if (given && o->policy != KVMMIG_MIGRATION_POLICY_AUTO)
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "--auto-converge does not go with --policy %s (it is --policy auto)",
                       value);
          return FALSE;
        }
      o->policy = KVMMIG_MIGRATION_POLICY_AUTO;
    }

  /* --postcopy alone (virsh: post-copy allowed, switched to by virsh
   * migrate-postcopy) and --allow-postcopy: the auto policy switches. */
  o->allow_postcopy = postcopy || cli_args_flag (args, "allow-postcopy");
  if (o->allow_postcopy)
    {
      const char *option = postcopy ? "--postcopy" : "--allow-postcopy";

      if (given && o->policy == KVMMIG_MIGRATION_POLICY_PRECOPY)
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "%s does not go with --policy precopy, which never "
                       "switches to post-copy (use --policy auto or postcopy)", option);
          return FALSE;
        }
      /* virsh's form starts from plain pre-copy, which never switches. */
      if (!given && o->policy == KVMMIG_MIGRATION_POLICY_PRECOPY)
        o->policy = KVMMIG_MIGRATION_POLICY_AUTO;
    }
  return TRUE;
}

/* virsh's --compressed [--comp-methods LIST], --parallel
 * [--parallel-connections N]. */
static gboolean
parse_transfer_options (CliArgs              *args,
                        CliMigrationOptions  *o,
                        GError              **error)
{
  const char *methods = cli_args_get (args, "comp-methods");
  const char *value;
  gboolean parallel = cli_args_flag (args, "parallel");

  o->parallel_connections = parallel ? VIRSH_PARALLEL : 0;
  if ((value = cli_args_get (args, "parallel-connections")))
    {
      guint64 n;

      if (!parallel)
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "--parallel-connections needs --parallel (as in virsh)");
          return FALSE;
        }
      if (!cli_parse_uint ("parallel-connections", value, 2, MAX_PARALLEL, "connections",
                           &n, error))
        return FALSE;
      o->parallel_connections = (guint) n;
    }

  o->compression = KVMMIG_COMPRESSION_NONE;
  if (methods != NULL && !cli_args_flag (args, "compressed"))
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--comp-methods needs --compressed (as in virsh)");
      return FALSE;
    }
  if (!cli_args_flag (args, "compressed"))
    return TRUE;

  if (methods == NULL)
    {
      /* QEMU's default: xbzrle, and none over parallel connections. */
      if (parallel)
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "--compressed with --parallel needs --comp-methods zstd: QEMU has no "
                       "default method for parallel migration (as virsh says)");
          return FALSE;
        }
      o->compression = KVMMIG_COMPRESSION_XBZRLE;
      return TRUE;
    }

  if (g_str_equal (methods, "xbzrle"))
    o->compression = KVMMIG_COMPRESSION_XBZRLE;
  else if (g_str_equal (methods, "zstd"))
    {
      if (!parallel)
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "--comp-methods zstd needs --parallel: QEMU compresses with zstd over "
                       "parallel connections only");
          return FALSE;
        }
      o->compression = KVMMIG_COMPRESSION_ZSTD;
    }
  else if (strchr (methods, ',') != NULL)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--comp-methods: '%s': kvmmig takes one method, xbzrle or zstd (with "
                   "--parallel)", methods);
      return FALSE;
    }
  else if (g_str_equal (methods, "zlib") || g_str_equal (methods, "mt"))
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--comp-methods: kvmmig does not offer %s compression%s; use "
                   "--comp-methods zstd with --parallel, or xbzrle", methods,
                   g_str_equal (methods, "mt") ? " (QEMU 10 no longer has it)" : "");
      return FALSE;
    }
  else
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--comp-methods: '%s' is not one of xbzrle, zstd", methods);
      return FALSE;
    }
  return TRUE;
}

/* --abort-after s|none, and --timeout: kvmmig's abort in kvmmig's form;
 * virsh's --timeout suspends the guest, which kvmmig never does. */
static gboolean
parse_timeout (CliArgs              *args,
               gboolean              virsh_form,
               CliMigrationOptions  *o,
               GError              **error)
{
  const char *option = "abort-after";
  const char *value = cli_args_get (args, option);
  guint64 seconds;

  if (cli_args_flag (args, "timeout"))
    {
      if (virsh_form)
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "--timeout: virsh's --timeout suspends the guest when the time is up "
                       "so that the migration completes, and kvmmig never suspends a guest; "
                       "give --abort-after SEC to abort the migration after SEC seconds "
                       "instead (the guest keeps running on the source), or --auto-converge "
                       "or --postcopy to make it converge");
          return FALSE;
        }
      if (!not_together (args, "timeout", "abort-after",
                         "in this form --timeout is --abort-after", error))
        return FALSE;
      option = "timeout";
      value = cli_args_get (args, option);
    }

  /* virsh has no time limit; kvmmig's own form has its automatic one. */
  o->timeout_ms = virsh_form ? -1 : 0;
  if (value == NULL)
    return TRUE;
  if (g_str_equal (value, "none"))
    o->timeout_ms = -1;
  else if (cli_parse_uint (option, value, 1, MAX_TIMEOUT_S, "seconds", &seconds, NULL))
    o->timeout_ms = (int) (seconds * 1000);
  else
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--%s: '%s' is not a whole number of seconds from 1 to %d, or none",
                   option, value, MAX_TIMEOUT_S);
      return FALSE;
    }
  return TRUE;
}

/* Where the guest is defined afterwards: virsh's defaults in its form
 * (transient on the destination, still defined on the source), kvmmig's in
 * its own (defined on the destination only). */
static gboolean
parse_definition (CliArgs              *args,
                  gboolean              virsh_form,
                  CliMigrationOptions  *o,
                  GError              **error)
{
  if (!not_together (args, "persistent", "no-persist", NULL, error) ||
      !not_together (args, "undefinesource", "keep-source", NULL, error))
    return FALSE;

  if (virsh_form)
    {
      o->persistent = cli_args_flag (args, "persistent");
      o->undefine_source = cli_args_flag (args, "undefinesource");
    }
  else
    {
      /* Not defined on the destination: keep the definition on the
       * source, or the guest would be defined nowhere (unless asked). */
      o->persistent = !cli_args_flag (args, "no-persist");
      o->undefine_source = cli_args_flag (args, "undefinesource") ||
                           (o->persistent && !cli_args_flag (args, "keep-source"));
    }
  return TRUE;
}

gboolean
cli_copy_storage_options_parse (CliArgs                *args,
                                CliCopyStorageOptions  *o,
                                GError                **error)
{
  static const char *const needs_copy[] = {
    "copy-storage-pool", "reuse-destination-disks", "remove-source-disks",
  };

  memset (o, 0, sizeof *o);
  if (!not_together (args, "copy-storage-all", "copy-storage-inc",
                     "--copy-storage-all copies each disk whole, --copy-storage-inc "
                     "only what its top image holds; give one", error))
    return FALSE;
  if (cli_args_flag (args, "copy-storage-all"))
    o->copy = KVMMIG_STORAGE_COPY_ALL;
  else if (cli_args_flag (args, "copy-storage-inc"))
    o->copy = KVMMIG_STORAGE_COPY_INCREMENTAL;
  else
    for (guint i = 0; i < G_N_ELEMENTS (needs_copy); i++)
      if (cli_args_flag (args, needs_copy[i]))
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "--%s needs --copy-storage-all or --copy-storage-inc: without "
                       "one, no disk is copied", needs_copy[i]);
          return FALSE;
        }

  o->pool = cli_args_get (args, "copy-storage-pool");
  if (o->pool != NULL && o->pool[0] == '\0')
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--copy-storage-pool: empty pool name (leave the option out to let "
                   "kvmmig choose the pool)");
      return FALSE;
    }
  o->reuse_destination_disks = cli_args_flag (args, "reuse-destination-disks");
  o->remove_source_disks = cli_args_flag (args, "remove-source-disks");
  return TRUE;
}

void
cli_copy_storage_options_apply_to_job (const CliCopyStorageOptions *o,
                                       KvmmigMigrationJob          *job)
{
  kvmmig_migration_job_set_copy_storage (job, o->copy);
  kvmmig_migration_job_set_copy_storage_pool (job, o->pool);
  kvmmig_migration_job_set_reuse_destination_disks (job, o->reuse_destination_disks);
  kvmmig_migration_job_set_remove_source_disks (job, o->remove_source_disks);
}

gboolean
cli_migration_options_parse (CliArgs              *args,
                             gboolean              virsh_form,
                             CliMigrationOptions  *o,
                             GError              **error)
{
  const char *value;

  o->bandwidth = 0;
  o->max_downtime = 0;
  o->policy = virsh_form ? KVMMIG_MIGRATION_POLICY_PRECOPY : KVMMIG_MIGRATION_POLICY_AUTO;
  o->allow_postcopy = FALSE;
  o->recovery_timeout_ms = -1;
  o->tls = cli_args_flag (args, "tls");
  o->require_disk_locking = cli_args_flag (args, "require-disk-locking");
  o->allow_cluster_managed = cli_args_flag (args, "allow-cluster-managed");

  if ((value = cli_args_get (args, "bandwidth")) &&
      !cli_parse_uint ("bandwidth", value, 0, MAX_BANDWIDTH_MIB, "MiB/s", &o->bandwidth, error))
    return FALSE;

  if ((value = cli_args_get (args, "max-downtime")) &&
      !cli_parse_uint ("max-downtime", value, 1, MAX_DOWNTIME_MS, "ms", &o->max_downtime, error))
    return FALSE;

  if (!parse_policy_options (args, o, error) ||
      !parse_timeout (args, virsh_form, o, error) ||
      !parse_definition (args, virsh_form, o, error) ||
      !parse_transfer_options (args, o, error) ||
      !cli_copy_storage_options_parse (args, &o->copy, error))
    return FALSE;

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
                       "--allow-postcopy, --postcopy or --policy postcopy");
          return FALSE;
        }
      o->recovery_timeout_ms = (int) (seconds * 1000);
    }

  o->migration_uri = cli_args_get (args, "migration-uri");
  if (o->migration_uri != NULL && !check_migration_uri ("migration-uri", o->migration_uri, error))
    return FALSE;
  if ((value = cli_args_get (args, "migrateuri")))
    {
      if (!check_migration_uri ("migrateuri", value, error))
        return FALSE;
      if (o->migration_uri != NULL && !g_str_equal (o->migration_uri, value))
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "--migrateuri and --migration-uri are the same option, given two URIs");
          return FALSE;
        }
      o->migration_uri = value;
    }

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
  kvmmig_migration_job_set_persistent (job, o->persistent);
  kvmmig_migration_job_set_undefine_source (job, o->undefine_source);
  kvmmig_migration_job_set_tls (job, o->tls);
  kvmmig_migration_job_set_require_disk_locking (job, o->require_disk_locking);
  kvmmig_migration_job_set_allow_cluster_managed (job, o->allow_cluster_managed);
  kvmmig_migration_job_set_compression (job, o->compression);
  kvmmig_migration_job_set_parallel_connections (job, (int) o->parallel_connections);
  kvmmig_migration_job_set_migration_uri (job, o->migration_uri);
  cli_copy_storage_options_apply_to_job (&o->copy, job);
}

void
cli_json_job_options (JsonBuilder        *b,
                      KvmmigMigrationJob *job)
{
  cli_json_string (b, "policy", cli_enum_nick (KVMMIG_TYPE_MIGRATION_POLICY,
                                               kvmmig_migration_job_get_policy (job)));
  cli_json_bool (b, "allow_postcopy", kvmmig_migration_job_get_allow_postcopy (job));
  cli_json_int (b, "bandwidth_limit", kvmmig_migration_job_get_bandwidth_limit (job));
  cli_json_int (b, "max_downtime_ms", kvmmig_migration_job_get_max_downtime_ms (job));
  cli_json_int (b, "completion_timeout_ms",
                kvmmig_migration_job_get_completion_timeout_ms (job));
  cli_json_int (b, "postcopy_recovery_timeout_ms",
                kvmmig_migration_job_get_postcopy_recovery_timeout_ms (job));
  cli_json_bool (b, "persistent", kvmmig_migration_job_get_persistent (job));
  cli_json_bool (b, "undefine_source", kvmmig_migration_job_get_undefine_source (job));
  cli_json_bool (b, "tls", kvmmig_migration_job_get_tls (job));
  cli_json_string (b, "compression", cli_enum_nick (KVMMIG_TYPE_COMPRESSION,
                                                    kvmmig_migration_job_get_compression (job)));
  cli_json_int (b, "parallel_connections", kvmmig_migration_job_get_parallel_connections (job));
  cli_json_string (b, "migration_uri", kvmmig_migration_job_get_migration_uri (job));
  cli_json_bool (b, "require_disk_locking", kvmmig_migration_job_get_require_disk_locking (job));
  cli_json_bool (b, "allow_cluster_managed", kvmmig_migration_job_get_allow_cluster_managed (job));
  cli_json_string (b, "copy_storage", cli_enum_nick (KVMMIG_TYPE_STORAGE_COPY,
                                                     kvmmig_migration_job_get_copy_storage (job)));
  cli_json_string (b, "copy_storage_pool", kvmmig_migration_job_get_copy_storage_pool (job));
  cli_json_bool (b, "reuse_destination_disks",
                 kvmmig_migration_job_get_reuse_destination_disks (job));
  cli_json_bool (b, "remove_source_disks", kvmmig_migration_job_get_remove_source_disks (job));
}

void
cli_migration_options_apply_to_evacuation (const CliMigrationOptions *o,
                                           KvmmigEvacuation          *evacuation)
{
  kvmmig_evacuation_set_bandwidth_limit (evacuation, (guint) o->bandwidth);
  kvmmig_evacuation_set_allow_postcopy (evacuation, o->allow_postcopy);
  kvmmig_evacuation_set_policy (evacuation, o->policy);
  kvmmig_evacuation_set_tls (evacuation, o->tls);
  kvmmig_evacuation_set_require_disk_locking (evacuation, o->require_disk_locking);
  kvmmig_evacuation_set_allow_cluster_managed (evacuation, o->allow_cluster_managed);
}
