/* kvmmig-cmd-hosts.c: `kvmmig [-c URI] hosts [URI...]`, each host's info
 * (hostname, CPU, memory, versions) and its guests, as text or JSON; the
 * host of -c first, and without any URI libvirt's default one. A host that
 * fails gives its error line and the others are still shown.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-cli.h"

/* ------------------------------------------------------------------ */
/* The command: its options and texts (--help and kvmmig.1)             */

static int cmd_hosts (CliArgs *args);

const CliCommand cli_command_hosts = {
  .name = "hosts",
  .usage = "[URI...] [--json]",
  .summary = "Show hosts and their guests",
  .description =
    "For each host URI (the host of the global option -c URI first, and "
    "without any, libvirt's default URI, as virsh): its hostname, CPU, memory, hypervisor and libvirt "
    "versions, and its guests with their state, memory, vCPUs and whether "
    "they are defined (persistent) there. A host that cannot be reached "
    "gives an error line and the others are still shown; the exit code is "
    "then that of the first failure.",
  .json =
    "Print one JSON object a line: one per host, with its guests, then a "
    "result object.",
  .exit_codes = CLI_EXIT_BITS_HOSTS,
  .examples =
    "  kvmmig hosts qemu+ssh://root@node1/system qemu+tls://node2/system\n"
    "  kvmmig -c qemu+ssh://root@node1/system hosts",
  .handler = cmd_hosts,
  .connect = TRUE,
};

/* ------------------------------------------------------------------ */
/* How it runs                                                          */

static gboolean
query (const char      *uri,
       GCancellable    *cancellable,
       KvmmigHostInfo **info,
       GPtrArray      **guests,
       GError         **error)
{
  g_autoptr(KvmmigHost) host = cli_open_host (uri, cancellable, error);
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;

  if (host == NULL)
    return FALSE;

  kvmmig_host_query_info_async (host, cancellable, cli_store_result, &r1);
  *info = kvmmig_host_query_info_finish (host, cli_wait (&r1), error);
  if (*info == NULL)
    return FALSE;

  kvmmig_host_list_guests_async (host, cancellable, cli_store_result, &r2);
  *guests = kvmmig_host_list_guests_finish (host, cli_wait (&r2), error);
  if (*guests == NULL)
    {
      g_clear_object (info);
      return FALSE;
    }
  return TRUE;
}

static const char *
or_unknown (const char *value)
{
  return value != NULL ? value : "unknown";
}

static void
print_host (const char     *uri,
            KvmmigHostInfo *info,
            GPtrArray      *guests)
{
  g_autofree char *total = cli_format_size (kvmmig_host_info_get_memory_total (info));
  g_autofree char *free_mem = cli_format_size (kvmmig_host_info_get_memory_free (info));
  const char *model = kvmmig_host_info_get_cpu_model (info);

  printf ("%s\n", cli_uri_label (uri));
  printf ("  hostname   %s\n", kvmmig_host_info_get_hostname (info));
  printf ("  CPUs       %u, %s%s%s\n", kvmmig_host_info_get_cpus (info),
          or_unknown (kvmmig_host_info_get_arch (info)), model ? ", " : "", model ? model : "");
  if (kvmmig_host_info_get_memory_free (info) > 0)
    printf ("  memory     %s, %s free\n", total, free_mem);
  else
    printf ("  memory     %s (the host does not report its free memory)\n", total);
  printf ("  software   %s %s, libvirt %s\n",
          or_unknown (kvmmig_host_info_get_hypervisor (info)),
          or_unknown (kvmmig_host_info_get_hypervisor_version (info)),
          or_unknown (kvmmig_host_info_get_libvirt_version (info)));
  if (guests->len == 0)
    {
      printf ("  guests     none\n");
      return;
    }
  printf ("  guests     %-24s %-12s %10s %6s  %s\n", "NAME", "STATE", "MEMORY", "VCPUS",
          "PERSISTENT");
  for (guint i = 0; i < guests->len; i++)
    {
      KvmmigGuest *guest = g_ptr_array_index (guests, i);
      g_autofree char *memory = cli_format_size (kvmmig_guest_get_memory (guest));

      printf ("             %-24s %-12s %10s %6u  %s\n", kvmmig_guest_get_name (guest),
              cli_enum_nick (KVMMIG_TYPE_GUEST_STATE, kvmmig_guest_get_state (guest)),
              memory, kvmmig_guest_get_vcpus (guest),
              kvmmig_guest_is_persistent (guest) ? "yes" : "no");
    }
}

static void
json_host (const char     *uri,
           KvmmigHostInfo *info,
           GPtrArray      *guests,
           const GError   *error)
{
  g_autoptr(JsonBuilder) b = cli_json_begin ("host");

  cli_json_string (b, "uri", uri);
  if (error != NULL)
    {
      cli_json_error (b, error);
      cli_json_print (b);
      return;
    }

  cli_json_string (b, "hostname", kvmmig_host_info_get_hostname (info));
  cli_json_string (b, "uuid", kvmmig_host_info_get_uuid (info));
  cli_json_string (b, "arch", kvmmig_host_info_get_arch (info));
  cli_json_string (b, "cpu_model", kvmmig_host_info_get_cpu_model (info));
  cli_json_int (b, "cpus", kvmmig_host_info_get_cpus (info));
  cli_json_int (b, "memory_total", kvmmig_host_info_get_memory_total (info));
  json_builder_set_member_name (b, "memory_free");
  if (kvmmig_host_info_get_memory_free (info) > 0)
    json_builder_add_int_value (b, kvmmig_host_info_get_memory_free (info));
  else
    json_builder_add_null_value (b);
  cli_json_string (b, "hypervisor", kvmmig_host_info_get_hypervisor (info));
  cli_json_string (b, "hypervisor_version", kvmmig_host_info_get_hypervisor_version (info));
  cli_json_string (b, "libvirt_version", kvmmig_host_info_get_libvirt_version (info));

  json_builder_set_member_name (b, "guests");
  json_builder_begin_array (b);
  for (guint i = 0; i < guests->len; i++)
    {
      KvmmigGuest *guest = g_ptr_array_index (guests, i);

      json_builder_begin_object (b);
      cli_json_string (b, "name", kvmmig_guest_get_name (guest));
      cli_json_string (b, "uuid", kvmmig_guest_get_uuid (guest));
      cli_json_int (b, "id", kvmmig_guest_get_id (guest));
      cli_json_string (b, "state", cli_enum_nick (KVMMIG_TYPE_GUEST_STATE,
                                                  kvmmig_guest_get_state (guest)));
      json_builder_set_member_name (b, "active");
      json_builder_add_boolean_value (b, kvmmig_guest_is_active (guest));
      json_builder_set_member_name (b, "persistent");
      json_builder_add_boolean_value (b, kvmmig_guest_is_persistent (guest));
      cli_json_int (b, "memory", kvmmig_guest_get_memory (guest));
      cli_json_int (b, "max_memory", kvmmig_guest_get_max_memory (guest));
      cli_json_int (b, "vcpus", kvmmig_guest_get_vcpus (guest));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  cli_json_print (b);
}

static gboolean
report_host (const char    *uri,
             GCancellable  *cancellable,
             gpointer       user_data,
             GError       **error)
{
  CliArgs *args = user_data;
  g_autoptr(KvmmigHostInfo) info = NULL;
  g_autoptr(GPtrArray) guests = NULL;

  if (!query (uri, cancellable, &info, &guests, error))
    return FALSE;
  if (args->json)
    json_host (uri, info, guests, NULL);
  else
    print_host (uri, info, guests);
  return TRUE;
}

static void
json_host_failed (const char   *uri,
                  const GError *error,
                  gpointer      user_data)
{
  json_host (uri, NULL, NULL, error);
}

static int
cmd_hosts (CliArgs *args)
{
  g_autoptr(GError) first_error = NULL;
  g_autoptr(GPtrArray) uris = g_ptr_array_new ();
  GCancellable *cancellable;
  guint failed;
  int code;

  {
    g_autoptr(GError) error = NULL;

    if (!cli_positional (args, 0, G_MAXUINT, "URI", &error))
      return cli_fail (args, error);
    for (guint i = 0; i < args->positional->len; i++)
      if (!cli_check_host_uri (NULL, g_ptr_array_index (args->positional, i), &error))
        return cli_fail (args, error);
  }

  /* -c's host, then those given; none: libvirt's default URI (NULL). */
  if (args->connect_given || args->positional->len == 0)
    g_ptr_array_add (uris, (gpointer) args->connect);
  for (guint i = 0; i < args->positional->len; i++)
    g_ptr_array_add (uris, g_ptr_array_index (args->positional, i));

  cancellable = cli_interrupt_install (cli_interrupt_read_only, NULL);
  code = cli_report_each_host (args, cancellable, (const char * const *) uris->pdata,
                               uris->len, report_host, json_host_failed, args,
                               &failed, &first_error);
  cli_interrupt_remove ();

  if (args->json)
    {
      g_autoptr(JsonBuilder) b = cli_json_result_begin (args, code, first_error);

      cli_json_int (b, "hosts", uris->len);
      cli_json_int (b, "failed", failed);
      cli_json_print (b);
    }
  return code;
}
