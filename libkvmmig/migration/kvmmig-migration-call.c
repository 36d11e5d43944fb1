/* kvmmig-migration-call.c: libvirt's migration call on a thread of its
 * own. virDomainMigrateToURI3 blocks until the migration ends; an abort
 * while the destination is still preparing takes effect only once the
 * destination answers. libvirt's keepalive ends the call if the
 * destination's daemon does not answer, but nothing does if that daemon
 * waits on a QEMU that never answers. So the run watches the migration
 * (its monitor loop) until the call returns, which the call tells it
 * through a callback, or until its own deadline after an abort libvirt
 * accepted passes; then it finishes the call: if the call has not
 * returned, it is left to end on its thread, which holds what it uses,
 * and no longer calls back.
 *
 * Locks: the callback runs under the call's lock, and takes the run's;
 * so nothing calls into the call while it holds the run's lock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-libvirt-private.h"
#include "kvmmig-migration-call-private.h"

struct _KvmmigMigrationCall
{
  virDomainPtr domain;
  char *dest_uri;
  virTypedParameterPtr params;
  int nparams;
  unsigned int flags;

  GMutex lock;
  KvmmigMigrationCallDone done_func;   /* NULL once finished */
  gpointer done_data;
  gboolean done;
  int rc;
  int err_code;
  char *message;
};

static void
call_clear (KvmmigMigrationCall *call)
{
  virDomainFree (call->domain);
  g_free (call->dest_uri);
  virTypedParamsFree (call->params, call->nparams);
  g_free (call->message);
  g_mutex_clear (&call->lock);
}

/* Takes @params; refers to @domain. */
KvmmigMigrationCall *
_kvmmig_migration_call_new (virDomainPtr         domain,
                            const char          *dest_uri,
                            virTypedParameterPtr params,
                            int                  nparams,
                            unsigned int         flags)
{
  KvmmigMigrationCall *call = g_atomic_rc_box_new0 (KvmmigMigrationCall);

  virDomainRef (domain);
  call->domain = domain;
  call->dest_uri = g_strdup (dest_uri);
  call->params = params;
  call->nparams = nparams;
  call->flags = flags;
  g_mutex_init (&call->lock);
  return call;
}

void
_kvmmig_migration_call_unref (KvmmigMigrationCall *call)
{
  g_atomic_rc_box_release_full (call, (GDestroyNotify) call_clear);
}

static gpointer
call_thread (gpointer data)
{
  KvmmigMigrationCall *call = data;
  int err_code = VIR_ERR_OK;
  char *message = NULL;
  int rc;

  rc = virDomainMigrateToURI3 (call->domain, call->dest_uri, call->params,
                               call->nparams, call->flags);
  if (rc < 0)
    message = _kvmmig_libvirt_take_message (&err_code);
  else
    virResetLastError ();

  g_mutex_lock (&call->lock);
  call->done = TRUE;
  call->rc = rc;
  call->err_code = err_code;
  call->message = message;
  if (call->done_func != NULL)
    call->done_func (call->done_data);
  g_mutex_unlock (&call->lock);

  _kvmmig_migration_call_unref (call);
  return NULL;
}

/* Makes the call on a thread of its own, and returns. @done_func is
 * called on that thread when the call returns, unless
 * _kvmmig_migration_call_finish() came first; it must not call back into
 * @call. */
void
_kvmmig_migration_call_start (KvmmigMigrationCall     *call,
                              KvmmigMigrationCallDone  done_func,
                              gpointer                 done_data)
{
  call->done_func = done_func;
  call->done_data = done_data;
  g_thread_unref (g_thread_new ("kvmmig-call", call_thread,
                                g_atomic_rc_box_acquire (call)));
}

/* Returns TRUE when the call has returned, with its @rc and, if it
 * failed, libvirt's @message and @err_code; FALSE when it has not yet.
 * Either way @done_func is not called after it. */
gboolean
_kvmmig_migration_call_finish (KvmmigMigrationCall  *call,
                               int                  *rc,
                               char                **message,
                               int                  *err_code)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&call->lock);

  call->done_func = NULL;
  call->done_data = NULL;
  if (!call->done)
    return FALSE;
  *rc = call->rc;
  *err_code = call->err_code;
  *message = g_steal_pointer (&call->message);
  return TRUE;
}
