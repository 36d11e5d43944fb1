/* kvmmig-pool-xml.c: reading the storage pool, volume and pool source XML
 * a host sends (see kvmmig-pool-xml-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-pool-xml-private.h"
#include "kvmmig-xml-private.h"

void
_kvmmig_pool_xml_free (KvmmigPoolXml *pool)
{
  if (pool == NULL)
    return;
  g_free (pool->type);
  g_free (pool->name);
  g_free (pool->source_host);
  g_free (pool->source_port);
  g_free (pool->source_device);
  g_free (pool->source_dir);
  g_free (pool->source_name);
  g_free (pool->target_path);
  g_free (pool);
}

KvmmigPoolXml *
_kvmmig_pool_xml_read (const char  *xml_text,
                       const char  *what,
                       GError     **error)
{
  g_auto(KvmmigXml) xml = { 0 };
  KvmmigPoolXml *pool;

  if (!_kvmmig_xml_read (&xml, xml_text, what, error))
    return NULL;

  pool = g_new0 (KvmmigPoolXml, 1);
  pool->type = _kvmmig_xml_string (&xml, NULL, "/pool/@type");
  pool->name = _kvmmig_xml_string (&xml, NULL, "/pool/name");
  pool->source_host = _kvmmig_xml_string (&xml, NULL, "/pool/source/host/@name");
  pool->source_port = _kvmmig_xml_string (&xml, NULL, "/pool/source/host/@port");
  pool->source_device = _kvmmig_xml_string (&xml, NULL, "/pool/source/device/@path");
  pool->source_dir = _kvmmig_xml_string (&xml, NULL, "/pool/source/dir/@path");
  pool->source_name = _kvmmig_xml_string (&xml, NULL, "/pool/source/name");
  pool->target_path = _kvmmig_xml_string (&xml, NULL, "/pool/target/path");
  return pool;
}

gboolean
_kvmmig_volume_xml_read_format (const char  *xml_text,
                                const char  *what,
                                char       **format,
                                GError     **error)
{
  g_auto(KvmmigXml) xml = { 0 };

  *format = NULL;
  if (!_kvmmig_xml_read (&xml, xml_text, what, error))
    return FALSE;
  *format = _kvmmig_xml_string (&xml, NULL, "/volume/target/format/@type");
  return TRUE;
}

GStrv
_kvmmig_pool_sources_read (const char  *xml_text,
                           const char  *what,
                           GError     **error)
{
  g_auto(KvmmigXml) xml = { 0 };
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  xmlXPathObjectPtr nodes;

  if (!_kvmmig_xml_read (&xml, xml_text, what, error))
    return NULL;

  nodes = _kvmmig_xml_nodes (&xml, "/sources/source/name");
  for (int i = 0; nodes && nodes->nodesetval && i < nodes->nodesetval->nodeNr; i++)
    {
      char *name = _kvmmig_xml_string (&xml, nodes->nodesetval->nodeTab[i], ".");

      if (name != NULL)
        g_ptr_array_add (names, name);
    }
  xmlXPathFreeObject (nodes);

  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}
