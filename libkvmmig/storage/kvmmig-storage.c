/* kvmmig-storage.c: storage helpers shared by the shared store, volumes,
 * guest definitions, the pre-flight checks and the migration run (see
 * kvmmig-storage-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlsave.h>

#include "kvmmig-lvm-private.h"
#include "kvmmig-storage-private.h"

/* ------------------------------------------------------------------ */
/* Reading XML                                                          */

void
_kvmmig_xml_clear (KvmmigXml *xml)
{
  g_clear_pointer (&xml->ctx, xmlXPathFreeContext);
  g_clear_pointer (&xml->doc, xmlFreeDoc);
}

gboolean
_kvmmig_xml_parse (KvmmigXml  *xml,
                   const char *text)
{
  if (text == NULL)
    return FALSE;
  xml->doc = xmlReadMemory (text, strlen (text), "libvirt.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (xml->doc == NULL)
    return FALSE;
  xml->ctx = xmlXPathNewContext (xml->doc);
  return xml->ctx != NULL;
}

char *
_kvmmig_xml_string (KvmmigXml  *xml,
                    xmlNodePtr  node,
                    const char *expr)
{
  g_autofree char *wrapped = g_strdup_printf ("string(%s)", expr);
  xmlXPathObjectPtr obj;
  char *value = NULL;

  xml->ctx->node = node ? node : xmlDocGetRootElement (xml->doc);
  obj = xmlXPathEvalExpression ((const xmlChar *) wrapped, xml->ctx);
  if (obj != NULL && obj->type == XPATH_STRING && obj->stringval && obj->stringval[0])
    value = g_strdup ((const char *) obj->stringval);
  xmlXPathFreeObject (obj);
  return value;
}

static gboolean
xml_exists (KvmmigXml  *xml,
            xmlNodePtr  node,
            const char *expr)
{
  g_autofree char *wrapped = g_strdup_printf ("boolean(%s)", expr);
  xmlXPathObjectPtr obj;
  gboolean found;

  xml->ctx->node = node ? node : xmlDocGetRootElement (xml->doc);
  obj = xmlXPathEvalExpression ((const xmlChar *) wrapped, xml->ctx);
  found = obj != NULL && obj->type == XPATH_BOOLEAN && obj->boolval;
  xmlXPathFreeObject (obj);
  return found;
}

xmlXPathObjectPtr
_kvmmig_xml_nodes (KvmmigXml  *xml,
                   const char *expr)
{
  xml->ctx->node = xmlDocGetRootElement (xml->doc);
  return xmlXPathEvalExpression ((const xmlChar *) expr, xml->ctx);
}

/* ------------------------------------------------------------------ */
/* Writing XML                                                          */

xmlNodePtr
_kvmmig_xml_element (xmlNodePtr  parent,
                     const char *name,
                     ...)
{
  xmlNodePtr node = xmlNewNode (NULL, (const xmlChar *) name);
  const char *attr;
  va_list args;

  va_start (args, name);
  while ((attr = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      /* xmlNewProp stores the value as text; it is escaped on output. */
      if (value != NULL)
        xmlNewProp (node, (const xmlChar *) attr, (const xmlChar *) value);
    }
  va_end (args);

  if (parent != NULL)
    xmlAddChild (parent, node);
  return node;
}

xmlNodePtr
_kvmmig_xml_text (xmlNodePtr  parent,
                  const char *name,
                  const char *text)
{
  /* xmlNewTextChild escapes its content (xmlNewChild would not). */
  return xmlNewTextChild (parent, NULL, (const xmlChar *) name, (const xmlChar *) text);
}

static char *
dump_node (xmlDocPtr  doc,
           xmlNodePtr node)
{
  xmlBufferPtr buf = xmlBufferCreate ();
  xmlSaveCtxtPtr save;
  char *text;

  save = xmlSaveToBuffer (buf, "UTF-8", XML_SAVE_FORMAT | XML_SAVE_NO_DECL);
  xmlSaveTree (save, node);
  xmlSaveClose (save);
  text = g_strdup ((const char *) xmlBufferContent (buf));
  xmlBufferFree (buf);
  return text;
}

char *
_kvmmig_xml_take_string (xmlNodePtr root)
{
  xmlDocPtr doc = xmlNewDoc ((const xmlChar *) "1.0");
  char *text;

  xmlDocSetRootElement (doc, root);
  text = dump_node (doc, root);
  xmlFreeDoc (doc);
  return text;
}

char *
_kvmmig_xml_insert (const char *xml_text,
                    const char *parent_expr,
                    xmlNodePtr  child)
{
  g_auto(KvmmigXml) xml = { 0 };
  xmlXPathObjectPtr nodes;
  xmlNodePtr parent = NULL;
  char *text;

  /* Without blank text nodes, so that the output is indented afresh. */
  if (xml_text != NULL)
    xml.doc = xmlReadMemory (xml_text, strlen (xml_text), "libvirt.xml", NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                             XML_PARSE_NOBLANKS);
  if (xml.doc == NULL || (xml.ctx = xmlXPathNewContext (xml.doc)) == NULL)
    {
      xmlFreeNode (child);
      return NULL;
    }

  nodes = _kvmmig_xml_nodes (&xml, parent_expr);
  if (nodes && nodes->nodesetval && nodes->nodesetval->nodeNr > 0)
    parent = nodes->nodesetval->nodeTab[0];
  xmlXPathFreeObject (nodes);

  if (parent == NULL)
    {
      xmlFreeNode (child);
      return NULL;
    }

  xmlAddChild (parent, child);
  text = dump_node (xml.doc, xmlDocGetRootElement (xml.doc));
  return text;
}

/* ------------------------------------------------------------------ */
/* The disks of a guest                                                 */

void
_kvmmig_disk_source_free (KvmmigDiskSource *disk)
{
  if (disk == NULL)
    return;
  g_free (disk->type);
  g_free (disk->device);
  g_free (disk->target);
  g_free (disk->path);
  g_free (disk->protocol);
  g_free (disk->name);
  g_free (disk->host);
  g_free (disk->port);
  g_free (disk->pool);
  g_free (disk->volume);
  g_free (disk->cache);
  g_free (disk);
}

GPtrArray *
_kvmmig_disk_sources_from_xml (const char *domain_xml)
{
  g_auto(KvmmigXml) xml = { 0 };
  GPtrArray *disks;
  xmlXPathObjectPtr nodes;

  if (!_kvmmig_xml_parse (&xml, domain_xml))
    return NULL;

  disks = g_ptr_array_new_with_free_func ((GDestroyNotify) _kvmmig_disk_source_free);
  nodes = _kvmmig_xml_nodes (&xml, "/domain/devices/disk");
  for (int i = 0; nodes && nodes->nodesetval && i < nodes->nodesetval->nodeNr; i++)
    {
      xmlNodePtr node = nodes->nodesetval->nodeTab[i];
      KvmmigDiskSource *disk = g_new0 (KvmmigDiskSource, 1);

      disk->type = _kvmmig_xml_string (&xml, node, "@type");
      disk->device = _kvmmig_xml_string (&xml, node, "@device");
      disk->target = _kvmmig_xml_string (&xml, node, "target/@dev");
      disk->path = _kvmmig_xml_string (&xml, node, "source/@file");
      if (disk->path == NULL)
        disk->path = _kvmmig_xml_string (&xml, node, "source/@dev");
      disk->protocol = _kvmmig_xml_string (&xml, node, "source/@protocol");
      disk->name = _kvmmig_xml_string (&xml, node, "source/@name");
      disk->host = _kvmmig_xml_string (&xml, node, "source/host/@name");
      disk->port = _kvmmig_xml_string (&xml, node, "source/host/@port");
      disk->pool = _kvmmig_xml_string (&xml, node, "source/@pool");
      disk->volume = _kvmmig_xml_string (&xml, node, "source/@volume");
      disk->cache = _kvmmig_xml_string (&xml, node, "driver/@cache");
      disk->readonly = xml_exists (&xml, node, "readonly") ||
                       xml_exists (&xml, node, "shareable");
      g_ptr_array_add (disks, disk);
    }
  xmlXPathFreeObject (nodes);

  return disks;
}

gboolean
_kvmmig_disk_source_has_source (const KvmmigDiskSource *disk)
{
  return disk->path || disk->name || disk->volume;
}

char *
_kvmmig_disk_source_describe (const KvmmigDiskSource *disk)
{
  if (g_strcmp0 (disk->type, "network") == 0)
    return g_strdup_printf ("%s://%s%s%s/%s", disk->protocol ? disk->protocol : "?",
                            disk->host ? disk->host : "",
                            disk->port ? ":" : "", disk->port ? disk->port : "",
                            disk->name ? disk->name : "");
  if (disk->volume)
    return g_strdup_printf ("volume '%s' in pool '%s'", disk->volume,
                            disk->pool ? disk->pool : "?");
  return g_strdup (disk->path ? disk->path : "?");
}

void
_kvmmig_guest_disks_free (KvmmigGuestDisks *guest)
{
  if (guest == NULL)
    return;
  g_free (guest->name);
  g_clear_pointer (&guest->disks, g_ptr_array_unref);
  g_free (guest);
}

GPtrArray *
_kvmmig_list_guest_disks (virConnectPtr   conn,
                          const char     *uri,
                          GError        **error)
{
  g_autoptr(GPtrArray) guests = g_ptr_array_new_with_free_func ((GDestroyNotify) _kvmmig_guest_disks_free);
  virDomainPtr *domains = NULL;
  int n;

  n = virConnectListAllDomains (conn, &domains, 0);
  if (n < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, uri,
                                 "cannot list the guests to see which disks they use");
      return NULL;
    }

  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = virDomainGetXMLDesc (domains[i], 0);
      KvmmigGuestDisks *guest;

      if (xml != NULL)
        {
          guest = g_new0 (KvmmigGuestDisks, 1);
          guest->name = g_strdup (virDomainGetName (domains[i]));
          guest->active = virDomainIsActive (domains[i]) == 1;
          guest->disks = _kvmmig_disk_sources_from_xml (xml);
          if (guest->disks == NULL)
            guest->disks = g_ptr_array_new ();
          g_ptr_array_add (guests, guest);
        }
      virDomainFree (domains[i]);
    }
  g_free (domains);
  virResetLastError ();

  return g_steal_pointer (&guests);
}

gboolean
_kvmmig_same_portal (const char *host_a,
                     const char *port_a,
                     const char *host_b,
                     const char *port_b)
{
  if (g_strcmp0 (host_a, host_b) != 0)
    return FALSE;
  return g_strcmp0 (port_a ? port_a : "3260", port_b ? port_b : "3260") == 0;
}

/* ------------------------------------------------------------------ */
/* Finding a disk's storage on a host                                   */

/* An iscsi network disk: an active iSCSI pool of @conn for the same portal
 * and target (a libkvmmig store's, or any other) is refreshed, which makes
 * the host log in to the target, and must list the LUN. */
static KvmmigCheckStatus
find_iscsi_disk (virConnectPtr           conn,
                 const KvmmigDiskSource *disk,
                 char                  **detail)
{
  g_autofree char *iqn = NULL;
  const char *lun;
  virStoragePoolPtr *pools = NULL;
  KvmmigCheckStatus status = KVMMIG_CHECK_STATUS_WARNING;
  int n;

  lun = disk->name ? strrchr (disk->name, '/') : NULL;
  if (lun == NULL)
    {
      *detail = g_strdup ("its iSCSI name has no LUN");
      return KVMMIG_CHECK_STATUS_WARNING;
    }
  iqn = g_strndup (disk->name, lun - disk->name);
  lun++;

  n = virConnectListAllStoragePools (conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
  if (n < 0)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
      *detail = g_strdup_printf ("its storage pools cannot be listed: %s", msg);
      return KVMMIG_CHECK_STATUS_WARNING;
    }

  *detail = g_strdup ("it has no active iSCSI storage pool for that target (attach "
                      "the shared store to it), so whether it reaches the LUN is not "
                      "verified (libvirt takes network disks as shared)");

  for (int i = 0; i < n && status == KVMMIG_CHECK_STATUS_WARNING; i++)
    {
      g_autofree char *pool_xml = virStoragePoolGetXMLDesc (pools[i], 0);
      g_auto(KvmmigXml) xml = { 0 };
      g_autofree char *type = NULL;
      g_autofree char *host = NULL;
      g_autofree char *port = NULL;
      g_autofree char *target = NULL;
      g_autofree char *volname = NULL;
      g_autoptr(virStorageVol) vol = NULL;

      if (!_kvmmig_xml_parse (&xml, pool_xml))
        continue;
      type = _kvmmig_xml_string (&xml, NULL, "/pool/@type");
      host = _kvmmig_xml_string (&xml, NULL, "/pool/source/host/@name");
      port = _kvmmig_xml_string (&xml, NULL, "/pool/source/host/@port");
      target = _kvmmig_xml_string (&xml, NULL, "/pool/source/device/@path");
      if ((g_strcmp0 (type, "iscsi-direct") != 0 && g_strcmp0 (type, "iscsi") != 0) ||
          !_kvmmig_same_portal (host, port, disk->host, disk->port) ||
          g_strcmp0 (target, iqn) != 0)
        continue;

      if (virStoragePoolRefresh (pools[i], 0) < 0)
        {
          g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
          g_free (*detail);
          *detail = g_strdup_printf ("its pool '%s' cannot reach the target: %s",
                                     virStoragePoolGetName (pools[i]), msg);
          status = KVMMIG_CHECK_STATUS_FAILED;
          break;
        }

      volname = g_strdup_printf ("unit:0:0:%s", lun);
      vol = virStorageVolLookupByName (pools[i], volname);
      virResetLastError ();
      g_free (*detail);
      if (vol != NULL)
        {
          *detail = g_strdup_printf ("it sees LUN %s through pool '%s'", lun,
                                     virStoragePoolGetName (pools[i]));
          status = KVMMIG_CHECK_STATUS_PASSED;
        }
      else
        {
          *detail = g_strdup_printf ("its pool '%s' reaches the target but lists no "
                                     "LUN %s", virStoragePoolGetName (pools[i]), lun);
          status = KVMMIG_CHECK_STATUS_FAILED;
        }
    }

  for (int i = 0; i < n; i++)
    virStoragePoolFree (pools[i]);
  g_free (pools);

  return status;
}

/* A file or block disk: a storage pool of @conn must hold the same path.
 * Pools whose target directory holds the path are refreshed first, so a
 * volume created since (on another host of a shared store) is seen. */
static KvmmigCheckStatus
find_path_disk (virConnectPtr           conn,
                const KvmmigDiskSource *disk,
                char                  **detail)
{
  g_autoptr(virStorageVol) vol = NULL;
  g_autoptr(virStoragePool) pool = NULL;
  virStoragePoolPtr *pools = NULL;
  int n;

  vol = virStorageVolLookupByPath (conn, disk->path);
  if (vol == NULL)
    {
      virResetLastError ();
      n = virConnectListAllStoragePools (conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
      for (int i = 0; i < n; i++)
        {
          g_autofree char *pool_xml = virStoragePoolGetXMLDesc (pools[i], 0);
          g_auto(KvmmigXml) xml = { 0 };
          g_autofree char *target = NULL;

          if (_kvmmig_xml_parse (&xml, pool_xml) &&
              (target = _kvmmig_xml_string (&xml, NULL, "/pool/target/path")) != NULL &&
              g_str_has_prefix (disk->path, target))
            virStoragePoolRefresh (pools[i], 0);
          virStoragePoolFree (pools[i]);
        }
      g_free (pools);
      virResetLastError ();
      vol = virStorageVolLookupByPath (conn, disk->path);
      virResetLastError ();
    }

  if (vol == NULL)
    {
      *detail = g_strdup ("no storage pool there holds that path; attach the shared "
                          "store to it");
      return KVMMIG_CHECK_STATUS_FAILED;
    }

  pool = virStoragePoolLookupByVolume (vol);
  virResetLastError ();
  *detail = g_strdup_printf ("it sees the same path as volume '%s' of pool '%s'",
                             virStorageVolGetName (vol),
                             pool ? virStoragePoolGetName (pool) : "?");
  return KVMMIG_CHECK_STATUS_PASSED;
}

static KvmmigCheckStatus
find_pool_volume (virConnectPtr           conn,
                  const KvmmigDiskSource *disk,
                  char                  **detail)
{
  g_autoptr(virStoragePool) pool = virStoragePoolLookupByName (conn, disk->pool);
  g_autoptr(virStorageVol) vol = NULL;

  if (pool != NULL)
    {
      virStoragePoolRefresh (pool, 0);
      vol = virStorageVolLookupByName (pool, disk->volume);
    }
  virResetLastError ();

  if (vol == NULL)
    {
      *detail = g_strdup_printf ("it has no volume '%s' in a pool '%s'",
                                 disk->volume, disk->pool);
      return KVMMIG_CHECK_STATUS_FAILED;
    }

  *detail = g_strdup_printf ("it has volume '%s' in pool '%s'", disk->volume, disk->pool);
  return KVMMIG_CHECK_STATUS_PASSED;
}

KvmmigCheckStatus
_kvmmig_storage_find_disk (virConnectPtr           conn,
                           const KvmmigDiskSource *disk,
                           char                  **detail)
{
  if (g_strcmp0 (disk->type, "network") == 0)
    {
      if (g_strcmp0 (disk->protocol, "iscsi") == 0)
        return find_iscsi_disk (conn, disk, detail);

      *detail = g_strdup_printf ("reachability of %s disks is not verified",
                                 disk->protocol ? disk->protocol : "network");
      return KVMMIG_CHECK_STATUS_WARNING;
    }

  if (g_strcmp0 (disk->type, "volume") == 0)
    return find_pool_volume (conn, disk, detail);

  if (disk->path == NULL)
    {
      *detail = g_strdup ("it has no source");
      return KVMMIG_CHECK_STATUS_WARNING;
    }

  return find_path_disk (conn, disk, detail);
}

/* ------------------------------------------------------------------ */
/* After a migration: LVM on the source                                 */

gboolean
_kvmmig_uri_is_local (const char *uri)
{
  g_autoptr(GUri) parsed = uri ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host;

  if (parsed == NULL)
    return FALSE;

  host = g_uri_get_host (parsed);
  return host == NULL || *host == '\0' ||
         g_ascii_strcasecmp (host, "localhost") == 0 ||
         g_str_has_prefix (host, "127.") || g_str_equal (host, "::1");
}

/* The VG and LV of @disk on @source: through the source's libvirt pools
 * (a volume of a logical pool), or, when the source is this machine, by
 * asking LVM about a /dev/VG/LV path. */
static gboolean
disk_logical_volume (virConnectPtr           source,
                     gboolean                local,
                     const KvmmigDiskSource *disk,
                     char                  **vg,
                     char                  **lv)
{
  g_autoptr(virStoragePool) pool = NULL;
  g_autoptr(virStorageVol) vol = NULL;

  if (g_strcmp0 (disk->type, "volume") == 0 && disk->pool && disk->volume)
    {
      pool = virStoragePoolLookupByName (source, disk->pool);
      if (pool != NULL)
        vol = virStorageVolLookupByName (pool, disk->volume);
    }
  else if (g_strcmp0 (disk->type, "block") == 0 && disk->path)
    {
      vol = virStorageVolLookupByPath (source, disk->path);
      if (vol != NULL)
        pool = virStoragePoolLookupByVolume (vol);
    }
  virResetLastError ();

  if (pool != NULL && vol != NULL)
    {
      g_autofree char *pool_xml = virStoragePoolGetXMLDesc (pool, 0);
      g_auto(KvmmigXml) xml = { 0 };
      g_autofree char *type = NULL;

      if (_kvmmig_xml_parse (&xml, pool_xml) &&
          (type = _kvmmig_xml_string (&xml, NULL, "/pool/@type")) != NULL &&
          g_str_equal (type, "logical"))
        {
          *vg = _kvmmig_xml_string (&xml, NULL, "/pool/source/name");
          *lv = g_strdup (virStorageVolGetName (vol));
          return *vg != NULL && *lv != NULL;
        }
      return FALSE;
    }

  if (local && g_strcmp0 (disk->type, "block") == 0 && disk->path &&
      g_str_has_prefix (disk->path, "/dev/"))
    {
      g_auto(GStrv) parts = g_strsplit (disk->path + strlen ("/dev/"), "/", -1);
      g_autoptr(KvmmigLvmLv) found = NULL;

      if (g_strv_length (parts) != 2 || !_kvmmig_lvm_name_is_valid (parts[0]) ||
          !_kvmmig_lvm_name_is_valid (parts[1]))
        return FALSE;
      found = _kvmmig_lvm_lookup (parts[0], parts[1], NULL);
      if (found == NULL)
        return FALSE;
      *vg = g_strdup (parts[0]);
      *lv = g_strdup (parts[1]);
      return TRUE;
    }

  return FALSE;
}

GPtrArray *
_kvmmig_storage_release_lvs (virConnectPtr  source,
                             const char    *source_uri,
                             virConnectPtr  destination,
                             const char    *guest_name)
{
  GPtrArray *done = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(virDomain) domain = NULL;
  g_autoptr(GPtrArray) disks = NULL;
  g_autofree char *xml = NULL;
  gboolean local = _kvmmig_uri_is_local (source_uri);

  domain = virDomainLookupByName (destination, guest_name);
  if (domain != NULL)
    xml = virDomainGetXMLDesc (domain, 0);
  virResetLastError ();
  disks = _kvmmig_disk_sources_from_xml (xml);
  if (disks == NULL)
    return done;

  for (guint i = 0; i < disks->len; i++)
    {
      KvmmigDiskSource *disk = g_ptr_array_index (disks, i);
      g_autofree char *vg = NULL;
      g_autofree char *lv = NULL;
      g_autoptr(GError) error = NULL;

      if (disk->readonly || !disk_logical_volume (source, local, disk, &vg, &lv))
        continue;

      if (!local)
        g_ptr_array_add (done, g_strdup_printf (
          "%s: logical volume %s/%s (disk %s of guest '%s') stays active there: "
          "libvirt has no call to deactivate one logical volume of a remote host, "
          "and libkvmmig works on LVM only on the machine it runs on",
          source_uri, vg, lv, disk->target ? disk->target : "?", guest_name));
      else if (_kvmmig_lvm_deactivate (vg, lv, &error))
        g_ptr_array_add (done, g_strdup_printf (
          "%s: logical volume %s/%s (disk %s of guest '%s') deactivated on the "
          "source after the migration", source_uri, vg, lv,
          disk->target ? disk->target : "?", guest_name));
      else
        g_ptr_array_add (done, g_strdup_printf (
          "%s: logical volume %s/%s (disk %s of guest '%s') could NOT be "
          "deactivated on the source after the migration: %s", source_uri, vg, lv,
          disk->target ? disk->target : "?", guest_name, error->message));
    }

  return done;
}

void
_kvmmig_storage_after_migration (virConnectPtr  source,
                                 const char    *source_uri,
                                 virConnectPtr  destination,
                                 const char    *guest_name)
{
  g_autoptr(GPtrArray) done = _kvmmig_storage_release_lvs (source, source_uri,
                                                           destination, guest_name);

  for (guint i = 0; i < done->len; i++)
    {
      const char *line = g_ptr_array_index (done, i);

      if (strstr (line, "could NOT"))
        g_warning ("%s", line);
      else
        g_info ("%s", line);
    }
}
