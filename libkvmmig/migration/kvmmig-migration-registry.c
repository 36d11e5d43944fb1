/* kvmmig-migration-registry.c: the guests with a migration under way from
 * this process, by source URI and name. A run claims its guest when it
 * starts; the job releases the claim when it applies the run's last
 * update, on its main context, so that a caller starting a second job
 * before that context ran is refused whatever the threads' timing.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-migration-registry-private.h"

static GMutex registry_lock;
static GHashTable *registry;

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

/* Releases a claim of _kvmmig_migration_registry_claim(). */
void
_kvmmig_migration_registry_release (const char *key)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&registry_lock);

  g_hash_table_remove (registry, key);
}
