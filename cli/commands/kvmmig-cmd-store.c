/* kvmmig-cmd-store.c: `kvmmig store attach|detach|check|format STORE ...`,
 * and the store's description from the command line (the store options,
 * which the volume commands take too): a KvmmigSharedStore made from
 * --iscsi/--target, --dir, --nfs/--mount-point or --block-device, with a
 * CHAP secret read from a file or standard input, never from argv, and
 * never printed.
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

/* Commands that change nothing: a second Ctrl-C quits at once. */
static void
on_interrupt_reading (guint    count,
                      gpointer user_data)
{
  if (count >= 2)
    {
      cli_error_line ("interrupted; nothing was changed");
      _exit (CLI_EXIT_CANCELLED);
    }
}

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
                          : cli_interrupt_install (on_interrupt_reading, args);
}

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

int
cli_cmd_store_attach (CliArgs *args)
{
  return attach_or_detach (args, TRUE);
}

int
cli_cmd_store_detach (CliArgs *args)
{
  return attach_or_detach (args, FALSE);
}

/* ------------------------------------------------------------------ */
/* check                                                                */

int
cli_cmd_store_check (CliArgs *args)
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

int
cli_cmd_store_format (CliArgs *args)
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
