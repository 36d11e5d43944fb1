/* kvmmig-store-pool.c: the libvirt XML a shared store defines on a host:
 * its pools (each made by its kind, see kvmmig-store-kind-private.h) and
 * the secret for its CHAP credentials; and whether a pool already there
 * is the one the store would define.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

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
  static const char *keys[] = {
    "/pool/@type", "/pool/source/host/@name", "/pool/source/device/@path",
    "/pool/source/dir/@path", "/pool/source/name", "/pool/target/path",
  };
  g_auto(KvmmigXml) a = { 0 };
  g_auto(KvmmigXml) b = { 0 };

  if (!_kvmmig_xml_parse (&a, existing) || !_kvmmig_xml_parse (&b, wanted))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *va = _kvmmig_xml_string (&a, NULL, keys[i]);
      g_autofree char *vb = _kvmmig_xml_string (&b, NULL, keys[i]);

      /* libvirt fills in a default target for some pool types. */
      if (g_str_equal (keys[i], "/pool/target/path") && vb == NULL)
        continue;
      if (g_strcmp0 (va, vb) != 0)
        {
          g_autofree char *type = _kvmmig_xml_string (&a, NULL, "/pool/@type");
          g_autofree char *target = _kvmmig_xml_string (&a, NULL, "/pool/target/path");
          g_autofree char *device = _kvmmig_xml_string (&a, NULL, "/pool/source/device/@path");

          *what = g_strdup_printf ("a %s pool%s%s%s%s", type ? type : "?",
                                   device ? " for " : "", device ? device : "",
                                   target ? " on " : "", target ? target : "");
          return FALSE;
        }
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
