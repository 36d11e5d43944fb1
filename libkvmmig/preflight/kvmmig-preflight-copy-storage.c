/* kvmmig-preflight-copy-storage.c: the pre-flight check "copy-storage":
 * with KvmmigMigrationJob:copy-storage, which disks the migration copies
 * to the destination and where each goes, disk by disk; and that each can
 * go there: a pool of the destination to create it in, the space for it,
 * no file already in its place (unless the caller reuses it), a disk of a
 * kind that can be mirrored. It creates nothing: the run creates the
 * volumes of the plan it leaves in pf->copies.
 *
 * Which disks move: every writable disk with a source, except those on
 * storage both hosts see. A network disk that the destination reaches, or
 * a file or device that the destination has in a pool of a network kind
 * (netfs, iscsi, iscsi-direct, rbd, gluster), is shared and left where it
 * is. A file the destination has in a local pool (dir, fs, logical, disk)
 * is somebody's file at the same path, not the guest's disk: refused with
 * KVMMIG_ERROR_VOLUME_EXISTS, unless reuse-destination-disks. Read-only
 * disks and CD-ROMs are not copied (libvirt does not mirror them): the
 * check "storage" asks that the destination sees them.
 *
 * Where each goes: the destination's pool whose target path is the disk's
 * directory (the disk keeps its path), or the pool copy-storage-pool names;
 * a directory pool with another target path takes the disk under its file
 * name, and the run then gives libvirt the guest's definitions with that
 * disk moved (_kvmmig_disk_copies_move).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-pool-xml-private.h"
#include "kvmmig-preflight-check-private.h"

#define ID    "copy-storage"
#define TITLE "The destination can take the disks the job copies"

/* Pool types whose volumes every host that has the pool shares. */
static gboolean
pool_type_is_shared (const char *type)
{
  static const char *const shared[] = { "netfs", "iscsi", "iscsi-direct", "rbd", "gluster",
                                        "sheepdog", "vstorage", NULL };

  return type != NULL && g_strv_contains (shared, type);
}

static char *
mib (guint64 bytes)
{
  return g_strdup_printf ("%.1f MiB", bytes / (1024.0 * 1024.0));
}

/* The active pool of @conn named @name, or whose target path is @dir. */
static virStoragePoolPtr
find_pool (virConnectPtr       conn,
           const char         *name,
           const char         *dir,
           KvmmigPoolXml     **def_out)
{
  virStoragePoolPtr *pools = NULL;
  virStoragePoolPtr found = NULL;
  int n = virConnectListAllStoragePools (conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);

  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = found ? NULL : virStoragePoolGetXMLDesc (pools[i], 0);
      g_autoptr(KvmmigPoolXml) def = xml ? _kvmmig_pool_xml_read (xml, "a storage pool's definition",
                                                                   NULL) : NULL;

      if (found == NULL && def != NULL &&
          (name != NULL ? g_strcmp0 (def->name, name) == 0
                        : g_strcmp0 (def->target_path, dir) == 0))
        {
          found = pools[i];
          *def_out = g_steal_pointer (&def);
          continue;
        }
      virStoragePoolFree (pools[i]);
    }
  g_free (pools);
  virResetLastError ();
  return found;
}

/* The pool of @conn that has a volume at @path (refreshing the pools
 * whose target holds it), and that volume, with its pool's type and
 * name; NULL if none. */
static virStorageVolPtr
find_volume (virConnectPtr   conn,
             const char     *path,
             char          **pool_type,
             char          **pool_name)
{
  g_autoptr(virStoragePool) pool = NULL;
  g_autofree char *pool_xml = NULL;
  g_autoptr(KvmmigPoolXml) def = NULL;
  g_autofree char *detail = NULL;
  KvmmigDiskSource probe = { .type = (char *) "file", .path = (char *) path };
  virStorageVolPtr vol;

  /* Refreshes the pools that may hold it, as the check "storage" does. */
  if (_kvmmig_storage_find_disk (conn, &probe, &detail) != KVMMIG_CHECK_STATUS_PASSED)
    return NULL;
  vol = virStorageVolLookupByPath (conn, path);
  if (vol != NULL && (pool = virStoragePoolLookupByVolume (vol)) != NULL &&
      (pool_xml = virStoragePoolGetXMLDesc (pool, 0)) != NULL &&
      (def = _kvmmig_pool_xml_read (pool_xml, "a storage pool's definition", NULL)) != NULL)
    {
      *pool_type = g_strdup (def->type);
      if (pool_name != NULL)
        *pool_name = g_strdup (def->name);
    }
  virResetLastError ();
  return vol;
}

/* Plans the copy of one disk, or says why it cannot be copied: FALSE with
 * *@code and *@why. A shared disk: TRUE with no plan and *@note saying so. */
static gboolean
plan_disk (KvmmigPreflight         *pf,
           const KvmmigDiskSource  *disk,
           KvmmigDiskCopy         **plan,
           char                   **note,
           KvmmigError             *code,
           char                   **why)
{
  const KvmmigMigrationOptions *o = pf->in->options;
  virConnectPtr dconn = pf->in->destination;
  const char *duri = pf->in->destination_uri;
  g_autoptr(KvmmigDiskCopy) copy = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *there_type = NULL;
  g_autofree char *there_pool = NULL;
  g_autoptr(virStorageVol) there = NULL;
  g_autoptr(virStoragePool) pool = NULL;
  g_autoptr(KvmmigPoolXml) pool_def = NULL;
  virDomainBlockInfo info;
  virStoragePoolInfo pool_info;
  guint64 needed;

  /* A network disk is never copied: the destination's QEMU would open the
   * same source and the mirror would write it onto itself. One that the
   * destination cannot be shown to reach is left to the check "storage",
   * which warns. */
  if (g_strcmp0 (disk->type, "network") == 0)
    {
      if (_kvmmig_storage_find_disk (dconn, disk, &detail) != KVMMIG_CHECK_STATUS_FAILED)
        {
          *note = g_strdup_printf ("a network disk, shared, left where it is (%s)", detail);
          return TRUE;
        }
      *code = KVMMIG_ERROR_DISK_NOT_COPYABLE;
      *why = g_strdup_printf ("a %s network disk that %s does not reach (%s): libkvmmig "
                              "copies files and block devices only; make the destination "
                              "reach it", disk->protocol ? disk->protocol : "", duri, detail);
      return FALSE;
    }

  if (g_strcmp0 (disk->type, "dir") == 0)
    {
      *code = KVMMIG_ERROR_DISK_NOT_COPYABLE;
      *why = g_strdup ("a directory shown as a disk (type 'dir') cannot be mirrored");
      return FALSE;
    }

  if (g_strcmp0 (disk->type, "volume") == 0)
    {
      g_autoptr(virStoragePool) spool = virStoragePoolLookupByName (pf->in->source, disk->pool);
      g_autoptr(virStorageVol) svol = spool ? virStorageVolLookupByName (spool, disk->volume)
                                            : NULL;

      path = svol ? virStorageVolGetPath (svol) : NULL;
      virResetLastError ();
      if (path == NULL)
        {
          *code = KVMMIG_ERROR_DISK_NOT_COPYABLE;
          *why = g_strdup_printf ("volume '%s' of pool '%s' has no path on %s",
                                  disk->volume, disk->pool, pf->in->source_uri);
          return FALSE;
        }
    }
  else
    path = g_strdup (disk->path);

  /* What the destination has at that path. */
  there = find_volume (dconn, path, &there_type, &there_pool);
  if (there != NULL && pool_type_is_shared (there_type))
    {
      *note = g_strdup_printf ("shared (a volume of a %s pool there), left where it is",
                               there_type);
      return TRUE;
    }

  if (disk->shareable)
    {
      *code = KVMMIG_ERROR_DISK_NOT_COPYABLE;
      *why = g_strdup_printf ("a shareable disk, which other guests may use, and %s "
                              "does not see it: it cannot be copied", duri);
      return FALSE;
    }

  if (virDomainGetBlockInfo (pf->domain, disk->target, &info, 0) < 0)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);

      *code = KVMMIG_ERROR_DISK_NOT_COPYABLE;
      *why = g_strdup_printf ("its size could not be read on %s: %s", pf->in->source_uri,
                              msg ? msg : "libvirt gave no reason");
      return FALSE;
    }

  copy = _kvmmig_disk_copy_new ();
  copy->target = g_strdup (disk->target);
  copy->disk_type = g_strdup (disk->type);
  copy->source_path = g_strdup (path);
  copy->source_pool = g_strdup (disk->pool);
  copy->source_volume = g_strdup (disk->volume);
  copy->dest_path = g_strdup (path);
  copy->format = g_strdup (disk->format ? disk->format : "raw");
  copy->capacity = info.capacity;
  copy->allocation = info.allocation;

  if (o->copy_storage == KVMMIG_STORAGE_COPY_INCREMENTAL)
    {
      g_autoptr(virStorageVol) backing = NULL;
      g_autofree char *backing_type = NULL;

      if (disk->backing_path == NULL)
        {
          *code = KVMMIG_ERROR_DISK_NOT_COPYABLE;
          *why = g_strdup ("it has no backing image: an incremental copy would copy it "
                           "whole; use copy-storage ALL");
          return FALSE;
        }
      backing = find_volume (dconn, disk->backing_path, &backing_type, NULL);
      if (backing == NULL)
        {
          *code = KVMMIG_ERROR_DISK_NOT_COPYABLE;
          *why = g_strdup_printf ("its backing image %s is not in a storage pool of %s: an "
                                  "incremental copy copies only the top image; put the "
                                  "backing image there first, or use copy-storage ALL",
                                  disk->backing_path, duri);
          return FALSE;
        }
      copy->backing_path = g_strdup (disk->backing_path);
      copy->backing_format = g_strdup (disk->backing_format ? disk->backing_format : "raw");
    }

  /* A named pool whose target is another directory: the disk moves
   * there (a file of the same name), and the guest's definition on the
   * destination follows it. What is at the old path there is not ours. */
  dir = g_path_get_dirname (path);
  if (o->copy_storage_pool != NULL)
    {
      pool = find_pool (dconn, o->copy_storage_pool, NULL, &pool_def);
      if (pool == NULL)
        {
          *code = KVMMIG_ERROR_NO_STORAGE_POOL;
          *why = g_strdup_printf ("%s has no active storage pool '%s' (copy-storage-pool)",
                                  duri, o->copy_storage_pool);
          return FALSE;
        }
      if (g_strcmp0 (pool_def->target_path, dir) != 0)
        {
          g_autofree char *base = g_path_get_basename (path);

          if (g_strcmp0 (pool_def->type, "dir") != 0 || pool_def->target_path == NULL)
            {
              *code = KVMMIG_ERROR_NO_STORAGE_POOL;
              *why = g_strdup_printf ("pool '%s' of %s is a %s pool with target path %s, not "
                                      "%s: a disk copied to another path goes into a "
                                      "directory pool only", pool_def->name, duri,
                                      pool_def->type ? pool_def->type : "(typeless)",
                                      pool_def->target_path ? pool_def->target_path : "(none)",
                                      dir);
              return FALSE;
            }
          g_free (copy->dest_path);
          copy->dest_path = g_build_filename (pool_def->target_path, base, NULL);
          g_clear_pointer (&there, virStorageVolFree);
          g_clear_pointer (&there_type, g_free);
          g_clear_pointer (&there_pool, g_free);
          there = find_volume (dconn, copy->dest_path, &there_type, &there_pool);
        }
    }

  if (there != NULL)
    {
      virStorageVolInfo vinfo;

      if (!o->reuse_destination_disks)
        {
          *code = KVMMIG_ERROR_VOLUME_EXISTS;
          *why = g_strdup_printf ("%s already has a file at %s (a volume of a local %s pool): "
                                  "remove it, or set reuse-destination-disks to copy over it "
                                  "(if that path is storage both hosts share, copy-storage "
                                  "must be NONE)", duri, copy->dest_path,
                                  there_type ? there_type : "");
          return FALSE;
        }
      if (virStorageVolGetInfo (there, &vinfo) == 0 && vinfo.capacity < copy->capacity)
        {
          g_autofree char *has = mib (vinfo.capacity);
          g_autofree char *wants = mib (copy->capacity);

          *code = KVMMIG_ERROR_NO_SPACE;
          *why = g_strdup_printf ("the file at %s on %s holds %s, less than the disk's %s",
                                  copy->dest_path, duri, has, wants);
          return FALSE;
        }
      virResetLastError ();
      copy->exists = TRUE;
      copy->pool = g_steal_pointer (&there_pool);
      copy->volume = g_path_get_basename (copy->dest_path);
      *note = g_strdup_printf ("copied over the file already at %s (reuse-destination-disks)",
                               copy->dest_path);
      *plan = g_steal_pointer (&copy);
      return TRUE;
    }

  /* A new volume: in the named pool, or the one whose target is its
   * directory, so that the disk keeps its path. */
  if (pool == NULL)
    pool = find_pool (dconn, NULL, dir, &pool_def);
  if (pool == NULL)
    {
      *code = KVMMIG_ERROR_NO_STORAGE_POOL;
      *why = g_strdup_printf ("%s has no active storage pool with target path %s to create "
                              "it in: define one (virsh pool-define-as NAME dir --target %s; "
                              "pool-build; pool-start), or name one in copy-storage-pool",
                              duri, dir, dir);
      return FALSE;
    }

  needed = copy->backing_path != NULL ? copy->allocation : MAX (copy->allocation, 1);
  if (virStoragePoolGetInfo (pool, &pool_info) < 0)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);

      *code = KVMMIG_ERROR_NO_SPACE;
      *why = g_strdup_printf ("the free space of pool '%s' on %s could not be read: %s",
                              pool_def->name, duri, msg ? msg : "libvirt gave no reason");
      return FALSE;
    }
  if (pool_info.available < needed)
    {
      g_autofree char *has = mib (pool_info.available);
      g_autofree char *wants = mib (needed);

      *code = KVMMIG_ERROR_NO_SPACE;
      *why = g_strdup_printf ("pool '%s' of %s has %s free; the disk holds %s on %s",
                              pool_def->name, duri, has, wants, pf->in->source_uri);
      return FALSE;
    }

  copy->pool = g_strdup (pool_def->name);
  copy->volume = g_path_get_basename (path);
  {
    g_autofree char *size = mib (copy->capacity);
    g_autofree char *held = mib (copy->allocation);
    gboolean moved = g_strcmp0 (copy->dest_path, path) != 0;

    *note = g_strdup_printf ("copied to a new %s volume '%s' of pool '%s' there (%s, %s "
                             "written%s%s%s%s)", copy->format, copy->volume, copy->pool, size,
                             held, copy->backing_path ? ", on backing image " : "",
                             copy->backing_path ? copy->backing_path : "",
                             moved ? "; the guest runs there from " : "",
                             moved ? copy->dest_path : "");
  }
  *plan = g_steal_pointer (&copy);
  return TRUE;
}

void
_kvmmig_preflight_check_copy_storage (KvmmigPreflight *pf)
{
  const KvmmigMigrationOptions *o = pf->in->options;
  g_autoptr(GString) plan = g_string_new (NULL);
  g_autoptr(GPtrArray) copies = NULL;

  if (o->copy_storage == KVMMIG_STORAGE_COPY_NONE)
    {
      _kvmmig_preflight_record (pf, ID, TITLE, KVMMIG_CHECK_STATUS_SKIPPED, 0,
                                "copy-storage is none: the guest's disks must be on storage "
                                "both hosts see (the check \"storage\")");
      return;
    }

  copies = g_ptr_array_new_with_free_func ((GDestroyNotify) _kvmmig_disk_copy_free);
  for (guint i = 0; i < pf->disks->len; i++)
    {
      KvmmigDiskSource *disk = g_ptr_array_index (pf->disks, i);
      g_autofree char *what = NULL;
      g_autofree char *note = NULL;
      g_autofree char *why = NULL;
      KvmmigDiskCopy *copy = NULL;
      KvmmigError code = KVMMIG_ERROR_FAILED;

      if (!_kvmmig_disk_source_has_source (disk))
        continue;
      what = _kvmmig_disk_source_describe (disk);
      if ((disk->readonly && !disk->shareable) || g_strcmp0 (disk->device, "cdrom") == 0 ||
          g_strcmp0 (disk->device, "floppy") == 0)
        {
          g_string_append_printf (plan, "%sdisk %s (%s): read-only, not copied (the "
                                  "destination must see it)", plan->len ? "; " : "",
                                  disk->target ? disk->target : "?", what);
          continue;
        }

      if (!plan_disk (pf, disk, &copy, &note, &code, &why))
        {
          _kvmmig_preflight_record (pf, ID, TITLE, KVMMIG_CHECK_STATUS_FAILED, code,
                                    "%s: disk %s (%s) of guest '%s' cannot be copied: %s",
                                    pf->in->destination_uri, disk->target ? disk->target : "?",
                                    what, pf->in->guest_name, why);
          return;
        }
      g_string_append_printf (plan, "%sdisk %s (%s): %s", plan->len ? "; " : "",
                              disk->target ? disk->target : "?", what, note);
      if (copy != NULL)
        g_ptr_array_add (copies, copy);
    }

  if (copies->len == 0)
    _kvmmig_preflight_record (pf, ID, TITLE, KVMMIG_CHECK_STATUS_WARNING, 0,
                              "%s: copy-storage is %s but no disk of guest '%s' needs a "
                              "copy%s%s", pf->in->destination_uri,
                              o->copy_storage == KVMMIG_STORAGE_COPY_ALL ? "all" : "incremental",
                              pf->in->guest_name, plan->len ? ": " : "", plan->str);
  else
    _kvmmig_preflight_record (pf, ID, TITLE, KVMMIG_CHECK_STATUS_PASSED, 0,
                              "%s (%s copy): %s", pf->in->destination_uri,
                              o->copy_storage == KVMMIG_STORAGE_COPY_ALL ? "whole"
                                                                         : "incremental",
                              plan->str);
  pf->copies = g_steal_pointer (&copies);
}
