/* kvmmig-migration-registry.c: the guests with a migration under way from
 * this process, by source URI and name. A run claims its guest when it
 * starts, on the thread that starts it, and releases the claim when it
 * ends, on its own thread, before it posts its last update: while a run is
 * under way a second job for its guest is refused, and once the run has
 * ended the guest is free, whether or not the caller's main context
 * delivered the end.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-migration-registry-private.h"

static GMutex registry_lock;
static GHashTable *registry;
static GPtrArray *held;           /* releases held back, for the unit tests */

/*
 * _kvmmig_migration_registry_claim:
 *
 * Claims the guest @guest_name of @source_uri for one migration. Callable
 * from any thread.
 *
 * Returns: (transfer full) (nullable): the key to release the claim with,
 *   or %NULL if another migration of that guest is under way
 */
char *
_kvmmig_migration_registry_claim (const char *source_uri,
                                  const char *guest_name)
{
  g_autofree char *key = g_strdup_printf ("%s\n%s", source_uri, guest_name);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&registry_lock);

  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (g_hash_table_contains (registry, key))
    return NULL;
  g_hash_table_add (registry, g_strdup (key));
  return g_steal_pointer (&key);
}

/* Releases a claim of _kvmmig_migration_registry_claim(); while the
 * releases are held, later. Callable from any thread. */
void
_kvmmig_migration_registry_release (const char *key)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&registry_lock);

  if (held != NULL)
    g_ptr_array_add (held, g_strdup (key));
  else
    g_hash_table_remove (registry, key);
}

/* For the unit tests: while @hold, releases wait, as if every run went on
 * until this is called with %FALSE, which releases them. */
void
_kvmmig_migration_registry_hold_releases (gboolean hold)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&registry_lock);

  if (hold && held == NULL)
    held = g_ptr_array_new_with_free_func (g_free);
  else if (!hold && held != NULL)
    {
      for (guint i = 0; i < held->len; i++)
        g_hash_table_remove (registry, g_ptr_array_index (held, i));
      g_clear_pointer (&held, g_ptr_array_unref);
    }
}

/* Whether the guest is claimed now (for the unit tests, which wait for a
 * run to end with it). */
gboolean
_kvmmig_migration_registry_is_claimed (const char *source_uri,
                                       const char *guest_name)
{
  g_autofree char *key = g_strdup_printf ("%s\n%s", source_uri, guest_name);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&registry_lock);

  return registry != NULL && g_hash_table_contains (registry, key);
}
