/* kvmmig-migration-run-private.h: the machinery of one run of a migration
 * job: the pre-flight checks, the libvirt migration, its monitor and
 * convergence policy, cancellation, and the outcome.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kvmmig-migration-job.h"
#include "kvmmig-preflight-private.h"

G_BEGIN_DECLS

void _kvmmig_migration_run_start (KvmmigMigrationJob           *job,
                                  const KvmmigMigrationOptions *options,
                                  gboolean                      check_only,
                                  GTask                        *task);

void _kvmmig_migration_registry_release (const char *key);

G_END_DECLS
