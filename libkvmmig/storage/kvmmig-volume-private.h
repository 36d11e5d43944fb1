/* kvmmig-volume-private.h: making KvmmigVolume snapshots (shared store)
 * and matching them against the disks of guests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-disk-private.h"
#include "kvmmig-volume.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  const char *key;
  guint64 capacity;
  guint64 allocation;
  KvmmigVolumeType type;
  const char *path;            /* file, block */
  const char *format;          /* raw, qcow2, ...; NULL = raw */
  const char *store_name;
  const char *pool_name;
  const char *host_uri;        /* NULL: read on this machine */
  /* network (iSCSI through QEMU's initiator) */
  const char *protocol;
  const char *net_host;
  const char *net_port;
  const char *net_name;        /* IQN/LUN */
  const char *auth_username;   /* CHAP user; the secret stays in libvirt */
  const char *auth_usage;      /* usage id of the host's libvirt secret */
  const char * const *guests;
} KvmmigVolumeInfo;

KvmmigVolume *_kvmmig_volume_new          (const KvmmigVolumeInfo *info);

/* Whether @disk (of a guest on the volume's host) is this volume. */
gboolean      _kvmmig_volume_matches_disk (KvmmigVolume           *self,
                                           const KvmmigDiskSource *disk);

/* The volume as a disk source, for the "is it visible here" lookups. */
KvmmigDiskSource *_kvmmig_volume_to_disk_source (KvmmigVolume *self);

/* The same volume with its list of guests replaced. */
KvmmigVolume *_kvmmig_volume_with_guests  (KvmmigVolume           *self,
                                           const char * const     *guests);

G_END_DECLS
