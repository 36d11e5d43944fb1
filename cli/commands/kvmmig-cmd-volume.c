/* kvmmig-cmd-volume.c: `kvmmig volume list|show|create|delete|resize STORE
 * ...`: a shared store's volumes through one or more hosts' pools (or,
 * with --local, the logical volumes of its volume group on this machine),
 * as text or JSON.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "kvmmig-cli.h"

#define LOCAL_NAME "this machine"

/* ------------------------------------------------------------------ */
/* The command: its options and texts (--help and kvmmig.1)             */

static int cmd_volume_list (CliArgs *args);
static int cmd_volume_show (CliArgs *args);
static int cmd_volume_create (CliArgs *args);
static int cmd_volume_delete (CliArgs *args);
static int cmd_volume_resize (CliArgs *args);

static const CliOption volume_list_options[] = {
  { "host", 'H', "URI",
    "A host the store is attached to (give --host several times to list "
    "the volumes as each host sees them)." },
  { "local", 0, NULL,
    "List the logical volumes of the store's volume group on this machine "
    "(through LVM; root), instead of through a host." },
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
  { NULL }
};

static const CliOption volume_delete_options[] = {
  { "host", 'H', "URI",
    "The host to delete it through (required, unless --local). Only the "
    "guests of that host are checked for using the volume: check the other "
    "hosts first (kvmmig volume list)." },
  { "local", 0, NULL,
    "Delete the logical volume on this machine (LVM; root) instead." },
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
  { NULL }
};

static const CliCommand volume_list = {
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
  .json =
    "Print one JSON object a line: one per host with its volumes "
    "(volumes), then a result object.",
  .group = &cli_store_description,
  .exit_codes = CLI_STORE_EXIT_CODES,
  .examples =
    "  kvmmig volume list images --dir /srv/images -H qemu+ssh://root@node1/system",
  .handler = cmd_volume_list,
};

static const CliCommand volume_show = {
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
  .json =
    "Print the volume as one JSON object (volume), then a result object.",
  .group = &cli_store_description,
  .exit_codes = CLI_STORE_EXIT_CODES,
  .examples =
    "  kvmmig volume show images web1.raw --dir /srv/images -H qemu+ssh://root@node1/system\n"
    "  kvmmig volume show images web1.raw --dir /srv/images -H qemu+ssh://root@node1/system \\\n"
    "      --disk-xml vdb > disk.xml",
  .handler = cmd_volume_show,
};

static const CliCommand volume_create = {
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
  .json =
    "Print the new volume as one JSON object (volume), then a result "
    "object.",
  .group = &cli_store_description,
  .exit_codes = CLI_STORE_EXIT_CODES,
  .examples =
    "  kvmmig volume create images web1.raw --size 20G --dir /srv/images \\\n"
    "      -H qemu+ssh://root@node1/system",
  .handler = cmd_volume_create,
};

static const CliCommand volume_delete = {
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
  .json =
    "Print the result as one JSON object.",
  .group = &cli_store_description,
  .exit_codes = CLI_STORE_EXIT_CODES,
  .examples =
    "  kvmmig volume delete images old.raw --dir /srv/images -H qemu+ssh://root@node1/system",
  .handler = cmd_volume_delete,
};

static const CliCommand volume_resize = {
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
  .json =
    "Print the grown volume as one JSON object (volume), then a result "
    "object.",
  .group = &cli_store_description,
  .exit_codes = CLI_STORE_EXIT_CODES,
  .examples =
    "  kvmmig volume resize images web1.raw --size 40G --dir /srv/images \\\n"
    "      -H qemu+ssh://root@node1/system",
  .handler = cmd_volume_resize,
};

static const CliCommand *const volume_commands[] = {
  &volume_list,
  &volume_show,
  &volume_create,
  &volume_delete,
  &volume_resize,
  NULL
};

const CliCommand cli_command_volume = {
  .name = "volume",
  .usage = "COMMAND STORE [VOLUME] [OPTION...]",
  .summary = "List, show, create, grow and delete a store's volumes",
  .description =
    "Manages the volumes of a shared store that is attached to the hosts "
    "(kvmmig store attach): LUNs, logical volumes, or files. Each command "
    "works through one host's storage pool (--host); on a shared store, "
    "every host sees the result. LUNs are made and removed on the storage "
    "box, not with kvmmig.",
  .exit_codes = CLI_STORE_EXIT_CODES,
  .subcommands = volume_commands,
};

/* ------------------------------------------------------------------ */
/* Arguments                                                            */

/* Where a volume command works: the --host URIs (at most @max of them),
 * or this machine (--local; an empty array). */
static GPtrArray *
where_from_args (CliArgs  *args,
                 guint     max,
                 GError  **error)
{
  GPtrArray *uris = cli_args_get_all (args, "host");

  if (cli_args_flag (args, "local"))
    {
      if (uris->len > 0)
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "--host and --local do not go together (see 'kvmmig %s --help')",
                       args->path);
          return NULL;
        }
      return uris;
    }
  if (uris->len == 0)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--host is required, or --local (see 'kvmmig %s --help')", args->path);
      return NULL;
    }
  if (uris->len > max)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--host is given %u times: kvmmig %s works through one host",
                   uris->len, args->path);
      return NULL;
    }
  return cli_require_uris (args, "host", 1, error);
}

/* Parses STORE VOLUME, the hosts and the store. */
static gboolean
parse_volume_args (CliArgs            *args,
                   KvmmigSharedStore **store,
                   const char        **uri,
                   GError            **error)
{
  GPtrArray *uris;

  if (!cli_positional (args, 2, 2, "STORE and VOLUME", error) ||
      (uris = where_from_args (args, 1, error)) == NULL ||
      (*store = cli_store_from_args (args, error)) == NULL)
    return FALSE;
  *uri = uris->len > 0 ? g_ptr_array_index (uris, 0) : NULL;
  return TRUE;
}

static gboolean
parse_size (CliArgs  *args,
            guint64  *size,
            GError  **error)
{
  if (!cli_require (args, "size", error) ||
      !cli_parse_size ("size", cli_args_get (args, "size"), size, error))
    return FALSE;
  if (*size == 0)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, "--size: a volume cannot have a size of 0");
      return FALSE;
    }
  return TRUE;
}

/* Opens the host of @uri; NULL @uri (--local) is this machine: *host
 * stays NULL. */
static gboolean
open_where (const char    *uri,
            GCancellable  *cancellable,
            KvmmigHost   **host,
            GError       **error)
{
  *host = NULL;
  if (uri == NULL)
    return TRUE;
  *host = cli_open_host (uri, cancellable, error);
  return *host != NULL;
}

/* After a failure: if it was interrupted, that is the outcome. */
static void
interrupted_error (GError     **error,
                   const char  *what)
{
  if (!cli_interrupted () || g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_error (error);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "interrupted; %s", what);
}

/* ------------------------------------------------------------------ */
/* Output                                                               */

static const char *
volume_type (KvmmigVolume *volume)
{
  return cli_enum_nick (KVMMIG_TYPE_VOLUME_TYPE, kvmmig_volume_get_volume_type (volume));
}

/* Where guests reach it: a path, or a network source. */
static const char *
volume_location (KvmmigVolume *volume)
{
  const char *path = kvmmig_volume_get_path (volume);

  return path != NULL ? path : kvmmig_volume_get_source (volume);
}

static char *
volume_guests (KvmmigVolume *volume)
{
  const char * const *guests = kvmmig_volume_get_guests (volume);

  if (guests == NULL || guests[0] == NULL)
    return g_strdup ("-");
  return g_strjoinv (",", (char **) guests);
}

static void
json_volume_members (JsonBuilder  *b,
                     KvmmigVolume *volume)
{
  cli_json_string (b, "name", kvmmig_volume_get_name (volume));
  cli_json_string (b, "key", kvmmig_volume_get_key (volume));
  cli_json_string (b, "volume_type", volume_type (volume));
  cli_json_int (b, "capacity", kvmmig_volume_get_capacity (volume));
  cli_json_int (b, "allocation", kvmmig_volume_get_allocation (volume));
  cli_json_string (b, "format", kvmmig_volume_get_format (volume));
  cli_json_string (b, "path", kvmmig_volume_get_path (volume));
  cli_json_string (b, "source", kvmmig_volume_get_source (volume));
  cli_json_strv (b, "guests", kvmmig_volume_get_guests (volume));
  cli_json_bool (b, "in_use", kvmmig_volume_is_in_use (volume));
}

static void
json_volume (KvmmigSharedStore *store,
             KvmmigVolume      *volume)
{
  g_autoptr(JsonBuilder) b = cli_json_begin ("volume");

  cli_json_string (b, "store", kvmmig_shared_store_get_name (store));
  cli_json_string (b, "host", kvmmig_volume_get_host_uri (volume));
  json_volume_members (b, volume);
  cli_json_print (b);
}

static char *
size_text (guint64 bytes)
{
  g_autofree char *size = cli_format_size (bytes);

  return g_strdup_printf ("%s (%" G_GUINT64_FORMAT " bytes)", size, bytes);
}

static void
print_volume (KvmmigSharedStore *store,
              KvmmigVolume      *volume)
{
  const char *uri = kvmmig_volume_get_host_uri (volume);
  g_autofree char *capacity = size_text (kvmmig_volume_get_capacity (volume));
  g_autofree char *allocation = size_text (kvmmig_volume_get_allocation (volume));
  g_autofree char *guests = volume_guests (volume);

  printf ("volume '%s' of store '%s', as %s sees it\n", kvmmig_volume_get_name (volume),
          kvmmig_shared_store_get_name (store), uri ? uri : LOCAL_NAME);
  printf ("  type        %s\n", volume_type (volume));
  printf ("  capacity    %s\n", capacity);
  printf ("  allocation  %s\n", allocation);
  if (kvmmig_volume_get_format (volume) != NULL)
    printf ("  format      %s\n", kvmmig_volume_get_format (volume));
  if (kvmmig_volume_get_path (volume) != NULL)
    printf ("  path        %s\n", kvmmig_volume_get_path (volume));
  if (kvmmig_volume_get_source (volume) != NULL &&
      g_strcmp0 (kvmmig_volume_get_source (volume), kvmmig_volume_get_path (volume)) != 0)
    printf ("  source      %s\n", kvmmig_volume_get_source (volume));
  printf ("  key         %s\n", kvmmig_volume_get_key (volume));
  printf ("  guests      %s\n", g_str_equal (guests, "-") ? "none" : guests);
}

static void
print_volume_table (KvmmigSharedStore *store,
                    const char        *uri,
                    GListModel        *volumes)
{
  guint n = g_list_model_get_n_items (volumes);

  printf ("%s: store '%s', %u volume%s\n", uri ? uri : LOCAL_NAME,
          kvmmig_shared_store_get_name (store), n, n == 1 ? "" : "s");
  if (n == 0)
    return;
  printf ("  %-24s %-8s %11s %11s  %-16s %s\n", "NAME", "TYPE", "CAPACITY", "ALLOCATION",
          "GUESTS", "PATH OR SOURCE");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KvmmigVolume) volume = g_list_model_get_item (volumes, i);
      g_autofree char *capacity = cli_format_size (kvmmig_volume_get_capacity (volume));
      g_autofree char *allocation = cli_format_size (kvmmig_volume_get_allocation (volume));
      g_autofree char *guests = volume_guests (volume);
      const char *location = volume_location (volume);

      printf ("  %-24s %-8s %11s %11s  %-16s %s\n", kvmmig_volume_get_name (volume),
              volume_type (volume), capacity, allocation, guests, location ? location : "-");
    }
}

static void
json_volumes (KvmmigSharedStore *store,
              const char        *uri,
              GListModel        *volumes,
              const GError      *error)
{
  g_autoptr(JsonBuilder) b = cli_json_begin ("volumes");

  cli_json_string (b, "store", kvmmig_shared_store_get_name (store));
  cli_json_string (b, "host", uri);
  if (error != NULL)
    {
      cli_json_error (b, error);
      cli_json_print (b);
      return;
    }
  json_builder_set_member_name (b, "volumes");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (volumes); i++)
    {
      g_autoptr(KvmmigVolume) volume = g_list_model_get_item (volumes, i);

      json_builder_begin_object (b);
      json_volume_members (b, volume);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  cli_json_print (b);
}

/* The result object of a volume command. */
static void
json_result (CliArgs           *args,
             int                code,
             const GError      *error,
             KvmmigSharedStore *store,
             const char        *uri)
{
  g_autoptr(JsonBuilder) b = cli_json_result_begin (args, code, error);

  cli_json_string (b, "store", kvmmig_shared_store_get_name (store));
  if (args->positional->len > 1)
    cli_json_string (b, "volume", g_ptr_array_index (args->positional, 1));
  cli_json_string (b, "host", uri);
  cli_json_print (b);
}

static int
fail (CliArgs           *args,
      const GError      *error,
      KvmmigSharedStore *store,
      const char        *uri)
{
  int code = cli_exit_for_error (error);

  cli_error_line (error->message);
  if (args->json)
    json_result (args, code, error, store, uri);
  return code;
}

/* ------------------------------------------------------------------ */
/* list                                                                 */

static GListModel *
list_on (KvmmigSharedStore *store,
         const char        *uri,
         GCancellable      *cancellable,
         GError           **error)
{
  g_autoptr(KvmmigHost) host = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (!open_where (uri, cancellable, &host, error))
    return NULL;
  kvmmig_shared_store_list_volumes_async (store, host, cancellable, cli_store_result, &result);
  return kvmmig_shared_store_list_volumes_finish (store, cli_wait (&result), error);
}

typedef struct
{
  CliArgs *args;
  KvmmigSharedStore *store;
} VolumeList;

static gboolean
report_volumes (const char    *uri,
                GCancellable  *cancellable,
                gpointer       user_data,
                GError       **error)
{
  VolumeList *list = user_data;
  g_autoptr(GListModel) volumes = list_on (list->store, uri, cancellable, error);

  if (volumes == NULL)
    return FALSE;
  if (list->args->json)
    json_volumes (list->store, uri, volumes, NULL);
  else
    print_volume_table (list->store, uri, volumes);
  return TRUE;
}

static void
json_volumes_failed (const char   *uri,
                     const GError *error,
                     gpointer      user_data)
{
  VolumeList *list = user_data;

  json_volumes (list->store, uri, NULL, error);
}

static int
cmd_volume_list (CliArgs *args)
{
  g_autoptr(GError) first_error = NULL;
  g_autoptr(KvmmigSharedStore) store = NULL;
  static const char *const local = NULL;   /* --local: this machine */
  VolumeList list;
  GCancellable *cancellable;
  GPtrArray *uris;
  guint failed;
  int code;

  {
    g_autoptr(GError) error = NULL;

    if (!cli_positional (args, 1, 1, "STORE", &error) ||
        (uris = where_from_args (args, G_MAXUINT, &error)) == NULL ||
        (store = cli_store_from_args (args, &error)) == NULL)
      return cli_fail (args, error);
  }

  cli_store_interrupt_install (args, FALSE, &cancellable);
  list.args = args;
  list.store = store;
  if (uris->len > 0)
    code = cli_report_each_host (args, cancellable, (const char * const *) uris->pdata,
                                 uris->len, report_volumes, json_volumes_failed, &list,
                                 &failed, &first_error);
  else
    code = cli_report_each_host (args, cancellable, &local, 1, report_volumes,
                                 json_volumes_failed, &list, &failed, &first_error);
  cli_interrupt_remove ();

  if (args->json)
    {
      g_autoptr(JsonBuilder) b = cli_json_result_begin (args, code, first_error);

      cli_json_string (b, "store", kvmmig_shared_store_get_name (store));
      cli_json_int (b, "hosts", uris->len);
      cli_json_int (b, "failed", failed);
      cli_json_print (b);
    }
  return code;
}

/* ------------------------------------------------------------------ */
/* show                                                                 */

/* A guest's disk name: vda, sdb, xvdc, hdd... */
static gboolean
check_disk_dev (const char  *dev,
                GError     **error)
{
  gsize len = strlen (dev);

  if (len >= 2 && len <= 16 && g_ascii_islower (dev[0]))
    {
      gboolean ok = TRUE;

      for (const char *p = dev; *p && ok; p++)
        ok = g_ascii_islower (*p) || g_ascii_isdigit (*p);
      if (ok)
        return TRUE;
    }
  g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
               "--disk-xml: '%s' is not a guest's disk name (such as vda, vdb or sdb)", dev);
  return FALSE;
}

static int
cmd_volume_show (CliArgs *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigSharedStore) store = NULL;
  g_autoptr(KvmmigHost) host = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KvmmigVolume) volume = NULL;
  const char *disk_dev = cli_args_get (args, "disk-xml");
  const char *uri = NULL;
  GCancellable *cancellable;
  int code;

  if (!parse_volume_args (args, &store, &uri, &error) ||
      (disk_dev != NULL && !check_disk_dev (disk_dev, &error)))
    return cli_fail (args, error);

  cli_store_interrupt_install (args, FALSE, &cancellable);
  if (open_where (uri, cancellable, &host, &error))
    {
      kvmmig_shared_store_lookup_volume_async (store, host, g_ptr_array_index (args->positional, 1),
                                               cancellable, cli_store_result, &result);
      volume = kvmmig_shared_store_lookup_volume_finish (store, cli_wait (&result), &error);
    }
  if (volume == NULL)
    interrupted_error (&error, "nothing was changed");
  cli_interrupt_remove ();
  if (volume == NULL)
    return fail (args, error, store, uri);

  code = CLI_EXIT_OK;
  if (disk_dev != NULL && !args->json)
    {
      g_autofree char *xml = kvmmig_volume_to_disk_xml (volume, disk_dev);

      fputs (xml, stdout);
      if (!g_str_has_suffix (xml, "\n"))
        fputc ('\n', stdout);
    }
  else if (args->json)
    {
      json_volume (store, volume);
      {
        g_autoptr(JsonBuilder) b = cli_json_result_begin (args, code, NULL);

        cli_json_string (b, "store", kvmmig_shared_store_get_name (store));
        cli_json_string (b, "volume", kvmmig_volume_get_name (volume));
        cli_json_string (b, "host", uri);
        if (disk_dev != NULL)
          {
            g_autofree char *xml = kvmmig_volume_to_disk_xml (volume, disk_dev);
            cli_json_string (b, "disk_xml", xml);
          }
        cli_json_print (b);
      }
    }
  else
    print_volume (store, volume);
  fflush (stdout);
  return code;
}

/* ------------------------------------------------------------------ */
/* create, delete, resize                                               */

typedef enum {
  OP_CREATE,
  OP_DELETE,
  OP_RESIZE,
} VolumeOp;

static int
volume_op (CliArgs  *args,
           VolumeOp  op)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigSharedStore) store = NULL;
  g_autoptr(KvmmigHost) host = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KvmmigVolume) volume = NULL;
  const char *uri = NULL;
  const char *name;
  GCancellable *cancellable;
  guint64 size = 0;
  gboolean ok = FALSE;

  if (!parse_volume_args (args, &store, &uri, &error) ||
      (op != OP_DELETE && !parse_size (args, &size, &error)))
    return cli_fail (args, error);
  name = g_ptr_array_index (args->positional, 1);

  cli_store_interrupt_install (args, TRUE, &cancellable);
  if (open_where (uri, cancellable, &host, &error))
    switch (op)
      {
      case OP_CREATE:
        kvmmig_shared_store_create_volume_async (store, host, name, size, cancellable,
                                                 cli_store_result, &result);
        volume = kvmmig_shared_store_create_volume_finish (store, cli_wait (&result), &error);
        ok = volume != NULL;
        break;
      case OP_DELETE:
        kvmmig_shared_store_delete_volume_async (store, host, name, cancellable,
                                                 cli_store_result, &result);
        ok = kvmmig_shared_store_delete_volume_finish (store, cli_wait (&result), &error);
        break;
      case OP_RESIZE:
        kvmmig_shared_store_resize_volume_async (store, host, name, size, cancellable,
                                                 cli_store_result, &result);
        volume = kvmmig_shared_store_resize_volume_finish (store, cli_wait (&result), &error);
        ok = volume != NULL;
        break;
      default:
        g_assert_not_reached ();
      }
  if (!ok)
    interrupted_error (&error, "nothing was changed");
  cli_interrupt_remove ();
  if (!ok)
    return fail (args, error, store, uri);

  if (args->json)
    {
      if (volume != NULL)
        json_volume (store, volume);
      json_result (args, CLI_EXIT_OK, NULL, store, uri);
      return CLI_EXIT_OK;
    }

  {
    g_autofree char *capacity = volume ? cli_format_size (kvmmig_volume_get_capacity (volume))
                                       : NULL;
    const char *place = uri ? uri : LOCAL_NAME;

    switch (op)
      {
      case OP_CREATE:
        printf ("created volume '%s' (%s) on store '%s' through %s: %s\n", name, capacity,
                kvmmig_shared_store_get_name (store), place, volume_location (volume));
        break;
      case OP_DELETE:
        printf ("deleted volume '%s' of store '%s' through %s\n", name,
                kvmmig_shared_store_get_name (store), place);
        break;
      case OP_RESIZE:
        printf ("grew volume '%s' of store '%s' to %s through %s\n", name,
                kvmmig_shared_store_get_name (store), capacity, place);
        break;
      default:
        g_assert_not_reached ();
      }
  }
  fflush (stdout);
  return CLI_EXIT_OK;
}

static int
cmd_volume_create (CliArgs *args)
{
  return volume_op (args, OP_CREATE);
}

static int
cmd_volume_delete (CliArgs *args)
{
  return volume_op (args, OP_DELETE);
}

static int
cmd_volume_resize (CliArgs *args)
{
  return volume_op (args, OP_RESIZE);
}
