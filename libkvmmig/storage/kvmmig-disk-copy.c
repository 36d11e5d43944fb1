/* kvmmig-disk-copy.c: the disks a migration copies, and their volumes on
 * the hosts (see kvmmig-disk-copy-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-disk-copy-private.h"
#include "kvmmig-error.h"
#include "kvmmig-xml-private.h"

KvmmigDiskCopy *
_kvmmig_disk_copy_new (void)
{
  return g_new0 (KvmmigDiskCopy, 1);
}

void
_kvmmig_disk_copy_free (KvmmigDiskCopy *copy)
{
  if (copy == NULL)
    return;
  g_free (copy->target);
  g_free (copy->disk_type);
  g_free (copy->source_path);
  g_free (copy->source_pool);
  g_free (copy->source_volume);
  g_free (copy->dest_path);
  g_free (copy->pool);
  g_free (copy->volume);
  g_free (copy->format);
  g_free (copy->backing_path);
  g_free (copy->backing_format);
  g_free (copy);
}

gboolean
_kvmmig_disk_copy_moves (const KvmmigDiskCopy *copy)
{
  if (g_strcmp0 (copy->source_path, copy->dest_path) != 0)
    return TRUE;
  return g_strcmp0 (copy->disk_type, "volume") == 0 && copy->pool != NULL &&
         (g_strcmp0 (copy->source_pool, copy->pool) != 0 ||
          g_strcmp0 (copy->source_volume, copy->volume) != 0);
}

/* Points the <disk> element @disk at the destination's copy @copy. */
static void
move_disk (KvmmigXml            *xml,
           xmlNodePtr            disk,
           const KvmmigDiskCopy *copy)
{
  g_autofree char *type = _kvmmig_xml_string (xml, disk, "string(@type)");
  xmlNodePtr source = NULL;

  for (xmlNodePtr n = disk->children; n != NULL && source == NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && xmlStrEqual (n->name, (const xmlChar *) "source"))
      source = n;
  if (source == NULL)
    source = _kvmmig_xml_element (disk, "source", NULL);

  /* A volume disk names the volume the job created or found there. */
  if (g_strcmp0 (type, "volume") == 0 && copy->pool != NULL && copy->volume != NULL)
    {
      xmlSetProp (source, (const xmlChar *) "pool", (const xmlChar *) copy->pool);
      xmlSetProp (source, (const xmlChar *) "volume", (const xmlChar *) copy->volume);
      return;
    }

  /* Else a file at the copy's path (in a directory pool), whatever the
   * disk was on the source. */
  xmlSetProp (disk, (const xmlChar *) "type", (const xmlChar *) "file");
  xmlUnsetProp (source, (const xmlChar *) "dev");
  xmlUnsetProp (source, (const xmlChar *) "pool");
  xmlUnsetProp (source, (const xmlChar *) "volume");
  xmlUnsetProp (source, (const xmlChar *) "mode");
  xmlSetProp (source, (const xmlChar *) "file", (const xmlChar *) copy->dest_path);
}

char *
_kvmmig_disk_copies_move (const char  *text,
                          GPtrArray   *copies,
                          gboolean     all_present,
                          const char  *what,
                          GError     **error)
{
  g_auto(KvmmigXml) xml = { 0 };
  xmlXPathObjectPtr disks;
  int n;

  if (!_kvmmig_xml_read (&xml, text, what, error))
    return NULL;
  disks = _kvmmig_xml_nodes (&xml, "/domain/devices/disk");
  n = disks && disks->nodesetval ? disks->nodesetval->nodeNr : 0;

  for (guint i = 0; copies != NULL && i < copies->len; i++)
    {
      KvmmigDiskCopy *copy = g_ptr_array_index (copies, i);
      xmlNodePtr found = NULL;

      if (!_kvmmig_disk_copy_moves (copy))
        continue;
      for (int k = 0; k < n && found == NULL; k++)
        {
          xmlNodePtr disk = disks->nodesetval->nodeTab[k];
          g_autofree char *target = _kvmmig_xml_string (&xml, disk, "string(target/@dev)");

          if (g_strcmp0 (target, copy->target) == 0)
            found = disk;
        }
      if (found != NULL)
        move_disk (&xml, found, copy);
      else if (all_present)
        {
          g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                       "%s has no disk %s to point at its copy %s", what, copy->target,
                       copy->dest_path);
          xmlXPathFreeObject (disks);
          return NULL;
        }
    }
  xmlXPathFreeObject (disks);
  return _kvmmig_xml_to_string (&xml);
}

char *
_kvmmig_disk_copy_volume_xml (const KvmmigDiskCopy *copy)
{
  xmlNodePtr volume = _kvmmig_xml_element (NULL, "volume", NULL);
  g_autofree char *capacity = g_strdup_printf ("%" G_GUINT64_FORMAT, copy->capacity);
  xmlNodePtr node;

  _kvmmig_xml_text (volume, "name", copy->volume);
  node = _kvmmig_xml_text (volume, "capacity", capacity);
  xmlNewProp (node, (const xmlChar *) "unit", (const xmlChar *) "bytes");
  /* Sparse: the copy writes what the source holds. */
  node = _kvmmig_xml_text (volume, "allocation", "0");
  xmlNewProp (node, (const xmlChar *) "unit", (const xmlChar *) "bytes");
  node = _kvmmig_xml_element (volume, "target", NULL);
  _kvmmig_xml_element (node, "format", "type", copy->format ? copy->format : "raw", NULL);
  if (copy->backing_path != NULL)
    {
      node = _kvmmig_xml_element (volume, "backingStore", NULL);
      _kvmmig_xml_text (node, "path", copy->backing_path);
      _kvmmig_xml_element (node, "format", "type",
                           copy->backing_format ? copy->backing_format : "raw", NULL);
    }
  return _kvmmig_xml_take_string (volume);
}

gboolean
_kvmmig_disk_copies_create (virConnectPtr   conn,
                            const char     *uri,
                            GPtrArray      *copies,
                            GError        **error)
{
  for (guint i = 0; copies != NULL && i < copies->len; i++)
    {
      KvmmigDiskCopy *copy = g_ptr_array_index (copies, i);
      g_autoptr(virStoragePool) pool = NULL;
      g_autoptr(virStorageVol) vol = NULL;
      g_autofree char *xml = NULL;
      g_autofree char *path = NULL;

      if (copy->exists || copy->created)
        continue;

      pool = virStoragePoolLookupByName (conn, copy->pool);
      if (pool != NULL)
        {
          xml = _kvmmig_disk_copy_volume_xml (copy);
          vol = virStorageVolCreateXML (pool, xml, 0);
        }
      if (vol == NULL)
        {
          g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);

          g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                       "%s: could not create volume '%s' (%s, %" G_GUINT64_FORMAT
                       " bytes) in pool '%s' for disk %s: %s", uri, copy->volume,
                       copy->format ? copy->format : "raw", copy->capacity, copy->pool,
                       copy->target, msg ? msg : "libvirt gave no reason");
          return FALSE;
        }
      copy->created = TRUE;

      /* The pre-flight check predicted the path from the pool's target;
       * a pool that puts it elsewhere would give the guest another disk. */
      path = virStorageVolGetPath (vol);
      virResetLastError ();
      if (g_strcmp0 (path, copy->dest_path) != 0)
        {
          g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                       "%s: pool '%s' created volume '%s' at %s, not at %s where disk %s "
                       "of the guest must be", uri, copy->pool, copy->volume,
                       path ? path : "an unknown path", copy->dest_path, copy->target);
          return FALSE;
        }
      g_debug ("%s: created volume '%s' in pool '%s' for disk %s (%s)", uri, copy->volume,
               copy->pool, copy->target, copy->dest_path);
    }
  return TRUE;
}

/* Deletes the volume at @path on @conn; FALSE with *@why when it cannot. */
static gboolean
delete_path (virConnectPtr   conn,
             const char     *path,
             char          **why)
{
  g_autoptr(virStorageVol) vol = virStorageVolLookupByPath (conn, path);

  if (vol == NULL || virStorageVolDelete (vol, 0) < 0)
    {
      *why = _kvmmig_libvirt_take_message (NULL);
      if (*why == NULL)
        *why = g_strdup ("libvirt gave no reason");
      return FALSE;
    }
  return TRUE;
}

/* Deletes, on @conn, the volume of each copy (only those the job created
 * with @created_only): the source's copy with @source, else the
 * destination's, which it then unmarks as created. Returns the paths it
 * could not delete and why, or NULL. */
static char *
delete_copies (virConnectPtr    conn,
               GPtrArray       *copies,
               gboolean         created_only,
               gboolean         source)
{
  g_autoptr(GString) failed = g_string_new (NULL);

  for (guint i = 0; copies != NULL && i < copies->len; i++)
    {
      KvmmigDiskCopy *copy = g_ptr_array_index (copies, i);
      const char *path = source ? copy->source_path : copy->dest_path;
      g_autofree char *why = NULL;

      if (created_only && !copy->created)
        continue;
      if (conn != NULL && delete_path (conn, path, &why))
        {
          if (!source)
            copy->created = FALSE;
          g_debug ("removed %s, the %s's copy of disk %s", path,
                   source ? "source" : "destination", copy->target);
          continue;
        }
      g_string_append_printf (failed, "%s%s (%s)", failed->len ? ", " : "", path,
                              why ? why : "no connection to the host");
    }
  return failed->len ? g_strdup (failed->str) : NULL;
}

char *
_kvmmig_disk_copies_remove_created (virConnectPtr  conn,
                                    const char    *uri,
                                    GPtrArray     *copies)
{
  g_autofree char *failed = delete_copies (conn, copies, TRUE, FALSE);

  if (failed == NULL)
    return NULL;
  return g_strdup_printf ("%s: the volumes created for the copy could not be removed: %s",
                          uri, failed);
}

char *
_kvmmig_disk_copies_remove_sources (virConnectPtr  conn,
                                    const char    *uri,
                                    GPtrArray     *copies)
{
  g_autofree char *failed = delete_copies (conn, copies, FALSE, TRUE);

  if (failed == NULL)
    return NULL;
  return g_strdup_printf ("%s: the source's copies of the disks were kept: %s", uri, failed);
}

char **
_kvmmig_disk_copies_targets (GPtrArray *copies,
                             gboolean   created_only)
{
  char **targets;
  guint n = 0;

  if (copies == NULL || copies->len == 0)
    return NULL;
  targets = g_new0 (char *, copies->len + 1);
  for (guint i = 0; i < copies->len; i++)
    {
      KvmmigDiskCopy *copy = g_ptr_array_index (copies, i);

      /* A volume on a backing image reads as that image, not as zeroes:
       * a zero block written there as "zeroes" could be unmapped and
       * show the backing image's data. */
      if (!created_only || (!copy->exists && copy->backing_path == NULL))
        targets[n++] = g_strdup (copy->target);
    }
  return targets;
}
