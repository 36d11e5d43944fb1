/* kvmmig-cmd-store.c: `kvmmig store attach|detach|check|format STORE ...`:
 * a shared store attached to hosts as libvirt storage pools, detached,
 * checked for every host seeing the same volumes, or its LVM volume group
 * made on this machine. The store itself comes from the store options
 * (framework/kvmmig-cli-store.c), which the volume commands take too.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-cli.h"

/* ------------------------------------------------------------------ */
/* The command: its options and texts (--help and kvmmig.1)             */

static int cmd_store_attach (CliArgs *args);
static int cmd_store_detach (CliArgs *args);
static int cmd_store_check (CliArgs *args);
static int cmd_store_format (CliArgs *args);

static const CliOption store_attach_options[] = {
  { "host", 'H', "URI",
    "A host to attach the store to (required; give --host several times "
    "for several hosts)." },
  { NULL }
};

static const CliOption store_detach_options[] = {
  { "host", 'H', "URI",
    "A host to detach the store from (required; give --host several times "
    "for several hosts)." },
  { NULL }
};

static const CliOption store_check_options[] = {
  { "host", 'H', "URI",
    "A host the store is attached to (required; give --host once for "
    "each host to compare)." },
  { NULL }
};

static const CliOption store_format_options[] = {
  { "device", 0, "DEVICE",
    "The block device to format, if not the store's own (the "
    "--block-device, or for an iSCSI store the LUN's "
    "/dev/disk/by-path/ip-PORTAL-iscsi-IQN-lun-N)." },
  { NULL }
};

static const CliCommand store_attach = {
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
  .json =
    "Print one JSON object a line: one per host (store-host), then a "
    "result object.",
  .group = &cli_store_description,
  .exit_codes = CLI_STORE_EXIT_CODES,
  .examples =
    "  kvmmig store attach san --iscsi 10.0.0.5 --target iqn.2024-01.com.example:san \\\n"
    "      --host qemu+ssh://root@node1/system --host qemu+ssh://root@node2/system\n"
    "  kvmmig store attach san --iscsi 10.0.0.5 --target iqn.2024-01.com.example:san \\\n"
    "      --chap-user node --chap-secret-file /root/san.secret -H qemu+ssh://root@node1/system\n"
    "  kvmmig store attach images --dir /srv/images -H qemu+ssh://root@node1/system",
  .handler = cmd_store_attach,
};

static const CliCommand store_detach = {
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
  .json =
    "Print one JSON object a line: one per host (store-host), then a "
    "result object.",
  .group = &cli_store_description,
  .exit_codes = CLI_STORE_EXIT_CODES,
  .examples =
    "  kvmmig store detach images --dir /srv/images -H qemu+ssh://root@node1/system",
  .handler = cmd_store_detach,
};

static const CliCommand store_check = {
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
  .json =
    "Print one JSON object a line: one per host (visibility), then a "
    "result object with complete, volumes and summary.",
  .group = &cli_store_description,
  .exit_codes = CLI_STORE_EXIT_CODES,
  .examples =
    "  kvmmig store check san --iscsi 10.0.0.5 --target iqn.2024-01.com.example:san \\\n"
    "      -H qemu+ssh://root@node1/system -H qemu+ssh://root@node2/system",
  .handler = cmd_store_check,
};

static const CliCommand store_format = {
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
  .json =
    "Print the result as one JSON object.",
  .group = &cli_store_description,
  .exit_codes = CLI_EXIT_BIT (CLI_EXIT_OK) | CLI_EXIT_BIT (CLI_EXIT_FAILED) |
                CLI_EXIT_BIT (CLI_EXIT_USAGE) | CLI_EXIT_BIT (CLI_EXIT_CANCELLED),
  .examples =
    "  kvmmig store format vms --block-device /dev/mapper/mpatha --volume-group vms",
  .handler = cmd_store_format,
};

static const CliCommand *const store_commands[] = {
  &store_attach,
  &store_detach,
  &store_check,
  &store_format,
  NULL
};

const CliCommand cli_command_store = {
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
  .exit_codes = CLI_STORE_EXIT_CODES,
  .subcommands = store_commands,
};

/* ------------------------------------------------------------------ */
/* attach, detach                                                       */

static gboolean
attach_or_detach_one (KvmmigSharedStore  *store,
                      const char         *uri,
                      gboolean            attach,
                      GCancellable       *cancellable,
                      GError            **error)
{
  g_autoptr(KvmmigHost) host = cli_open_host (uri, cancellable, error);
  g_autoptr(GAsyncResult) result = NULL;

  if (host == NULL)
    return FALSE;
  if (attach)
    {
      kvmmig_shared_store_attach_async (store, host, cancellable, cli_store_result, &result);
      return kvmmig_shared_store_attach_finish (store, cli_wait (&result), error);
    }
  kvmmig_shared_store_detach_async (store, host, cancellable, cli_store_result, &result);
  return kvmmig_shared_store_detach_finish (store, cli_wait (&result), error);
}

static void
json_store_host (const char   *store,
                 const char   *uri,
                 gboolean      attach,
                 const GError *error)
{
  g_autoptr(JsonBuilder) b = cli_json_begin ("store-host");

  cli_json_string (b, "store", store);
  cli_json_string (b, "host", uri);
  cli_json_string (b, "action", attach ? "attach" : "detach");
  cli_json_bool (b, "done", error == NULL);
  cli_json_error (b, error);
  cli_json_print (b);
}

static int
attach_or_detach (CliArgs  *args,
                  gboolean  attach)
{
  g_autoptr(GError) first_error = NULL;
  g_autoptr(KvmmigSharedStore) store = NULL;
  g_autoptr(GString) skipped = g_string_new (NULL);
  GCancellable *cancellable;
  GPtrArray *uris;
  const char *name;
  guint done = 0;
  int code = CLI_EXIT_OK;

  {
    g_autoptr(GError) error = NULL;

    if (!cli_positional (args, 1, 1, "STORE", &error) ||
        (uris = cli_require_uris (args, "host", 1, &error)) == NULL ||
        (store = cli_store_from_args (args, &error)) == NULL)
      return cli_fail (args, error);
  }
  name = kvmmig_shared_store_get_name (store);

  cli_store_interrupt_install (args, TRUE, &cancellable);

  for (guint i = 0; i < uris->len; i++)
    {
      const char *uri = g_ptr_array_index (uris, i);
      g_autoptr(GError) error = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_string_append_printf (skipped, "%s%s", skipped->len ? ", " : "", uri);
          continue;
        }

      if (attach_or_detach_one (store, uri, attach, cancellable, &error))
        {
          done++;
          if (args->json)
            json_store_host (name, uri, attach, NULL);
          else
            printf ("store '%s' %s %s\n", name, attach ? "attached to" : "detached from", uri);
          fflush (stdout);
          continue;
        }

      if (cli_interrupted () && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Interrupted while the host opened: nothing was done there. */
          g_clear_error (&error);
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       "%s: interrupted before store '%s' was %s; nothing was changed there",
                       uri, name, attach ? "attached" : "detached");
        }
      cli_error_line (error->message);
      if (args->json)
        json_store_host (name, uri, attach, error);
      cli_keep_first_error (&first_error, &error, &code);
    }

  /* Interrupted: that is the outcome; say what was left undone. */
  if (cli_interrupted ())
    {
      g_autofree char *message = NULL;

      if (skipped->len > 0)
        message = g_strdup_printf ("interrupted: store '%s' was not %s %s", name,
                                   attach ? "attached to" : "detached from", skipped->str);
      else
        message = g_strdup_printf ("interrupted: store '%s' was %s %u of %u hosts", name,
                                   attach ? "attached to" : "detached from", done, uris->len);
      if (skipped->len > 0 || !g_error_matches (first_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cli_error_line (message);
      g_clear_error (&first_error);
      first_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, message);
      code = CLI_EXIT_CANCELLED;
    }
  cli_interrupt_remove ();

  if (args->json)
    {
      g_autoptr(JsonBuilder) b = cli_json_result_begin (args, code, first_error);

      cli_json_string (b, "store", name);
      cli_json_int (b, "hosts", uris->len);
      cli_json_int (b, "done", done);
      cli_json_print (b);
    }
  return code;
}

static int
cmd_store_attach (CliArgs *args)
{
  return attach_or_detach (args, TRUE);
}

static int
cmd_store_detach (CliArgs *args)
{
  return attach_or_detach (args, FALSE);
}

/* ------------------------------------------------------------------ */
/* check                                                                */

static int
cmd_store_check (CliArgs *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigSharedStore) store = NULL;
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KvmmigStoreVisibility) visibility = NULL;
  const char * const *volumes;
  GCancellable *cancellable;
  GPtrArray *uris;
  gboolean complete;
  guint n_volumes;
  int code;

  if (!cli_positional (args, 1, 1, "STORE", &error) ||
      (uris = cli_require_uris (args, "host", 1, &error)) == NULL ||
      (store = cli_store_from_args (args, &error)) == NULL)
    return cli_fail (args, error);

  cli_store_interrupt_install (args, FALSE, &cancellable);
  hosts = cli_open_hosts (uris, cancellable, &error);
  if (hosts != NULL)
    {
      kvmmig_shared_store_check_visibility_async (store, hosts, cancellable,
                                                  cli_store_result, &result);
      visibility = kvmmig_shared_store_check_visibility_finish (store, cli_wait (&result),
                                                                &error);
    }
  if (visibility == NULL)
    {
      if (cli_interrupted ())
        {
          g_clear_error (&error);
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       "interrupted; nothing was changed");
        }
      cli_interrupt_remove ();
      return cli_fail (args, error);
    }
  cli_interrupt_remove ();

  complete = kvmmig_store_visibility_is_complete (visibility);
  volumes = kvmmig_store_visibility_get_volume_names (visibility);
  n_volumes = volumes ? g_strv_length ((char **) volumes) : 0;

  if (!args->json)
    printf ("Store '%s' on %u host%s, %u volume%s:\n", kvmmig_shared_store_get_name (store),
            uris->len, uris->len == 1 ? "" : "s", n_volumes, n_volumes == 1 ? "" : "s");

  for (guint i = 0; i < uris->len; i++)
    {
      const char *uri = g_ptr_array_index (uris, i);
      const char * const *missing = kvmmig_store_visibility_get_missing (visibility, uri);
      const char * const *problems = kvmmig_store_visibility_get_problems (visibility, uri);
      guint n_missing = missing ? g_strv_length ((char **) missing) : 0;

      if (args->json)
        {
          g_autoptr(JsonBuilder) b = cli_json_begin ("visibility");

          cli_json_string (b, "store", kvmmig_shared_store_get_name (store));
          cli_json_string (b, "host", uri);
          cli_json_strv (b, "missing", missing);
          cli_json_strv (b, "problems", problems);
          cli_json_print (b);
          continue;
        }

      if (problems == NULL || problems[0] == NULL)
        printf ("  ok       %s sees all %u volume%s\n", uri, n_volumes,
                n_volumes == 1 ? "" : "s");
      else
        {
          if (n_missing > 0)
            printf ("  problem  %s does not see %u of the %u volumes:\n", uri, n_missing,
                    n_volumes);
          else
            printf ("  problem  %s:\n", uri);
          for (guint p = 0; problems[p] != NULL; p++)
            printf ("           %s\n", problems[p]);
        }
    }

  code = complete ? CLI_EXIT_OK : CLI_EXIT_STORAGE;
  if (!args->json)
    {
      if (complete)
        printf ("%s\n", kvmmig_store_visibility_get_summary (visibility));
      else
        printf ("The hosts do not all see the same volumes: guests on them cannot move "
                "between these hosts.\n");
      fflush (stdout);
    }
  if (!complete)
    {
      error = g_error_new_literal (KVMMIG_ERROR, KVMMIG_ERROR_STORAGE_NOT_SHARED,
                                   kvmmig_store_visibility_get_summary (visibility));
      cli_error_line (error->message);
    }

  if (args->json)
    {
      g_autoptr(JsonBuilder) b = cli_json_result_begin (args, code, error);

      cli_json_string (b, "store", kvmmig_shared_store_get_name (store));
      cli_json_bool (b, "complete", complete);
      cli_json_strv (b, "volumes", volumes);
      cli_json_string (b, "summary", kvmmig_store_visibility_get_summary (visibility));
      cli_json_print (b);
    }
  return code;
}

/* ------------------------------------------------------------------ */
/* format                                                               */

static int
cmd_store_format (CliArgs *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigSharedStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const char *device = cli_args_get (args, "device");
  GCancellable *cancellable;
  gboolean ok;
  int code;

  if (!cli_positional (args, 1, 1, "STORE", &error) ||
      (store = cli_store_from_args (args, &error)) == NULL)
    return cli_fail (args, error);
  if (kvmmig_shared_store_get_volume_group (store) == NULL)
    {
      g_set_error (&error, CLI_ERROR, CLI_ERROR_USAGE,
                   "kvmmig store format makes the store's volume group: give "
                   "--volume-group VG (with --iscsi or --block-device)");
      return cli_fail (args, error);
    }
  if (device != NULL && !g_str_has_prefix (device, "/dev/"))
    {
      g_set_error (&error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--device: '%s' is not a path under /dev", device);
      return cli_fail (args, error);
    }
  if (device == NULL && kvmmig_shared_store_get_kind (store) == KVMMIG_STORE_KIND_ISCSI &&
      kvmmig_shared_store_get_lun (store) < 0)
    {
      g_set_error (&error, CLI_ERROR, CLI_ERROR_USAGE,
                   "an iSCSI store's volume group is on one of its LUNs: give --lun N "
                   "(or --device DEVICE)");
      return cli_fail (args, error);
    }

  cli_store_interrupt_install (args, TRUE, &cancellable);
  kvmmig_shared_store_format_async (store, device, cancellable, cli_store_result, &result);
  ok = kvmmig_shared_store_format_finish (store, cli_wait (&result), &error);
  cli_interrupt_remove ();

  if (!ok)
    return cli_fail (args, error);

  code = CLI_EXIT_OK;
  if (args->json)
    {
      g_autoptr(JsonBuilder) b = cli_json_result_begin (args, code, NULL);

      cli_json_string (b, "store", kvmmig_shared_store_get_name (store));
      cli_json_string (b, "volume_group", kvmmig_shared_store_get_volume_group (store));
      cli_json_string (b, "device", device);
      cli_json_print (b);
    }
  else
    printf ("store '%s': volume group '%s' is on %s\n", kvmmig_shared_store_get_name (store),
            kvmmig_shared_store_get_volume_group (store),
            device ? device : "the store's device");
  return code;
}
