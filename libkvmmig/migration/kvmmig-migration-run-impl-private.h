/* kvmmig-migration-run-impl-private.h: the state of one run of a
 * migration job, shared by the files that make up the run:
 * kvmmig-migration-run.c (the run thread and its monitor loop, libvirt's
 * events)
 * and kvmmig-migration-recovery.c (an interrupted post-copy migration).
 * Nothing outside them includes it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "kvmmig-convergence-private.h"
#include "kvmmig-host.h"
#include "kvmmig-job-update-private.h"
#include "kvmmig-migration-call-private.h"
#include "kvmmig-migration-options-private.h"
#include "kvmmig-migration-tuning-private.h"

G_BEGIN_DECLS

typedef struct _KvmmigRun KvmmigRun;

struct _KvmmigRun
{
  KvmmigJobUpdateSink *sink;
  gboolean check_only;
  KvmmigMigrationOptions options;
  KvmmigMigrationTuning *tuning;  /* nullable: the job's changes while it migrates */
  KvmmigEvacuationBudget budget;
  gboolean has_budget;
  char *source_uri;
  char *dest_uri;
  char *guest_name;
  char *registry_key;
  KvmmigHost *source;
  KvmmigHost *destination;
  GCancellable *cancellable;
  gulong cancel_handler;

  virConnectPtr sconn;
  virConnectPtr dconn;
  virDomainPtr domain;
  char *uuid;
  guint64 memory;
  GPtrArray *copies;              /* the disks copied (KvmmigDiskCopy), or NULL */

  gint64 start_us;
  gint64 migration_start_us;

  /* Shared with the event thread, the cancel handler, the job's thread
   * (wake, through the tuning mailbox) and the migration call's thread
   * (migrate_done). Taken inside the call's lock, never around it. */
  GMutex lock;
  GCond cond;
  gboolean wake;
  gboolean migrate_done;
  gboolean cancel_requested;
  gboolean switching_over;
  gboolean postcopy_running;      /* the source says so: not merely asked for */
  gboolean recovering;            /* post-copy interrupted: resuming it */
  gboolean postcopy_failed_event; /* the source's SUSPENDED_POSTCOPY_FAILED */
  gboolean resume_running;        /* a resume attempt's call is under way */
  /* The last state posted since the interruption; NEW: none yet. */
  KvmmigMigrationState recovery_state;
  gboolean completed_event;
  gint64 event_downtime_ms;

  /* The run thread's own. */
  KvmmigConvergence *engine;
  KvmmigMigrationCall *call;
  gint64 abort_deadline_us;       /* monotonic; 0 until an abort is accepted */
  gboolean timed_out;
  gboolean cancel_ignored;
  guint abort_refusals;           /* aborts libvirt refused so far */
  gint64 next_abort_us;           /* no abort asked before then */
  gboolean postcopy_requested;    /* the policy asked for the switch */
  gboolean posted_switching;
  double progress;
  guint64 vcpu_prev_ns;
  gint64 vcpu_prev_us;
  double vcpu_load;
  GString *steps_summary;
  int event_ids[3];
};

gint64   _kvmmig_run_elapsed_ms       (KvmmigRun            *run);
/* Sends @update (transfer full) to the run's sink. */
void     _kvmmig_run_post             (KvmmigRun            *run,
                                       KvmmigJobUpdate      *update);
void     _kvmmig_run_post_state       (KvmmigRun            *run,
                                       KvmmigMigrationState  state);
/* The guest's state on @conn: KVMMIG_DOMAIN_STATE_GONE if the host
 * answers that it has no such domain, KVMMIG_DOMAIN_STATE_UNREADABLE if
 * it cannot be read (no connection, or a dead one). */
int      _kvmmig_run_domain_state     (virConnectPtr         conn,
                                       const char           *uuid,
                                       int                  *reason);

/* After the migration call failed once post-copy had started: resumes
 * the post-copy migration (kvmmig-migration-recovery.c). */
gboolean _kvmmig_run_recover_postcopy (KvmmigRun            *run,
                                       const char           *first_error,
                                       gboolean             *not_paused,
                                       GError              **error);

G_END_DECLS
