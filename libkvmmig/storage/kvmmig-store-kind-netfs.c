/* kvmmig-store-kind-netfs.c: an NFS export as a shared store, which
 * libvirt mounts on each host (a `netfs` pool); its files are the volumes
 * (see kvmmig-store-kind-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-store-kind-private.h"

static gboolean
netfs_validate (const KvmmigStoreConfig  *cfg,
                char                    **problem)
{
  if (cfg->nfs_server == NULL || *cfg->nfs_server == '\0')
    *problem = g_strdup ("no NFS server given");
  else if (cfg->nfs_export == NULL || !g_path_is_absolute (cfg->nfs_export))
    *problem = g_strdup_printf ("NFS export '%s' is not an absolute path",
                                cfg->nfs_export ? cfg->nfs_export : "");
  else if (cfg->path == NULL || !g_path_is_absolute (cfg->path))
    *problem = g_strdup_printf ("mount point '%s' is not an absolute path",
                                cfg->path ? cfg->path : "");
  return *problem == NULL;
}

static void
netfs_pool_xml (const KvmmigStoreConfig *cfg,
                xmlNodePtr               pool,
                xmlNodePtr               source,
                const char              *initiator_iqn)
{
  _kvmmig_xml_element (source, "host", "name", cfg->nfs_server, NULL);
  _kvmmig_xml_element (source, "dir", "path", cfg->nfs_export, NULL);
  _kvmmig_xml_element (source, "format", "type", "nfs", NULL);
  _kvmmig_store_pool_target (pool, cfg->path);
}

static char *
netfs_describe (const KvmmigStoreConfig *cfg)
{
  return g_strdup_printf ("NFS %s:%s on %s", cfg->nfs_server, cfg->nfs_export, cfg->path);
}

const KvmmigStoreKindOps _kvmmig_store_kind_netfs = {
  .name = "netfs",
  .kind = KVMMIG_STORE_KIND_NFS,
  .pool_type = "netfs",
  .volume_type = KVMMIG_VOLUME_TYPE_FILE,
  .volumes_made_here = TRUE,
  .validate = netfs_validate,
  .pool_xml = netfs_pool_xml,
  .describe = netfs_describe,
  .volume_info = _kvmmig_store_file_volume_info,
  .owns_disk = _kvmmig_store_file_owns_disk,
};
