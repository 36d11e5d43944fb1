/* kvmmig-cmd-check.c: `kvmmig [-c URI] check GUEST DESTURI` or `kvmmig check
 * GUEST --from URI --to URI`, the pre-flight
 * checks of a migration alone (kvmmig_migration_job_check_async), each
 * listed with its outcome and message, and a count of them; with the disk
 * copy's options of `kvmmig migrate` (--copy-storage-all...), those of a
 * migration that copies the guest's disks. What it shares with `kvmmig
 * migrate` (GUEST/--from/--to, opening both hosts, the disk copy's
 * options, printing a check) is in framework/kvmmig-cli-migration.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-cli.h"

/* ------------------------------------------------------------------ */
/* The command: its options and texts (--help and kvmmig.1)             */

static int cmd_check (CliArgs *args);

static const CliOption check_options[] = {
  { "from", 'f', "URI",
    "The host the guest runs on now (kvmmig's form, with --to)." },
  { "to", 't', "URI",
    "The host it would move to (kvmmig's form, with --from)." },
  { "copy-storage-all", 0, NULL,
    "Check a migration that copies the guest's disks, whole, to a "
    "destination that does not share their storage (as kvmmig migrate "
    "--copy-storage-all). Not with --copy-storage-inc." },
  { "copy-storage-inc", 0, NULL,
    "Check a migration that copies only what the top image of each such "
    "disk holds (as kvmmig migrate --copy-storage-inc)." },
  { "copy-storage-pool", 0, "POOL",
    "With --copy-storage-all or --copy-storage-inc: the destination's pool "
    "the copied disks would be created in (see kvmmig migrate --help)." },
  { "reuse-destination-disks", 0, NULL,
    "With --copy-storage-all or --copy-storage-inc: a disk file already on "
    "the destination would be copied over, instead of failing the check "
    "copy-storage." },
  { "remove-source-disks", 0, NULL,
    "With --copy-storage-all or --copy-storage-inc: the migration would "
    "delete the source's volumes of the disks copied." },
  { "allow-cluster-managed", 0, NULL,
    "Check a migration that would move a guest that a Pacemaker cluster "
    "manages behind the cluster's back (as kvmmig migrate "
    "--allow-cluster-managed): the check cluster-managed then warns." },
  { NULL }
};

const CliCommand cli_command_check = {
  .name = "check",
  .usage = "GUEST DESTURI | GUEST --from URI --to URI [OPTION...]",
  .summary = "Run the pre-flight checks of a migration, without migrating",
  .description =
    "Runs the pre-flight checks of migrating GUEST (a name, or a UUID or "
    "an ID where libkvmmig finds guests by those) to DESTURI, from the "
    "host of the global option -c URI (as virsh's, before the command) "
    "or, without it, libvirt's default URI; or, in kvmmig's form, from "
    "--from to --to. It changes nothing (except that the destination's storage pools are "
    "refreshed, and that, for a guest with writable file or block disks, "
    "each host runs a paused probe domain of kvmmig's own, "
    "kvmmig-lock-probe-UUID, for a second or so): the guest exists and "
    "runs on the source; the destination "
    "answers and is another host; no other job runs on the guest; no "
    "cluster manager owns it (the check cluster-managed: the OCF agent "
    "ocf:kvmmig:guest marked it; --allow-cluster-managed makes it a "
    "warning); no guest "
    "of that name or UUID is on the destination; the destination has the "
    "memory free and can run the guest's CPU; it sees every disk of the "
    "guest; the disks' cache modes are safe for migration; both hosts run "
    "a libvirt lock manager for the guest's shared disks (a warning if "
    "not; see doc/storage.md). With --copy-storage-all or "
    "--copy-storage-inc, the disks that are not on storage both hosts see "
    "are checked as kvmmig migrate would copy them: the check copy-storage "
    "says which are copied, where they go, and whether they fit.\n"
    "\n"
    "Each check is listed with its outcome, pass, warning (not fully "
    "verified; does not stop a migration), fail or skipped, and its "
    "message. kvmmig check exits 0 when no check failed, 4 when one did.",
  .options = check_options,
  .json =
    "Print one JSON object a line: one per check, then a result object.",
  .exit_codes = CLI_EXIT_BITS_HOSTS | CLI_EXIT_BIT (CLI_EXIT_PREFLIGHT),
  .examples =
    "  kvmmig -c qemu+ssh://root@node1/system check web1 qemu+ssh://root@node2/system\n"
    "  kvmmig check web1 --from qemu+tls://node1/system --to qemu+tls://node2/system\n"
    "  kvmmig check web1 --from qemu+ssh://root@node1/system \\\n"
    "      --to qemu+ssh://root@node3/system --copy-storage-all",
  .handler = cmd_check,
  .connect = TRUE,
};

/* ------------------------------------------------------------------ */
/* How it runs                                                          */

static int
cmd_check (CliArgs *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigMigrationJob) job = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  GCancellable *cancellable;
  CliJobTarget target;
  CliCopyStorageOptions copy;
  guint counts[4] = { 0 };
  gboolean ok;
  int code;

  if (!cli_check_job_args (args, &target, &error) ||
      !cli_copy_storage_options_parse (args, &copy, &error))
    return cli_fail (args, error);

  cancellable = cli_interrupt_install (cli_interrupt_read_only, NULL);
  job = cli_open_job (&target, cancellable, &error);
  if (job == NULL)
    {
      cli_interrupt_remove ();
      return cli_fail (args, error);
    }
  cli_copy_storage_options_apply_to_job (&copy, job);
  kvmmig_migration_job_set_allow_cluster_managed (job,
                                                  cli_args_flag (args, "allow-cluster-managed"));

  kvmmig_migration_job_check_async (job, cancellable, cli_store_result, &result);
  ok = kvmmig_migration_job_check_finish (job, cli_wait (&result), &error);
  cli_interrupt_remove ();

  checks = kvmmig_migration_job_get_checks (job);
  if (!args->json && checks->len > 0)
    printf ("Pre-flight checks of migrating '%s' from %s to %s:\n",
            kvmmig_migration_job_get_guest_name (job),
            cli_uri_label (target.source), target.destination);
  for (guint i = 0; i < checks->len; i++)
    {
      KvmmigCheck *check = g_ptr_array_index (checks, i);

      counts[kvmmig_check_get_status (check)]++;
      if (args->json)
        cli_json_check (check);
      else
        cli_print_check (stdout, check);
    }

  if (!args->json)
    {
      if (checks->len > 0)
        printf ("%u checks: %u passed, %u warning%s, %u failed, %u skipped. %s\n",
                checks->len, counts[KVMMIG_CHECK_STATUS_PASSED],
                counts[KVMMIG_CHECK_STATUS_WARNING],
                counts[KVMMIG_CHECK_STATUS_WARNING] == 1 ? "" : "s",
                counts[KVMMIG_CHECK_STATUS_FAILED], counts[KVMMIG_CHECK_STATUS_SKIPPED],
                ok ? "The migration can go ahead." : "The migration would fail.");
      fflush (stdout);
    }

  code = ok ? CLI_EXIT_OK : (int) cli_exit_for_error (error);
  if (!ok)
    cli_error_line (error->message);

  if (args->json)
    {
      g_autoptr(JsonBuilder) b = cli_json_result_begin (args, code, error);
      const char *names[4] = { "passed", "warnings", "failed", "skipped" };

      cli_json_string (b, "guest", kvmmig_migration_job_get_guest_name (job));
      cli_json_string (b, "source", target.source);
      cli_json_string (b, "destination", target.destination);
      for (guint i = 0; i < 4; i++)
        cli_json_int (b, names[i], counts[i]);
      cli_json_print (b);
    }
  return code;
}
