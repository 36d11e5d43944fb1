/* kvmmig-migration-tuning.c: the mailbox of a job's live changes to its
 * run (bandwidth limit, maximum downtime); see the header.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-migration-tuning-private.h"

struct _KvmmigMigrationTuning
{
  gatomicrefcount ref;
  GMutex lock;
  int bandwidth_limit;            /* -1: none posted */
  int max_downtime_ms;            /* -1: none posted */
  KvmmigMigrationTuningWake wake;
  gpointer wake_data;
};

KvmmigMigrationTuning *
_kvmmig_migration_tuning_new (void)
{
  KvmmigMigrationTuning *self = g_new0 (KvmmigMigrationTuning, 1);

  g_atomic_ref_count_init (&self->ref);
  g_mutex_init (&self->lock);
  self->bandwidth_limit = -1;
  self->max_downtime_ms = -1;
  return self;
}

KvmmigMigrationTuning *
_kvmmig_migration_tuning_ref (KvmmigMigrationTuning *self)
{
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
_kvmmig_migration_tuning_unref (KvmmigMigrationTuning *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref))
    return;
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
_kvmmig_migration_tuning_set_wake (KvmmigMigrationTuning     *self,
                                   KvmmigMigrationTuningWake  wake,
                                   gpointer                   data)
{
  g_mutex_lock (&self->lock);
  self->wake = wake;
  self->wake_data = data;
  g_mutex_unlock (&self->lock);
}

void
_kvmmig_migration_tuning_post (KvmmigMigrationTuning *self,
                               int                    bandwidth_limit,
                               int                    max_downtime_ms)
{
  g_mutex_lock (&self->lock);
  if (bandwidth_limit >= 0)
    self->bandwidth_limit = bandwidth_limit;
  if (max_downtime_ms >= 0)
    self->max_downtime_ms = max_downtime_ms;
  /* Called under the lock, so that the run cannot clear its wake and go
   * away between reading it and calling it; the wake only signals. */
  if (self->wake != NULL)
    self->wake (self->wake_data);
  g_mutex_unlock (&self->lock);
}

gboolean
_kvmmig_migration_tuning_take (KvmmigMigrationTuning *self,
                               int                   *bandwidth_limit,
                               int                   *max_downtime_ms)
{
  gboolean any;

  g_mutex_lock (&self->lock);
  *bandwidth_limit = self->bandwidth_limit;
  *max_downtime_ms = self->max_downtime_ms;
  any = self->bandwidth_limit >= 0 || self->max_downtime_ms >= 0;
  self->bandwidth_limit = -1;
  self->max_downtime_ms = -1;
  g_mutex_unlock (&self->lock);
  return any;
}
