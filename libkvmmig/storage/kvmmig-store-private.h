/* kvmmig-store-private.h: what the files of KvmmigSharedStore share: the
 * snapshot of a store's description an operation works on, the
 * operations themselves (attach and detach, the volume calls, format,
 * visibility) and the runner that runs them inline or on a worker thread.
 * What differs between kinds of store is in kvmmig-store-kind-private.h.
 *
 *   kvmmig-shared-store.c   the GObject, its description and properties
 *   kvmmig-shared-store-operations.c  the public sync/_async/_finish calls
 *   kvmmig-store-config.c   the description: snapshot, validation, names
 *   kvmmig-store-pool.c     the pool and secret XML attach defines
 *   kvmmig-store-attach.c   attach and detach, with their undo log
 *   kvmmig-store-volumes.c  the volume calls, format, visibility
 *   kvmmig-store-runner.c   running an operation (sync or _async)
 *   kvmmig-store-kind*.c    one file per kind of store, and the table
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-disk-private.h"
#include "kvmmig-shared-store.h"
#include "kvmmig-xml-private.h"

G_BEGIN_DECLS

typedef struct _KvmmigStoreKindOps KvmmigStoreKindOps;

/* -- the description (kvmmig-store-config.c) ------------------------ */

/* A snapshot of a store's description: a setter called meanwhile does not
 * change an operation half-way. */
typedef struct
{
  char *name;
  KvmmigStoreKind kind;
  char *portal;
  char *portal_host;
  char *portal_port;
  char *target_iqn;
  KvmmigIscsiInitiator initiator;
  char *initiator_iqn;
  char *volume_group;
  int lun;
  char *chap_username;
  char *chap_secret;
  char *path;
  char *nfs_server;
  char *nfs_export;
  const KvmmigStoreKindOps *ops;   /* the kind of store; NULL if unknown */
} KvmmigStoreConfig;

/* Overwrites a CHAP secret before freeing it, and clears the pointer. */
void      _kvmmig_store_secret_clear (char **secret);

/* A copy of @src, every string duplicated. */
KvmmigStoreConfig *_kvmmig_store_config_copy (const KvmmigStoreConfig *src);
/* Frees the strings of @cfg (the secret overwritten first), not @cfg. */
void      _kvmmig_store_config_clear (KvmmigStoreConfig *cfg);
void      _kvmmig_store_config_free  (KvmmigStoreConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KvmmigStoreConfig, _kvmmig_store_config_free)

/* Fills in what the snapshot derives from the description: the portal's
 * host and port, and the kind's operations. */
void      _kvmmig_store_config_derive (KvmmigStoreConfig *cfg);

/* Checks the description; @where names the host or this machine. */
gboolean  _kvmmig_store_validate     (const KvmmigStoreConfig  *cfg,
                                      const char               *where,
                                      GError                  **error);

gboolean  _kvmmig_store_is_lvm       (const KvmmigStoreConfig *cfg);
/* "NAME-iscsi": the iSCSI pool under a volume group on a LUN. */
char     *_kvmmig_store_transport_pool_name (const KvmmigStoreConfig *cfg);
/* "libkvmmig/NAME": the usage id of the libvirt secret for CHAP. */
char     *_kvmmig_store_secret_usage (const KvmmigStoreConfig *cfg);

/* -- the pools and the secret attach defines (kvmmig-store-pool.c) -- */

/* One libvirt pool of the store on a host, and the kind that makes it. */
typedef struct
{
  const KvmmigStoreKindOps *ops;
  char *name;
} KvmmigStorePool;

/* The pools attach defines, in order: the iSCSI pool under a volume group
 * on a LUN, then the pool named after the store. */
GPtrArray *_kvmmig_store_pools       (const KvmmigStoreConfig *cfg);
char      *_kvmmig_store_pool_xml    (const KvmmigStoreConfig *cfg,
                                      const KvmmigStorePool   *pool,
                                      const char              *initiator_iqn);
char      *_kvmmig_store_secret_xml  (const KvmmigStoreConfig *cfg);
/* Whether an existing pool (its XML) is the one @wanted describes; if
 * not, @what says what it is. */
gboolean   _kvmmig_store_pool_matches (const char  *existing,
                                       const char  *wanted,
                                       char       **what);
/* The pool's persistent definition, or its live one. */
char      *_kvmmig_store_pool_definition (virStoragePoolPtr pool);

/* -- operations (kvmmig-store-runner.c) ----------------------------- */

typedef struct _KvmmigStoreOp KvmmigStoreOp;

/* What an operation does, and what it returns: TRUE, or a new GObject
 * (NULL with @error set on failure). */
typedef struct
{
  gpointer (*func) (KvmmigStoreOp  *op,
                    GCancellable   *cancellable,
                    GError        **error);
  gboolean boolean;
} KvmmigStoreOpClass;

struct _KvmmigStoreOp
{
  const KvmmigStoreOpClass *klass;
  KvmmigSharedStore *store;
  KvmmigStoreConfig *cfg;
  KvmmigHost *host;          /* NULL: this machine */
  GPtrArray *hosts;          /* check_visibility */
  char *name;                /* the volume */
  guint64 capacity;
  char *device;              /* format */
};

KvmmigStoreOp *_kvmmig_store_op_new  (KvmmigSharedStore        *self,
                                      KvmmigHost               *host,
                                      const KvmmigStoreOpClass *klass);
void      _kvmmig_store_op_free      (KvmmigStoreOp *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KvmmigStoreOp, _kvmmig_store_op_free)

/* Runs @op (consumed) on the calling thread. */
gpointer  _kvmmig_store_op_run       (KvmmigStoreOp  *op,
                                      GCancellable   *cancellable,
                                      GError        **error);
/* Runs @op (consumed) on a worker thread. */
void      _kvmmig_store_op_start     (KvmmigStoreOp       *op,
                                      gpointer             source_tag,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
/* Finishes an operation started by _kvmmig_store_op_start(): its object,
 * or for a boolean operation a non-NULL token for TRUE; NULL on error. */
gpointer  _kvmmig_store_op_finish    (KvmmigSharedStore  *self,
                                      GAsyncResult       *result,
                                      gpointer            source_tag,
                                      GError            **error);

/* The host's URI, or "this machine (HOST)". */
const char *_kvmmig_store_op_where   (KvmmigStoreOp *op);
/* Validates the description and refs the connection of the op's host. */
virConnectPtr _kvmmig_store_op_connect (KvmmigStoreOp  *op,
                                        GError        **error);
/* Whether the kind refuses to be reached from a host as described (then
 * with @error set). */
gboolean  _kvmmig_store_op_refused   (KvmmigStoreOp  *op,
                                      GError        **error);
/* _kvmmig_store_op_connect (), unless _kvmmig_store_op_refused (). */
virConnectPtr _kvmmig_store_op_reach (KvmmigStoreOp  *op,
                                      GError        **error);
/* Names the store in an error about this machine; returns NULL. */
gpointer  _kvmmig_store_op_name_store (KvmmigStoreOp  *op,
                                       GError        **error);

/* The operations (kvmmig-store-attach.c, kvmmig-store-volumes.c). */
extern const KvmmigStoreOpClass _kvmmig_store_attach_op;
extern const KvmmigStoreOpClass _kvmmig_store_detach_op;
extern const KvmmigStoreOpClass _kvmmig_store_list_op;
extern const KvmmigStoreOpClass _kvmmig_store_lookup_op;
extern const KvmmigStoreOpClass _kvmmig_store_create_op;
extern const KvmmigStoreOpClass _kvmmig_store_delete_op;
extern const KvmmigStoreOpClass _kvmmig_store_resize_op;
extern const KvmmigStoreOpClass _kvmmig_store_format_op;
extern const KvmmigStoreOpClass _kvmmig_store_visibility_op;

/* -- what the store object keeps (kvmmig-shared-store.c) ------------ */

KvmmigStoreConfig *_kvmmig_shared_store_snapshot (KvmmigSharedStore *self);
/* Adds @steps (consumed) to what attach did on the host @uri. */
void       _kvmmig_shared_store_record   (KvmmigSharedStore *self,
                                          const char        *uri,
                                          GPtrArray         *steps);
/* Takes what attach did on the host @uri, or NULL. */
GPtrArray *_kvmmig_shared_store_take_record (KvmmigSharedStore *self,
                                             const char        *uri);

G_END_DECLS
