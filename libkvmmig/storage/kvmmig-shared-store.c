/* kvmmig-shared-store.c: KvmmigSharedStore, the storage the hosts of a
 * migration cluster share, attached to each host as libvirt storage pools
 * (iscsi-direct or iscsi, logical, dir, netfs), with its volumes listed,
 * created, resized and deleted through those pools, or through libblockdev
 * on the machine the library runs on when the store is LVM.
 *
 * Every operation reads a snapshot of the store's description (so that a
 * setter called meanwhile does not change an operation half-way) and runs
 * its blocking libvirt or LVM calls inline (synchronous form) or on a
 * worker thread (_async form).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-enum-types.h"
#include "kvmmig-host-private.h"
#include "kvmmig-lvm-private.h"
#include "kvmmig-util-private.h"
#include "kvmmig-shared-store-private.h"
#include "kvmmig-disk-private.h"
#include "kvmmig-portal-private.h"
#include "kvmmig-xml-private.h"
#include "kvmmig-store-visibility-private.h"
#include "kvmmig-volume-private.h"

#define DEFAULT_ISCSI_PORT     "3260"
#define INITIATOR_IQN_PREFIX   "iqn.2026-11.org.libkvmmig.initiator:"
#define SECRET_USAGE_PREFIX    "libkvmmig/"
#define TRANSPORT_POOL_SUFFIX  "-iscsi"

/**
 * KvmmigSharedStore:
 *
 * The storage that the hosts of a migration cluster share, so that a guest
 * can move between them without copying its disk. It is made from a
 * description of the store:
 *
 * - an iSCSI target ([ctor@Kvmmig.SharedStore.new_iscsi]): a portal, a
 *   target IQN, optional CHAP credentials
 *   ([method@Kvmmig.SharedStore.set_chap]), which initiator reaches it
 *   ([property@Kvmmig.SharedStore:initiator]), and optionally the LVM
 *   volume group that lives on one of its LUNs
 *   ([method@Kvmmig.SharedStore.set_volume_group]);
 * - a directory every host sees at the same path
 *   ([ctor@Kvmmig.SharedStore.new_directory]);
 * - an NFS export ([ctor@Kvmmig.SharedStore.new_nfs]);
 * - a block device every host sees at the same path, holding a volume
 *   group ([ctor@Kvmmig.SharedStore.new_block_device]).
 *
 * [method@Kvmmig.SharedStore.attach] defines and starts on a host the
 * libvirt storage pools the store needs: `iscsi-direct` (QEMU's initiator)
 * or `iscsi` (the host's), then `logical` for a volume group; `dir` or
 * `netfs` for file stores. The pool that holds the store's volumes is
 * named after the store; the iSCSI pool under a volume group gets the
 * suffix `-iscsi`. Attaching is idempotent, and
 * [method@Kvmmig.SharedStore.detach] undoes what attach did on that host,
 * and nothing else; it is refused with %KVMMIG_ERROR_STORE_IN_USE while a
 * guest of that host has one of the store's volumes as a disk.
 *
 * [method@Kvmmig.SharedStore.check_visibility] verifies that a set of
 * hosts sees the same volumes. The volume calls
 * ([method@Kvmmig.SharedStore.list_volumes],
 * [method@Kvmmig.SharedStore.create_volume],
 * [method@Kvmmig.SharedStore.resize_volume],
 * [method@Kvmmig.SharedStore.delete_volume]) work through a host's pools,
 * or, with a %NULL host, on this machine through libblockdev for a store
 * with a volume group whose device this machine sees;
 * [method@Kvmmig.SharedStore.format] creates that volume group.
 *
 * ## What each kind of store allows
 *
 * | | list | create, delete | resize |
 * |---|---|---|---|
 * | iSCSI LUNs | yes | no: LUNs are made on the storage box | no |
 * | volume group (through a host) | yes | yes | no: libvirt cannot resize LVs |
 * | volume group (this machine) | yes | yes | grow only |
 * | directory, NFS | yes | yes | grow only |
 *
 * What the library does, and does not, guard for LVM on shared storage is
 * on the [storage page](storage.html).
 *
 * ## CHAP secrets
 *
 * The CHAP secret is kept in the store object only to be written into a
 * libvirt secret on each host when the store is attached; no property
 * returns it, and no log line or error message contains it.
 *
 * ## Threads
 *
 * Each `_async` method runs its libvirt and LVM calls on a worker thread
 * and calls its callback on the thread-default main context of the thread
 * that called it. The synchronous forms block the calling thread.
 *
 * ## Errors
 *
 * Every failure is a [error@Kvmmig.Error] whose message names the host's
 * URI (or this machine), the store and the pool or volume it is about.
 *
 * Since: 0.1
 */
struct _KvmmigSharedStore
{
  GObject parent_instance;

  /* Construct-only. */
  char *name;
  KvmmigStoreKind kind;
  char *portal;
  char *target_iqn;
  char *path;
  char *nfs_server;
  char *nfs_export;

  GMutex lock;               /* guards the fields below */
  KvmmigIscsiInitiator initiator;
  char *initiator_iqn;
  char *volume_group;
  int lun;
  char *chap_username;
  char *chap_secret;
  GHashTable *records;       /* host URI -> AttachRecord: what attach did */
};

G_DEFINE_FINAL_TYPE (KvmmigSharedStore, kvmmig_shared_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_KIND,
  PROP_PORTAL,
  PROP_TARGET_IQN,
  PROP_PATH,
  PROP_NFS_SERVER,
  PROP_NFS_EXPORT,
  PROP_INITIATOR,
  PROP_INITIATOR_IQN,
  PROP_VOLUME_GROUP,
  PROP_LUN,
  PROP_CHAP_USERNAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ */
/* What attach did on a host                                            */

typedef enum {
  STEP_DEFINED_SECRET,
  STEP_DEFINED_POOL,
  STEP_STARTED_POOL,
} StepKind;

typedef struct
{
  StepKind kind;
  char *name;      /* pool name, or secret usage id */
} Step;

static void
step_free (Step *step)
{
  g_free (step->name);
  g_free (step);
}

static GPtrArray *
steps_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
}

static void
steps_add (GPtrArray  *steps,
           StepKind    kind,
           const char *name)
{
  Step *step = g_new0 (Step, 1);

  step->kind = kind;
  step->name = g_strdup (name);
  g_ptr_array_add (steps, step);
}

/* ------------------------------------------------------------------ */
/* A snapshot of the description                                        */

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
} StoreConfig;

static void
store_config_free (StoreConfig *cfg)
{
  if (cfg == NULL)
    return;
  g_free (cfg->name);
  g_free (cfg->portal);
  g_free (cfg->portal_host);
  g_free (cfg->portal_port);
  g_free (cfg->target_iqn);
  g_free (cfg->initiator_iqn);
  g_free (cfg->volume_group);
  g_free (cfg->chap_username);
  if (cfg->chap_secret)
    {
      memset (cfg->chap_secret, 0, strlen (cfg->chap_secret));
      g_free (cfg->chap_secret);
    }
  g_free (cfg->path);
  g_free (cfg->nfs_server);
  g_free (cfg->nfs_export);
  g_free (cfg);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoreConfig, store_config_free)

/* Splits "HOST[:PORT]" or "[V6ADDR][:PORT]". */
static gboolean
parse_portal (const char  *portal,
              char       **host,
              char       **port)
{
  const char *colon;

  if (portal == NULL || *portal == '\0')
    return FALSE;

  if (portal[0] == '[')
    {
      const char *close = strchr (portal, ']');

      if (close == NULL || close == portal + 1)
        return FALSE;
      *host = g_strndup (portal + 1, close - portal - 1);
      colon = close[1] == ':' ? close + 1 : NULL;
      if (close[1] != '\0' && colon == NULL)
        {
          g_clear_pointer (host, g_free);
          return FALSE;
        }
    }
  else
    {
      colon = strchr (portal, ':');
      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        return FALSE;   /* an IPv6 address needs brackets */
      *host = colon ? g_strndup (portal, colon - portal) : g_strdup (portal);
    }

  if (**host == '\0')
    {
      g_clear_pointer (host, g_free);
      return FALSE;
    }
  for (const char *p = *host; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._:", *p) == NULL)
      {
        g_clear_pointer (host, g_free);
        return FALSE;
      }

  if (colon != NULL)
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &value, NULL))
        {
          g_clear_pointer (host, g_free);
          return FALSE;
        }
      *port = g_strdup_printf ("%u", (guint) value);
    }
  else
    *port = g_strdup (DEFAULT_ISCSI_PORT);

  return TRUE;
}

static gboolean
iqn_is_valid (const char *iqn)
{
  if (iqn == NULL || strlen (iqn) < 5 || strlen (iqn) > 223)
    return FALSE;
  if (!g_str_has_prefix (iqn, "iqn.") && !g_str_has_prefix (iqn, "eui.") &&
      !g_str_has_prefix (iqn, "naa."))
    return FALSE;
  for (const char *p = iqn; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-.:", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
store_name_is_valid (const char *name)
{
  gsize len;

  if (name == NULL || (len = strlen (name)) == 0 || len > 64 ||
      name[0] == '-' || name[0] == '.')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("+_.-", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
is_lvm (const StoreConfig *cfg)
{
  return cfg->volume_group != NULL;
}

static StoreConfig *
store_snapshot (KvmmigSharedStore *self)
{
  StoreConfig *cfg = g_new0 (StoreConfig, 1);

  cfg->name = g_strdup (self->name);
  cfg->kind = self->kind;
  cfg->portal = g_strdup (self->portal);
  cfg->target_iqn = g_strdup (self->target_iqn);
  cfg->path = g_strdup (self->path);
  cfg->nfs_server = g_strdup (self->nfs_server);
  cfg->nfs_export = g_strdup (self->nfs_export);

  g_mutex_lock (&self->lock);
  cfg->initiator = self->initiator;
  cfg->initiator_iqn = g_strdup (self->initiator_iqn);
  cfg->volume_group = g_strdup (self->volume_group);
  cfg->lun = self->lun;
  cfg->chap_username = g_strdup (self->chap_username);
  cfg->chap_secret = g_strdup (self->chap_secret);
  g_mutex_unlock (&self->lock);

  if (cfg->kind == KVMMIG_STORE_KIND_ISCSI)
    parse_portal (cfg->portal, &cfg->portal_host, &cfg->portal_port);

  return cfg;
}

/* Checks the description; @where names the host or this machine. */
static gboolean
store_validate (const StoreConfig  *cfg,
                const char         *where,
                GError            **error)
{
  const char *store = cfg->name ? cfg->name : "";

#define INVALID(...) \
  G_STMT_START { \
    g_autofree char *_what = g_strdup_printf (__VA_ARGS__); \
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT, \
                 "%s: store '%s': %s", where, store, _what); \
    return FALSE; \
  } G_STMT_END

  if (!store_name_is_valid (cfg->name))
    INVALID ("a store name is 1 to 64 letters, digits and + _ . - (it names the "
             "libvirt pools on each host), not starting with - or .");

  switch (cfg->kind)
    {
    case KVMMIG_STORE_KIND_ISCSI:
      if (cfg->portal_host == NULL)
        INVALID ("portal '%s' is not of the form HOST[:PORT] or [IPV6]:PORT",
                 cfg->portal ? cfg->portal : "");
      if (!iqn_is_valid (cfg->target_iqn))
        INVALID ("target '%s' is not an iSCSI name (iqn.YYYY-MM.domain:name, "
                 "eui.… or naa.…)", cfg->target_iqn ? cfg->target_iqn : "");
      if (cfg->initiator_iqn != NULL && !iqn_is_valid (cfg->initiator_iqn))
        INVALID ("initiator name '%s' is not an iSCSI name", cfg->initiator_iqn);
      break;

    case KVMMIG_STORE_KIND_DIRECTORY:
      if (cfg->path == NULL || !g_path_is_absolute (cfg->path) || strstr (cfg->path, "/../"))
        INVALID ("directory '%s' is not an absolute path", cfg->path ? cfg->path : "");
      break;

    case KVMMIG_STORE_KIND_NFS:
      if (cfg->nfs_server == NULL || *cfg->nfs_server == '\0')
        INVALID ("no NFS server given");
      if (cfg->nfs_export == NULL || !g_path_is_absolute (cfg->nfs_export))
        INVALID ("NFS export '%s' is not an absolute path",
                 cfg->nfs_export ? cfg->nfs_export : "");
      if (cfg->path == NULL || !g_path_is_absolute (cfg->path))
        INVALID ("mount point '%s' is not an absolute path", cfg->path ? cfg->path : "");
      break;

    case KVMMIG_STORE_KIND_BLOCK_DEVICE:
      if (cfg->path == NULL || !g_str_has_prefix (cfg->path, "/dev/"))
        INVALID ("device '%s' is not a path under /dev", cfg->path ? cfg->path : "");
      if (cfg->volume_group == NULL)
        INVALID ("a block-device store needs the volume group on the device");
      break;

    default:
      INVALID ("unknown kind of store %d", cfg->kind);
    }

  if (cfg->volume_group != NULL && !_kvmmig_lvm_name_is_valid (cfg->volume_group))
    INVALID ("'%s' is not a valid LVM volume group name (letters, digits, + _ . -)",
             cfg->volume_group);
  if (cfg->volume_group != NULL && cfg->kind != KVMMIG_STORE_KIND_ISCSI &&
      cfg->kind != KVMMIG_STORE_KIND_BLOCK_DEVICE)
    INVALID ("only iSCSI and block-device stores can hold a volume group");
  if ((cfg->chap_secret != NULL) != (cfg->chap_username != NULL))
    INVALID ("CHAP needs both a user name and a secret");
  if (cfg->chap_username != NULL && cfg->kind != KVMMIG_STORE_KIND_ISCSI)
    INVALID ("CHAP credentials only apply to iSCSI stores");

#undef INVALID
  return TRUE;
}

static char *
transport_pool_name (const StoreConfig *cfg)
{
  return g_strconcat (cfg->name, TRANSPORT_POOL_SUFFIX, NULL);
}

static char *
secret_usage (const StoreConfig *cfg)
{
  return g_strconcat (SECRET_USAGE_PREFIX, cfg->name, NULL);
}

/* ------------------------------------------------------------------ */
/* The libvirt XML it defines (libxml2 trees: every value escaped)     */

typedef enum {
  POOL_TRANSPORT,   /* the iSCSI pool under a volume group */
  POOL_MAIN,        /* the pool named after the store, holding its volumes */
} PoolRole;

static const char *
iscsi_pool_type (const StoreConfig *cfg)
{
  return cfg->initiator == KVMMIG_ISCSI_INITIATOR_QEMU ? "iscsi-direct" : "iscsi";
}

static const char *
pool_type (const StoreConfig *cfg,
           PoolRole           role)
{
  if (role == POOL_TRANSPORT)
    return iscsi_pool_type (cfg);

  switch (cfg->kind)
    {
    case KVMMIG_STORE_KIND_ISCSI:
      return is_lvm (cfg) ? "logical" : iscsi_pool_type (cfg);
    case KVMMIG_STORE_KIND_DIRECTORY:    return "dir";
    case KVMMIG_STORE_KIND_NFS:          return "netfs";
    case KVMMIG_STORE_KIND_BLOCK_DEVICE: return "logical";
    default:                             return "dir";
    }
}

static char *
pool_xml (const StoreConfig *cfg,
          PoolRole           role,
          const char        *initiator_iqn)
{
  const char *type = pool_type (cfg, role);
  g_autofree char *name = role == POOL_TRANSPORT ? transport_pool_name (cfg)
                                                 : g_strdup (cfg->name);
  xmlNodePtr pool = _kvmmig_xml_element (NULL, "pool", "type", type, NULL);
  xmlNodePtr source;

  _kvmmig_xml_text (pool, "name", name);
  source = _kvmmig_xml_element (pool, "source", NULL);

  if (g_str_equal (type, "iscsi-direct") || g_str_equal (type, "iscsi"))
    {
      _kvmmig_xml_element (source, "host", "name", cfg->portal_host,
                           "port", cfg->portal_port, NULL);
      _kvmmig_xml_element (source, "device", "path", cfg->target_iqn, NULL);
      if (initiator_iqn != NULL)
        {
          xmlNodePtr initiator = _kvmmig_xml_element (source, "initiator", NULL);
          _kvmmig_xml_element (initiator, "iqn", "name", initiator_iqn, NULL);
        }
      if (cfg->chap_username != NULL)
        {
          g_autofree char *usage = secret_usage (cfg);
          xmlNodePtr auth = _kvmmig_xml_element (source, "auth", "type", "chap",
                                                 "username", cfg->chap_username, NULL);
          _kvmmig_xml_element (auth, "secret", "usage", usage, NULL);
        }
      if (g_str_equal (type, "iscsi"))
        {
          xmlNodePtr target = _kvmmig_xml_element (pool, "target", NULL);
          _kvmmig_xml_text (target, "path", "/dev/disk/by-path");
        }
    }
  else if (g_str_equal (type, "logical"))
    {
      g_autofree char *dev = g_strconcat ("/dev/", cfg->volume_group, NULL);
      xmlNodePtr target;

      _kvmmig_xml_text (source, "name", cfg->volume_group);
      _kvmmig_xml_element (source, "format", "type", "lvm2", NULL);
      target = _kvmmig_xml_element (pool, "target", NULL);
      _kvmmig_xml_text (target, "path", dev);
    }
  else if (g_str_equal (type, "netfs"))
    {
      xmlNodePtr target;

      _kvmmig_xml_element (source, "host", "name", cfg->nfs_server, NULL);
      _kvmmig_xml_element (source, "dir", "path", cfg->nfs_export, NULL);
      _kvmmig_xml_element (source, "format", "type", "nfs", NULL);
      target = _kvmmig_xml_element (pool, "target", NULL);
      _kvmmig_xml_text (target, "path", cfg->path);
    }
  else
    {
      xmlNodePtr target = _kvmmig_xml_element (pool, "target", NULL);
      _kvmmig_xml_text (target, "path", cfg->path);
    }

  return _kvmmig_xml_take_string (pool);
}

static char *
secret_xml (const StoreConfig *cfg)
{
  g_autofree char *usage = secret_usage (cfg);
  g_autofree char *description = g_strdup_printf ("CHAP secret of libkvmmig store '%s'",
                                                  cfg->name);
  xmlNodePtr secret = _kvmmig_xml_element (NULL, "secret", "ephemeral", "no",
                                           "private", "yes", NULL);
  xmlNodePtr usage_node;

  _kvmmig_xml_text (secret, "description", description);
  usage_node = _kvmmig_xml_element (secret, "usage", "type", "iscsi", NULL);
  _kvmmig_xml_text (usage_node, "target", usage);
  return _kvmmig_xml_take_string (secret);
}

/* The initiator name a host uses: the store's, or one made from the
 * host's name (each host needs its own). */
static char *
host_initiator_iqn (const StoreConfig *cfg,
                    virConnectPtr      conn)
{
  g_autofree char *hostname = NULL;
  GString *iqn;

  if (cfg->initiator_iqn != NULL)
    return g_strdup (cfg->initiator_iqn);
  if (cfg->initiator == KVMMIG_ISCSI_INITIATOR_HOST)
    return NULL;    /* the host's own /etc/iscsi/initiatorname.iscsi */

  hostname = virConnectGetHostname (conn);
  virResetLastError ();
  iqn = g_string_new (INITIATOR_IQN_PREFIX);
  for (const char *p = hostname ? hostname : "host"; *p; p++)
    g_string_append_c (iqn, g_ascii_isalnum (*p) || *p == '-' || *p == '.'
                            ? g_ascii_tolower (*p) : '-');
  return g_string_free (iqn, FALSE);
}

/* Whether an existing pool (its XML) is the one @wanted describes: same
 * type and same source or target. Initiator and credentials may differ. */
static gboolean
pool_matches (const char  *existing,
              const char  *wanted,
              char       **what)
{
  static const char *keys[] = {
    "/pool/@type", "/pool/source/host/@name", "/pool/source/device/@path",
    "/pool/source/dir/@path", "/pool/source/name", "/pool/target/path",
  };
  g_auto(KvmmigXml) a = { 0 };
  g_auto(KvmmigXml) b = { 0 };

  if (!_kvmmig_xml_parse (&a, existing) || !_kvmmig_xml_parse (&b, wanted))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *va = _kvmmig_xml_string (&a, NULL, keys[i]);
      g_autofree char *vb = _kvmmig_xml_string (&b, NULL, keys[i]);

      /* libvirt fills in a default target for some pool types. */
      if (g_str_equal (keys[i], "/pool/target/path") && vb == NULL)
        continue;
      if (g_strcmp0 (va, vb) != 0)
        {
          g_autofree char *type = _kvmmig_xml_string (&a, NULL, "/pool/@type");
          g_autofree char *target = _kvmmig_xml_string (&a, NULL, "/pool/target/path");
          g_autofree char *device = _kvmmig_xml_string (&a, NULL, "/pool/source/device/@path");

          *what = g_strdup_printf ("a %s pool%s%s%s%s", type ? type : "?",
                                   device ? " for " : "", device ? device : "",
                                   target ? " on " : "", target ? target : "");
          return FALSE;
        }
    }
  return TRUE;
}

/* The pool's persistent definition, or its live one where the driver has
 * no such distinction (the test driver refuses the flag). */
static char *
pool_definition (virStoragePoolPtr pool)
{
  char *xml = virStoragePoolGetXMLDesc (pool, VIR_STORAGE_XML_INACTIVE);

  if (xml == NULL)
    {
      virResetLastError ();
      xml = virStoragePoolGetXMLDesc (pool, 0);
      virResetLastError ();
    }
  return xml;
}

/* ------------------------------------------------------------------ */
/* Attach and detach                                                    */

static KvmmigError
define_error_code (void)
{
  virErrorPtr err = virGetLastError ();

  if (err == NULL || err->message == NULL)
    return KVMMIG_ERROR_FAILED;
  if (strstr (err->message, "missing backend") || strstr (err->message, "no storage backend"))
    return KVMMIG_ERROR_MISSING_DEPENDENCY;
  if (strstr (err->message, "source conflict") || strstr (err->message, "already exists") ||
      strstr (err->message, "already defined"))
    return KVMMIG_ERROR_INVALID_ARGUMENT;
  return KVMMIG_ERROR_FAILED;
}

/* Undoes @steps, last first; FALSE at the first failure, with the steps
 * left undone still in @steps. */
static gboolean
undo_steps (virConnectPtr   conn,
            const char     *uri,
            const char     *store,
            GPtrArray      *steps,
            GError        **error)
{
  while (steps->len > 0)
    {
      Step *step = g_ptr_array_index (steps, steps->len - 1);

      if (step->kind == STEP_DEFINED_SECRET)
        {
          g_autoptr(virSecret) secret =
            virSecretLookupByUsage (conn, VIR_SECRET_USAGE_TYPE_ISCSI, step->name);

          if (secret != NULL && virSecretUndefine (secret) < 0)
            {
              _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, uri,
                                         "store '%s': cannot remove the libvirt "
                                         "secret '%s'", store, step->name);
              return FALSE;
            }
        }
      else
        {
          g_autoptr(virStoragePool) pool = virStoragePoolLookupByName (conn, step->name);

          if (pool != NULL && step->kind == STEP_STARTED_POOL &&
              virStoragePoolIsActive (pool) == 1 && virStoragePoolDestroy (pool) < 0)
            {
              _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, uri,
                                         "store '%s': cannot stop pool '%s'",
                                         store, step->name);
              return FALSE;
            }
          if (pool != NULL && step->kind == STEP_DEFINED_POOL &&
              virStoragePoolUndefine (pool) < 0)
            {
              _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, uri,
                                         "store '%s': cannot undefine pool '%s'",
                                         store, step->name);
              return FALSE;
            }
        }
      virResetLastError ();
      g_ptr_array_remove_index (steps, steps->len - 1);
    }
  return TRUE;
}

static gboolean
ensure_secret (virConnectPtr       conn,
               const char         *uri,
               const StoreConfig  *cfg,
               GPtrArray          *steps,
               GError            **error)
{
  g_autofree char *usage = secret_usage (cfg);
  g_autoptr(virSecret) secret = NULL;

  secret = virSecretLookupByUsage (conn, VIR_SECRET_USAGE_TYPE_ISCSI, usage);
  virResetLastError ();
  if (secret == NULL)
    {
      g_autofree char *xml = secret_xml (cfg);

      secret = virSecretDefineXML (conn, xml, 0);
      if (secret == NULL)
        {
          _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, uri,
                                     "store '%s': cannot define the libvirt secret "
                                     "'%s' for its CHAP credentials", cfg->name, usage);
          return FALSE;
        }
      steps_add (steps, STEP_DEFINED_SECRET, usage);
    }

  if (virSecretSetValue (secret, (const unsigned char *) cfg->chap_secret,
                         strlen (cfg->chap_secret), 0) < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, uri,
                                 "store '%s': cannot store the CHAP secret in the "
                                 "libvirt secret '%s'", cfg->name, usage);
      return FALSE;
    }
  return TRUE;
}

/* Whether the host sees volume group @vg (libvirt's source discovery);
 * TRUE when the host cannot tell. */
static gboolean
host_sees_vg (virConnectPtr   conn,
              const char     *uri,
              const StoreConfig *cfg,
              GError        **error)
{
  g_autofree char *sources = virConnectFindStoragePoolSources (conn, "logical", NULL, 0);
  g_auto(KvmmigXml) xml = { 0 };
  xmlXPathObjectPtr names;
  gboolean found = FALSE;

  if (sources == NULL)
    {
      virResetLastError ();
      return TRUE;
    }
  if (!_kvmmig_xml_parse (&xml, sources))
    return TRUE;

  names = _kvmmig_xml_nodes (&xml, "/sources/source/name");
  for (int i = 0; names && names->nodesetval && i < names->nodesetval->nodeNr; i++)
    {
      g_autofree char *name = _kvmmig_xml_string (&xml, names->nodesetval->nodeTab[i], ".");

      if (g_strcmp0 (name, cfg->volume_group) == 0)
        found = TRUE;
    }
  xmlXPathFreeObject (names);

  if (!found)
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_STORE_UNREACHABLE,
                 "%s: store '%s': the host does not see volume group '%s' "
                 "(has the LUN been formatted as one (SharedStore.format, or "
                 "kvmmig store format), and is it a block device of that host?)", uri, cfg->name,
                 cfg->volume_group);
  return found;
}

static gboolean
ensure_pool (virConnectPtr       conn,
             const char         *uri,
             const StoreConfig  *cfg,
             PoolRole            role,
             const char         *initiator_iqn,
             GPtrArray          *steps,
             GError            **error)
{
  g_autofree char *wanted = pool_xml (cfg, role, initiator_iqn);
  g_autofree char *name = role == POOL_TRANSPORT ? transport_pool_name (cfg)
                                                 : g_strdup (cfg->name);
  const char *type = pool_type (cfg, role);
  g_autoptr(virStoragePool) pool = NULL;
  g_autofree char *where = NULL;

  where = g_str_equal (type, "dir") ? g_strdup_printf ("directory %s", cfg->path)
        : g_str_equal (type, "netfs") ? g_strdup_printf ("NFS %s:%s on %s", cfg->nfs_server,
                                                         cfg->nfs_export, cfg->path)
        : g_str_equal (type, "logical") ? g_strdup_printf ("volume group %s", cfg->volume_group)
        : g_strdup_printf ("portal %s, target %s", cfg->portal, cfg->target_iqn);

  pool = virStoragePoolLookupByName (conn, name);
  virResetLastError ();

  if (pool != NULL)
    {
      g_autofree char *existing = pool_definition (pool);
      g_autofree char *what = NULL;

      if (!pool_matches (existing, wanted, &what))
        {
          g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                       "%s: store '%s': a storage pool named '%s' already exists "
                       "there and is %s, not a %s pool for %s; give the store "
                       "another name", uri, cfg->name, name, what, type, where);
          return FALSE;
        }

      if (virStoragePoolIsActive (pool) != 1)
        {
          if (g_str_equal (type, "logical") && !host_sees_vg (conn, uri, cfg, error))
            return FALSE;
          if (virStoragePoolCreate (pool, 0) < 0)
            {
              _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, uri,
                                         "store '%s': cannot start pool '%s' (%s, %s)",
                                         cfg->name, name, type, where);
              return FALSE;
            }
          steps_add (steps, STEP_STARTED_POOL, name);
        }
      g_debug ("%s: store '%s': pool '%s' was already defined", uri, cfg->name, name);
    }
  else
    {
      if (g_str_equal (type, "logical") && !host_sees_vg (conn, uri, cfg, error))
        return FALSE;

      pool = virStoragePoolDefineXML (conn, wanted, 0);
      if (pool == NULL)
        {
          KvmmigError code = define_error_code ();

          _kvmmig_set_libvirt_error (error, code, uri,
                                     "store '%s': cannot define pool '%s' (%s, %s)%s",
                                     cfg->name, name, type, where,
                                     code == KVMMIG_ERROR_MISSING_DEPENDENCY
                                       ? "; the host's libvirt lacks that storage backend"
                                       : "");
          return FALSE;
        }
      steps_add (steps, STEP_DEFINED_POOL, name);

      if (virStoragePoolSetAutostart (pool, 1) < 0)
        virResetLastError ();

      if (virStoragePoolCreate (pool, 0) < 0)
        {
          _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, uri,
                                     "store '%s': cannot start pool '%s' (%s, %s)",
                                     cfg->name, name, type, where);
          return FALSE;
        }
      steps_add (steps, STEP_STARTED_POOL, name);
    }

  if (virStoragePoolRefresh (pool, 0) < 0)
    virResetLastError ();
  return TRUE;
}

/* The store's pools on a host: its record, or, when this object did not
 * attach it there, what exists of it. */
static GPtrArray *
existing_steps (virConnectPtr      conn,
                const StoreConfig *cfg)
{
  GPtrArray *steps = steps_new ();
  g_autofree char *usage = secret_usage (cfg);
  g_autoptr(virSecret) secret = NULL;
  PoolRole roles[] = { POOL_TRANSPORT, POOL_MAIN };

  if (cfg->chap_username != NULL &&
      (secret = virSecretLookupByUsage (conn, VIR_SECRET_USAGE_TYPE_ISCSI, usage)) != NULL)
    steps_add (steps, STEP_DEFINED_SECRET, usage);

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *wanted = NULL;
      g_autofree char *existing = NULL;
      g_autofree char *what = NULL;
      g_autoptr(virStoragePool) pool = NULL;

      if (roles[i] == POOL_TRANSPORT &&
          !(cfg->kind == KVMMIG_STORE_KIND_ISCSI && is_lvm (cfg)))
        continue;
      name = roles[i] == POOL_TRANSPORT ? transport_pool_name (cfg) : g_strdup (cfg->name);
      pool = virStoragePoolLookupByName (conn, name);
      if (pool == NULL)
        continue;
      wanted = pool_xml (cfg, roles[i], NULL);
      existing = pool_definition (pool);
      if (!pool_matches (existing, wanted, &what))
        continue;
      if (virStoragePoolIsPersistent (pool) == 1)
        steps_add (steps, STEP_DEFINED_POOL, name);
      if (virStoragePoolIsActive (pool) == 1)
        steps_add (steps, STEP_STARTED_POOL, name);
    }
  virResetLastError ();
  return steps;
}

/* Whether @disk is on the store (any of its volumes, existing or not). */
static gboolean
store_owns_disk (const StoreConfig      *cfg,
                 const KvmmigDiskSource *disk)
{
  g_autofree char *transport = transport_pool_name (cfg);

  if (g_strcmp0 (disk->type, "volume") == 0)
    return g_strcmp0 (disk->pool, cfg->name) == 0 || g_strcmp0 (disk->pool, transport) == 0;

  if (cfg->kind == KVMMIG_STORE_KIND_ISCSI && g_strcmp0 (disk->type, "network") == 0)
    {
      g_autofree char *prefix = g_strconcat (cfg->target_iqn, "/", NULL);

      return g_strcmp0 (disk->protocol, "iscsi") == 0 &&
             _kvmmig_same_portal (disk->host, disk->port, cfg->portal_host, cfg->portal_port) &&
             disk->name && g_str_has_prefix (disk->name, prefix);
    }

  if (disk->path == NULL)
    return FALSE;

  if (is_lvm (cfg))
    {
      g_autofree char *dev = g_strconcat ("/dev/", cfg->volume_group, "/", NULL);
      g_auto(GStrv) parts = g_strsplit (cfg->volume_group, "-", -1);
      g_autofree char *escaped = g_strjoinv ("--", parts);
      g_autofree char *mapper = g_strconcat ("/dev/mapper/", escaped, "-", NULL);

      if (g_str_has_prefix (disk->path, dev) || g_str_has_prefix (disk->path, mapper))
        return TRUE;
    }

  switch (cfg->kind)
    {
    case KVMMIG_STORE_KIND_ISCSI:
      {
        g_autofree char *prefix = g_strdup_printf ("/dev/disk/by-path/ip-%s:%s-iscsi-%s-lun-",
                                                   cfg->portal_host, cfg->portal_port,
                                                   cfg->target_iqn);
        return g_str_has_prefix (disk->path, prefix);
      }
    case KVMMIG_STORE_KIND_DIRECTORY:
    case KVMMIG_STORE_KIND_NFS:
      {
        g_autofree char *prefix = g_str_has_suffix (cfg->path, "/")
                                    ? g_strdup (cfg->path) : g_strconcat (cfg->path, "/", NULL);
        return g_str_has_prefix (disk->path, prefix);
      }
    case KVMMIG_STORE_KIND_BLOCK_DEVICE:
      return g_str_equal (disk->path, cfg->path);
    default:
      return FALSE;
    }
}

/* ------------------------------------------------------------------ */
/* Operations                                                           */

typedef struct _StoreOp StoreOp;
typedef gpointer (*StoreOpFunc) (StoreOp       *op,
                                 GCancellable  *cancellable,
                                 GError       **error);

struct _StoreOp
{
  KvmmigSharedStore *store;
  StoreConfig *cfg;
  KvmmigHost *host;          /* NULL: this machine */
  GPtrArray *hosts;          /* check_visibility */
  char *name;
  guint64 capacity;
  char *device;
  StoreOpFunc func;
  GDestroyNotify result_free;
  gboolean boolean;
};

static void
store_op_free (StoreOp *op)
{
  g_clear_object (&op->store);
  g_clear_pointer (&op->cfg, store_config_free);
  g_clear_object (&op->host);
  g_clear_pointer (&op->hosts, g_ptr_array_unref);
  g_free (op->name);
  g_free (op->device);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoreOp, store_op_free)

static StoreOp *
store_op_new (KvmmigSharedStore *self,
              KvmmigHost        *host,
              StoreOpFunc        func)
{
  StoreOp *op = g_new0 (StoreOp, 1);

  op->store = g_object_ref (self);
  op->cfg = store_snapshot (self);
  op->host = host ? g_object_ref (host) : NULL;
  op->func = func;
  return op;
}

/* Names the store in an error about this machine (LVM's messages start
 * with "this machine (HOST): "). */
static gpointer
name_store (StoreOp  *op,
            GError  **error)
{
  g_autofree char *prefix = g_strconcat (_kvmmig_this_machine (), ": ", NULL);

  if (error != NULL && *error != NULL && g_str_has_prefix ((*error)->message, prefix) &&
      !g_str_has_prefix ((*error)->message + strlen (prefix), "store '"))
    {
      char *message = g_strdup_printf ("%sstore '%s': %s", prefix, op->cfg->name,
                                       (*error)->message + strlen (prefix));
      g_free ((*error)->message);
      (*error)->message = message;
    }
  return NULL;
}

static const char *
op_where (StoreOp *op)
{
  return op->host ? kvmmig_host_get_uri (op->host) : _kvmmig_this_machine ();
}

/* The main pool of the store on the op's host, active and refreshed. */
static virStoragePoolPtr
main_pool (StoreOp        *op,
           virConnectPtr   conn,
           GError        **error)
{
  const char *uri = op_where (op);
  virStoragePoolPtr pool;

  pool = virStoragePoolLookupByName (conn, op->cfg->name);
  virResetLastError ();
  if (pool == NULL || virStoragePoolIsActive (pool) != 1)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_STORE_UNREACHABLE,
                   "%s: store '%s': not attached there (no active storage pool "
                   "'%s'); attach it first", uri, op->cfg->name, op->cfg->name);
      g_clear_pointer (&pool, virStoragePoolFree);
      return NULL;
    }

  if (virStoragePoolRefresh (pool, 0) < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, uri,
                                 "store '%s': pool '%s' cannot reach the store",
                                 op->cfg->name, op->cfg->name);
      virStoragePoolFree (pool);
      return NULL;
    }
  return pool;
}

static gboolean
check_volume_name (StoreOp     *op,
                   const char  *name,
                   GError     **error)
{
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) ||
      strchr (name, '/') || g_str_equal (name, ".") || g_str_equal (name, "..") ||
      strlen (name) > 255)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: store '%s': a volume name must be 1 to 255 bytes of "
                   "UTF-8 without '/' (and not . or ..)", op_where (op), op->cfg->name);
      return FALSE;
    }
  for (const char *p = name; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                     "%s: store '%s': a volume name must not contain control "
                     "characters", op_where (op), op->cfg->name);
        return FALSE;
      }
  if (is_lvm (op->cfg) && !_kvmmig_lvm_name_is_valid (name))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: store '%s': '%s' is not a valid name for a logical volume "
                   "(letters, digits and + _ . -, not starting with -)",
                   op_where (op), op->cfg->name, name);
      return FALSE;
    }
  return TRUE;
}

/* Sets up an op on a host: validates the description and refs the host's
 * connection. */
static virConnectPtr
op_connect (StoreOp  *op,
            GError  **error)
{
  if (!store_validate (op->cfg, op_where (op), error))
    return NULL;
  return _kvmmig_host_ref_connection (op->host, error);
}

static gboolean
iscsi_needs_host_initiator (StoreOp  *op,
                            GError  **error)
{
  if (op->cfg->kind == KVMMIG_STORE_KIND_ISCSI && is_lvm (op->cfg) &&
      op->cfg->initiator == KVMMIG_ISCSI_INITIATOR_QEMU)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_SUPPORTED,
                   "%s: store '%s': a volume group on a LUN ('%s') needs the host's "
                   "own iSCSI initiator (KVMMIG_ISCSI_INITIATOR_HOST): with QEMU's "
                   "initiator the host never sees the LUN as a block device",
                   op_where (op), op->cfg->name, op->cfg->volume_group);
      return TRUE;
    }
  return FALSE;
}

/* -- attach -- */

static gpointer
attach_func (StoreOp       *op,
             GCancellable  *cancellable,
             GError       **error)
{
  KvmmigSharedStore *self = op->store;
  const StoreConfig *cfg = op->cfg;
  const char *uri = op_where (op);
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(GPtrArray) steps = steps_new ();
  g_autofree char *initiator = NULL;
  gboolean ok = TRUE;

  conn = op_connect (op, error);
  if (conn == NULL || iscsi_needs_host_initiator (op, error))
    return NULL;

  if (cfg->kind == KVMMIG_STORE_KIND_ISCSI)
    initiator = host_initiator_iqn (cfg, conn);

  if (cfg->chap_secret != NULL)
    ok = ensure_secret (conn, uri, cfg, steps, error);

  if (ok && cfg->kind == KVMMIG_STORE_KIND_ISCSI && is_lvm (cfg))
    ok = ensure_pool (conn, uri, cfg, POOL_TRANSPORT, initiator, steps, error);

  if (ok && _kvmmig_check_cancelled (cancellable, uri, "attaching the store", error))
    ok = FALSE;

  if (ok)
    ok = ensure_pool (conn, uri, cfg, POOL_MAIN, initiator, steps, error);

  if (!ok)
    {
      g_autoptr(GError) undo_error = NULL;

      /* Leave the host as it was. */
      if (!undo_steps (conn, uri, cfg->name, steps, &undo_error) &&
          error != NULL && *error != NULL)
        {
          char *message = g_strdup_printf ("%s; undoing the attach failed too, "
                                           "so the host is not as it was: %s",
                                           (*error)->message, undo_error->message);
          g_free ((*error)->message);
          (*error)->message = message;
        }
      return NULL;
    }

  g_mutex_lock (&self->lock);
  {
    GPtrArray *record = g_hash_table_lookup (self->records, uri);

    if (record == NULL)
      {
        record = steps_new ();
        g_hash_table_insert (self->records, g_strdup (uri), record);
      }
    for (guint i = 0; i < steps->len; i++)
      {
        Step *step = g_ptr_array_index (steps, i);
        steps_add (record, step->kind, step->name);
      }
  }
  g_mutex_unlock (&self->lock);

  g_debug ("%s: store '%s' attached (%u changes)", uri, cfg->name, steps->len);
  return GINT_TO_POINTER (TRUE);
}

/* -- detach -- */

static char *
describe_users (const StoreConfig *cfg,
                GPtrArray         *guests)
{
  g_autoptr(GString) users = g_string_new (NULL);

  for (guint i = 0; i < guests->len; i++)
    {
      KvmmigGuestDisks *guest = g_ptr_array_index (guests, i);

      for (guint d = 0; d < guest->disks->len; d++)
        {
          KvmmigDiskSource *disk = g_ptr_array_index (guest->disks, d);
          g_autofree char *what = NULL;

          if (!store_owns_disk (cfg, disk))
            continue;
          what = _kvmmig_disk_source_describe (disk);
          g_string_append_printf (users, "%sguest '%s' (%s) has disk %s on %s",
                                  users->len ? "; " : "", guest->name,
                                  guest->active ? "running" : "defined",
                                  disk->target ? disk->target : "?", what);
        }
    }

  return users->len ? g_string_free (g_steal_pointer (&users), FALSE) : NULL;
}

static gpointer
detach_func (StoreOp       *op,
             GCancellable  *cancellable,
             GError       **error)
{
  KvmmigSharedStore *self = op->store;
  const StoreConfig *cfg = op->cfg;
  const char *uri = op_where (op);
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(GPtrArray) guests = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *users = NULL;
  gboolean ok;

  conn = op_connect (op, error);
  if (conn == NULL)
    return NULL;

  guests = _kvmmig_list_guest_disks (conn, uri, error);
  if (guests == NULL)
    return NULL;

  users = describe_users (cfg, guests);
  if (users != NULL)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_STORE_IN_USE,
                   "%s: store '%s' cannot be detached while guests there use its "
                   "volumes: %s; migrate or undefine them first (nothing was "
                   "changed)", uri, cfg->name, users);
      return NULL;
    }

  if (_kvmmig_check_cancelled (cancellable, uri, "detaching the store", error))
    return NULL;

  g_mutex_lock (&self->lock);
  {
    g_autofree char *key = NULL;

    g_hash_table_steal_extended (self->records, uri, (gpointer *) &key, (gpointer *) &steps);
  }
  g_mutex_unlock (&self->lock);

  if (steps == NULL)
    steps = existing_steps (conn, cfg);

  ok = undo_steps (conn, uri, cfg->name, steps, error);

  if (!ok && steps->len > 0)
    {
      /* Keep what is still to undo for another detach. */
      g_mutex_lock (&self->lock);
      g_hash_table_insert (self->records, g_strdup (uri), g_steal_pointer (&steps));
      g_mutex_unlock (&self->lock);
    }

  if (ok)
    g_debug ("%s: store '%s' detached", uri, cfg->name);
  return ok ? GINT_TO_POINTER (TRUE) : NULL;
}

/* -- volumes through a host -- */

static char *
vol_format (virStorageVolPtr vol)
{
  g_autofree char *xml = virStorageVolGetXMLDesc (vol, 0);
  g_auto(KvmmigXml) doc = { 0 };

  if (!_kvmmig_xml_parse (&doc, xml))
    return NULL;
  return _kvmmig_xml_string (&doc, NULL, "/volume/target/format/@type");
}

static int
compare_volumes (gconstpointer a,
                 gconstpointer b)
{
  return _kvmmig_natural_compare (kvmmig_volume_get_name (*(KvmmigVolume **) a),
                                  kvmmig_volume_get_name (*(KvmmigVolume **) b));
}

/* Every volume of the store on the op's host, with the guests of that
 * host that use each. */
static GPtrArray *
list_on_host (StoreOp        *op,
              virConnectPtr   conn,
              GError        **error)
{
  const StoreConfig *cfg = op->cfg;
  const char *uri = op_where (op);
  g_autoptr(virStoragePool) pool = NULL;
  g_autoptr(GPtrArray) volumes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) guests = NULL;
  g_autofree char *usage = secret_usage (cfg);
  const char *type;
  virStorageVolPtr *vols = NULL;
  int n;

  pool = main_pool (op, conn, error);
  if (pool == NULL)
    return NULL;

  guests = _kvmmig_list_guest_disks (conn, uri, error);
  if (guests == NULL)
    return NULL;

  n = virStoragePoolListAllVolumes (pool, &vols, 0);
  if (n < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, uri,
                                 "store '%s': cannot list the volumes of pool '%s'",
                                 cfg->name, cfg->name);
      return NULL;
    }

  type = pool_type (cfg, POOL_MAIN);
  for (int i = 0; i < n; i++)
    {
      g_autoptr(KvmmigVolume) probe = NULL;
      g_autoptr(GPtrArray) users = g_ptr_array_new ();
      g_autofree char *path = virStorageVolGetPath (vols[i]);
      g_autofree char *format = NULL;
      g_autofree char *net_name = NULL;
      virStorageVolInfo info = { 0 };
      const char *name = virStorageVolGetName (vols[i]);
      KvmmigVolumeInfo vi = { 0 };

      if (virStorageVolGetInfo (vols[i], &info) < 0)
        {
          virResetLastError ();
          virStorageVolFree (vols[i]);
          continue;
        }

      vi.name = name;
      vi.key = virStorageVolGetKey (vols[i]);
      vi.capacity = info.capacity;
      vi.allocation = info.allocation;
      vi.store_name = cfg->name;
      vi.pool_name = cfg->name;
      vi.host_uri = uri;

      if (g_str_equal (type, "iscsi-direct"))
        {
          const char *lun = strrchr (name, ':');

          /* LUN 0 of many targets is the controller, not a disk. */
          if (info.capacity == 0 || lun == NULL)
            {
              virStorageVolFree (vols[i]);
              continue;
            }
          net_name = g_strdup_printf ("%s/%s", cfg->target_iqn, lun + 1);
          vi.type = KVMMIG_VOLUME_TYPE_NETWORK;
          vi.protocol = "iscsi";
          vi.net_host = cfg->portal_host;
          vi.net_port = cfg->portal_port;
          vi.net_name = net_name;
          vi.auth_username = cfg->chap_username;
          vi.auth_usage = cfg->chap_username ? usage : NULL;
        }
      else if (g_str_equal (type, "iscsi") || g_str_equal (type, "logical"))
        {
          if (info.capacity == 0)
            {
              virStorageVolFree (vols[i]);
              continue;
            }
          vi.type = KVMMIG_VOLUME_TYPE_BLOCK;
          vi.path = path;
        }
      else
        {
          format = vol_format (vols[i]);
          vi.type = KVMMIG_VOLUME_TYPE_FILE;
          vi.path = path;
          vi.format = format;
        }

      probe = _kvmmig_volume_new (&vi);
      for (guint g = 0; g < guests->len; g++)
        {
          KvmmigGuestDisks *guest = g_ptr_array_index (guests, g);

          for (guint d = 0; d < guest->disks->len; d++)
            if (_kvmmig_volume_matches_disk (probe, g_ptr_array_index (guest->disks, d)))
              {
                g_ptr_array_add (users, guest->name);
                break;
              }
        }
      g_ptr_array_add (users, NULL);
      g_ptr_array_add (volumes, _kvmmig_volume_with_guests (probe, (const char * const *) users->pdata));
      virStorageVolFree (vols[i]);
    }
  g_free (vols);

  g_ptr_array_sort (volumes, compare_volumes);
  return g_steal_pointer (&volumes);
}

static KvmmigVolume *
find_in (GPtrArray  *volumes,
         const char *name)
{
  for (guint i = 0; i < volumes->len; i++)
    {
      KvmmigVolume *volume = g_ptr_array_index (volumes, i);

      if (g_str_equal (kvmmig_volume_get_name (volume), name))
        return g_object_ref (volume);
    }
  return NULL;
}

static KvmmigVolume *
lookup_on_host (StoreOp        *op,
                virConnectPtr   conn,
                const char     *name,
                GError        **error)
{
  g_autoptr(GPtrArray) volumes = list_on_host (op, conn, error);
  KvmmigVolume *volume;

  if (volumes == NULL)
    return NULL;
  volume = find_in (volumes, name);
  if (volume == NULL)
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_NOT_FOUND,
                 "%s: store '%s' has no volume '%s' (pool '%s')", op_where (op),
                 op->cfg->name, name, op->cfg->name);
  return volume;
}

/* -- volumes on this machine (LVM) -- */

static gboolean
local_lvm_check (StoreOp  *op,
                 GError  **error)
{
  if (!store_validate (op->cfg, _kvmmig_this_machine (), error))
    return FALSE;
  if (!is_lvm (op->cfg))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_SUPPORTED,
                   "%s: store '%s' has no volume group: its volumes are reached "
                   "through a host's storage pool; pass a host", _kvmmig_this_machine (), op->cfg->name);
      return FALSE;
    }
  return TRUE;
}

static KvmmigVolume *
volume_from_lv (const StoreConfig *cfg,
                const KvmmigLvmLv *lv)
{
  g_autofree char *path = g_strdup_printf ("/dev/%s/%s", lv->vg, lv->name);
  KvmmigVolumeInfo vi = {
    .name = lv->name, .key = lv->uuid, .capacity = lv->size, .allocation = lv->size,
    .type = KVMMIG_VOLUME_TYPE_BLOCK, .path = path, .store_name = cfg->name,
    .pool_name = cfg->name, .host_uri = NULL,
  };

  return _kvmmig_volume_new (&vi);
}

static GPtrArray *
list_local (StoreOp  *op,
            GError  **error)
{
  g_autoptr(GPtrArray) lvs = NULL;
  GPtrArray *volumes;

  if (!local_lvm_check (op, error))
    return NULL;
  lvs = _kvmmig_lvm_list (op->cfg->volume_group, error);
  if (lvs == NULL)
    return name_store (op, error);

  volumes = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < lvs->len; i++)
    g_ptr_array_add (volumes, volume_from_lv (op->cfg, g_ptr_array_index (lvs, i)));
  return volumes;
}

static KvmmigVolume *
lookup_local (StoreOp     *op,
              const char  *name,
              GError     **error)
{
  g_autoptr(KvmmigLvmLv) lv = NULL;

  if (!local_lvm_check (op, error))
    return NULL;
  lv = _kvmmig_lvm_lookup (op->cfg->volume_group, name, error);
  return lv ? volume_from_lv (op->cfg, lv) : name_store (op, error);
}

/* -- the volume operations -- */

static gpointer
list_func (StoreOp       *op,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GPtrArray) volumes = NULL;
  GListStore *store;

  if (op->host == NULL)
    volumes = list_local (op, error);
  else
    {
      g_autoptr(virConnect) conn = op_connect (op, error);

      if (conn == NULL || iscsi_needs_host_initiator (op, error))
        return NULL;
      volumes = list_on_host (op, conn, error);
    }
  if (volumes == NULL)
    return NULL;

  store = g_list_store_new (KVMMIG_TYPE_VOLUME);
  g_list_store_splice (store, 0, 0, volumes->pdata, volumes->len);
  return store;
}

static gpointer
lookup_func (StoreOp       *op,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(virConnect) conn = NULL;

  if (!check_volume_name (op, op->name, error))
    return NULL;
  if (op->host == NULL)
    return lookup_local (op, op->name, error);

  conn = op_connect (op, error);
  if (conn == NULL || iscsi_needs_host_initiator (op, error))
    return NULL;
  return lookup_on_host (op, conn, op->name, error);
}

static gboolean
luns_not_managed (StoreOp     *op,
                  const char  *what,
                  GError     **error)
{
  if (op->cfg->kind == KVMMIG_STORE_KIND_ISCSI && !is_lvm (op->cfg))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_SUPPORTED,
                   "%s: store '%s': the LUNs of iSCSI target %s cannot be %s "
                   "through libvirt; manage them on the storage box (for "
                   "example with tgtadm or targetcli), and they appear here "
                   "after a refresh", op_where (op), op->cfg->name,
                   op->cfg->target_iqn, what);
      return TRUE;
    }
  return FALSE;
}

static gboolean
pool_available (StoreOp           *op,
                virStoragePoolPtr  pool,
                guint64           *available,
                GError           **error)
{
  virStoragePoolInfo info;

  if (virStoragePoolGetInfo (pool, &info) < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, op_where (op),
                                 "store '%s': cannot read the free space of pool '%s'",
                                 op->cfg->name, op->cfg->name);
      return FALSE;
    }
  *available = info.available;
  return TRUE;
}

static char *
volume_xml (const StoreConfig *cfg,
            const char        *name,
            guint64            capacity)
{
  g_autoptr(GVirConfigStorageVol) vol = gvir_config_storage_vol_new ();
  gboolean files = cfg->kind == KVMMIG_STORE_KIND_DIRECTORY || cfg->kind == KVMMIG_STORE_KIND_NFS;

  gvir_config_storage_vol_set_name (vol, name);
  gvir_config_storage_vol_set_capacity (vol, capacity);
  /* A sparse file; an LV must be allocated in full (a smaller allocation
   * makes libvirt create a thin snapshot LV). */
  gvir_config_storage_vol_set_allocation (vol, files ? 0 : capacity);
  if (files)
    {
      g_autoptr(GVirConfigStorageVolTarget) target = gvir_config_storage_vol_target_new ();

      gvir_config_storage_vol_target_set_format (target, "raw");
      gvir_config_storage_vol_set_target (vol, target);
    }
  return gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (vol));
}

static gpointer
create_func (StoreOp       *op,
             GCancellable  *cancellable,
             GError       **error)
{
  const StoreConfig *cfg = op->cfg;
  const char *uri = op_where (op);
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(virStoragePool) pool = NULL;
  g_autoptr(virStorageVol) vol = NULL;
  g_autofree char *xml = NULL;
  guint64 available = 0;

  if (!store_validate (cfg, uri, error) || !check_volume_name (op, op->name, error) ||
      luns_not_managed (op, "created", error))
    return NULL;

  if (op->capacity == 0)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: store '%s': volume '%s' cannot have a size of 0",
                   uri, cfg->name, op->name);
      return NULL;
    }

  if (op->host == NULL)
    {
      if (!local_lvm_check (op, error))
        return NULL;
      if (!_kvmmig_lvm_create (cfg->volume_group, op->name, op->capacity, error))
        return name_store (op, error);
      return lookup_local (op, op->name, error);
    }

  conn = op_connect (op, error);
  if (conn == NULL || iscsi_needs_host_initiator (op, error))
    return NULL;
  pool = main_pool (op, conn, error);
  if (pool == NULL)
    return NULL;

  vol = virStorageVolLookupByName (pool, op->name);
  virResetLastError ();
  if (vol != NULL)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_EXISTS,
                   "%s: store '%s' already has a volume '%s' (pool '%s')",
                   uri, cfg->name, op->name, cfg->name);
      return NULL;
    }

  if (!pool_available (op, pool, &available, error))
    return NULL;
  if (op->capacity > available)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NO_SPACE,
                   "%s: store '%s' has %" G_GUINT64_FORMAT " bytes free in pool '%s'; "
                   "volume '%s' of %" G_GUINT64_FORMAT " bytes does not fit",
                   uri, cfg->name, available, cfg->name, op->name, op->capacity);
      return NULL;
    }

  if (_kvmmig_check_cancelled (cancellable, uri, "creating the volume", error))
    return NULL;

  xml = volume_xml (cfg, op->name, op->capacity);
  vol = virStorageVolCreateXML (pool, xml, 0);
  if (vol == NULL)
    {
      int code = _kvmmig_libvirt_last_error_code ();
      virErrorPtr err = virGetLastError ();
      KvmmigError fallback = code == VIR_ERR_STORAGE_VOL_EXIST ? KVMMIG_ERROR_VOLUME_EXISTS
                           : err && err->message && strstr (err->message, "free space")
                             ? KVMMIG_ERROR_NO_SPACE : KVMMIG_ERROR_FAILED;

      _kvmmig_set_libvirt_error (error, fallback, uri,
                                 "store '%s': cannot create volume '%s' in pool '%s'",
                                 cfg->name, op->name, cfg->name);
      return NULL;
    }

  return lookup_on_host (op, conn, op->name, error);
}

static gpointer
delete_func (StoreOp       *op,
             GCancellable  *cancellable,
             GError       **error)
{
  const StoreConfig *cfg = op->cfg;
  const char *uri = op_where (op);
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(virStoragePool) pool = NULL;
  g_autoptr(virStorageVol) vol = NULL;
  g_autoptr(KvmmigVolume) volume = NULL;

  if (!store_validate (cfg, uri, error) || !check_volume_name (op, op->name, error) ||
      luns_not_managed (op, "deleted", error))
    return NULL;

  if (op->host == NULL)
    {
      if (!local_lvm_check (op, error))
        return NULL;
      if (!_kvmmig_lvm_remove (cfg->volume_group, op->name, error))
        return name_store (op, error);
      return GINT_TO_POINTER (TRUE);
    }

  conn = op_connect (op, error);
  if (conn == NULL || iscsi_needs_host_initiator (op, error))
    return NULL;

  volume = lookup_on_host (op, conn, op->name, error);
  if (volume == NULL)
    return NULL;

  if (kvmmig_volume_is_in_use (volume))
    {
      g_autofree char *names = g_strjoinv ("', '", (GStrv) kvmmig_volume_get_guests (volume));

      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_IN_USE,
                   "%s: store '%s': volume '%s' is a disk of guest '%s'; it is not "
                   "deleted", uri, cfg->name, op->name, names);
      return NULL;
    }

  if (_kvmmig_check_cancelled (cancellable, uri, "deleting the volume", error))
    return NULL;

  pool = virStoragePoolLookupByName (conn, cfg->name);
  vol = pool ? virStorageVolLookupByName (pool, op->name) : NULL;
  if (vol == NULL || virStorageVolDelete (vol, 0) < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, uri,
                                 "store '%s': cannot delete volume '%s' of pool '%s'",
                                 cfg->name, op->name, cfg->name);
      return NULL;
    }

  return GINT_TO_POINTER (TRUE);
}

static gpointer
resize_func (StoreOp       *op,
             GCancellable  *cancellable,
             GError       **error)
{
  const StoreConfig *cfg = op->cfg;
  const char *uri = op_where (op);
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(virStoragePool) pool = NULL;
  g_autoptr(virStorageVol) vol = NULL;
  g_autoptr(KvmmigVolume) volume = NULL;
  guint64 available = 0;
  guint64 current;

  if (!store_validate (cfg, uri, error) || !check_volume_name (op, op->name, error) ||
      luns_not_managed (op, "resized", error))
    return NULL;

  if (op->capacity == 0)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: store '%s': volume '%s' cannot be resized to 0 bytes",
                   uri, cfg->name, op->name);
      return NULL;
    }

  if (op->host == NULL)
    {
      if (!local_lvm_check (op, error))
        return NULL;
      if (!_kvmmig_lvm_resize (cfg->volume_group, op->name, op->capacity, error))
        return name_store (op, error);
      return lookup_local (op, op->name, error);
    }

  conn = op_connect (op, error);
  if (conn == NULL || iscsi_needs_host_initiator (op, error))
    return NULL;

  volume = lookup_on_host (op, conn, op->name, error);
  if (volume == NULL)
    return NULL;

  current = kvmmig_volume_get_capacity (volume);
  if (op->capacity < current)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: store '%s': volume '%s' has %" G_GUINT64_FORMAT " bytes; "
                   "shrinking it to %" G_GUINT64_FORMAT " would destroy the data at "
                   "its end, and is not done", uri, cfg->name, op->name, current,
                   op->capacity);
      return NULL;
    }
  if (op->capacity == current)
    return g_steal_pointer (&volume);

  pool = virStoragePoolLookupByName (conn, cfg->name);
  if (pool == NULL || !pool_available (op, pool, &available, error))
    {
      if (pool == NULL)
        _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, uri,
                                   "store '%s': pool '%s' is gone", cfg->name, cfg->name);
      return NULL;
    }
  if (op->capacity - current > available)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NO_SPACE,
                   "%s: store '%s' has %" G_GUINT64_FORMAT " bytes free in pool '%s'; "
                   "growing volume '%s' to %" G_GUINT64_FORMAT " bytes needs %"
                   G_GUINT64_FORMAT, uri, cfg->name, available, cfg->name, op->name,
                   op->capacity, op->capacity - current);
      return NULL;
    }

  vol = virStorageVolLookupByName (pool, op->name);
  if (vol == NULL || virStorageVolResize (vol, op->capacity, 0) < 0)
    {
      gboolean unsupported = _kvmmig_libvirt_last_error_code () == VIR_ERR_NO_SUPPORT ||
                             _kvmmig_libvirt_last_error_code () == VIR_ERR_OPERATION_UNSUPPORTED;

      _kvmmig_set_libvirt_error (error, unsupported ? KVMMIG_ERROR_NOT_SUPPORTED
                                                    : KVMMIG_ERROR_FAILED, uri,
                                 "store '%s': cannot resize volume '%s' of pool '%s'%s",
                                 cfg->name, op->name, cfg->name,
                                 unsupported && is_lvm (cfg)
                                   ? " (libvirt cannot resize logical volumes; resize "
                                     "it on a machine that sees the volume group, with "
                                     "no host)" : "");
      return NULL;
    }

  return lookup_on_host (op, conn, op->name, error);
}

/* -- format -- */

static gpointer
format_func (StoreOp       *op,
             GCancellable  *cancellable,
             GError       **error)
{
  const StoreConfig *cfg = op->cfg;
  g_autofree char *device = g_strdup (op->device);

  if (!local_lvm_check (op, error))
    return NULL;

  if (device == NULL && cfg->kind == KVMMIG_STORE_KIND_BLOCK_DEVICE)
    device = g_strdup (cfg->path);
  else if (device == NULL && cfg->lun >= 0)
    device = g_strdup_printf ("/dev/disk/by-path/ip-%s:%s-iscsi-%s-lun-%d",
                              cfg->portal_host, cfg->portal_port, cfg->target_iqn, cfg->lun);
  if (device == NULL)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: store '%s': which LUN holds volume group '%s'? Set the "
                   "store's LUN or pass the device", _kvmmig_this_machine (), cfg->name,
                   cfg->volume_group);
      return NULL;
    }

  if (!_kvmmig_lvm_format (device, cfg->volume_group, cancellable, error))
    return name_store (op, error);
  return GINT_TO_POINTER (TRUE);
}

/* -- visibility -- */

static gpointer
visibility_func (StoreOp       *op,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(KvmmigStoreVisibility) result = _kvmmig_store_visibility_new (op->cfg->name);

  for (guint i = 0; i < op->hosts->len; i++)
    {
      KvmmigHost *host = g_ptr_array_index (op->hosts, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) volumes = NULL;
      g_autoptr(virConnect) conn = NULL;

      if (_kvmmig_check_cancelled (cancellable, kvmmig_host_get_uri (host),
                                   "checking the store's visibility", error))
        return NULL;

      g_set_object (&op->host, host);
      conn = op_connect (op, error);
      if (conn == NULL)
        return NULL;   /* an invalid store, or a host not open */

      if (!iscsi_needs_host_initiator (op, &local_error))
        volumes = list_on_host (op, conn, &local_error);
      _kvmmig_store_visibility_add_host (result, kvmmig_host_get_uri (host), volumes,
                                         local_error ? local_error->message : NULL);
    }

  _kvmmig_store_visibility_compute (result);
  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------------ */
/* Running operations: inline (sync) or on a worker thread (async)      */

static gpointer
store_op_run (StoreOp       *op,
              GCancellable  *cancellable,
              GError       **error)
{
  if (_kvmmig_check_cancelled (cancellable, op_where (op), "store operation", error))
    return NULL;
  return op->func (op, cancellable, error);
}

static void
store_op_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  StoreOp *op = task_data;
  GError *error = NULL;
  gpointer result = store_op_run (op, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else if (op->boolean)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_pointer (task, result, op->result_free);
}

static void
store_op_start (StoreOp             *op,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (op->store, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, op, (GDestroyNotify) store_op_free);
  g_task_run_in_thread (task, store_op_thread);
}

static gboolean
store_op_finish_boolean (KvmmigSharedStore  *self,
                         GAsyncResult       *result,
                         gpointer            source_tag,
                         GError            **error)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
store_op_finish_pointer (KvmmigSharedStore  *self,
                         GAsyncResult       *result,
                         gpointer            source_tag,
                         GError            **error)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* GObject                                                              */

static void
kvmmig_shared_store_finalize (GObject *object)
{
  KvmmigSharedStore *self = KVMMIG_SHARED_STORE (object);

  g_free (self->name);
  g_free (self->portal);
  g_free (self->target_iqn);
  g_free (self->path);
  g_free (self->nfs_server);
  g_free (self->nfs_export);
  g_free (self->initiator_iqn);
  g_free (self->volume_group);
  g_free (self->chap_username);
  if (self->chap_secret)
    {
      memset (self->chap_secret, 0, strlen (self->chap_secret));
      g_free (self->chap_secret);
    }
  g_hash_table_unref (self->records);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (kvmmig_shared_store_parent_class)->finalize (object);
}

static void
kvmmig_shared_store_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KvmmigSharedStore *self = KVMMIG_SHARED_STORE (object);

  switch (prop_id)
    {
    case PROP_NAME:          g_value_set_string (value, self->name); break;
    case PROP_KIND:          g_value_set_enum (value, self->kind); break;
    case PROP_PORTAL:        g_value_set_string (value, self->portal); break;
    case PROP_TARGET_IQN:    g_value_set_string (value, self->target_iqn); break;
    case PROP_PATH:          g_value_set_string (value, self->path); break;
    case PROP_NFS_SERVER:    g_value_set_string (value, self->nfs_server); break;
    case PROP_NFS_EXPORT:    g_value_set_string (value, self->nfs_export); break;
    case PROP_INITIATOR:     g_value_set_enum (value, kvmmig_shared_store_get_initiator (self)); break;
    case PROP_INITIATOR_IQN:
      g_mutex_lock (&self->lock);
      g_value_set_string (value, self->initiator_iqn);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_VOLUME_GROUP:
      g_mutex_lock (&self->lock);
      g_value_set_string (value, self->volume_group);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_LUN:           g_value_set_int (value, kvmmig_shared_store_get_lun (self)); break;
    case PROP_CHAP_USERNAME:
      g_mutex_lock (&self->lock);
      g_value_set_string (value, self->chap_username);
      g_mutex_unlock (&self->lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_shared_store_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  KvmmigSharedStore *self = KVMMIG_SHARED_STORE (object);

  switch (prop_id)
    {
    case PROP_NAME:          self->name = g_value_dup_string (value); break;
    case PROP_KIND:          self->kind = g_value_get_enum (value); break;
    case PROP_PORTAL:        self->portal = g_value_dup_string (value); break;
    case PROP_TARGET_IQN:    self->target_iqn = g_value_dup_string (value); break;
    case PROP_PATH:          self->path = g_value_dup_string (value); break;
    case PROP_NFS_SERVER:    self->nfs_server = g_value_dup_string (value); break;
    case PROP_NFS_EXPORT:    self->nfs_export = g_value_dup_string (value); break;
    case PROP_INITIATOR:     kvmmig_shared_store_set_initiator (self, g_value_get_enum (value)); break;
    case PROP_INITIATOR_IQN: kvmmig_shared_store_set_initiator_iqn (self, g_value_get_string (value)); break;
    case PROP_VOLUME_GROUP:  kvmmig_shared_store_set_volume_group (self, g_value_get_string (value)); break;
    case PROP_LUN:           kvmmig_shared_store_set_lun (self, g_value_get_int (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_shared_store_class_init (KvmmigSharedStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kvmmig_shared_store_finalize;
  object_class->get_property = kvmmig_shared_store_get_property;
  object_class->set_property = kvmmig_shared_store_set_property;

  /* Hosts must be open to attach: libvirt is initialised by KvmmigHost. */
  g_type_ensure (KVMMIG_TYPE_HOST);

  /**
   * KvmmigSharedStore:name: (getter get_name)
   *
   * The store's name: 1 to 64 letters, digits and `+ _ . -`. The libvirt
   * pool that holds its volumes on each host has this name.
   *
   * Since: 0.1
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, construct);

  /**
   * KvmmigSharedStore:kind: (getter get_kind)
   *
   * What the store is made of.
   *
   * Since: 0.1
   */
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, KVMMIG_TYPE_STORE_KIND,
                                             KVMMIG_STORE_KIND_DIRECTORY, construct);

  /**
   * KvmmigSharedStore:portal: (getter get_portal)
   *
   * The iSCSI portal, `HOST[:PORT]` (the port defaults to 3260); %NULL for
   * other kinds.
   *
   * Since: 0.1
   */
  properties[PROP_PORTAL] = g_param_spec_string ("portal", NULL, NULL, NULL, construct);

  /**
   * KvmmigSharedStore:target-iqn: (getter get_target_iqn)
   *
   * The iSCSI target's name (`iqn.…`); %NULL for other kinds.
   *
   * Since: 0.1
   */
  properties[PROP_TARGET_IQN] = g_param_spec_string ("target-iqn", NULL, NULL, NULL, construct);

  /**
   * KvmmigSharedStore:path: (getter get_path)
   *
   * The shared directory, the NFS mount point on each host, or the shared
   * block device; %NULL for iSCSI stores.
   *
   * Since: 0.1
   */
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, construct);

  /**
   * KvmmigSharedStore:nfs-server: (getter get_nfs_server)
   *
   * The NFS server of an NFS store.
   *
   * Since: 0.1
   */
  properties[PROP_NFS_SERVER] = g_param_spec_string ("nfs-server", NULL, NULL, NULL, construct);

  /**
   * KvmmigSharedStore:nfs-export: (getter get_nfs_export)
   *
   * The exported directory of an NFS store.
   *
   * Since: 0.1
   */
  properties[PROP_NFS_EXPORT] = g_param_spec_string ("nfs-export", NULL, NULL, NULL, construct);

  /**
   * KvmmigSharedStore:initiator: (getter get_initiator) (setter set_initiator)
   *
   * Which initiator of each host reaches an iSCSI store.
   *
   * Since: 0.1
   */
  properties[PROP_INITIATOR] = g_param_spec_enum ("initiator", NULL, NULL,
                                                  KVMMIG_TYPE_ISCSI_INITIATOR,
                                                  KVMMIG_ISCSI_INITIATOR_QEMU, rw);

  /**
   * KvmmigSharedStore:initiator-iqn: (getter get_initiator_iqn) (setter set_initiator_iqn)
   *
   * The iSCSI name the hosts log in with, or %NULL: then each host uses
   * `iqn.2026-11.org.libkvmmig.initiator:HOSTNAME` with QEMU's initiator,
   * and its own configured name with the host's initiator.
   *
   * Since: 0.1
   */
  properties[PROP_INITIATOR_IQN] = g_param_spec_string ("initiator-iqn", NULL, NULL, NULL, rw);

  /**
   * KvmmigSharedStore:volume-group: (getter get_volume_group) (setter set_volume_group)
   *
   * The LVM volume group on the store's LUN (or block device), whose
   * logical volumes are then the store's volumes; %NULL for none.
   *
   * Since: 0.1
   */
  properties[PROP_VOLUME_GROUP] = g_param_spec_string ("volume-group", NULL, NULL, NULL, rw);

  /**
   * KvmmigSharedStore:lun: (getter get_lun) (setter set_lun)
   *
   * The LUN of an iSCSI store that holds the volume group, or -1 if not
   * known; [method@Kvmmig.SharedStore.format] formats it.
   *
   * Since: 0.1
   */
  properties[PROP_LUN] = g_param_spec_int ("lun", NULL, NULL, -1, G_MAXINT, -1, rw);

  /**
   * KvmmigSharedStore:chap-username: (getter get_chap_username)
   *
   * The CHAP user name of an iSCSI store, or %NULL. Set with
   * [method@Kvmmig.SharedStore.set_chap]; the secret has no property.
   *
   * Since: 0.1
   */
  properties[PROP_CHAP_USERNAME] = g_param_spec_string ("chap-username", NULL, NULL, NULL,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kvmmig_shared_store_init (KvmmigSharedStore *self)
{
  g_mutex_init (&self->lock);
  self->lun = -1;
  self->initiator = KVMMIG_ISCSI_INITIATOR_QEMU;
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
}

/* ------------------------------------------------------------------ */
/* For the tests                                                        */

GPtrArray *
_kvmmig_shared_store_pool_xmls (KvmmigSharedStore *self,
                                const char        *initiator_iqn)
{
  g_autoptr(StoreConfig) cfg = store_snapshot (self);
  GPtrArray *xmls = g_ptr_array_new_with_free_func (g_free);

  if (cfg->kind == KVMMIG_STORE_KIND_ISCSI && is_lvm (cfg))
    g_ptr_array_add (xmls, pool_xml (cfg, POOL_TRANSPORT, initiator_iqn));
  g_ptr_array_add (xmls, pool_xml (cfg, POOL_MAIN, initiator_iqn));
  return xmls;
}

char *
_kvmmig_shared_store_secret_xml (KvmmigSharedStore *self)
{
  g_autoptr(StoreConfig) cfg = store_snapshot (self);

  return cfg->chap_username ? secret_xml (cfg) : NULL;
}

/* ------------------------------------------------------------------ */
/* Public API: constructors and properties                              */

/**
 * kvmmig_shared_store_new_iscsi:
 * @name: the store's name (it names the libvirt pools on each host)
 * @portal: the target's portal, `HOST[:PORT]` or `[IPV6]:PORT`
 * @target_iqn: the target's iSCSI name
 *
 * Describes an iSCSI target as a shared store. By default QEMU's own
 * initiator reaches its LUNs (libvirt `iscsi-direct` pools), and each LUN
 * is a volume. Set a volume group with
 * [method@Kvmmig.SharedStore.set_volume_group] (and the host initiator)
 * to have the logical volumes of that group as volumes instead.
 *
 * Nothing is checked until the store is used: an invalid name, portal or
 * IQN gives %KVMMIG_ERROR_INVALID_ARGUMENT then.
 *
 * Returns: (transfer full): a new store
 *
 * Since: 0.1
 */
KvmmigSharedStore *
kvmmig_shared_store_new_iscsi (const char *name,
                               const char *portal,
                               const char *target_iqn)
{
  return g_object_new (KVMMIG_TYPE_SHARED_STORE,
                       "name", name,
                       "kind", KVMMIG_STORE_KIND_ISCSI,
                       "portal", portal,
                       "target-iqn", target_iqn,
                       NULL);
}

/**
 * kvmmig_shared_store_new_directory:
 * @name: the store's name
 * @path: the absolute path of the directory, the same on every host
 *
 * Describes a directory that every host sees at the same path (a cluster
 * file system, or a share mounted outside libvirt) as a shared store; its
 * files are the volumes (libvirt `dir` pools). With libvirt 11 the
 * directory must also be listed in each host's `shared_filesystems`
 * (qemu.conf) for migrations not to be refused as unsafe.
 *
 * Returns: (transfer full): a new store
 *
 * Since: 0.1
 */
KvmmigSharedStore *
kvmmig_shared_store_new_directory (const char *name,
                                   const char *path)
{
  return g_object_new (KVMMIG_TYPE_SHARED_STORE,
                       "name", name,
                       "kind", KVMMIG_STORE_KIND_DIRECTORY,
                       "path", path,
                       NULL);
}

/**
 * kvmmig_shared_store_new_nfs:
 * @name: the store's name
 * @server: the NFS server
 * @export_path: the exported directory on the server
 * @mount_point: where each host mounts it (the directory must exist)
 *
 * Describes an NFS export as a shared store; libvirt mounts it on each
 * host when the store is attached (libvirt `netfs` pools), and its files
 * are the volumes.
 *
 * Returns: (transfer full): a new store
 *
 * Since: 0.1
 */
KvmmigSharedStore *
kvmmig_shared_store_new_nfs (const char *name,
                             const char *server,
                             const char *export_path,
                             const char *mount_point)
{
  return g_object_new (KVMMIG_TYPE_SHARED_STORE,
                       "name", name,
                       "kind", KVMMIG_STORE_KIND_NFS,
                       "nfs-server", server,
                       "nfs-export", export_path,
                       "path", mount_point,
                       NULL);
}

/**
 * kvmmig_shared_store_new_block_device:
 * @name: the store's name
 * @device: the block device, the same path on every host (such as
 *   `/dev/disk/by-id/wwn-…` or `/dev/mapper/mpatha`)
 * @volume_group: the LVM volume group on the device
 *
 * Describes a block device that every host sees (a Fibre Channel or SAS
 * LUN, a multipath device, an iSCSI LUN the hosts log in to themselves)
 * holding an LVM volume group, as a shared store; its logical volumes are
 * the volumes (libvirt `logical` pools).
 *
 * Returns: (transfer full): a new store
 *
 * Since: 0.1
 */
KvmmigSharedStore *
kvmmig_shared_store_new_block_device (const char *name,
                                      const char *device,
                                      const char *volume_group)
{
  KvmmigSharedStore *self = g_object_new (KVMMIG_TYPE_SHARED_STORE,
                                          "name", name,
                                          "kind", KVMMIG_STORE_KIND_BLOCK_DEVICE,
                                          "path", device,
                                          NULL);

  kvmmig_shared_store_set_volume_group (self, volume_group);
  return self;
}

/**
 * kvmmig_shared_store_get_name: (get-property name)
 * @self: a store
 *
 * Gets the store's name.
 *
 * Returns: (transfer none): the name
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_name (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  return self->name;
}

/**
 * kvmmig_shared_store_get_kind: (get-property kind)
 * @self: a store
 *
 * Gets what the store is made of.
 *
 * Returns: the kind of store
 *
 * Since: 0.1
 */
KvmmigStoreKind
kvmmig_shared_store_get_kind (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), KVMMIG_STORE_KIND_DIRECTORY);
  return self->kind;
}

/**
 * kvmmig_shared_store_get_portal: (get-property portal)
 * @self: a store
 *
 * Gets the iSCSI portal of the store.
 *
 * Returns: (transfer none) (nullable): the portal
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_portal (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  return self->portal;
}

/**
 * kvmmig_shared_store_get_target_iqn: (get-property target-iqn)
 * @self: a store
 *
 * Gets the iSCSI target's name.
 *
 * Returns: (transfer none) (nullable): the IQN
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_target_iqn (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  return self->target_iqn;
}

/**
 * kvmmig_shared_store_get_path: (get-property path)
 * @self: a store
 *
 * Gets the shared directory, NFS mount point or block device.
 *
 * Returns: (transfer none) (nullable): the path
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_path (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  return self->path;
}

/**
 * kvmmig_shared_store_get_nfs_server: (get-property nfs-server)
 * @self: a store
 *
 * Gets the NFS server.
 *
 * Returns: (transfer none) (nullable): the server
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_nfs_server (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  return self->nfs_server;
}

/**
 * kvmmig_shared_store_get_nfs_export: (get-property nfs-export)
 * @self: a store
 *
 * Gets the exported directory of an NFS store.
 *
 * Returns: (transfer none) (nullable): the export
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_nfs_export (KvmmigSharedStore *self)
{
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  return self->nfs_export;
}

/**
 * kvmmig_shared_store_get_initiator: (get-property initiator)
 * @self: a store
 *
 * Gets which initiator reaches an iSCSI store.
 *
 * Returns: the initiator
 *
 * Since: 0.1
 */
KvmmigIscsiInitiator
kvmmig_shared_store_get_initiator (KvmmigSharedStore *self)
{
  KvmmigIscsiInitiator initiator;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), KVMMIG_ISCSI_INITIATOR_QEMU);

  g_mutex_lock (&self->lock);
  initiator = self->initiator;
  g_mutex_unlock (&self->lock);
  return initiator;
}

/**
 * kvmmig_shared_store_set_initiator: (set-property initiator)
 * @self: a store
 * @initiator: which initiator the hosts use
 *
 * Sets which initiator of each host reaches an iSCSI store. It applies to
 * later attaches.
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_set_initiator (KvmmigSharedStore    *self,
                                   KvmmigIscsiInitiator  initiator)
{
  gboolean changed;

  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));

  g_mutex_lock (&self->lock);
  changed = self->initiator != initiator;
  self->initiator = initiator;
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INITIATOR]);
}

/**
 * kvmmig_shared_store_get_initiator_iqn: (get-property initiator-iqn)
 * @self: a store
 *
 * Gets the iSCSI name the hosts log in with.
 *
 * Returns: (transfer none) (nullable): the name, or %NULL for each host's
 *   default
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_initiator_iqn (KvmmigSharedStore *self)
{
  const char *iqn;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  iqn = self->initiator_iqn;
  g_mutex_unlock (&self->lock);
  return iqn;
}

/**
 * kvmmig_shared_store_set_initiator_iqn: (set-property initiator-iqn)
 * @self: a store
 * @iqn: (nullable): the iSCSI name to log in with, or %NULL for each
 *   host's default
 *
 * Sets the iSCSI name the hosts log in with (for a target whose ACL lists
 * initiators).
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_set_initiator_iqn (KvmmigSharedStore *self,
                                       const char        *iqn)
{
  gboolean changed;

  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));

  g_mutex_lock (&self->lock);
  changed = g_strcmp0 (self->initiator_iqn, iqn) != 0;
  if (changed)
    {
      g_free (self->initiator_iqn);
      self->initiator_iqn = g_strdup (iqn);
    }
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INITIATOR_IQN]);
}

/**
 * kvmmig_shared_store_get_volume_group: (get-property volume-group)
 * @self: a store
 *
 * Gets the LVM volume group of the store.
 *
 * Returns: (transfer none) (nullable): the volume group, or %NULL
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_volume_group (KvmmigSharedStore *self)
{
  const char *vg;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  vg = self->volume_group;
  g_mutex_unlock (&self->lock);
  return vg;
}

/**
 * kvmmig_shared_store_set_volume_group: (set-property volume-group)
 * @self: a store
 * @volume_group: (nullable): the volume group's name, or %NULL for none
 *
 * Sets the LVM volume group that lives on the store's LUN (or block
 * device). Its logical volumes are then the store's volumes. On an iSCSI
 * store this needs the host initiator
 * ([property@Kvmmig.SharedStore:initiator]): with QEMU's initiator the
 * hosts never see the LUN as a block device.
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_set_volume_group (KvmmigSharedStore *self,
                                      const char        *volume_group)
{
  gboolean changed;

  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));

  g_mutex_lock (&self->lock);
  changed = g_strcmp0 (self->volume_group, volume_group) != 0;
  if (changed)
    {
      g_free (self->volume_group);
      self->volume_group = g_strdup (volume_group);
    }
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME_GROUP]);
}

/**
 * kvmmig_shared_store_get_lun: (get-property lun)
 * @self: a store
 *
 * Gets the LUN that holds the store's volume group.
 *
 * Returns: the LUN, or -1 if not set
 *
 * Since: 0.1
 */
int
kvmmig_shared_store_get_lun (KvmmigSharedStore *self)
{
  int lun;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), -1);

  g_mutex_lock (&self->lock);
  lun = self->lun;
  g_mutex_unlock (&self->lock);
  return lun;
}

/**
 * kvmmig_shared_store_set_lun: (set-property lun)
 * @self: a store
 * @lun: the LUN that holds the volume group, or -1
 *
 * Sets the LUN of an iSCSI store that holds its volume group, so that
 * [method@Kvmmig.SharedStore.format] finds its device
 * (`/dev/disk/by-path/ip-PORTAL-iscsi-IQN-lun-LUN`) on this machine.
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_set_lun (KvmmigSharedStore *self,
                             int                lun)
{
  gboolean changed;

  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (lun >= -1);

  g_mutex_lock (&self->lock);
  changed = self->lun != lun;
  self->lun = lun;
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LUN]);
}

/**
 * kvmmig_shared_store_get_chap_username: (get-property chap-username)
 * @self: a store
 *
 * Gets the CHAP user name of the store. There is no way to read the
 * secret back.
 *
 * Returns: (transfer none) (nullable): the user name, or %NULL
 *
 * Since: 0.1
 */
const char *
kvmmig_shared_store_get_chap_username (KvmmigSharedStore *self)
{
  const char *username;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  username = self->chap_username;
  g_mutex_unlock (&self->lock);
  return username;
}

/**
 * kvmmig_shared_store_set_chap:
 * @self: an iSCSI store
 * @username: (nullable): the CHAP user name, or %NULL for no CHAP
 * @secret: (nullable): the CHAP secret, or %NULL for no CHAP
 *
 * Sets the CHAP credentials the hosts log in to the target with. When the
 * store is attached, the secret goes into a libvirt secret of each host
 * (usage `libkvmmig/NAME`), which the storage pool and the guests' disks
 * refer to. The secret is never logged, never put in an error message,
 * and cannot be read back from the store.
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_set_chap (KvmmigSharedStore *self,
                              const char        *username,
                              const char        *secret)
{
  gboolean changed;

  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));

  g_mutex_lock (&self->lock);
  changed = g_strcmp0 (self->chap_username, username) != 0;
  g_free (self->chap_username);
  self->chap_username = g_strdup (username);
  if (self->chap_secret)
    {
      memset (self->chap_secret, 0, strlen (self->chap_secret));
      g_free (self->chap_secret);
    }
  self->chap_secret = g_strdup (secret);
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHAP_USERNAME]);
}

/* ------------------------------------------------------------------ */
/* Public API: operations                                               */

#define CHECK_HOST(host, val) \
  g_return_val_if_fail (KVMMIG_IS_HOST (host), val)

/**
 * kvmmig_shared_store_attach:
 * @self: a store
 * @host: an open host
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Attaches the store to @host: defines (persistently, with autostart) and
 * starts the libvirt storage pools it needs there, and the libvirt secret
 * for its CHAP credentials. A pool of the store that is already there is
 * kept as it is (started if it was not), so attaching again changes
 * nothing. If any step fails, what was done is undone and the host is
 * left as it was.
 *
 * Errors: %KVMMIG_ERROR_INVALID_ARGUMENT (a bad description, or a pool of
 * that name that is something else), %KVMMIG_ERROR_NOT_SUPPORTED (a volume
 * group with QEMU's initiator), %KVMMIG_ERROR_STORE_UNREACHABLE (the
 * portal does not answer, the target does not exist or refuses the
 * credentials, the directory or volume group is not there),
 * %KVMMIG_ERROR_MISSING_DEPENDENCY (the host's libvirt lacks the storage
 * backend). Blocks the calling thread; see
 * [method@Kvmmig.SharedStore.attach_async].
 *
 * Returns: %TRUE if the store is attached to @host
 *
 * Since: 0.1
 */
gboolean
kvmmig_shared_store_attach (KvmmigSharedStore  *self,
                            KvmmigHost         *host,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autoptr(StoreOp) op = NULL;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), FALSE);
  CHECK_HOST (host, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  op = store_op_new (self, host, attach_func);
  return store_op_run (op, cancellable, error) != NULL;
}

/**
 * kvmmig_shared_store_attach_async:
 * @self: a store
 * @host: an open host
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called when the store is attached
 * @user_data: data for @callback
 *
 * Attaches the store to @host on a worker thread (see
 * [method@Kvmmig.SharedStore.attach]); @callback runs on the calling
 * thread's thread-default main context and calls
 * [method@Kvmmig.SharedStore.attach_finish].
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_attach_async (KvmmigSharedStore   *self,
                                  KvmmigHost          *host,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (KVMMIG_IS_HOST (host));

  op = store_op_new (self, host, attach_func);
  op->boolean = TRUE;
  store_op_start (op, kvmmig_shared_store_attach_async, cancellable, callback, user_data);
}

/**
 * kvmmig_shared_store_attach_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.SharedStore.attach_async].
 *
 * Returns: %TRUE if the store is attached
 *
 * Since: 0.1
 */
gboolean
kvmmig_shared_store_attach_finish (KvmmigSharedStore  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  return store_op_finish_boolean (self, result, kvmmig_shared_store_attach_async, error);
}

/**
 * kvmmig_shared_store_detach:
 * @self: a store
 * @host: an open host
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Detaches the store from @host: undoes what
 * [method@Kvmmig.SharedStore.attach] of this store object did there
 * (stops and undefines the pools it defined, stops the ones it only
 * started, removes the secret it defined), last step first. When this
 * object did not attach the store to @host (another process did), the
 * store's pools and secret found there are stopped and undefined.
 * Detaching a store that is not attached does nothing.
 *
 * Refused with %KVMMIG_ERROR_STORE_IN_USE, and nothing changed, while a
 * guest of @host (running or only defined) has a disk on the store; the
 * message names the guests and disks. Blocks the calling thread; see
 * [method@Kvmmig.SharedStore.detach_async].
 *
 * Returns: %TRUE if the store is no longer attached to @host
 *
 * Since: 0.1
 */
gboolean
kvmmig_shared_store_detach (KvmmigSharedStore  *self,
                            KvmmigHost         *host,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autoptr(StoreOp) op = NULL;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), FALSE);
  CHECK_HOST (host, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  op = store_op_new (self, host, detach_func);
  return store_op_run (op, cancellable, error) != NULL;
}

/**
 * kvmmig_shared_store_detach_async:
 * @self: a store
 * @host: an open host
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called when the store is detached
 * @user_data: data for @callback
 *
 * Detaches the store from @host on a worker thread (see
 * [method@Kvmmig.SharedStore.detach]); @callback runs on the calling
 * thread's thread-default main context and calls
 * [method@Kvmmig.SharedStore.detach_finish].
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_detach_async (KvmmigSharedStore   *self,
                                  KvmmigHost          *host,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (KVMMIG_IS_HOST (host));

  op = store_op_new (self, host, detach_func);
  op->boolean = TRUE;
  store_op_start (op, kvmmig_shared_store_detach_async, cancellable, callback, user_data);
}

/**
 * kvmmig_shared_store_detach_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.SharedStore.detach_async].
 *
 * Returns: %TRUE if the store is detached
 *
 * Since: 0.1
 */
gboolean
kvmmig_shared_store_detach_finish (KvmmigSharedStore  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  return store_op_finish_boolean (self, result, kvmmig_shared_store_detach_async, error);
}

static StoreOp *
visibility_op_new (KvmmigSharedStore *self,
                   GPtrArray         *hosts)
{
  StoreOp *op = store_op_new (self, NULL, visibility_func);

  op->hosts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < hosts->len; i++)
    g_ptr_array_add (op->hosts, g_object_ref (g_ptr_array_index (hosts, i)));
  op->result_free = g_object_unref;
  return op;
}

static gboolean
hosts_are_valid (GPtrArray *hosts)
{
  for (guint i = 0; i < hosts->len; i++)
    if (!KVMMIG_IS_HOST (g_ptr_array_index (hosts, i)))
      return FALSE;
  return TRUE;
}

/**
 * kvmmig_shared_store_check_visibility:
 * @self: a store
 * @hosts: (element-type KvmmigHost): open hosts
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Checks that every host of @hosts sees the same volumes of the store,
 * with the same keys and sizes: each host's pool is refreshed and listed,
 * and the lists compared. A host on which the store is not attached, or
 * whose pool cannot reach the store, is reported in the result (it sees
 * none of the volumes), not as an error. Blocks the calling thread; see
 * [method@Kvmmig.SharedStore.check_visibility_async].
 *
 * Returns: (transfer full): what each host sees, or %NULL on error (an
 *   invalid store, a host that is not open, cancellation)
 *
 * Since: 0.1
 */
KvmmigStoreVisibility *
kvmmig_shared_store_check_visibility (KvmmigSharedStore  *self,
                                      GPtrArray          *hosts,
                                      GCancellable       *cancellable,
                                      GError            **error)
{
  g_autoptr(StoreOp) op = NULL;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  g_return_val_if_fail (hosts != NULL && hosts_are_valid (hosts), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  op = visibility_op_new (self, hosts);
  return store_op_run (op, cancellable, error);
}

/**
 * kvmmig_shared_store_check_visibility_async:
 * @self: a store
 * @hosts: (element-type KvmmigHost): open hosts
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called with the result
 * @user_data: data for @callback
 *
 * Checks what each host of @hosts sees of the store, on a worker thread
 * (see [method@Kvmmig.SharedStore.check_visibility]); @callback runs on the
 * calling thread's thread-default main context and calls
 * [method@Kvmmig.SharedStore.check_visibility_finish].
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_check_visibility_async (KvmmigSharedStore   *self,
                                            GPtrArray           *hosts,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (hosts != NULL && hosts_are_valid (hosts));

  store_op_start (visibility_op_new (self, hosts), kvmmig_shared_store_check_visibility_async,
                  cancellable, callback, user_data);
}

/**
 * kvmmig_shared_store_check_visibility_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.SharedStore.check_visibility_async].
 *
 * Returns: (transfer full): what each host sees, or %NULL on error
 *
 * Since: 0.1
 */
KvmmigStoreVisibility *
kvmmig_shared_store_check_visibility_finish (KvmmigSharedStore  *self,
                                             GAsyncResult       *result,
                                             GError            **error)
{
  return store_op_finish_pointer (self, result, kvmmig_shared_store_check_visibility_async, error);
}

/**
 * kvmmig_shared_store_list_volumes:
 * @self: a store
 * @host: (nullable): an open host the store is attached to, or %NULL to
 *   list the logical volumes of the store's volume group on this machine
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Lists the store's volumes as @host sees them (its pool is refreshed
 * first), each with the guests of @host that use it, sorted by name (LUNs
 * by number). With no host, the store must have a volume group that this
 * machine sees; its logical volumes are read with LVM (libblockdev).
 *
 * A store not attached to @host gives %KVMMIG_ERROR_STORE_UNREACHABLE.
 * Blocks the calling thread; see
 * [method@Kvmmig.SharedStore.list_volumes_async].
 *
 * Returns: (transfer full): a list of [class@Kvmmig.Volume], or %NULL on
 *   error
 *
 * Since: 0.1
 */
GListModel *
kvmmig_shared_store_list_volumes (KvmmigSharedStore  *self,
                                  KvmmigHost         *host,
                                  GCancellable       *cancellable,
                                  GError            **error)
{
  g_autoptr(StoreOp) op = NULL;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  g_return_val_if_fail (host == NULL || KVMMIG_IS_HOST (host), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  op = store_op_new (self, host, list_func);
  return store_op_run (op, cancellable, error);
}

/**
 * kvmmig_shared_store_list_volumes_async:
 * @self: a store
 * @host: (nullable): an open host, or %NULL for this machine (LVM)
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called with the result
 * @user_data: data for @callback
 *
 * Lists the store's volumes on a worker thread (see
 * [method@Kvmmig.SharedStore.list_volumes]); @callback runs on the
 * calling thread's thread-default main context and calls
 * [method@Kvmmig.SharedStore.list_volumes_finish].
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_list_volumes_async (KvmmigSharedStore   *self,
                                        KvmmigHost          *host,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (host == NULL || KVMMIG_IS_HOST (host));

  op = store_op_new (self, host, list_func);
  op->result_free = g_object_unref;
  store_op_start (op, kvmmig_shared_store_list_volumes_async, cancellable, callback, user_data);
}

/**
 * kvmmig_shared_store_list_volumes_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.SharedStore.list_volumes_async].
 *
 * Returns: (transfer full): a list of [class@Kvmmig.Volume], or %NULL on
 *   error
 *
 * Since: 0.1
 */
GListModel *
kvmmig_shared_store_list_volumes_finish (KvmmigSharedStore  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  return store_op_finish_pointer (self, result, kvmmig_shared_store_list_volumes_async, error);
}

static StoreOp *
volume_op_new (KvmmigSharedStore *self,
               KvmmigHost        *host,
               StoreOpFunc        func,
               const char        *name,
               guint64            capacity)
{
  StoreOp *op = store_op_new (self, host, func);

  op->name = g_strdup (name);
  op->capacity = capacity;
  op->result_free = g_object_unref;
  return op;
}

/**
 * kvmmig_shared_store_lookup_volume:
 * @self: a store
 * @host: (nullable): an open host the store is attached to, or %NULL for
 *   this machine (LVM)
 * @name: the volume's name
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Looks up one volume of the store as @host sees it. A volume that does
 * not exist gives %KVMMIG_ERROR_VOLUME_NOT_FOUND. Blocks the calling
 * thread; see [method@Kvmmig.SharedStore.lookup_volume_async].
 *
 * Returns: (transfer full): the volume, or %NULL on error
 *
 * Since: 0.1
 */
KvmmigVolume *
kvmmig_shared_store_lookup_volume (KvmmigSharedStore  *self,
                                   KvmmigHost         *host,
                                   const char         *name,
                                   GCancellable       *cancellable,
                                   GError            **error)
{
  g_autoptr(StoreOp) op = NULL;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  g_return_val_if_fail (host == NULL || KVMMIG_IS_HOST (host), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  op = volume_op_new (self, host, lookup_func, name, 0);
  return store_op_run (op, cancellable, error);
}

/**
 * kvmmig_shared_store_lookup_volume_async:
 * @self: a store
 * @host: (nullable): an open host, or %NULL for this machine (LVM)
 * @name: the volume's name
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called with the result
 * @user_data: data for @callback
 *
 * Looks up one volume on a worker thread (see
 * [method@Kvmmig.SharedStore.lookup_volume]); @callback runs on the
 * calling thread's thread-default main context and calls
 * [method@Kvmmig.SharedStore.lookup_volume_finish].
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_lookup_volume_async (KvmmigSharedStore   *self,
                                         KvmmigHost          *host,
                                         const char          *name,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (host == NULL || KVMMIG_IS_HOST (host));
  g_return_if_fail (name != NULL);

  store_op_start (volume_op_new (self, host, lookup_func, name, 0),
                  kvmmig_shared_store_lookup_volume_async, cancellable, callback, user_data);
}

/**
 * kvmmig_shared_store_lookup_volume_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.SharedStore.lookup_volume_async].
 *
 * Returns: (transfer full): the volume, or %NULL on error
 *
 * Since: 0.1
 */
KvmmigVolume *
kvmmig_shared_store_lookup_volume_finish (KvmmigSharedStore  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  return store_op_finish_pointer (self, result, kvmmig_shared_store_lookup_volume_async, error);
}

/**
 * kvmmig_shared_store_create_volume:
 * @self: a store
 * @host: (nullable): an open host the store is attached to, or %NULL to
 *   create a logical volume on this machine (LVM, libblockdev)
 * @name: the new volume's name
 * @capacity: its size in bytes (LVM rounds it up to whole extents)
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Creates a volume in the store: a sparse raw file in a directory or NFS
 * store, a logical volume in a volume group. The LUNs of an iSCSI target
 * cannot be created through libvirt: that gives
 * %KVMMIG_ERROR_NOT_SUPPORTED.
 *
 * Errors, with nothing created: %KVMMIG_ERROR_INVALID_ARGUMENT (a size of
 * 0, a name with `/` or control characters, or not a valid LV name),
 * %KVMMIG_ERROR_VOLUME_EXISTS, %KVMMIG_ERROR_NO_SPACE (larger than the
 * free space of the store), %KVMMIG_ERROR_STORE_UNREACHABLE (not
 * attached). Blocks the calling thread; see
 * [method@Kvmmig.SharedStore.create_volume_async].
 *
 * Returns: (transfer full): the new volume, or %NULL on error
 *
 * Since: 0.1
 */
KvmmigVolume *
kvmmig_shared_store_create_volume (KvmmigSharedStore  *self,
                                   KvmmigHost         *host,
                                   const char         *name,
                                   guint64             capacity,
                                   GCancellable       *cancellable,
                                   GError            **error)
{
  g_autoptr(StoreOp) op = NULL;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  g_return_val_if_fail (host == NULL || KVMMIG_IS_HOST (host), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  op = volume_op_new (self, host, create_func, name, capacity);
  return store_op_run (op, cancellable, error);
}

/**
 * kvmmig_shared_store_create_volume_async:
 * @self: a store
 * @host: (nullable): an open host, or %NULL for this machine (LVM)
 * @name: the new volume's name
 * @capacity: its size in bytes
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called with the result
 * @user_data: data for @callback
 *
 * Creates a volume on a worker thread (see
 * [method@Kvmmig.SharedStore.create_volume]); @callback runs on the
 * calling thread's thread-default main context and calls
 * [method@Kvmmig.SharedStore.create_volume_finish].
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_create_volume_async (KvmmigSharedStore   *self,
                                         KvmmigHost          *host,
                                         const char          *name,
                                         guint64              capacity,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (host == NULL || KVMMIG_IS_HOST (host));
  g_return_if_fail (name != NULL);

  store_op_start (volume_op_new (self, host, create_func, name, capacity),
                  kvmmig_shared_store_create_volume_async, cancellable, callback, user_data);
}

/**
 * kvmmig_shared_store_create_volume_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.SharedStore.create_volume_async].
 *
 * Returns: (transfer full): the new volume, or %NULL on error
 *
 * Since: 0.1
 */
KvmmigVolume *
kvmmig_shared_store_create_volume_finish (KvmmigSharedStore  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  return store_op_finish_pointer (self, result, kvmmig_shared_store_create_volume_async, error);
}

/**
 * kvmmig_shared_store_delete_volume:
 * @self: a store
 * @host: (nullable): an open host the store is attached to, or %NULL to
 *   remove a logical volume on this machine (LVM, libblockdev)
 * @name: the volume's name
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Deletes a volume of the store, and its data. Refused with
 * %KVMMIG_ERROR_VOLUME_IN_USE while a guest of @host (running or only
 * defined) has it as a disk, or, on this machine, while the logical volume
 * is open. Only guests of @host are seen: delete through each host that
 * might have one. iSCSI LUNs cannot be deleted through libvirt
 * (%KVMMIG_ERROR_NOT_SUPPORTED). Blocks the calling thread; see
 * [method@Kvmmig.SharedStore.delete_volume_async].
 *
 * Returns: %TRUE if the volume was deleted
 *
 * Since: 0.1
 */
gboolean
kvmmig_shared_store_delete_volume (KvmmigSharedStore  *self,
                                   KvmmigHost         *host,
                                   const char         *name,
                                   GCancellable       *cancellable,
                                   GError            **error)
{
  g_autoptr(StoreOp) op = NULL;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), FALSE);
  g_return_val_if_fail (host == NULL || KVMMIG_IS_HOST (host), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  op = volume_op_new (self, host, delete_func, name, 0);
  return store_op_run (op, cancellable, error) != NULL;
}

/**
 * kvmmig_shared_store_delete_volume_async:
 * @self: a store
 * @host: (nullable): an open host, or %NULL for this machine (LVM)
 * @name: the volume's name
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called when the volume is deleted
 * @user_data: data for @callback
 *
 * Deletes a volume on a worker thread (see
 * [method@Kvmmig.SharedStore.delete_volume]); @callback runs on the
 * calling thread's thread-default main context and calls
 * [method@Kvmmig.SharedStore.delete_volume_finish].
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_delete_volume_async (KvmmigSharedStore   *self,
                                         KvmmigHost          *host,
                                         const char          *name,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (host == NULL || KVMMIG_IS_HOST (host));
  g_return_if_fail (name != NULL);

  op = volume_op_new (self, host, delete_func, name, 0);
  op->boolean = TRUE;
  store_op_start (op, kvmmig_shared_store_delete_volume_async, cancellable, callback, user_data);
}

/**
 * kvmmig_shared_store_delete_volume_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.SharedStore.delete_volume_async].
 *
 * Returns: %TRUE if the volume was deleted
 *
 * Since: 0.1
 */
gboolean
kvmmig_shared_store_delete_volume_finish (KvmmigSharedStore  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  return store_op_finish_boolean (self, result, kvmmig_shared_store_delete_volume_async, error);
}

/**
 * kvmmig_shared_store_resize_volume:
 * @self: a store
 * @host: (nullable): an open host the store is attached to, or %NULL to
 *   resize a logical volume on this machine (LVM, libblockdev)
 * @name: the volume's name
 * @capacity: the new size in bytes, at least the current one
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Grows a volume of the store. Shrinking, which would destroy the data at
 * the volume's end, is refused with %KVMMIG_ERROR_INVALID_ARGUMENT; a
 * growth larger than the free space with %KVMMIG_ERROR_NO_SPACE. Files
 * and (on this machine) logical volumes can be resized; libvirt cannot
 * resize logical volumes through a host, nor iSCSI LUNs
 * (%KVMMIG_ERROR_NOT_SUPPORTED). A running guest sees the new size after
 * its disk is resized too (virsh blockresize). Blocks the calling thread;
 * see [method@Kvmmig.SharedStore.resize_volume_async].
 *
 * Returns: (transfer full): the volume with its new size, or %NULL on
 *   error
 *
 * Since: 0.1
 */
KvmmigVolume *
kvmmig_shared_store_resize_volume (KvmmigSharedStore  *self,
                                   KvmmigHost         *host,
                                   const char         *name,
                                   guint64             capacity,
                                   GCancellable       *cancellable,
                                   GError            **error)
{
  g_autoptr(StoreOp) op = NULL;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  g_return_val_if_fail (host == NULL || KVMMIG_IS_HOST (host), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  op = volume_op_new (self, host, resize_func, name, capacity);
  return store_op_run (op, cancellable, error);
}

/**
 * kvmmig_shared_store_resize_volume_async:
 * @self: a store
 * @host: (nullable): an open host, or %NULL for this machine (LVM)
 * @name: the volume's name
 * @capacity: the new size in bytes
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called with the result
 * @user_data: data for @callback
 *
 * Grows a volume on a worker thread (see
 * [method@Kvmmig.SharedStore.resize_volume]); @callback runs on the
 * calling thread's thread-default main context and calls
 * [method@Kvmmig.SharedStore.resize_volume_finish].
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_resize_volume_async (KvmmigSharedStore   *self,
                                         KvmmigHost          *host,
                                         const char          *name,
                                         guint64              capacity,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (host == NULL || KVMMIG_IS_HOST (host));
  g_return_if_fail (name != NULL);

  store_op_start (volume_op_new (self, host, resize_func, name, capacity),
                  kvmmig_shared_store_resize_volume_async, cancellable, callback, user_data);
}

/**
 * kvmmig_shared_store_resize_volume_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.SharedStore.resize_volume_async].
 *
 * Returns: (transfer full): the resized volume, or %NULL on error
 *
 * Since: 0.1
 */
KvmmigVolume *
kvmmig_shared_store_resize_volume_finish (KvmmigSharedStore  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  return store_op_finish_pointer (self, result, kvmmig_shared_store_resize_volume_async, error);
}

static StoreOp *
format_op_new (KvmmigSharedStore *self,
               const char        *device)
{
  StoreOp *op = store_op_new (self, NULL, format_func);

  op->device = g_strdup (device);
  op->boolean = TRUE;
  return op;
}

/**
 * kvmmig_shared_store_format:
 * @self: a store with a volume group
 * @device: (nullable): the block device of the store's LUN on this
 *   machine, or %NULL for the store's own: the device of a block-device
 *   store, or `/dev/disk/by-path/ip-PORTAL-iscsi-IQN-lun-LUN` for the
 *   [property@Kvmmig.SharedStore:lun] of an iSCSI store
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Formats the store's LUN on this machine as its LVM volume group
 * (pvcreate, then vgcreate), through libblockdev. The device must be a
 * block device here. A device that already holds the volume group is left
 * as it is; one that holds another volume group is refused
 * (%KVMMIG_ERROR_INVALID_ARGUMENT), as is a volume group of that name on
 * other devices. If vgcreate fails, the physical volume label is removed
 * again. A missing libblockdev plugin or LVM tool gives
 * %KVMMIG_ERROR_MISSING_DEPENDENCY. Needs root. Blocks the calling thread;
 * see [method@Kvmmig.SharedStore.format_async].
 *
 * Returns: %TRUE if the device holds the volume group
 *
 * Since: 0.1
 */
gboolean
kvmmig_shared_store_format (KvmmigSharedStore  *self,
                            const char         *device,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autoptr(StoreOp) op = NULL;

  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  op = format_op_new (self, device);
  return store_op_run (op, cancellable, error) != NULL;
}

/**
 * kvmmig_shared_store_format_async:
 * @self: a store with a volume group
 * @device: (nullable): the LUN's block device here, or %NULL for the
 *   store's own
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called when the device is formatted
 * @user_data: data for @callback
 *
 * Formats the store's LUN as its volume group on a worker thread (see
 * [method@Kvmmig.SharedStore.format]); @callback runs on the calling
 * thread's thread-default main context and calls
 * [method@Kvmmig.SharedStore.format_finish].
 *
 * Since: 0.1
 */
void
kvmmig_shared_store_format_async (KvmmigSharedStore   *self,
                                  const char          *device,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));

  store_op_start (format_op_new (self, device), kvmmig_shared_store_format_async,
                  cancellable, callback, user_data);
}

/**
 * kvmmig_shared_store_format_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.SharedStore.format_async].
 *
 * Returns: %TRUE if the device holds the volume group
 *
 * Since: 0.1
 */
gboolean
kvmmig_shared_store_format_finish (KvmmigSharedStore  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  return store_op_finish_boolean (self, result, kvmmig_shared_store_format_async, error);
}
