/* kvmmig-disk.c: the disks of a guest, read from its libvirt definition,
 * and finding on a host the storage pool and volume that hold a disk (see
 * kvmmig-disk-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-disk-private.h"
#include "kvmmig-pool-xml-private.h"
#include "kvmmig-portal-private.h"
#include "kvmmig-xml-private.h"

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
  g_free (disk->format);
  g_free (disk->backing_path);
  g_free (disk->backing_format);
  g_free (disk);
}

GPtrArray *
_kvmmig_disk_sources_from_xml (const char  *domain_xml,
                               const char  *what,
                               GError     **error)
{
  g_auto(KvmmigXml) xml = { 0 };
  GPtrArray *disks;
  xmlXPathObjectPtr nodes;

  if (!_kvmmig_xml_read (&xml, domain_xml, what, error))
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
      disk->format = _kvmmig_xml_string (&xml, node, "driver/@type");
      disk->backing_path = _kvmmig_xml_string (&xml, node, "backingStore/source/@file");
      if (disk->backing_path == NULL)
        disk->backing_path = _kvmmig_xml_string (&xml, node, "backingStore/source/@dev");
      disk->backing_format = _kvmmig_xml_string (&xml, node, "backingStore/format/@type");
      disk->shareable = _kvmmig_xml_exists (&xml, node, "shareable");
      disk->readonly = _kvmmig_xml_exists (&xml, node, "readonly") || disk->shareable;
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
          guest->disks = _kvmmig_disk_sources_from_xml (xml, "a guest's definition", NULL);
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
      g_autoptr(KvmmigPoolXml) def = NULL;
      g_autofree char *volname = NULL;
      g_autoptr(virStorageVol) vol = NULL;

      def = _kvmmig_pool_xml_read (pool_xml, "a storage pool's definition", NULL);
      if (def == NULL ||
          (g_strcmp0 (def->type, "iscsi-direct") != 0 && g_strcmp0 (def->type, "iscsi") != 0) ||
          !_kvmmig_same_portal (def->source_host, def->source_port, disk->host, disk->port) ||
          g_strcmp0 (def->source_device, iqn) != 0)
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
          g_autoptr(KvmmigPoolXml) def = _kvmmig_pool_xml_read (pool_xml, "a storage pool's definition",
                                                                NULL);

          if (def != NULL && def->target_path != NULL &&
              g_str_has_prefix (disk->path, def->target_path))
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
