/* kvmmig-evacuation-running.c: the run of a KvmmigEvacuation, on the
 * caller's main context with the jobs' own asynchronous calls, no thread
 * of its own: it lists the source's guests and reads the destinations'
 * free memory, then, largest guest first and within the limits, places
 * each guest (kvmmig-placement.c), checks its job there (another
 * destination if it is refused), runs it, and reports the outcome.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-error.h"
#include "kvmmig-evacuation-private.h"
#include "kvmmig-host-info.h"
#include "kvmmig-host-private.h"
#include "kvmmig-migration-job-private.h"
#include "kvmmig-sync-private.h"
#include "kvmmig-task-private.h"

static void pump (KvmmigEvacuation *self);

static void
set_state (KvmmigEvacuation     *self,
           KvmmigMigrationState  state)
{
  if (self->state != state)
    {
      self->state = state;
      _kvmmig_evacuation_notify (self, PROP_STATE);
    }
}

static void
update_progress (KvmmigEvacuation *self)
{
  double weighted = 0, total = 0;

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);
      double mem = MAX (1.0, (double) kvmmig_guest_get_max_memory (slot->guest));

      total += mem;
      if (slot->status == SLOT_DONE)
        weighted += mem;
      else if (slot->status == SLOT_RUNNING)
        weighted += mem * kvmmig_migration_job_get_progress (slot->job);
    }

  weighted = total > 0 ? weighted / total : 1.0;
  if (weighted > self->progress)
    {
      self->progress = MIN (weighted, 1.0);
      _kvmmig_evacuation_notify (self, PROP_PROGRESS);
    }
  _kvmmig_evacuation_emit_progress (self);
}

static void
on_job_progress (KvmmigMigrationJob *job,
                 gpointer            data)
{
  update_progress (((Slot *) data)->evacuation);
}

static gboolean
is_cancelled (KvmmigEvacuation *self)
{
  GCancellable *cancellable = g_task_get_cancellable (self->task);

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

static void
finish (KvmmigEvacuation *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autoptr(GString) failures = g_string_new (NULL);
  const char *uri = _kvmmig_host_get_display_uri (self->source);
  gboolean cancelled = g_task_get_cancellable (task) != NULL &&
                       g_cancellable_is_cancelled (g_task_get_cancellable (task));

  if (self->setup_error != NULL)
    {
      set_state (self, KVMMIG_MIGRATION_STATE_FAILED);
      g_task_return_error (task, g_steal_pointer (&self->setup_error));
      return;
    }

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);
      const GError *error = slot->job ? kvmmig_migration_job_get_error (slot->job) : NULL;

      if (slot->job == NULL || kvmmig_migration_job_get_state (slot->job) !=
                               KVMMIG_MIGRATION_STATE_COMPLETED)
        g_string_append_printf (failures, "%s%s: %s", failures->len ? "; " : "",
                                kvmmig_guest_get_name (slot->guest),
                                error ? error->message : "not started");
    }

  update_progress (self);

  if (cancelled && self->guests_moved < self->slots->len)
    {
      set_state (self, KVMMIG_MIGRATION_STATE_CANCELLED);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "%s: evacuation cancelled after %u of %u guests moved; "
                               "the others run on the source",
                               uri, self->guests_moved, self->slots->len);
    }
  else if (self->guests_failed > 0 || self->guests_moved < self->slots->len)
    {
      set_state (self, KVMMIG_MIGRATION_STATE_FAILED);
      g_task_return_new_error (task, KVMMIG_ERROR, KVMMIG_ERROR_MIGRATION_FAILED,
                               "%s: %u of %u guests could not be moved: %s",
                               uri, self->slots->len - self->guests_moved,
                               self->slots->len, failures->str);
    }
  else
    {
      set_state (self, KVMMIG_MIGRATION_STATE_COMPLETED);
      g_task_return_boolean (task, TRUE);
    }
}

static void
slot_done (Slot *slot)
{
  KvmmigEvacuation *self = slot->evacuation;
  gboolean moved = slot->job != NULL &&
                   kvmmig_migration_job_get_state (slot->job) == KVMMIG_MIGRATION_STATE_COMPLETED;

  slot->status = SLOT_DONE;
  g_object_freeze_notify (G_OBJECT (self));
  if (moved)
    {
      self->guests_moved++;
      _kvmmig_evacuation_notify (self, PROP_GUESTS_MOVED);
    }
  else
    {
      self->guests_failed++;
      _kvmmig_evacuation_notify (self, PROP_GUESTS_FAILED);
    }
  g_object_thaw_notify (G_OBJECT (self));

  update_progress (self);
  if (slot->job != NULL)
    _kvmmig_evacuation_emit_job_finished (self, slot->job);
}

/* Frees the slot's claim on its destination; its memory stays counted
 * there if @keep_memory. */
static void
release (Slot     *slot,
         gboolean  keep_memory)
{
  KvmmigEvacuation *self = slot->evacuation;
  guint64 memory = kvmmig_guest_get_max_memory (slot->guest);

  self->active--;
  self->dests[slot->dest].active--;
  self->dests[slot->dest].in_flight -= memory;
  if (!keep_memory)
    self->dests[slot->dest].reserved -= memory;
}

/* Drops a slot's job that never ran (it is checked again elsewhere, or
 * not at all). */
static void
drop_job (Slot *slot)
{
  if (slot->job != NULL && slot->progress_handler != 0)
    g_signal_handler_disconnect (slot->job, slot->progress_handler);
  slot->progress_handler = 0;
  g_clear_object (&slot->job);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Slot *slot = data;
  KvmmigEvacuation *self = slot->evacuation;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = kvmmig_migration_job_run_finish (slot->job, result, &error);
  g_debug ("evacuation: guest '%s': %s", kvmmig_guest_get_name (slot->guest),
           ok ? "moved" : error->message);

  /* A guest that failed but is not back on the source (lost in post-copy,
   * or on the destination) may still hold the destination's memory. */
  release (slot, ok || kvmmig_migration_job_get_guest_location (slot->job) !=
                       KVMMIG_GUEST_LOCATION_SOURCE);
  slot_done (slot);
  pump (self);
  g_object_unref (self);
}

/* Every operation in flight (a check, a run) holds a reference on the
 * evacuation, dropped by its callback. */
static void
start_run (Slot *slot)
{
  KvmmigEvacuation *self = g_object_ref (slot->evacuation);

  slot->status = SLOT_RUNNING;
  /* Started first, so that a handler that cancels the evacuation cancels
   * a run under way, which ends CANCELLED like any other. */
  kvmmig_migration_job_run_async (slot->job, g_task_get_cancellable (self->task),
                                  on_run_done, slot);
  _kvmmig_evacuation_emit_job_started (self, slot->job,
                                       g_ptr_array_index (self->destinations, slot->dest));
}

/* Failures a different destination may not have. */
static gboolean
is_destination_specific (const GError *error)
{
  return g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_INSUFFICIENT_MEMORY) ||
         g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_CPU_INCOMPATIBLE) ||
         g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_HYPERVISOR_TOO_OLD) ||
         g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_MACHINE_TYPE_UNSUPPORTED) ||
         g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_STORAGE_NOT_SHARED) ||
         g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_EXISTS) ||
         g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_POSTCOPY_UNSUPPORTED) ||
         g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_OPEN) ||
         g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_CONNECTION_LOST) ||
         g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_PEER_UNREACHABLE) ||
         g_error_matches (error, KVMMIG_ERROR, KVMMIG_ERROR_SAME_HOST);
}

static gboolean
other_destination_left (Slot *slot)
{
  for (guint d = 0; d < slot->evacuation->destinations->len; d++)
    if (!slot->rejected[d])
      return TRUE;
  return FALSE;
}

static void
on_check_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Slot *slot = data;
  KvmmigEvacuation *self = slot->evacuation;
  g_autoptr(GError) error = NULL;
  gboolean passed = kvmmig_migration_job_check_finish (slot->job, result, &error);

  if (is_cancelled (self))
    {
      /* Cancelled while it was checked: it never starts, has no job, and
       * stays on the source. */
      release (slot, FALSE);
      drop_job (slot);
      slot_done (slot);
      pump (self);
      g_object_unref (self);
      return;
    }

  if (passed)
    {
      start_run (slot);
      g_object_unref (self);
      return;
    }

  slot->rejected[slot->dest] = TRUE;
  g_debug ("evacuation: guest '%s' refused by %s: %s",
           kvmmig_guest_get_name (slot->guest),
           _kvmmig_host_get_display_uri (g_ptr_array_index (self->destinations, slot->dest)),
           error->message);

  if (is_destination_specific (error) && other_destination_left (slot) && !is_cancelled (self))
    {
      /* Try the next destination for it. */
      release (slot, FALSE);
      drop_job (slot);
      slot->status = SLOT_PENDING;
      pump (self);
    }
  else
    {
      /* No destination takes it: run the job anyway, so that its checks
       * fail in the run and it ends FAILED with the reason. */
      start_run (slot);
    }

  g_object_unref (self);
}

static int
choose_destination (Slot *slot)
{
  KvmmigEvacuation *self = slot->evacuation;

  return _kvmmig_placement_choose (self->dests, slot->rejected, self->destinations->len,
                                   kvmmig_guest_get_max_memory (slot->guest),
                                   self->max_per_destination);
}

/* Starts what the limits allow, largest guest first; finishes when every
 * guest was dealt with. */
static void
pump (KvmmigEvacuation *self)
{
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);
      KvmmigHost *dest;
      int d;

      if (slot->status != SLOT_PENDING)
        continue;

      if (is_cancelled (self))
        {
          /* Not started: it stays on the source. */
          slot_done (slot);
          continue;
        }

      if (self->active >= self->max_per_source)
        break;

      d = choose_destination (slot);
      if (d == -2)
        continue;          /* its destinations are busy: later */
      if (d == -1)
        {
          /* Refused everywhere (normally run to record why; defensive). */
          slot_done (slot);
          continue;
        }

      dest = g_ptr_array_index (self->destinations, d);
      slot->dest = (guint) d;
      self->active++;
      self->dests[d].active++;
      drop_job (slot);
      slot->job = kvmmig_migration_job_new (self->source, dest,
                                            kvmmig_guest_get_name (slot->guest));
      kvmmig_migration_job_set_bandwidth_limit (slot->job, self->bandwidth_limit);
      kvmmig_migration_job_set_allow_postcopy (slot->job, self->allow_postcopy);
      kvmmig_migration_job_set_policy (slot->job, self->policy);
      kvmmig_migration_job_set_tls (slot->job, self->tls);
      kvmmig_migration_job_set_require_disk_locking (slot->job, self->require_disk_locking);
      kvmmig_migration_job_set_allow_cluster_managed (slot->job, self->allow_cluster_managed);
      if (self->dests[d].free_memory > 0)
        _kvmmig_migration_job_set_evacuation_budget (slot->job, self->dests[d].free_memory,
                                                     self->dests[d].reserved);
      self->dests[d].reserved += kvmmig_guest_get_max_memory (slot->guest);
      self->dests[d].in_flight += kvmmig_guest_get_max_memory (slot->guest);
      slot->progress_handler = g_signal_connect (slot->job, "progress",
                                                 G_CALLBACK (on_job_progress), slot);
      slot->status = SLOT_CHECKING;
      g_object_ref (self);
      kvmmig_migration_job_check_async (slot->job, g_task_get_cancellable (self->task),
                                        on_check_done, slot);
    }

  /* Done when nothing is pending, checking or running. */
  for (guint i = 0; i < self->slots->len; i++)
    if (((Slot *) g_ptr_array_index (self->slots, i))->status != SLOT_DONE)
      return;
  if (self->task != NULL)
    finish (self);
}

static int
compare_slots_by_memory (gconstpointer a,
                         gconstpointer b)
{
  const Slot *sa = *(Slot **) a;
  const Slot *sb = *(Slot **) b;
  guint64 ma = kvmmig_guest_get_max_memory (sa->guest);
  guint64 mb = kvmmig_guest_get_max_memory (sb->guest);

  if (ma != mb)
    return ma > mb ? -1 : 1;
  return g_strcmp0 (kvmmig_guest_get_name (sa->guest), kvmmig_guest_get_name (sb->guest));
}

static void
setup_done (KvmmigEvacuation *self)
{
  if (--self->pending_queries > 0)
    return;

  if (self->setup_error != NULL)
    {
      finish (self);
      return;
    }

  g_ptr_array_sort (self->slots, compare_slots_by_memory);
  _kvmmig_evacuation_notify (self, PROP_GUESTS_TOTAL);
  set_state (self, KVMMIG_MIGRATION_STATE_MIGRATING);
  pump (self);
}

typedef struct
{
  KvmmigEvacuation *self;
  guint index;
} InfoQuery;

static void
on_info (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  InfoQuery *query = data;
  KvmmigEvacuation *self = query->self;
  g_autoptr(KvmmigHostInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = kvmmig_host_query_info_finish (KVMMIG_HOST (source), result, &error);
  if (info != NULL)
    self->dests[query->index].free_memory = kvmmig_host_info_get_memory_free (info);
  else
    {
      /* Not fatal: tried last, its checks will say why it takes no guest. */
      self->dests[query->index].info_failed = TRUE;
      g_debug ("evacuation: %s", error->message);
    }

  g_free (query);
  setup_done (self);
  g_object_unref (self);
}

static void
on_guests (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  KvmmigEvacuation *self = data;
  g_autoptr(GPtrArray) guests = NULL;
  g_autoptr(GError) error = NULL;

  guests = kvmmig_host_list_guests_finish (KVMMIG_HOST (source), result, &error);
  if (guests == NULL)
    self->setup_error = g_steal_pointer (&error);
  else
    for (guint i = 0; i < guests->len; i++)
      {
        KvmmigGuest *guest = g_ptr_array_index (guests, i);
        Slot *slot;

        if (kvmmig_guest_get_state (guest) != KVMMIG_GUEST_STATE_RUNNING)
          continue;
        slot = g_new0 (Slot, 1);
        slot->evacuation = self;
        slot->guest = g_object_ref (guest);
        slot->rejected = g_new0 (gboolean, self->destinations->len);
        g_ptr_array_add (self->slots, slot);
      }

  setup_done (self);
  g_object_unref (self);
}

/**
 * kvmmig_evacuation_run_async:
 * @self: an evacuation that has not run
 * @cancellable: (nullable): cancelling it cancels the migrations under way
 *   and starts no more
 * @callback: (scope async): called when every guest was dealt with
 * @user_data: data for @callback
 *
 * Lists the running guests of the source and the free memory of each
 * destination, then migrates the guests. @callback is called on the
 * thread-default main context of the calling thread; call
 * [method@Kvmmig.Evacuation.run_finish] from it.
 *
 * Since: 0.1
 */
void
kvmmig_evacuation_run_async (KvmmigEvacuation    *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  guint n;

  g_return_if_fail (KVMMIG_IS_EVACUATION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kvmmig_evacuation_run_async);
  g_task_set_check_cancellable (task, FALSE);

  if (self->task != NULL || self->state != KVMMIG_MIGRATION_STATE_NEW)
    {
      g_task_return_new_error (task, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                               "%s: an evacuation runs once; make a new one",
                               _kvmmig_host_get_display_uri (self->source));
      return;
    }

  for (guint d = 0; d < self->destinations->len; d++)
    if (g_ptr_array_index (self->destinations, d) == self->source)
      {
        g_task_return_new_error (task, KVMMIG_ERROR, KVMMIG_ERROR_SAME_HOST,
                                 "%s: the host to evacuate is among its destinations",
                                 _kvmmig_host_get_display_uri (self->source));
        return;
      }

  n = self->destinations->len;
  self->task = g_steal_pointer (&task);
  self->dests = g_new0 (KvmmigPlacementDest, n);
  set_state (self, KVMMIG_MIGRATION_STATE_CHECKING);

  self->pending_queries = 1 + n;
  kvmmig_host_list_guests_async (self->source, cancellable, on_guests, g_object_ref (self));
  for (guint d = 0; d < n; d++)
    {
      InfoQuery *query = g_new0 (InfoQuery, 1);

      query->self = g_object_ref (self);
      query->index = d;
      kvmmig_host_query_info_async (g_ptr_array_index (self->destinations, d),
                                    cancellable, on_info, query);
    }
}

/**
 * kvmmig_evacuation_run_finish:
 * @self: an evacuation
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.Evacuation.run_async]. When some guests could not
 * be moved, the error lists them with the reason for each; every guest's
 * own outcome is in [method@Kvmmig.Evacuation.get_jobs].
 *
 * Returns: %TRUE if every running guest of the source was moved
 *
 * Since: 0.1
 */
gboolean
kvmmig_evacuation_run_finish (KvmmigEvacuation  *self,
                              GAsyncResult      *result,
                              GError           **error)
{
  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), FALSE);

  return _kvmmig_task_finish_boolean (self, result, kvmmig_evacuation_run_async, error);
}

/**
 * kvmmig_evacuation_run:
 * @self: an evacuation that has not run
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Runs the evacuation, blocking the calling thread; its signals are emitted
 * on the calling thread meanwhile. See
 * [method@Kvmmig.Evacuation.run_async].
 *
 * Returns: %TRUE if every running guest of the source was moved
 *
 * Since: 0.1
 */
gboolean
kvmmig_evacuation_run (KvmmigEvacuation  *self,
                       GCancellable      *cancellable,
                       GError           **error)
{
  g_autoptr(KvmmigSync) sync = NULL;

  g_return_val_if_fail (KVMMIG_IS_EVACUATION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* On a main context of its own, so that the evacuation's signals (and
   * its jobs') are emitted on the calling thread. */
  sync = _kvmmig_sync_new ();
  kvmmig_evacuation_run_async (self, cancellable, _kvmmig_sync_callback, sync);
  return kvmmig_evacuation_run_finish (self, _kvmmig_sync_wait (sync), error);
}
