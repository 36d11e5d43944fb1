/* kvmmig-manual.c: the texts of kvmmig as a whole, around its commands:
 * the man page's NAME line, what kvmmig is (DESCRIPTION, also at the top
 * of `kvmmig --help`), the global options, the exit codes and what each
 * means, and the sections at the end (JSON output, Environment). Each
 * command's own texts are in its file, commands/kvmmig-cmd-NAME.c;
 * framework/kvmmig-cli-help.c prints them all as --help and as kvmmig.1.
 *
 * Text conventions: paragraphs are separated by an empty line; a
 * paragraph whose lines start with two spaces is printed as it is
 * (examples, tables). Keep the texts ASCII.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-cli.h"

const char *const cli_name_line =
  "live-migrate KVM guests between libvirt hosts on shared storage";

const char *const cli_description =
  "kvmmig moves running KVM guests between libvirt hosts that share their "
  "storage (or copies their disks along, for hosts that do not: kvmmig "
  "migrate --copy-storage-all), with libkvmmig: it checks first that the "
  "migration can work (pre-flight checks), shows its progress, drives it "
  "to completion (the convergence policy), and says where the guest runs "
  "at the end.\n"
  "\n"
  "Hosts are libvirt URIs, such as qemu+ssh://root@HOST/system (SSH, with "
  "keys) or qemu+tls://HOST/system (TLS, with x509 certificates), which "
  "authenticate and encrypt the connection. qemu+tcp://HOST/system has no "
  "authentication nor encryption: it is acceptable only on a trusted, "
  "isolated network that nothing else reaches (a test bed). The migration "
  "is peer to peer: the source host's libvirt daemon sends the guest to "
  "the destination itself. kvmmig migrate also takes virsh migrate's "
  "form and options: kvmmig -c SRC migrate --live GUEST DESTURI.\n"
  "\n"
  "kvmmig also empties a host before maintenance (evacuate), and manages "
  "the storage the hosts share: it attaches a shared store (an iSCSI "
  "target, a shared directory, an NFS export, a volume group on a shared "
  "block device) to hosts as libvirt storage pools, checks that every host "
  "sees the same volumes, and lists, creates, grows and deletes its "
  "volumes (store, volume).";

const CliExitCode cli_exit_codes[CLI_N_EXITS] = {
  { CLI_EXIT_OK, "ok",
    "Done: the guest runs on the destination (migrate), every guest of the "
    "host was moved (evacuate), every check passed or only warned (check), "
    "every host answered (hosts), every host sees the same volumes (store "
    "check), the store or volume operation was done on every host given "
    "(store, volume), the migration's limit was changed (migrate-setspeed, "
    "migrate-setmaxdowntime)." },
  { CLI_EXIT_FAILED, "failed",
    "An error that no other code covers (such as a storage backend that a "
    "host lacks, or an operation that a kind of store cannot do)." },
  { CLI_EXIT_USAGE, "usage",
    "Bad usage: an unknown command or option, a missing argument, or a bad "
    "option value (such as --bandwidth -5 or --policy foo). Nothing was "
    "done." },
  { CLI_EXIT_UNREACHABLE, "host-unreachable",
    "A host could not be reached, refused the credentials, or its "
    "connection broke. Nothing was migrated, and nothing was done on that "
    "host." },
  { CLI_EXIT_PREFLIGHT, "preflight-failed",
    "A pre-flight check failed (no such guest, not running, not enough "
    "memory, storage not shared...). Nothing was migrated: the guest runs "
    "where it ran." },
  { CLI_EXIT_MIGRATION_FAILED, "migration-failed",
    "The migration failed, or did not complete within its --abort-after "
    "(or --timeout of kvmmig's form); the "
    "guest still runs on the source. For evacuate: some guests were not "
    "moved (their migration failed, or no destination passed their "
    "pre-flight checks), and each of them still runs on the source; the "
    "summary lists them with the reason." },
  { CLI_EXIT_CANCELLED, "cancelled",
    "Cancelled by Ctrl-C (SIGINT), SIGTERM or SIGHUP: the guest runs on "
    "the source (migrate); the guests not moved yet run on the source "
    "(evacuate; the summary says where each guest runs); the store or "
    "volume operation under way was not done, or was undone (those done "
    "before on other hosts are kept, and were reported)." },
  { CLI_EXIT_GUEST_LOST, "guest-lost",
    "The migration failed and the guest does not run on the source: it was "
    "lost (its QEMU died during post-copy), it is paused on both hosts "
    "after an interrupted post-copy that could not be resumed (the error "
    "says how to resume it by hand), it stopped, it runs on the destination "
    "after an error, or where it runs could not be found out. Look at it on "
    "both hosts. For evacuate: at least one guest is in that case." },
  { CLI_EXIT_STORAGE, "storage",
    "The store or a volume refused the operation, or a host cannot use the "
    "store: the store is not attached to the host, or the host cannot reach "
    "it (portal down, wrong target or credentials, directory missing); a "
    "guest of the host uses it (detach) or uses the volume (delete); the "
    "volume does not exist, or exists already (create); it does not fit; "
    "or (store check) the hosts do not all see the same volumes." },
};

const CliOption cli_global_options[] = {
  { "connect", 'c', "URI",
    "Before the command, as virsh's -c: the host of migrate and check in "
    "virsh's form (GUEST DESTURI, the source) and of hosts. Without it, "
    "libvirt's default URI (LIBVIRT_DEFAULT_URI, then uri_default in "
    "libvirt's client config); an alias of its uri_aliases works too." },
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
    "With --json, every line of standard output is one JSON object. Its "
    "\"kvmmig_json\" member is the version of this format, 1: it stays 1 "
    "for every kvmmig 1.x (and the 0.x releases before it), in which members "
    "and object types may be added but none is removed, renamed or changes "
    "its meaning; a program that reads it should ignore members and types "
    "it does not know, and refuse a kvmmig_json other than 1. Its \"type\" "
    "member says what the object is:\n"
    "\n"
    "  job          the migration kvmmig migrate starts, before its\n"
    "               checks: guest, source (null: libvirt's default URI),\n"
    "               destination, form (virsh, kvmmig), and options, the\n"
    "               job's options as it holds them: policy (auto, precopy,\n"
    "               postcopy), allow_postcopy, bandwidth_limit (MiB/s, 0:\n"
    "               none), max_downtime_ms, completion_timeout_ms (0:\n"
    "               automatic, -1: none), postcopy_recovery_timeout_ms,\n"
    "               persistent, undefine_source, tls, compression (none,\n"
    "               xbzrle, zstd), parallel_connections (0: one),\n"
    "               migration_uri, require_disk_locking, copy_storage\n"
    "               (none, all, incremental), copy_storage_pool (null:\n"
    "               the pool of each disk's directory),\n"
    "               reuse_destination_disks, remove_source_disks,\n"
    "               allow_cluster_managed\n"
    "  check        one pre-flight check: id, title, status (passed,\n"
    "               warning, failed, skipped), message, error\n"
    "  state        the migration (or evacuation) entered a state: state\n"
    "               (checking, migrating, switching-over, postcopy-paused,\n"
    "               completed, failed, cancelled, or a state a newer\n"
    "               libkvmmig adds), elapsed_ms; postcopy-paused adds\n"
    "               recovery_timeout_ms\n"
    "  progress     a progress event (four a second while migrating):\n"
    "               state, progress (0 to 1), bytes_processed,\n"
    "               bytes_remaining, bytes_total, bandwidth and dirty_rate\n"
    "               (bytes a second), iteration, elapsed_ms, eta_ms (-1 if\n"
    "               unknown), disk_bytes_processed, disk_bytes_remaining,\n"
    "               disk_bytes_total (the disk copy, in bytes; all 0 when\n"
    "               no disk is copied)\n"
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
    "  evacuation   aggregate progress of kvmmig evacuate (at most four a\n"
    "               second): progress (0 to 1), guests_total, guests_moved,\n"
    "               guests_failed, elapsed_ms, and running (guest,\n"
    "               destination, progress of each migration under way)\n"
    "  guest        a guest of kvmmig evacuate: when its migration starts\n"
    "               (event started: guest, destination), and when it ends\n"
    "               (event finished: guest, destination, outcome, moved,\n"
    "               state, guest_location, guest_host, total_ms,\n"
    "               downtime_ms, error)\n"
    "  store-host   kvmmig store attach and detach, one per host: store,\n"
    "               host, action (attach, detach), done, error\n"
    "  visibility   kvmmig store check, one per host: store, host,\n"
    "               missing (volumes the others see and it does not),\n"
    "               problems (each a sentence)\n"
    "  volumes      kvmmig volume list, one per host: store, host, and\n"
    "               volumes (each as in volume); or store, host and error\n"
    "  volume       a volume (volume show, create, resize): store, host,\n"
    "               name, key, volume_type (file, block, network),\n"
    "               capacity and allocation (bytes), format, path,\n"
    "               source, guests, in_use\n"
    "  result       always the last line: command, exit_code, exit_name,\n"
    "               error (null, or an object with code, the KvmmigError\n"
    "               nick such as guest-not-found, or cancelled, or usage,\n"
    "               and message); migrate\n"
    "               adds guest, source, destination, state, guest_location\n"
    "               (source, destination, none, unknown), guest_host (its\n"
    "               URI, or null), total_ms, downtime_ms, bytes_processed,\n"
    "               disk_bytes_processed, policy_steps,\n"
    "               postcopy_interrupted; check adds\n"
    "               passed, warnings, failed, skipped; evacuate adds source,\n"
    "               destinations, guests_total, guests_moved, guests_failed,\n"
    "               total_ms, and guests (guest, outcome: moved, failed,\n"
    "               cancelled, not-started; guest_location, guest_host,\n"
    "               destination, error); store check adds complete,\n"
    "               volumes, summary; migrate-setspeed adds guest,\n"
    "               source, bandwidth_limit; migrate-setmaxdowntime adds\n"
    "               guest, source, max_downtime_ms\n"
    "\n"
    "Errors are still printed on standard error as one line each." },
  { "Environment",
    "COLUMNS gives the width of the progress line when the terminal does not "
    "say it. libvirt's own variables apply to the connections (for example "
    "LIBVIRT_DEBUG)." },
  { NULL }
};
