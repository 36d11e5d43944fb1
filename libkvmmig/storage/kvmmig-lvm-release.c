/* kvmmig-lvm-release.c: what is done to LVM on the source after a
 * migration: each logical volume the guest has as a disk is deactivated
 * there when the source is this machine, or left active, and said so,
 * when it is another host (see kvmmig-lvm-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-disk-private.h"
#include "kvmmig-lvm-private.h"
#include "kvmmig-pool-xml-private.h"

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
      g_autoptr(KvmmigPoolXml) def = _kvmmig_pool_xml_read (pool_xml, "a storage pool's definition",
                                                            NULL);

      if (def != NULL && g_strcmp0 (def->type, "logical") == 0)
        {
          *vg = g_steal_pointer (&def->source_name);
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
  g_autoptr(GError) xml_error = NULL;
  gboolean local = _kvmmig_uri_is_local (source_uri);

  domain = destination ? virDomainLookupByName (destination, guest_name) : NULL;
  if (domain != NULL)
    xml = virDomainGetXMLDesc (domain, 0);
  disks = xml ? _kvmmig_disk_sources_from_xml (xml, "its definition", &xml_error) : NULL;
  if (disks == NULL)
    {
      /* Said, not silent: its logical volumes stay active on the source. */
      g_autofree char *why = xml_error ? g_strdup (xml_error->message)
                             : destination ? _kvmmig_libvirt_take_message (NULL)
                             : g_strdup ("no connection to the destination");

      g_ptr_array_add (done, g_strdup_printf (
        "%s: the disks of guest '%s' could NOT be read on the destination after the "
        "migration (%s): no logical volume was released on the source", source_uri,
        guest_name, why));
      return done;
    }
  virResetLastError ();

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
      else if (_kvmmig_lvm_lv (KVMMIG_LV_DEACTIVATE, vg, lv, 0, &error))
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
