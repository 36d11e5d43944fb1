/* kvmmig-convergence.c: the convergence policy of a migration job.
 *
 * Pre-copy sends memory in passes while the guest keeps writing it. QEMU
 * switches over (pauses the guest for the last copy) once what is left can
 * be sent within the allowed downtime: remaining <= bandwidth * downtime.
 * With a dirty rate D against a bandwidth B, pass i leaves about
 * M * (D/B)^i to send, so a guest that dirties faster than about half the
 * link converges slowly or never (see doc/convergence.md).
 *
 * The AUTO policy, evaluated at each new pass:
 *   1. It starts with a low downtime target (30 ms, if the limit allows),
 *      so that guests that converge do so with little downtime.
 *   2. When the remaining data stops shrinking from one pass to the next
 *      (a stall), or the measured dirty rate is at least half the
 *      measured bandwidth (only a stall, once its throttle is in force),
 *      it raises the allowed downtime to what the
 *      smallest remaining seen needs, if that is within the limit: QEMU
 *      then switches over at its next check. If QEMU did not, with that
 *      downtime allowed (it estimates the bandwidth itself, and may find
 *      less than the job), the next pass allows the limit.
 *   3. Otherwise, if post-copy is allowed, it switches to post-copy
 *      unless the next pass alone is expected to leave little enough
 *      (remaining * D / B within the limit): a throttle asked for now
 *      takes effect only once QEMU sees a second pass that dirtied too
 *      much, so pre-copy needs at least two more passes (2 R / B), while
 *      post-copy sends what is left once (R / B, and the guest runs on
 *      the destination from the start of it).
 *   4. Otherwise it throttles the guest by what the next pass needs to
 *      converge. A throttle t leaves the guest 1 - t of its vCPU time; a
 *      guest that used a share u of it before is slowed only by
 *      (1 - t) / u, so a throttle below 1 - u does nothing at all (u is
 *      measured before any throttle; 1 if unknown). The pass under the
 *      throttle lasts about R / B; the guest may dirty at most half of
 *      what the maximum downtime sends (B * downtime / 2) in it. QEMU's
 *      dirty rate D counts distinct pages per period, which understates
 *      how fast a small working set is rewritten, so the guest is taken
 *      to write 2 D. Hence
 *        t = 1 - u * (B * downtime / 2) / (R / B) / (2 D).
 *      A CPU-bound guest (60 % of its vCPU or more) gets the maximum at
 *      once: it writes as fast as its vCPU lets it, and QEMU's dirty rate
 *      shows only its working set per period (a 32 MiB working set
 *      rewritten as fast as the guest can showed 23 MiB/s, for which the
 *      formula asks 30 %: three more steps, each after QEMU's two passes).
 *      On the testbed (a guest rewriting 128 MiB at 150 MiB/s, at 35 %
 *      of its vCPU, over 100 MiB/s) that is 97 %: QEMU applies a throttle
 *      only after two passes that dirtied too much, so the first one has
 *      to be enough; QEMU's own start of 20 % plus 10 % per step, or a
 *      throttle aimed at a dirty rate of 15 % of the link (this policy
 *      before: 93 % there, and one more pass), is what makes
 *      auto-converge slow.
 *   5. If the throttle is at its maximum and the migration still stalls,
 *      it switches to post-copy if allowed; otherwise nothing is left to
 *      try, and it says so.
 * A switch to post-copy that libvirt refused (the run reports it with
 * _kvmmig_convergence_step_failed()) counts as not asked for: the next
 * pass decides again, AUTO skipping step 3 (it throttles, and tries
 * post-copy again at 5.), POSTCOPY asking again; after
 * MAX_POSTCOPY_REFUSALS refusals neither asks any more.
 * With copy-storage, libvirt first mirrors the disks, then starts the
 * memory's passes once every mirror has caught up. A guest that writes
 * its disks as fast as the mirror copies them never lets it catch up: the
 * memory never starts. While the disks are mirrored, the AUTO policy
 * watches what is left of them (_kvmmig_convergence_decide_disks()): when
 * it has not shrunk by DISK_DRAIN_FRACTION of what the mirror copied for
 * DISK_STALL_MS, it switches the mirrors to synchronous writes (QEMU's
 * write-blocking copy mode: each write of the guest waits until the
 * destination has it too, so new writes no longer add to what is left),
 * once. The memory's passes are then judged as above, throttle
 * included.
 * At any point, the completion timeout aborts the migration (the guest
 * keeps running on the source), unless post-copy has started: it cannot be
 * aborted any more. It counts from the start of the migration whether or
 * not the job has statistics yet: a migration stuck in its set-up (the
 * destination never ready) is fed no samples, and the run asks
 * _kvmmig_convergence_check_timeout() alone at each tick. An abort that
 * libvirt refused is asked again after _kvmmig_convergence_abort_retry_ms(),
 * a delay that doubles, not at every tick.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "kvmmig-convergence-private.h"

#define MIB (1024.0 * 1024.0)

/* A pass that does not leave less than this fraction of the smallest
 * remaining seen so far made no progress. */
#define PROGRESS_FRACTION 0.9

/* A dirty rate of at least this fraction of the bandwidth will not
 * converge soon without help. QEMU's own auto-converge trigger is 50 %. */
#define SLOW_DIRTY_FRACTION 0.5

/* Throttling aims for a pass that dirties at most this fraction of what
 * the maximum downtime sends, with the guest taken to write this many
 * times QEMU's dirty rate (see 4. above). */
#define THROTTLE_DOWNTIME_SHARE 0.5
#define DIRTY_RATE_UNDERSTATEMENT 2.0

/* No throttle below this: anything less is within the noise of QEMU's
 * measurements. */
#define MIN_THROTTLE 30

/* A guest using this much of its vCPUs is CPU-bound: it is throttled by
 * the most at once (see 4. above), and the post-copy step says so. */
#define CPU_BOUND_LOAD 0.6

/* After this many refused switches to post-copy, it is not asked again. */
#define MAX_POSTCOPY_REFUSALS 3
/* A disk mirror that has not made progress for this long is stalled. */
#define DISK_STALL_MS 3000
/* A disk mirror makes progress when what is left shrinks by at least this
 * fraction of what it copies: the guest writes less than 90 % of it. */
#define DISK_DRAIN_FRACTION 0.1

struct _KvmmigConvergence
{
  KvmmigMigrationPolicy policy;
  guint max_downtime_ms;
  gboolean allow_postcopy;
  gint64 timeout_ms;

  guint downtime_ms;            /* the target now set */
  guint throttle;               /* the throttle last asked for, percent */
  gboolean emulated;            /* the guest runs under TCG */
  gboolean postcopy;            /* post-copy started or asked for */
  gboolean postcopy_started;    /* a sample said it runs */
  guint postcopy_refusals;      /* switches to post-copy libvirt refused */
  gboolean aborted;
  gboolean exhausted;

  guint last_iteration;         /* the pass seen last */
  guint acted_iteration;        /* the pass of the last action */
  guint64 lowmark;              /* smallest remaining at a pass boundary */
  guint stalls;                 /* boundaries in a row without progress */
  double demand;                /* vCPU load last seen before any throttle */
  guint throttle_seen_iteration;/* first pass with the asked throttle in force */
  guint64 disk_lowmark;         /* smallest disk remaining while mirroring */
  guint64 disk_prev_processed;  /* the previous sample's disk figures, */
  gint64 disk_prev_ms;          /* for the copy rate libvirt may not give */
  double disk_rate;             /* bytes/s, smoothed */
  gint64 disk_lowmark_ms;       /* when it was seen */
  gboolean disk_synced;         /* the mirrors were switched to synchronous writes */
};

KvmmigConvergence *
_kvmmig_convergence_new (KvmmigMigrationPolicy policy,
                         guint                 max_downtime_ms,
                         gboolean              allow_postcopy,
                         gint64                timeout_ms)
{
  KvmmigConvergence *self = g_new0 (KvmmigConvergence, 1);

  self->policy = policy;
  self->max_downtime_ms = max_downtime_ms;
  self->allow_postcopy = allow_postcopy || policy == KVMMIG_MIGRATION_POLICY_POSTCOPY;
  self->timeout_ms = timeout_ms;

  if (policy == KVMMIG_MIGRATION_POLICY_AUTO)
    self->downtime_ms = MIN (max_downtime_ms, KVMMIG_CONVERGENCE_LOW_DOWNTIME_MS);
  else
    self->downtime_ms = max_downtime_ms;

  return self;
}

void
_kvmmig_convergence_free (KvmmigConvergence *self)
{
  g_free (self);
}

/*
 * _kvmmig_convergence_set_max_downtime:
 *
 * A new maximum downtime, set while the migration runs (the job's
 * max-downtime-ms changed): the target in force never exceeds it, and the
 * next decisions may raise the target up to it (a policy that had given up
 * tries again when it grew). Returns TRUE when the target in force changed,
 * for the caller to apply it (_kvmmig_convergence_get_downtime()).
 */
gboolean
_kvmmig_convergence_set_max_downtime (KvmmigConvergence *self,
                                      guint              max_downtime_ms)
{
  guint before = self->downtime_ms;

  if (max_downtime_ms > self->max_downtime_ms)
    self->exhausted = FALSE;
  self->max_downtime_ms = max_downtime_ms;
  if (self->policy == KVMMIG_MIGRATION_POLICY_AUTO)
    self->downtime_ms = MIN (self->downtime_ms, max_downtime_ms);
  else
    self->downtime_ms = max_downtime_ms;
  return self->downtime_ms != before;
}

/*
 * _kvmmig_convergence_set_emulated:
 *
 * Says that the guest runs under QEMU's emulator (TCG): the throttle is
 * then kept low enough for the pass it applies to (see max_throttle()).
 */
void
_kvmmig_convergence_set_emulated (KvmmigConvergence *self,
                                  gboolean           emulated)
{
  self->emulated = emulated;
}

/* The downtime target to set at the start, and after each SET_DOWNTIME. */
guint
_kvmmig_convergence_get_downtime (KvmmigConvergence *self)
{
  return self->downtime_ms;
}

/* The throttle last asked for, percent (0 if none). */
guint
_kvmmig_convergence_get_throttle (KvmmigConvergence *self)
{
  return self->throttle;
}

void
_kvmmig_convergence_decision_clear (KvmmigConvergenceDecision *decision)
{
  g_clear_pointer (&decision->reason, g_free);
}

static gboolean
decide (KvmmigConvergenceDecision *decision,
        KvmmigPolicyAction         action,
        guint                      value,
        char                      *reason)
{
  decision->action = action;
  decision->value = value;
  decision->reason = reason;
  return TRUE;
}

/* Tracks pass boundaries; returns TRUE at the first sample of a new pass. */
static gboolean
track_iteration (KvmmigConvergence             *self,
                 const KvmmigConvergenceSample *s)
{
  if (s->iteration <= self->last_iteration)
    return FALSE;

  self->last_iteration = s->iteration;

  /* The first boundary (end of the full first pass) sets the mark. */
  if (s->iteration >= 2)
    {
      if (self->lowmark == 0 || s->remaining < self->lowmark * PROGRESS_FRACTION)
        {
          if (self->lowmark != 0)
            self->stalls = 0;
          self->lowmark = self->lowmark == 0 ? s->remaining
                                             : MIN (self->lowmark, s->remaining);
        }
      else
        {
          self->stalls++;
          self->lowmark = MIN (self->lowmark, s->remaining);
        }
    }

  return TRUE;
}

/* A duration in ms computed from a host's figures, which may be anything
 * (a remaining amount of 2^64 bytes at 1 byte/s): 0 when not positive,
 * and never more than ~285 million years, so that converting it is
 * defined and a few ms can still be added. */
#define MS_MAX 9000000000000000000.0

static gint64
ms_from_double (double ms)
{
  if (!(ms > 0))
    return 0;
  if (ms >= MS_MAX)
    return (gint64) MS_MAX;
  return (gint64) ms;
}

/* The throttle, percent, under which the guest dirties during the next
 * pass (@remaining bytes at @bandwidth) at most THROTTLE_DOWNTIME_SHARE
 * of what @downtime_ms sends (see 4. above). */
static guint
throttle_for (double bandwidth,
              double dirty_rate,
              double demand,
              double remaining,
              guint  downtime_ms)
{
  double pass_s, allowed_rate, t;

  if (dirty_rate <= 0 || bandwidth <= 0)
    return 0;
  if (demand <= 0 || demand > 1)
    demand = 1;
  pass_s = MAX (remaining / bandwidth, 0.1);
  allowed_rate = THROTTLE_DOWNTIME_SHARE * bandwidth * downtime_ms / 1000.0 / pass_s;
  t = 100.0 * (1.0 - demand * allowed_rate / (DIRTY_RATE_UNDERSTATEMENT * dirty_rate));
  return (guint) CLAMP (ceil (t), 0, 100);
}

/* The most the policy throttles for a pass of @pass_s seconds: 99 %, or,
 * under TCG, what keeps a vCPU's throttle sleep (t / (1 - t) x 10 ms) within
 * TCG_SLEEP_SHARE of the pass (see KVMMIG_CONVERGENCE_TCG_SLEEP_SHARE), and
 * never below MIN_THROTTLE. */
static guint
max_throttle (KvmmigConvergence *self,
              double             pass_s)
{
  double x;

  if (!self->emulated)
    return KVMMIG_CONVERGENCE_MAX_THROTTLE;
  x = KVMMIG_CONVERGENCE_TCG_SLEEP_SHARE * pass_s / 0.010;
  return (guint) CLAMP (floor (100.0 * x / (1.0 + x)), MIN_THROTTLE,
                        KVMMIG_CONVERGENCE_MAX_THROTTLE);
}

/*
 * _kvmmig_convergence_check_timeout:
 *
 * The completion timeout alone, @elapsed_ms after the migration started:
 * returns TRUE once, filling @decision with ABORT_TIMEOUT, when it has run
 * out, unless post-copy has started (a sample said so). The run calls it
 * at each tick without statistics; _kvmmig_convergence_decide() calls it
 * first.
 */
gboolean
_kvmmig_convergence_check_timeout (KvmmigConvergence         *self,
                                   gint64                     elapsed_ms,
                                   KvmmigConvergenceDecision *decision)
{
  memset (decision, 0, sizeof *decision);

  if (self->aborted || self->postcopy_started || self->timeout_ms <= 0 ||
      elapsed_ms < self->timeout_ms)
    return FALSE;

  self->aborted = TRUE;
  return decide (decision, KVMMIG_POLICY_ACTION_ABORT_TIMEOUT, 0,
                 g_strdup_printf ("not complete after %.1f s (the completion "
                                  "timeout): aborted, the guest stays on the source",
                                  elapsed_ms / 1000.0));
}

/*
 * _kvmmig_convergence_abort_retry_ms:
 *
 * How long to wait before asking again for an abort libvirt refused
 * @attempts times already (a cancel or a timeout while the migration is
 * being set up, before libvirt has a job to abort): 250 ms doubling at each
 * refusal, at most 8 s.
 */
gint64
_kvmmig_convergence_abort_retry_ms (guint attempts)
{
  return (gint64) 250 << MIN (attempts > 0 ? attempts - 1 : 0, 5);
}

/*
 * _kvmmig_convergence_decide:
 *
 * Feeds one sample. Returns TRUE and fills @decision when the policy wants
 * an action; call it again with the same sample until it returns FALSE,
 * since one boundary may call for two actions (raise the downtime, then
 * throttle). The caller applies each action and clears the decision.
 */
gboolean
_kvmmig_convergence_decide (KvmmigConvergence             *self,
                            const KvmmigConvergenceSample *s,
                            KvmmigConvergenceDecision     *decision)
{
  double bandwidth = (double) s->bandwidth;
  double dirty = (double) s->dirty_rate;
  gboolean slow;
  guint64 needed_ms;
  double least;
  guint cap;

  memset (decision, 0, sizeof *decision);

  if (s->postcopy)
    {
      /* Post-copy cannot be aborted or sped up from here. */
      self->postcopy = TRUE;
      self->postcopy_started = TRUE;
      return FALSE;
    }

  if (_kvmmig_convergence_check_timeout (self, s->elapsed_ms, decision))
    return TRUE;

  if (self->aborted || self->postcopy)
    return FALSE;

  track_iteration (self, s);

  if (s->throttle == 0 && self->throttle == 0 && s->vcpu_load > 0)
    self->demand = MIN (s->vcpu_load, 1.0);

  if (self->throttle > 0 && s->throttle >= self->throttle &&
      self->throttle_seen_iteration == 0)
    self->throttle_seen_iteration = MAX (s->iteration, 1);

  switch (self->policy)
    {
    case KVMMIG_MIGRATION_POLICY_PRECOPY:
      return FALSE;

    case KVMMIG_MIGRATION_POLICY_POSTCOPY:
      if (s->iteration >= 2 && s->iteration > self->acted_iteration && !self->exhausted)
        {
          if (self->postcopy_refusals >= MAX_POSTCOPY_REFUSALS)
            {
              self->exhausted = TRUE;
              return decide (decision, KVMMIG_POLICY_ACTION_EXHAUSTED, 0,
                             g_strdup_printf ("the switch to post-copy was refused %u "
                                              "times: waiting for the completion timeout",
                                              self->postcopy_refusals));
            }
          self->postcopy = TRUE;
          self->acted_iteration = s->iteration;
          return decide (decision, KVMMIG_POLICY_ACTION_START_POSTCOPY, 0,
                         g_strdup ("first pre-copy pass done: switching to post-copy "
                                   "(policy POSTCOPY)"));
        }
      return FALSE;

    case KVMMIG_MIGRATION_POLICY_AUTO:
    default:
      break;
    }

  /* Act at most once per pass, from the end of the first one: an action
   * shows its effect only over the next pass. */
  if (s->iteration < 2 || self->acted_iteration >= s->iteration ||
      bandwidth <= 0 || self->exhausted)
    return FALSE;

  /* Once the throttle asked for is in force, only a stall counts: QEMU's
   * dirty rate is that of the last period, which may have ended before
   * the throttle came into force, while what is left shows at once
   * whether it works. */
  slow = !(self->throttle > 0 && self->throttle_seen_iteration != 0) &&
         dirty >= SLOW_DIRTY_FRACTION * bandwidth;
  if (!slow && self->stalls == 0)
    return FALSE;

  /* 2. Raise the downtime to what the least remaining seen needs. */
  least = MIN (self->lowmark, s->remaining);
  needed_ms = (guint64) ms_from_double (ceil (1000.0 * least / bandwidth * 1.25)) + 10;
  if (self->downtime_ms < self->max_downtime_ms)
    {
      guint allowed_ms = self->downtime_ms;

      if (needed_ms <= self->max_downtime_ms && needed_ms > allowed_ms)
        {
          self->downtime_ms = (guint) needed_ms;
          self->acted_iteration = s->iteration;
          return decide (decision, KVMMIG_POLICY_ACTION_SET_DOWNTIME, self->downtime_ms,
                         g_strdup_printf ("%.1f MiB left to send at %.0f MiB/s: allowing "
                                          "%u ms of downtime to switch over now",
                                          least / MIB, bandwidth / MIB, self->downtime_ms));
        }

      /* Not enough, or already allowed and QEMU did not switch over (it
       * decides with its own estimate of the bandwidth, which may be
       * lower than the job's): allow all of it, and go on to the next
       * step. Allowing the same again would wait for ever. */
      self->downtime_ms = self->max_downtime_ms;
      if (needed_ms > self->max_downtime_ms)
        return decide (decision, KVMMIG_POLICY_ACTION_SET_DOWNTIME, self->downtime_ms,
                       g_strdup_printf ("%.1f MiB left would take %" G_GUINT64_FORMAT
                                        " ms to send: allowing the limit, %u ms",
                                        least / MIB, needed_ms, self->max_downtime_ms));
      return decide (decision, KVMMIG_POLICY_ACTION_SET_DOWNTIME, self->downtime_ms,
                     g_strdup_printf ("%.1f MiB left, and no switch-over with %u ms of "
                                      "downtime allowed: allowing the limit, %u ms",
                                      least / MIB, allowed_ms, self->max_downtime_ms));
    }

  /* 3. Post-copy, when allowed, unless the next pass alone converges. */
  if (self->allow_postcopy && self->throttle == 0 && self->postcopy_refusals == 0 &&
      (double) s->remaining * dirty / bandwidth >
        bandwidth * self->max_downtime_ms / 1000.0)
    {
      self->postcopy = TRUE;
      self->acted_iteration = s->iteration;
      return decide (decision, KVMMIG_POLICY_ACTION_START_POSTCOPY, 0,
                     g_strdup_printf ("%.1f MiB left, the guest dirties %.0f MiB/s against "
                                      "%.0f MiB/s sent%s: a throttle would take two more "
                                      "passes; switching to post-copy (allowed)",
                                      s->remaining / MIB, dirty / MIB, bandwidth / MIB,
                                      self->demand >= CPU_BOUND_LOAD
                                        ? " and keeps its vCPUs busy" : ""));
    }

  /* 4. Throttle by what the rates need. A throttle asked for shows only
   * once QEMU applies it (after two passes that dirtied too much), and
   * after a full pass under it: until then, wait. */
  if (self->throttle > 0 &&
      (self->throttle_seen_iteration == 0 ||
       s->iteration <= self->throttle_seen_iteration))
    return FALSE;

  cap = max_throttle (self, (double) s->remaining / bandwidth);
  if (self->throttle < cap)
    {
      /* A CPU-bound guest writes as fast as its vCPUs let it, and QEMU's
       * dirty rate shows only its working set per period: no figure says
       * how fast it writes, so it gets the most. */
      guint wanted = self->demand >= CPU_BOUND_LOAD
                       ? cap
                       : throttle_for (bandwidth, dirty, self->demand, (double) s->remaining,
                                       self->max_downtime_ms);
      guint before = MAX (self->throttle, s->throttle);

      /* Still stalling under a throttle: half-way to the maximum at least. */
      if (before > 0)
        wanted = MAX (wanted, before + (cap - before + 1) / 2);
      wanted = CLAMP (wanted, MIN_THROTTLE, cap);

      self->throttle = wanted;
      self->throttle_seen_iteration = 0;
      self->acted_iteration = s->iteration;
      return decide (decision, KVMMIG_POLICY_ACTION_THROTTLE, wanted,
                     g_strdup_printf ("the guest dirties %.0f MiB/s against %.0f MiB/s "
                                      "sent, using %.0f %% of its vCPUs: throttling "
                                      "them by %u %%", dirty / MIB, bandwidth / MIB,
                                      100.0 * (self->demand > 0 ? self->demand : 1.0),
                                      wanted));
    }

  /* 5. Throttled to the maximum and still stalling. */
  if (self->allow_postcopy && self->postcopy_refusals < MAX_POSTCOPY_REFUSALS)
    {
      self->postcopy = TRUE;
      self->acted_iteration = s->iteration;
      return decide (decision, KVMMIG_POLICY_ACTION_START_POSTCOPY, 0,
                     g_strdup ("still not converging at the maximum throttle: "
                               "switching to post-copy (allowed)"));
    }

  self->exhausted = TRUE;
  return decide (decision, KVMMIG_POLICY_ACTION_EXHAUSTED, 0,
                 g_strdup_printf ("still not converging at %u ms downtime and %u %% "
                                  "throttle, and post-copy %s: waiting "
                                  "for the completion timeout",
                                  self->downtime_ms, self->throttle,
                                  self->allow_postcopy ? "was refused" : "is not allowed"));
}

/*
 * _kvmmig_convergence_step_failed:
 *
 * Tells the policy that @decision, which it made, could not be applied. A
 * refused switch to post-copy counts as not asked for: pre-copy goes on,
 * and a later pass decides again (see the opening comment). A refused
 * downtime or throttle changes nothing here: the policy keeps the target
 * it asked for.
 */
void
_kvmmig_convergence_step_failed (KvmmigConvergence               *self,
                                 const KvmmigConvergenceDecision *decision)
{
  if (decision->action != KVMMIG_POLICY_ACTION_START_POSTCOPY)
    return;

  self->postcopy = FALSE;
  self->postcopy_refusals++;
}

/*
 * _kvmmig_convergence_eta_ms:
 *
 * Estimates the time left, in ms: in pre-copy, sending what is left while
 * the guest dirties more, down to what fits in the downtime; -1 when the
 * guest dirties memory as fast as it is sent (no estimate is honest then).
 */
gint64
_kvmmig_convergence_eta_ms (const KvmmigConvergenceSample *s,
                            guint                          downtime_ms)
{
  double bandwidth = (double) s->bandwidth;
  double dirty = (double) s->dirty_rate;
  double left;

  if (bandwidth <= 0)
    return -1;

  if (s->postcopy)
    return ms_from_double (1000.0 * s->remaining / bandwidth);

  if (dirty >= bandwidth)
    return -1;

  left = (double) s->remaining - bandwidth * downtime_ms / 1000.0;
  if (left < 0)
    left = 0;
  return ms_from_double (1000.0 * left / (bandwidth - dirty)) + downtime_ms;
}

gboolean
_kvmmig_convergence_decide_disks (KvmmigConvergence             *self,
                                  const KvmmigConvergenceSample *s,
                                  KvmmigConvergenceDecision     *decision)
{
  double drained;

  if (self->policy != KVMMIG_MIGRATION_POLICY_AUTO || self->disk_synced || self->aborted ||
      s->disk_total == 0 || s->iteration > 0)
    return FALSE;

  /* The copy rate: libvirt 11.3 gives no DISK_BPS for a migration's
   * mirrors, so it is measured from what they copied. */
  if (self->disk_prev_ms > 0 && s->elapsed_ms > self->disk_prev_ms &&
      s->disk_processed >= self->disk_prev_processed)
    {
      double rate = (s->disk_processed - self->disk_prev_processed) * 1000.0 /
                    (s->elapsed_ms - self->disk_prev_ms);

      self->disk_rate = self->disk_rate > 0 ? 0.7 * self->disk_rate + 0.3 * rate : rate;
    }
  self->disk_prev_processed = s->disk_processed;
  self->disk_prev_ms = s->elapsed_ms;
  if (s->disk_bandwidth > 0)
    self->disk_rate = (double) s->disk_bandwidth;

  /* Progress: what is left shrank, since the last progress, by at least
   * DISK_DRAIN_FRACTION of what the mirror copied meanwhile (1 MiB at
   * least): the guest wrote less than the rest. */
  drained = MAX (MIB, DISK_DRAIN_FRACTION * self->disk_rate *
                        (s->elapsed_ms - self->disk_lowmark_ms) / 1000.0);
  if (self->disk_lowmark == 0 || (double) s->disk_remaining + drained <= self->disk_lowmark)
    {
      self->disk_lowmark = s->disk_remaining;
      self->disk_lowmark_ms = s->elapsed_ms;
      return FALSE;
    }
  if (s->elapsed_ms - self->disk_lowmark_ms < DISK_STALL_MS)
    return FALSE;

  self->disk_synced = TRUE;
  decision->action = KVMMIG_POLICY_ACTION_SYNC_DISK_WRITES;
  decision->value = 0;
  decision->reason = g_strdup_printf ("the disks' copy is not shrinking (%.1f MiB left, "
                                      "%.1f MiB %.1f s ago, copied at %.1f MiB/s): the "
                                      "guest writes its disks about as fast as they are "
                                      "copied; each of its writes now waits for the "
                                      "destination (synchronous writes)",
                                      s->disk_remaining / MIB, self->disk_lowmark / MIB,
                                      (s->elapsed_ms - self->disk_lowmark_ms) / 1000.0,
                                      self->disk_rate / MIB);
  return TRUE;
}
