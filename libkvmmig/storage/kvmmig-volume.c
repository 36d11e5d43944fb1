/* kvmmig-volume.c: KvmmigVolume, a read-only snapshot of one volume of a
 * shared store as one host (or this machine) sees it, and the libvirt disk
 * element that puts it in a guest.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-enum-types.h"
#include "kvmmig-portal-private.h"
#include "kvmmig-volume-private.h"
#include "kvmmig-xml-private.h"

/**
 * KvmmigVolume:
 *
 * One volume of a [class@Kvmmig.SharedStore]: a LUN of an iSCSI target, a
 * logical volume of the store's volume group, or a file of a shared
 * directory. It is a snapshot, taken by
 * [method@Kvmmig.SharedStore.list_volumes] and the other volume calls of
 * the store, of what one host (or this machine) saw.
 *
 * A shared store is reached the same way from every host: the same path
 * for files and block devices, the same network source for LUNs that QEMU
 * reaches itself. [property@Kvmmig.Volume:source] is that path or source;
 * [method@Kvmmig.SharedStore.check_visibility] verifies that every host
 * sees the same volumes.
 *
 * [method@Kvmmig.Volume.to_disk_xml] gives the libvirt `<disk>` element a
 * guest definition needs for the volume, with `cache='none'` (which live
 * migration on shared storage requires) and a virtio bus;
 * [method@Kvmmig.Host.define_guest] uses it.
 *
 * Since: 0.1
 */
struct _KvmmigVolume
{
  GObject parent_instance;

  char *name;
  char *key;
  guint64 capacity;
  guint64 allocation;
  KvmmigVolumeType type;
  char *source;
  char *path;
  char *format;
  char *store_name;
  char *pool_name;
  char *host_uri;
  char *protocol;
  char *net_host;
  char *net_port;
  char *net_name;
  char *auth_username;
  char *auth_usage;
  GStrv guests;
};

G_DEFINE_FINAL_TYPE (KvmmigVolume, kvmmig_volume, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_KEY,
  PROP_CAPACITY,
  PROP_ALLOCATION,
  PROP_VOLUME_TYPE,
  PROP_SOURCE,
  PROP_PATH,
  PROP_FORMAT,
  PROP_STORE_NAME,
  PROP_HOST_URI,
  PROP_GUESTS,
  PROP_IN_USE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kvmmig_volume_finalize (GObject *object)
{
  KvmmigVolume *self = KVMMIG_VOLUME (object);

  g_free (self->name);
  g_free (self->key);
  g_free (self->source);
  g_free (self->path);
  g_free (self->format);
  g_free (self->store_name);
  g_free (self->pool_name);
  g_free (self->host_uri);
  g_free (self->protocol);
  g_free (self->net_host);
  g_free (self->net_port);
  g_free (self->net_name);
  g_free (self->auth_username);
  g_free (self->auth_usage);
  g_strfreev (self->guests);

  G_OBJECT_CLASS (kvmmig_volume_parent_class)->finalize (object);
}

static void
kvmmig_volume_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KvmmigVolume *self = KVMMIG_VOLUME (object);

  switch (prop_id)
    {
    case PROP_NAME:        g_value_set_string (value, self->name); break;
    case PROP_KEY:         g_value_set_string (value, self->key); break;
    case PROP_CAPACITY:    g_value_set_uint64 (value, self->capacity); break;
    case PROP_ALLOCATION:  g_value_set_uint64 (value, self->allocation); break;
    case PROP_VOLUME_TYPE: g_value_set_enum (value, self->type); break;
    case PROP_SOURCE:      g_value_set_string (value, self->source); break;
    case PROP_PATH:        g_value_set_string (value, self->path); break;
    case PROP_FORMAT:      g_value_set_string (value, self->format); break;
    case PROP_STORE_NAME:  g_value_set_string (value, self->store_name); break;
    case PROP_HOST_URI:    g_value_set_string (value, self->host_uri); break;
    case PROP_GUESTS:      g_value_set_boxed (value, self->guests); break;
    case PROP_IN_USE:      g_value_set_boolean (value, kvmmig_volume_is_in_use (self)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_volume_class_init (KvmmigVolumeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kvmmig_volume_finalize;
  object_class->get_property = kvmmig_volume_get_property;

  /**
   * KvmmigVolume:name: (getter get_name)
   *
   * The volume's name in the store: `unit:0:0:3` for LUN 3 of an iSCSI
   * target, the logical volume's name, or the file's name.
   *
   * Since: 0.1
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);

  /**
   * KvmmigVolume:key: (getter get_key)
   *
   * The volume's key, the same on every host that sees the same volume:
   * the LUN's portal, target and number, the logical volume's UUID, or the
   * file's path.
   *
   * Since: 0.1
   */
  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, flags);

  /**
   * KvmmigVolume:capacity: (getter get_capacity)
   *
   * The size the guest sees, in bytes.
   *
   * Since: 0.1
   */
  properties[PROP_CAPACITY] = g_param_spec_uint64 ("capacity", NULL, NULL,
                                                   0, G_MAXUINT64, 0, flags);

  /**
   * KvmmigVolume:allocation: (getter get_allocation)
   *
   * The space the volume takes in the store, in bytes (less than the
   * capacity for a sparse file).
   *
   * Since: 0.1
   */
  properties[PROP_ALLOCATION] = g_param_spec_uint64 ("allocation", NULL, NULL,
                                                     0, G_MAXUINT64, 0, flags);

  /**
   * KvmmigVolume:volume-type: (getter get_volume_type)
   *
   * How guests reach the volume.
   *
   * Since: 0.1
   */
  properties[PROP_VOLUME_TYPE] = g_param_spec_enum ("volume-type", NULL, NULL,
                                                    KVMMIG_TYPE_VOLUME_TYPE,
                                                    KVMMIG_VOLUME_TYPE_FILE, flags);

  /**
   * KvmmigVolume:source: (getter get_source)
   *
   * The path (files, block devices) or network source (such as
   * `iscsi://10.0.0.3:3260/iqn.2026-11.org.example:store/3`) by which each
   * host reaches the volume; it is the same on every host of the store.
   *
   * Since: 0.1
   */
  properties[PROP_SOURCE] = g_param_spec_string ("source", NULL, NULL, NULL, flags);

  /**
   * KvmmigVolume:path: (getter get_path)
   *
   * The volume's path on the hosts, or %NULL for a LUN that only QEMU
   * reaches (over the network).
   *
   * Since: 0.1
   */
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);

  /**
   * KvmmigVolume:format: (getter get_format)
   *
   * The format of the data on the volume, as QEMU reads it: `raw` or
   * `qcow2`.
   *
   * Since: 0.1
   */
  properties[PROP_FORMAT] = g_param_spec_string ("format", NULL, NULL, NULL, flags);

  /**
   * KvmmigVolume:store-name: (getter get_store_name)
   *
   * The name of the [class@Kvmmig.SharedStore] the volume belongs to.
   *
   * Since: 0.1
   */
  properties[PROP_STORE_NAME] = g_param_spec_string ("store-name", NULL, NULL, NULL, flags);

  /**
   * KvmmigVolume:host-uri: (getter get_host_uri)
   *
   * The URI of the host this snapshot was read from, or %NULL when it was
   * read on this machine (LVM through libblockdev).
   *
   * Since: 0.1
   */
  properties[PROP_HOST_URI] = g_param_spec_string ("host-uri", NULL, NULL, NULL, flags);

  /**
   * KvmmigVolume:guests: (getter get_guests)
   *
   * The names of the guests of [property@Kvmmig.Volume:host-uri] (running
   * or only defined) that have the volume as a disk.
   *
   * Since: 0.1
   */
  properties[PROP_GUESTS] = g_param_spec_boxed ("guests", NULL, NULL, G_TYPE_STRV, flags);

  /**
   * KvmmigVolume:in-use: (getter is_in_use)
   *
   * Whether a guest of [property@Kvmmig.Volume:host-uri] has the volume as
   * a disk.
   *
   * Since: 0.1
   */
  properties[PROP_IN_USE] = g_param_spec_boolean ("in-use", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kvmmig_volume_init (KvmmigVolume *self)
{
}

KvmmigVolume *
_kvmmig_volume_new (const KvmmigVolumeInfo *info)
{
  KvmmigVolume *self = g_object_new (KVMMIG_TYPE_VOLUME, NULL);

  self->name = g_strdup (info->name);
  self->key = g_strdup (info->key ? info->key : info->path);
  self->capacity = info->capacity;
  self->allocation = info->allocation;
  self->type = info->type;
  self->path = g_strdup (info->path);
  self->format = g_strdup (info->format ? info->format : "raw");
  self->store_name = g_strdup (info->store_name);
  self->pool_name = g_strdup (info->pool_name);
  self->host_uri = g_strdup (info->host_uri);
  self->protocol = g_strdup (info->protocol);
  self->net_host = g_strdup (info->net_host);
  self->net_port = g_strdup (info->net_port);
  self->net_name = g_strdup (info->net_name);
  self->auth_username = g_strdup (info->auth_username);
  self->auth_usage = g_strdup (info->auth_usage);
  self->guests = info->guests ? g_strdupv ((GStrv) info->guests) : g_new0 (char *, 1);

  if (self->type == KVMMIG_VOLUME_TYPE_NETWORK)
    self->source = g_strdup_printf ("%s://%s%s%s/%s", self->protocol,
                                    self->net_host ? self->net_host : "",
                                    self->net_port ? ":" : "",
                                    self->net_port ? self->net_port : "",
                                    self->net_name ? self->net_name : "");
  else
    self->source = g_strdup (self->path);

  return self;
}

KvmmigVolume *
_kvmmig_volume_with_guests (KvmmigVolume       *self,
                            const char * const *guests)
{
  KvmmigVolumeInfo info = {
    .name = self->name, .key = self->key, .capacity = self->capacity,
    .allocation = self->allocation, .type = self->type, .path = self->path,
    .format = self->format, .store_name = self->store_name,
    .pool_name = self->pool_name, .host_uri = self->host_uri,
    .protocol = self->protocol, .net_host = self->net_host,
    .net_port = self->net_port, .net_name = self->net_name,
    .auth_username = self->auth_username, .auth_usage = self->auth_usage,
    .guests = guests,
  };

  return _kvmmig_volume_new (&info);
}

/* /dev/VG/LV as device-mapper names it: /dev/mapper/VG-LV, with dashes
 * in either name doubled. NULL if @path is not of that form. */
static char *
mapper_path (const char *path)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *vg = NULL;
  g_autofree char *lv = NULL;

  if (path == NULL || !g_str_has_prefix (path, "/dev/") || g_str_has_prefix (path, "/dev/mapper/"))
    return NULL;
  parts = g_strsplit (path + strlen ("/dev/"), "/", -1);
  if (g_strv_length (parts) != 2)
    return NULL;

  {
    g_auto(GStrv) vg_parts = g_strsplit (parts[0], "-", -1);
    g_auto(GStrv) lv_parts = g_strsplit (parts[1], "-", -1);

    vg = g_strjoinv ("--", vg_parts);
    lv = g_strjoinv ("--", lv_parts);
  }
  return g_strdup_printf ("/dev/mapper/%s-%s", vg, lv);
}

gboolean
_kvmmig_volume_matches_disk (KvmmigVolume           *self,
                             const KvmmigDiskSource *disk)
{
  if (g_strcmp0 (disk->type, "volume") == 0)
    return g_strcmp0 (disk->pool, self->pool_name) == 0 &&
           g_strcmp0 (disk->volume, self->name) == 0;

  if (self->type == KVMMIG_VOLUME_TYPE_NETWORK)
    return g_strcmp0 (disk->type, "network") == 0 &&
           g_strcmp0 (disk->protocol, self->protocol) == 0 &&
           _kvmmig_same_portal (disk->host, disk->port, self->net_host, self->net_port) &&
           g_strcmp0 (disk->name, self->net_name) == 0;

  if (disk->path == NULL || self->path == NULL)
    return FALSE;
  if (g_str_equal (disk->path, self->path))
    return TRUE;

  if (self->type == KVMMIG_VOLUME_TYPE_BLOCK)
    {
      g_autofree char *mapper = mapper_path (self->path);
      return mapper != NULL && g_str_equal (disk->path, mapper);
    }
  return FALSE;
}

KvmmigDiskSource *
_kvmmig_volume_to_disk_source (KvmmigVolume *self)
{
  KvmmigDiskSource *disk = g_new0 (KvmmigDiskSource, 1);

  switch (self->type)
    {
    case KVMMIG_VOLUME_TYPE_NETWORK:
      disk->type = g_strdup ("network");
      disk->protocol = g_strdup (self->protocol);
      disk->host = g_strdup (self->net_host);
      disk->port = g_strdup (self->net_port);
      disk->name = g_strdup (self->net_name);
      break;
    case KVMMIG_VOLUME_TYPE_BLOCK:
      disk->type = g_strdup ("block");
      disk->path = g_strdup (self->path);
      break;
    case KVMMIG_VOLUME_TYPE_FILE:
    default:
      disk->type = g_strdup ("file");
      disk->path = g_strdup (self->path);
      break;
    }
  disk->device = g_strdup ("disk");
  return disk;
}

/**
 * kvmmig_volume_get_name: (get-property name)
 * @self: a volume
 *
 * Gets the volume's name in its store.
 *
 * Returns: (transfer none): the name
 *
 * Since: 0.1
 */
const char *
kvmmig_volume_get_name (KvmmigVolume *self)
{
  g_return_val_if_fail (KVMMIG_IS_VOLUME (self), NULL);
  return self->name;
}

/**
 * kvmmig_volume_get_key: (get-property key)
 * @self: a volume
 *
 * Gets the volume's key, which is the same on every host that sees the
 * volume.
 *
 * Returns: (transfer none): the key
 *
 * Since: 0.1
 */
const char *
kvmmig_volume_get_key (KvmmigVolume *self)
{
  g_return_val_if_fail (KVMMIG_IS_VOLUME (self), NULL);
  return self->key;
}

/**
 * kvmmig_volume_get_capacity: (get-property capacity)
 * @self: a volume
 *
 * Gets the size the guest sees.
 *
 * Returns: the capacity in bytes
 *
 * Since: 0.1
 */
guint64
kvmmig_volume_get_capacity (KvmmigVolume *self)
{
  g_return_val_if_fail (KVMMIG_IS_VOLUME (self), 0);
  return self->capacity;
}

/**
 * kvmmig_volume_get_allocation: (get-property allocation)
 * @self: a volume
 *
 * Gets the space the volume takes in its store.
 *
 * Returns: the allocation in bytes
 *
 * Since: 0.1
 */
guint64
kvmmig_volume_get_allocation (KvmmigVolume *self)
{
  g_return_val_if_fail (KVMMIG_IS_VOLUME (self), 0);
  return self->allocation;
}

/**
 * kvmmig_volume_get_volume_type: (get-property volume-type)
 * @self: a volume
 *
 * Gets how guests reach the volume.
 *
 * Returns: the volume's type
 *
 * Since: 0.1
 */
KvmmigVolumeType
kvmmig_volume_get_volume_type (KvmmigVolume *self)
{
  g_return_val_if_fail (KVMMIG_IS_VOLUME (self), KVMMIG_VOLUME_TYPE_FILE);
  return self->type;
}

/**
 * kvmmig_volume_get_source: (get-property source)
 * @self: a volume
 *
 * Gets the path or network source by which the hosts reach the volume.
 *
 * Returns: (transfer none): the path or source
 *
 * Since: 0.1
 */
const char *
kvmmig_volume_get_source (KvmmigVolume *self)
{
  g_return_val_if_fail (KVMMIG_IS_VOLUME (self), NULL);
  return self->source;
}

/**
 * kvmmig_volume_get_path: (get-property path)
 * @self: a volume
 *
 * Gets the volume's path on the hosts.
 *
 * Returns: (transfer none) (nullable): the path, or %NULL for a LUN that
 *   only QEMU reaches
 *
 * Since: 0.1
 */
const char *
kvmmig_volume_get_path (KvmmigVolume *self)
{
  g_return_val_if_fail (KVMMIG_IS_VOLUME (self), NULL);
  return self->path;
}

/**
 * kvmmig_volume_get_format: (get-property format)
 * @self: a volume
 *
 * Gets the format of the data on the volume.
 *
 * Returns: (transfer none): `raw` or `qcow2`
 *
 * Since: 0.1
 */
const char *
kvmmig_volume_get_format (KvmmigVolume *self)
{
  g_return_val_if_fail (KVMMIG_IS_VOLUME (self), NULL);
  return self->format;
}

/**
 * kvmmig_volume_get_store_name: (get-property store-name)
 * @self: a volume
 *
 * Gets the name of the store the volume belongs to.
 *
 * Returns: (transfer none): the store's name
 *
 * Since: 0.1
 */
const char *
kvmmig_volume_get_store_name (KvmmigVolume *self)
{
  g_return_val_if_fail (KVMMIG_IS_VOLUME (self), NULL);
  return self->store_name;
}

/**
 * kvmmig_volume_get_host_uri: (get-property host-uri)
 * @self: a volume
 *
 * Gets the URI of the host this snapshot was read from.
 *
 * Returns: (transfer none) (nullable): the URI, or %NULL when it was read
 *   on this machine
 *
 * Since: 0.1
 */
const char *
kvmmig_volume_get_host_uri (KvmmigVolume *self)
{
  g_return_val_if_fail (KVMMIG_IS_VOLUME (self), NULL);
  return self->host_uri;
}

/**
 * kvmmig_volume_get_guests: (get-property guests)
 * @self: a volume
 *
 * Gets the names of the guests of the volume's host that have it as a
 * disk, running or only defined. Volumes read on this machine (host URI
 * %NULL) list no guests.
 *
 * Returns: (transfer none) (array zero-terminated=1): the guests' names
 *
 * Since: 0.1
 */
const char * const *
kvmmig_volume_get_guests (KvmmigVolume *self)
{
  g_return_val_if_fail (KVMMIG_IS_VOLUME (self), NULL);
  return (const char * const *) self->guests;
}

/**
 * kvmmig_volume_is_in_use: (get-property in-use)
 * @self: a volume
 *
 * Gets whether a guest of the volume's host has it as a disk.
 *
 * Returns: %TRUE if a guest uses the volume
 *
 * Since: 0.1
 */
gboolean
kvmmig_volume_is_in_use (KvmmigVolume *self)
{
  g_return_val_if_fail (KVMMIG_IS_VOLUME (self), FALSE);
  return self->guests != NULL && self->guests[0] != NULL;
}

/**
 * kvmmig_volume_to_disk_xml:
 * @self: a volume
 * @target_dev: (nullable): the guest's device name, such as `vda`; %NULL
 *   for `vda`
 *
 * Builds the libvirt `<disk>` element that gives a guest this volume as
 * its disk @target_dev: on a virtio bus, with `cache='none'` (so that live
 * migration on shared storage is safe), reaching the volume by its
 * [property@Kvmmig.Volume:source]. A LUN behind CHAP refers to the
 * libvirt secret that [method@Kvmmig.SharedStore.attach] defines on each
 * host; the secret itself never appears in the XML.
 *
 * The element is built with libvirt-gconfig and libxml2, so names and
 * paths with quotes, spaces, non-ASCII characters or XML metacharacters
 * come out escaped, never pasted.
 *
 * Returns: (transfer full): the `<disk>` element, as XML text
 *
 * Since: 0.1
 */
char *
kvmmig_volume_to_disk_xml (KvmmigVolume *self,
                           const char   *target_dev)
{
  g_autoptr(GVirConfigDomainDisk) disk = NULL;
  g_autoptr(GVirConfigDomainDiskDriver) driver = NULL;
  g_autofree char *xml = NULL;
  xmlNodePtr source;

  g_return_val_if_fail (KVMMIG_IS_VOLUME (self), NULL);

  disk = gvir_config_domain_disk_new ();
  driver = gvir_config_domain_disk_driver_new ();

  gvir_config_domain_disk_set_type (disk,
    self->type == KVMMIG_VOLUME_TYPE_NETWORK ? GVIR_CONFIG_DOMAIN_DISK_NETWORK
    : self->type == KVMMIG_VOLUME_TYPE_BLOCK ? GVIR_CONFIG_DOMAIN_DISK_BLOCK
    : GVIR_CONFIG_DOMAIN_DISK_FILE);
  gvir_config_domain_disk_set_guest_device_type (disk, GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK);

  gvir_config_domain_disk_driver_set_name (driver, "qemu");
  gvir_config_domain_disk_driver_set_format (driver,
    g_strcmp0 (self->format, "qcow2") == 0 ? GVIR_CONFIG_DOMAIN_DISK_FORMAT_QCOW2
                                          : GVIR_CONFIG_DOMAIN_DISK_FORMAT_RAW);
  gvir_config_domain_disk_driver_set_cache (driver, GVIR_CONFIG_DOMAIN_DISK_CACHE_NONE);
  gvir_config_domain_disk_set_driver (disk, driver);

  if (self->type != KVMMIG_VOLUME_TYPE_NETWORK)
    gvir_config_domain_disk_set_source (disk, self->path);

  gvir_config_domain_disk_set_target_dev (disk, target_dev ? target_dev : "vda");
  gvir_config_domain_disk_set_target_bus (disk, GVIR_CONFIG_DOMAIN_DISK_BUS_VIRTIO);

  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (disk));
  if (self->type != KVMMIG_VOLUME_TYPE_NETWORK)
    return g_steal_pointer (&xml);

  /* libvirt-gconfig 4.0 has no network source (name, host, auth): that
   * part is built as a libxml2 tree and added to gconfig's element. */
  source = _kvmmig_xml_element (NULL, "source",
                                "protocol", self->protocol,
                                "name", self->net_name, NULL);
  _kvmmig_xml_element (source, "host",
                       "name", self->net_host,
                       "port", self->net_port, NULL);
  if (self->auth_username != NULL)
    {
      xmlNodePtr auth = _kvmmig_xml_element (source, "auth",
                                             "username", self->auth_username, NULL);
      _kvmmig_xml_element (auth, "secret",
                           "type", "iscsi",
                           "usage", self->auth_usage, NULL);
    }

  return _kvmmig_xml_insert (xml, "/disk", source);
}
