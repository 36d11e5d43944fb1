/* kvmmig-check.c: KvmmigCheck, the read-only outcome of one pre-flight
 * check.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-check-private.h"
#include "kvmmig-enum-types.h"

/**
 * KvmmigCheck:
 *
 * The outcome of one pre-flight check of a [class@Kvmmig.MigrationJob]: an
 * identifier (such as `memory` or `storage`), a title, a status, and a
 * message that says what was found and where. A failed check carries the
 * [error@Kvmmig.Error] that the job reports.
 *
 * See [method@Kvmmig.MigrationJob.get_checks].
 *
 * Since: 0.1
 */
struct _KvmmigCheck
{
  GObject parent_instance;

  char *id;
  char *title;
  KvmmigCheckStatus status;
  char *message;
  GError *error;
};

G_DEFINE_FINAL_TYPE (KvmmigCheck, kvmmig_check, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_STATUS,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kvmmig_check_finalize (GObject *object)
{
  KvmmigCheck *self = KVMMIG_CHECK (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (kvmmig_check_parent_class)->finalize (object);
}

static void
kvmmig_check_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KvmmigCheck *self = KVMMIG_CHECK (object);

  switch (prop_id)
    {
    case PROP_ID:      g_value_set_string (value, self->id); break;
    case PROP_TITLE:   g_value_set_string (value, self->title); break;
    case PROP_STATUS:  g_value_set_enum (value, self->status); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_check_class_init (KvmmigCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kvmmig_check_finalize;
  object_class->get_property = kvmmig_check_get_property;

  /**
   * KvmmigCheck:id: (getter get_id)
   *
   * A stable identifier of the check, for programs: `options`,
   * `source-guest`, `distinct-hosts`, `destination`, `no-active-job`,
   * `cluster-managed`, `name-free`, `memory`, `qemu-version`,
   * `machine-type`, `cpu`, `copy-storage`, `storage`, `cache-mode`,
   * `disk-locking`, `postcopy`.
   *
   * Since: 0.1
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);

  /**
   * KvmmigCheck:title: (getter get_title)
   *
   * What the check verifies, for people.
   *
   * Since: 0.1
   */
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);

  /**
   * KvmmigCheck:status: (getter get_status)
   *
   * Whether the check passed.
   *
   * Since: 0.1
   */
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL,
                                               KVMMIG_TYPE_CHECK_STATUS,
                                               KVMMIG_CHECK_STATUS_SKIPPED, flags);

  /**
   * KvmmigCheck:message: (getter get_message)
   *
   * What was found, and where.
   *
   * Since: 0.1
   */
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kvmmig_check_init (KvmmigCheck *self)
{
}

KvmmigCheck *
_kvmmig_check_new (const char        *id,
                   const char        *title,
                   KvmmigCheckStatus  status,
                   const char        *message,
                   const GError      *error)
{
  KvmmigCheck *self = g_object_new (KVMMIG_TYPE_CHECK, NULL);

  self->id = g_strdup (id);
  self->title = g_strdup (title);
  self->status = status;
  self->message = g_strdup (message);
  self->error = error ? g_error_copy (error) : NULL;

  return self;
}

/**
 * kvmmig_check_get_id: (get-property id)
 * @self: a check
 *
 * Gets the check's identifier.
 *
 * Returns: (transfer none): the identifier
 *
 * Since: 0.1
 */
const char *
kvmmig_check_get_id (KvmmigCheck *self)
{
  g_return_val_if_fail (KVMMIG_IS_CHECK (self), NULL);
  return self->id;
}

/**
 * kvmmig_check_get_title: (get-property title)
 * @self: a check
 *
 * Gets what the check verifies.
 *
 * Returns: (transfer none): the title
 *
 * Since: 0.1
 */
const char *
kvmmig_check_get_title (KvmmigCheck *self)
{
  g_return_val_if_fail (KVMMIG_IS_CHECK (self), NULL);
  return self->title;
}

/**
 * kvmmig_check_get_status: (get-property status)
 * @self: a check
 *
 * Gets whether the check passed.
 *
 * Returns: the status
 *
 * Since: 0.1
 */
KvmmigCheckStatus
kvmmig_check_get_status (KvmmigCheck *self)
{
  g_return_val_if_fail (KVMMIG_IS_CHECK (self), KVMMIG_CHECK_STATUS_SKIPPED);
  return self->status;
}

/**
 * kvmmig_check_get_message: (get-property message)
 * @self: a check
 *
 * Gets what the check found, and where.
 *
 * Returns: (transfer none): the message
 *
 * Since: 0.1
 */
const char *
kvmmig_check_get_message (KvmmigCheck *self)
{
  g_return_val_if_fail (KVMMIG_IS_CHECK (self), NULL);
  return self->message;
}

/**
 * kvmmig_check_get_error:
 * @self: a check
 *
 * Gets the error a failed check reports.
 *
 * Returns: (transfer none) (nullable): the error, or %NULL if the check did
 *   not fail
 *
 * Since: 0.1
 */
const GError *
kvmmig_check_get_error (KvmmigCheck *self)
{
  g_return_val_if_fail (KVMMIG_IS_CHECK (self), NULL);
  return self->error;
}
