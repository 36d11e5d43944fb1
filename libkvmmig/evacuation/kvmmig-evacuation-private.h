/* kvmmig-evacuation-private.h: the instance struct, its per-guest slots
 * and the property ids of KvmmigEvacuation, shared by its own files (and,
 * for the placement, by the unit tests):
 *
 *   kvmmig-evacuation.c          the class, its properties and signals,
 *                                construction, options and state
 *   kvmmig-evacuation-running.c  the run: setup, placement of each guest,
 *                                its checks and migration, the outcome
 *   kvmmig-placement.c           where each guest goes (a pure function)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-evacuation.h"
#include "kvmmig-guest.h"
#include "kvmmig-host.h"
#include "kvmmig-migration-job.h"
#include "kvmmig-placement-private.h"

G_BEGIN_DECLS

typedef enum {
  SLOT_PENDING,
  SLOT_CHECKING,
  SLOT_RUNNING,
  SLOT_DONE,
} SlotStatus;

typedef struct
{
  KvmmigEvacuation *evacuation;   /* unowned: it owns its slots */
  KvmmigGuest *guest;
  KvmmigMigrationJob *job;
  SlotStatus status;
  guint dest;
  gboolean *rejected;
  gulong progress_handler;
} Slot;

struct _KvmmigEvacuation
{
  GObject parent_instance;

  KvmmigHost *source;
  GPtrArray *destinations;        /* KvmmigHost */

  guint max_per_source;
  guint max_per_destination;
  guint bandwidth_limit;
  gboolean allow_postcopy;
  KvmmigMigrationPolicy policy;
  gboolean tls;
  gboolean require_disk_locking;
  gboolean allow_cluster_managed;

  KvmmigMigrationState state;
  double progress;
  guint guests_moved;
  guint guests_failed;

  /* While running */
  GTask *task;
  GPtrArray *slots;               /* Slot */
  KvmmigPlacementDest *dests;     /* per destination: memory and migrations */
  guint active;
  guint pending_queries;
  GError *setup_error;
};

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_MAX_PER_SOURCE,
  PROP_MAX_PER_DESTINATION,
  PROP_BANDWIDTH_LIMIT,
  PROP_ALLOW_POSTCOPY,
  PROP_POLICY,
  PROP_TLS,
  PROP_REQUIRE_DISK_LOCKING,
  PROP_ALLOW_CLUSTER_MANAGED,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_GUESTS_TOTAL,
  PROP_GUESTS_MOVED,
  PROP_GUESTS_FAILED,
  N_PROPS
};

/* Notifies a property, emits a signal (kvmmig-evacuation.c holds the
 * pspecs and signal ids). */
void _kvmmig_evacuation_notify            (KvmmigEvacuation   *self,
                                           guint               prop_id);
void _kvmmig_evacuation_emit_progress     (KvmmigEvacuation   *self);
void _kvmmig_evacuation_emit_job_started  (KvmmigEvacuation   *self,
                                           KvmmigMigrationJob *job,
                                           KvmmigHost         *destination);
void _kvmmig_evacuation_emit_job_finished (KvmmigEvacuation   *self,
                                           KvmmigMigrationJob *job);

G_END_DECLS
