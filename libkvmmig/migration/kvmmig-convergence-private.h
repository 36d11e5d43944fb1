/* kvmmig-convergence-private.h: the convergence policy of a migration
 * job as pure logic: fed samples of the job's statistics, it decides when
 * to raise the allowed downtime, throttle the guest, switch to post-copy,
 * or abort at the completion timeout (with or without statistics), and how
 * long to wait before asking again for a refused abort. No libvirt here,
 * so it is unit-tested with synthetic samples
 * (tests/unit/test-convergence.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "kvmmig-types.h"

G_BEGIN_DECLS

/* The downtime AUTO aims for first, when the configured limit allows it:
 * below QEMU's 300 ms default, since an idle guest converges well under. */
#define KVMMIG_CONVERGENCE_LOW_DOWNTIME_MS 30

/* The auto-converge throttle armed at the start of an AUTO migration.
 * QEMU applies it by itself whenever its own trigger fires (dirtied more
 * than half of what was sent, in two passes), and raises it by the
 * increment each time after; the policy's own throttle steps (QMP
 * migrate-set-parameters) come on top. Stronger than QEMU's 20 %/+10 %,
 * see doc/convergence.md. */
#define KVMMIG_CONVERGENCE_START_THROTTLE   50
#define KVMMIG_CONVERGENCE_START_INCREMENT  20
#define KVMMIG_CONVERGENCE_MAX_THROTTLE     99
/* For a guest under QEMU's emulator (TCG, domain type 'qemu'): a
 * throttled vCPU sleeps t / (1 - t) x 10 ms at a time (990 ms at 99 %), and
 * under TCG each dirty-bitmap sync of the migration waits for every vCPU
 * to run a no-op (tcg_log_global_after_sync), which a sleeping vCPU does
 * only when it wakes: at 99 % a pass boundary was seen to stall for a
 * second. So the throttle's sleep is kept within this share of the pass
 * it applies to (96 % for a 1.3 s pass, 99 % for a 5 s one). KVM has no
 * such wait. */
#define KVMMIG_CONVERGENCE_TCG_SLEEP_SHARE 0.2

typedef struct
{
  gint64   elapsed_ms;   /* since the migration started */
  guint64  remaining;    /* bytes still to send */
  guint64  bandwidth;    /* bytes/s, as measured by QEMU */
  guint64  dirty_rate;   /* bytes/s, as measured by QEMU; 0 if unknown */
  guint    iteration;    /* pre-copy pass, 1-based; 0 if unknown */
  guint    throttle;     /* vCPU throttle now in force, percent */
  double   vcpu_load;    /* share of its vCPUs the guest uses, 0..1; 0 if unknown */
  gboolean postcopy;     /* post-copy has started */
  /* With copy-storage: the disks' mirror (0 without). The figures above
   * are the memory's; libvirt mirrors the disks before the memory goes. */
  guint64  disk_total;
  guint64  disk_processed;
  guint64  disk_remaining;
  guint64  disk_bandwidth; /* bytes/s */
  guint64  memory_total;
  guint64  data_remaining; /* memory and disks */
} KvmmigConvergenceSample;

typedef struct
{
  KvmmigPolicyAction action;
  guint value;           /* SET_DOWNTIME: ms; THROTTLE: percent */
  char *reason;          /* why, for people */
} KvmmigConvergenceDecision;

typedef struct _KvmmigConvergence KvmmigConvergence;

KvmmigConvergence *_kvmmig_convergence_new (KvmmigMigrationPolicy  policy,
                                            guint                  max_downtime_ms,
                                            gboolean               allow_postcopy,
                                            gint64                 timeout_ms);
void               _kvmmig_convergence_free (KvmmigConvergence   *self);

guint              _kvmmig_convergence_get_downtime (KvmmigConvergence *self);
gboolean           _kvmmig_convergence_set_max_downtime (KvmmigConvergence *self,
                                                         guint              max_downtime_ms);
guint              _kvmmig_convergence_get_throttle (KvmmigConvergence *self);
void               _kvmmig_convergence_set_emulated (KvmmigConvergence *self,
                                                     gboolean           emulated);

gboolean           _kvmmig_convergence_decide (KvmmigConvergence              *self,
                                               const KvmmigConvergenceSample  *sample,
                                               KvmmigConvergenceDecision      *decision);

/* While the disks are mirrored (copy-storage, before the memory's first
 * pass): whether the AUTO policy switches the mirrors to synchronous
 * writes now (SYNC_DISK_WRITES), at most once. */
gboolean           _kvmmig_convergence_decide_disks (KvmmigConvergence             *self,
                                                     const KvmmigConvergenceSample *sample,
                                                     KvmmigConvergenceDecision     *decision);

gboolean           _kvmmig_convergence_check_timeout (KvmmigConvergence         *self,
                                                      gint64                     elapsed_ms,
                                                      KvmmigConvergenceDecision *decision);

gint64             _kvmmig_convergence_abort_retry_ms (guint attempts);

void               _kvmmig_convergence_step_failed (KvmmigConvergence               *self,
                                                    const KvmmigConvergenceDecision *decision);

void               _kvmmig_convergence_decision_clear (KvmmigConvergenceDecision *decision);

gint64             _kvmmig_convergence_eta_ms (const KvmmigConvergenceSample *sample,
                                               guint                          downtime_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KvmmigConvergence, _kvmmig_convergence_free)

G_END_DECLS
