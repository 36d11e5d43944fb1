/* kvmmig-job-update.c: KvmmigJobUpdate, one report of a migration run,
 * and KvmmigJobUpdateSink, where the run sends them (see
 * kvmmig-job-update-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-job-update-private.h"

struct _KvmmigJobUpdateSink
{
  KvmmigJobUpdateFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
};

KvmmigJobUpdate *
_kvmmig_job_update_new (KvmmigJobUpdateFlags flags)
{
  KvmmigJobUpdate *update = g_new0 (KvmmigJobUpdate, 1);

  update->flags = flags;
  update->stats.eta_ms = -1;
  update->downtime_ms = -1;
  update->total_ms = -1;
  return update;
}

void
_kvmmig_job_update_free (KvmmigJobUpdate *update)
{
  g_clear_pointer (&update->checks, g_ptr_array_unref);
  g_clear_object (&update->step);
  g_clear_error (&update->error);
  g_free (update);
}

KvmmigJobUpdateSink *
_kvmmig_job_update_sink_new (KvmmigJobUpdateFunc func,
                             gpointer            user_data,
                             GDestroyNotify      destroy)
{
  KvmmigJobUpdateSink *sink;

  g_return_val_if_fail (func != NULL, NULL);

  sink = g_new0 (KvmmigJobUpdateSink, 1);
  sink->func = func;
  sink->user_data = user_data;
  sink->destroy = destroy;
  return sink;
}

/*
 * _kvmmig_job_update_sink_post:
 * @update: (transfer full): the update
 *
 * Hands @update to the sink's function.
 */
void
_kvmmig_job_update_sink_post (KvmmigJobUpdateSink *sink,
                              KvmmigJobUpdate     *update)
{
  sink->func (update, sink->user_data);
}

void
_kvmmig_job_update_sink_free (KvmmigJobUpdateSink *sink)
{
  if (sink == NULL)
    return;
  if (sink->destroy != NULL)
    sink->destroy (sink->user_data);
  g_free (sink);
}
