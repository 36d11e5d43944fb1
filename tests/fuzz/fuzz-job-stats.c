/* fuzz-job-stats.c: libFuzzer target for the reading of a migration job's
 * statistics as a host sends them (virDomainGetJobStats and the
 * JOB_COMPLETED event: typed parameters), _kvmmig_job_stats_read() and
 * _kvmmig_job_stats_downtime_ms() in
 * libkvmmig/migration/kvmmig-migration-states.c, and of what the run
 * makes of them: each sample goes to the convergence policy
 * (kvmmig-convergence.c), whose decisions and time estimate must hold
 * whatever figures the host sends. libvirt's job statistics are typed
 * parameters, not XML: this is the library's "job" reader.
 *
 * The input is text, a line each (see corpus/job-stats/):
 *
 *   policy auto|precopy|postcopy   max-downtime MS   allow-postcopy 0|1
 *   timeout MS                     (the engine, before the first sample)
 *   sample JOB-TYPE ELAPSED-MS POSTCOPY VCPU-LOAD-PERCENT
 *   TYPE FIELD VALUE               (a typed parameter of that sample:
 *                                   int, uint, llong, ullong, double,
 *                                   boolean, string)
 *
 * Checks: no crash, no leak, no undefined behaviour (UBSan: conversions
 * that overflow), the policy's values in their ranges.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "fuzz-common.h"
#include "kvmmig-convergence-private.h"
#include "kvmmig-migration-states-private.h"

#define MAX_SAMPLES 64
#define MAX_PARAMS  64

typedef struct
{
  int type;
  gint64 elapsed_ms;
  gboolean postcopy;
  double vcpu_load;
  virTypedParameter params[MAX_PARAMS];
  int nparams;
} Sample;

static void
sample_clear (Sample *s)
{
  for (int i = 0; i < s->nparams; i++)
    if (s->params[i].type == VIR_TYPED_PARAM_STRING)
      g_free (s->params[i].value.s);
  s->nparams = 0;
}

/* One TYPE FIELD VALUE line as libvirt's remote driver hands it over:
 * a field name cut to what the wire allows, any value. */
static void
add_param (Sample     *s,
           const char *type,
           const char *field,
           const char *value)
{
  virTypedParameterPtr p;

  if (s->nparams >= MAX_PARAMS)
    return;
  p = &s->params[s->nparams];
  memset (p, 0, sizeof *p);
  g_strlcpy (p->field, field, sizeof p->field);

  if (g_str_equal (type, "int"))
    p->type = VIR_TYPED_PARAM_INT, p->value.i = (int) g_ascii_strtoll (value, NULL, 0);
  else if (g_str_equal (type, "uint"))
    p->type = VIR_TYPED_PARAM_UINT, p->value.ui = (unsigned int) g_ascii_strtoull (value, NULL, 0);
  else if (g_str_equal (type, "llong"))
    p->type = VIR_TYPED_PARAM_LLONG, p->value.l = g_ascii_strtoll (value, NULL, 0);
  else if (g_str_equal (type, "ullong"))
    p->type = VIR_TYPED_PARAM_ULLONG, p->value.ul = g_ascii_strtoull (value, NULL, 0);
  else if (g_str_equal (type, "double"))
    p->type = VIR_TYPED_PARAM_DOUBLE, p->value.d = g_ascii_strtod (value, NULL);
  else if (g_str_equal (type, "boolean"))
    p->type = VIR_TYPED_PARAM_BOOLEAN, p->value.b = value[0] == '1';
  else if (g_str_equal (type, "string"))
    p->type = VIR_TYPED_PARAM_STRING, p->value.s = g_strdup (value);
  else
    return;
  s->nparams++;
}

static void
check_decision (KvmmigConvergence               *engine,
                const KvmmigConvergenceDecision *d,
                guint                            max_downtime_ms)
{
  FUZZ_ASSERT (d->reason != NULL);
  fuzz_check_string (d->reason);
  if (d->action == KVMMIG_POLICY_ACTION_SET_DOWNTIME)
    FUZZ_ASSERT (d->value <= max_downtime_ms);
  if (d->action == KVMMIG_POLICY_ACTION_THROTTLE)
    FUZZ_ASSERT (d->value > 0 && d->value <= KVMMIG_CONVERGENCE_MAX_THROTTLE);
  FUZZ_ASSERT (_kvmmig_convergence_get_downtime (engine) <= max_downtime_ms);
  FUZZ_ASSERT (_kvmmig_convergence_get_throttle (engine) <= KVMMIG_CONVERGENCE_MAX_THROTTLE);
}

/* What the run's monitor does with one sample (kvmmig-migration-run.c). */
static void
feed (KvmmigConvergence *engine,
      Sample            *sample,
      guint              max_downtime_ms,
      double            *progress)
{
  KvmmigConvergenceSample s = { 0 };
  KvmmigConvergenceDecision d = { 0 };
  guint64 processed = 0, total = 0;
  gint64 downtime;
  int decisions = 0;

  downtime = _kvmmig_job_stats_downtime_ms (sample->params, sample->nparams);
  FUZZ_ASSERT (downtime >= -1);

  if (!_kvmmig_job_stats_read (sample->type, sample->params, sample->nparams, &s,
                               &processed, &total))
    {
      if (_kvmmig_convergence_check_timeout (engine, sample->elapsed_ms, &d))
        check_decision (engine, &d, max_downtime_ms);
      _kvmmig_convergence_decision_clear (&d);
      return;
    }

  s.elapsed_ms = sample->elapsed_ms;
  s.postcopy = sample->postcopy;
  s.vcpu_load = sample->vcpu_load;

  /* A decision at a time, as the run applies them; a sample may call for
   * a few, never for ever. */
  while (_kvmmig_convergence_decide (engine, &s, &d))
    {
      check_decision (engine, &d, max_downtime_ms);
      if (d.action == KVMMIG_POLICY_ACTION_START_POSTCOPY && (decisions & 1))
        _kvmmig_convergence_step_failed (engine, &d);
      _kvmmig_convergence_decision_clear (&d);
      FUZZ_ASSERT (++decisions < 16);
    }

  if (processed + s.remaining > 0)
    *progress = MAX (*progress, MIN (0.99, (double) processed / (double) (processed + s.remaining)));
  FUZZ_ASSERT (*progress >= 0 && *progress <= 0.99);
  FUZZ_ASSERT (_kvmmig_convergence_eta_ms (&s, _kvmmig_convergence_get_downtime (engine)) >= -1);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_string (data, size);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  KvmmigMigrationPolicy policy = KVMMIG_MIGRATION_POLICY_AUTO;
  guint max_downtime_ms = 300;
  gboolean allow_postcopy = FALSE;
  gint64 timeout_ms = 0;
  KvmmigConvergence *engine = NULL;
  Sample sample = { 0 };
  gboolean have_sample = FALSE;
  int samples = 0;
  double progress = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (lines[i], " \t", 5);
      guint n = g_strv_length (words);
      double load;

      if (n < 2 || words[0][0] == '#')
        continue;

      if (engine == NULL && g_str_equal (words[0], "policy"))
        policy = g_str_equal (words[1], "precopy") ? KVMMIG_MIGRATION_POLICY_PRECOPY
                 : g_str_equal (words[1], "postcopy") ? KVMMIG_MIGRATION_POLICY_POSTCOPY
                 : KVMMIG_MIGRATION_POLICY_AUTO;
      else if (engine == NULL && g_str_equal (words[0], "max-downtime"))
        /* The options allow 1 ms to 10 min (_kvmmig_options_validate). */
        max_downtime_ms = (guint) CLAMP (g_ascii_strtoll (words[1], NULL, 0), 1, 600000);
      else if (engine == NULL && g_str_equal (words[0], "allow-postcopy"))
        allow_postcopy = words[1][0] == '1';
      else if (engine == NULL && g_str_equal (words[0], "timeout"))
        timeout_ms = CLAMP (g_ascii_strtoll (words[1], NULL, 0), 0, G_MAXINT32);
      else if (g_str_equal (words[0], "sample"))
        {
          if (engine == NULL)
            engine = _kvmmig_convergence_new (policy, max_downtime_ms, allow_postcopy,
                                              timeout_ms);
          if (have_sample)
            {
              feed (engine, &sample, max_downtime_ms, &progress);
              sample_clear (&sample);
            }
          if (++samples > MAX_SAMPLES)
            {
              have_sample = FALSE;
              break;
            }
          have_sample = TRUE;
          sample.type = (int) g_ascii_strtoll (words[1], NULL, 0);
          sample.elapsed_ms = n > 2 ? CLAMP (g_ascii_strtoll (words[2], NULL, 0), 0, G_MAXINT32) : 0;
          sample.postcopy = n > 3 && words[3][0] == '1';
          /* The run measures the load itself: 0 to 1. */
          load = n > 4 ? g_ascii_strtod (words[4], NULL) : 0;
          sample.vcpu_load = isfinite (load) ? CLAMP (load, 0, 100) / 100.0 : 0;
        }
      else if (have_sample && n >= 3)
        add_param (&sample, words[0], words[1], words[2]);
    }

  if (have_sample)
    feed (engine, &sample, max_downtime_ms, &progress);
  sample_clear (&sample);
  if (engine != NULL)
    _kvmmig_convergence_free (engine);
  return 0;
}
