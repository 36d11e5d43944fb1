/* list-guests.c: open a libvirt host and print its guests.
 *
 *   kvmmig-list-guests [URI]        (default: test:///default)
 *   kvmmig-list-guests qemu+ssh://root@node1/system
 *
 * Build against an installed libkvmmig with:
 *   cc list-guests.c $(pkg-config --cflags --libs kvmmig-1)
 */
#include <libkvmmig/kvmmig.h>

int
main (int argc, char *argv[])
{
  const char *uri = argc > 1 ? argv[1] : "test:///default";
  g_autoptr(KvmmigHost) host = kvmmig_host_new (uri);
  g_autoptr(GPtrArray) guests = NULL;
  g_autoptr(GError) error = NULL;

  if (!kvmmig_host_open (host, NULL, &error) ||
      !(guests = kvmmig_host_list_guests (host, NULL, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print ("%s (%s): %u guest(s)\n", uri, kvmmig_host_get_hostname (host), guests->len);
  for (guint i = 0; i < guests->len; i++)
    {
      KvmmigGuest *guest = g_ptr_array_index (guests, i);
      g_autoptr(GEnumClass) states = g_type_class_ref (KVMMIG_TYPE_GUEST_STATE);

      g_print ("  %-20s %s  %-8s %5" G_GUINT64_FORMAT " MiB  %s\n",
               kvmmig_guest_get_name (guest),
               kvmmig_guest_get_uuid (guest),
               g_enum_get_value (states, kvmmig_guest_get_state (guest))->value_nick,
               kvmmig_guest_get_memory (guest) / (1024 * 1024),
               kvmmig_guest_is_persistent (guest) ? "persistent" : "transient");
    }

  return 0;
}
