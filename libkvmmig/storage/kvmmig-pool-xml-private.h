/* kvmmig-pool-xml-private.h: reading the storage XML a host sends: a
 * pool's definition (virStoragePoolGetXMLDesc), a volume's
 * (virStorageVolGetXMLDesc) and the pool sources libvirt finds
 * (virConnectFindStoragePoolSources). Pure: strings in, structs or a
 * KvmmigError out (tests/fuzz/fuzz-pool-xml.c fuzzes them).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the library reads of a pool's definition; NULL where it has none. */
typedef struct
{
  char *type;           /* /pool/@type: dir, netfs, iscsi, logical, ... */
  char *name;           /* /pool/name */
  char *source_host;    /* /pool/source/host/@name */
  char *source_port;    /* /pool/source/host/@port */
  char *source_device;  /* /pool/source/device/@path: an iSCSI target's IQN, a disk */
  char *source_dir;     /* /pool/source/dir/@path: an NFS export */
  char *source_name;    /* /pool/source/name: a logical pool's volume group */
  char *target_path;    /* /pool/target/path */
} KvmmigPoolXml;

void           _kvmmig_pool_xml_free (KvmmigPoolXml *pool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KvmmigPoolXml, _kvmmig_pool_xml_free)

/* @xml, a pool's definition that @what names ("the definition of storage
 * pool 'p' on qemu:///system"), read; NULL with a KvmmigError when it is
 * not XML. */
KvmmigPoolXml *_kvmmig_pool_xml_read          (const char  *xml,
                                               const char  *what,
                                               GError     **error);

/* The format of a volume (/volume/target/format/@type) from its XML, in
 * @format (NULL when it gives none); FALSE with a KvmmigError when the
 * XML cannot be read. */
gboolean       _kvmmig_volume_xml_read_format (const char  *xml,
                                               const char  *what,
                                               char       **format,
                                               GError     **error);

/* The names of the sources (/sources/source/name: volume groups, for a
 * logical pool) of libvirt's pool source discovery; NULL with a
 * KvmmigError when the XML cannot be read. */
GStrv          _kvmmig_pool_sources_read      (const char  *xml,
                                               const char  *what,
                                               GError     **error);

G_END_DECLS
