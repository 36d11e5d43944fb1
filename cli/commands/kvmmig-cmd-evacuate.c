/* kvmmig-cmd-evacuate.c: `kvmmig evacuate --from URI --to URI [--to URI...]`:
 * every running guest of a host migrated away with a KvmmigEvacuation,
 * with one aggregate progress line (guests moved, failed and in all, the
 * aggregate percent, each migration under way), a line as each migration
 * starts and ends, and a per-guest summary that says where each guest
 * runs. Ctrl-C cancels the whole evacuation.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "kvmmig-cli.h"

#define MAX_CONCURRENCY    64                 /* the library's range */
#define PLAIN_INTERVAL_MS  5000               /* off a terminal */
#define JSON_INTERVAL_US   (250 * 1000)       /* at most four a second */

/* ------------------------------------------------------------------ */
/* The command: its options and texts (--help and kvmmig.1)             */

static int cmd_evacuate (CliArgs *args);

static const CliOption evacuate_options[] = {
  { "from", 'f', "URI",
    "The host to empty (required)." },
  { "to", 't', "URI",
    "A host its guests may go to (required; give --to several times for "
    "several destinations)." },
  { "max-per-source", 0, "N",
    "The most migrations out of the --from host at once (1 to 64; "
    "default 2)." },
  { "max-per-destination", 0, "N",
    "The most migrations into any one destination at once (1 to 64; "
    "default 2)." },
  { "bandwidth", 0, "MiB/s",
    "The most bandwidth each migration may use, in MiB/s (a whole number "
    "from 0 to 1048576; 0, the default, for no limit)." },
  { "policy", 0, "auto|precopy|postcopy",
    "How each migration is driven to completion, as kvmmig migrate "
    "--policy (default auto)." },
  { "allow-postcopy", 0, NULL,
    "Let each migration switch to post-copy when it stops converging (see "
    "kvmmig migrate --help: if a host or the link fails during post-copy, "
    "that guest is lost). Not with --policy precopy." },
  { "tls", 0, NULL,
    "Encrypt each migration stream with TLS; every libvirt daemon involved "
    "needs TLS certificates. An evacuation moves all of a host's guests: "
    "use it unless the network between the hosts is trusted." },
  { "require-disk-locking", 0, NULL,
    "Fail a guest's pre-flight check disk-locking, instead of warning, when "
    "a host has no libvirt lock manager for its shared disks (see kvmmig "
    "migrate --help); that guest stays on the source." },
  { "allow-cluster-managed", 0, NULL,
    "Migrate guests that a Pacemaker cluster manages too; without it each "
    "fails its pre-flight check cluster-managed and stays on the source "
    "(empty a cluster node with crm_attribute --node NODE --name standby "
    "--update on instead; see doc/cluster.md)." },
  { NULL }
};

const CliCommand cli_command_evacuate = {
  .name = "evacuate",
  .usage = "--from URI --to URI [--to URI...] [OPTION...]",
  .summary = "Move every running guest off a host",
  .description =
    "Empties the host --from before maintenance: migrates every guest "
    "running there to the --to hosts, largest guest first, a few at a time "
    "(--max-per-source, --max-per-destination). Each guest goes to the "
    "destination with the most free memory that passes its pre-flight "
    "checks; a destination that fails a check of its own (memory, CPU, "
    "storage, a guest of that name) is skipped for that guest and the next "
    "one is tried. A guest that cannot be moved does not stop the others. "
    "Guests that are not running (shut off, paused) are left where they "
    "are.\n"
    "\n"
    "On a terminal, a progress line is updated in place: the guests moved, "
    "failed and in all, the aggregate progress (weighted by guest memory), "
    "and each migration under way with its progress and destination. A "
    "line is printed above it as each migration starts and ends, and at the "
    "end a summary lists every guest: moved to which host, or not moved, "
    "where it runs, and why. Off a terminal, progress lines are printed at "
    "most one every 5 seconds.\n"
    "\n"
    "kvmmig evacuate exits 0 only if every running guest was moved; 5 if "
    "some were not and each of them still runs on the source; 7 if a guest "
    "does not run on the source after its migration failed (look at it); 6 "
    "when cancelled. Ctrl-C cancels the whole evacuation: the migrations "
    "under way are aborted (their guests keep running on the source), no "
    "more are started, and the summary says where each guest runs. A "
    "migration already in post-copy completes.",
  .options = evacuate_options,
  .json =
    "Print one JSON object a line: state changes, aggregate progress "
    "(evacuation), each guest as its migration starts and ends (guest), "
    "then a result object with every guest's outcome.",
  .exit_codes = CLI_EXIT_BITS_HOSTS | CLI_EXIT_BIT (CLI_EXIT_MIGRATION_FAILED) |
                CLI_EXIT_BIT (CLI_EXIT_GUEST_LOST),
  .examples =
    "  kvmmig evacuate --from qemu+ssh://root@node1/system --to qemu+ssh://root@node2/system\n"
    "  kvmmig evacuate -f qemu+ssh://root@node1/system -t qemu+ssh://root@node2/system \\\n"
    "      -t qemu+tls://node3/system --max-per-source 4 --bandwidth 200",
  .handler = cmd_evacuate,
};

/* ------------------------------------------------------------------ */
/* The state of an evacuation                                           */

typedef struct _Evacuate Evacuate;

/* One guest's migration, from its job-started on. */
typedef struct
{
  Evacuate *e;
  KvmmigMigrationJob *job;
  char *destination;              /* its URI */
  gboolean migrating;             /* the migration itself started */
  gboolean finished;
} GuestRun;

struct _Evacuate
{
  CliArgs *args;
  KvmmigEvacuation *evacuation;
  CliStatusLine *line;
  GPtrArray *runs;                /* GuestRun, in the order they started */
  GPtrArray *not_started;         /* char *: guests never started (cancelled) */
  const char *source;
  guint n_destinations;
  gint64 start_us;
  gint64 last_json_us;
};

static void
guest_run_free (GuestRun *run)
{
  g_signal_handlers_disconnect_by_data (run->job, run);
  g_clear_object (&run->job);
  g_free (run->destination);
  g_free (run);
}

static GuestRun *
find_run (Evacuate           *e,
          KvmmigMigrationJob *job)
{
  for (guint i = 0; i < e->runs->len; i++)
    {
      GuestRun *run = g_ptr_array_index (e->runs, i);

      if (run->job == job)
        return run;
    }
  return NULL;
}

static gint64
elapsed_ms (Evacuate *e)
{
  return (g_get_monotonic_time () - e->start_us) / 1000;
}

/* "node2" for qemu+ssh://root@node2/system: short enough for the live line. */
static char *
short_host (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *host = parsed ? g_uri_get_host (parsed) : NULL;

  return g_strdup (host != NULL && host[0] != '\0' ? host : uri);
}

/* ------------------------------------------------------------------ */
/* Options                                                              */

typedef struct
{
  guint64 max_per_source;
  guint64 max_per_destination;
  CliMigrationOptions migration;  /* --bandwidth, --policy, --allow-postcopy, --tls */
  GPtrArray *destinations;        /* the --to URIs, owned by the args */
} Options;

static gboolean
parse_options (CliArgs  *args,
               Options  *o,
               GError  **error)
{
  const char *value;
  const char *from;

  o->max_per_source = 0;
  o->max_per_destination = 0;

  if (!cli_positional (args, 0, 0, "argument", error) ||
      !cli_require (args, "from", error) ||
      !cli_check_host_uri ("from", cli_args_get (args, "from"), error))
    return FALSE;
  o->destinations = cli_require_uris (args, "to", 1, error);
  if (o->destinations == NULL)
    return FALSE;

  from = cli_args_get (args, "from");
  if (cli_args_get_all (args, "from")->len > 1)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--from is given %u times: kvmmig evacuate empties one host",
                   cli_args_get_all (args, "from")->len);
      return FALSE;
    }
  for (guint i = 0; i < o->destinations->len; i++)
    if (g_str_equal (from, g_ptr_array_index (o->destinations, i)))
      {
        g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                     "--to: '%s' is the host to evacuate (--from)", from);
        return FALSE;
      }

  if ((value = cli_args_get (args, "max-per-source")) &&
      !cli_parse_uint ("max-per-source", value, 1, MAX_CONCURRENCY, "migrations",
                       &o->max_per_source, error))
    return FALSE;
  if ((value = cli_args_get (args, "max-per-destination")) &&
      !cli_parse_uint ("max-per-destination", value, 1, MAX_CONCURRENCY, "migrations",
                       &o->max_per_destination, error))
    return FALSE;
  return cli_migration_options_parse (args, FALSE, &o->migration, error);
}

/* ------------------------------------------------------------------ */
/* While it runs                                                        */

static char *
status_text (Evacuate *e)
{
  KvmmigEvacuation *evacuation = e->evacuation;
  GString *text = g_string_new (NULL);

  if (!cli_status_line_is_tty (e->line))
    {
      g_autofree char *elapsed = cli_format_duration (elapsed_ms (e));
      g_string_append_printf (text, "[%s] ", elapsed);
    }
  g_string_append_printf (text, "%u/%u moved, %u failed, %.1f%%",
                          kvmmig_evacuation_get_guests_moved (evacuation),
                          kvmmig_evacuation_get_guests_total (evacuation),
                          kvmmig_evacuation_get_guests_failed (evacuation),
                          100.0 * kvmmig_evacuation_get_progress (evacuation));

  for (guint i = 0; i < e->runs->len; i++)
    {
      GuestRun *run = g_ptr_array_index (e->runs, i);
      KvmmigMigrationJob *job = run->job;

      if (run->finished)
        continue;
      g_string_append_printf (text, " | %s ", kvmmig_migration_job_get_guest_name (job));
      switch (kvmmig_migration_job_get_state (job))
        {
        case KVMMIG_MIGRATION_STATE_MIGRATING:
        case KVMMIG_MIGRATION_STATE_SWITCHING_OVER:
          g_string_append_printf (text, "%.0f%%", 100.0 * kvmmig_migration_job_get_progress (job));
          break;
        case KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED:
          g_string_append (text, "post-copy paused");
          break;
        case KVMMIG_MIGRATION_STATE_NEW:
        case KVMMIG_MIGRATION_STATE_CHECKING:
          g_string_append (text, "checks");
          break;
        case KVMMIG_MIGRATION_STATE_COMPLETED:
          g_string_append (text, "done");
          break;
        default:
          g_string_append (text, cli_enum_nick (KVMMIG_TYPE_MIGRATION_STATE,
                                                kvmmig_migration_job_get_state (job)));
          break;
        }
      if (e->n_destinations > 1)
        {
          g_autofree char *host = short_host (run->destination);
          g_string_append_printf (text, " to %s", host);
        }
    }
  return g_string_free (text, FALSE);
}

static void
json_progress (Evacuate *e,
               gboolean  force)
{
  KvmmigEvacuation *evacuation = e->evacuation;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(JsonBuilder) b = NULL;

  if (!force && now - e->last_json_us < JSON_INTERVAL_US)
    return;
  e->last_json_us = now;

  b = cli_json_begin ("evacuation");
  json_builder_set_member_name (b, "progress");
  json_builder_add_double_value (b, kvmmig_evacuation_get_progress (evacuation));
  cli_json_int (b, "guests_total", kvmmig_evacuation_get_guests_total (evacuation));
  cli_json_int (b, "guests_moved", kvmmig_evacuation_get_guests_moved (evacuation));
  cli_json_int (b, "guests_failed", kvmmig_evacuation_get_guests_failed (evacuation));
  cli_json_int (b, "elapsed_ms", elapsed_ms (e));
  json_builder_set_member_name (b, "running");
  json_builder_begin_array (b);
  for (guint i = 0; i < e->runs->len; i++)
    {
      GuestRun *run = g_ptr_array_index (e->runs, i);

      if (run->finished)
        continue;
      json_builder_begin_object (b);
      cli_json_string (b, "guest", kvmmig_migration_job_get_guest_name (run->job));
      cli_json_string (b, "destination", run->destination);
      cli_json_string (b, "state", cli_enum_nick (KVMMIG_TYPE_MIGRATION_STATE,
                                                  kvmmig_migration_job_get_state (run->job)));
      json_builder_set_member_name (b, "progress");
      json_builder_add_double_value (b, kvmmig_migration_job_get_progress (run->job));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  cli_json_print (b);
}

static void
update (Evacuate *e,
        gboolean  force)
{
  g_autofree char *text = NULL;

  if (e->args->json)
    {
      json_progress (e, force);
      return;
    }
  text = status_text (e);
  cli_status_line_update (e->line, text, force);
}

static void
on_progress (KvmmigEvacuation *evacuation,
             gpointer          data)
{
  update (data, FALSE);
}

static void
on_state (GObject    *object,
          GParamSpec *pspec,
          gpointer    data)
{
  Evacuate *e = data;
  KvmmigMigrationState state = kvmmig_evacuation_get_state (e->evacuation);

  if (e->args->json)
    {
      g_autoptr(JsonBuilder) b = cli_json_begin ("state");

      cli_json_string (b, "state", cli_enum_nick (KVMMIG_TYPE_MIGRATION_STATE, state));
      cli_json_int (b, "elapsed_ms", elapsed_ms (e));
      cli_json_print (b);
      return;
    }
  if (state == KVMMIG_MIGRATION_STATE_MIGRATING)
    {
      guint total = kvmmig_evacuation_get_guests_total (e->evacuation);
      g_autofree char *text = g_strdup_printf ("%u guest%s running on %s", total,
                                               total == 1 ? "" : "s", e->source);

      update (e, TRUE);
      cli_status_line_print (e->line, text);
    }
}

static void
on_job_state (GObject    *object,
              GParamSpec *pspec,
              gpointer    data)
{
  GuestRun *run = data;
  KvmmigMigrationState state = kvmmig_migration_job_get_state (run->job);

  Evacuate *e = run->e;
  const char *name = kvmmig_migration_job_get_guest_name (run->job);
  g_autofree char *text = NULL;

  switch (state)
    {
    case KVMMIG_MIGRATION_STATE_MIGRATING:
      /* Its checks passed: it moves now. */
      run->migrating = TRUE;
      text = g_strdup_printf ("migrating '%s' to %s", name, run->destination);
      break;
    case KVMMIG_MIGRATION_STATE_SWITCHING_OVER:
      run->migrating = TRUE;
      break;
    case KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED:
      run->migrating = TRUE;
      text = g_strdup_printf ("'%s': post-copy was interrupted: the guest is paused on both "
                              "hosts, and its job keeps trying to resume the migration", name);
      break;
    default:
      break;
    }
  if (text != NULL && !e->args->json)
    {
      cli_status_line_print (e->line, text);
      update (e, TRUE);
    }
}

static void
on_job_started (KvmmigEvacuation   *evacuation,
                KvmmigMigrationJob *job,
                KvmmigHost         *destination,
                gpointer            data)
{
  Evacuate *e = data;
  GuestRun *run = g_new0 (GuestRun, 1);

  run->e = e;
  run->job = g_object_ref (job);
  run->destination = g_strdup (kvmmig_host_get_uri (destination));
  g_ptr_array_add (e->runs, run);
  g_signal_connect (job, "notify::state", G_CALLBACK (on_job_state), run);

  if (e->args->json)
    {
      g_autoptr(JsonBuilder) b = cli_json_begin ("guest");

      cli_json_string (b, "event", "started");
      cli_json_string (b, "guest", kvmmig_migration_job_get_guest_name (job));
      cli_json_string (b, "destination", run->destination);
      cli_json_print (b);
      return;
    }
  /* "migrating" is said when its checks passed (on_job_state): the
   * evacuation also runs the job of a guest that no destination takes,
   * so that its checks say why. */
  update (e, TRUE);
}

/* A guest whose migration started and that does not run on the source
 * after a failure: lost, paused on both hosts, or not known. */
static gboolean
run_lost (GuestRun *run)
{
  return run->migrating &&
         kvmmig_migration_job_get_state (run->job) != KVMMIG_MIGRATION_STATE_COMPLETED &&
         kvmmig_migration_job_get_guest_location (run->job) != KVMMIG_GUEST_LOCATION_SOURCE;
}

static const char *
run_outcome (GuestRun *run)
{
  switch (kvmmig_migration_job_get_state (run->job))
    {
    case KVMMIG_MIGRATION_STATE_COMPLETED:
      return "moved";
    case KVMMIG_MIGRATION_STATE_CANCELLED:
      return "cancelled";
    default:
      return "failed";
    }
}

/* One line about a guest's outcome, without its name. */
static char *
run_text (Evacuate *e,
          GuestRun *run)
{
  KvmmigMigrationJob *job = run->job;
  const GError *error = kvmmig_migration_job_get_error (job);
  const char *reason = error ? error->message : "no reason given";
  g_autofree char *total = cli_format_duration (kvmmig_migration_job_get_total_ms (job));

  if (kvmmig_migration_job_get_state (job) == KVMMIG_MIGRATION_STATE_COMPLETED)
    {
      g_autofree char *down = cli_format_downtime (kvmmig_migration_job_get_downtime_ms (job));

      return g_strdup_printf ("moved to %s in %s, downtime %s", run->destination, total, down);
    }

  switch (kvmmig_migration_job_get_guest_location (job))
    {
    case KVMMIG_GUEST_LOCATION_SOURCE:
      return g_strdup_printf ("not moved, runs on the source: %s", reason);
    case KVMMIG_GUEST_LOCATION_DESTINATION:
      return g_strdup_printf ("failed, runs on the destination %s: %s", run->destination, reason);
    case KVMMIG_GUEST_LOCATION_NONE:
      return g_strdup_printf ("failed, runs on neither host: %s", reason);
    default:
      if (!run->migrating)
        return g_strdup_printf ("not moved: %s", reason);
      return g_strdup_printf ("failed, where it runs is not known: %s", reason);
    }
}

static void
json_guest_members (JsonBuilder *b,
                    GuestRun    *run)
{
  KvmmigMigrationJob *job = run->job;

  cli_json_string (b, "guest", kvmmig_migration_job_get_guest_name (job));
  cli_json_string (b, "destination", run->destination);
  cli_json_string (b, "outcome", run_outcome (run));
  cli_json_bool (b, "moved", g_str_equal (run_outcome (run), "moved"));
  cli_json_string (b, "state", cli_enum_nick (KVMMIG_TYPE_MIGRATION_STATE,
                                              kvmmig_migration_job_get_state (job)));
  cli_json_string (b, "guest_location", cli_enum_nick (KVMMIG_TYPE_GUEST_LOCATION,
                                                       kvmmig_migration_job_get_guest_location (job)));
  cli_json_string (b, "guest_host", cli_job_guest_host (job));
  cli_json_int (b, "total_ms", kvmmig_migration_job_get_total_ms (job));
  cli_json_int (b, "downtime_ms", kvmmig_migration_job_get_downtime_ms (job));
  cli_json_error (b, kvmmig_migration_job_get_error (job));
}

static void
on_job_finished (KvmmigEvacuation   *evacuation,
                 KvmmigMigrationJob *job,
                 gpointer            data)
{
  Evacuate *e = data;
  GuestRun *run;

  /* A job this command did not see start (defensive). */
  if (job == NULL || (run = find_run (e, job)) == NULL)
    {
      update (e, TRUE);
      return;
    }
  run->finished = TRUE;

  if (e->args->json)
    {
      g_autoptr(JsonBuilder) b = cli_json_begin ("guest");

      cli_json_string (b, "event", "finished");
      json_guest_members (b, run);
      cli_json_print (b);
      json_progress (e, TRUE);
      return;
    }
  {
    g_autofree char *what = run_text (e, run);
    const char *outcome = run_outcome (run);
    g_autofree char *text = g_strdup_printf ("%s '%s': %s",
                                             g_str_equal (outcome, "moved") ? "done"
                                             : g_str_equal (outcome, "cancelled") ? "cancelled"
                                             : "FAILED",
                                             kvmmig_migration_job_get_guest_name (job), what);

    cli_status_line_print (e->line, text);
    update (e, TRUE);
  }
}

/* Ctrl-C, SIGTERM, SIGHUP: the first cancelled the evacuation; none ends
 * the process, which waits until the migrations under way are aborted. */
static void
on_interrupt (guint    count,
              gpointer data)
{
  Evacuate *e = data;

  if (count > 1 && e->evacuation == NULL)
    cli_quit_interrupted (CLI_INTERRUPTED_BEFORE_MIGRATING);
  if (e->args->json)
    return;
  cli_status_line_print (e->line, count == 1
                         ? "cancelling: aborting the migrations under way (their guests keep "
                           "running on the source) and starting no more"
                         : "still cancelling: waiting for libvirt to abort the migrations "
                           "under way, so that their guests keep running on the source");
}

/* ------------------------------------------------------------------ */
/* The end                                                              */

/* The guests the evacuation never started (it was cancelled first): they
 * have no job, and still run on the source. */
static void
find_not_started (Evacuate *e)
{
  g_autoptr(GPtrArray) guests = kvmmig_evacuation_get_guests (e->evacuation);

  for (guint i = 0; i < guests->len; i++)
    {
      const char *name = kvmmig_guest_get_name (g_ptr_array_index (guests, i));
      g_autoptr(KvmmigMigrationJob) job = kvmmig_evacuation_lookup_job (e->evacuation, name);

      if (job == NULL)
        g_ptr_array_add (e->not_started, g_strdup (name));
    }
}

static int
exit_code (Evacuate     *e,
           gboolean      ok,
           const GError *error)
{
  if (ok)
    return CLI_EXIT_OK;
  /* The evacuation did not get to its guests: the source could not be
   * listed. */
  if (kvmmig_evacuation_get_guests_total (e->evacuation) == 0 &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return cli_exit_for_error (error);
  for (guint i = 0; i < e->runs->len; i++)
    if (run_lost (g_ptr_array_index (e->runs, i)))
      return CLI_EXIT_GUEST_LOST;
  if (cli_interrupted () || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return CLI_EXIT_CANCELLED;
  return CLI_EXIT_MIGRATION_FAILED;
}

static void
print_summary (Evacuate *e)
{
  KvmmigEvacuation *evacuation = e->evacuation;
  guint total = kvmmig_evacuation_get_guests_total (evacuation);
  guint moved = kvmmig_evacuation_get_guests_moved (evacuation);
  g_autofree char *elapsed = cli_format_duration (elapsed_ms (e));
  int width = 8;

  if (total == 0)
    {
      printf ("no guest runs on %s: nothing to evacuate\n", e->source);
      fflush (stdout);
      return;
    }

  printf ("evacuation of %s: %u of %u guest%s moved in %s%s\n", e->source, moved, total,
          total == 1 ? "" : "s", elapsed,
          moved == total ? "" : "; the others are listed with where they run");

  for (guint i = 0; i < e->runs->len; i++)
    width = MAX (width, (int) strlen (kvmmig_migration_job_get_guest_name (
                   ((GuestRun *) g_ptr_array_index (e->runs, i))->job)));
  for (guint i = 0; i < e->not_started->len; i++)
    width = MAX (width, (int) strlen (g_ptr_array_index (e->not_started, i)));

  for (guint i = 0; i < e->runs->len; i++)
    {
      GuestRun *run = g_ptr_array_index (e->runs, i);
      g_autofree char *what = run_text (e, run);

      printf ("  %-*s  %s\n", width, kvmmig_migration_job_get_guest_name (run->job), what);
    }
  for (guint i = 0; i < e->not_started->len; i++)
    printf ("  %-*s  not started (cancelled), runs on the source, %s\n", width,
            (const char *) g_ptr_array_index (e->not_started, i), e->source);
  fflush (stdout);
}

static void
json_result (Evacuate     *e,
             int           code,
             const GError *error,
             GPtrArray    *destinations)
{
  KvmmigEvacuation *evacuation = e->evacuation;
  g_autoptr(JsonBuilder) b = cli_json_result_begin (e->args, code, error);

  cli_json_string (b, "source", e->source);
  json_builder_set_member_name (b, "destinations");
  json_builder_begin_array (b);
  for (guint i = 0; i < destinations->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (destinations, i));
  json_builder_end_array (b);
  cli_json_int (b, "guests_total", evacuation ? kvmmig_evacuation_get_guests_total (evacuation) : 0);
  cli_json_int (b, "guests_moved", evacuation ? kvmmig_evacuation_get_guests_moved (evacuation) : 0);
  cli_json_int (b, "guests_failed", evacuation ? kvmmig_evacuation_get_guests_failed (evacuation) : 0);
  cli_json_int (b, "total_ms", elapsed_ms (e));
  json_builder_set_member_name (b, "guests");
  json_builder_begin_array (b);
  for (guint i = 0; i < e->runs->len; i++)
    {
      json_builder_begin_object (b);
      json_guest_members (b, g_ptr_array_index (e->runs, i));
      json_builder_end_object (b);
    }
  for (guint i = 0; i < e->not_started->len; i++)
    {
      json_builder_begin_object (b);
      cli_json_string (b, "guest", g_ptr_array_index (e->not_started, i));
      cli_json_string (b, "destination", NULL);
      cli_json_string (b, "outcome", "not-started");
      cli_json_bool (b, "moved", FALSE);
      cli_json_string (b, "guest_location", "source");
      cli_json_string (b, "guest_host", e->source);
      cli_json_error (b, NULL);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  cli_json_print (b);
}

static int
cmd_evacuate (CliArgs *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigHost) source = NULL;
  g_autoptr(GPtrArray) destinations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KvmmigEvacuation) evacuation = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CliStatusLine) line = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) guest_run_free);
  g_autoptr(GPtrArray) not_started = g_ptr_array_new_with_free_func (g_free);
  Evacuate e = { .args = args, .runs = runs, .not_started = not_started };
  GCancellable *cancellable;
  Options options;
  gboolean ok;
  int code;

  if (!parse_options (args, &options, &error))
    return cli_fail (args, error);

  e.source = cli_args_get (args, "from");
  e.n_destinations = options.destinations->len;
  e.start_us = g_get_monotonic_time ();
  line = cli_status_line_new (stdout, PLAIN_INTERVAL_MS);
  e.line = line;
  cancellable = cli_interrupt_install (on_interrupt, &e);

  if (!args->json)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      g_string_printf (text, "evacuating %s to ", e.source);
      for (guint i = 0; i < options.destinations->len; i++)
        g_string_append_printf (text, "%s%s", i ? ", " : "",
                                (const char *) g_ptr_array_index (options.destinations, i));
      cli_status_line_print (line, text->str);
    }

  source = cli_open_host (e.source, cancellable, &error);
  for (guint i = 0; source != NULL && i < options.destinations->len; i++)
    {
      KvmmigHost *host = cli_open_host (g_ptr_array_index (options.destinations, i),
                                        cancellable, &error);
      if (host == NULL)
        break;
      g_ptr_array_add (destinations, host);
    }
  if (source == NULL || destinations->len < options.destinations->len)
    {
      cli_interrupted_error (&error);
      cli_interrupt_remove ();
      cli_status_line_clear (line);
      code = cli_exit_for_error (error);
      cli_error_line (error->message);
      if (args->json)
        json_result (&e, code, error, options.destinations);
      return code;
    }

  evacuation = kvmmig_evacuation_new (source, (KvmmigHost * const *) destinations->pdata,
                                      destinations->len);
  if (options.max_per_source > 0)
    kvmmig_evacuation_set_max_per_source (evacuation, (guint) options.max_per_source);
  if (options.max_per_destination > 0)
    kvmmig_evacuation_set_max_per_destination (evacuation, (guint) options.max_per_destination);
  cli_migration_options_apply_to_evacuation (&options.migration, evacuation);
  e.evacuation = evacuation;

  g_signal_connect (evacuation, "notify::state", G_CALLBACK (on_state), &e);
  g_signal_connect (evacuation, "progress", G_CALLBACK (on_progress), &e);
  g_signal_connect (evacuation, "job-started", G_CALLBACK (on_job_started), &e);
  g_signal_connect (evacuation, "job-finished", G_CALLBACK (on_job_finished), &e);

  if (!args->json)
    cli_status_line_update (line, "listing the guests...", TRUE);

  kvmmig_evacuation_run_async (evacuation, cancellable, cli_store_result, &result);
  ok = kvmmig_evacuation_run_finish (evacuation, cli_wait (&result), &error);

  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_signal_handlers_disconnect_by_data (evacuation, &e);

  cli_status_line_clear (line);
  if (!ok && kvmmig_evacuation_get_guests_total (evacuation) > 0)
    find_not_started (&e);
  code = exit_code (&e, ok, error);

  if (!args->json)
    print_summary (&e);
  if (!ok)
    cli_error_line (error->message);
  if (args->json)
    json_result (&e, code, error, options.destinations);

  cli_interrupt_remove ();
  return code;
}
