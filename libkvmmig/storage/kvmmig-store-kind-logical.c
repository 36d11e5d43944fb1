/* kvmmig-store-kind-logical.c: an LVM volume group as a shared store, its
 * logical volumes as the volumes (libvirt `logical` pools), in its two
 * variants: on a LUN of an iSCSI target that the hosts log in to (an
 * `iscsi` pool under the `logical` one), and on a block device every host
 * sees at the same path (see kvmmig-store-kind-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-pool-xml-private.h"
#include "kvmmig-store-kind-private.h"

/* -- what both variants share --------------------------------------- */

static void
logical_pool_xml (const KvmmigStoreConfig *cfg,
                  xmlNodePtr               pool,
                  xmlNodePtr               source,
                  const char              *initiator_iqn)
{
  g_autofree char *dev = g_strconcat ("/dev/", cfg->volume_group, NULL);

  _kvmmig_xml_text (source, "name", cfg->volume_group);
  _kvmmig_xml_element (source, "format", "type", "lvm2", NULL);
  _kvmmig_store_pool_target (pool, dev);
}

static char *
logical_describe (const KvmmigStoreConfig *cfg)
{
  return g_strdup_printf ("volume group %s", cfg->volume_group);
}

/* Whether the host sees volume group @vg (libvirt's source discovery);
 * TRUE when the host cannot tell. */
static gboolean
host_sees_vg (virConnectPtr             conn,
              const char               *uri,
              const KvmmigStoreConfig  *cfg,
              GError                  **error)
{
  g_autofree char *sources = virConnectFindStoragePoolSources (conn, "logical", NULL, 0);
  g_auto(GStrv) names = NULL;
  gboolean found;

  if (sources == NULL)
    {
      virResetLastError ();
      return TRUE;
    }
  names = _kvmmig_pool_sources_read (sources, "the host's volume groups", NULL);
  if (names == NULL)
    return TRUE;

  found = cfg->volume_group != NULL &&
          g_strv_contains ((const char * const *) names, cfg->volume_group);

  if (!found)
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_STORE_UNREACHABLE,
                 "%s: store '%s': the host does not see volume group '%s' "
                 "(has the LUN been formatted as one (SharedStore.format, or "
                 "kvmmig store format), and is it a block device of that host?)", uri, cfg->name,
                 cfg->volume_group);
  return found;
}

/* A logical volume of the group: /dev/VG/LV or /dev/mapper/VG-LV. */
static gboolean
logical_owns_path (const KvmmigStoreConfig *cfg,
                   const char              *path)
{
  g_autofree char *dev = g_strconcat ("/dev/", cfg->volume_group, "/", NULL);
  g_auto(GStrv) parts = g_strsplit (cfg->volume_group, "-", -1);
  g_autofree char *escaped = g_strjoinv ("--", parts);
  g_autofree char *mapper = g_strconcat ("/dev/mapper/", escaped, "-", NULL);

  return path != NULL && (g_str_has_prefix (path, dev) || g_str_has_prefix (path, mapper));
}

/* -- on a LUN of an iSCSI target ------------------------------------ */

static gboolean
logical_lun_matches (const KvmmigStoreConfig *cfg)
{
  return cfg->volume_group != NULL;
}

static gboolean
logical_lun_check_host (const KvmmigStoreConfig  *cfg,
                        const char               *where,
                        GError                  **error)
{
  if (cfg->initiator != KVMMIG_ISCSI_INITIATOR_QEMU)
    return TRUE;
  g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_SUPPORTED,
               "%s: store '%s': a volume group on a LUN ('%s') needs the host's "
               "own iSCSI initiator (KVMMIG_ISCSI_INITIATOR_HOST): with QEMU's "
               "initiator the host never sees the LUN as a block device",
               where, cfg->name, cfg->volume_group);
  return FALSE;
}

static gboolean
logical_lun_owns_disk (const KvmmigStoreConfig *cfg,
                       const KvmmigDiskSource  *disk)
{
  return _kvmmig_store_iscsi_owns_disk (cfg, disk) || logical_owns_path (cfg, disk->path);
}

/* The LUN's device on this machine, when the store's LUN is known. */
static char *
logical_lun_format_device (const KvmmigStoreConfig *cfg)
{
  g_autofree char *prefix = NULL;

  if (cfg->lun < 0)
    return NULL;
  prefix = _kvmmig_store_iscsi_by_path (cfg);
  return g_strdup_printf ("%s%d", prefix, cfg->lun);
}

const KvmmigStoreKindOps _kvmmig_store_kind_logical_lun = {
  .name = "logical on an iSCSI LUN",
  .kind = KVMMIG_STORE_KIND_ISCSI,
  .matches = logical_lun_matches,
  .pool_type = "logical",
  .volume_type = KVMMIG_VOLUME_TYPE_BLOCK,
  .volumes_made_here = TRUE,
  .chap = TRUE,
  .volume_group = TRUE,
  .validate = _kvmmig_store_iscsi_validate,
  .check_host = logical_lun_check_host,
  .transport = _kvmmig_store_iscsi_for_initiator,
  .pool_xml = logical_pool_xml,
  .describe = logical_describe,
  .before_start = host_sees_vg,
  .volume_info = _kvmmig_store_block_volume_info,
  .owns_disk = logical_lun_owns_disk,
  .format_device = logical_lun_format_device,
};

/* -- on a block device ---------------------------------------------- */

static gboolean
logical_device_validate (const KvmmigStoreConfig  *cfg,
                         char                    **problem)
{
  if (cfg->path == NULL || !g_str_has_prefix (cfg->path, "/dev/"))
    *problem = g_strdup_printf ("device '%s' is not a path under /dev",
                                cfg->path ? cfg->path : "");
  else if (cfg->volume_group == NULL)
    *problem = g_strdup ("a block-device store needs the volume group on the device");
  return *problem == NULL;
}

static gboolean
logical_device_owns_disk (const KvmmigStoreConfig *cfg,
                          const KvmmigDiskSource  *disk)
{
  return logical_owns_path (cfg, disk->path) || g_strcmp0 (disk->path, cfg->path) == 0;
}

static char *
logical_device_format_device (const KvmmigStoreConfig *cfg)
{
  return g_strdup (cfg->path);
}

const KvmmigStoreKindOps _kvmmig_store_kind_logical_device = {
  .name = "logical on a block device",
  .kind = KVMMIG_STORE_KIND_BLOCK_DEVICE,
  .pool_type = "logical",
  .volume_type = KVMMIG_VOLUME_TYPE_BLOCK,
  .volumes_made_here = TRUE,
  .volume_group = TRUE,
  .validate = logical_device_validate,
  .pool_xml = logical_pool_xml,
  .describe = logical_describe,
  .before_start = host_sees_vg,
  .volume_info = _kvmmig_store_block_volume_info,
  .owns_disk = logical_device_owns_disk,
  .format_device = logical_device_format_device,
};
