/* kvmmig-store-kind.c: the table of the kinds of shared store (each in its
 * own kvmmig-store-kind-*.c), and what the kinds whose volumes are block
 * devices or files share (see kvmmig-store-kind-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-pool-xml-private.h"
#include "kvmmig-store-kind-private.h"

/* In the order they are tried: a variant with a matches() before the one
 * without for the same public kind. */
static const KvmmigStoreKindOps *const store_kinds[] = {
  &_kvmmig_store_kind_logical_lun,
  &_kvmmig_store_kind_iscsi_direct,
  &_kvmmig_store_kind_iscsi,
  &_kvmmig_store_kind_logical_device,
  &_kvmmig_store_kind_dir,
  &_kvmmig_store_kind_netfs,
};

const KvmmigStoreKindOps *
_kvmmig_store_kind_lookup (const KvmmigStoreConfig *cfg)
{
  for (guint i = 0; i < G_N_ELEMENTS (store_kinds); i++)
    if (store_kinds[i]->kind == cfg->kind &&
        (store_kinds[i]->matches == NULL || store_kinds[i]->matches (cfg)))
      return store_kinds[i];
  return NULL;
}

void
_kvmmig_store_pool_target (xmlNodePtr  pool,
                           const char *path)
{
  xmlNodePtr target = _kvmmig_xml_element (pool, "target", NULL);

  _kvmmig_xml_text (target, "path", path);
}

gboolean
_kvmmig_store_block_volume_info (const KvmmigStoreConfig *cfg,
                                 virStorageVolPtr         vol,
                                 const virStorageVolInfo *info,
                                 KvmmigVolumeInfo        *vi,
                                 GPtrArray               *keep)
{
  char *path;

  if (info->capacity == 0)
    return FALSE;
  path = virStorageVolGetPath (vol);
  g_ptr_array_add (keep, path);
  vi->type = KVMMIG_VOLUME_TYPE_BLOCK;
  vi->path = path;
  return TRUE;
}

static char *
vol_format (virStorageVolPtr vol)
{
  g_autofree char *xml = virStorageVolGetXMLDesc (vol, 0);
  char *format = NULL;

  _kvmmig_volume_xml_read_format (xml, "a volume's definition", &format, NULL);
  return format;
}

gboolean
_kvmmig_store_file_volume_info (const KvmmigStoreConfig *cfg,
                                virStorageVolPtr         vol,
                                const virStorageVolInfo *info,
                                KvmmigVolumeInfo        *vi,
                                GPtrArray               *keep)
{
  char *path = virStorageVolGetPath (vol);
  char *format = vol_format (vol);

  g_ptr_array_add (keep, path);
  g_ptr_array_add (keep, format);
  vi->type = KVMMIG_VOLUME_TYPE_FILE;
  vi->path = path;
  vi->format = format;
  return TRUE;
}

/* A file of the directory. */
gboolean
_kvmmig_store_file_owns_disk (const KvmmigStoreConfig *cfg,
                              const KvmmigDiskSource  *disk)
{
  g_autofree char *prefix = NULL;

  if (disk->path == NULL)
    return FALSE;
  prefix = g_str_has_suffix (cfg->path, "/") ? g_strdup (cfg->path)
                                             : g_strconcat (cfg->path, "/", NULL);
  return g_str_has_prefix (disk->path, prefix);
}
