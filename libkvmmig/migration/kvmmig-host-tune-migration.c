/* kvmmig-host-tune-migration.c: kvmmig_host_tune_migration(), a new
 * bandwidth limit or maximum downtime for a migration that runs on a host,
 * whatever program started it (virsh's migrate-setspeed and
 * migrate-setmaxdowntime): what `kvmmig migrate-setspeed` calls. A job of
 * this program takes its own through its properties instead
 * (KvmmigMigrationJob:bandwidth-limit, :max-downtime-ms), which its policy
 * then knows. Declared in kvmmig-host.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-host-private.h"
#include "kvmmig-libvirt-private.h"
#include "kvmmig-migration-options-private.h"
#include "kvmmig-task-private.h"

typedef struct
{
  char *guest;
  int bandwidth_limit;            /* -1: unchanged */
  int max_downtime_ms;            /* -1: unchanged */
} Tune;

static void
tune_free (Tune *t)
{
  g_free (t->guest);
  g_free (t);
}

static gboolean
tune_check_arguments (const char  *uri,
                      const char  *guest,
                      int          bandwidth_limit,
                      int          max_downtime_ms,
                      GError     **error)
{
  if (guest == NULL || *guest == '\0' || !g_utf8_validate (guest, -1, NULL))
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                 "%s: a guest must be named (non-empty UTF-8)", uri);
  else if (bandwidth_limit < -1 || bandwidth_limit > KVMMIG_MIGRATION_MAX_BANDWIDTH_MIB)
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                 "%s: guest '%s': bandwidth limit %d MiB/s is out of range: 0 (no limit) to %d",
                 uri, guest, bandwidth_limit, KVMMIG_MIGRATION_MAX_BANDWIDTH_MIB);
  else if (max_downtime_ms == 0 || max_downtime_ms < -1 ||
           max_downtime_ms > KVMMIG_MIGRATION_MAX_DOWNTIME_MS)
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                 "%s: guest '%s': maximum downtime %d ms is out of range: 1 to %d",
                 uri, guest, max_downtime_ms, KVMMIG_MIGRATION_MAX_DOWNTIME_MS);
  else if (bandwidth_limit == -1 && max_downtime_ms == -1)
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                 "%s: guest '%s': nothing to change: give a bandwidth limit or a "
                 "maximum downtime", uri, guest);
  else
    return TRUE;
  return FALSE;
}

/* Whether an outgoing migration of @domain runs (its job's operation). */
static gboolean
migration_runs (virDomainPtr domain)
{
  virTypedParameterPtr params = NULL;
  int nparams = 0, type = VIR_DOMAIN_JOB_NONE, operation = 0;
  gboolean out;

  if (virDomainGetJobStats (domain, &type, &params, &nparams, 0) < 0)
    {
      virResetLastError ();
      return FALSE;
    }
  if (virTypedParamsGetInt (params, nparams, VIR_DOMAIN_JOB_OPERATION, &operation) <= 0)
    operation = VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT;   /* an old libvirt: any job */
  out = type != VIR_DOMAIN_JOB_NONE && operation == VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT;
  virTypedParamsFree (params, nparams);
  return out;
}

static gboolean
tune_run (KvmmigHost    *host,
          Tune          *t,
          GCancellable  *cancellable,
          GError       **error)
{
  const char *uri = _kvmmig_host_get_display_uri (host);
  g_autoptr(virConnect) conn = _kvmmig_host_ref_connection (host, error);
  g_autoptr(virDomain) domain = NULL;

  if (conn == NULL)
    return FALSE;
  if (_kvmmig_check_cancelled (cancellable, uri, "changing the migration's limits", error))
    return FALSE;

  domain = _kvmmig_lookup_domain (conn, t->guest);
  if (domain == NULL)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_GUEST_NOT_FOUND, uri,
                                 "cannot find guest '%s'", t->guest);
      return FALSE;
    }

  if (!migration_runs (domain))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: no migration of guest '%s' runs from this host: its limits are "
                   "changed while it migrates", uri, t->guest);
      return FALSE;
    }

  if (t->bandwidth_limit >= 0)
    {
      unsigned long speed = t->bandwidth_limit > 0 ? (unsigned long) t->bandwidth_limit
                                                   : KVMMIG_MIGRATION_UNLIMITED_MIB;

      if (virDomainMigrateSetMaxSpeed (domain, speed, 0) < 0)
        {
          _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, uri,
                                     "cannot set the bandwidth limit of guest '%s''s "
                                     "migration to %d MiB/s", t->guest, t->bandwidth_limit);
          return FALSE;
        }
      /* And of its post-copy phase, should it switch: a migration that
       * may not has nothing to apply it to, which is no error. */
      if (virDomainMigrateSetMaxSpeed (domain, speed, VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY) < 0)
        virResetLastError ();
    }

  if (t->max_downtime_ms >= 0 &&
      virDomainMigrateSetMaxDowntime (domain, (unsigned long long) t->max_downtime_ms, 0) < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, uri,
                                 "cannot set the maximum downtime of guest '%s''s "
                                 "migration to %d ms", t->guest, t->max_downtime_ms);
      return FALSE;
    }
  return TRUE;
}

static void
tune_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (tune_run (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * kvmmig_host_tune_migration:
 * @self: an open host, the source of the migration
 * @guest: the guest that migrates: its name, UUID or ID
 * @bandwidth_limit: the new bandwidth limit in MiB/s, 0 for none, or -1 to
 *   leave it
 * @max_downtime_ms: the new maximum downtime in ms, from 1 to 600000, or -1
 *   to leave it
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Changes the limits of a migration of @guest that runs from this host,
 * whatever program started it, as `virsh migrate-setspeed` and
 * `virsh migrate-setmaxdowntime` do: libvirt applies them at once (the
 * bandwidth limit of a post-copy phase too). For a migration this program
 * runs, set [property@Kvmmig.MigrationJob:bandwidth-limit] and
 * [property@Kvmmig.MigrationJob:max-downtime-ms] instead: its policy then
 * decides with the new values (a policy in another program that starts the
 * guest's migration may set the downtime again).
 *
 * Fails with %KVMMIG_ERROR_INVALID_ARGUMENT for a value out of range, for
 * nothing to change, or when no migration of the guest runs from this
 * host; %KVMMIG_ERROR_GUEST_NOT_FOUND when the host has no such guest.
 * Blocks the calling thread; see [method@Kvmmig.Host.tune_migration_async].
 *
 * Returns: %TRUE if the limits were changed
 *
 * Since: 0.2
 */
gboolean
kvmmig_host_tune_migration (KvmmigHost    *self,
                            const char    *guest,
                            int            bandwidth_limit,
                            int            max_downtime_ms,
                            GCancellable  *cancellable,
                            GError       **error)
{
  Tune t = { (char *) guest, bandwidth_limit, max_downtime_ms };

  g_return_val_if_fail (KVMMIG_IS_HOST (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!tune_check_arguments (_kvmmig_host_get_display_uri (self), guest, bandwidth_limit,
                             max_downtime_ms, error))
    return FALSE;
  return tune_run (self, &t, cancellable, error);
}

/**
 * kvmmig_host_tune_migration_async:
 * @self: an open host, the source of the migration
 * @guest: the guest that migrates: its name, UUID or ID
 * @bandwidth_limit: the new bandwidth limit in MiB/s, 0 for none, or -1
 * @max_downtime_ms: the new maximum downtime in ms, or -1
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called with the result
 * @user_data: data for @callback
 *
 * Changes the limits on a worker thread (see
 * [method@Kvmmig.Host.tune_migration]); @callback runs on the calling
 * thread's thread-default main context and calls
 * [method@Kvmmig.Host.tune_migration_finish].
 *
 * Since: 0.2
 */
void
kvmmig_host_tune_migration_async (KvmmigHost          *self,
                                  const char          *guest,
                                  int                  bandwidth_limit,
                                  int                  max_downtime_ms,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Tune *t;

  g_return_if_fail (KVMMIG_IS_HOST (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kvmmig_host_tune_migration_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!tune_check_arguments (_kvmmig_host_get_display_uri (self), guest, bandwidth_limit,
                             max_downtime_ms, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  t = g_new0 (Tune, 1);
  t->guest = g_strdup (guest);
  t->bandwidth_limit = bandwidth_limit;
  t->max_downtime_ms = max_downtime_ms;
  g_task_set_task_data (task, t, (GDestroyNotify) tune_free);
  g_task_run_in_thread (task, tune_thread);
}

/**
 * kvmmig_host_tune_migration_finish:
 * @self: a host
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.Host.tune_migration_async].
 *
 * Returns: %TRUE if the limits were changed
 *
 * Since: 0.2
 */
gboolean
kvmmig_host_tune_migration_finish (KvmmigHost    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), FALSE);

  return _kvmmig_task_finish_boolean (self, result, kvmmig_host_tune_migration_async, error);
}
