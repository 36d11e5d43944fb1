/* kvmmig-storage-private.h: what the shared store, its volumes, guest
 * definitions, the pre-flight checks and the migration run share about
 * storage: reading and writing libvirt XML safely (libxml2 trees, never
 * pasted strings), the disks of a guest, finding which pool of a host
 * holds a disk, and what is done to LVM after a migration.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "kvmmig-check.h"
#include "kvmmig-libvirt-private.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (virStoragePool, virStoragePoolFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virStorageVol, virStorageVolFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virSecret, virSecretFree)

/* libvirt-gconfig 4.0 declares no autoptr cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomain, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainOs, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainClock, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainDisk, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainDiskDriver, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainSerial, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainConsole, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainChardevSourcePty, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVol, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVolTarget, g_object_unref)

/* -- reading XML ---------------------------------------------------- */

typedef struct
{
  xmlDocPtr doc;
  xmlXPathContextPtr ctx;
} KvmmigXml;

void        _kvmmig_xml_clear   (KvmmigXml   *xml);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KvmmigXml, _kvmmig_xml_clear)

gboolean    _kvmmig_xml_parse   (KvmmigXml   *xml,
                                 const char  *text);
/* The string value of @expr at @node (or the root); NULL when empty. */
char       *_kvmmig_xml_string  (KvmmigXml   *xml,
                                 xmlNodePtr   node,
                                 const char  *expr);
/* The nodes matching @expr from the root (free with xmlXPathFreeObject). */
xmlXPathObjectPtr _kvmmig_xml_nodes (KvmmigXml *xml,
                                     const char *expr);

/* -- writing XML: libxml2 escapes every value ----------------------- */

/* A new element named @name with attributes given as NULL-terminated
 * name, value pairs (a NULL value skips the attribute). */
xmlNodePtr  _kvmmig_xml_element (xmlNodePtr   parent,
                                 const char  *name,
                                 ...) G_GNUC_NULL_TERMINATED;
/* A child element holding the text @text. */
xmlNodePtr  _kvmmig_xml_text    (xmlNodePtr   parent,
                                 const char  *name,
                                 const char  *text);
/* Serialises @root (and frees it). */
char       *_kvmmig_xml_take_string (xmlNodePtr root);
/* Adds a copy of @child_xml (one element) under the element of @xml that
 * @parent_expr names, and returns the new document's text. */
char       *_kvmmig_xml_insert  (const char  *xml,
                                 const char  *parent_expr,
                                 xmlNodePtr   child);

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
  gboolean readonly;
} KvmmigDiskSource;

void        _kvmmig_disk_source_free     (KvmmigDiskSource *disk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KvmmigDiskSource, _kvmmig_disk_source_free)

/* The disks (KvmmigDiskSource) of a domain definition; NULL if the XML
 * cannot be read. */
GPtrArray  *_kvmmig_disk_sources_from_xml (const char *domain_xml);
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

/* Whether two network hosts/ports are the same portal (the port defaults
 * to 3260 for iSCSI). */
gboolean    _kvmmig_same_portal        (const char *host_a,
                                        const char *port_a,
                                        const char *host_b,
                                        const char *port_b);

/* -- finding a disk's storage on a host (pre-flight, define_guest) -- */

/* Looks for the pool and volume of @conn that hold @disk, refreshing the
 * pools that may; PASSED when found, FAILED when @conn cannot see it,
 * WARNING when it cannot be verified. @detail says what was found. */
KvmmigCheckStatus _kvmmig_storage_find_disk (virConnectPtr           conn,
                                             const KvmmigDiskSource *disk,
                                             char                  **detail);

/* -- after a migration ---------------------------------------------- */

/* Whether a libvirt URI names the machine this library runs on. */
gboolean    _kvmmig_uri_is_local       (const char *uri);

/* After a successful migration of @guest_name from @source to
 * @destination: every disk of the guest that is an LVM logical volume is
 * deactivated on the source when the source is this machine (libblockdev);
 * otherwise what is not guarded is logged. Never fails the migration. */
void        _kvmmig_storage_after_migration (virConnectPtr  source,
                                             const char    *source_uri,
                                             virConnectPtr  destination,
                                             const char    *guest_name);

/* The same, returning one line per logical volume found: what was done. */
GPtrArray  *_kvmmig_storage_release_lvs (virConnectPtr  source,
                                         const char    *source_uri,
                                         virConnectPtr  destination,
                                         const char    *guest_name);

G_END_DECLS
