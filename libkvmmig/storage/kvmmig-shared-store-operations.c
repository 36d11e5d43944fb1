/* kvmmig-shared-store-operations.c: what a KvmmigSharedStore does, each
 * as a public synchronous call with its _async and _finish forms: attach,
 * detach, check_visibility, list/lookup/create/delete/resize a volume,
 * format. Each builds an operation (kvmmig-store-private.h) and hands it
 * to the runner (kvmmig-store-runner.c); the work is in
 * kvmmig-store-attach.c and kvmmig-store-volumes.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-store-private.h"

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
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), FALSE);
  g_return_val_if_fail (KVMMIG_IS_HOST (host), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _kvmmig_store_op_run (_kvmmig_store_op_new (self, host, &_kvmmig_store_attach_op),
                               cancellable, error) != NULL;
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
  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (KVMMIG_IS_HOST (host));

  _kvmmig_store_op_start (_kvmmig_store_op_new (self, host, &_kvmmig_store_attach_op),
                          kvmmig_shared_store_attach_async, cancellable, callback, user_data);
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
  return _kvmmig_store_op_finish (self, result, kvmmig_shared_store_attach_async, error) != NULL;
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
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), FALSE);
  g_return_val_if_fail (KVMMIG_IS_HOST (host), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _kvmmig_store_op_run (_kvmmig_store_op_new (self, host, &_kvmmig_store_detach_op),
                               cancellable, error) != NULL;
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
  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (KVMMIG_IS_HOST (host));

  _kvmmig_store_op_start (_kvmmig_store_op_new (self, host, &_kvmmig_store_detach_op),
                          kvmmig_shared_store_detach_async, cancellable, callback, user_data);
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
  return _kvmmig_store_op_finish (self, result, kvmmig_shared_store_detach_async, error) != NULL;
}

static KvmmigStoreOp *
visibility_op_new (KvmmigSharedStore *self,
                   GPtrArray         *hosts)
{
  KvmmigStoreOp *op = _kvmmig_store_op_new (self, NULL, &_kvmmig_store_visibility_op);

  op->hosts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < hosts->len; i++)
    g_ptr_array_add (op->hosts, g_object_ref (g_ptr_array_index (hosts, i)));
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
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  g_return_val_if_fail (hosts != NULL && hosts_are_valid (hosts), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _kvmmig_store_op_run (visibility_op_new (self, hosts), cancellable, error);
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

  _kvmmig_store_op_start (visibility_op_new (self, hosts),
                          kvmmig_shared_store_check_visibility_async, cancellable, callback, user_data);
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
  return _kvmmig_store_op_finish (self, result, kvmmig_shared_store_check_visibility_async, error);
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
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  g_return_val_if_fail (host == NULL || KVMMIG_IS_HOST (host), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _kvmmig_store_op_run (_kvmmig_store_op_new (self, host, &_kvmmig_store_list_op),
                               cancellable, error);
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
  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (host == NULL || KVMMIG_IS_HOST (host));

  _kvmmig_store_op_start (_kvmmig_store_op_new (self, host, &_kvmmig_store_list_op),
                          kvmmig_shared_store_list_volumes_async, cancellable, callback, user_data);
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
  return _kvmmig_store_op_finish (self, result, kvmmig_shared_store_list_volumes_async, error);
}

static KvmmigStoreOp *
volume_op_new (KvmmigSharedStore        *self,
               KvmmigHost               *host,
               const KvmmigStoreOpClass *klass,
               const char               *name,
               guint64                   capacity)
{
  KvmmigStoreOp *op = _kvmmig_store_op_new (self, host, klass);

  op->name = g_strdup (name);
  op->capacity = capacity;
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
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  g_return_val_if_fail (host == NULL || KVMMIG_IS_HOST (host), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _kvmmig_store_op_run (volume_op_new (self, host, &_kvmmig_store_lookup_op, name, 0),
                               cancellable, error);
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

  _kvmmig_store_op_start (volume_op_new (self, host, &_kvmmig_store_lookup_op, name, 0),
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
  return _kvmmig_store_op_finish (self, result, kvmmig_shared_store_lookup_volume_async, error);
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
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  g_return_val_if_fail (host == NULL || KVMMIG_IS_HOST (host), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _kvmmig_store_op_run (volume_op_new (self, host, &_kvmmig_store_create_op, name, capacity),
                               cancellable, error);
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

  _kvmmig_store_op_start (volume_op_new (self, host, &_kvmmig_store_create_op, name, capacity),
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
  return _kvmmig_store_op_finish (self, result, kvmmig_shared_store_create_volume_async, error);
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
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), FALSE);
  g_return_val_if_fail (host == NULL || KVMMIG_IS_HOST (host), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _kvmmig_store_op_run (volume_op_new (self, host, &_kvmmig_store_delete_op, name, 0),
                               cancellable, error) != NULL;
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
  g_return_if_fail (KVMMIG_IS_SHARED_STORE (self));
  g_return_if_fail (host == NULL || KVMMIG_IS_HOST (host));
  g_return_if_fail (name != NULL);

  _kvmmig_store_op_start (volume_op_new (self, host, &_kvmmig_store_delete_op, name, 0),
                          kvmmig_shared_store_delete_volume_async, cancellable, callback, user_data);
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
  return _kvmmig_store_op_finish (self, result, kvmmig_shared_store_delete_volume_async, error) != NULL;
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
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), NULL);
  g_return_val_if_fail (host == NULL || KVMMIG_IS_HOST (host), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _kvmmig_store_op_run (volume_op_new (self, host, &_kvmmig_store_resize_op, name, capacity),
                               cancellable, error);
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

  _kvmmig_store_op_start (volume_op_new (self, host, &_kvmmig_store_resize_op, name, capacity),
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
  return _kvmmig_store_op_finish (self, result, kvmmig_shared_store_resize_volume_async, error);
}

static KvmmigStoreOp *
format_op_new (KvmmigSharedStore *self,
               const char        *device)
{
  KvmmigStoreOp *op = _kvmmig_store_op_new (self, NULL, &_kvmmig_store_format_op);

  op->device = g_strdup (device);
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
  g_return_val_if_fail (KVMMIG_IS_SHARED_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _kvmmig_store_op_run (format_op_new (self, device), cancellable, error) != NULL;
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

  _kvmmig_store_op_start (format_op_new (self, device),
                          kvmmig_shared_store_format_async, cancellable, callback, user_data);
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
  return _kvmmig_store_op_finish (self, result, kvmmig_shared_store_format_async, error) != NULL;
}
