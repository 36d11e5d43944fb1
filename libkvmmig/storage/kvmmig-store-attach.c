/* kvmmig-store-attach.c: attaching a shared store to a host (its libvirt
 * secret for CHAP, then its pools, each defined by its kind) and detaching
 * it, with the undo log of what attach did there: detach, or a failed
 * attach, undoes exactly that, last step first (see
 * kvmmig-store-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-store-kind-private.h"

/* ------------------------------------------------------------------ */
/* The undo log: what attach did on a host                              */

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
ensure_secret (virConnectPtr             conn,
               const char               *uri,
               const KvmmigStoreConfig  *cfg,
               GPtrArray                *steps,
               GError                  **error)
{
  g_autofree char *usage = _kvmmig_store_secret_usage (cfg);
  g_autoptr(virSecret) secret = NULL;

  secret = virSecretLookupByUsage (conn, VIR_SECRET_USAGE_TYPE_ISCSI, usage);
  virResetLastError ();
  if (secret == NULL)
    {
      g_autofree char *xml = _kvmmig_store_secret_xml (cfg);

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

static gboolean
ensure_pool (virConnectPtr             conn,
             const char               *uri,
             const KvmmigStoreConfig  *cfg,
             const KvmmigStorePool    *store_pool,
             GPtrArray                *steps,
             GError                  **error)
{
  const KvmmigStoreKindOps *ops = store_pool->ops;
  const char *name = store_pool->name;
  const char *type = ops->pool_type;
  g_autofree char *initiator = ops->initiator_iqn ? ops->initiator_iqn (cfg, conn) : NULL;
  g_autofree char *wanted = _kvmmig_store_pool_xml (cfg, store_pool, initiator);
  g_autofree char *where = ops->describe (cfg);
  g_autoptr(virStoragePool) pool = NULL;
  gboolean existed;
  gboolean start;

  pool = virStoragePoolLookupByName (conn, name);
  virResetLastError ();
  existed = pool != NULL;

  if (existed)
    {
      g_autofree char *existing = _kvmmig_store_pool_definition (pool);
      g_autofree char *what = NULL;

      if (!_kvmmig_store_pool_matches (existing, wanted, &what))
        {
          g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                       "%s: store '%s': a storage pool named '%s' already exists "
                       "there and is %s, not a %s pool for %s; give the store "
                       "another name", uri, cfg->name, name, what, type, where);
          return FALSE;
        }
    }

  start = !existed || virStoragePoolIsActive (pool) != 1;
  if (start && ops->before_start != NULL && !ops->before_start (conn, uri, cfg, error))
    return FALSE;

  if (!existed)
    {
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
    }

  if (start)
    {
      if (virStoragePoolCreate (pool, 0) < 0)
        {
          _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, uri,
                                     "store '%s': cannot start pool '%s' (%s, %s)",
                                     cfg->name, name, type, where);
          return FALSE;
        }
      steps_add (steps, STEP_STARTED_POOL, name);
    }
  if (existed)
    g_debug ("%s: store '%s': pool '%s' was already defined", uri, cfg->name, name);

  if (virStoragePoolRefresh (pool, 0) < 0)
    virResetLastError ();
  return TRUE;
}

/* The store's pools on a host: its record, or, when this object did not
 * attach it there, what exists of it. */
static GPtrArray *
existing_steps (virConnectPtr            conn,
                const KvmmigStoreConfig *cfg)
{
  GPtrArray *steps = steps_new ();
  g_autofree char *usage = _kvmmig_store_secret_usage (cfg);
  g_autoptr(virSecret) secret = NULL;
  g_autoptr(GPtrArray) pools = _kvmmig_store_pools (cfg);

  if (cfg->chap_username != NULL &&
      (secret = virSecretLookupByUsage (conn, VIR_SECRET_USAGE_TYPE_ISCSI, usage)) != NULL)
    steps_add (steps, STEP_DEFINED_SECRET, usage);

  for (guint i = 0; i < pools->len; i++)
    {
      const KvmmigStorePool *store_pool = g_ptr_array_index (pools, i);
      g_autofree char *wanted = NULL;
      g_autofree char *existing = NULL;
      g_autofree char *what = NULL;
      g_autoptr(virStoragePool) pool = NULL;

      pool = virStoragePoolLookupByName (conn, store_pool->name);
      if (pool == NULL)
        continue;
      wanted = _kvmmig_store_pool_xml (cfg, store_pool, NULL);
      existing = _kvmmig_store_pool_definition (pool);
      if (!_kvmmig_store_pool_matches (existing, wanted, &what))
        continue;
      if (virStoragePoolIsPersistent (pool) == 1)
        steps_add (steps, STEP_DEFINED_POOL, store_pool->name);
      if (virStoragePoolIsActive (pool) == 1)
        steps_add (steps, STEP_STARTED_POOL, store_pool->name);
    }
  virResetLastError ();
  return steps;
}

/* Whether @disk is on the store (any of its volumes, existing or not). */
static gboolean
store_owns_disk (const KvmmigStoreConfig *cfg,
                 const KvmmigDiskSource  *disk)
{
  g_autofree char *transport = _kvmmig_store_transport_pool_name (cfg);

  if (g_strcmp0 (disk->type, "volume") == 0)
    return g_strcmp0 (disk->pool, cfg->name) == 0 || g_strcmp0 (disk->pool, transport) == 0;
  return cfg->ops->owns_disk (cfg, disk);
}

/* -- attach -- */

static gpointer
attach_func (KvmmigStoreOp  *op,
             GCancellable   *cancellable,
             GError        **error)
{
  const KvmmigStoreConfig *cfg = op->cfg;
  const char *uri = _kvmmig_store_op_where (op);
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(GPtrArray) steps = steps_new ();
  g_autoptr(GPtrArray) pools = NULL;
  gboolean ok = TRUE;
  guint changes;

  conn = _kvmmig_store_op_reach (op, error);
  if (conn == NULL)
    return NULL;

  if (cfg->chap_secret != NULL)
    ok = ensure_secret (conn, uri, cfg, steps, error);

  /* The pool named after the store last: cancelling stops before it. */
  pools = _kvmmig_store_pools (cfg);
  for (guint i = 0; ok && i < pools->len; i++)
    {
      if (i == pools->len - 1 &&
          _kvmmig_check_cancelled (cancellable, uri, "attaching the store", error))
        ok = FALSE;
      else
        ok = ensure_pool (conn, uri, cfg, g_ptr_array_index (pools, i), steps, error);
    }

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

  changes = steps->len;
  _kvmmig_shared_store_record (op->store, uri, g_steal_pointer (&steps));
  g_debug ("%s: store '%s' attached (%u changes)", uri, cfg->name, changes);
  return GINT_TO_POINTER (TRUE);
}

/* -- detach -- */

static char *
describe_users (const KvmmigStoreConfig *cfg,
                GPtrArray               *guests)
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
detach_func (KvmmigStoreOp  *op,
             GCancellable   *cancellable,
             GError        **error)
{
  const KvmmigStoreConfig *cfg = op->cfg;
  const char *uri = _kvmmig_store_op_where (op);
  g_autoptr(virConnect) conn = NULL;
  g_autoptr(GPtrArray) guests = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *users = NULL;
  gboolean ok;

  conn = _kvmmig_store_op_connect (op, error);
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

  steps = _kvmmig_shared_store_take_record (op->store, uri);
  if (steps == NULL)
    steps = existing_steps (conn, cfg);

  ok = undo_steps (conn, uri, cfg->name, steps, error);

  if (!ok && steps->len > 0)
    {
      /* Keep what is still to undo for another detach. */
      _kvmmig_shared_store_record (op->store, uri, g_steal_pointer (&steps));
    }

  if (ok)
    g_debug ("%s: store '%s' detached", uri, cfg->name);
  return ok ? GINT_TO_POINTER (TRUE) : NULL;
}

const KvmmigStoreOpClass _kvmmig_store_attach_op = { attach_func, TRUE };
const KvmmigStoreOpClass _kvmmig_store_detach_op = { detach_func, TRUE };
