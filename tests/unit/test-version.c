/* test-version.c: the compile-time and run-time versions agree.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <libkvmmig/kvmmig.h>

static void
test_version_runtime (void)
{
  g_autofree char *s = NULL;

  g_assert_cmpuint (kvmmig_get_major_version (), ==, KVMMIG_MAJOR_VERSION);
  g_assert_cmpuint (kvmmig_get_minor_version (), ==, KVMMIG_MINOR_VERSION);
  g_assert_cmpuint (kvmmig_get_micro_version (), ==, KVMMIG_MICRO_VERSION);

  s = g_strdup_printf ("%u.%u.%u", kvmmig_get_major_version (),
                       kvmmig_get_minor_version (), kvmmig_get_micro_version ());
  g_assert_cmpstr (s, ==, KVMMIG_VERSION_S);
  g_assert_true (KVMMIG_CHECK_VERSION (0, 0, 0));
  g_assert_true (KVMMIG_CHECK_VERSION (KVMMIG_MAJOR_VERSION, KVMMIG_MINOR_VERSION, 0));
  g_assert_false (KVMMIG_CHECK_VERSION (KVMMIG_MAJOR_VERSION + 1, 0, 0));
}

static void
test_error_domain (void)
{
  g_autoptr(GError) error = g_error_new (KVMMIG_ERROR, KVMMIG_ERROR_GUEST_NOT_FOUND, "x");
  GEnumClass *klass = g_type_class_ref (KVMMIG_TYPE_ERROR);

  g_assert_cmpstr (g_quark_to_string (KVMMIG_ERROR), ==, "kvmmig-error-quark");
  g_assert_true (g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_NOT_FOUND));
  /* The enum is registered, so bindings get a real type. */
  g_assert_nonnull (g_enum_get_value_by_nick (klass, "guest-not-found"));
  g_type_class_unref (klass);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Kvmmig/Version/runtime", test_version_runtime);
  g_test_add_func ("/Kvmmig/Error/domain", test_error_domain);

  return g_test_run ();
}
