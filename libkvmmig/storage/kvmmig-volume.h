/* kvmmig-volume.h: KvmmigVolume, one volume of a shared store (a LUN, a
 * logical volume, a file) as a host sees it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(KVMMIG_INSIDE) && !defined(KVMMIG_COMPILATION)
#error "Only <libkvmmig/kvmmig.h> can be included directly."
#endif

#include <glib-object.h>

#include "kvmmig-types.h"
#include "kvmmig-version-macros.h"

G_BEGIN_DECLS

/**
 * KvmmigVolumeType:
 * @KVMMIG_VOLUME_TYPE_FILE: a file on a shared file system (a directory
 *   or NFS store); guests reach it by its path
 * @KVMMIG_VOLUME_TYPE_BLOCK: a block device every host sees at the same
 *   path (a logical volume, or a LUN logged in by the host's initiator)
 * @KVMMIG_VOLUME_TYPE_NETWORK: a LUN that QEMU reaches itself over the
 *   network (iSCSI with QEMU's initiator); the host sees no device
 *
 * How guests reach a [class@Kvmmig.Volume].
 *
 * Since: 0.1
 */
typedef enum {
  KVMMIG_VOLUME_TYPE_FILE,
  KVMMIG_VOLUME_TYPE_BLOCK,
  KVMMIG_VOLUME_TYPE_NETWORK,
} KvmmigVolumeType;

#define KVMMIG_TYPE_VOLUME (kvmmig_volume_get_type ())

KVMMIG_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (KvmmigVolume, kvmmig_volume, KVMMIG, VOLUME, GObject)

KVMMIG_AVAILABLE_IN_ALL
const char         *kvmmig_volume_get_name        (KvmmigVolume *self);
KVMMIG_AVAILABLE_IN_ALL
const char         *kvmmig_volume_get_key         (KvmmigVolume *self);
KVMMIG_AVAILABLE_IN_ALL
guint64             kvmmig_volume_get_capacity    (KvmmigVolume *self);
KVMMIG_AVAILABLE_IN_ALL
guint64             kvmmig_volume_get_allocation  (KvmmigVolume *self);
KVMMIG_AVAILABLE_IN_ALL
KvmmigVolumeType    kvmmig_volume_get_volume_type (KvmmigVolume *self);
KVMMIG_AVAILABLE_IN_ALL
const char         *kvmmig_volume_get_source      (KvmmigVolume *self);
KVMMIG_AVAILABLE_IN_ALL
const char         *kvmmig_volume_get_path        (KvmmigVolume *self);
KVMMIG_AVAILABLE_IN_ALL
const char         *kvmmig_volume_get_format      (KvmmigVolume *self);
KVMMIG_AVAILABLE_IN_ALL
const char         *kvmmig_volume_get_store_name  (KvmmigVolume *self);
KVMMIG_AVAILABLE_IN_ALL
const char         *kvmmig_volume_get_host_uri    (KvmmigVolume *self);
KVMMIG_AVAILABLE_IN_ALL
const char * const *kvmmig_volume_get_guests      (KvmmigVolume *self);
KVMMIG_AVAILABLE_IN_ALL
gboolean            kvmmig_volume_is_in_use       (KvmmigVolume *self);

KVMMIG_AVAILABLE_IN_ALL
char               *kvmmig_volume_to_disk_xml     (KvmmigVolume *self,
                                                   const char   *target_dev);

G_END_DECLS
