/* kvmmig-cmd-migrate-tune.c: `kvmmig [-c URI] migrate-setspeed GUEST MIB`
 * and `kvmmig [-c URI] migrate-setmaxdowntime GUEST MS`, as virsh spells
 * them: a new bandwidth limit, or maximum downtime, for the migration of
 * GUEST that runs from that host now, whichever program started it (a
 * `kvmmig migrate` in another terminal, say); kvmmig_host_tune_migration.
 * The two commands differ only in which limit they change, so they share
 * this file and its handler.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-cli.h"

/* ------------------------------------------------------------------ */
/* The commands: their options and texts (--help and kvmmig.1)          */

static int cmd_migrate_tune (CliArgs *args);

static const CliOption tune_options[] = {
  { "from", 'f', "URI",
    "The host the guest migrates from (instead of the global option -c)." },
  { NULL }
};

const CliCommand cli_command_migrate_setspeed = {
  .name = "migrate-setspeed",
  .usage = "GUEST MIB [--from URI] [--json]",
  .summary = "Change the bandwidth limit of a migration under way",
  .description =
    "Sets the bandwidth limit of the migration of GUEST (a name, UUID or "
    "ID) that runs now from the host of the global option -c URI, or of "
    "--from URI, or else libvirt's default URI, to MIB MiB/s (0: no "
    "limit), as virsh migrate-setspeed does; libvirt applies it at once, "
    "to a post-copy phase too. It works on any migration of the guest, one "
    "that kvmmig migrate runs in another terminal or one that virsh runs; "
    "kvmmig migrate's policy measures the new rate from its next sample.\n"
    "\n"
    "Fails with exit code 2 when no migration of GUEST runs from that "
    "host, and 4 when the host has no such guest.",
  .options = tune_options,
  .json = "Print a result object.",
  .exit_codes = CLI_EXIT_BITS_HOSTS | CLI_EXIT_BIT (CLI_EXIT_PREFLIGHT),
  .examples =
    "  kvmmig -c qemu+ssh://root@node1/system migrate-setspeed web1 200\n"
    "  kvmmig migrate-setspeed web1 0 --from qemu+tls://node1/system",
  .handler = cmd_migrate_tune,
  .connect = TRUE,
};

const CliCommand cli_command_migrate_setmaxdowntime = {
  .name = "migrate-setmaxdowntime",
  .usage = "GUEST MS [--from URI] [--json]",
  .summary = "Change the maximum downtime of a migration under way",
  .description =
    "Sets the longest GUEST may be paused to finish the migration that "
    "runs now from the host of the global option -c URI, or of --from "
    "URI, or else libvirt's default URI, to MS milliseconds (1 to 600000), "
    "as virsh migrate-setmaxdowntime does. A kvmmig migrate whose policy "
    "sets the downtime itself (auto, the default) may raise it again up to "
    "its own --max-downtime: to change that limit, run the migration with "
    "another --max-downtime.\n"
    "\n"
    "Fails with exit code 2 when no migration of GUEST runs from that "
    "host, and 4 when the host has no such guest.",
  .options = tune_options,
  .json = "Print a result object.",
  .exit_codes = CLI_EXIT_BITS_HOSTS | CLI_EXIT_BIT (CLI_EXIT_PREFLIGHT),
  .examples =
    "  kvmmig -c qemu+ssh://root@node1/system migrate-setmaxdowntime web1 500",
  .handler = cmd_migrate_tune,
  .connect = TRUE,
};

/* ------------------------------------------------------------------ */
/* How they run                                                         */

static int
cmd_migrate_tune (CliArgs *args)
{
  gboolean speed = args->command == &cli_command_migrate_setspeed;
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigHost) host = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const char *uri = args->connect;
  const char *guest, *what;
  GCancellable *cancellable;
  guint64 value;
  gboolean ok;
  int code;

  if (!cli_positional (args, 2, 2, speed ? "GUEST MIB" : "GUEST MS", &error))
    return cli_fail (args, error);
  guest = g_ptr_array_index (args->positional, 0);
  what = g_ptr_array_index (args->positional, 1);
  if (!g_ascii_string_to_unsigned (what, 10, speed ? 0 : 1, speed ? 1024 * 1024 : 600000,
                                   &value, NULL))
    {
      g_set_error (&error, CLI_ERROR, CLI_ERROR_USAGE,
                   speed ? "MIB: '%s' is not a bandwidth limit, a whole number of MiB/s "
                           "from 0 (no limit) to 1048576"
                         : "MS: '%s' is not a downtime, a whole number of ms from 1 to 600000",
                   what);
      return cli_fail (args, error);
    }
  if (cli_args_get (args, "from") != NULL)
    {
      if (args->connect_given)
        {
          g_set_error (&error, CLI_ERROR, CLI_ERROR_USAGE,
                       "-c and --from do not go together: both name the host the "
                       "guest migrates from");
          return cli_fail (args, error);
        }
      uri = cli_args_get (args, "from");
      if (!cli_check_host_uri ("from", uri, &error))
        return cli_fail (args, error);
    }

  /* It changes the migration, not the guest: nothing to undo on Ctrl-C. */
  cancellable = cli_interrupt_install (cli_interrupt_read_only, NULL);
  host = cli_open_host (uri, cancellable, &error);
  ok = host != NULL;
  if (ok)
    {
      kvmmig_host_tune_migration_async (host, guest, speed ? (int) value : -1,
                                        speed ? -1 : (int) value, cancellable,
                                        cli_store_result, &result);
      ok = kvmmig_host_tune_migration_finish (host, cli_wait (&result), &error);
    }
  cli_interrupt_remove ();

  code = ok ? CLI_EXIT_OK : (int) cli_exit_for_error (error);
  if (!ok)
    cli_error_line (error->message);
  else if (!args->json)
    {
      if (speed)
        printf ("The migration of '%s' from %s now sends at most %s.\n", guest,
                cli_uri_label (uri), value ? what : "as fast as it can (no limit)");
      else
        printf ("The migration of '%s' from %s now pauses it at most %s ms to finish.\n",
                guest, cli_uri_label (uri), what);
    }

  if (args->json)
    {
      g_autoptr(JsonBuilder) b = cli_json_result_begin (args, code, ok ? NULL : error);

      cli_json_string (b, "guest", guest);
      cli_json_string (b, "source", uri);
      cli_json_int (b, speed ? "bandwidth_limit" : "max_downtime_ms", value);
      cli_json_print (b);
    }
  return code;
}
