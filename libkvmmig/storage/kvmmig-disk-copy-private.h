/* kvmmig-disk-copy-private.h: the disks a migration copies to a
 * destination that does not share them (KvmmigMigrationJob:copy-storage):
 * the plan that the pre-flight check "copy-storage" makes, disk by disk,
 * and what the run does with it on the hosts: create the missing volumes
 * on the destination before the migration, remove them again when it
 * fails or is cancelled, and remove the source's copies after it when the
 * caller asks.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-libvirt-private.h"

G_BEGIN_DECLS

/* One disk to copy. */
typedef struct
{
  char *target;          /* vda */
  char *disk_type;       /* the disk's type in the guest's XML: file, block, volume */
  char *source_path;     /* the disk's file or device on the source */
  char *source_pool;     /* a volume disk: its pool and volume on the source */
  char *source_volume;
  char *dest_path;       /* where it goes on the destination: the same path,
                          * or in copy-storage-pool when that pool's target
                          * is another directory */
  char *pool;            /* the destination's pool that holds dest_path */
  char *volume;          /* its volume name in that pool */
  char *format;          /* raw, qcow2, ... (the disk's driver type) */
  char *backing_path;    /* incremental copy: the backing image, which the
                          * destination has; NULL for a whole copy */
  char *backing_format;
  guint64 capacity;      /* bytes the guest sees */
  guint64 allocation;    /* bytes the source's image holds */
  gboolean exists;       /* already on the destination (reuse-destination-disks) */
  gboolean created;      /* created on the destination by this job */
} KvmmigDiskCopy;

KvmmigDiskCopy *_kvmmig_disk_copy_new  (void);
void            _kvmmig_disk_copy_free (KvmmigDiskCopy *copy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KvmmigDiskCopy, _kvmmig_disk_copy_free)

/* Whether the guest's definition must change for the destination: the
 * copy of the disk has another path there, or (a volume disk) another
 * pool or volume name. */
gboolean        _kvmmig_disk_copy_moves (const KvmmigDiskCopy *copy);

/* The domain XML @xml with each disk of @copies that moves pointed at its
 * copy on the destination: a file or block disk becomes a file disk at
 * the copy's path, a volume disk names the copy's pool and volume (pure).
 * NULL with a KvmmigError naming @what when @xml cannot be read, or when
 * @all_present and a disk that moves is not in it (the inactive definition
 * lacks the disks hot-plugged since the guest started). */
char           *_kvmmig_disk_copies_move (const char  *xml,
                                          GPtrArray   *copies,
                                          gboolean     all_present,
                                          const char  *what,
                                          GError     **error);

/* The XML of the volume that @copy creates in its pool (pure). */
char           *_kvmmig_disk_copy_volume_xml (const KvmmigDiskCopy *copy);

/* Creates, in its destination pool, each volume of @copies (KvmmigDiskCopy)
 * that is not there yet, and marks it created. FALSE with a KvmmigError
 * naming @uri, the pool and the volume at the first failure; the volumes
 * created before it stay created (marked) for
 * _kvmmig_disk_copies_remove_created(). */
gboolean        _kvmmig_disk_copies_create (virConnectPtr   conn,
                                            const char     *uri,
                                            GPtrArray      *copies,
                                            GError        **error);

/* Deletes every volume of @copies that this job created on the
 * destination, and unmarks it. Returns what could not be deleted, for the
 * job's message, or NULL when all went. */
char           *_kvmmig_disk_copies_remove_created (virConnectPtr  conn,
                                                    const char    *uri,
                                                    GPtrArray     *copies);

/* Deletes the source's volumes of @copies (after a migration that
 * succeeded, on request). Returns what was not deleted and why, or NULL. */
char           *_kvmmig_disk_copies_remove_sources (virConnectPtr  conn,
                                                    const char    *uri,
                                                    GPtrArray     *copies);

/* The disk targets of @copies (with @created_only, only those copied into
 * a volume the job creates without a backing image, which reads as
 * zeroes), NULL-terminated, for
 * VIR_MIGRATE_PARAM_MIGRATE_DISKS and _DETECT_ZEROES; NULL when @copies is
 * empty. */
char          **_kvmmig_disk_copies_targets (GPtrArray *copies,
                                             gboolean   created_only);

G_END_DECLS
