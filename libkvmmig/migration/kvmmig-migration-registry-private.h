/* kvmmig-migration-registry-private.h: the guests with a migration under
 * way from this process, so that a second job for one of them is refused
 * at once while a run for it is under way.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *_kvmmig_migration_registry_claim   (const char *source_uri,
                                          const char *guest_name);
void  _kvmmig_migration_registry_release (const char *key);

/* For the unit tests. */
gboolean _kvmmig_migration_registry_is_claimed   (const char *source_uri,
                                                  const char *guest_name);
void     _kvmmig_migration_registry_hold_releases (gboolean   hold);

G_END_DECLS
