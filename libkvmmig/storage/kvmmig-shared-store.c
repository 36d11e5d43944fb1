/* kvmmig-shared-store.c: KvmmigSharedStore, the storage the hosts of a
 * migration cluster share, attached to each host as libvirt storage pools
 * (iscsi-direct or iscsi, logical, dir, netfs), with its volumes listed,
 * created, resized and deleted through those pools, or through libblockdev
 * on the machine the library runs on when the store is LVM.
 *
 * This file holds the GObject: its description (constructors,
 * properties), the snapshot of it each operation reads (so that a setter
 * called meanwhile does not change an operation half-way), and what attach
 * did on each host. The operations are in
 * kvmmig-shared-store-operations.c; kvmmig-store-private.h maps the rest.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-enum-types.h"
#include "kvmmig-shared-store-private.h"
#include "kvmmig-store-kind-private.h"

/**
 * KvmmigSharedStore:
 *
 * The storage that the hosts of a migration cluster share, so that a guest
 * can move between them without copying its disk. It is made from a
 * description of the store:
 *
 * - an iSCSI target ([ctor@Kvmmig.SharedStore.new_iscsi]): a portal, a
 *   target IQN, optional CHAP credentials
 *   ([method@Kvmmig.SharedStore.set_chap]), which initiator reaches it
 *   ([property@Kvmmig.SharedStore:initiator]), and optionally the LVM
 *   volume group that lives on one of its LUNs
 *   ([method@Kvmmig.SharedStore.set_volume_group]);
 * - a directory every host sees at the same path
 *   ([ctor@Kvmmig.SharedStore.new_directory]);
 * - an NFS export ([ctor@Kvmmig.SharedStore.new_nfs]);
 * - a block device every host sees at the same path, holding a volume
 *   group ([ctor@Kvmmig.SharedStore.new_block_device]).
 *
 * [method@Kvmmig.SharedStore.attach] defines and starts on a host the
 * libvirt storage pools the store needs: `iscsi-direct` (QEMU's initiator)
 * or `iscsi` (the host's), then `logical` for a volume group; `dir` or
 * `netfs` for file stores. The pool that holds the store's volumes is
 * named after the store; the iSCSI pool under a volume group gets the
 * suffix `-iscsi`. Attaching is idempotent, and
 * [method@Kvmmig.SharedStore.detach] undoes what attach did on that host,
 * and nothing else; it is refused with %KVMMIG_ERROR_STORE_IN_USE while a
 * guest of that host has one of the store's volumes as a disk.
 *
 * [method@Kvmmig.SharedStore.check_visibility] verifies that a set of
 * hosts sees the same volumes. The volume calls
 * ([method@Kvmmig.SharedStore.list_volumes],
 * [method@Kvmmig.SharedStore.create_volume],
 * [method@Kvmmig.SharedStore.resize_volume],
 * [method@Kvmmig.SharedStore.delete_volume]) work through a host's pools,
 * or, with a %NULL host, on this machine through libblockdev for a store
 * with a volume group whose device this machine sees;
 * [method@Kvmmig.SharedStore.format] creates that volume group.
 *
 * ## What each kind of store allows
 *
 * | | list | create, delete | resize |
 * |---|---|---|---|
 * | iSCSI LUNs | yes | no: LUNs are made on the storage box | no |
 * | volume group (through a host) | yes | yes | no: libvirt cannot resize LVs |
 * | volume group (this machine) | yes | yes | grow only |
 * | directory, NFS | yes | yes | grow only |
 *
 * What the library does, and does not, guard for LVM on shared storage is
 * on the [storage page](storage.html).
 *
 * ## CHAP secrets
 *
 * The CHAP secret is kept in the store object only to be written into a
 * libvirt secret on each host when the store is attached; no property
 * returns it, and no log line or error message contains it.
 *
 * ## Threads
 *
 * Each `_async` method runs its libvirt and LVM calls on a worker thread
 * and calls its callback on the thread-default main context of the thread
 * that called it. The synchronous forms block the calling thread.
 *
 * ## Errors
 *
 * Every failure is a [error@Kvmmig.Error] whose message names the host's
 * URI (or this machine), the store and the pool or volume it is about.
 *
 * Since: 0.1
 */
struct _KvmmigSharedStore
{
  GObject parent_instance;

  /* The description. Its name, kind, portal, target_iqn, path, nfs_server
   * and nfs_export are construct-only; its other fields change under
   * @lock; what the snapshot derives (portal_host, portal_port, ops) is
   * not kept here. */
  KvmmigStoreConfig desc;

  GMutex lock;               /* guards the description's settable fields and @records */
  GHashTable *records;       /* host URI -> AttachRecord: what attach did */
};

G_DEFINE_FINAL_TYPE (KvmmigSharedStore, kvmmig_shared_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_KIND,
  PROP_PORTAL,
  PROP_TARGET_IQN,
  PROP_PATH,
  PROP_NFS_SERVER,
  PROP_NFS_EXPORT,
  PROP_INITIATOR,
  PROP_INITIATOR_IQN,
  PROP_VOLUME_GROUP,
  PROP_LUN,
  PROP_CHAP_USERNAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ */
/* Fields under the lock                                                */

static void
get_string (KvmmigSharedStore  *self,
            char              **field,
            GValue             *value)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_value_set_string (value, *field);
}

/* Sets *@field, and notifies @prop if it changed. */
static void
set_string (KvmmigSharedStore  *self,
            char              **field,
            const char         *value,
            guint               prop)
{
  gboolean changed;

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    changed = g_strcmp0 (*field, value) != 0;
    if (changed)
      {
        g_free (*field);
        *field = g_strdup (value);
      }
  }

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* ------------------------------------------------------------------ */
/* What the operations read and record                                  */

KvmmigStoreConfig *
_kvmmig_shared_store_snapshot (KvmmigSharedStore *self)
{
  KvmmigStoreConfig *cfg;

  g_mutex_lock (&self->lock);
  cfg = _kvmmig_store_config_copy (&self->desc);
  g_mutex_unlock (&self->lock);

  _kvmmig_store_config_derive (cfg);
  return cfg;
}

void
_kvmmig_shared_store_record (KvmmigSharedStore *self,
                             const char        *uri,
                             GPtrArray         *steps)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  GPtrArray *record = g_hash_table_lookup (self->records, uri);

  if (record == NULL)
    g_hash_table_insert (self->records, g_strdup (uri), steps);
  else
    g_ptr_array_extend_and_steal (record, steps);
}

GPtrArray *
_kvmmig_shared_store_take_record (KvmmigSharedStore *self,
                                  const char        *uri)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autofree char *key = NULL;
  GPtrArray *steps = NULL;

  g_hash_table_steal_extended (self->records, uri, (gpointer *) &key, (gpointer *) &steps);
  return steps;
}

/* ------------------------------------------------------------------ */
/* GObject                                                              */

static void
kvmmig_shared_store_finalize (GObject *object)
{
  KvmmigSharedStore *self = KVMMIG_SHARED_STORE (object);

  _kvmmig_store_config_clear (&self->desc);
  g_hash_table_unref (self->records);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (kvmmig_shared_store_parent_class)->finalize (object);
}

static void
kvmmig_shared_store_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KvmmigSharedStore *self = KVMMIG_SHARED_STORE (object);

  switch (prop_id)
    {
    case PROP_NAME:          g_value_set_string (value, self->desc.name); break;
    case PROP_KIND:          g_value_set_enum (value, self->desc.kind); break;
    case PROP_PORTAL:        g_value_set_string (value, self->desc.portal); break;
    case PROP_TARGET_IQN:    g_value_set_string (value, self->desc.target_iqn); break;
    case PROP_PATH:          g_value_set_string (value, self->desc.path); break;
    case PROP_NFS_SERVER:    g_value_set_string (value, self->desc.nfs_server); break;
    case PROP_NFS_EXPORT:    g_value_set_string (value, self->desc.nfs_export); break;
    case PROP_INITIATOR:     g_value_set_enum (value, kvmmig_shared_store_get_initiator (self)); break;
    case PROP_INITIATOR_IQN:  get_string (self, &self->desc.initiator_iqn, value); break;
    case PROP_VOLUME_GROUP:  get_string (self, &self->desc.volume_group, value); break;
    case PROP_LUN:           g_value_set_int (value, kvmmig_shared_store_get_lun (self)); break;
    case PROP_CHAP_USERNAME:  get_string (self, &self->desc.chap_username, value); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_shared_store_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  KvmmigSharedStore *self = KVMMIG_SHARED_STORE (object);

  switch (prop_id)
    {
    case PROP_NAME:          self->desc.name = g_value_dup_string (value); break;
    case PROP_KIND:          self->desc.kind = g_value_get_enum (value); break;
    case PROP_PORTAL:        self->desc.portal = g_value_dup_string (value); break;
    case PROP_TARGET_IQN:    self->desc.target_iqn = g_value_dup_string (value); break;
    case PROP_PATH:          self->desc.path = g_value_dup_string (value); break;
    case PROP_NFS_SERVER:    self->desc.nfs_server = g_value_dup_string (value); break;
    case PROP_NFS_EXPORT:    self->desc.nfs_export = g_value_dup_string (value); break;
    case PROP_INITIATOR:     kvmmig_shared_store_set_initiator (self, g_value_get_enum (value)); break;
    case PROP_INITIATOR_IQN: kvmmig_shared_store_set_initiator_iqn (self, g_value_get_string (value)); break;
    case PROP_VOLUME_GROUP:  kvmmig_shared_store_set_volume_group (self, g_value_get_string (value)); break;
    case PROP_LUN:           kvmmig_shared_store_set_lun (self, g_value_get_int (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_shared_store_class_init (KvmmigSharedStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kvmmig_shared_store_finalize;
  object_class->get_property = kvmmig_shared_store_get_property;
  object_class->set_property = kvmmig_shared_store_set_property;

  /* Hosts must be open to attach: libvirt is initialised by KvmmigHost. */
  g_type_ensure (KVMMIG_TYPE_HOST);

  /**
   * KvmmigSharedStore:name: (getter get_name)
   *
   * The store's name: 1 to 64 letters, digits and `+ _ . -`. The libvirt
   * pool that holds its volumes on each host has this name.
   *
   * Since: 0.1
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, construct);

  /**
   * KvmmigSharedStore:kind: (getter get_kind)
   *
   * What the store is made of.
   *
   * Since: 0.1
   */
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, KVMMIG_TYPE_STORE_KIND,
                                             KVMMIG_STORE_KIND_DIRECTORY, construct);

  /**
   * KvmmigSharedStore:portal: (getter get_portal)
   *
   * The iSCSI portal, `HOST[:PORT]` (the port defaults to 3260); %NULL for
   * other kinds.
   *
   * Since: 0.1
   */
  properties[PROP_PORTAL] = g_param_spec_string ("portal", NULL, NULL, NULL, construct);

  /**
   * KvmmigSharedStore:target-iqn: (getter get_target_iqn)
   *
   * The iSCSI target's name (`iqn.…`); %NULL for other kinds.
   *
   * Since: 0.1
   */
  properties[PROP_TARGET_IQN] = g_param_spec_string ("target-iqn", NULL, NULL, NULL, construct);

  /**
   * KvmmigSharedStore:path: (getter get_path)
   *
   * The shared directory, the NFS mount point on each host, or the shared
   * block device; %NULL for iSCSI stores.
   *
   * Since: 0.1
   */
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, construct);

  /**
   * KvmmigSharedStore:nfs-server: (getter get_nfs_server)
   *
   * The NFS server of an NFS store.
   *
   * Since: 0.1
   */
  properties[PROP_NFS_SERVER] = g_param_spec_string ("nfs-server", NULL, NULL, NULL, construct);

  /**
   * KvmmigSharedStore:nfs-export: (getter get_nfs_export)
   *
   * The exported directory of an NFS store.
   *
   * Since: 0.1
   */
  properties[PROP_NFS_EXPORT] = g_param_spec_string ("nfs-export", NULL, NULL, NULL, construct);

  /**
   * KvmmigSharedStore:initiator: (getter get_initiator) (setter set_initiator)
   *
   * Which initiator of each host reaches an iSCSI store.
   *
   * Since: 0.1
   */
  properties[PROP_INITIATOR] = g_param_spec_enum ("initiator", NULL, NULL,
                                                  KVMMIG_TYPE_ISCSI_INITIATOR,
                                                  KVMMIG_ISCSI_INITIATOR_QEMU, rw);

  /**
   * KvmmigSharedStore:initiator-iqn: (getter get_initiator_iqn) (setter set_initiator_iqn)
   *
   * The iSCSI name the hosts log in with, or %NULL: then each host uses
   * `iqn.2026-11.org.libkvmmig.initiator:HOSTNAME` with QEMU's initiator,
   * and its own configured name with the host's initiator.
   *
   * Since: 0.1
   */
  properties[PROP_INITIATOR_IQN] = g_param_spec_string ("initiator-iqn", NULL, NULL, NULL, rw);

  /**
   * KvmmigSharedStore:volume-group: (getter get_volume_group) (setter set_volume_group)
   *
   * The LVM volume group on the store's LUN (or block device), whose
   * logical volumes are then the store's volumes; %NULL for none.
   *
   * Since: 0.1
   */
  properties[PROP_VOLUME_GROUP] = g_param_spec_string ("volume-group", NULL, NULL, NULL, rw);

  /**
   * KvmmigSharedStore:lun: (getter get_lun) (setter set_lun)
   *
   * The LUN of an iSCSI store that holds the volume group, or -1 if not
   * known; [method@Kvmmig.SharedStore.format] formats it.
   *
   * Since: 0.1
   */
  properties[PROP_LUN] = g_param_spec_int ("lun", NULL, NULL, -1, G_MAXINT, -1, rw);

  /**
   * KvmmigSharedStore:chap-username: (getter get_chap_username)
   *
   * The CHAP user name of an iSCSI store, or %NULL. Set with
   * [method@Kvmmig.SharedStore.set_chap]; the secret has no property.
   *
   * Since: 0.1
   */
  properties[PROP_CHAP_USERNAME] = g_param_spec_string ("chap-username", NULL, NULL, NULL,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kvmmig_shared_store_init (KvmmigSharedStore *self)
{
  g_mutex_init (&self->lock);
  self->desc.lun = -1;
  self->desc.initiator = KVMMIG_ISCSI_INITIATOR_QEMU;
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
}

/* ------------------------------------------------------------------ */
/* For the tests                                                        */

GPtrArray *
_kvmmig_shared_store_pool_xmls (KvmmigSharedStore *self,
                                const char        *initiator_iqn)
{
  g_autoptr(KvmmigStoreConfig) cfg = _kvmmig_shared_store_snapshot (self);
  g_autoptr(GPtrArray) pools = _kvmmig_store_pools (cfg);
  GPtrArray *xmls = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < pools->len; i++)
    g_ptr_array_add (xmls, _kvmmig_store_pool_xml (cfg, g_ptr_array_index (pools, i), initiator_iqn));
  return xmls;
}

char *
_kvmmig_shared_store_secret_xml (KvmmigSharedStore *self)
{
  g_autoptr(KvmmigStoreConfig) cfg = _kvmmig_shared_store_snapshot (self);

  return cfg->chap_username ? _kvmmig_store_secret_xml (cfg) : NULL;
}

/* ------------------------------------------------------------------ */
/* Public API: constructors and properties                              */

/**
 * kvmmig_shared_store_new_iscsi:
 * @name: the store's name (it names the libvirt pools on each host)
 * @portal: the target's portal, `HOST[:PORT]` or `[IPV6]:PORT`
 * @target_iqn: the target's iSCSI name
 *
 * Describes an iSCSI target as a shared store. By default QEMU's own
 * initiator reaches its LUNs (libvirt `iscsi-direct` pools), and each LUN
 * is a volume. Set a volume group with
 * [method@Kvmmig.SharedStore.set_volume_group] (and the host initiator)
 * to have the logical volumes of that group as volumes instead.
 *
 * Nothing is checked until the store is used: an invalid name, portal or
 * IQN gives %KVMMIG_ERROR_INVALID_ARGUMENT then.
 *
 * Returns: (transfer full): a new store
 *
 * Since: 0.1
 */
KvmmigSharedStore *
kvmmig_shared_store_new_iscsi (const char *name,
                               const char *portal,
                               const char *target_iqn)
{
  return g_object_new (KVMMIG_TYPE_SHARED_STORE,
                       "name", name,
                       "kind", KVMMIG_STORE_KIND_ISCSI,
                       "portal", portal,
                       "target-iqn", target_iqn,
                       NULL);
}

/**
 * kvmmig_shared_store_new_directory:
 * @name: the store's name
 * @path: the absolute path of the directory, the same on every host
 *
 * Describes a directory that every host sees at the same path (a cluster
 * file system, or a share mounted outside libvirt) as a shared store; its
 * files are the volumes (libvirt `dir` pools). With libvirt 11 the
 * directory must also be listed in each host's `shared_filesystems`
 * (qemu.conf) for migrations not to be refused as unsafe.
 *
 * Returns: (transfer full): a new store
 *
 * Since: 0.1
 */
KvmmigSharedStore *
kvmmig_shared_store_new_directory (const char *name,
                                   const char *path)
{
  return g_object_new (KVMMIG_TYPE_SHARED_STORE,
                       "name", name,
                       "kind", KVMMIG_STORE_KIND_DIRECTORY,
                       "path", path,
                       NULL);
}

/**
 * kvmmig_shared_store_new_nfs:
 * @name: the store's name
 * @server: the NFS server
 * @export_path: the exported directory on the server
 * @mount_point: where each host mounts it (the directory must exist)
 *
 * Describes an NFS export as a shared store; libvirt mounts it on each
 * host when the store is attached (libvirt `netfs` pools), and its files
 * are the volumes.
 *
 * Returns: (transfer full): a new store
 *
 * Since: 0.1
 */
KvmmigSharedStore *
kvmmig_shared_store_new_nfs (const char *name,
                             const char *server,
                             const char *export_path,
                             const char *mount_point)
{
  return g_object_new (KVMMIG_TYPE_SHARED_STORE,
                       "name", name,
                       "kind", KVMMIG_STORE_KIND_NFS,
                       "nfs-server", server,
                       "nfs-export", export_path,
                       "path", mount_point,
                       NULL);
}

/**
 * kvmmig_shared_store_new_block_device:
 * @name: the store's name
 * @device: the block device, the same path on every host (such as
 *   `/dev/disk/by-id/wwn-…` or `/dev/mapper/mpatha`)
 * @volume_group: the LVM volume group on the device
 *
 * Describes a block device that every host sees (a Fibre Channel or SAS
 * LUN, a multipath device, an iSCSI LUN the hosts log in to themselves)
 * holding an LVM volume group, as a shared store; its logical volumes are
 * the volumes (libvirt `logical` pools).
 *
 * Returns: (transfer full): a new store
 *
 * Since: 0.1
 */
KvmmigSharedStore *
kvmmig_shared_store_new_block_device (const char *name,
                                      const char *device,
                                      const char *volume_group)
{
  KvmmigSharedStore *self = g_object_new (KVMMIG_TYPE_SHARED_STORE,
                                          "name", name,
                                          "kind", KVMMIG_STORE_KIND_BLOCK_DEVICE,
                                          "path", device,
                                          NULL);

  kvmmig_shared_store_set_volume_group (self, volume_group);
  return self;
}

/**
 * kvmmig_shared_store_get_name: (get-property name)
 * @self: a store
 *
 * Gets the store's name.
 *
 * Returns: (transfer none): the name
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_name (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  return self->desc.name;
}

/**
 * kvmmig_shared_store_get_kind: (get-property kind)
 * @self: a store
 *
 * Gets what the store is made of.
 *
 * Returns: the kind of store
 *
 * Since: 0.1
 */
KvmmigStoreKind
kvmmig_shared_store_get_kind (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), KVMMIG_STORE_KIND_DIRECTORY);
  return self->desc.kind;
}

/**
 * kvmmig_shared_store_get_portal: (get-property portal)
 * @self: a store
 *
 * Gets the iSCSI portal of the store.
 *
 * Returns: (transfer none) (nullable): the portal
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_portal (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  return self->desc.portal;
}

/**
 * kvmmig_shared_store_get_target_iqn: (get-property target-iqn)
 * @self: a store
 *
 * Gets the iSCSI target's name.
 *
 * Returns: (transfer none) (nullable): the IQN
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_target_iqn (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  return self->desc.target_iqn;
}

/**
 * kvmmig_shared_store_get_path: (get-property path)
 * @self: a store
 *
 * Gets the shared directory, NFS mount point or block device.
 *
 * Returns: (transfer none) (nullable): the path
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_path (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  return self->desc.path;
}

/**
 * kvmmig_shared_store_get_nfs_server: (get-property nfs-server)
 * @self: a store
 *
 * Gets the NFS server.
 *
 * Returns: (transfer none) (nullable): the server
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_nfs_server (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  return self->desc.nfs_server;
}

/**
 * kvmmig_shared_store_get_nfs_export: (get-property nfs-export)
 * @self: a store
 *
 * Gets the exported directory of an NFS store.
 *
 * Returns: (transfer none) (nullable): the export
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_nfs_export (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  return self->desc.nfs_export;
}

/**
 * kvmmig_shared_store_get_initiator: (get-property initiator)
 * @self: a store
 *
 * Gets which initiator reaches an iSCSI store.
 *
 * Returns: the initiator
 *
 * Since: 0.1
 */
KvmmigIscsiInitiator
kvmmig_shared_store_get_initiator (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), KVMMIG_ISCSI_INITIATOR_QEMU);

  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  return self->desc.initiator;
}

/**
 * kvmmig_shared_store_set_initiator: (set-property initiator)
 * @self: a store
 * @initiator: which initiator the hosts use
 *
 * Sets which initiator of each host reaches an iSCSI store. It applies to
 * later attaches.
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_set_initiator (KvmmigSharedStore    *self,
                                   KvmmigIscsiInitiator  initiator)
{
  gboolean changed;

  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    changed = self->desc.initiator != initiator;
    self->desc.initiator = initiator;
  }

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INITIATOR]);
}

/**
 * kvmmig_shared_store_get_initiator_iqn: (get-property initiator-iqn)
 * @self: a store
 *
 * Gets the iSCSI name the hosts log in with.
 *
 * Returns: (transfer none) (nullable): the name, or %NULL for each host's
 *   default
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_initiator_iqn (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);

  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  return self->desc.initiator_iqn;
}

/**
 * kvmmig_shared_store_set_initiator_iqn: (set-property initiator-iqn)
 * @self: a store
 * @iqn: (nullable): the iSCSI name to log in with, or %NULL for each
 *   host's default
 *
 * Sets the iSCSI name the hosts log in with (for a target whose ACL lists
 * initiators).
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_set_initiator_iqn (KvmmigSharedStore *self,
                                       const char        *iqn)
{
  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));

  set_string (self, &self->desc.initiator_iqn, iqn, PROP_INITIATOR_IQN);
}

/**
 * kvmmig_shared_store_get_volume_group: (get-property volume-group)
 * @self: a store
 *
 * Gets the LVM volume group of the store.
 *
 * Returns: (transfer none) (nullable): the volume group, or %NULL
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_volume_group (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);

  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  return self->desc.volume_group;
}

/**
 * kvmmig_shared_store_set_volume_group: (set-property volume-group)
 * @self: a store
 * @volume_group: (nullable): the volume group's name, or %NULL for none
 *
 * Sets the LVM volume group that lives on the store's LUN (or block
 * device). Its logical volumes are then the store's volumes. On an iSCSI
 * store this needs the host initiator
 * ([property@Kvmmig.SharedStore:initiator]): with QEMU's initiator the
 * hosts never see the LUN as a block device.
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_set_volume_group (KvmmigSharedStore *self,
                                      const char        *volume_group)
{
  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));

  set_string (self, &self->desc.volume_group, volume_group, PROP_VOLUME_GROUP);
}

/**
 * kvmmig_shared_store_get_lun: (get-property lun)
 * @self: a store
 *
 * Gets the LUN that holds the store's volume group.
 *
 * Returns: the LUN, or -1 if not set
 *
 * Since: 0.1
 */
int
kvmmig_shared_store_get_lun (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), -1);

  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  return self->desc.lun;
}

/**
 * kvmmig_shared_store_set_lun: (set-property lun)
 * @self: a store
 * @lun: the LUN that holds the volume group, or -1
 *
 * Sets the LUN of an iSCSI store that holds its volume group, so that
 * [method@Kvmmig.SharedStore.format] finds its device
 * (`/dev/disk/by-path/ip-PORTAL-iscsi-IQN-lun-LUN`) on this machine.
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_set_lun (KvmmigSharedStore *self,
                             int                lun)
{
  gboolean changed;

  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (lun >= -1);

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    changed = self->desc.lun != lun;
    self->desc.lun = lun;
  }

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LUN]);
}

/**
 * kvmmig_shared_store_get_chap_username: (get-property chap-username)
 * @self: a store
 *
 * Gets the CHAP user name of the store. There is no way to read the
 * secret back.
 *
 * Returns: (transfer none) (nullable): the user name, or %NULL
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_chap_username (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);

  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  return self->desc.chap_username;
}

/**
 * kvmmig_shared_store_set_chap:
 * @self: an iSCSI store
 * @username: (nullable): the CHAP user name, or %NULL for no CHAP
 * @secret: (nullable): the CHAP secret, or %NULL for no CHAP
 *
 * Sets the CHAP credentials the hosts log in to the target with. When the
 * store is attached, the secret goes into a libvirt secret of each host
 * (usage `libkvmmig/NAME`), which the storage pool and the guests' disks
 * refer to. The secret is never logged, never put in an error message,
 * and cannot be read back from the store.
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_set_chap (KvmmigSharedStore *self,
                              const char        *username,
                              const char        *secret)
{
  gboolean changed;

  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    changed = g_strcmp0 (self->desc.chap_username, username) != 0;
    g_free (self->desc.chap_username);
    self->desc.chap_username = g_strdup (username);
    _kvmmig_store_secret_clear (&self->desc.chap_secret);
    self->desc.chap_secret = g_strdup (secret);
  }

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHAP_USERNAME]);
}
