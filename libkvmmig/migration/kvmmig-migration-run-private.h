/* kvmmig-migration-run-private.h: the machinery of one run of a migration
 * job: the pre-flight checks, the libvirt migration, its monitor and
 * convergence policy, cancellation, and the outcome. It knows nothing of
 * KvmmigMigrationJob: it reports to the sink it is given, its outcome
 * included (the FINISHED update).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kvmmig-host.h"
#include "kvmmig-job-update-private.h"
#include "kvmmig-migration-options-private.h"
#include "kvmmig-migration-tuning-private.h"

G_BEGIN_DECLS

/* What a run is asked to do; copied by _kvmmig_migration_run_start(). */
typedef struct
{
  KvmmigHost *source;
  KvmmigHost *destination;
  const char *guest_name;
  const KvmmigMigrationOptions *options;
  const KvmmigEvacuationBudget *budget;   /* nullable */
  gboolean check_only;                    /* the pre-flight checks alone */
  KvmmigMigrationTuning *tuning;          /* nullable: changes while it migrates */
} KvmmigMigrationRunInput;

void _kvmmig_migration_run_start (const KvmmigMigrationRunInput *input,
                                  KvmmigJobUpdateSink           *sink,
                                  GCancellable                  *cancellable);

G_END_DECLS
