/* kvmmig-store-pool.c: the libvirt XML a shared store defines on a host:
 * its pools (each made by its kind, see kvmmig-store-kind-private.h) and
 * the secret for its CHAP credentials; and whether a pool already there
 * is the one the store would define.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-pool-xml-private.h"
#include "kvmmig-store-kind-private.h"

static void
store_pool_free (KvmmigStorePool *pool)
{
  g_free (pool->name);
  g_free (pool);
}

static void
add_pool (GPtrArray                *pools,
          const KvmmigStoreKindOps *ops,
          char                     *name)
{
  KvmmigStorePool *pool = g_new0 (KvmmigStorePool, 1);

  pool->ops = ops;
  pool->name = name;
  g_ptr_array_add (pools, pool);
}

GPtrArray *
_kvmmig_store_pools (const KvmmigStoreConfig *cfg)
{
  GPtrArray *pools = g_ptr_array_new_with_free_func ((GDestroyNotify) store_pool_free);
  const KvmmigStoreKindOps *transport = NULL;

  if (cfg->ops == NULL)
    return pools;
  if (cfg->ops->transport != NULL)
    transport = cfg->ops->transport (cfg);
  if (transport != NULL)
    add_pool (pools, transport, _kvmmig_store_transport_pool_name (cfg));
  add_pool (pools, cfg->ops, g_strdup (cfg->name));
  return pools;
}

char *
_kvmmig_store_pool_xml (const KvmmigStoreConfig *cfg,
                        const KvmmigStorePool   *pool,
                        const char              *initiator_iqn)
{
  xmlNodePtr node = _kvmmig_xml_element (NULL, "pool", "type", pool->ops->pool_type, NULL);
  xmlNodePtr source;

  _kvmmig_xml_text (node, "name", pool->name);
  source = _kvmmig_xml_element (node, "source", NULL);
  pool->ops->pool_xml (cfg, node, source, initiator_iqn);
  return _kvmmig_xml_take_string (node);
}

char *
_kvmmig_store_secret_xml (const KvmmigStoreConfig *cfg)
{
  g_autofree char *usage = _kvmmig_store_secret_usage (cfg);
  g_autofree char *description = g_strdup_printf ("CHAP secret of libkvmmig store '%s'",
                                                  cfg->name);
  xmlNodePtr secret = _kvmmig_xml_element (NULL, "secret", "ephemeral", "no",
                                           "private", "yes", NULL);
  xmlNodePtr usage_node;

  _kvmmig_xml_text (secret, "description", description);
  usage_node = _kvmmig_xml_element (secret, "usage", "type", "iscsi", NULL);
  _kvmmig_xml_text (usage_node, "target", usage);
  return _kvmmig_xml_take_string (secret);
}

/* Whether an existing pool (its XML) is the one @wanted describes: same
 * type and same source or target. Initiator and credentials may differ. */
gboolean
_kvmmig_store_pool_matches (const char  *existing,
                            const char  *wanted,
                            char       **what)
{
  g_autoptr(KvmmigPoolXml) a = _kvmmig_pool_xml_read (existing, "the pool's definition", NULL);
  g_autoptr(KvmmigPoolXml) b = _kvmmig_pool_xml_read (wanted, "the wanted pool", NULL);

  if (a == NULL || b == NULL)
    return FALSE;

  if (g_strcmp0 (a->type, b->type) != 0 ||
      g_strcmp0 (a->source_host, b->source_host) != 0 ||
      g_strcmp0 (a->source_device, b->source_device) != 0 ||
      g_strcmp0 (a->source_dir, b->source_dir) != 0 ||
      g_strcmp0 (a->source_name, b->source_name) != 0 ||
      /* libvirt fills in a default target for some pool types. */
      (b->target_path != NULL && g_strcmp0 (a->target_path, b->target_path) != 0))
    {
      *what = g_strdup_printf ("a %s pool%s%s%s%s", a->type ? a->type : "?",
                               a->source_device ? " for " : "",
                               a->source_device ? a->source_device : "",
                               a->target_path ? " on " : "",
                               a->target_path ? a->target_path : "");
      return FALSE;
    }
  return TRUE;
}

/* The pool's persistent definition, or its live one where the driver has
 * no such distinction (the test driver refuses the flag). */
char *
_kvmmig_store_pool_definition (virStoragePoolPtr pool)
{
  char *xml = virStoragePoolGetXMLDesc (pool, VIR_STORAGE_XML_INACTIVE);

  if (xml == NULL)
    {
      virResetLastError ();
      xml = virStoragePoolGetXMLDesc (pool, 0);
      virResetLastError ();
    }
  return xml;
}
