/* kvmmig-migration-job-private.h: what other parts of the library (an
 * evacuation) and the unit tests tell a KvmmigMigrationJob beyond its
 * public API.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-migration-job.h"

G_BEGIN_DECLS

/* For an evacuation: the destination's free memory when it started and
 * what it promised to other guests there; the memory check counts both. */
void _kvmmig_migration_job_set_evacuation_budget (KvmmigMigrationJob *self,
                                                  guint64             free_memory,
                                                  guint64             promised);

G_END_DECLS
