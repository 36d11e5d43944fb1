/* kvmmig-migration-job-list.c: the migration jobs running in this
 * process, as a list model for GUIs (kvmmig_migration_job_get_running_jobs),
 * kept on the global default main context: a job is added when its run
 * starts and removed when its run ends, whatever thread ran it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-migration-job-impl-private.h"
#include "kvmmig-util-private.h"

static GListStore *
running_jobs (void)
{
  static GListStore *store;

  if (g_once_init_enter (&store))
    g_once_init_leave (&store, g_list_store_new (KVMMIG_TYPE_MIGRATION_JOB));
  return store;
}

static gboolean
add_dispatch (gpointer data)
{
  g_list_store_append (running_jobs (), data);
  return G_SOURCE_REMOVE;
}

static gboolean
remove_dispatch (gpointer data)
{
  guint position;

  if (g_list_store_find (running_jobs (), data, &position))
    g_list_store_remove (running_jobs (), position);
  return G_SOURCE_REMOVE;
}

/* From the thread that starts or ends @job's run: queued on the global
 * default context, in order, so that the model changes there only. */
void
_kvmmig_migration_job_list_add (KvmmigMigrationJob *job)
{
  _kvmmig_dispatch_on_context (g_main_context_default (), add_dispatch, g_object_ref (job),
                               g_object_unref);
}

void
_kvmmig_migration_job_list_remove (KvmmigMigrationJob *job)
{
  _kvmmig_dispatch_on_context (g_main_context_default (), remove_dispatch, g_object_ref (job),
                               g_object_unref);
}

/**
 * kvmmig_migration_job_get_running_jobs:
 *
 * Gets the migration jobs of this process whose run is under way, in the
 * order they started, as a list model of [class@Kvmmig.MigrationJob]: a
 * job is added when [method@Kvmmig.MigrationJob.run_async] (or
 * [method@Kvmmig.MigrationJob.run]) starts it and removed when it ended,
 * the jobs an evacuation runs included; checks alone are not listed.
 *
 * The model changes on the global default main context only (the one
 * GTK, GJS and a `GLib.MainLoop` in Python's main thread run): use it
 * from the thread that runs that context. A job stays alive while it is
 * listed.
 *
 * Returns: (transfer none): the running jobs (a list model of
 *   [class@Kvmmig.MigrationJob])
 *
 * Since: 0.2
 */
GListModel *
kvmmig_migration_job_get_running_jobs (void)
{
  return G_LIST_MODEL (running_jobs ());
}
