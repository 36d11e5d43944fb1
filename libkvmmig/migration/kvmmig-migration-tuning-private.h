/* kvmmig-migration-tuning-private.h: the mailbox through which a running
 * KvmmigMigrationJob hands its run a new bandwidth limit or maximum
 * downtime set while it migrates. The job (on its caller's thread) writes,
 * the run (in its monitor loop) takes, and is woken when there is mail.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KvmmigMigrationTuning KvmmigMigrationTuning;

/* Called on the thread that posts a change, under the mailbox's lock: it
 * must only signal (take the run's own lock and broadcast). */
typedef void (*KvmmigMigrationTuningWake) (gpointer data);

KvmmigMigrationTuning *_kvmmig_migration_tuning_new   (void);
KvmmigMigrationTuning *_kvmmig_migration_tuning_ref   (KvmmigMigrationTuning *self);
void                   _kvmmig_migration_tuning_unref (KvmmigMigrationTuning *self);

/* The run says how to wake it (NULL: no longer). */
void     _kvmmig_migration_tuning_set_wake (KvmmigMigrationTuning     *self,
                                            KvmmigMigrationTuningWake  wake,
                                            gpointer                   data);
/* A new value; -1 leaves the other one as it is. */
void     _kvmmig_migration_tuning_post     (KvmmigMigrationTuning     *self,
                                            int                        bandwidth_limit,
                                            int                        max_downtime_ms);
/* The values posted since the last take, -1 for one not posted; FALSE if
 * none was. */
gboolean _kvmmig_migration_tuning_take     (KvmmigMigrationTuning     *self,
                                            int                       *bandwidth_limit,
                                            int                       *max_downtime_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KvmmigMigrationTuning, _kvmmig_migration_tuning_unref)

G_END_DECLS
