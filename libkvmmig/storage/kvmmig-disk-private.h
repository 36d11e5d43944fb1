/* kvmmig-disk-private.h: the disks of a guest as its libvirt definition
 * gives them, the disks of every guest of a host, and finding which pool
 * and volume of a host hold a disk (pre-flight, define_guest).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-check.h"
#include "kvmmig-libvirt-private.h"

G_BEGIN_DECLS

/* -- the disks of a guest ------------------------------------------- */

typedef struct
{
  char *type;      /* file, block, network, volume */
  char *device;    /* disk, cdrom, ... */
  char *target;    /* vda */
  char *path;      /* file, block */
  char *protocol;  /* network */
  char *name;      /* network: IQN/LUN, ... */
  char *host;
  char *port;
  char *pool;      /* volume */
  char *volume;
  char *cache;
  gboolean readonly;   /* <readonly/> or <shareable/> */
  gboolean shareable;  /* <shareable/> */
  char *format;        /* driver/@type: raw, qcow2 */
  char *backing_path;  /* the first backing image, if the definition names one */
  char *backing_format;
} KvmmigDiskSource;

void        _kvmmig_disk_source_free     (KvmmigDiskSource *disk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KvmmigDiskSource, _kvmmig_disk_source_free)

/* The disks (KvmmigDiskSource) of a domain definition (the XML of
 * virDomainGetXMLDesc, which @what names: "the definition of guest 'vm1'
 * on qemu+ssh://a/system"); NULL with a KvmmigError if the XML cannot be
 * read. Pure: tests/fuzz/fuzz-domain-xml.c fuzzes it. */
GPtrArray  *_kvmmig_disk_sources_from_xml (const char  *domain_xml,
                                           const char  *what,
                                           GError     **error);
gboolean    _kvmmig_disk_source_has_source (const KvmmigDiskSource *disk);
char       *_kvmmig_disk_source_describe  (const KvmmigDiskSource *disk);

/* One guest of a host and its disks. */
typedef struct
{
  char *name;
  gboolean active;
  GPtrArray *disks;   /* KvmmigDiskSource */
} KvmmigGuestDisks;

void        _kvmmig_guest_disks_free   (KvmmigGuestDisks *guest);

/* Every guest of @conn (running or only defined) with its disks, or NULL
 * with an error naming @uri. */
GPtrArray  *_kvmmig_list_guest_disks   (virConnectPtr  conn,
                                        const char    *uri,
                                        GError       **error);

/* -- finding a disk's storage on a host (pre-flight, define_guest) -- */

/* Looks for the pool and volume of @conn that hold @disk, refreshing the
 * pools that may; PASSED when found, FAILED when @conn cannot see it,
 * WARNING when it cannot be verified. @detail says what was found. */
KvmmigCheckStatus _kvmmig_storage_find_disk (virConnectPtr           conn,
                                             const KvmmigDiskSource *disk,
                                             char                  **detail);

G_END_DECLS
