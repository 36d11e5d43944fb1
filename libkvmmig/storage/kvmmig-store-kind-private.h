/* kvmmig-store-kind-private.h: the kinds of shared store, each a table of
 * operations: what differs between an iSCSI target reached by QEMU or by
 * the host, a volume group on a LUN or on a block device, a directory and
 * an NFS export. The rest of the store's code asks the table and never
 * branches on the kind.
 *
 * Adding a kind of store is adding one file, kvmmig-store-kind-NAME.c,
 * that defines a KvmmigStoreKindOps, and one entry for it in the table of
 * kvmmig-store-kind.c (plus its extern line below and its line in
 * libkvmmig/meson.build). A kind that users choose by a new
 * KvmmigStoreKind value also needs that value and its constructor in
 * kvmmig-shared-store.h/.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-store-private.h"
#include "kvmmig-volume-private.h"

G_BEGIN_DECLS

/* A kind's table is a designated initializer that names only what the kind
 * has: a member left out is FALSE, or NULL for a function or a string. */
struct _KvmmigStoreKindOps
{
  /* The variant's name, for readers of the table and debuggers. */
  const char *name;
  /* The public kind it is a variant of, and whether it is the variant for
   * @cfg (NULL: the only one for that kind). The table is searched in
   * order; the first match wins. */
  KvmmigStoreKind kind;
  gboolean (*matches) (const KvmmigStoreConfig *cfg);

  /* The libvirt type of the pool named after the store. */
  const char *pool_type;
  /* How guests reach the volumes (files are created sparse, as raw; block
   * volumes allocated in full), and whether volumes are made through
   * libvirt (FALSE: LUNs, made on the storage box). */
  KvmmigVolumeType volume_type;
  gboolean volumes_made_here;
  /* Whether CHAP credentials and a volume group apply. */
  gboolean chap;
  gboolean volume_group;

  /* The checks of the description that are particular to the kind: FALSE
   * with the problem in @problem. */
  gboolean (*validate) (const KvmmigStoreConfig  *cfg,
                        char                    **problem);
  /* Whether a host can reach the store as described (QEMU's initiator
   * gives a host no block device for a volume group); NULL: it can. */
  gboolean (*check_host) (const KvmmigStoreConfig  *cfg,
                          const char               *where,
                          GError                  **error);

  /* The kind that makes the pool under this one (the iSCSI pool under a
   * volume group on a LUN), or NULL for none. */
  const KvmmigStoreKindOps *(*transport) (const KvmmigStoreConfig *cfg);
  /* The initiator name a host logs in with (NULL: the host's own); NULL
   * for the kinds that log in to nothing. */
  char *(*initiator_iqn) (const KvmmigStoreConfig *cfg,
                          virConnectPtr            conn);
  /* Fills in the pool's XML below <name> and <source>. */
  void (*pool_xml) (const KvmmigStoreConfig *cfg,
                    xmlNodePtr               pool,
                    xmlNodePtr               source,
                    const char              *initiator_iqn);
  /* What the pool is on, for messages: "directory /srv/vm", ... */
  char *(*describe) (const KvmmigStoreConfig *cfg);
  /* Checked before the pool is started on a host; NULL: nothing. */
  gboolean (*before_start) (virConnectPtr             conn,
                            const char               *uri,
                            const KvmmigStoreConfig  *cfg,
                            GError                  **error);

  /* Fills @vi for a volume of the pool (strings it makes go to @keep);
   * FALSE to leave the volume out (LUN 0, the controller). */
  gboolean (*volume_info) (const KvmmigStoreConfig *cfg,
                           virStorageVolPtr         vol,
                           const virStorageVolInfo *info,
                           KvmmigVolumeInfo        *vi,
                           GPtrArray               *keep);
  /* Whether a guest's disk (not a pool volume) is on the store. */
  gboolean (*owns_disk) (const KvmmigStoreConfig *cfg,
                         const KvmmigDiskSource  *disk);
  /* The device format() makes the volume group on when none is given;
   * NULL: there is none. */
  char *(*format_device) (const KvmmigStoreConfig *cfg);
};

/* The kind of store @cfg describes, or NULL for an unknown kind. */
const KvmmigStoreKindOps *_kvmmig_store_kind_lookup (const KvmmigStoreConfig *cfg);

/* The kinds (one file each). */
extern const KvmmigStoreKindOps _kvmmig_store_kind_iscsi_direct;
extern const KvmmigStoreKindOps _kvmmig_store_kind_iscsi;
extern const KvmmigStoreKindOps _kvmmig_store_kind_logical_lun;
extern const KvmmigStoreKindOps _kvmmig_store_kind_logical_device;
extern const KvmmigStoreKindOps _kvmmig_store_kind_dir;
extern const KvmmigStoreKindOps _kvmmig_store_kind_netfs;

/* -- what several kinds share --------------------------------------- */

/* iSCSI targets (kvmmig-store-kind-iscsi.c). */
gboolean  _kvmmig_store_iscsi_validate      (const KvmmigStoreConfig  *cfg,
                                             char                    **problem);
const KvmmigStoreKindOps *_kvmmig_store_iscsi_for_initiator (const KvmmigStoreConfig *cfg);
void      _kvmmig_store_iscsi_pool_source   (const KvmmigStoreConfig *cfg,
                                             xmlNodePtr               source,
                                             const char              *initiator_iqn);
char     *_kvmmig_store_iscsi_describe      (const KvmmigStoreConfig *cfg);
gboolean  _kvmmig_store_iscsi_owns_disk     (const KvmmigStoreConfig *cfg,
                                             const KvmmigDiskSource  *disk);
/* /dev/disk/by-path/ip-HOST:PORT-iscsi-IQN-lun-, the LUN's devices. */
char     *_kvmmig_store_iscsi_by_path       (const KvmmigStoreConfig *cfg);

/* Block devices and files (kvmmig-store-kind.c). */
gboolean  _kvmmig_store_block_volume_info   (const KvmmigStoreConfig *cfg,
                                             virStorageVolPtr         vol,
                                             const virStorageVolInfo *info,
                                             KvmmigVolumeInfo        *vi,
                                             GPtrArray               *keep);
gboolean  _kvmmig_store_file_volume_info    (const KvmmigStoreConfig *cfg,
                                             virStorageVolPtr         vol,
                                             const virStorageVolInfo *info,
                                             KvmmigVolumeInfo        *vi,
                                             GPtrArray               *keep);
gboolean  _kvmmig_store_file_owns_disk      (const KvmmigStoreConfig *cfg,
                                             const KvmmigDiskSource  *disk);
/* <target><path>@path</path></target> under @pool. */
void      _kvmmig_store_pool_target         (xmlNodePtr               pool,
                                             const char              *path);

G_END_DECLS
