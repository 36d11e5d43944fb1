/* kvmmig-store-kind-iscsi-direct.c: an iSCSI target reached by QEMU's own
 * initiator (libiscsi): a libvirt `iscsi-direct` pool; the host logs in
 * to nothing, and each LUN is a network disk of the guests (see
 * kvmmig-store-kind-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-store-kind-private.h"

#define INITIATOR_IQN_PREFIX   "iqn.2026-11.org.libkvmmig.initiator:"

static gboolean
iscsi_direct_matches (const KvmmigStoreConfig *cfg)
{
  return cfg->initiator == KVMMIG_ISCSI_INITIATOR_QEMU;
}

/* The store's initiator name, or one made from the host's name (each host
 * needs its own). */
static char *
iscsi_direct_initiator_iqn (const KvmmigStoreConfig *cfg,
                            virConnectPtr            conn)
{
  g_autofree char *hostname = NULL;
  GString *iqn;

  if (cfg->initiator_iqn != NULL)
    return g_strdup (cfg->initiator_iqn);

  hostname = virConnectGetHostname (conn);
  virResetLastError ();
  iqn = g_string_new (INITIATOR_IQN_PREFIX);
  for (const char *p = hostname ? hostname : "host"; *p; p++)
    g_string_append_c (iqn, g_ascii_isalnum (*p) || *p == '-' || *p == '.'
                            ? g_ascii_tolower (*p) : '-');
  return g_string_free (iqn, FALSE);
}

static void
iscsi_direct_pool_xml (const KvmmigStoreConfig *cfg,
                       xmlNodePtr               pool,
                       xmlNodePtr               source,
                       const char              *initiator_iqn)
{
  _kvmmig_store_iscsi_pool_source (cfg, source, initiator_iqn);
}

/* A LUN (volume "unit:0:0:N") as the network disk IQN/N; LUN 0 of many
 * targets is the controller, not a disk. */
static gboolean
iscsi_direct_volume_info (const KvmmigStoreConfig *cfg,
                          virStorageVolPtr         vol,
                          const virStorageVolInfo *info,
                          KvmmigVolumeInfo        *vi,
                          GPtrArray               *keep)
{
  const char *lun = strrchr (virStorageVolGetName (vol), ':');
  char *net_name;
  char *usage;

  if (info->capacity == 0 || lun == NULL)
    return FALSE;
  net_name = g_strdup_printf ("%s/%s", cfg->target_iqn, lun + 1);
  usage = _kvmmig_store_secret_usage (cfg);
  g_ptr_array_add (keep, net_name);
  g_ptr_array_add (keep, usage);
  vi->type = KVMMIG_VOLUME_TYPE_NETWORK;
  vi->protocol = "iscsi";
  vi->net_host = cfg->portal_host;
  vi->net_port = cfg->portal_port;
  vi->net_name = net_name;
  vi->auth_username = cfg->chap_username;
  vi->auth_usage = cfg->chap_username ? usage : NULL;
  return TRUE;
}

const KvmmigStoreKindOps _kvmmig_store_kind_iscsi_direct = {
  .name = "iscsi-direct",
  .kind = KVMMIG_STORE_KIND_ISCSI,
  .matches = iscsi_direct_matches,
  .pool_type = "iscsi-direct",
  .volume_type = KVMMIG_VOLUME_TYPE_NETWORK,
  .chap = TRUE,
  .validate = _kvmmig_store_iscsi_validate,
  .initiator_iqn = iscsi_direct_initiator_iqn,
  .pool_xml = iscsi_direct_pool_xml,
  .describe = _kvmmig_store_iscsi_describe,
  .volume_info = iscsi_direct_volume_info,
  .owns_disk = _kvmmig_store_iscsi_owns_disk,
};
