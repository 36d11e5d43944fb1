/* kvmmig-cli-store.c: the shared store on the command line, for the store
 * and volume commands (commands/kvmmig-cmd-store.c, kvmmig-cmd-volume.c):
 * the store options (a CliOptionGroup, documented once in the man page)
 * and the KvmmigSharedStore made from them, --iscsi/--target, --dir,
 * --nfs/--mount-point or --block-device, with a CHAP secret read from a
 * file or standard input, never from argv, and never printed; and how
 * those commands take Ctrl-C.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "kvmmig-cli.h"

#define MAX_LUN      16383
#define MAX_SECRET       255                  /* bytes, as iSCSI targets take them */
#define MAX_SECRET_FILE  65536

/* ------------------------------------------------------------------ */
/* The store options                                                    */

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

const CliOptionGroup cli_store_description = {
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

/* ------------------------------------------------------------------ */
/* The store's description                                              */

static gboolean
usage (GError     **error,
       CliArgs     *args,
       const char  *format,
       ...) G_GNUC_PRINTF (3, 4);

static gboolean
usage (GError     **error,
       CliArgs     *args,
       const char  *format,
       ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, "%s (see 'kvmmig %s --help')",
               message, args->path);
  return FALSE;
}

/* Options that only go with one kind of store. */
static gboolean
only_with (CliArgs             *args,
           const char          *kind_option,
           const char * const  *options,
           GError             **error)
{
  for (guint i = 0; options[i] != NULL; i++)
    if (cli_args_get (args, options[i]) != NULL)
      return usage (error, args, "--%s only goes with --%s", options[i], kind_option);
  return TRUE;
}

/* Reads standard input to its end (at most @max bytes and one more, so
 * that too much shows); from a terminal, one line typed without echo. */
static char *
read_stdin (gsize    max,
            gsize   *len,
            GError **error)
{
  g_autoptr(GString) in = g_string_sized_new (128);
  char buffer[256];
  size_t n;

  if (isatty (STDIN_FILENO))
    {
      struct termios saved, quiet;
      gboolean echo_off;

      fputs ("CHAP secret: ", stderr);
      fflush (stderr);
      echo_off = tcgetattr (STDIN_FILENO, &saved) == 0;
      if (echo_off)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
        }
      if (fgets (buffer, sizeof buffer, stdin) != NULL)
        g_string_append (in, buffer);
      if (echo_off)
        tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
    }
  else
    while (in->len <= max && (n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
      g_string_append_len (in, buffer, n);
  explicit_bzero (buffer, sizeof buffer);

  if (ferror (stdin))
    {
      explicit_bzero (in->str, in->len);
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   "--chap-secret-file -: cannot read standard input");
      return NULL;
    }
  *len = in->len;
  return g_string_free (g_steal_pointer (&in), FALSE);
}

/* Reads the CHAP secret: the first line of @path, or of standard input
 * for "-". Nothing of it goes into an error message. */
static char *
read_secret (const char  *path,
             GError     **error)
{
  g_autofree char *data = NULL;
  const char *problem = NULL;
  gsize len = 0, line;
  char *end;

  if (g_str_equal (path, "-"))
    {
      data = read_stdin (MAX_SECRET_FILE, &len, error);
      if (data == NULL)
        return NULL;
    }
  else
    {
      g_autoptr(GError) local_error = NULL;

      if (!g_file_get_contents (path, &data, &len, &local_error))
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, "--chap-secret-file: %s",
                       local_error->message);
          return NULL;
        }
    }

  /* The first line, without its end. */
  end = memchr (data, '\n', len);
  line = end ? (gsize) (end - data) : len;
  if (line > 0 && data[line - 1] == '\r')
    line--;

  if (len > MAX_SECRET_FILE)
    problem = "the file is too long to hold a CHAP secret";
  else if (line == 0)
    problem = "the secret (its first line) is empty";
  else if (line > MAX_SECRET)
    problem = "the secret is longer than 255 bytes";
  else
    for (gsize i = 0; i < line && problem == NULL; i++)
      if ((guchar) data[i] < 0x20 || data[i] == 0x7f)
        problem = "the secret holds a control character (or a NUL byte)";

  if (problem != NULL)
    {
      explicit_bzero (data, len);
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE, "--chap-secret-file %s: %s",
                   path, problem);
      return NULL;
    }

  explicit_bzero (data + line, len - line);
  return g_steal_pointer (&data);
}

/* "SERVER:/EXPORT" or "[IPV6]:/EXPORT". */
static gboolean
split_nfs (const char  *value,
           char       **server,
           char       **export_path)
{
  const char *colon;

  if (value[0] == '[')
    {
      const char *close = strchr (value, ']');

      if (close == NULL || close[1] != ':')
        return FALSE;
      colon = close + 1;
      *server = g_strndup (value + 1, close - value - 1);
    }
  else
    {
      colon = strchr (value, ':');
      if (colon == NULL)
        return FALSE;
      *server = g_strndup (value, colon - value);
    }
  if (**server == '\0' || colon[1] != '/')
    {
      g_clear_pointer (server, g_free);
      return FALSE;
    }
  *export_path = g_strdup (colon + 1);
  return TRUE;
}

KvmmigSharedStore *
cli_store_from_args (CliArgs  *args,
                     GError  **error)
{
  static const char *const kinds[] = { "iscsi", "dir", "nfs", "block-device", NULL };
  static const char *const iscsi_only[] = { "target", "initiator", "initiator-iqn", "lun",
                                            "chap-user", "chap-secret-file", NULL };
  static const char *const nfs_only[] = { "mount-point", NULL };
  static const char *const lvm_only[] = { "volume-group", NULL };
  const char *name = g_ptr_array_index (args->positional, 0);
  const char *kind = NULL;
  const char *value;
  g_autoptr(KvmmigSharedStore) store = NULL;

  for (guint i = 0; kinds[i] != NULL; i++)
    if (cli_args_get (args, kinds[i]) != NULL)
      {
        if (kind != NULL)
          {
            usage (error, args, "--%s and --%s do not go together: a store is one of them",
                   kind, kinds[i]);
            return NULL;
          }
        kind = kinds[i];
      }

  if (kind == NULL)
    {
      usage (error, args, "describe the store: --iscsi PORTAL --target IQN, --dir PATH, "
             "--nfs SERVER:/EXPORT --mount-point PATH, or --block-device DEVICE "
             "--volume-group VG");
      return NULL;
    }

  if (!g_str_equal (kind, "iscsi") && !only_with (args, "iscsi", iscsi_only, error))
    return NULL;
  if (!g_str_equal (kind, "nfs") && !only_with (args, "nfs", nfs_only, error))
    return NULL;
  if ((g_str_equal (kind, "dir") || g_str_equal (kind, "nfs")) &&
      !only_with (args, "iscsi or --block-device", lvm_only, error))
    return NULL;

  value = cli_args_get (args, kind);
  if (g_str_equal (kind, "iscsi"))
    {
      const char *target = cli_args_get (args, "target");
      const char *initiator = cli_args_get (args, "initiator");
      const char *user = cli_args_get (args, "chap-user");
      const char *secret_file = cli_args_get (args, "chap-secret-file");
      const char *vg = cli_args_get (args, "volume-group");

      if (target == NULL)
        {
          usage (error, args, "--iscsi needs --target IQN, the target's name");
          return NULL;
        }
      store = kvmmig_shared_store_new_iscsi (name, value, target);

      if (initiator != NULL && !g_str_equal (initiator, "qemu") &&
          !g_str_equal (initiator, "host"))
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "--initiator: '%s' is not one of qemu, host", initiator);
          return NULL;
        }
      /* A volume group on a LUN needs the host's initiator: it is the
       * default then. */
      if ((initiator != NULL && g_str_equal (initiator, "host")) ||
          (initiator == NULL && vg != NULL))
        kvmmig_shared_store_set_initiator (store, KVMMIG_ISCSI_INITIATOR_HOST);
      kvmmig_shared_store_set_initiator_iqn (store, cli_args_get (args, "initiator-iqn"));

      if ((value = cli_args_get (args, "lun")) != NULL)
        {
          guint64 lun;

          if (!cli_parse_uint ("lun", value, 0, MAX_LUN, "LUN", &lun, error))
            return NULL;
          kvmmig_shared_store_set_lun (store, (int) lun);
        }

      if ((user != NULL) != (secret_file != NULL))
        {
          usage (error, args, user ? "--chap-user needs --chap-secret-file FILE (or - for "
                                     "standard input)"
                                   : "--chap-secret-file needs --chap-user USER");
          return NULL;
        }
      if (user != NULL)
        {
          char *secret;

          if (user[0] == '\0')
            {
              usage (error, args, "--chap-user: the user name is empty");
              return NULL;
            }
          secret = read_secret (secret_file, error);
          if (secret == NULL)
            return NULL;
          kvmmig_shared_store_set_chap (store, user, secret);
          explicit_bzero (secret, strlen (secret));
          g_free (secret);
        }
    }
  else if (g_str_equal (kind, "dir"))
    store = kvmmig_shared_store_new_directory (name, value);
  else if (g_str_equal (kind, "nfs"))
    {
      g_autofree char *server = NULL;
      g_autofree char *export_path = NULL;
      const char *mount_point = cli_args_get (args, "mount-point");

      if (!split_nfs (value, &server, &export_path))
        {
          g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                       "--nfs: '%s' is not of the form SERVER:/EXPORT", value);
          return NULL;
        }
      if (mount_point == NULL)
        {
          usage (error, args, "--nfs needs --mount-point PATH, where the hosts mount it");
          return NULL;
        }
      store = kvmmig_shared_store_new_nfs (name, server, export_path, mount_point);
    }
  else
    {
      if (cli_args_get (args, "volume-group") == NULL)
        {
          usage (error, args, "--block-device needs --volume-group VG, the volume group "
                 "on the device");
          return NULL;
        }
      store = kvmmig_shared_store_new_block_device (name, value,
                                                    cli_args_get (args, "volume-group"));
    }

  if ((value = cli_args_get (args, "volume-group")) != NULL)
    kvmmig_shared_store_set_volume_group (store, value);

  return g_steal_pointer (&store);
}

/* ------------------------------------------------------------------ */
/* Ctrl-C                                                               */

/* Commands that change a host: the operation under way finishes or is
 * undone; quitting in its middle could leave a host half-changed. */
static void
on_interrupt_changing (guint    count,
                       gpointer user_data)
{
  CliArgs *args = user_data;

  if (args->json)
    return;
  printf ("%s\n", count == 1
          ? "cancelling: waiting for the operation under way to finish or be undone"
          : "still waiting for the operation under way, so that no host is left "
            "half-changed");
  fflush (stdout);
}

void
cli_store_interrupt_install (CliArgs       *args,
                             gboolean       changing,
                             GCancellable **cancellable)
{
  *cancellable = changing ? cli_interrupt_install (on_interrupt_changing, args)
                          : cli_interrupt_install (cli_interrupt_read_only, args);
}

