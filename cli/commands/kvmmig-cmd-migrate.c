/* kvmmig-cmd-migrate.c: `kvmmig [-c URI] migrate GUEST DESTURI [OPTION...]`
 * (virsh's form, with virsh migrate's options and defaults; the table of
 * every virsh option and what kvmmig does with it is here) or `kvmmig
 * migrate GUEST --from URI --to URI [OPTION...]` (kvmmig's form):
 * validates the options, opens both hosts, runs a KvmmigMigrationJob with
 * a live progress line (or JSON lines; the disk copy beside the memory
 * when --copy-storage-all or -inc copies disks), prints the policy steps as they
 * happen, cancels cleanly on Ctrl-C, says so when post-copy is interrupted
 * and the job tries to resume it, and ends with a one-line summary that
 * says where the guest runs, and an exit code that says the same.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "kvmmig-cli.h"

#define PLAIN_INTERVAL_MS  5000               /* off a terminal */

/* ------------------------------------------------------------------ */
/* The command: its options and texts (--help and kvmmig.1)             */

static int cmd_migrate (CliArgs *args);

static const CliOption migrate_options[] = {
  { "from", 'f', "URI",
    "kvmmig's form: the host the guest runs on now (with --to)." },
  { "to", 't', "URI",
    "kvmmig's form: the host to move the guest to (with --from)." },
  { "bandwidth", 0, "MiB/s",
    "The most bandwidth the migration may use, in MiB/s (a whole number "
    "from 0 to 1048576; 0, the default, for no limit). As virsh's "
    "--bandwidth, except that it limits post-copy too (virsh's "
    "--postcopy-bandwidth is refused)." },
  { "max-downtime", 0, "ms",
    "The longest the guest may be paused for the switchover, in ms (1 to "
    "600000; default 300, QEMU's default too). The auto policy starts lower "
    "and raises it up to this limit when it must." },
  { "policy", 0, "auto|precopy|postcopy",
    "How the migration is driven to completion. auto (the default of "
    "kvmmig's form) watches each pass and, when the migration stops "
    "converging, raises the allowed downtime, throttles the guest, and "
    "switches to post-copy if --allow-postcopy is given. precopy (the "
    "default of virsh's form) adjusts nothing, as virsh migrate --live. "
    "postcopy switches to post-copy after one pre-copy pass." },
  { "allow-postcopy", 0, NULL,
    "Let the auto policy switch to post-copy. Post-copy always completes, "
    "but while it runs the guest's memory is split between the hosts: if "
    "either host or the link fails then, the guest is lost. Not with "
    "--policy precopy." },
  { "auto-converge", 0, NULL,
    "virsh's: make the migration converge. kvmmig's closest is its auto "
    "policy (--policy auto), which this selects: QEMU's auto-converge "
    "throttling armed from the start, with the throttle chosen from the "
    "measured dirty rate instead of virsh's fixed steps, and the allowed "
    "downtime raised within --max-downtime." },
  { "postcopy", 0, NULL,
    "virsh's: allow post-copy. In virsh it is then started by hand with "
    "virsh migrate-postcopy; kvmmig has no such command, so it selects the "
    "auto policy with post-copy allowed (as --allow-postcopy): the policy "
    "switches to post-copy when pre-copy cannot converge. With "
    "--postcopy-after-precopy: --policy postcopy." },
  { "postcopy-after-precopy", 0, NULL,
    "virsh's, with --postcopy: switch to post-copy after the first pre-copy "
    "pass (--policy postcopy)." },
  { "abort-after", 0, "s|none",
    "Abort the migration if it has not completed after this many seconds "
    "(the guest stays on the source); none for no limit. The default is "
    "60 s plus 60 s per GiB of guest memory in kvmmig's form, none in "
    "virsh's (as virsh). It does not apply once post-copy has started." },
  { "timeout", 0, "s|none",
    "kvmmig's form only: the same as --abort-after (kept for the scripts "
    "that use it). In virsh's form, GUEST DESTURI, it is refused: virsh's "
    "--timeout suspends the guest when the time is up, which kvmmig never "
    "does; give --abort-after there." },
  { "postcopy-recovery-timeout", 0, "s",
    "If post-copy is interrupted (the link between the hosts breaks while "
    "the guest's memory is split between them), keep trying to resume it "
    "for this many seconds (0 to 2147483; default 300) before giving up, "
    "which leaves the guest paused on both hosts (exit code 7). Only with "
    "--allow-postcopy, --postcopy or --policy postcopy." },
  { "persistent", 0, NULL,
    "virsh's: define the guest on the destination. The default of kvmmig's "
    "form; virsh's form leaves it transient there without this." },
  { "undefinesource", 0, NULL,
    "virsh's: remove the guest's definition from the source once it runs "
    "on the destination. The default of kvmmig's form; virsh's form keeps "
    "it without this. Without --persistent in virsh's form, the guest is "
    "then defined on neither host, as with virsh." },
  { "no-persist", 0, NULL,
    "Do not define the guest on the destination: it runs there as a "
    "transient guest, and its definition stays on the source (as with "
    "--keep-source), so that it is not lost. virsh's form does so by "
    "default." },
  { "keep-source", 0, NULL,
    "Keep the guest's definition on the source (kvmmig's form removes it "
    "by default once the guest runs on the destination; virsh's form keeps "
    "it). Take care not to start it there again while it runs on the "
    "destination." },
  { "tls", 0, NULL,
    "Encrypt the migration stream with TLS; both libvirt daemons need TLS "
    "certificates. As virsh's --tls." },
  { "require-disk-locking", 0, NULL,
    "Fail the pre-flight check disk-locking, instead of warning, when a "
    "host has no libvirt lock manager (lockd, sanlock) for the guest's "
    "shared disks, or when it cannot be told; network disks are never "
    "covered (see doc/storage.md)." },
  { "allow-cluster-managed", 0, NULL,
    "Migrate a guest that a Pacemaker cluster manages (one the resource "
    "agent ocf:kvmmig:guest started) behind the cluster's back; without "
    "it the pre-flight check cluster-managed fails and names the cluster's "
    "command that moves it (see doc/cluster.md)." },
  { "copy-storage-all", 0, NULL,
    "virsh's: for hosts that share no storage, copy the guest's disks to "
    "the destination while it runs: each writable disk that is not on "
    "storage both hosts see, whole. The pre-flight check copy-storage says "
    "which disks are copied and where they go; the volumes created on the "
    "destination are removed again if the migration fails. Not with "
    "--copy-storage-inc." },
  { "copy-storage-inc", 0, NULL,
    "virsh's: as --copy-storage-all, but copy only what the top image of "
    "each such disk holds, for guests on a backing image that the "
    "destination has too." },
  { "copy-storage-pool", 0, "POOL",
    "With --copy-storage-all or --copy-storage-inc: the destination's "
    "storage pool in which the copied disks are created. By default, the "
    "pool whose target path is the directory of each disk, so that the disk "
    "keeps its path; another pool must be a directory pool, and the guest "
    "then runs from the disk's new path in it." },
  { "reuse-destination-disks", 0, NULL,
    "With --copy-storage-all or --copy-storage-inc: copy over a disk file "
    "that is already on the destination where a copied disk goes (it must "
    "be at least as large), instead of failing the pre-flight check "
    "copy-storage. kvmmig never removes such a file." },
  { "remove-source-disks", 0, NULL,
    "With --copy-storage-all or --copy-storage-inc: once the guest runs on "
    "the destination, delete the source's volumes of the disks copied "
    "(volumes of a storage pool only). By default they stay. A definition "
    "kept on the source (--keep-source, or virsh's form without "
    "--undefinesource) then names disks that are gone." },
  { "compressed", 0, NULL,
    "virsh's: compress memory pages, with --comp-methods, or xbzrle "
    "(QEMU's default) without it." },
  { "comp-methods", 0, "xbzrle|zstd",
    "virsh's, with --compressed: xbzrle (pages sent again go as deltas) or "
    "zstd (with --parallel); one method. virsh's zlib and mt are refused." },
  { "parallel", 0, NULL,
    "virsh's: send memory over parallel connections (QEMU's multifd), 2 "
    "unless --parallel-connections says." },
  { "parallel-connections", 0, "N",
    "virsh's, with --parallel: the number of connections, 2 to 255." },
  { "migrateuri", 0, "URI",
    "virsh's name of --migration-uri." },
  { "migration-uri", 0, "URI",
    "Where the destination listens for the migration stream, "
    "tcp://ADDRESS[:PORT] (or rdma://), to send it over a dedicated "
    "network. By default libvirt chooses." },
  { NULL }
};

/* Every option of `virsh migrate` (virsh help migrate, libvirt 11.3), and
 * what kvmmig does with it: the man page prints this table. */
static const CliVirshOption migrate_virsh[] = {
  { "domain", "GUEST", CLI_VIRSH_MAPPED,
    "GUEST: a name (a UUID or an ID where libkvmmig finds guests by those), "
    "passed to the library as given." },
  { "desturi", "URI", CLI_VIRSH_MAPPED,
    "DESTURI, the destination as the source's daemon sees it (kvmmig "
    "always migrates peer to peer), and as kvmmig opens it too." },
  { "live", NULL, CLI_VIRSH_ALWAYS,
    "kvmmig always migrates live." },
  { "offline", NULL, CLI_VIRSH_REFUSED,
    "kvmmig migrates running guests live only; to copy the definition of a "
    "guest that does not run, use virsh migrate --offline --persistent" },
  { "p2p", NULL, CLI_VIRSH_ALWAYS,
    "kvmmig always migrates peer to peer: the source's daemon opens DESTURI." },
  { "direct", NULL, CLI_VIRSH_REFUSED,
    "QEMU has no direct migration; kvmmig always migrates peer to peer "
    "(--p2p)" },
  { "tunnelled", NULL, CLI_VIRSH_REFUSED,
    "kvmmig does not tunnel the migration stream through libvirt's "
    "connection; give --tls to encrypt it" },
  { "persistent", NULL, CLI_VIRSH_MAPPED,
    "The persistent option: the guest is defined on the destination "
    "(kvmmig's form does so by default)." },
  { "undefinesource", NULL, CLI_VIRSH_MAPPED,
    "The undefine-source option: the definition is removed from the source "
    "(kvmmig's form does so by default)." },
  { "suspend", NULL, CLI_VIRSH_REFUSED,
    "kvmmig always leaves the guest running on the destination" },
  { "copy-storage-all", NULL, CLI_VIRSH_MAPPED,
    "The copy-storage option, all: each writable disk that is not on "
    "storage both hosts see is copied whole while the guest runs (the "
    "pre-flight check copy-storage lists them)." },
  { "copy-storage-inc", NULL, CLI_VIRSH_MAPPED,
    "The copy-storage option, incremental: only what the top image of each "
    "such disk holds; the destination must have the backing images." },
  { "copy-storage-synchronous-writes", NULL, CLI_VIRSH_REFUSED,
    "not needed: kvmmig's auto policy makes the guest's writes wait for the "
    "destination only when they keep the disk copy from finishing (its step "
    "'synchronous disk writes'), not from the start as this option does; "
    "give --copy-storage-all or --copy-storage-inc without it" },
  { "change-protection", NULL, CLI_VIRSH_ALWAYS,
    "libvirt's QEMU driver always protects the guest's configuration "
    "during a migration." },
  { "unsafe", NULL, CLI_VIRSH_REFUSED,
    "kvmmig never forces a migration libvirt finds unsafe; its pre-flight "
    "check of the disks' cache modes (kvmmig check) says which disk to fix" },
  { "verbose", NULL, CLI_VIRSH_ALWAYS,
    "kvmmig always shows the progress (--json prints it as JSON)." },
  { "compressed", NULL, CLI_VIRSH_MAPPED,
    "The compression option: xbzrle, or the method of --comp-methods." },
  { "auto-converge", NULL, CLI_VIRSH_MAPPED,
    "The policy option, auto: QEMU's auto-converge armed from the start, "
    "with kvmmig's own throttle steps (from the measured dirty rate) and "
    "downtime raises." },
  { "rdma-pin-all", NULL, CLI_VIRSH_REFUSED,
    "kvmmig does not pin guest memory for RDMA" },
  { "abort-on-error", NULL, CLI_VIRSH_ALWAYS,
    "kvmmig always aborts on a soft error (VIR_MIGRATE_ABORT_ON_ERROR)." },
  { "postcopy", NULL, CLI_VIRSH_MAPPED,
    "Alone: the auto policy with allow-postcopy (kvmmig has no "
    "migrate-postcopy command: the policy switches when pre-copy cannot "
    "converge). With --postcopy-after-precopy: the postcopy policy." },
  { "postcopy-after-precopy", NULL, CLI_VIRSH_MAPPED,
    "With --postcopy: the postcopy policy (post-copy after one pass)." },
  { "postcopy-resume", NULL, CLI_VIRSH_REFUSED,
    "kvmmig resumes an interrupted post-copy itself, for "
    "--postcopy-recovery-timeout seconds; once it gave up, its error gives "
    "the virsh migrate --postcopy-resume command to run" },
  { "zerocopy", NULL, CLI_VIRSH_REFUSED,
    "kvmmig does not offer zero-copy migration" },
  { "migrateuri", "URI", CLI_VIRSH_MAPPED,
    "The migration-uri option (--migration-uri): tcp:// or rdma:// only." },
  { "graphicsuri", "URI", CLI_VIRSH_REFUSED,
    "kvmmig does not relocate graphical clients" },
  { "listen-address", "ADDRESS", CLI_VIRSH_REFUSED,
    "give the address in --migrateuri tcp://ADDRESS[:PORT] instead" },
  { "dname", "NAME", CLI_VIRSH_REFUSED,
    "kvmmig keeps the guest's name on the destination" },
  { "timeout", "SEC", CLI_VIRSH_MAPPED,
    "Refused in virsh's form: virsh suspends the guest when the time is up, "
    "and kvmmig never suspends a guest; --abort-after SEC aborts instead "
    "(the guest stays on the source). In kvmmig's form (--from, --to) it "
    "is kvmmig's own --timeout, the same as --abort-after." },
  { "timeout-suspend", NULL, CLI_VIRSH_REFUSED,
    "kvmmig never suspends a guest to complete a migration; give "
    "--abort-after SEC to abort it after SEC seconds instead, or "
    "--auto-converge (the auto policy) or --postcopy to make it converge" },
  { "timeout-postcopy", NULL, CLI_VIRSH_REFUSED,
    "kvmmig does not switch to post-copy after a time; give --postcopy "
    "(the auto policy switches when pre-copy cannot converge) or --postcopy "
    "--postcopy-after-precopy (after one pass)" },
  { "xml", "FILE", CLI_VIRSH_REFUSED,
    "kvmmig migrates the guest with its own definition; shared storage "
    "has the same paths on both hosts" },
  { "migrate-disks", "LIST", CLI_VIRSH_REFUSED,
    "kvmmig takes no list of disks: --copy-storage-all and "
    "--copy-storage-inc copy each writable disk that is not on storage "
    "both hosts see" },
  { "migrate-disks-detect-zeroes", "LIST", CLI_VIRSH_REFUSED,
    "kvmmig does not offer zero detection in a disk copy; give "
    "--copy-storage-all or --copy-storage-inc alone" },
  { "disks-port", "PORT", CLI_VIRSH_REFUSED,
    "kvmmig leaves the port of a disk copy to libvirt; give "
    "--copy-storage-all or --copy-storage-inc alone" },
  { "disks-uri", "URI", CLI_VIRSH_REFUSED,
    "kvmmig leaves where a disk copy connects to libvirt; give "
    "--copy-storage-all or --copy-storage-inc alone" },
  { "comp-methods", "LIST", CLI_VIRSH_MAPPED,
    "The compression option: xbzrle, or zstd with --parallel; one method "
    "(zlib and mt are refused, naming those)." },
  { "comp-mt-level", "N", CLI_VIRSH_REFUSED,
    "kvmmig does not offer multithread compression; use --compressed "
    "--comp-methods zstd with --parallel" },
  { "comp-mt-threads", "N", CLI_VIRSH_REFUSED,
    "kvmmig does not offer multithread compression; use --compressed "
    "--comp-methods zstd with --parallel" },
  { "comp-mt-dthreads", "N", CLI_VIRSH_REFUSED,
    "kvmmig does not offer multithread compression; use --compressed "
    "--comp-methods zstd with --parallel" },
  { "comp-xbzrle-cache", "BYTES", CLI_VIRSH_REFUSED,
    "kvmmig keeps QEMU's xbzrle cache size; give --compressed alone" },
  { "auto-converge-initial", "N", CLI_VIRSH_REFUSED,
    "kvmmig's auto policy chooses the throttle from the measured dirty "
    "rate; give --auto-converge alone" },
  { "auto-converge-increment", "N", CLI_VIRSH_REFUSED,
    "kvmmig's auto policy chooses the throttle from the measured dirty "
    "rate; give --auto-converge alone" },
  { "persistent-xml", "FILE", CLI_VIRSH_REFUSED,
    "kvmmig defines the guest on the destination with its own definition "
    "(--persistent)" },
  { "tls", NULL, CLI_VIRSH_MAPPED,
    "The tls option: QEMU encrypts the stream; it never falls back to "
    "cleartext." },
  { "postcopy-bandwidth", "MiB/s", CLI_VIRSH_REFUSED,
    "kvmmig limits post-copy with --bandwidth too, one limit for both; give "
    "--bandwidth" },
  { "parallel", NULL, CLI_VIRSH_MAPPED,
    "The parallel-connections option: 2 connections." },
  { "parallel-connections", "N", CLI_VIRSH_MAPPED,
    "With --parallel: the parallel-connections option, 2 to 255." },
  { "bandwidth", "MiB/s", CLI_VIRSH_MAPPED,
    "The bandwidth-limit option, in MiB/s; it limits post-copy too." },
  { "tls-destination", "HOST", CLI_VIRSH_REFUSED,
    "kvmmig verifies the destination's certificate against the host of "
    "DESTURI (or of --migrateuri); give the name the certificate has there" },
  { "comp-zlib-level", "N", CLI_VIRSH_REFUSED,
    "kvmmig does not offer zlib compression; use --compressed "
    "--comp-methods zstd with --parallel" },
  { "comp-zstd-level", "N", CLI_VIRSH_REFUSED,
    "kvmmig uses QEMU's zstd level (1); give --comp-methods zstd alone" },
  { "available-switchover-bandwidth", "MiB/s", CLI_VIRSH_REFUSED,
    "kvmmig lets QEMU measure the bandwidth; its auto policy raises the "
    "allowed downtime (--max-downtime) when the migration does not converge" },
  { NULL }
};

const CliCommand cli_command_migrate = {
  .name = "migrate",
  .usage = "GUEST DESTURI [OPTION...] | GUEST --from URI --to URI [OPTION...]",
  .summary = "Live-migrate a guest from one host to another",
  .description =
    "Live-migrates GUEST (a name, or a UUID or an ID where libkvmmig finds "
    "guests by those) from one host to another, in either of two forms. "
    "virsh's form, kvmmig [-c URI] migrate GUEST DESTURI, takes the source "
    "from the global option -c (before the command) or, without it, "
    "libvirt's default URI (LIBVIRT_DEFAULT_URI, then uri_default in "
    "libvirt's client config), and virsh migrate's options with their "
    "meaning and defaults: plain pre-copy (--auto-converge selects kvmmig's "
    "auto policy), no time limit, the guest left transient on the "
    "destination (--persistent defines it there) and still defined on the "
    "source (--undefinesource removes it). kvmmig's form, GUEST --from URI "
    "--to URI, has kvmmig's defaults: the auto policy, a time limit of 60 s "
    "plus 60 s per GiB of memory, the guest defined on the destination and "
    "no longer on the source. Every virsh migrate option is accepted in "
    "both forms, with the same meaning, except --timeout; the table VIRSH "
    "MIGRATE OPTIONS in kvmmig(1) says what kvmmig does with each. Those it "
    "cannot do are refused (exit code 2) with a message that names kvmmig's "
    "way, never given another meaning.\n"
    "\n"
    "Both hosts are libvirt URIs: qemu+ssh://root@HOST/system (SSH keys) or "
    "qemu+tls://HOST/system (x509 certificates) authenticate and encrypt "
    "the connection; qemu+tcp://HOST/system has neither, and is acceptable "
    "only on a trusted, isolated network that nothing else reaches. The "
    "migration is peer to peer: the source's daemon opens DESTURI itself, "
    "so DESTURI must work from the source host too. The migration stream "
    "itself is cleartext unless --tls is given.\n"
    "\n"
    "It runs the pre-flight checks first (as kvmmig check does) and "
    "migrates only if none failed.\n"
    "\n"
    "Between hosts that share no storage, --copy-storage-all (or "
    "--copy-storage-inc, as in virsh) copies the guest's disks to the "
    "destination while the guest runs: the pre-flight check copy-storage "
    "says which disks are copied and where they go, --copy-storage-pool "
    "chooses the destination's pool, --reuse-destination-disks lets the "
    "copy go over files already there, and --remove-source-disks deletes "
    "the source's copies once the guest runs on the destination.\n"
    "\n"
    "On a terminal, a progress line is updated in place: how far it is "
    "(percent), the data sent and still to send, the rate, the rate the "
    "guest dirties memory at, the pre-copy pass, and the estimated time "
    "left. When disks are copied, the disk copy comes after the percent, "
    "as disk PERCENT COPIED/TOTAL, and then the memory figures. The steps "
    "of the convergence policy are printed above it as they happen, and a "
    "one-line summary with the total time and the downtime ends it. When the output is not a terminal, progress lines "
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
  .json =
    "Print JSON, one object a line, instead of text: the job with its "
    "options, the checks, each progress event, each policy step, then a "
    "result object (see JSON output in kvmmig --help and kvmmig(1)).",
  .exit_codes = CLI_EXIT_BITS_HOSTS | CLI_EXIT_BIT (CLI_EXIT_PREFLIGHT) |
                CLI_EXIT_BIT (CLI_EXIT_MIGRATION_FAILED) | CLI_EXIT_BIT (CLI_EXIT_GUEST_LOST),
  .examples =
    "  kvmmig -c qemu+ssh://root@node1/system migrate --live --persistent \\\n"
    "      --undefinesource web1 qemu+ssh://root@node2/system\n"
    "  kvmmig -c qemu+tls://node1/system migrate --live --auto-converge --tls \\\n"
    "      db qemu+tls://node2/system --abort-after 600\n"
    "  kvmmig migrate web1 --from qemu+ssh://root@node1/system \\\n"
    "      --to qemu+ssh://root@node2/system --bandwidth 100 --allow-postcopy\n"
    "  kvmmig migrate web1 --from qemu+ssh://root@node1/system \\\n"
    "      --to qemu+ssh://root@node3/system --copy-storage-all --copy-storage-pool default\n"
    "  kvmmig migrate web1 -f qemu+tls://node1/system -t qemu+tls://node2/system --json",
  .handler = cmd_migrate,
  .connect = TRUE,
  .virsh = migrate_virsh,
  .virsh_intro =
    "Every option of virsh migrate (as virsh help migrate lists them, "
    "libvirt 11.3), and what kvmmig migrate does with it, in either form "
    "unless said. Mapped: taken with virsh's meaning, onto the job's option "
    "named (see the Kvmmig.MigrationJob properties); accepted: kvmmig "
    "always does so, and ignores it; refused: exit code 2, with the "
    "message shown. virsh's global option -c URI is kvmmig's -c URI.",
};

/* ------------------------------------------------------------------ */
/* The state of a migration                                             */

typedef struct
{
  CliArgs *args;
  KvmmigMigrationJob *job;
  GCancellable *job_cancellable;  /* the job's: Ctrl-C cancels it, or not */
  CliStatusLine *line;
  gboolean started;               /* the migration itself started */
  gboolean checks_shown;
  gboolean postcopy;              /* post-copy started: no way back */
  gboolean paused;                /* in POSTCOPY_PAUSED now */
  gboolean was_paused;            /* post-copy was interrupted at some point */
  guint paused_interrupts;        /* Ctrl-Cs while paused */
  gint64 paused_us;               /* when it last entered POSTCOPY_PAUSED */
  guint paused_timer;
  KvmmigMigrationState shown_state;
  guint64 max_processed;          /* bytes sent (memory and disks), as high as seen */
  gint64 start_us;                /* when the job was started */
  const char *source;             /* as given; NULL: libvirt's default URI */
} Migrate;

/* ------------------------------------------------------------------ */
/* While it runs                                                        */

static void
show_checks (Migrate *m)
{
  g_autoptr(GPtrArray) checks = kvmmig_migration_job_get_checks (m->job);
  guint warnings = 0, failed = 0;

  if (m->checks_shown)
    return;
  m->checks_shown = TRUE;

  for (guint i = 0; i < checks->len; i++)
    {
      KvmmigCheck *check = g_ptr_array_index (checks, i);
      KvmmigCheckStatus status = kvmmig_check_get_status (check);

      if (m->args->json)
        {
          cli_json_check (check);
          continue;
        }
      if (status == KVMMIG_CHECK_STATUS_WARNING)
        warnings++;
      if (status == KVMMIG_CHECK_STATUS_FAILED)
        failed++;
      /* Passed checks are summed up; the others are shown. */
      if (status == KVMMIG_CHECK_STATUS_WARNING || status == KVMMIG_CHECK_STATUS_FAILED)
        {
          cli_status_line_clear (m->line);
          cli_print_check (stdout, check);
        }
    }

  if (!m->args->json && checks->len > 0 && failed == 0)
    {
      g_autofree char *text = warnings == 0
        ? g_strdup_printf ("pre-flight: %u checks passed", checks->len)
        : g_strdup_printf ("pre-flight: %u checks passed, %u with a warning (above)",
                           checks->len - warnings, warnings);
      cli_status_line_print (m->line, text);
    }
  fflush (stdout);
}

/* The disk copy's part of the progress line, "disk 45% 28.8/64.0 MiB, ",
 * or nothing when no disk is copied. What is copied is what is no longer
 * left to copy: the bytes processed count what the guest wrote again too. */
static void
append_disk_progress (GString            *text,
                      KvmmigMigrationJob *job)
{
  guint64 total = kvmmig_migration_job_get_disk_bytes_total (job);
  guint64 left = MIN (kvmmig_migration_job_get_disk_bytes_remaining (job), total);
  g_autofree char *copied = NULL;

  if (total == 0)
    return;
  copied = cli_format_size_of (total - left, total);
  g_string_append_printf (text, "disk %d%% %s, ", (int) (100.0 * (total - left) / total),
                          copied);
}

static char *
progress_text (Migrate *m)
{
  KvmmigMigrationJob *job = m->job;
  KvmmigMigrationState state = kvmmig_migration_job_get_state (job);
  gboolean disks = kvmmig_migration_job_get_disk_bytes_total (job) > 0;
  g_autofree char *sent = cli_format_size (kvmmig_migration_job_get_bytes_processed (job));
  g_autofree char *left = cli_format_size (kvmmig_migration_job_get_bytes_remaining (job));
  g_autofree char *rate = cli_format_size (kvmmig_migration_job_get_bandwidth (job));
  g_autofree char *dirty = kvmmig_migration_job_get_dirty_rate (job) > 0
                           ? cli_format_size (kvmmig_migration_job_get_dirty_rate (job))
                           : g_strdup ("-");
  g_autofree char *eta = cli_format_duration (kvmmig_migration_job_get_eta_ms (job));
  g_autofree char *elapsed = cli_format_duration (kvmmig_migration_job_get_elapsed_ms (job));
  GString *text = g_string_new (NULL);

  if (!cli_status_line_is_tty (m->line))
    g_string_append_printf (text, "[%s] ", elapsed);
  g_string_append_printf (text, "%5.1f%% ", 100.0 * kvmmig_migration_job_get_progress (job));
  append_disk_progress (text, job);
  if (disks && kvmmig_migration_job_get_bytes_total (job) == 0)
    g_string_append (text, "memory not started yet, ");
  else
    g_string_append_printf (text, "%ssent %s, left %s, %s/s, dirty %s%s, pass %u, ",
                            disks ? "memory " : "", sent, left, rate, dirty,
                            kvmmig_migration_job_get_dirty_rate (job) > 0 ? "/s" : "",
                            kvmmig_migration_job_get_iteration (job));
  if (state == KVMMIG_MIGRATION_STATE_SWITCHING_OVER)
    g_string_append (text, m->postcopy ? "post-copy" : "switching over");
  else
    g_string_append_printf (text, "ETA %s", eta);
  return g_string_free (text, FALSE);
}

static void
json_progress (Migrate *m)
{
  KvmmigMigrationJob *job = m->job;
  g_autoptr(JsonBuilder) b = cli_json_begin ("progress");

  cli_json_string (b, "state", cli_enum_nick (KVMMIG_TYPE_MIGRATION_STATE,
                                              kvmmig_migration_job_get_state (job)));
  json_builder_set_member_name (b, "progress");
  json_builder_add_double_value (b, kvmmig_migration_job_get_progress (job));
  cli_json_int (b, "bytes_processed", kvmmig_migration_job_get_bytes_processed (job));
  cli_json_int (b, "bytes_remaining", kvmmig_migration_job_get_bytes_remaining (job));
  cli_json_int (b, "bytes_total", kvmmig_migration_job_get_bytes_total (job));
  cli_json_int (b, "bandwidth", kvmmig_migration_job_get_bandwidth (job));
  cli_json_int (b, "dirty_rate", kvmmig_migration_job_get_dirty_rate (job));
  cli_json_int (b, "iteration", kvmmig_migration_job_get_iteration (job));
  cli_json_int (b, "elapsed_ms", kvmmig_migration_job_get_elapsed_ms (job));
  cli_json_int (b, "eta_ms", kvmmig_migration_job_get_eta_ms (job));
  cli_json_int (b, "disk_bytes_processed", kvmmig_migration_job_get_disk_bytes_processed (job));
  cli_json_int (b, "disk_bytes_remaining", kvmmig_migration_job_get_disk_bytes_remaining (job));
  cli_json_int (b, "disk_bytes_total", kvmmig_migration_job_get_disk_bytes_total (job));
  cli_json_print (b);
}

static void
on_progress (KvmmigMigrationJob *job,
             gpointer            data)
{
  Migrate *m = data;
  KvmmigMigrationState state = kvmmig_migration_job_get_state (job);
  guint64 processed = kvmmig_migration_job_get_bytes_processed (job) +
                      kvmmig_migration_job_get_disk_bytes_processed (job);
  g_autofree char *text = NULL;
  gboolean force;

  /* The job emits ::progress once more when it ends, after failed
   * pre-flight checks too: only a migration that ran has any. */
  if (!m->started)
    return;
  if (m->args->json)
    {
      json_progress (m);
      return;
    }
  if (state != KVMMIG_MIGRATION_STATE_MIGRATING &&
      state != KVMMIG_MIGRATION_STATE_SWITCHING_OVER)
    return;

  /* No figures yet (neither of memory nor of a disk copy, which may come
   * first); or figures read after an abort, when libvirt has no job any
   * more (they fall to zero): nothing worth a line. */
  if ((kvmmig_migration_job_get_bytes_total (job) == 0 &&
       kvmmig_migration_job_get_disk_bytes_total (job) == 0) ||
      processed < m->max_processed)
    {
      if (m->max_processed == 0)
        cli_status_line_update (m->line, "starting the migration...", FALSE);
      return;
    }
  m->max_processed = processed;

  force = state != m->shown_state;
  m->shown_state = state;
  text = progress_text (m);
  cli_status_line_update (m->line, text, force);
}

/* While post-copy is paused: the live line counts down to when the job
 * gives up. */
static char *
paused_text (Migrate *m)
{
  gint64 timeout_ms = kvmmig_migration_job_get_postcopy_recovery_timeout_ms (m->job);
  gint64 paused_ms = (g_get_monotonic_time () - m->paused_us) / 1000;
  g_autofree char *paused = cli_format_duration (paused_ms);
  g_autofree char *left = cli_format_duration (MAX (0, timeout_ms - paused_ms));

  return g_strdup_printf ("post-copy paused for %s: trying to resume it, gives up in %s",
                          paused, left);
}

static gboolean
on_paused_tick (gpointer data)
{
  Migrate *m = data;
  g_autofree char *text = paused_text (m);

  cli_status_line_update (m->line, text, FALSE);
  return G_SOURCE_CONTINUE;
}

static void
enter_paused (Migrate *m)
{
  gint64 timeout_ms = kvmmig_migration_job_get_postcopy_recovery_timeout_ms (m->job);
  g_autofree char *timeout = cli_format_duration (timeout_ms);
  g_autofree char *text = NULL;

  m->paused = TRUE;
  m->was_paused = TRUE;
  m->postcopy = TRUE;
  m->paused_interrupts = 0;
  m->paused_us = g_get_monotonic_time ();
  if (m->args->json)
    return;

  text = g_strdup_printf ("post-copy was interrupted: the guest is paused on both hosts, "
                          "its memory split between them; the job keeps trying to resume "
                          "the migration (for up to %s). Do not resume the guest on the "
                          "source.", timeout);
  cli_status_line_print (m->line, text);
  on_paused_tick (m);
  if (m->paused_timer == 0)
    m->paused_timer = g_timeout_add_seconds (1, on_paused_tick, m);
}

static void
leave_paused (Migrate              *m,
              KvmmigMigrationState  state)
{
  m->paused = FALSE;
  g_clear_handle_id (&m->paused_timer, g_source_remove);
  if (m->args->json)
    return;
  if (state == KVMMIG_MIGRATION_STATE_COMPLETED)
    {
      g_autofree char *paused = cli_format_duration ((g_get_monotonic_time () - m->paused_us) / 1000);
      g_autofree char *text = g_strdup_printf ("post-copy resumed after %s paused: the guest "
                                               "runs on the destination", paused);
      cli_status_line_clear (m->line);
      cli_status_line_print (m->line, text);
    }
  else
    cli_status_line_clear (m->line);
}

static void
on_state (GObject    *object,
          GParamSpec *pspec,
          gpointer    data)
{
  Migrate *m = data;
  KvmmigMigrationState state = kvmmig_migration_job_get_state (m->job);

  if (m->paused && state != KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED)
    leave_paused (m, state);

  switch (state)
    {
    case KVMMIG_MIGRATION_STATE_MIGRATING:
      m->started = TRUE;
      show_checks (m);
      break;
    case KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED:
      enter_paused (m);
      break;
    case KVMMIG_MIGRATION_STATE_NEW:
    case KVMMIG_MIGRATION_STATE_CHECKING:
    case KVMMIG_MIGRATION_STATE_SWITCHING_OVER:
    case KVMMIG_MIGRATION_STATE_COMPLETED:
    case KVMMIG_MIGRATION_STATE_FAILED:
    case KVMMIG_MIGRATION_STATE_CANCELLED:
      break;
    default:
      /* A state this kvmmig does not know yet: say so. */
      if (!m->args->json)
        {
          g_autofree char *text =
            g_strdup_printf ("the migration is now in state %s",
                             cli_enum_nick (KVMMIG_TYPE_MIGRATION_STATE, state));
          cli_status_line_print (m->line, text);
        }
      break;
    }

  if (m->args->json)
    {
      g_autoptr(JsonBuilder) b = cli_json_begin ("state");

      cli_json_string (b, "state", cli_enum_nick (KVMMIG_TYPE_MIGRATION_STATE, state));
      cli_json_int (b, "elapsed_ms", (g_get_monotonic_time () - m->start_us) / 1000);
      if (state == KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED)
        cli_json_int (b, "recovery_timeout_ms",
                      kvmmig_migration_job_get_postcopy_recovery_timeout_ms (m->job));
      cli_json_print (b);
    }
}

static void
on_policy_step (KvmmigMigrationJob *job,
                KvmmigPolicyStep   *step,
                gpointer            data)
{
  Migrate *m = data;
  KvmmigPolicyAction action = kvmmig_policy_step_get_action (step);

  if (action == KVMMIG_POLICY_ACTION_START_POSTCOPY && kvmmig_policy_step_get_applied (step))
    m->postcopy = TRUE;

  if (m->args->json)
    {
      g_autoptr(JsonBuilder) b = cli_json_begin ("policy-step");

      cli_json_string (b, "action", cli_enum_nick (KVMMIG_TYPE_POLICY_ACTION, action));
      cli_json_int (b, "value", kvmmig_policy_step_get_value (step));
      json_builder_set_member_name (b, "applied");
      json_builder_add_boolean_value (b, kvmmig_policy_step_get_applied (step));
      cli_json_int (b, "iteration", kvmmig_policy_step_get_iteration (step));
      cli_json_int (b, "elapsed_ms", kvmmig_policy_step_get_elapsed_ms (step));
      cli_json_string (b, "description", kvmmig_policy_step_get_description (step));
      cli_json_print (b);
    }
  else
    {
      g_autofree char *elapsed = cli_format_duration (kvmmig_policy_step_get_elapsed_ms (step));
      g_autofree char *text = g_strdup_printf ("policy (%s, pass %u): %s%s", elapsed,
                                               kvmmig_policy_step_get_iteration (step),
                                               kvmmig_policy_step_get_description (step),
                                               kvmmig_policy_step_get_applied (step)
                                               ? "" : " (not applied)");
      cli_status_line_print (m->line, text);
    }
}

/* Ctrl-C, SIGTERM, SIGHUP. While the hosts open, the first one cancels
 * that and a second quits. Then the first one cancels the job, unless
 * post-copy has started: the guest runs on the destination already, and
 * cancelling would only make the job give up resuming an interrupted
 * post-copy at once. While post-copy is paused, a second one (after a
 * warning) stops the attempts to resume it. None of them ends the
 * process, which waits until the guest is back on its feet somewhere. */
static void
on_interrupt (guint    count,
              gpointer data)
{
  Migrate *m = data;
  const char *text;

  if (m->job == NULL)
    {
      /* Still opening the hosts: nothing has started, nothing to wait for. */
      if (count > 1)
        cli_quit_interrupted (CLI_INTERRUPTED_BEFORE_MIGRATING);
      return;
    }

  if (m->paused)
    {
      m->paused_interrupts++;
      if (m->paused_interrupts == 1)
        text = "post-copy is paused on both hosts and the job is trying to resume it; "
               "press Ctrl-C again to stop trying (the guest then stays paused on both "
               "hosts, to be resumed by hand)";
      else
        {
          g_cancellable_cancel (m->job_cancellable);
          text = "stopping the attempts to resume post-copy: the guest stays paused on "
                 "both hosts";
        }
    }
  else if (m->postcopy)
    text = "post-copy has started: the guest runs on the destination already, and "
           "the migration cannot be cancelled any more; waiting for it to complete";
  else
    {
      g_cancellable_cancel (m->job_cancellable);
      if (count > 1)
        text = "still cancelling: waiting for libvirt to abort the migration, so that "
               "the guest keeps running on the source";
      else if (!m->started)
        text = "cancelling: nothing has been migrated yet";
      else
        text = "cancelling: aborting the migration; the guest keeps running on the source";
    }
  if (!m->args->json)
    cli_status_line_print (m->line, text);
}

/* ------------------------------------------------------------------ */
/* The end                                                              */

static char *
where (Migrate *m)
{
  const char *name = kvmmig_migration_job_get_guest_name (m->job);
  const char *host = cli_uri_label (cli_job_guest_host (m->job));

  switch (kvmmig_migration_job_get_guest_location (m->job))
    {
    case KVMMIG_GUEST_LOCATION_SOURCE:
      return g_strdup_printf ("guest '%s' runs on the source, %s", name, host);
    case KVMMIG_GUEST_LOCATION_DESTINATION:
      return g_strdup_printf ("guest '%s' runs on the destination, %s", name, host);
    case KVMMIG_GUEST_LOCATION_NONE:
      return g_strdup_printf ("guest '%s' runs on neither host", name);
    default:
      return g_strdup_printf ("where guest '%s' runs is not known", name);
    }
}

static int
exit_code (Migrate      *m,
           gboolean      ok,
           const GError *error)
{
  if (ok)
    return CLI_EXIT_OK;
  if (!m->started)
    return cli_exit_for_error (error);
  if (kvmmig_migration_job_get_guest_location (m->job) != KVMMIG_GUEST_LOCATION_SOURCE)
    return CLI_EXIT_GUEST_LOST;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return CLI_EXIT_CANCELLED;
  return CLI_EXIT_MIGRATION_FAILED;
}

static void
print_summary (Migrate      *m,
               gboolean      ok,
               const GError *error)
{
  KvmmigMigrationJob *job = m->job;
  g_autofree char *total = cli_format_duration (kvmmig_migration_job_get_total_ms (job));
  g_autofree char *place = where (m);
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (ok)
    {
      g_autofree char *sent = cli_format_size (kvmmig_migration_job_get_bytes_processed (job));
      guint64 disk_bytes = kvmmig_migration_job_get_disk_bytes_processed (job);
      g_autofree char *disks = cli_format_size (disk_bytes);
      g_autofree char *copied = disk_bytes > 0 ? g_strdup_printf ("copied %s of disks, ", disks)
                                               : g_strdup ("");
      g_autoptr(GPtrArray) steps = kvmmig_migration_job_get_policy_steps (job);
      g_autofree char *downtime = cli_format_downtime (kvmmig_migration_job_get_downtime_ms (job));
      guint passes = kvmmig_migration_job_get_iteration (job);

      printf ("migrated '%s' to %s in %.2f s, downtime %s (%ssent %s in %u pass%s%s%u policy step%s%s)\n",
              kvmmig_migration_job_get_guest_name (job),
              kvmmig_host_get_uri (kvmmig_migration_job_get_destination (job)),
              kvmmig_migration_job_get_total_ms (job) / 1000.0, downtime, copied, sent,
              passes, passes == 1 ? "" : "es", ", ", steps->len, steps->len == 1 ? "" : "s",
              m->was_paused ? "; post-copy was interrupted and resumed" : "");
    }
  else if (m->was_paused && kvmmig_migration_job_get_guest_location (job) == KVMMIG_GUEST_LOCATION_NONE)
    printf ("post-copy could not be resumed after %s: guest '%s' runs on neither host (the "
            "error says whether it is paused on both or lost, and how to resume it)\n", total,
            kvmmig_migration_job_get_guest_name (job));
  else if (m->was_paused)
    printf ("post-copy could not be resumed after %s: %s\n", total, place);
  else if (m->started)
    printf ("%s after %s: %s\n", cancelled ? "cancelled" : "migration failed", total, place);
  else if (cancelled)
    printf ("cancelled before anything moved: %s\n",
            kvmmig_migration_job_get_guest_location (job) == KVMMIG_GUEST_LOCATION_SOURCE
            ? place : "nothing was changed");
  fflush (stdout);
}

static void
json_result (Migrate      *m,
             int           code,
             const GError *error)
{
  KvmmigMigrationJob *job = m->job;
  g_autoptr(JsonBuilder) b = cli_json_result_begin (m->args, code, error);
  g_autoptr(GPtrArray) steps = kvmmig_migration_job_get_policy_steps (job);

  cli_json_string (b, "guest", kvmmig_migration_job_get_guest_name (job));
  cli_json_string (b, "source", m->source);
  cli_json_string (b, "destination",
                   kvmmig_host_get_uri (kvmmig_migration_job_get_destination (job)));
  cli_json_string (b, "state", cli_enum_nick (KVMMIG_TYPE_MIGRATION_STATE,
                                              kvmmig_migration_job_get_state (job)));
  cli_json_string (b, "guest_location", cli_enum_nick (KVMMIG_TYPE_GUEST_LOCATION,
                                                       kvmmig_migration_job_get_guest_location (job)));
  cli_json_string (b, "guest_host", cli_job_guest_host (m->job));
  cli_json_int (b, "total_ms", kvmmig_migration_job_get_total_ms (job));
  cli_json_int (b, "downtime_ms", kvmmig_migration_job_get_downtime_ms (job));
  cli_json_int (b, "bytes_processed", kvmmig_migration_job_get_bytes_processed (job));
  cli_json_int (b, "disk_bytes_processed", kvmmig_migration_job_get_disk_bytes_processed (job));
  cli_json_int (b, "policy_steps", steps->len);
  cli_json_bool (b, "postcopy_interrupted", m->was_paused);
  cli_json_print (b);
}

static int
cmd_migrate (CliArgs *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigMigrationJob) job = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CliStatusLine) line = NULL;
  Migrate m = { .args = args, .shown_state = KVMMIG_MIGRATION_STATE_NEW };
  GCancellable *cancellable;
  CliMigrationOptions options;
  CliJobTarget target;
  gboolean ok;
  int code;

  if (!cli_check_job_args (args, &target, &error) ||
      !cli_migration_options_parse (args, target.virsh_form, &options, &error))
    return cli_fail (args, error);
  m.source = target.source;

  line = cli_status_line_new (stdout, PLAIN_INTERVAL_MS);
  m.line = line;
  cancellable = cli_interrupt_install (on_interrupt, &m);

  if (!args->json)
    {
      g_autofree char *text = g_strdup_printf ("migrating '%s' from %s to %s", target.guest,
                                               cli_uri_label (target.source),
                                               target.destination);
      cli_status_line_print (line, text);
    }

  job = cli_open_job (&target, cancellable, &error);
  if (job == NULL)
    {
      cli_interrupt_remove ();
      cli_status_line_clear (line);
      return cli_fail (args, error);
    }
  m.job = job;
  m.job_cancellable = g_cancellable_new ();
  if (cli_interrupted ())
    g_cancellable_cancel (m.job_cancellable);   /* between the open and now */
  cli_migration_options_apply_to_job (&options, job);
  if (args->json)
    {
      /* The job as it will run: its options as the job holds them. */
      g_autoptr(JsonBuilder) b = cli_json_begin ("job");

      cli_json_string (b, "guest", target.guest);
      cli_json_string (b, "source", target.source);
      cli_json_string (b, "destination", target.destination);
      cli_json_string (b, "form", target.virsh_form ? "virsh" : "kvmmig");
      json_builder_set_member_name (b, "options");
      json_builder_begin_object (b);
      cli_json_job_options (b, job);
      json_builder_end_object (b);
      cli_json_print (b);
    }

  g_signal_connect (job, "notify::state", G_CALLBACK (on_state), &m);
  g_signal_connect (job, "progress", G_CALLBACK (on_progress), &m);
  g_signal_connect (job, "policy-step", G_CALLBACK (on_policy_step), &m);

  if (!args->json)
    cli_status_line_update (line, "running the pre-flight checks...", TRUE);

  m.start_us = g_get_monotonic_time ();
  kvmmig_migration_job_run_async (job, m.job_cancellable, cli_store_result, &result);
  ok = kvmmig_migration_job_run_finish (job, cli_wait (&result), &error);

  /* Updates queued behind the result (none are expected) still show. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_signal_handlers_disconnect_by_data (job, &m);
  g_clear_handle_id (&m.paused_timer, g_source_remove);
  g_clear_object (&m.job_cancellable);

  cli_status_line_clear (line);
  show_checks (&m);
  code = exit_code (&m, ok, error);

  if (!args->json)
    print_summary (&m, ok, error);
  if (!ok)
    cli_error_line (error->message);
  if (args->json)
    json_result (&m, code, error);

  cli_interrupt_remove ();
  return code;
}
