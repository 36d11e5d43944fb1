/* kvmmig-policy-step.c: KvmmigPolicyStep, a read-only record of one action
 * of the convergence policy.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-enum-types.h"
#include "kvmmig-policy-step-private.h"

/**
 * KvmmigPolicyStep:
 *
 * One action the convergence policy of a [class@Kvmmig.MigrationJob] took:
 * what it did ([property@Kvmmig.PolicyStep:action] and
 * [property@Kvmmig.PolicyStep:value]), when (time and pre-copy pass), why
 * ([property@Kvmmig.PolicyStep:description]), and whether the host
 * accepted it.
 *
 * Steps are emitted by [signal@Kvmmig.MigrationJob::policy-step] as they
 * happen and kept by [method@Kvmmig.MigrationJob.get_policy_steps].
 *
 * Since: 0.1
 */
struct _KvmmigPolicyStep
{
  GObject parent_instance;

  KvmmigPolicyAction action;
  guint value;
  gint64 elapsed_ms;
  guint iteration;
  char *description;
  gboolean applied;
};

G_DEFINE_FINAL_TYPE (KvmmigPolicyStep, kvmmig_policy_step, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACTION,
  PROP_VALUE,
  PROP_ELAPSED_MS,
  PROP_ITERATION,
  PROP_DESCRIPTION,
  PROP_APPLIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kvmmig_policy_step_finalize (GObject *object)
{
  KvmmigPolicyStep *self = KVMMIG_POLICY_STEP (object);

  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (kvmmig_policy_step_parent_class)->finalize (object);
}

static void
kvmmig_policy_step_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KvmmigPolicyStep *self = KVMMIG_POLICY_STEP (object);

  switch (prop_id)
    {
    case PROP_ACTION:      g_value_set_enum (value, self->action); break;
    case PROP_VALUE:       g_value_set_uint (value, self->value); break;
    case PROP_ELAPSED_MS:  g_value_set_int64 (value, self->elapsed_ms); break;
    case PROP_ITERATION:   g_value_set_uint (value, self->iteration); break;
    case PROP_DESCRIPTION: g_value_set_string (value, self->description); break;
    case PROP_APPLIED:     g_value_set_boolean (value, self->applied); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_policy_step_class_init (KvmmigPolicyStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kvmmig_policy_step_finalize;
  object_class->get_property = kvmmig_policy_step_get_property;

  /**
   * KvmmigPolicyStep:action: (getter get_action)
   *
   * What the step did.
   *
   * Since: 0.1
   */
  properties[PROP_ACTION] = g_param_spec_enum ("action", NULL, NULL,
                                               KVMMIG_TYPE_POLICY_ACTION,
                                               KVMMIG_POLICY_ACTION_SET_DOWNTIME, flags);

  /**
   * KvmmigPolicyStep:value: (getter get_value)
   *
   * The new allowed downtime in ms for %KVMMIG_POLICY_ACTION_SET_DOWNTIME,
   * the throttle in percent for %KVMMIG_POLICY_ACTION_THROTTLE, the number
   * of disk mirrors switched for %KVMMIG_POLICY_ACTION_SYNC_DISK_WRITES,
   * else 0.
   *
   * Since: 0.1
   */
  properties[PROP_VALUE] = g_param_spec_uint ("value", NULL, NULL, 0, G_MAXUINT, 0, flags);

  /**
   * KvmmigPolicyStep:elapsed-ms: (getter get_elapsed_ms)
   *
   * When the step was taken, in ms since the migration started.
   *
   * Since: 0.1
   */
  properties[PROP_ELAPSED_MS] = g_param_spec_int64 ("elapsed-ms", NULL, NULL,
                                                    0, G_MAXINT64, 0, flags);

  /**
   * KvmmigPolicyStep:iteration: (getter get_iteration)
   *
   * The pre-copy pass during which the step was taken.
   *
   * Since: 0.1
   */
  properties[PROP_ITERATION] = g_param_spec_uint ("iteration", NULL, NULL,
                                                  0, G_MAXUINT, 0, flags);

  /**
   * KvmmigPolicyStep:description: (getter get_description)
   *
   * Why the step was taken, with the figures it was based on.
   *
   * Since: 0.1
   */
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);

  /**
   * KvmmigPolicyStep:applied: (getter get_applied)
   *
   * Whether the source host accepted the step; if not, the description
   * says why.
   *
   * Since: 0.1
   */
  properties[PROP_APPLIED] = g_param_spec_boolean ("applied", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kvmmig_policy_step_init (KvmmigPolicyStep *self)
{
}

KvmmigPolicyStep *
_kvmmig_policy_step_new (KvmmigPolicyAction  action,
                         guint               value,
                         gint64              elapsed_ms,
                         guint               iteration,
                         const char         *description,
                         gboolean            applied)
{
  KvmmigPolicyStep *self = g_object_new (KVMMIG_TYPE_POLICY_STEP, NULL);

  self->action = action;
  self->value = value;
  self->elapsed_ms = elapsed_ms;
  self->iteration = iteration;
  self->description = g_strdup (description);
  self->applied = applied;

  return self;
}

/**
 * kvmmig_policy_step_get_action: (get-property action)
 * @self: a policy step
 *
 * Gets what the step did.
 *
 * Returns: the action
 *
 * Since: 0.1
 */
KvmmigPolicyAction
kvmmig_policy_step_get_action (KvmmigPolicyStep *self)
{
  g_return_val_if_fail (KVMMIG_IS_POLICY_STEP (self), 0);
  return self->action;
}

/**
 * kvmmig_policy_step_get_value: (get-property value)
 * @self: a policy step
 *
 * Gets the step's value: a downtime in ms or a throttle in percent.
 *
 * Returns: the value
 *
 * Since: 0.1
 */
guint
kvmmig_policy_step_get_value (KvmmigPolicyStep *self)
{
  g_return_val_if_fail (KVMMIG_IS_POLICY_STEP (self), 0);
  return self->value;
}

/**
 * kvmmig_policy_step_get_elapsed_ms: (get-property elapsed-ms)
 * @self: a policy step
 *
 * Gets when the step was taken.
 *
 * Returns: ms since the migration started
 *
 * Since: 0.1
 */
gint64
kvmmig_policy_step_get_elapsed_ms (KvmmigPolicyStep *self)
{
  g_return_val_if_fail (KVMMIG_IS_POLICY_STEP (self), 0);
  return self->elapsed_ms;
}

/**
 * kvmmig_policy_step_get_iteration: (get-property iteration)
 * @self: a policy step
 *
 * Gets the pre-copy pass during which the step was taken.
 *
 * Returns: the pass, 1-based
 *
 * Since: 0.1
 */
guint
kvmmig_policy_step_get_iteration (KvmmigPolicyStep *self)
{
  g_return_val_if_fail (KVMMIG_IS_POLICY_STEP (self), 0);
  return self->iteration;
}

/**
 * kvmmig_policy_step_get_description: (get-property description)
 * @self: a policy step
 *
 * Gets why the step was taken.
 *
 * Returns: (transfer none): the description
 *
 * Since: 0.1
 */
const char *
kvmmig_policy_step_get_description (KvmmigPolicyStep *self)
{
  g_return_val_if_fail (KVMMIG_IS_POLICY_STEP (self), NULL);
  return self->description;
}

/**
 * kvmmig_policy_step_get_applied: (get-property applied)
 * @self: a policy step
 *
 * Gets whether the source host accepted the step.
 *
 * Returns: %TRUE if it was applied
 *
 * Since: 0.1
 */
gboolean
kvmmig_policy_step_get_applied (KvmmigPolicyStep *self)
{
  g_return_val_if_fail (KVMMIG_IS_POLICY_STEP (self), FALSE);
  return self->applied;
}
