/* kvmmig-commands.c: the command table of kvmmig: every command, its
 * options, help texts, exit codes and examples, plus the exit-code table
 * and the man page's extra sections. It is the one source of `--help`
 * (kvmmig-help.c prints it as text) and of kvmmig.1 (the same file prints
 * it as roff, through the hidden `kvmmig --man`, which meson runs).
 *
 * Text conventions (see kvmmig-help.c): paragraphs are separated by an
 * empty line; a paragraph whose lines start with two spaces is printed
 * as it is (examples, tables). Keep the texts ASCII.
 *
 * To add a command (`kvmmig store`, `kvmmig volume`, `kvmmig evacuate`):
 * write its handler in a file of its own, add an entry to cli_commands[],
 * and, for a command with subcommands (`kvmmig volume create ...`), give
 * it a table of its own in .subcommands instead of a handler.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-cli.h"

const char *const cli_name_line =
  "live-migrate KVM guests between libvirt hosts on shared storage";

const char *const cli_description =
  "kvmmig moves running KVM guests between libvirt hosts that share their "
  "storage, with libkvmmig: it checks first that the migration can work "
  "(pre-flight checks), shows its progress, drives it to completion (the "
  "convergence policy), and says where the guest runs at the end.\n"
  "\n"
  "Hosts are libvirt URIs, such as qemu+tcp://HOST/system or "
  "qemu+ssh://root@HOST/system. The migration is peer to peer: the source "
  "host's libvirt daemon sends the guest to the destination itself.";

const CliExitCode cli_exit_codes[CLI_N_EXITS] = {
  { CLI_EXIT_OK, "ok",
    "Done: the guest runs on the destination (migrate), every check passed "
    "or only warned (check), every host answered (hosts)." },
  { CLI_EXIT_FAILED, "failed",
    "An error that no other code covers." },
  { CLI_EXIT_USAGE, "usage",
    "Bad usage: an unknown command or option, a missing argument, or a bad "
    "option value (such as --bandwidth -5 or --policy foo). Nothing was "
    "done." },
  { CLI_EXIT_UNREACHABLE, "host-unreachable",
    "A host could not be reached, refused the credentials, or its "
    "connection broke. Nothing was migrated." },
  { CLI_EXIT_PREFLIGHT, "preflight-failed",
    "A pre-flight check failed (no such guest, not running, not enough "
    "memory, storage not shared...). Nothing was migrated: the guest runs "
    "where it ran." },
  { CLI_EXIT_MIGRATION_FAILED, "migration-failed",
    "The migration failed, or did not complete within its --timeout; the "
    "guest still runs on the source." },
  { CLI_EXIT_CANCELLED, "cancelled",
    "Cancelled by Ctrl-C (SIGINT), SIGTERM or SIGHUP; the guest runs on the "
    "source." },
  { CLI_EXIT_GUEST_LOST, "guest-lost",
    "The migration failed and the guest does not run on the source: it was "
    "lost (a post-copy failure), it stopped, it runs on the destination "
    "after an error, or where it runs could not be found out. Look at it "
    "on both hosts." },
};

static const CliOption migrate_options[] = {
  { "from", 'f', "URI",
    "The host the guest runs on now (required)." },
  { "to", 't', "URI",
    "The host to move the guest to (required)." },
  { "bandwidth", 0, "MiB/s",
    "The most bandwidth the migration may use, in MiB/s (a whole number "
    "from 0 to 1048576; 0, the default, for no limit)." },
  { "max-downtime", 0, "ms",
    "The longest the guest may be paused for the switchover, in ms (1 to "
    "600000; default 300). The auto policy starts lower and raises it up "
    "to this limit when it must." },
  { "policy", 0, "auto|precopy|postcopy",
    "How the migration is driven to completion. auto (the default) watches "
    "each pass and, when the migration stops converging, raises the allowed "
    "downtime, throttles the guest, and switches to post-copy if "
    "--allow-postcopy is given. precopy adjusts nothing, as virsh migrate "
    "--live. postcopy switches to post-copy after one pre-copy pass." },
  { "allow-postcopy", 0, NULL,
    "Let the auto policy switch to post-copy. Post-copy always completes, "
    "but while it runs the guest's memory is split between the hosts: if "
    "either host or the link fails then, the guest is lost. Not with "
    "--policy precopy." },
  { "timeout", 0, "s|none",
    "Abort the migration if it has not completed after this many seconds "
    "(the guest stays on the source); none for no limit. The default is "
    "60 s plus 60 s per GiB of guest memory. It does not apply once "
    "post-copy has started." },
  { "no-persist", 0, NULL,
    "Do not define the guest on the destination: it runs there as a "
    "transient guest, and its definition stays on the source (as with "
    "--keep-source), so that it is not lost." },
  { "keep-source", 0, NULL,
    "Keep the guest's definition on the source (by default it is removed "
    "once the guest runs on the destination). Take care not to start it "
    "there again while it runs on the destination." },
  { "tls", 0, NULL,
    "Encrypt the migration stream with TLS; both libvirt daemons need TLS "
    "certificates." },
  { "migration-uri", 0, "URI",
    "Where the destination listens for the migration stream, "
    "tcp://ADDRESS[:PORT] (or rdma://), to send it over a dedicated "
    "network. By default libvirt chooses." },
  { "json", 0, NULL,
    "Print JSON, one object a line, instead of text: the checks, each "
    "progress event, each policy step, then a result object (see JSON "
    "output in kvmmig --help and kvmmig(1))." },
  { NULL }
};

static const CliOption check_options[] = {
  { "from", 'f', "URI",
    "The host the guest runs on now (required)." },
  { "to", 't', "URI",
    "The host it would move to (required)." },
  { "json", 0, NULL,
    "Print one JSON object a line: one per check, then a result object." },
  { NULL }
};

static const CliOption hosts_options[] = {
  { "json", 0, NULL,
    "Print one JSON object a line: one per host, with its guests, then a "
    "result object." },
  { NULL }
};

const CliCommand cli_commands[] = {
  {
    .name = "migrate",
    .usage = "GUEST --from URI --to URI [OPTION...]",
    .summary = "Live-migrate a guest from one host to another",
    .description =
      "Live-migrates GUEST from the host --from to the host --to. It runs "
      "the pre-flight checks first (as kvmmig check does) and migrates "
      "only if none failed. By default the guest is then defined on the "
      "destination and no longer on the source.\n"
      "\n"
      "On a terminal, a progress line is updated in place: how far it is "
      "(percent), the data sent and still to send, the rate, the rate the "
      "guest dirties memory at, the pre-copy pass, and the estimated time "
      "left. The steps of the convergence policy are printed above it as "
      "they happen, and a one-line summary with the total time and the "
      "downtime ends it. When the output is not a terminal, progress lines "
      "are printed one below the other, at most one every 5 seconds, "
      "without carriage returns.\n"
      "\n"
      "Ctrl-C cancels the migration cleanly: the migration is aborted, the "
      "guest keeps running on the source, and kvmmig says where the guest "
      "runs before it exits (code 6). Pressing Ctrl-C again does not "
      "interrupt the abort (while the hosts are still being opened, it quits "
      "at once). Once post-copy has started, the guest already runs on the "
      "destination and the migration can only complete.",
    .options = migrate_options,
    .exit_codes = CLI_EXIT_BIT (CLI_EXIT_OK) | CLI_EXIT_BIT (CLI_EXIT_FAILED) |
                  CLI_EXIT_BIT (CLI_EXIT_USAGE) | CLI_EXIT_BIT (CLI_EXIT_UNREACHABLE) |
                  CLI_EXIT_BIT (CLI_EXIT_PREFLIGHT) |
                  CLI_EXIT_BIT (CLI_EXIT_MIGRATION_FAILED) |
                  CLI_EXIT_BIT (CLI_EXIT_CANCELLED) | CLI_EXIT_BIT (CLI_EXIT_GUEST_LOST),
    .examples =
      "  kvmmig migrate web1 --from qemu+tcp://node1/system --to qemu+tcp://node2/system\n"
      "  kvmmig migrate db --from qemu+tcp://node1/system --to qemu+tcp://node2/system \\\n"
      "      --bandwidth 100 --max-downtime 500 --allow-postcopy\n"
      "  kvmmig migrate web1 -f qemu+tcp://node1/system -t qemu+tcp://node2/system --json",
    .handler = cli_cmd_migrate,
  },
  {
    .name = "check",
    .usage = "GUEST --from URI --to URI [--json]",
    .summary = "Run the pre-flight checks of a migration, without migrating",
    .description =
      "Runs the pre-flight checks of migrating GUEST from --from to --to, "
      "and changes nothing (except that the destination's storage pools are "
      "refreshed): the guest exists and runs on the source; the destination "
      "answers and is another host; no other job runs on the guest; no guest "
      "of that name or UUID is on the destination; the destination has the "
      "memory free and can run the guest's CPU; it sees every disk of the "
      "guest; the disks' cache modes are safe for migration.\n"
      "\n"
      "Each check is listed with its outcome, pass, warning (not fully "
      "verified; does not stop a migration), fail or skipped, and its "
      "message. kvmmig check exits 0 when no check failed, 4 when one did.",
    .options = check_options,
    .exit_codes = CLI_EXIT_BIT (CLI_EXIT_OK) | CLI_EXIT_BIT (CLI_EXIT_FAILED) |
                  CLI_EXIT_BIT (CLI_EXIT_USAGE) | CLI_EXIT_BIT (CLI_EXIT_UNREACHABLE) |
                  CLI_EXIT_BIT (CLI_EXIT_PREFLIGHT) | CLI_EXIT_BIT (CLI_EXIT_CANCELLED),
    .examples =
      "  kvmmig check web1 --from qemu+tcp://node1/system --to qemu+tcp://node2/system",
    .handler = cli_cmd_check,
  },
  {
    .name = "hosts",
    .usage = "URI... [--json]",
    .summary = "Show hosts and their guests",
    .description =
      "For each host URI: its hostname, CPU, memory, hypervisor and libvirt "
      "versions, and its guests with their state, memory, vCPUs and whether "
      "they are defined (persistent) there. A host that cannot be reached "
      "gives an error line and the others are still shown; the exit code is "
      "then that of the first failure.",
    .options = hosts_options,
    .exit_codes = CLI_EXIT_BIT (CLI_EXIT_OK) | CLI_EXIT_BIT (CLI_EXIT_FAILED) |
                  CLI_EXIT_BIT (CLI_EXIT_USAGE) | CLI_EXIT_BIT (CLI_EXIT_UNREACHABLE) |
                  CLI_EXIT_BIT (CLI_EXIT_CANCELLED),
    .examples =
      "  kvmmig hosts qemu+tcp://node1/system qemu+tcp://node2/system",
    .handler = cli_cmd_hosts,
  },
  /* Later: "store", "volume" (with .subcommands) and "evacuate". */
  { NULL }
};

const CliOption cli_global_options[] = {
  { "help", 'h', NULL,
    "Show the commands, or with a command (kvmmig COMMAND --help) its "
    "options, and exit." },
  { "version", 0, NULL,
    "Show the versions of kvmmig and of the libkvmmig it runs with, and "
    "exit." },
  { NULL }
};

const CliSection cli_sections[] = {
  { "JSON output",
    "With --json, every line of standard output is one JSON object, and its "
    "\"type\" member says what it is:\n"
    "\n"
    "  check        one pre-flight check: id, title, status (passed,\n"
    "               warning, failed, skipped), message, error\n"
    "  state        the migration entered a state: state (checking,\n"
    "               migrating, switching-over, completed, failed,\n"
    "               cancelled, or a state a newer libkvmmig adds),\n"
    "               elapsed_ms\n"
    "  progress     a progress event (four a second while migrating):\n"
    "               state, progress (0 to 1), bytes_processed,\n"
    "               bytes_remaining, bytes_total, bandwidth and dirty_rate\n"
    "               (bytes a second), iteration, elapsed_ms, eta_ms (-1 if\n"
    "               unknown)\n"
    "  policy-step  an action of the convergence policy: action\n"
    "               (set-downtime, throttle, start-postcopy, abort-timeout,\n"
    "               exhausted), value (ms or percent), applied, iteration,\n"
    "               elapsed_ms, description\n"
    "  host         a host (kvmmig hosts): uri, hostname, uuid, arch,\n"
    "               cpu_model, cpus, memory_total and memory_free (bytes;\n"
    "               null if the host does not report it),\n"
    "               hypervisor, hypervisor_version, libvirt_version, and\n"
    "               guests (name, uuid, id, state, active, persistent,\n"
    "               memory, max_memory, vcpus); or uri and error\n"
    "  result       always the last line: command, exit_code, exit_name,\n"
    "               error (null, or an object with code, the KvmmigError\n"
    "               nick such as guest-not-found, and message); migrate\n"
    "               adds guest, source, destination, state, guest_location\n"
    "               (source, destination, none, unknown), guest_host (its\n"
    "               URI, or null), total_ms, downtime_ms, bytes_processed,\n"
    "               policy_steps; check adds passed, warnings, failed,\n"
    "               skipped\n"
    "\n"
    "Errors are still printed on standard error as one line each." },
  { "Environment",
    "COLUMNS gives the width of the progress line when the terminal does not "
    "say it. libvirt's own variables apply to the connections (for example "
    "LIBVIRT_DEBUG)." },
  { NULL }
};

const CliCommand *
cli_command_lookup (const CliCommand *table,
                    const char       *name)
{
  for (const CliCommand *c = table; c->name != NULL; c++)
    if (g_str_equal (c->name, name))
      return c;
  return NULL;
}
