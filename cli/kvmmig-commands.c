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
 * To add a command: write its handler in a file of its own, add an entry
 * to cli_commands[], and, for a command with subcommands (`kvmmig volume
 * create ...`), give it a table of its own in .subcommands instead of a
 * handler. Options that several commands share (the store's description)
 * are a CliOptionGroup, listed in cli_option_groups[] so that the man page
 * documents them once.
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
  "host's libvirt daemon sends the guest to the destination itself.\n"
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
    "(store, volume)." },
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
    "The migration failed, or did not complete within its --timeout; the "
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
  { "postcopy-recovery-timeout", 0, "s",
    "If post-copy is interrupted (the link between the hosts breaks while "
    "the guest's memory is split between them), keep trying to resume it "
    "for this many seconds (0 to 2147483; default 300) before giving up, "
    "which leaves the guest paused on both hosts (exit code 7). Only with "
    "--allow-postcopy or --policy postcopy." },
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
  { "json", 0, NULL,
    "Print one JSON object a line: state changes, aggregate progress "
    "(evacuation), each guest as its migration starts and ends (guest), "
    "then a result object with every guest's outcome." },
  { NULL }
};

/* The store's description: every store and volume command takes it, so
 * that each run knows the store without any state kept between runs. */
static const CliOption store_description_options[] = {
  { "iscsi", 0, "PORTAL",
    "An iSCSI target: its portal, HOST[:PORT] or [IPV6]:PORT (port 3260 by "
    "default). Give the target with --target." },
  { "target", 0, "IQN",
    "The iSCSI target's name (iqn.YYYY-MM.domain:name, eui.... or "
    "naa....). Its LUNs are the store's volumes, named unit:0:0:N, unless "
    "--volume-group is given." },
  { "initiator", 0, "qemu|host",
    "Which initiator of each host reaches the LUNs: qemu, QEMU's own (libvirt "
    "iscsi-direct pools; the host logs in to nothing; the default), or "
    "host, the host's open-iscsi (libvirt iscsi pools; each LUN becomes a "
    "block device of the host). With --volume-group the default is host, "
    "which a volume group on a LUN needs." },
  { "initiator-iqn", 0, "IQN",
    "The iSCSI name the hosts log in with, for a target whose ACL lists "
    "initiators (by default each host's own)." },
  { "chap-user", 0, "USER",
    "The CHAP user name the hosts log in to the target with; needs "
    "--chap-secret-file." },
  { "chap-secret-file", 0, "FILE",
    "Read the CHAP secret from FILE (its first line), or from standard "
    "input with -. It goes into a libvirt secret on each host the store is "
    "attached to, and is never printed. There is no option to give the "
    "secret itself: the command line of a process is readable by every "
    "user." },
  { "volume-group", 0, "VG",
    "An LVM volume group on a LUN of the --iscsi target, or on the "
    "--block-device: its logical volumes are then the store's volumes." },
  { "lun", 0, "N",
    "The LUN of the --iscsi target that holds the --volume-group (0 to "
    "16383), for kvmmig store format." },
  { "dir", 0, "PATH",
    "A directory that every host sees at this same absolute path (a "
    "cluster file system, or a share mounted outside libvirt); its files "
    "are the store's volumes." },
  { "nfs", 0, "SERVER:/EXPORT",
    "An NFS export, which libvirt mounts on each host at --mount-point; "
    "its files are the store's volumes." },
  { "mount-point", 0, "PATH",
    "Where each host mounts the --nfs export (an existing directory on "
    "each host)." },
  { "block-device", 0, "DEVICE",
    "A block device every host sees at this path (a Fibre Channel or SAS "
    "LUN, a multipath device such as /dev/mapper/mpatha) that holds the "
    "--volume-group." },
  { NULL }
};

static const CliOptionGroup store_description = {
  .title = "Store options",
  .summary =
    "STORE is the store's name (1 to 64 letters, digits, + _ . -); it names "
    "the libvirt storage pool on each host. Describe the store the same way "
    "in every store and volume command: --iscsi PORTAL --target IQN "
    "[--volume-group VG], --dir PATH, --nfs SERVER:/EXPORT --mount-point "
    "PATH, or --block-device DEVICE --volume-group VG.",
  .description =
    "Every kvmmig store and kvmmig volume command takes the store's name, "
    "STORE, and its description: kvmmig keeps nothing between runs, and the "
    "description says what the store's pool on each host must be. STORE "
    "is 1 to 64 letters, digits and + _ . -, not starting with - or .; the "
    "libvirt storage pool that holds the store's volumes on each host is "
    "named after it (a volume group on an iSCSI LUN also has a pool "
    "STORE-iscsi for the LUN).\n"
    "\n"
    "A store is one of:\n"
    "\n"
    "  --iscsi PORTAL --target IQN     the target's LUNs (QEMU's initiator)\n"
    "  --iscsi PORTAL --target IQN --initiator host\n"
    "                                  the LUNs as block devices of each host\n"
    "  --iscsi PORTAL --target IQN --volume-group VG [--lun N]\n"
    "                                  the logical volumes of VG on a LUN\n"
    "  --dir PATH                      the files of a shared directory\n"
    "  --nfs SERVER:/EXPORT --mount-point PATH\n"
    "                                  the files of an NFS export\n"
    "  --block-device DEVICE --volume-group VG\n"
    "                                  the logical volumes of VG on a\n"
    "                                  shared block device\n"
    "\n"
    "An iSCSI target that needs CHAP takes --chap-user USER and "
    "--chap-secret-file FILE (or - for standard input); the secret is never "
    "taken from the command line, and never printed.",
  .options = store_description_options,
};

const CliOptionGroup *const cli_option_groups[] = {
  &store_description,
  NULL
};

static const CliOption store_attach_options[] = {
  { "host", 'H', "URI",
    "A host to attach the store to (required; give --host several times "
    "for several hosts)." },
  { "json", 0, NULL,
    "Print one JSON object a line: one per host (store-host), then a "
    "result object." },
  { NULL }
};

static const CliOption store_detach_options[] = {
  { "host", 'H', "URI",
    "A host to detach the store from (required; give --host several times "
    "for several hosts)." },
  { "json", 0, NULL,
    "Print one JSON object a line: one per host (store-host), then a "
    "result object." },
  { NULL }
};

static const CliOption store_check_options[] = {
  { "host", 'H', "URI",
    "A host the store is attached to (required; give --host once for "
    "each host to compare)." },
  { "json", 0, NULL,
    "Print one JSON object a line: one per host (visibility), then a "
    "result object with complete, volumes and summary." },
  { NULL }
};

static const CliOption store_format_options[] = {
  { "device", 0, "DEVICE",
    "The block device to format, if not the store's own (the "
    "--block-device, or for an iSCSI store the LUN's "
    "/dev/disk/by-path/ip-PORTAL-iscsi-IQN-lun-N)." },
  { "json", 0, NULL,
    "Print the result as one JSON object." },
  { NULL }
};

static const CliOption volume_list_options[] = {
  { "host", 'H', "URI",
    "A host the store is attached to (give --host several times to list "
    "the volumes as each host sees them)." },
  { "local", 0, NULL,
    "List the logical volumes of the store's volume group on this machine "
    "(through LVM; root), instead of through a host." },
  { "json", 0, NULL,
    "Print one JSON object a line: one per host with its volumes "
    "(volumes), then a result object." },
  { NULL }
};

static const CliOption volume_show_options[] = {
  { "host", 'H', "URI",
    "The host to ask (required, unless --local)." },
  { "local", 0, NULL,
    "Read the logical volume on this machine (LVM; root) instead." },
  { "disk-xml", 0, "DEV",
    "Print only the libvirt <disk> element that gives a guest the volume "
    "as its disk DEV (such as vdb), for virsh attach-device." },
  { "json", 0, NULL,
    "Print the volume as one JSON object (volume), then a result object." },
  { NULL }
};

static const CliOption volume_create_options[] = {
  { "size", 's', "SIZE",
    "The volume's size (required): bytes, or a number with a unit, such as "
    "512M, 10G or 1T (K, M, G, T, P are powers of 1024, as are KiB, MiB...; "
    "KB, MB, GB... are powers of 1000)." },
  { "host", 'H', "URI",
    "The host to create it through (required, unless --local). On a shared "
    "store every other host sees it too." },
  { "local", 0, NULL,
    "Create the logical volume on this machine (LVM; root) instead." },
  { "json", 0, NULL,
    "Print the new volume as one JSON object (volume), then a result "
    "object." },
  { NULL }
};

static const CliOption volume_delete_options[] = {
  { "host", 'H', "URI",
    "The host to delete it through (required, unless --local). Only the "
    "guests of that host are checked for using the volume: check the other "
    "hosts first (kvmmig volume list)." },
  { "local", 0, NULL,
    "Delete the logical volume on this machine (LVM; root) instead." },
  { "json", 0, NULL,
    "Print the result as one JSON object." },
  { NULL }
};

static const CliOption volume_resize_options[] = {
  { "size", 's', "SIZE",
    "The new size (required), larger than the volume's: bytes, or a number "
    "with a unit, such as 20G (as for kvmmig volume create)." },
  { "host", 'H', "URI",
    "The host to grow it through (required, unless --local)." },
  { "local", 0, NULL,
    "Grow the logical volume on this machine (LVM; root) instead: libvirt "
    "cannot grow logical volumes through a host." },
  { "json", 0, NULL,
    "Print the grown volume as one JSON object (volume), then a result "
    "object." },
  { NULL }
};

#define STORE_CODES (CLI_EXIT_BIT (CLI_EXIT_OK) | CLI_EXIT_BIT (CLI_EXIT_FAILED) |          \
                     CLI_EXIT_BIT (CLI_EXIT_USAGE) | CLI_EXIT_BIT (CLI_EXIT_UNREACHABLE) |  \
                     CLI_EXIT_BIT (CLI_EXIT_CANCELLED) | CLI_EXIT_BIT (CLI_EXIT_STORAGE))

static const CliCommand store_commands[] = {
  {
    .name = "attach",
    .usage = "STORE --host URI [--host URI...] STORE-OPTIONS [--json]",
    .summary = "Attach a shared store to hosts",
    .description =
      "Attaches the store to each --host: defines its libvirt storage pools "
      "there (persistent and autostarted), and its CHAP secret if it has one, "
      "and starts them. It is idempotent: what is already there is kept (a "
      "pool that was stopped is started), so running it again is safe; a pool "
      "of that name that is something else is an error. If a step fails on a "
      "host, the steps done there are undone, so that host is left as it was; "
      "the other hosts are still attached, and each host's outcome is "
      "printed. The exit code is then that of the first failure.\n"
      "\n"
      "Then check that every host sees the same volumes with kvmmig store "
      "check.",
    .options = store_attach_options,
    .group = &store_description,
    .exit_codes = STORE_CODES,
    .examples =
      "  kvmmig store attach san --iscsi 10.0.0.5 --target iqn.2024-01.com.example:san \\\n"
      "      --host qemu+tcp://node1/system --host qemu+tcp://node2/system\n"
      "  kvmmig store attach san --iscsi 10.0.0.5 --target iqn.2024-01.com.example:san \\\n"
      "      --chap-user node --chap-secret-file /root/san.secret -H qemu+tcp://node1/system\n"
      "  kvmmig store attach images --dir /srv/images -H qemu+tcp://node1/system",
    .handler = cli_cmd_store_attach,
  },
  {
    .name = "detach",
    .usage = "STORE --host URI [--host URI...] STORE-OPTIONS [--json]",
    .summary = "Detach a shared store from hosts",
    .description =
      "Undoes the attach on each --host: stops and removes the store's pools "
      "and its CHAP secret there. The data on the store is not touched. A "
      "host where a guest, running or only defined, has a disk on the store "
      "is refused (exit code 8) and nothing changes there; the message names "
      "the guests and their disks. The other hosts are still detached.",
    .options = store_detach_options,
    .group = &store_description,
    .exit_codes = STORE_CODES,
    .examples =
      "  kvmmig store detach images --dir /srv/images -H qemu+tcp://node1/system",
    .handler = cli_cmd_store_detach,
  },
  {
    .name = "check",
    .usage = "STORE --host URI [--host URI...] STORE-OPTIONS [--json]",
    .summary = "Check that every host sees the same volumes of a store",
    .description =
      "Lists the store's volumes on each --host (the store must be attached "
      "there) and compares them: every host should see every volume, with "
      "the same key and size, or a guest cannot move between them. For each "
      "host it prints the volumes it does not see and why. Exits 0 when "
      "every host sees the same volumes, 8 when not.",
    .options = store_check_options,
    .group = &store_description,
    .exit_codes = STORE_CODES,
    .examples =
      "  kvmmig store check san --iscsi 10.0.0.5 --target iqn.2024-01.com.example:san \\\n"
      "      -H qemu+tcp://node1/system -H qemu+tcp://node2/system",
    .handler = cli_cmd_store_check,
  },
  {
    .name = "format",
    .usage = "STORE STORE-OPTIONS [--device DEVICE] [--json]",
    .summary = "Make the store's LVM volume group on its device, on this machine",
    .description =
      "Makes the store's --volume-group on its device on this machine "
      "(pvcreate, then vgcreate, through libblockdev; as root): the "
      "--block-device, the LUN --lun of an --iscsi store (this machine must "
      "be logged in to the target), or --device. A device that holds the "
      "volume group already is left as it is; one that holds another volume "
      "group is refused, as is a volume group of that name elsewhere. Do it "
      "once, from one machine, before attaching the store to the hosts.",
    .options = store_format_options,
    .group = &store_description,
    .exit_codes = CLI_EXIT_BIT (CLI_EXIT_OK) | CLI_EXIT_BIT (CLI_EXIT_FAILED) |
                  CLI_EXIT_BIT (CLI_EXIT_USAGE) | CLI_EXIT_BIT (CLI_EXIT_CANCELLED),
    .examples =
      "  kvmmig store format vms --block-device /dev/mapper/mpatha --volume-group vms",
    .handler = cli_cmd_store_format,
  },
  { NULL }
};

static const CliCommand volume_commands[] = {
  {
    .name = "list",
    .usage = "STORE (--host URI [--host URI...] | --local) STORE-OPTIONS [--json]",
    .summary = "List a store's volumes as hosts see them",
    .description =
      "Lists the store's volumes as each --host sees them (its pool is "
      "refreshed first), LUNs by number, with their type (file, block, "
      "network), size, allocation, the guests of that host that use each as "
      "a disk, and where the guests reach it (a path, or an iscsi:// "
      "source). With --local, the logical volumes of the store's volume group "
      "on this machine. A host that fails gives an error line and the others "
      "are still listed; the exit code is then that of the first failure.",
    .options = volume_list_options,
    .group = &store_description,
    .exit_codes = STORE_CODES,
    .examples =
      "  kvmmig volume list images --dir /srv/images -H qemu+tcp://node1/system",
    .handler = cli_cmd_volume_list,
  },
  {
    .name = "show",
    .usage = "STORE VOLUME (--host URI | --local) STORE-OPTIONS [--disk-xml DEV] [--json]",
    .summary = "Show one volume, or the disk XML that gives it to a guest",
    .description =
      "Shows one volume of the store as --host sees it: its type, size, "
      "allocation, format, path or network source, key, and the guests of "
      "that host that use it. With --disk-xml DEV, prints only the libvirt "
      "<disk> element that makes it a guest's disk DEV (virtio, cache=none, "
      "safe for migration), for virsh attach-device or a domain's XML.",
    .options = volume_show_options,
    .group = &store_description,
    .exit_codes = STORE_CODES,
    .examples =
      "  kvmmig volume show images web1.raw --dir /srv/images -H qemu+tcp://node1/system\n"
      "  kvmmig volume show images web1.raw --dir /srv/images -H qemu+tcp://node1/system \\\n"
      "      --disk-xml vdb > disk.xml",
    .handler = cli_cmd_volume_show,
  },
  {
    .name = "create",
    .usage = "STORE VOLUME --size SIZE (--host URI | --local) STORE-OPTIONS [--json]",
    .summary = "Create a volume on a store",
    .description =
      "Creates the volume VOLUME of --size on the store, through --host (on "
      "a shared store every host then sees it): a raw, sparse file on a "
      "directory or NFS store, a logical volume on a volume group. LUNs of an "
      "iSCSI target cannot be created this way: make them on the storage box. "
      "A volume of that name already there, or a size that does not fit in "
      "the store's free space, is refused (exit code 8).",
    .options = volume_create_options,
    .group = &store_description,
    .exit_codes = STORE_CODES,
    .examples =
      "  kvmmig volume create images web1.raw --size 20G --dir /srv/images \\\n"
      "      -H qemu+tcp://node1/system",
    .handler = cli_cmd_volume_create,
  },
  {
    .name = "delete",
    .usage = "STORE VOLUME (--host URI | --local) STORE-OPTIONS [--json]",
    .summary = "Delete a volume of a store",
    .description =
      "Deletes the volume VOLUME, and its data, through --host. A volume that "
      "a guest of that host has as a disk, running or only defined, is "
      "refused (exit code 8); guests of other hosts are not seen, so check "
      "them first with kvmmig volume list. LUNs of an iSCSI target cannot be "
      "deleted this way.",
    .options = volume_delete_options,
    .group = &store_description,
    .exit_codes = STORE_CODES,
    .examples =
      "  kvmmig volume delete images old.raw --dir /srv/images -H qemu+tcp://node1/system",
    .handler = cli_cmd_volume_delete,
  },
  {
    .name = "resize",
    .usage = "STORE VOLUME --size SIZE (--host URI | --local) STORE-OPTIONS [--json]",
    .summary = "Grow a volume of a store",
    .description =
      "Grows the volume VOLUME to --size, through --host. Volumes are never "
      "shrunk: that would cut off the data at their end. A running guest "
      "sees the new size once it rescans its disk. Files on a directory or "
      "NFS store grow through a host; logical volumes grow only with --local, "
      "on a machine that sees the volume group (libvirt cannot resize them); "
      "LUNs are grown on the storage box.",
    .options = volume_resize_options,
    .group = &store_description,
    .exit_codes = STORE_CODES,
    .examples =
      "  kvmmig volume resize images web1.raw --size 40G --dir /srv/images \\\n"
      "      -H qemu+tcp://node1/system",
    .handler = cli_cmd_volume_resize,
  },
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
      "destination and the migration can only complete: Ctrl-C does not "
      "stop it.\n"
      "\n"
      "If post-copy is interrupted (the network between the hosts, or a "
      "libvirt daemon, fails while the guest's memory is split between the "
      "hosts), QEMU pauses the guest on both hosts. kvmmig says so on a "
      "line of its own and the job keeps trying to resume the post-copy "
      "migration, every 2 seconds, for --postcopy-recovery-timeout seconds; "
      "the progress line counts down. If it resumes, the migration "
      "completes (exit code 0). If not, the guest stays paused on both "
      "hosts, its copy on the source is stale and must never be resumed, "
      "and the error line gives the virsh command that resumes the "
      "migration once the hosts reach each other again (exit code 7). "
      "While it retries, Ctrl-C asks for confirmation and a second Ctrl-C "
      "stops retrying (exit code 7).",
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
  {
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
    .exit_codes = CLI_EXIT_BIT (CLI_EXIT_OK) | CLI_EXIT_BIT (CLI_EXIT_FAILED) |
                  CLI_EXIT_BIT (CLI_EXIT_USAGE) | CLI_EXIT_BIT (CLI_EXIT_UNREACHABLE) |
                  CLI_EXIT_BIT (CLI_EXIT_MIGRATION_FAILED) |
                  CLI_EXIT_BIT (CLI_EXIT_CANCELLED) | CLI_EXIT_BIT (CLI_EXIT_GUEST_LOST),
    .examples =
      "  kvmmig evacuate --from qemu+tcp://node1/system --to qemu+tcp://node2/system\n"
      "  kvmmig evacuate -f qemu+tcp://node1/system -t qemu+tcp://node2/system \\\n"
      "      -t qemu+tcp://node3/system --max-per-source 4 --bandwidth 200",
    .handler = cli_cmd_evacuate,
  },
  {
    .name = "store",
    .usage = "COMMAND STORE [OPTION...]",
    .summary = "Attach shared storage to hosts, detach it, check it",
    .description =
      "Manages a shared store: the storage the hosts of a cluster share, so "
      "that a guest's disk is reachable from each of them (an iSCSI target, "
      "a volume group on a LUN or on a shared block device, a shared "
      "directory, an NFS export). kvmmig store attach makes it a libvirt "
      "storage pool on each host, kvmmig store check verifies that every host "
      "sees the same volumes, kvmmig store detach undoes the attach. See "
      "kvmmig volume for the volumes, and Store options for how a store is "
      "described.",
    .exit_codes = STORE_CODES,
    .subcommands = store_commands,
  },
  {
    .name = "volume",
    .usage = "COMMAND STORE [VOLUME] [OPTION...]",
    .summary = "List, show, create, grow and delete a store's volumes",
    .description =
      "Manages the volumes of a shared store that is attached to the hosts "
      "(kvmmig store attach): LUNs, logical volumes, or files. Each command "
      "works through one host's storage pool (--host); on a shared store, "
      "every host sees the result. LUNs are made and removed on the storage "
      "box, not with kvmmig.",
    .exit_codes = STORE_CODES,
    .subcommands = volume_commands,
  },
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
    "  state        the migration (or evacuation) entered a state: state\n"
    "               (checking, migrating, switching-over, postcopy-paused,\n"
    "               completed, failed, cancelled, or a state a newer\n"
    "               libkvmmig adds), elapsed_ms; postcopy-paused adds\n"
    "               recovery_timeout_ms\n"
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
    "               nick such as guest-not-found, and message); migrate\n"
    "               adds guest, source, destination, state, guest_location\n"
    "               (source, destination, none, unknown), guest_host (its\n"
    "               URI, or null), total_ms, downtime_ms, bytes_processed,\n"
    "               policy_steps, postcopy_interrupted; check adds\n"
    "               passed, warnings, failed, skipped; evacuate adds source,\n"
    "               destinations, guests_total, guests_moved, guests_failed,\n"
    "               total_ms, and guests (guest, outcome: moved, failed,\n"
    "               cancelled, not-started; guest_location, guest_host,\n"
    "               destination, error); store check adds complete,\n"
    "               volumes, summary\n"
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
