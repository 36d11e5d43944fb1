/* kvmmig-migration-options.c: the defaults, copy and clearing of
 * KvmmigMigrationOptions (see kvmmig-migration-options-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-migration-options-private.h"

/* The defaults of the job's properties of the same names. */
void
_kvmmig_migration_options_init (KvmmigMigrationOptions *options)
{
  *options = (KvmmigMigrationOptions) {
    .max_downtime_ms = KVMMIG_MIGRATION_DEFAULT_MAX_DOWNTIME_MS,
    .policy = KVMMIG_MIGRATION_POLICY_AUTO,
    .persistent = TRUE,
    .undefine_source = TRUE,
    .postcopy_recovery_timeout_ms = KVMMIG_MIGRATION_DEFAULT_POSTCOPY_RECOVERY_TIMEOUT_MS,
  };
}

void
_kvmmig_migration_options_copy (const KvmmigMigrationOptions *from,
                                KvmmigMigrationOptions       *to)
{
  *to = *from;
  to->migration_uri = g_strdup (from->migration_uri);
  to->copy_storage_pool = g_strdup (from->copy_storage_pool);
  to->migrate_disks = g_strdupv (from->migrate_disks);
  to->zero_disks = g_strdupv (from->zero_disks);
  to->dest_xml = g_strdup (from->dest_xml);
  to->persist_xml = g_strdup (from->persist_xml);
}

void
_kvmmig_migration_options_clear (KvmmigMigrationOptions *options)
{
  g_clear_pointer (&options->migration_uri, g_free);
  g_clear_pointer (&options->copy_storage_pool, g_free);
  g_clear_pointer (&options->migrate_disks, g_strfreev);
  g_clear_pointer (&options->zero_disks, g_strfreev);
  g_clear_pointer (&options->dest_xml, g_free);
  g_clear_pointer (&options->persist_xml, g_free);
}
