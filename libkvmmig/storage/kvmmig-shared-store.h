/* kvmmig-shared-store.h: KvmmigSharedStore, the storage that the hosts of
 * a migration cluster share (an iSCSI target, optionally with an LVM
 * volume group on its LUN; a shared directory; an NFS export; a shared
 * block device with a volume group), attached to hosts as libvirt pools.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(KVMMIG_INSIDE) && !defined(KVMMIG_COMPILATION)
#error "Only <libkvmmig/kvmmig.h> can be included directly."
#endif

#include <gio/gio.h>

#include "kvmmig-host.h"
#include "kvmmig-store-visibility.h"
#include "kvmmig-types.h"
#include "kvmmig-version-macros.h"
#include "kvmmig-volume.h"

G_BEGIN_DECLS

/**
 * KvmmigStoreKind:
 * @KVMMIG_STORE_KIND_ISCSI: an iSCSI target (portal and IQN), its LUNs as
 *   volumes, or the logical volumes of a volume group on one of its LUNs
 * @KVMMIG_STORE_KIND_DIRECTORY: a directory that every host sees at the
 *   same path (a cluster file system, or a mount made outside libvirt);
 *   files as volumes
 * @KVMMIG_STORE_KIND_NFS: an NFS export that libvirt mounts on each host;
 *   files as volumes
 * @KVMMIG_STORE_KIND_BLOCK_DEVICE: a block device every host sees at the
 *   same path (a Fibre Channel or SAS LUN, a multipath device, an iSCSI LUN
 *   the hosts log in to themselves) holding an LVM volume group; its
 *   logical volumes as volumes
 *
 * What a [class@Kvmmig.SharedStore] is made of.
 *
 * Since: 0.1
 */
typedef enum {
  KVMMIG_STORE_KIND_ISCSI,
  KVMMIG_STORE_KIND_DIRECTORY,
  KVMMIG_STORE_KIND_NFS,
  KVMMIG_STORE_KIND_BLOCK_DEVICE,
} KvmmigStoreKind;

/**
 * KvmmigIscsiInitiator:
 * @KVMMIG_ISCSI_INITIATOR_QEMU: QEMU's own initiator (libiscsi) reaches the
 *   LUNs; the host logs in to nothing (libvirt `iscsi-direct` pools). The
 *   hosts see no block device, so a volume group on a LUN is not possible
 * @KVMMIG_ISCSI_INITIATOR_HOST: the host's initiator (open-iscsi) logs in
 *   and the LUNs are block devices of the host (libvirt `iscsi` pools);
 *   needed for a volume group on a LUN
 *
 * Which iSCSI initiator of a host reaches an iSCSI store.
 *
 * Since: 0.1
 */
typedef enum {
  KVMMIG_ISCSI_INITIATOR_QEMU,
  KVMMIG_ISCSI_INITIATOR_HOST,
} KvmmigIscsiInitiator;

#define KVMMIG_TYPE_SHARED_STORE (kvmmig_shared_store_get_type ())

KVMMIG_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (KvmmigSharedStore, kvmmig_shared_store, KVMMIG, SHARED_STORE, GObject)

KVMMIG_AVAILABLE_IN_ALL
KvmmigSharedStore   *kvmmig_shared_store_new_iscsi        (const char *name,
                                                           const char *portal,
                                                           const char *target_iqn);
KVMMIG_AVAILABLE_IN_ALL
KvmmigSharedStore   *kvmmig_shared_store_new_directory    (const char *name,
                                                           const char *path);
KVMMIG_AVAILABLE_IN_ALL
KvmmigSharedStore   *kvmmig_shared_store_new_nfs          (const char *name,
                                                           const char *server,
                                                           const char *export_path,
                                                           const char *mount_point);
KVMMIG_AVAILABLE_IN_ALL
KvmmigSharedStore   *kvmmig_shared_store_new_block_device (const char *name,
                                                           const char *device,
                                                           const char *volume_group);

KVMMIG_AVAILABLE_IN_ALL
const char          *kvmmig_shared_store_get_name          (KvmmigSharedStore *self);
KVMMIG_AVAILABLE_IN_ALL
KvmmigStoreKind      kvmmig_shared_store_get_kind          (KvmmigSharedStore *self);
KVMMIG_AVAILABLE_IN_ALL
const char          *kvmmig_shared_store_get_portal        (KvmmigSharedStore *self);
KVMMIG_AVAILABLE_IN_ALL
const char          *kvmmig_shared_store_get_target_iqn    (KvmmigSharedStore *self);
KVMMIG_AVAILABLE_IN_ALL
const char          *kvmmig_shared_store_get_path          (KvmmigSharedStore *self);
KVMMIG_AVAILABLE_IN_ALL
const char          *kvmmig_shared_store_get_nfs_server    (KvmmigSharedStore *self);
KVMMIG_AVAILABLE_IN_ALL
const char          *kvmmig_shared_store_get_nfs_export    (KvmmigSharedStore *self);

KVMMIG_AVAILABLE_IN_ALL
KvmmigIscsiInitiator kvmmig_shared_store_get_initiator     (KvmmigSharedStore   *self);
KVMMIG_AVAILABLE_IN_ALL
void                 kvmmig_shared_store_set_initiator     (KvmmigSharedStore   *self,
                                                            KvmmigIscsiInitiator initiator);
KVMMIG_AVAILABLE_IN_ALL
const char          *kvmmig_shared_store_get_initiator_iqn (KvmmigSharedStore *self);
KVMMIG_AVAILABLE_IN_ALL
void                 kvmmig_shared_store_set_initiator_iqn (KvmmigSharedStore *self,
                                                            const char        *iqn);
KVMMIG_AVAILABLE_IN_ALL
const char          *kvmmig_shared_store_get_volume_group  (KvmmigSharedStore *self);
KVMMIG_AVAILABLE_IN_ALL
void                 kvmmig_shared_store_set_volume_group  (KvmmigSharedStore *self,
                                                            const char        *volume_group);
KVMMIG_AVAILABLE_IN_ALL
int                  kvmmig_shared_store_get_lun           (KvmmigSharedStore *self);
KVMMIG_AVAILABLE_IN_ALL
void                 kvmmig_shared_store_set_lun           (KvmmigSharedStore *self,
                                                            int                lun);
KVMMIG_AVAILABLE_IN_ALL
const char          *kvmmig_shared_store_get_chap_username (KvmmigSharedStore *self);
KVMMIG_AVAILABLE_IN_ALL
void                 kvmmig_shared_store_set_chap          (KvmmigSharedStore *self,
                                                            const char        *username,
                                                            const char        *secret);

/* Attaching to a host, detaching from it. */
KVMMIG_AVAILABLE_IN_ALL
gboolean             kvmmig_shared_store_attach            (KvmmigSharedStore    *self,
                                                            KvmmigHost           *host,
                                                            GCancellable         *cancellable,
                                                            GError              **error);
KVMMIG_AVAILABLE_IN_ALL
void                 kvmmig_shared_store_attach_async      (KvmmigSharedStore    *self,
                                                            KvmmigHost           *host,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
KVMMIG_AVAILABLE_IN_ALL
gboolean             kvmmig_shared_store_attach_finish     (KvmmigSharedStore    *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
KVMMIG_AVAILABLE_IN_ALL
gboolean             kvmmig_shared_store_detach            (KvmmigSharedStore    *self,
                                                            KvmmigHost           *host,
                                                            GCancellable         *cancellable,
                                                            GError              **error);
KVMMIG_AVAILABLE_IN_ALL
void                 kvmmig_shared_store_detach_async      (KvmmigSharedStore    *self,
                                                            KvmmigHost           *host,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
KVMMIG_AVAILABLE_IN_ALL
gboolean             kvmmig_shared_store_detach_finish     (KvmmigSharedStore    *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Do all hosts see the same volumes? */
KVMMIG_AVAILABLE_IN_ALL
KvmmigStoreVisibility *kvmmig_shared_store_check_visibility        (KvmmigSharedStore   *self,
                                                                    GPtrArray           *hosts,
                                                                    GCancellable        *cancellable,
                                                                    GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void                   kvmmig_shared_store_check_visibility_async  (KvmmigSharedStore   *self,
                                                                    GPtrArray           *hosts,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
KvmmigStoreVisibility *kvmmig_shared_store_check_visibility_finish (KvmmigSharedStore   *self,
                                                                    GAsyncResult        *result,
                                                                    GError             **error);

/* Volumes. */
KVMMIG_AVAILABLE_IN_ALL
GListModel          *kvmmig_shared_store_list_volumes        (KvmmigSharedStore   *self,
                                                              KvmmigHost          *host,
                                                              GCancellable        *cancellable,
                                                              GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void                 kvmmig_shared_store_list_volumes_async  (KvmmigSharedStore   *self,
                                                              KvmmigHost          *host,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
GListModel          *kvmmig_shared_store_list_volumes_finish (KvmmigSharedStore   *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

KVMMIG_AVAILABLE_IN_ALL
KvmmigVolume        *kvmmig_shared_store_lookup_volume        (KvmmigSharedStore   *self,
                                                               KvmmigHost          *host,
                                                               const char          *name,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void                 kvmmig_shared_store_lookup_volume_async  (KvmmigSharedStore   *self,
                                                               KvmmigHost          *host,
                                                               const char          *name,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
KvmmigVolume        *kvmmig_shared_store_lookup_volume_finish (KvmmigSharedStore   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

KVMMIG_AVAILABLE_IN_ALL
KvmmigVolume        *kvmmig_shared_store_create_volume        (KvmmigSharedStore   *self,
                                                               KvmmigHost          *host,
                                                               const char          *name,
                                                               guint64              capacity,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void                 kvmmig_shared_store_create_volume_async  (KvmmigSharedStore   *self,
                                                               KvmmigHost          *host,
                                                               const char          *name,
                                                               guint64              capacity,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
KvmmigVolume        *kvmmig_shared_store_create_volume_finish (KvmmigSharedStore   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

KVMMIG_AVAILABLE_IN_ALL
gboolean             kvmmig_shared_store_delete_volume        (KvmmigSharedStore   *self,
                                                               KvmmigHost          *host,
                                                               const char          *name,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void                 kvmmig_shared_store_delete_volume_async  (KvmmigSharedStore   *self,
                                                               KvmmigHost          *host,
                                                               const char          *name,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
gboolean             kvmmig_shared_store_delete_volume_finish (KvmmigSharedStore   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

KVMMIG_AVAILABLE_IN_ALL
KvmmigVolume        *kvmmig_shared_store_resize_volume        (KvmmigSharedStore   *self,
                                                               KvmmigHost          *host,
                                                               const char          *name,
                                                               guint64              capacity,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void                 kvmmig_shared_store_resize_volume_async  (KvmmigSharedStore   *self,
                                                               KvmmigHost          *host,
                                                               const char          *name,
                                                               guint64              capacity,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
KvmmigVolume        *kvmmig_shared_store_resize_volume_finish (KvmmigSharedStore   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

/* LVM on this machine. */
KVMMIG_AVAILABLE_IN_ALL
gboolean             kvmmig_shared_store_format               (KvmmigSharedStore   *self,
                                                               const char          *device,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
KVMMIG_AVAILABLE_IN_ALL
void                 kvmmig_shared_store_format_async         (KvmmigSharedStore   *self,
                                                               const char          *device,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
KVMMIG_AVAILABLE_IN_ALL
gboolean             kvmmig_shared_store_format_finish        (KvmmigSharedStore   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

G_END_DECLS
