/* kvmmig-host-define.c: kvmmig_host_define_guest() and
 * kvmmig_host_start_guest(), the "virt-install" step of the shared-store
 * workflow: a guest whose disk is a shared store's volume, defined
 * persistently on a host, then started. Declared in kvmmig-host.h (its
 * "Guests on shared storage" section).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-guest-private.h"
#include "kvmmig-guest-spec.h"
#include "kvmmig-host-private.h"
#include "kvmmig-disk-private.h"
#include "kvmmig-task-private.h"
#include "kvmmig-util-private.h"
#include "kvmmig-volume-private.h"

/* A guest to define (with its XML and volume) or, without XML, one to
 * start. */
typedef struct
{
  char *name;
  char *xml;              /* built on the caller's thread */
  KvmmigVolume *volume;
} GuestOp;

static void
guest_op_free (GuestOp *op)
{
  g_free (op->name);
  g_free (op->xml);
  g_clear_object (&op->volume);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GuestOp, guest_op_free)

static gboolean
check_volume_here (virConnectPtr   conn,
                   const char     *uri,
                   GuestOp        *op,
                   GError        **error)
{
  g_autoptr(KvmmigDiskSource) disk = _kvmmig_volume_to_disk_source (op->volume);
  g_autoptr(GPtrArray) guests = NULL;
  g_autofree char *detail = NULL;
  KvmmigCheckStatus status;

  status = _kvmmig_storage_find_disk (conn, disk, &detail);
  if (status == KVMMIG_CHECK_STATUS_FAILED)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_NOT_FOUND,
                   "%s: guest '%s': the host does not see volume '%s' of store '%s' "
                   "(%s): %s", uri, op->name, kvmmig_volume_get_name (op->volume),
                   kvmmig_volume_get_store_name (op->volume),
                   kvmmig_volume_get_source (op->volume), detail);
      return FALSE;
    }
  if (status == KVMMIG_CHECK_STATUS_WARNING)
    g_debug ("%s: guest '%s': volume '%s': %s", uri, op->name,
             kvmmig_volume_get_name (op->volume), detail);

  guests = _kvmmig_list_guest_disks (conn, uri, error);
  if (guests == NULL)
    return FALSE;

  for (guint i = 0; i < guests->len; i++)
    {
      KvmmigGuestDisks *guest = g_ptr_array_index (guests, i);

      for (guint d = 0; d < guest->disks->len; d++)
        if (_kvmmig_volume_matches_disk (op->volume, g_ptr_array_index (guest->disks, d)))
          {
            g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_VOLUME_IN_USE,
                         "%s: guest '%s': volume '%s' of store '%s' is already a disk "
                         "of guest '%s' (%s) there; two guests writing one volume "
                         "destroy its data", uri, op->name,
                         kvmmig_volume_get_name (op->volume),
                         kvmmig_volume_get_store_name (op->volume), guest->name,
                         guest->active ? "running" : "defined");
            return FALSE;
          }
    }
  return TRUE;
}

static KvmmigGuest *
define_guest (virConnectPtr   conn,
              const char     *uri,
              GuestOp        *op,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(virDomain) domain = NULL;

  if (_kvmmig_check_cancelled (cancellable, uri, "defining the guest", error))
    return NULL;

  domain = virDomainLookupByName (conn, op->name);
  virResetLastError ();
  if (domain != NULL)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_EXISTS,
                   "%s: a guest named '%s' already exists there (%s); it is left "
                   "as it is", uri, op->name,
                   virDomainIsActive (domain) == 1 ? "running" : "defined");
      return NULL;
    }

  if (!check_volume_here (conn, uri, op, error))
    return NULL;

  domain = virDomainDefineXMLFlags (conn, op->xml, VIR_DOMAIN_DEFINE_VALIDATE);
  if (domain == NULL)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, uri,
                                 "cannot define guest '%s'", op->name);
      return NULL;
    }

  g_debug ("%s: guest '%s' defined on volume '%s' (%s)", uri, op->name,
           kvmmig_volume_get_name (op->volume), kvmmig_volume_get_source (op->volume));
  return _kvmmig_guest_new_from_domain (domain, uri, error);
}

static gboolean
start_guest (virConnectPtr   conn,
             const char     *uri,
             const char     *name,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autoptr(virDomain) domain = NULL;

  if (*name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: a guest name must be non-empty UTF-8", uri);
      return FALSE;
    }

  if (_kvmmig_check_cancelled (cancellable, uri, "starting the guest", error))
    return FALSE;

  domain = virDomainLookupByName (conn, name);
  if (domain == NULL)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_GUEST_NOT_FOUND, uri,
                                 "cannot find guest '%s'", name);
      return FALSE;
    }

  if (virDomainIsActive (domain) == 1)
    return TRUE;

  if (virDomainCreate (domain) < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, uri,
                                 "cannot start guest '%s'", name);
      return FALSE;
    }
  return TRUE;
}

/* Runs @op on @host: the new guest, or for a start a non-NULL token; NULL
 * on error. */
static gpointer
guest_op_run (KvmmigHost    *host,
              GuestOp       *op,
              GCancellable  *cancellable,
              GError       **error)
{
  const char *uri = _kvmmig_host_get_display_uri (host);
  g_autoptr(virConnect) conn = _kvmmig_host_ref_connection (host, error);

  if (conn == NULL)
    return NULL;
  if (op->xml != NULL)
    return define_guest (conn, uri, op, cancellable, error);
  return start_guest (conn, uri, op->name, cancellable, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
guest_op_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  gpointer result = guest_op_run (source_object, task_data, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else  /* a start's TRUE is no object to unref */
    g_task_return_pointer (task, result, ((GuestOp *) task_data)->xml ? g_object_unref : NULL);
}

static GuestOp *
start_op_new (const char *name)
{
  GuestOp *op = g_new0 (GuestOp, 1);

  op->name = g_strdup (name);
  return op;
}

/* Builds the op on the caller's thread: the spec is read only here. */
static GuestOp *
guest_op_new (KvmmigHost       *host,
              KvmmigGuestSpec  *spec,
              GError          **error)
{
  g_autoptr(GuestOp) op = g_new0 (GuestOp, 1);

  op->xml = kvmmig_guest_spec_to_xml (spec, error);
  if (op->xml == NULL)
    {
      g_prefix_error (error, "%s: ", _kvmmig_host_get_display_uri (host));
      return NULL;
    }
  op->name = g_strdup (kvmmig_guest_spec_get_name (spec));
  op->volume = g_object_ref (kvmmig_guest_spec_get_volume (spec));
  return g_steal_pointer (&op);
}

/**
 * kvmmig_host_define_guest:
 * @self: an open host
 * @spec: what the guest is
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Defines on the host, persistently, the guest that @spec describes, with
 * its volume as disk `vda`; the guest is then ready to start
 * ([method@Kvmmig.Host.start_guest]). The domain XML is
 * [method@Kvmmig.GuestSpec.to_xml]'s, validated by libvirt against its
 * schema.
 *
 * Nothing is defined, and the error says why, when: a guest of that name
 * exists there (%KVMMIG_ERROR_GUEST_EXISTS); the host does not see the
 * volume, its store not being attached there
 * (%KVMMIG_ERROR_VOLUME_NOT_FOUND; a LUN reached by QEMU's own initiator
 * is only verified when an iSCSI pool for its target is active there); a
 * guest of the host already has the volume as a disk
 * (%KVMMIG_ERROR_VOLUME_IN_USE); @spec is incomplete
 * (%KVMMIG_ERROR_INVALID_ARGUMENT). Only this host's guests are checked
 * for the volume. Blocks the calling thread; see
 * [method@Kvmmig.Host.define_guest_async].
 *
 * Returns: (transfer full): the defined guest, or %NULL on error
 *
 * Since: 0.1
 */
KvmmigGuest *
kvmmig_host_define_guest (KvmmigHost       *self,
                          KvmmigGuestSpec  *spec,
                          GCancellable     *cancellable,
                          GError          **error)
{
  g_autoptr(GuestOp) op = NULL;

  g_return_val_if_fail (KVMMIG_IS_HOST (self), NULL);
  g_return_val_if_fail (KVMMIG_IS_GUEST_SPEC (spec), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  op = guest_op_new (self, spec, error);
  if (op == NULL)
    return NULL;
  return guest_op_run (self, op, cancellable, error);
}

/**
 * kvmmig_host_define_guest_async:
 * @self: an open host
 * @spec: what the guest is; read before this function returns
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called with the result
 * @user_data: data for @callback
 *
 * Defines the guest on a worker thread (see
 * [method@Kvmmig.Host.define_guest]); @callback runs on the calling
 * thread's thread-default main context and calls
 * [method@Kvmmig.Host.define_guest_finish].
 *
 * Since: 0.1
 */
void
kvmmig_host_define_guest_async (KvmmigHost          *self,
                                KvmmigGuestSpec     *spec,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  GuestOp *op;

  g_return_if_fail (KVMMIG_IS_HOST (self));
  g_return_if_fail (KVMMIG_IS_GUEST_SPEC (spec));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kvmmig_host_define_guest_async);
  g_task_set_check_cancellable (task, FALSE);

  op = guest_op_new (self, spec, &error);
  if (op == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, op, (GDestroyNotify) guest_op_free);
  g_task_run_in_thread (task, guest_op_thread);
}

/**
 * kvmmig_host_define_guest_finish:
 * @self: a host
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.Host.define_guest_async].
 *
 * Returns: (transfer full): the defined guest, or %NULL on error
 *
 * Since: 0.1
 */
KvmmigGuest *
kvmmig_host_define_guest_finish (KvmmigHost    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), NULL);

  return _kvmmig_task_finish_pointer (self, result, kvmmig_host_define_guest_async, error);
}

/**
 * kvmmig_host_start_guest:
 * @self: an open host
 * @name: the name of a guest defined on the host
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Starts a guest defined on the host (a guest that already runs is left
 * running). A guest that does not exist gives
 * %KVMMIG_ERROR_GUEST_NOT_FOUND. Returns once QEMU runs the guest, not
 * when its operating system has booted. Blocks the calling thread; see
 * [method@Kvmmig.Host.start_guest_async].
 *
 * Returns: %TRUE if the guest runs
 *
 * Since: 0.1
 */
gboolean
kvmmig_host_start_guest (KvmmigHost    *self,
                         const char    *name,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GuestOp) op = NULL;

  g_return_val_if_fail (KVMMIG_IS_HOST (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  op = start_op_new (name);
  return guest_op_run (self, op, cancellable, error) != NULL;
}

/**
 * kvmmig_host_start_guest_async:
 * @self: an open host
 * @name: the name of a guest defined on the host
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called when the guest runs
 * @user_data: data for @callback
 *
 * Starts a guest on a worker thread (see
 * [method@Kvmmig.Host.start_guest]); @callback runs on the calling
 * thread's thread-default main context and calls
 * [method@Kvmmig.Host.start_guest_finish].
 *
 * Since: 0.1
 */
void
kvmmig_host_start_guest_async (KvmmigHost          *self,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KVMMIG_IS_HOST (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kvmmig_host_start_guest_async);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, start_op_new (name), (GDestroyNotify) guest_op_free);
  g_task_run_in_thread (task, guest_op_thread);
}

/**
 * kvmmig_host_start_guest_finish:
 * @self: a host
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.Host.start_guest_async].
 *
 * Returns: %TRUE if the guest runs
 *
 * Since: 0.1
 */
gboolean
kvmmig_host_start_guest_finish (KvmmigHost    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), FALSE);

  return _kvmmig_task_finish_pointer (self, result, kvmmig_host_start_guest_async, error) != NULL;
}
