/* test-host-replies.c: the readers of what a libvirt host sends, on the
 * hostile inputs that once crashed, leaked or broke an invariant in
 * tests/fuzz/ (each test names its regression input there): bad XML gives
 * a KvmmigError in valid UTF-8 that names what was read, never a crash.
 * No libvirt connection.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <gio/gio.h>

#include "kvmmig-error.h"
#include "kvmmig-qmp-private.h"

static void
assert_reply_refused (const char *reply,
                      const char *expected_start)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (_kvmmig_qmp_reply_check (reply, &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_true (g_str_has_prefix (error->message, expected_start));
  /* A quote of the reply, not all of it. */
  g_assert_cmpuint (strlen (error->message), <, 600);
}

/* corpus/qmp-reply/qmp-regress-*.json */
static void
test_qmp_reply (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = g_strnfill (1000000, '[');
  g_autofree char *long_desc = NULL;
  g_autofree char *long_reply = NULL;

  g_assert_true (_kvmmig_qmp_reply_check (NULL, &error));
  g_assert_no_error (error);
  g_assert_true (_kvmmig_qmp_reply_check ("{\"return\": {}, \"id\": \"libvirt-7\"}", &error));
  g_assert_no_error (error);

  assert_reply_refused ("{\"error\": {\"class\": \"GenericError\", \"desc\": \"no migration\"}}",
                        "QEMU refused it: no migration");
  /* A million levels: json-glib would recurse until the stack overflows. */
  assert_reply_refused (deep, "QEMU's monitor gave a reply nested deeper than 64 levels");
  /* Bytes that are not UTF-8 are not pasted into the message. */
  assert_reply_refused ("{\"\x8d\x9aturn\": \x17{}}", "QEMU's monitor gave a reply that is not JSON");
  /* A "desc" that is not a string was a GLib critical. */
  assert_reply_refused ("{\"error\": {\"desc\": {\"x\": 1}}}", "QEMU refused it: {\"error\"");
  assert_reply_refused ("{\"error\": {\"desc\": [\"a\"]}}", "QEMU refused it: {\"error\"");
  assert_reply_refused ("[{\"return\": {}}]", "QEMU's monitor gave a reply that is not an object");

  long_desc = g_strdup_printf ("{\"error\": {\"desc\": \"%s\"}}", deep + 1000000 - 5000);
  for (char *p = strchr (long_desc, '['); p && *p == '['; p++)
    *p = 'x';
  assert_reply_refused (long_desc, "QEMU refused it: xxx");
  long_reply = g_strdup_printf ("{\"return\": {}, \"padding\": \"%s\"", deep + 1000000 - 5000);
  assert_reply_refused (long_reply, "QEMU's monitor gave a reply that is not JSON");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Kvmmig/HostReplies/qmp-reply", test_qmp_reply);

  return g_test_run ();
}
