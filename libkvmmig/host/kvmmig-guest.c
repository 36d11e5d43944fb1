/* kvmmig-guest.c: KvmmigGuest, one guest on a host: a read-only snapshot
 * when it was listed or looked up, kept current when it is an item of the
 * host's guest model (kvmmig-guest-feed.c updates it).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-enum-types.h"
#include "kvmmig-guest-private.h"

/**
 * KvmmigGuest:
 *
 * A snapshot of one guest (a libvirt domain) on a host: its name, UUID,
 * state, memory and whether it is persistent (defined) there.
 *
 * A guest returned by [method@Kvmmig.Host.list_guests] or
 * [method@Kvmmig.Host.lookup_guest] is a snapshot: it does not change
 * after it was made. The guests of a host's model,
 * [method@Kvmmig.Host.get_guests], are kept current instead: their
 * properties change, and are notified, on the host's main context as
 * libvirt reports the guest's events (started, stopped, paused, resumed,
 * migrated, memory changed).
 *
 * Since: 0.1
 */
struct _KvmmigGuest
{
  GObject parent_instance;

  char *name;
  char *uuid;
  char *host_uri;
  int id;
  KvmmigGuestState state;
  gboolean persistent;
  guint64 memory;
  guint64 max_memory;
  guint vcpus;
};

G_DEFINE_FINAL_TYPE (KvmmigGuest, kvmmig_guest, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_UUID,
  PROP_HOST_URI,
  PROP_ID,
  PROP_STATE,
  PROP_ACTIVE,
  PROP_PERSISTENT,
  PROP_MEMORY,
  PROP_MAX_MEMORY,
  PROP_VCPUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kvmmig_guest_finalize (GObject *object)
{
  KvmmigGuest *self = KVMMIG_GUEST (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->host_uri, g_free);

  G_OBJECT_CLASS (kvmmig_guest_parent_class)->finalize (object);
}

static void
kvmmig_guest_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KvmmigGuest *self = KVMMIG_GUEST (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_UUID:
      g_value_set_string (value, self->uuid);
      break;
    case PROP_HOST_URI:
      g_value_set_string (value, self->host_uri);
      break;
    case PROP_ID:
      g_value_set_int (value, self->id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, kvmmig_guest_is_active (self));
      break;
    case PROP_PERSISTENT:
      g_value_set_boolean (value, self->persistent);
      break;
    case PROP_MEMORY:
      g_value_set_uint64 (value, self->memory);
      break;
    case PROP_MAX_MEMORY:
      g_value_set_uint64 (value, self->max_memory);
      break;
    case PROP_VCPUS:
      g_value_set_uint (value, self->vcpus);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_guest_class_init (KvmmigGuestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kvmmig_guest_finalize;
  object_class->get_property = kvmmig_guest_get_property;

  /**
   * KvmmigGuest:name: (getter get_name)
   *
   * The guest's name, unique on its host.
   *
   * Since: 0.1
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);

  /**
   * KvmmigGuest:uuid: (getter get_uuid)
   *
   * The guest's UUID, which stays the same when it migrates.
   *
   * Since: 0.1
   */
  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, flags);

  /**
   * KvmmigGuest:host-uri: (getter get_host_uri)
   *
   * The URI of the host this snapshot was taken on.
   *
   * Since: 0.1
   */
  properties[PROP_HOST_URI] = g_param_spec_string ("host-uri", NULL, NULL, NULL, flags);

  /**
   * KvmmigGuest:id: (getter get_id)
   *
   * The guest's run-time id on its host, or -1 when it is not running.
   *
   * Since: 0.1
   */
  properties[PROP_ID] = g_param_spec_int ("id", NULL, NULL, -1, G_MAXINT, -1, flags);

  /**
   * KvmmigGuest:state: (getter get_state)
   *
   * The guest's state (when the snapshot was taken, or now for a guest of
 * a host's model).
   *
   * Since: 0.1
   */
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL,
                                              KVMMIG_TYPE_GUEST_STATE,
                                              KVMMIG_GUEST_STATE_UNKNOWN, flags);

  /**
   * KvmmigGuest:active: (getter is_active)
   *
   * Whether the guest has a running (or paused) QEMU process on its host.
   *
   * Since: 0.1
   */
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, flags);

  /**
   * KvmmigGuest:persistent: (getter is_persistent)
   *
   * Whether the guest is defined on its host, so that it can be started
   * there again after it stops.
   *
   * Since: 0.1
   */
  properties[PROP_PERSISTENT] = g_param_spec_boolean ("persistent", NULL, NULL, FALSE, flags);

  /**
   * KvmmigGuest:memory: (getter get_memory)
   *
   * The guest's current memory, in bytes.
   *
   * Since: 0.1
   */
  properties[PROP_MEMORY] = g_param_spec_uint64 ("memory", NULL, NULL,
                                                 0, G_MAXUINT64, 0, flags);

  /**
   * KvmmigGuest:max-memory: (getter get_max_memory)
   *
   * The guest's maximum memory, in bytes.
   *
   * Since: 0.1
   */
  properties[PROP_MAX_MEMORY] = g_param_spec_uint64 ("max-memory", NULL, NULL,
                                                     0, G_MAXUINT64, 0, flags);

  /**
   * KvmmigGuest:vcpus: (getter get_vcpus)
   *
   * The number of virtual CPUs of the guest.
   *
   * Since: 0.1
   */
  properties[PROP_VCPUS] = g_param_spec_uint ("vcpus", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kvmmig_guest_init (KvmmigGuest *self)
{
  self->id = -1;
}

KvmmigGuestState
_kvmmig_guest_state_from_libvirt (int state)
{
  switch (state)
    {
    case VIR_DOMAIN_RUNNING:     return KVMMIG_GUEST_STATE_RUNNING;
    case VIR_DOMAIN_BLOCKED:     return KVMMIG_GUEST_STATE_BLOCKED;
    case VIR_DOMAIN_PAUSED:      return KVMMIG_GUEST_STATE_PAUSED;
    case VIR_DOMAIN_SHUTDOWN:    return KVMMIG_GUEST_STATE_SHUTDOWN;
    case VIR_DOMAIN_SHUTOFF:     return KVMMIG_GUEST_STATE_SHUTOFF;
    case VIR_DOMAIN_CRASHED:     return KVMMIG_GUEST_STATE_CRASHED;
    case VIR_DOMAIN_PMSUSPENDED: return KVMMIG_GUEST_STATE_PMSUSPENDED;
    default:                     return KVMMIG_GUEST_STATE_UNKNOWN;
    }
}

/*
 * _kvmmig_guest_new_from_domain:
 *
 * Reads a snapshot of @domain. Blocks on libvirt: call it off the main
 * thread. Fails with KVMMIG_ERROR_GUEST_NOT_FOUND if the domain vanished.
 */
KvmmigGuest *
_kvmmig_guest_new_from_domain (virDomainPtr   domain,
                               const char    *host_uri,
                               GError       **error)
{
  g_autoptr(KvmmigGuest) self = NULL;
  char uuid[VIR_UUID_STRING_BUFLEN];
  virDomainInfo info;
  const char *name;
  int persistent;

  name = virDomainGetName (domain);

  if (virDomainGetInfo (domain, &info) < 0 ||
      virDomainGetUUIDString (domain, uuid) < 0 ||
      (persistent = virDomainIsPersistent (domain)) < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, host_uri,
                                 "guest '%s'", name ? name : "?");
      return NULL;
    }

  self = g_object_new (KVMMIG_TYPE_GUEST, NULL);
  self->name = g_strdup (name);
  self->uuid = g_strdup (uuid);
  self->host_uri = g_strdup (host_uri);
  self->id = (int) virDomainGetID (domain);
  self->state = _kvmmig_guest_state_from_libvirt (info.state);
  self->persistent = persistent == 1;
  self->memory = (guint64) info.memory * 1024;
  self->max_memory = (guint64) info.maxMem * 1024;
  self->vcpus = info.nrVirtCpu;

  return g_steal_pointer (&self);
}

/*
 * _kvmmig_guest_update:
 *
 * Makes @self what @from says (same UUID), notifying each property that
 * changed. Only for guests of a host's model, on its context.
 */
void
_kvmmig_guest_update (KvmmigGuest *self,
                      KvmmigGuest *from)
{
  GObject *object = G_OBJECT (self);
  gboolean was_active = kvmmig_guest_is_active (self);

  g_object_freeze_notify (object);
#define UPDATE(field, prop)                                                    \
  if (self->field != from->field)                                              \
    {                                                                          \
      self->field = from->field;                                               \
      g_object_notify_by_pspec (object, properties[prop]);                     \
    }
  UPDATE (id, PROP_ID);
  UPDATE (state, PROP_STATE);
  UPDATE (persistent, PROP_PERSISTENT);
  UPDATE (memory, PROP_MEMORY);
  UPDATE (max_memory, PROP_MAX_MEMORY);
  UPDATE (vcpus, PROP_VCPUS);
#undef UPDATE
  if (g_strcmp0 (self->name, from->name) != 0)
    {
      g_free (self->name);
      self->name = g_strdup (from->name);
      g_object_notify_by_pspec (object, properties[PROP_NAME]);
    }
  if (kvmmig_guest_is_active (self) != was_active)
    g_object_notify_by_pspec (object, properties[PROP_ACTIVE]);
  g_object_thaw_notify (object);
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (kvmmig_guest_get_name (*(KvmmigGuest **) a),
                    kvmmig_guest_get_name (*(KvmmigGuest **) b));
}

/*
 * _kvmmig_guest_list_all:
 *
 * Snapshots of every guest of @conn, running or only defined, sorted by
 * name (a guest that vanishes while read is left out). Blocks on libvirt.
 *
 * Returns: (transfer container) (element-type KvmmigGuest): the guests, or
 *   %NULL with an error naming @host_uri when the host cannot list them
 */
GPtrArray *
_kvmmig_guest_list_all (virConnectPtr   conn,
                        const char     *host_uri,
                        GError        **error)
{
  g_autoptr(GPtrArray) guests = g_ptr_array_new_with_free_func (g_object_unref);
  virDomainPtr *domains = NULL;
  int n = virConnectListAllDomains (conn, &domains, 0);

  if (n < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, host_uri, "cannot list guests");
      return NULL;
    }

  for (int i = 0; i < n; i++)
    {
      g_autoptr(GError) local_error = NULL;
      KvmmigGuest *guest = _kvmmig_guest_new_from_domain (domains[i], host_uri, &local_error);

      if (guest != NULL)
        g_ptr_array_add (guests, guest);
      else if (!g_error_matches (local_error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_NOT_FOUND))
        g_debug ("skipping a guest: %s", local_error->message);
      virDomainFree (domains[i]);
    }
  g_free (domains);
  virResetLastError ();

  g_ptr_array_sort (guests, compare_by_name);
  return g_steal_pointer (&guests);
}

/**
 * kvmmig_guest_get_name: (get-property name)
 * @self: a guest
 *
 * Gets the guest's name.
 *
 * Returns: (transfer none): the name
 *
 * Since: 0.1
 */
const char *
kvmmig_guest_get_name (KvmmigGuest *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST (self), NULL);
  return self->name;
}

/**
 * kvmmig_guest_get_uuid: (get-property uuid)
 * @self: a guest
 *
 * Gets the guest's UUID, as a string.
 *
 * Returns: (transfer none): the UUID
 *
 * Since: 0.1
 */
const char *
kvmmig_guest_get_uuid (KvmmigGuest *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST (self), NULL);
  return self->uuid;
}

/**
 * kvmmig_guest_get_host_uri: (get-property host-uri)
 * @self: a guest
 *
 * Gets the URI of the host the snapshot was taken on.
 *
 * Returns: (transfer none): the host URI
 *
 * Since: 0.1
 */
const char *
kvmmig_guest_get_host_uri (KvmmigGuest *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST (self), NULL);
  return self->host_uri;
}

/**
 * kvmmig_guest_get_id: (get-property id)
 * @self: a guest
 *
 * Gets the guest's run-time id on its host.
 *
 * Returns: the id, or -1 when the guest is not running
 *
 * Since: 0.1
 */
int
kvmmig_guest_get_id (KvmmigGuest *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST (self), -1);
  return self->id;
}

/**
 * kvmmig_guest_get_state: (get-property state)
 * @self: a guest
 *
 * Gets the guest's state when the snapshot was taken.
 *
 * Returns: the state
 *
 * Since: 0.1
 */
KvmmigGuestState
kvmmig_guest_get_state (KvmmigGuest *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST (self), KVMMIG_GUEST_STATE_UNKNOWN);
  return self->state;
}

/**
 * kvmmig_guest_is_active: (get-property active)
 * @self: a guest
 *
 * Gets whether the guest had a QEMU process (running or paused) when the
 * snapshot was taken.
 *
 * Returns: %TRUE if the guest was active
 *
 * Since: 0.1
 */
gboolean
kvmmig_guest_is_active (KvmmigGuest *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST (self), FALSE);
  return self->id >= 0;
}

/**
 * kvmmig_guest_is_persistent: (get-property persistent)
 * @self: a guest
 *
 * Gets whether the guest is defined on its host.
 *
 * Returns: %TRUE if the guest is persistent
 *
 * Since: 0.1
 */
gboolean
kvmmig_guest_is_persistent (KvmmigGuest *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST (self), FALSE);
  return self->persistent;
}

/**
 * kvmmig_guest_get_memory: (get-property memory)
 * @self: a guest
 *
 * Gets the guest's current memory.
 *
 * Returns: the memory, in bytes
 *
 * Since: 0.1
 */
guint64
kvmmig_guest_get_memory (KvmmigGuest *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST (self), 0);
  return self->memory;
}

/**
 * kvmmig_guest_get_max_memory: (get-property max-memory)
 * @self: a guest
 *
 * Gets the guest's maximum memory.
 *
 * Returns: the maximum memory, in bytes
 *
 * Since: 0.1
 */
guint64
kvmmig_guest_get_max_memory (KvmmigGuest *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST (self), 0);
  return self->max_memory;
}

/**
 * kvmmig_guest_get_vcpus: (get-property vcpus)
 * @self: a guest
 *
 * Gets the guest's number of virtual CPUs.
 *
 * Returns: the number of vCPUs
 *
 * Since: 0.1
 */
guint
kvmmig_guest_get_vcpus (KvmmigGuest *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST (self), 0);
  return self->vcpus;
}
