/* kvmmig-store-kind-dir.c: a directory every host sees at the same path
 * (a cluster file system, or a mount made outside libvirt) as a shared
 * store: a libvirt `dir` pool, its files as the volumes (see
 * kvmmig-store-kind-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-store-kind-private.h"

static gboolean
dir_validate (const KvmmigStoreConfig  *cfg,
              char                    **problem)
{
  if (cfg->path == NULL || !g_path_is_absolute (cfg->path) || strstr (cfg->path, "/../"))
    *problem = g_strdup_printf ("directory '%s' is not an absolute path",
                                cfg->path ? cfg->path : "");
  return *problem == NULL;
}

static void
dir_pool_xml (const KvmmigStoreConfig *cfg,
              xmlNodePtr               pool,
              xmlNodePtr               source,
              const char              *initiator_iqn)
{
  _kvmmig_store_pool_target (pool, cfg->path);
}

static char *
dir_describe (const KvmmigStoreConfig *cfg)
{
  return g_strdup_printf ("directory %s", cfg->path);
}

const KvmmigStoreKindOps _kvmmig_store_kind_dir = {
  .name = "dir",
  .kind = KVMMIG_STORE_KIND_DIRECTORY,
  .pool_type = "dir",
  .volume_type = KVMMIG_VOLUME_TYPE_FILE,
  .volumes_made_here = TRUE,
  .validate = dir_validate,
  .pool_xml = dir_pool_xml,
  .describe = dir_describe,
  .volume_info = _kvmmig_store_file_volume_info,
  .owns_disk = _kvmmig_store_file_owns_disk,
};
