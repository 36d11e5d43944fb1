/* kvmmig-store-volumes.c: the volumes of a shared store: listed, looked
 * up, created, resized and deleted through a host's pool (each kind says
 * what its volumes are), or on this machine through LVM for a store with a
 * volume group; formatting that volume group; and what each of a set of
 * hosts sees of the volumes (see kvmmig-store-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-host-private.h"
#include "kvmmig-lvm-private.h"
#include "kvmmig-store-kind-private.h"
#include "kvmmig-store-visibility-private.h"
#include "kvmmig-util-private.h"

/* The main pool of the store on the op's host, active and refreshed. */
static virStoragePoolPtr
main_pool (KvmmigStoreOp  *op,
           virConnectPtr   conn,
           GError        **error)
{
  const char *uri = _kvmmig_store_op_where (op);
  virStoragePoolPtr pool;

  pool = virStoragePoolLookupByName (conn, op->cfg->name);
  virResetLastError ();
  if (pool == NULL || virStoragePoolIsActive (pool) != 1)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_STORE_UNREACHABLE,
                   "%s: store '%s': not attached there (no active storage pool "
                   "'%s'); attach it first", uri, op->cfg->name, op->cfg->name);
      g_clear_pointer (&pool, virStoragePoolFree);
      return NULL;
    }

  if (virStoragePoolRefresh (pool, 0) < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, uri,
                                 "store '%s': pool '%s' cannot reach the store",
                                 op->cfg->name, op->cfg->name);
      virStoragePoolFree (pool);
      return NULL;
    }
  return pool;
}

static gboolean
check_volume_name (KvmmigStoreOp  *op,
                   const char     *name,
                   GError        **error)
{
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) ||
      strchr (name, '/') || g_str_equal (name, ".") || g_str_equal (name, "..") ||
      strlen (name) > 255)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: store '%s': a volume name must be 1 to 255 bytes of "
                   "UTF-8 without '/' (and not . or ..)", _kvmmig_store_op_where (op), op->cfg->name);
      return FALSE;
    }
  for (const char *p = name; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                     "%s: store '%s': a volume name must not contain control "
                     "characters", _kvmmig_store_op_where (op), op->cfg->name);
        return FALSE;
      }
  if (_kvmmig_store_is_lvm (op->cfg) && !_kvmmig_lvm_name_is_valid (name))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: store '%s': '%s' is not a valid name for a logical volume "
                   "(letters, digits and + _ . -, not starting with -)",
                   _kvmmig_store_op_where (op), op->cfg->name, name);
      return FALSE;
    }
  return TRUE;
}

/* -- volumes through a host -- */

static int
compare_volumes (gconstpointer a,
                 gconstpointer b)
{
  return _kvmmig_natural_compare (kvmmig_volume_get_name (*(KvmmigVolume **) a),
                                  kvmmig_volume_get_name (*(KvmmigVolume **) b));
}

/* Every volume of the store on the op's host, with the guests of that
 * host that use each. */
static GPtrArray *
list_on_host (KvmmigStoreOp  *op,
              virConnectPtr   conn,
              GError        **error)
{
  const KvmmigStoreConfig *cfg = op->cfg;
  const char *uri = _kvmmig_store_op_where (op);
  g_autoptr(virStoragePool) pool = NULL;
  g_autoptr(GPtrArray) volumes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) guests = NULL;
  virStorageVolPtr *vols = NULL;
  int n;

  pool = main_pool (op, conn, error);
  if (pool == NULL)
    return NULL;

  guests = _kvmmig_list_guest_disks (conn, uri, error);
  if (guests == NULL)
    return NULL;

  n = virStoragePoolListAllVolumes (pool, &vols, 0);
  if (n < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, uri,
                                 "store '%s': cannot list the volumes of pool '%s'",
                                 cfg->name, cfg->name);
      return NULL;
    }

  for (int i = 0; i < n; i++)
    {
      g_autoptr(virStorageVol) vol = vols[i];
      g_autoptr(KvmmigVolume) probe = NULL;
      g_autoptr(GPtrArray) users = g_ptr_array_new ();
      g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
      virStorageVolInfo info = { 0 };
      KvmmigVolumeInfo vi = { 0 };

      if (virStorageVolGetInfo (vol, &info) < 0)
        {
          virResetLastError ();
          continue;
        }

      vi.name = virStorageVolGetName (vol);
      vi.key = virStorageVolGetKey (vol);
      vi.capacity = info.capacity;
      vi.allocation = info.allocation;
      vi.store_name = cfg->name;
      vi.pool_name = cfg->name;
      vi.host_uri = uri;
      if (!cfg->ops->volume_info (cfg, vol, &info, &vi, keep))
        continue;

      probe = _kvmmig_volume_new (&vi);
      for (guint g = 0; g < guests->len; g++)
        {
          KvmmigGuestDisks *guest = g_ptr_array_index (guests, g);

          for (guint d = 0; d < guest->disks->len; d++)
            if (_kvmmig_volume_matches_disk (probe, g_ptr_array_index (guest->disks, d)))
              {
                g_ptr_array_add (users, guest->name);
                break;
              }
        }
      g_ptr_array_add (users, NULL);
      g_ptr_array_add (volumes, _kvmmig_volume_with_guests (probe, (const char * const *) users->pdata));
    }
  g_free (vols);

  g_ptr_array_sort (volumes, compare_volumes);
  return g_steal_pointer (&volumes);
}

static KvmmigVolume *
find_in (GPtrArray  *volumes,
         const char *name)
{
  for (guint i = 0; i < volumes->len; i++)
    {
      KvmmigVolume *volume = g_ptr_array_index (volumes, i);

      if (g_str_equal (kvmmig_volume_get_name (volume), name))
        return g_object_ref (volume);
    }
  return NULL;
}

static KvmmigVolume *
lookup_on_host (KvmmigStoreOp  *op,
                virConnectPtr   conn,
                const char     *name,
                GError        **error)
{
  g_autoptr(GPtrArray) volumes = list_on_host (op, conn, error);
  KvmmigVolume *volume;

  if (volumes == NULL)
    return NULL;
  volume = find_in (volumes, name);
  if (volume == NULL)
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_NOT_FOUND,
                 "%s: store '%s' has no volume '%s' (pool '%s')", _kvmmig_store_op_where (op),
                 op->cfg->name, name, op->cfg->name);
  return volume;
}

/* -- volumes on this machine (LVM) -- */

static gboolean
local_lvm_check (KvmmigStoreOp  *op,
                 GError        **error)
{
  if (!_kvmmig_store_validate (op->cfg, _kvmmig_this_machine (), error))
    return FALSE;
  if (!_kvmmig_store_is_lvm (op->cfg))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_SUPPORTED,
                   "%s: store '%s' has no volume group: its volumes are reached "
                   "through a host's storage pool; pass a host", _kvmmig_this_machine (), op->cfg->name);
      return FALSE;
    }
  return TRUE;
}

static KvmmigVolume *
volume_from_lv (const KvmmigStoreConfig *cfg,
                const KvmmigLvmLv       *lv)
{
  g_autofree char *path = g_strdup_printf ("/dev/%s/%s", lv->vg, lv->name);
  KvmmigVolumeInfo vi = {
    .name = lv->name, .key = lv->uuid, .capacity = lv->size, .allocation = lv->size,
    .type = KVMMIG_VOLUME_TYPE_BLOCK, .path = path, .store_name = cfg->name,
    .pool_name = cfg->name, .host_uri = NULL,
  };

  return _kvmmig_volume_new (&vi);
}

static GPtrArray *
list_local (KvmmigStoreOp  *op,
            GError        **error)
{
  g_autoptr(GPtrArray) lvs = NULL;
  GPtrArray *volumes;

  if (!local_lvm_check (op, error))
    return NULL;
  lvs = _kvmmig_lvm_list (op->cfg->volume_group, error);
  if (lvs == NULL)
    return _kvmmig_store_op_name_store (op, error);

  volumes = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < lvs->len; i++)
    g_ptr_array_add (volumes, volume_from_lv (op->cfg, g_ptr_array_index (lvs, i)));
  return volumes;
}

static KvmmigVolume *
lookup_local (KvmmigStoreOp  *op,
              const char     *name,
              GError        **error)
{
  g_autoptr(KvmmigLvmLv) lv = NULL;

  if (!local_lvm_check (op, error))
    return NULL;
  lv = _kvmmig_lvm_lookup (op->cfg->volume_group, name, error);
  return lv ? volume_from_lv (op->cfg, lv) : _kvmmig_store_op_name_store (op, error);
}

/* Creates or resizes (@action) the logical volume on this machine, and
 * returns it as it then is. */
static KvmmigVolume *
lvm_sized_call (KvmmigStoreOp    *op,
                KvmmigLvmAction   action,
                GError          **error)
{
  if (!local_lvm_check (op, error))
    return NULL;
  if (!_kvmmig_lvm_lv (action, op->cfg->volume_group, op->name, op->capacity, error))
    return _kvmmig_store_op_name_store (op, error);
  return lookup_local (op, op->name, error);
}

/* -- the volume operations -- */

static gpointer
list_func (KvmmigStoreOp  *op,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autoptr(GPtrArray) volumes = NULL;
  GListStore *store;

  if (op->host == NULL)
    volumes = list_local (op, error);
  else
    {
      g_autoptr(virConnect) conn = _kvmmig_store_op_reach (op, error);

      if (conn == NULL)
        return NULL;
      volumes = list_on_host (op, conn, error);
    }
  if (volumes == NULL)
    return NULL;

  store = g_list_store_new (KVMMIG_TYPE_VOLUME);
  g_list_store_splice (store, 0, 0, volumes->pdata, volumes->len);
  return store;
}

static gpointer
lookup_func (KvmmigStoreOp  *op,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autoptr(virConnect) conn = NULL;

  if (!check_volume_name (op, op->name, error))
    return NULL;
  if (op->host == NULL)
    return lookup_local (op, op->name, error);

  conn = _kvmmig_store_op_reach (op, error);
  if (conn == NULL)
    return NULL;
  return lookup_on_host (op, conn, op->name, error);
}

/* What create, delete and resize check first: the description, the
 * volume's name, that the kind makes its volumes through libvirt (not
 * LUNs), and, unless @zero_size is NULL, that the size is not 0 (else
 * @zero_size says so). */
static gboolean
volume_call_checks (KvmmigStoreOp  *op,
                    const char     *done,
                    const char     *zero_size,
                    GError        **error)
{
  const char *where = _kvmmig_store_op_where (op);

  if (!_kvmmig_store_validate (op->cfg, where, error) ||
      !check_volume_name (op, op->name, error))
    return FALSE;

  if (!op->cfg->ops->volumes_made_here)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_SUPPORTED,
                   "%s: store '%s': the LUNs of iSCSI target %s cannot be %s "
                   "through libvirt; manage them on the storage box (for "
                   "example with tgtadm or targetcli), and they appear here "
                   "after a refresh", where, op->cfg->name, op->cfg->target_iqn, done);
      return FALSE;
    }

  if (zero_size != NULL && op->capacity == 0)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: store '%s': volume '%s' %s", where, op->cfg->name, op->name, zero_size);
      return FALSE;
    }
  return TRUE;
}

/* Whether @pool has @needed bytes free; if not, NO_SPACE with @what (the
 * volume that does not fit) after the free space. */
static gboolean
has_room (KvmmigStoreOp      *op,
          virStoragePoolPtr   pool,
          guint64             needed,
          const char         *what,
          GError            **error)
{
  virStoragePoolInfo info;

  if (virStoragePoolGetInfo (pool, &info) < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, _kvmmig_store_op_where (op),
                                 "store '%s': cannot read the free space of pool '%s'",
                                 op->cfg->name, op->cfg->name);
      return FALSE;
    }
  if (needed > info.available)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NO_SPACE,
                   "%s: store '%s' has %" G_GUINT64_FORMAT " bytes free in pool '%s'; %s",
                   _kvmmig_store_op_where (op), op->cfg->name, (guint64) info.available,
                   op->cfg->name, what);
      return FALSE;
    }
  return TRUE;
}

static char *
volume_xml (const KvmmigStoreConfig *cfg,
            const char              *name,
            guint64                  capacity)
{
  g_autoptr(GVirConfigStorageVol) vol = gvir_config_storage_vol_new ();
  gboolean files = cfg->ops->volume_type == KVMMIG_VOLUME_TYPE_FILE;

  gvir_config_storage_vol_set_name (vol, name);
  gvir_config_storage_vol_set_capacity (vol, capacity);
  /* A sparse file; an LV must be allocated in full (a smaller allocation
   * makes libvirt create a thin snapshot LV). */
  gvir_config_storage_vol_set_allocation (vol, files ? 0 : capacity);
  if (files)
    {
      g_autoptr(GVirConfigStorageVolTarget) target = gvir_config_storage_vol_target_new ();

      gvir_config_storage_vol_target_set_format (target, "raw");
      gvir_config_storage_vol_set_target (vol, target);
    }
  return gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (vol));
}

static gpointer
create_func (KvmmigStoreOp  *op,
             GCancellable   *cancellable,
             GError        **error)
{
  const KvmmigStoreConfig *cfg = op->cfg;
  const char *uri = _kvmmig_store_op_where (op);
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(virStoragePool) pool = NULL;
  g_autoptr(virStorageVol) vol = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *what = NULL;

  if (!volume_call_checks (op, "created", "cannot have a size of 0", error))
    return NULL;

  if (op->host == NULL)
    return lvm_sized_call (op, KVMMIG_LV_CREATE, error);

  conn = _kvmmig_store_op_reach (op, error);
  if (conn == NULL)
    return NULL;
  pool = main_pool (op, conn, error);
  if (pool == NULL)
    return NULL;

  vol = virStorageVolLookupByName (pool, op->name);
  virResetLastError ();
  if (vol != NULL)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_EXISTS,
                   "%s: store '%s' already has a volume '%s' (pool '%s')",
                   uri, cfg->name, op->name, cfg->name);
      return NULL;
    }

  what = g_strdup_printf ("volume '%s' of %" G_GUINT64_FORMAT " bytes does not fit",
                          op->name, op->capacity);
  if (!has_room (op, pool, op->capacity, what, error))
    return NULL;

  if (_kvmmig_check_cancelled (cancellable, uri, "creating the volume", error))
    return NULL;

  xml = volume_xml (cfg, op->name, op->capacity);
  vol = virStorageVolCreateXML (pool, xml, 0);
  if (vol == NULL)
    {
      int code = _kvmmig_libvirt_last_error_code ();
      virErrorPtr err = virGetLastError ();
      KvmmigError fallback = code == VIR_ERR_STORAGE_VOL_EXIST ? KVMMIG_ERROR_VOLUME_EXISTS
                           : err && err->message && strstr (err->message, "free space")
                             ? KVMMIG_ERROR_NO_SPACE : KVMMIG_ERROR_FAILED;

      _kvmmig_set_libvirt_error (error, fallback, uri,
                                 "store '%s': cannot create volume '%s' in pool '%s'",
                                 cfg->name, op->name, cfg->name);
      return NULL;
    }

  return lookup_on_host (op, conn, op->name, error);
}

static gpointer
delete_func (KvmmigStoreOp  *op,
             GCancellable   *cancellable,
             GError        **error)
{
  const KvmmigStoreConfig *cfg = op->cfg;
  const char *uri = _kvmmig_store_op_where (op);
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(virStoragePool) pool = NULL;
  g_autoptr(virStorageVol) vol = NULL;
  g_autoptr(KvmmigVolume) volume = NULL;

  if (!volume_call_checks (op, "deleted", NULL, error))
    return NULL;

  if (op->host == NULL)
    {
      if (!local_lvm_check (op, error))
        return NULL;
      if (!_kvmmig_lvm_lv (KVMMIG_LV_REMOVE, cfg->volume_group, op->name, 0, error))
        return _kvmmig_store_op_name_store (op, error);
      return GINT_TO_POINTER (TRUE);
    }

  conn = _kvmmig_store_op_reach (op, error);
  if (conn == NULL)
    return NULL;

  volume = lookup_on_host (op, conn, op->name, error);
  if (volume == NULL)
    return NULL;

  if (kvmmig_volume_is_in_use (volume))
    {
      g_autofree char *names = g_strjoinv ("', '", (GStrv) kvmmig_volume_get_guests (volume));

      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_IN_USE,
                   "%s: store '%s': volume '%s' is a disk of guest '%s'; it is not "
                   "deleted", uri, cfg->name, op->name, names);
      return NULL;
    }

  if (_kvmmig_check_cancelled (cancellable, uri, "deleting the volume", error))
    return NULL;

  pool = virStoragePoolLookupByName (conn, cfg->name);
  vol = pool ? virStorageVolLookupByName (pool, op->name) : NULL;
  if (vol == NULL || virStorageVolDelete (vol, 0) < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, uri,
                                 "store '%s': cannot delete volume '%s' of pool '%s'",
                                 cfg->name, op->name, cfg->name);
      return NULL;
    }

  return GINT_TO_POINTER (TRUE);
}

static gpointer
resize_func (KvmmigStoreOp  *op,
             GCancellable   *cancellable,
             GError        **error)
{
  const KvmmigStoreConfig *cfg = op->cfg;
  const char *uri = _kvmmig_store_op_where (op);
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(virStoragePool) pool = NULL;
  g_autoptr(virStorageVol) vol = NULL;
  g_autoptr(KvmmigVolume) volume = NULL;
  g_autofree char *what = NULL;
  guint64 current;

  if (!volume_call_checks (op, "resized", "cannot be resized to 0 bytes", error))
    return NULL;

  if (op->host == NULL)
    return lvm_sized_call (op, KVMMIG_LV_RESIZE, error);

  conn = _kvmmig_store_op_reach (op, error);
  if (conn == NULL)
    return NULL;

  volume = lookup_on_host (op, conn, op->name, error);
  if (volume == NULL)
    return NULL;

  current = kvmmig_volume_get_capacity (volume);
  if (op->capacity < current)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: store '%s': volume '%s' has %" G_GUINT64_FORMAT " bytes; "
                   "shrinking it to %" G_GUINT64_FORMAT " would destroy the data at "
                   "its end, and is not done", uri, cfg->name, op->name, current,
                   op->capacity);
      return NULL;
    }
  if (op->capacity == current)
    return g_steal_pointer (&volume);

  pool = virStoragePoolLookupByName (conn, cfg->name);
  if (pool == NULL)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, uri,
                                 "store '%s': pool '%s' is gone", cfg->name, cfg->name);
      return NULL;
    }
  what = g_strdup_printf ("growing volume '%s' to %" G_GUINT64_FORMAT " bytes needs %"
                          G_GUINT64_FORMAT, op->name, op->capacity, op->capacity - current);
  if (!has_room (op, pool, op->capacity - current, what, error))
    return NULL;

  vol = virStorageVolLookupByName (pool, op->name);
  if (vol == NULL || virStorageVolResize (vol, op->capacity, 0) < 0)
    {
      gboolean unsupported = _kvmmig_libvirt_last_error_code () == VIR_ERR_NO_SUPPORT ||
                             _kvmmig_libvirt_last_error_code () == VIR_ERR_OPERATION_UNSUPPORTED;

      _kvmmig_set_libvirt_error (error, unsupported ? KVMMIG_ERROR_NOT_SUPPORTED
                                                    : KVMMIG_ERROR_FAILED, uri,
                                 "store '%s': cannot resize volume '%s' of pool '%s'%s",
                                 cfg->name, op->name, cfg->name,
                                 unsupported && _kvmmig_store_is_lvm (cfg)
                                   ? " (libvirt cannot resize logical volumes; resize "
                                     "it on a machine that sees the volume group, with "
                                     "no host)" : "");
      return NULL;
    }

  return lookup_on_host (op, conn, op->name, error);
}

/* -- format -- */

static gpointer
format_func (KvmmigStoreOp  *op,
             GCancellable   *cancellable,
             GError        **error)
{
  const KvmmigStoreConfig *cfg = op->cfg;
  g_autofree char *device = g_strdup (op->device);

  if (!local_lvm_check (op, error))
    return NULL;

  if (device == NULL && cfg->ops->format_device != NULL)
    device = cfg->ops->format_device (cfg);
  if (device == NULL)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: store '%s': which LUN holds volume group '%s'? Set the "
                   "store's LUN or pass the device", _kvmmig_this_machine (), cfg->name,
                   cfg->volume_group);
      return NULL;
    }

  if (!_kvmmig_lvm_format (device, cfg->volume_group, cancellable, error))
    return _kvmmig_store_op_name_store (op, error);
  return GINT_TO_POINTER (TRUE);
}

/* -- visibility -- */

static gpointer
visibility_func (KvmmigStoreOp  *op,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autoptr(KvmmigStoreVisibility) result = _kvmmig_store_visibility_new (op->cfg->name);

  for (guint i = 0; i < op->hosts->len; i++)
    {
      KvmmigHost *host = g_ptr_array_index (op->hosts, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) volumes = NULL;
      g_autoptr(virConnect) conn = NULL;

      if (_kvmmig_check_cancelled (cancellable, _kvmmig_host_get_display_uri (host),
                                   "checking the store's visibility", error))
        return NULL;

      g_set_object (&op->host, host);
      conn = _kvmmig_store_op_connect (op, error);
      if (conn == NULL)
        return NULL;   /* an invalid store, or a host not open */

      if (!_kvmmig_store_op_refused (op, &local_error))
        volumes = list_on_host (op, conn, &local_error);
      _kvmmig_store_visibility_add_host (result, _kvmmig_host_get_display_uri (host), volumes,
                                         local_error ? local_error->message : NULL);
    }

  _kvmmig_store_visibility_compute (result);
  return g_steal_pointer (&result);
}

const KvmmigStoreOpClass _kvmmig_store_list_op = { list_func, FALSE };
const KvmmigStoreOpClass _kvmmig_store_lookup_op = { lookup_func, FALSE };
const KvmmigStoreOpClass _kvmmig_store_create_op = { create_func, FALSE };
const KvmmigStoreOpClass _kvmmig_store_delete_op = { delete_func, TRUE };
const KvmmigStoreOpClass _kvmmig_store_resize_op = { resize_func, FALSE };
const KvmmigStoreOpClass _kvmmig_store_format_op = { format_func, TRUE };
const KvmmigStoreOpClass _kvmmig_store_visibility_op = { visibility_func, FALSE };
