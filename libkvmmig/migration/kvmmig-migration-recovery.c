/* kvmmig-migration-recovery.c: the end of a migration whose call failed
 * after the switch to post-copy. The guest then runs on the destination
 * with part of its memory still on the source: the run finds out whether
 * QEMU finished by itself, whether the destination lost the guest, or
 * whether both QEMUs are paused in post-copy, and then resumes the
 * migration (libvirt's VIR_MIGRATE_POSTCOPY_RESUME) until it works or
 * postcopy-recovery-timeout-ms runs out, never on a destination whose
 * libvirt crashes when asked (kvmmig-libvirt-quirks.c). The source's
 * events during the attempts are handled in kvmmig-migration-run.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-libvirt-private.h"
#include "kvmmig-libvirt-quirks-private.h"
#include "kvmmig-lvm-private.h"
#include "kvmmig-migration-run-impl-private.h"
#include "kvmmig-migration-states-private.h"

typedef KvmmigRun Run;

/* Whether the destination certainly lost the guest: it answers (on
 * `dconn`, a connection opened for this question: the job's own may have
 * died with the link), and has no running (or paused) domain of that
 * UUID: it may still have it defined, since libvirt defines it there at
 * the switch to post-copy. `dest` is the guest looked up there (NULL if
 * not found, `lookup_error` saying why). FALSE when it does not answer
 * (unknown). */
static gboolean
destination_lost_guest (virConnectPtr  dconn,
                        virDomainPtr   dest,
                        int            lookup_error)
{
  gboolean lost;

  if (dconn == NULL)
    return FALSE;
  if (dest == NULL)
    return lookup_error == VIR_ERR_NO_DOMAIN;
  lost = virDomainIsActive (dest) == 0;
  virResetLastError ();
  return lost;
}

/*
 * An interrupted post-copy migration that finished on its own
 * (_kvmmig_postcopy_finished(): the destination runs the guest as
 * migrated, the source, read on @sconn, a connection opened for it, shut
 * it off as migrated or has it no more): the libvirt daemons lost each
 * other (their keepalive) but the QEMU stream between the hosts outlived
 * the cut. libvirt then skips what the migration call would have done at
 * its end: undefining the source's definition, and defining the guest on
 * the destination (`dest`, on @dconn) if that was not done at the switch;
 * both are done here, as the options ask, and a failure is warned of.
 */
static void
postcopy_finish_alone (Run           *run,
                       virConnectPtr  sconn,
                       int            sstate,
                       virConnectPtr  dconn,
                       virDomainPtr   dest)
{
  g_autoptr(virDomain) source = NULL;

  g_debug ("%s: guest '%s': post-copy completed although the daemons lost each other; "
           "it runs on %s", run->source_uri, run->guest_name, run->dest_uri);

  if (run->options.persistent && virDomainIsPersistent (dest) == 0)
    {
      g_autofree char *xml = virDomainGetXMLDesc (dest, VIR_DOMAIN_XML_SECURE);
      g_autoptr(virDomain) defined = xml ? virDomainDefineXML (dconn, xml) : NULL;

      if (defined == NULL)
        {
          g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
          g_warning ("%s: guest '%s' could not be defined there after its migration: %s",
                     run->dest_uri, run->guest_name, msg);
        }
    }

  /* Gone from the source: nothing left to undefine. */
  if (run->options.undefine_source && sstate == VIR_DOMAIN_SHUTOFF)
    {
      source = virDomainLookupByUUIDString (sconn, run->uuid);
      if (source == NULL ||
          (virDomainIsPersistent (source) == 1 &&
           virDomainUndefineFlags (source, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                                           VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) < 0))
        {
          g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
          g_warning ("%s: guest '%s' migrated but its definition was not removed "
                     "there (undefine-source): %s", run->source_uri, run->guest_name, msg);
        }
    }
  virResetLastError ();
}

/* The end of an interrupted post-copy migration that completed. The
 * source's logical volumes are released after what the destination says
 * of the guest, on a live connection: @dconn, opened during the recovery
 * (the job's may have died with the link), or, if that one is not alive, a
 * new one. */
static gboolean
postcopy_recovered (Run           *run,
                    virConnectPtr  dconn)
{
  g_autoptr(virConnect) reopened = NULL;
  KvmmigJobUpdate *update;

  if (dconn == NULL || virConnectIsAlive (dconn) != 1)
    {
      virResetLastError ();
      reopened = _kvmmig_connect_open_until (run->dest_uri,
                                             g_get_monotonic_time () + 10 * G_USEC_PER_SEC);
      dconn = reopened;
    }
  _kvmmig_storage_after_migration (run->sconn, run->source_uri, dconn, run->guest_name);
  update = _kvmmig_job_update_new (KVMMIG_JOB_UPDATE_STATE | KVMMIG_JOB_UPDATE_OUTCOME |
                                   KVMMIG_JOB_UPDATE_PROGRESS);
  update->state = KVMMIG_MIGRATION_STATE_COMPLETED;
  update->location = KVMMIG_GUEST_LOCATION_DESTINATION;
  g_mutex_lock (&run->lock);
  update->downtime_ms = run->event_downtime_ms > 0 ? run->event_downtime_ms : -1;
  g_mutex_unlock (&run->lock);
  update->total_ms = _kvmmig_run_elapsed_ms (run);
  _kvmmig_run_post (run, update);
  return TRUE;
}

/* A look at both hosts during a post-copy recovery, each on a connection
 * opened for it (the job's may have died with the link), given up at
 * @deadline. */
typedef struct
{
  virConnectPtr sconn;
  virConnectPtr dconn;
  virDomainPtr dest;
  int sstate, sreason, dstate, dreason;
  int lookup_error;
} HostsLook;

static void
hosts_look (Run       *run,
            gint64     deadline,
            HostsLook *look)
{
  *look = (HostsLook) { .dstate = KVMMIG_DOMAIN_STATE_UNREADABLE,
                        .lookup_error = VIR_ERR_OK };

  look->dconn = _kvmmig_connect_open_until (run->dest_uri, deadline);
  if (look->dconn != NULL)
    {
      look->dest = virDomainLookupByUUIDString (look->dconn, run->uuid);
      if (look->dest == NULL)
        look->lookup_error = _kvmmig_libvirt_last_error_code ();
      else if (virDomainGetState (look->dest, &look->dstate, &look->dreason, 0) < 0)
        look->dstate = KVMMIG_DOMAIN_STATE_UNREADABLE;
      virResetLastError ();
    }
  look->sconn = _kvmmig_connect_open_until (run->source_uri, deadline);
  look->sstate = _kvmmig_run_domain_state (look->sconn, run->uuid, &look->sreason);
}

static void
hosts_look_clear (HostsLook *look)
{
  g_clear_pointer (&look->dest, virDomainFree);
  g_clear_pointer (&look->dconn, virConnectClose);
  g_clear_pointer (&look->sconn, virConnectClose);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HostsLook, hosts_look_clear)

/*
 * After the switch to post-copy, the guest runs on the destination while
 * its memory is split between the hosts: if the migration breaks (the
 * link, a daemon), QEMU pauses the guest on both sides and the source's
 * copy is stale: it must never be resumed. What can be done is resuming
 * the post-copy migration once the hosts reach each other again
 * (libvirt's VIR_MIGRATE_POSTCOPY_RESUME): retried every 2 s until it
 * works or postcopy-recovery-timeout-ms runs out; each look's connections
 * give up when the timeout does, or after 10 s (_kvmmig_look_deadline_us()). POSTCOPY_PAUSED is posted
 * once a host says QEMU is paused in post-copy (_kvmmig_postcopy_paused());
 * if at the first look both hosts answer and neither says so,
 * *@not_paused is set and nothing is done: the caller locates the guest
 * as after any failure. If the destination lost the guest (its QEMU
 * died), nothing can be done: the guest is lost. A destination whose
 * libvirt crashes on a resume (KVMMIG_LIBVIRT_QUIRK_POSTCOPY_RESUME_CRASH)
 * is never asked: the job ends as soon as QEMU is paused, saying why.
 */
gboolean
_kvmmig_run_recover_postcopy (Run         *run,
                              const char  *first_error,
                              gboolean    *not_paused,
                              GError     **error)
{
  gint64 deadline = g_get_monotonic_time () +
                    (gint64) run->options.postcopy_recovery_timeout_ms * 1000;
  g_autofree char *last = g_strdup (first_error);
  g_autofree char *cannot_resume = NULL;
  g_autofree char *command = NULL;
  KvmmigJobUpdate *update;
  guint attempts = 0;
  gboolean cancelled = FALSE, lost = FALSE, quirk_asked = FALSE;

  g_debug ("%s: guest '%s': post-copy interrupted: %s", run->source_uri,
           run->guest_name, first_error);

  /* A cancel while post-copy ran was dropped (post-copy cannot be
   * cancelled); one since the interruption (the source's POSTCOPY_FAILED
   * event set `recovering`) or from now on stops the attempts. */
  g_mutex_lock (&run->lock);
  run->recovering = TRUE;
  g_mutex_unlock (&run->lock);

  for (;;)
    {
      g_auto(HostsLook) look = { 0 };
      virTypedParameterPtr params = NULL;
      int nparams = 0;
      unsigned int flags;
      gboolean paused, failed_event;
      int rc;

      hosts_look (run, _kvmmig_look_deadline_us (g_get_monotonic_time (), deadline), &look);
      if (destination_lost_guest (look.dconn, look.dest, look.lookup_error))
        {
          lost = TRUE;
          break;
        }

      if (_kvmmig_postcopy_finished (look.sstate, look.sreason, look.dstate, look.dreason))
        {
          postcopy_finish_alone (run, look.sconn, look.sstate, look.dconn, look.dest);
          return postcopy_recovered (run, look.dconn);
        }

      g_mutex_lock (&run->lock);
      failed_event = run->postcopy_failed_event;
      g_mutex_unlock (&run->lock);
      paused = _kvmmig_postcopy_paused (look.sstate, look.sreason, look.dstate, look.dreason,
                                        failed_event);
      g_mutex_lock (&run->lock);
      if (paused && run->recovery_state != KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED)
        {
          run->recovery_state = KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED;
          _kvmmig_run_post_state (run, KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED);
        }
      g_mutex_unlock (&run->lock);
      if (!paused && attempts == 0 &&
          look.sstate != KVMMIG_DOMAIN_STATE_UNREADABLE &&
          look.dstate != KVMMIG_DOMAIN_STATE_UNREADABLE)
        {
          g_debug ("%s: guest '%s': the migration failed after the switch, but QEMU is "
                   "not paused in post-copy", run->source_uri, run->guest_name);
          *not_paused = TRUE;
          return FALSE;
        }

      /* A destination whose libvirt crashes on a resume is never asked:
       * once QEMU is paused there is nothing left to wait for (before, the
       * migration may still finish by itself, seen at a later look). */
      if (!quirk_asked && look.dconn != NULL)
        {
          /* Once: the daemon's version does not change between looks. */
          quirk_asked = TRUE;
          _kvmmig_libvirt_has_quirk (look.dconn, KVMMIG_LIBVIRT_QUIRK_POSTCOPY_RESUME_CRASH,
                                     &cannot_resume);
        }
      if (cannot_resume != NULL && paused)
        break;

      if (g_get_monotonic_time () >= deadline)
        break;

      g_mutex_lock (&run->lock);
      if (!run->cancel_requested)
        g_cond_wait_until (&run->cond, &run->lock,
                           MIN (deadline, g_get_monotonic_time () + 2 * G_USEC_PER_SEC));
      cancelled = run->cancel_requested;
      g_mutex_unlock (&run->lock);
      if (cancelled)
        break;

      if (cannot_resume != NULL)
        continue;
      attempts++;
      flags = _kvmmig_migration_build_params (&run->options, &params, &nparams) |
              VIR_MIGRATE_POSTCOPY_RESUME;
      g_mutex_lock (&run->lock);
      run->resume_running = TRUE;
      g_mutex_unlock (&run->lock);
      rc = virDomainMigrateToURI3 (run->domain, run->dest_uri, params, nparams, flags);
      g_mutex_lock (&run->lock);
      run->resume_running = FALSE;
      g_mutex_unlock (&run->lock);
      virTypedParamsFree (params, nparams);
      if (rc == 0)
        {
          g_debug ("%s: guest '%s': post-copy resumed after %u attempts", run->source_uri,
                   run->guest_name, attempts);
          return postcopy_recovered (run, look.dconn);
        }
      g_free (last);
      last = _kvmmig_libvirt_take_message (NULL);
      g_debug ("%s: guest '%s': post-copy resume attempt %u: %s", run->source_uri,
               run->guest_name, attempts, last);
    }

  update = _kvmmig_job_update_new (KVMMIG_JOB_UPDATE_STATE | KVMMIG_JOB_UPDATE_OUTCOME |
                                   KVMMIG_JOB_UPDATE_PROGRESS);
  update->state = KVMMIG_MIGRATION_STATE_FAILED;
  update->location = KVMMIG_GUEST_LOCATION_NONE;
  update->total_ms = _kvmmig_run_elapsed_ms (run);
  _kvmmig_run_post (run, update);

  command = _kvmmig_migration_resume_command (&run->options, run->source_uri, run->guest_name,
                                              run->dest_uri);
  if (cannot_resume != NULL && !lost && !cancelled)
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_LOST,
                 "%s: post-copy migration of guest '%s' to %s was interrupted (%s) and "
                 "cannot be resumed: %s's %s; it was not asked to. The guest is paused on "
                 "both hosts with its memory split between them: do not resume it on the "
                 "source; once libvirt on %s has the fix, resume the migration with `%s`",
                 run->source_uri, run->guest_name, run->dest_uri, first_error,
                 run->dest_uri, cannot_resume, run->dest_uri, command);
  else if (lost)
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_LOST,
                 "%s: post-copy migration of guest '%s' to %s failed (%s) and the "
                 "destination lost the guest; its copy on the source is stale and was "
                 "not resumed: the guest is lost", run->source_uri, run->guest_name,
                 run->dest_uri, first_error);
  else
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_LOST,
                 "%s: post-copy migration of guest '%s' to %s was interrupted (%s) and %s "
                 "(%u attempts; last: %s); the guest is paused on both hosts with its "
                 "memory split between them: do not resume it on the source; once the "
                 "hosts reach each other, resume the migration with `%s`", run->source_uri,
                 run->guest_name, run->dest_uri, first_error,
                 cancelled ? "its recovery was cancelled"
                           : "could not be resumed within the post-copy recovery timeout",
                 attempts, last, command);
  return FALSE;
}

