/* kvmmig-store-kind-iscsi.c: an iSCSI target reached by each host's own
 * initiator (open-iscsi): a libvirt `iscsi` pool, whose LUNs are block
 * devices of the host under /dev/disk/by-path. Also what every kind on an
 * iSCSI target shares (QEMU's initiator, a volume group on a LUN): the
 * checks of portal and names, the pool's <source>, which disks are on the
 * target (see kvmmig-store-kind-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-portal-private.h"
#include "kvmmig-store-kind-private.h"
#include "kvmmig-util-private.h"

static gboolean
iqn_is_valid (const char *iqn)
{
  return _kvmmig_name_has_only (iqn, 223, "-.:") && strlen (iqn) >= 5 &&
         (g_str_has_prefix (iqn, "iqn.") || g_str_has_prefix (iqn, "eui.") ||
          g_str_has_prefix (iqn, "naa."));
}

gboolean
_kvmmig_store_iscsi_validate (const KvmmigStoreConfig  *cfg,
                              char                    **problem)
{
  if (cfg->portal_host == NULL)
    *problem = g_strdup_printf ("portal '%s' is not of the form HOST[:PORT] or [IPV6]:PORT",
                                cfg->portal ? cfg->portal : "");
  else if (!iqn_is_valid (cfg->target_iqn))
    *problem = g_strdup_printf ("target '%s' is not an iSCSI name (iqn.YYYY-MM.domain:name, "
                                "eui.… or naa.…)", cfg->target_iqn ? cfg->target_iqn : "");
  else if (cfg->initiator_iqn != NULL && !iqn_is_valid (cfg->initiator_iqn))
    *problem = g_strdup_printf ("initiator name '%s' is not an iSCSI name", cfg->initiator_iqn);
  return *problem == NULL;
}

const KvmmigStoreKindOps *
_kvmmig_store_iscsi_for_initiator (const KvmmigStoreConfig *cfg)
{
  return cfg->initiator == KVMMIG_ISCSI_INITIATOR_QEMU ? &_kvmmig_store_kind_iscsi_direct
                                                       : &_kvmmig_store_kind_iscsi;
}

void
_kvmmig_store_iscsi_pool_source (const KvmmigStoreConfig *cfg,
                                 xmlNodePtr               source,
                                 const char              *initiator_iqn)
{
  _kvmmig_xml_element (source, "host", "name", cfg->portal_host,
                       "port", cfg->portal_port, NULL);
  _kvmmig_xml_element (source, "device", "path", cfg->target_iqn, NULL);
  if (initiator_iqn != NULL)
    {
      xmlNodePtr initiator = _kvmmig_xml_element (source, "initiator", NULL);
      _kvmmig_xml_element (initiator, "iqn", "name", initiator_iqn, NULL);
    }
  if (cfg->chap_username != NULL)
    {
      g_autofree char *usage = _kvmmig_store_secret_usage (cfg);
      xmlNodePtr auth = _kvmmig_xml_element (source, "auth", "type", "chap",
                                             "username", cfg->chap_username, NULL);
      _kvmmig_xml_element (auth, "secret", "usage", usage, NULL);
    }
}

char *
_kvmmig_store_iscsi_describe (const KvmmigStoreConfig *cfg)
{
  return g_strdup_printf ("portal %s, target %s", cfg->portal, cfg->target_iqn);
}

char *
_kvmmig_store_iscsi_by_path (const KvmmigStoreConfig *cfg)
{
  return g_strdup_printf ("/dev/disk/by-path/ip-%s:%s-iscsi-%s-lun-", cfg->portal_host,
                          cfg->portal_port, cfg->target_iqn);
}

/* A LUN of the target: as a network disk (QEMU's initiator), or as the
 * host's block device. */
gboolean
_kvmmig_store_iscsi_owns_disk (const KvmmigStoreConfig *cfg,
                               const KvmmigDiskSource  *disk)
{
  g_autofree char *prefix = NULL;

  if (g_strcmp0 (disk->type, "network") == 0)
    {
      prefix = g_strconcat (cfg->target_iqn, "/", NULL);
      return g_strcmp0 (disk->protocol, "iscsi") == 0 &&
             _kvmmig_same_portal (disk->host, disk->port, cfg->portal_host, cfg->portal_port) &&
             disk->name && g_str_has_prefix (disk->name, prefix);
    }
  if (disk->path == NULL)
    return FALSE;
  prefix = _kvmmig_store_iscsi_by_path (cfg);
  return g_str_has_prefix (disk->path, prefix);
}

/* The store's, or none: the host's own /etc/iscsi/initiatorname.iscsi. */
static char *
iscsi_initiator_iqn (const KvmmigStoreConfig *cfg,
                     virConnectPtr            conn)
{
  return g_strdup (cfg->initiator_iqn);
}

static void
iscsi_pool_xml (const KvmmigStoreConfig *cfg,
                xmlNodePtr               pool,
                xmlNodePtr               source,
                const char              *initiator_iqn)
{
  _kvmmig_store_iscsi_pool_source (cfg, source, initiator_iqn);
  _kvmmig_store_pool_target (pool, "/dev/disk/by-path");
}

const KvmmigStoreKindOps _kvmmig_store_kind_iscsi = {
  .name = "iscsi",
  .kind = KVMMIG_STORE_KIND_ISCSI,
  .pool_type = "iscsi",
  .volume_type = KVMMIG_VOLUME_TYPE_BLOCK,
  .chap = TRUE,
  .validate = _kvmmig_store_iscsi_validate,
  .initiator_iqn = iscsi_initiator_iqn,
  .pool_xml = iscsi_pool_xml,
  .describe = _kvmmig_store_iscsi_describe,
  .volume_info = _kvmmig_store_block_volume_info,
  .owns_disk = _kvmmig_store_iscsi_owns_disk,
};
