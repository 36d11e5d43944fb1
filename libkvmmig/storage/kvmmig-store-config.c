/* kvmmig-store-config.c: the description of a shared store as an
 * operation sees it (a snapshot), its validation, and the names of what
 * the store defines on hosts (see kvmmig-store-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-lvm-private.h"
#include "kvmmig-portal-private.h"
#include "kvmmig-store-kind-private.h"
#include "kvmmig-util-private.h"

#define SECRET_USAGE_PREFIX    "libkvmmig/"
#define TRANSPORT_POOL_SUFFIX  "-iscsi"

void
_kvmmig_store_secret_clear (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

/* The strings of a KvmmigStoreConfig, which copy and clear go through. */
static const gsize config_strings[] = {
  G_STRUCT_OFFSET (KvmmigStoreConfig, name),
  G_STRUCT_OFFSET (KvmmigStoreConfig, portal),
  G_STRUCT_OFFSET (KvmmigStoreConfig, portal_host),
  G_STRUCT_OFFSET (KvmmigStoreConfig, portal_port),
  G_STRUCT_OFFSET (KvmmigStoreConfig, target_iqn),
  G_STRUCT_OFFSET (KvmmigStoreConfig, initiator_iqn),
  G_STRUCT_OFFSET (KvmmigStoreConfig, volume_group),
  G_STRUCT_OFFSET (KvmmigStoreConfig, chap_username),
  G_STRUCT_OFFSET (KvmmigStoreConfig, chap_secret),
  G_STRUCT_OFFSET (KvmmigStoreConfig, path),
  G_STRUCT_OFFSET (KvmmigStoreConfig, nfs_server),
  G_STRUCT_OFFSET (KvmmigStoreConfig, nfs_export),
};

KvmmigStoreConfig *
_kvmmig_store_config_copy (const KvmmigStoreConfig *src)
{
  KvmmigStoreConfig *cfg = g_memdup2 (src, sizeof *src);

  for (gsize i = 0; i < G_N_ELEMENTS (config_strings); i++)
    G_STRUCT_MEMBER (char *, cfg, config_strings[i]) =
      g_strdup (G_STRUCT_MEMBER (char *, src, config_strings[i]));
  return cfg;
}

void
_kvmmig_store_config_clear (KvmmigStoreConfig *cfg)
{
  _kvmmig_store_secret_clear (&cfg->chap_secret);
  for (gsize i = 0; i < G_N_ELEMENTS (config_strings); i++)
    g_clear_pointer (&G_STRUCT_MEMBER (char *, cfg, config_strings[i]), g_free);
}

void
_kvmmig_store_config_free (KvmmigStoreConfig *cfg)
{
  if (cfg == NULL)
    return;
  _kvmmig_store_config_clear (cfg);
  g_free (cfg);
}

void
_kvmmig_store_config_derive (KvmmigStoreConfig *cfg)
{
  /* Only iSCSI stores have a portal. */
  if (cfg->portal != NULL)
    _kvmmig_portal_parse (cfg->portal, &cfg->portal_host, &cfg->portal_port);
  cfg->ops = _kvmmig_store_kind_lookup (cfg);
}

static gboolean
store_name_is_valid (const char *name)
{
  return _kvmmig_name_has_only (name, 64, "+_.-") && name[0] != '-' && name[0] != '.';
}

gboolean
_kvmmig_store_validate (const KvmmigStoreConfig  *cfg,
                        const char               *where,
                        GError                  **error)
{
  const KvmmigStoreKindOps *ops = cfg->ops;
  g_autofree char *problem = NULL;

  if (!store_name_is_valid (cfg->name))
    problem = g_strdup ("a store name is 1 to 64 letters, digits and + _ . - (it names "
                        "the libvirt pools on each host), not starting with - or .");
  else if (ops == NULL)
    problem = g_strdup_printf ("unknown kind of store %d", cfg->kind);
  else if (!ops->validate (cfg, &problem))
    ;
  else if (cfg->volume_group != NULL && !_kvmmig_lvm_name_is_valid (cfg->volume_group))
    problem = g_strdup_printf ("'%s' is not a valid LVM volume group name (letters, "
                               "digits, + _ . -)", cfg->volume_group);
  else if (cfg->volume_group != NULL && !ops->volume_group)
    problem = g_strdup ("only iSCSI and block-device stores can hold a volume group");
  else if ((cfg->chap_secret != NULL) != (cfg->chap_username != NULL))
    problem = g_strdup ("CHAP needs both a user name and a secret");
  else if (cfg->chap_username != NULL && !ops->chap)
    problem = g_strdup ("CHAP credentials only apply to iSCSI stores");

  if (problem == NULL)
    return TRUE;
  g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
               "%s: store '%s': %s", where, cfg->name ? cfg->name : "", problem);
  return FALSE;
}

gboolean
_kvmmig_store_is_lvm (const KvmmigStoreConfig *cfg)
{
  return cfg->volume_group != NULL;
}

char *
_kvmmig_store_transport_pool_name (const KvmmigStoreConfig *cfg)
{
  return g_strconcat (cfg->name, TRANSPORT_POOL_SUFFIX, NULL);
}

char *
_kvmmig_store_secret_usage (const KvmmigStoreConfig *cfg)
{
  return g_strconcat (SECRET_USAGE_PREFIX, cfg->name, NULL);
}
