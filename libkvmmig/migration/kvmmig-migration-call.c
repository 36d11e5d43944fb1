/* kvmmig-migration-call.c: libvirt's migration call on a thread of its
 * own. virDomainMigrateToURI3 blocks until the migration ends; an abort
 * while the destination is still preparing takes effect only once the
 * destination answers. libvirt's keepalive ends the call if the
 * destination's daemon does not answer, but nothing does if that daemon
 * waits on a QEMU that never answers. So the run waits for the call until
 * it returns or a deadline passes (set by the monitor after an abort
 * libvirt accepted); past it, the call is left to end on its thread,
 * which holds what it uses.
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
  GCond cond;
  gint64 deadline_us;       /* 0: none */
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
  g_cond_clear (&call->cond);
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
  g_cond_init (&call->cond);
  return call;
}

void
_kvmmig_migration_call_unref (KvmmigMigrationCall *call)
{
  g_atomic_rc_box_release_full (call, (GDestroyNotify) call_clear);
}

/* From any thread: _kvmmig_migration_call_run() waits no later than
 * @deadline_us (monotonic), if the call has not returned by then. */
void
_kvmmig_migration_call_set_deadline (KvmmigMigrationCall *call,
                                     gint64               deadline_us)
{
  g_mutex_lock (&call->lock);
  call->deadline_us = deadline_us;
  g_cond_broadcast (&call->cond);
  g_mutex_unlock (&call->lock);
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
  g_cond_broadcast (&call->cond);
  g_mutex_unlock (&call->lock);

  _kvmmig_migration_call_unref (call);
  return NULL;
}

/* Makes the call and waits for it. Returns TRUE when it returned, with
 * its @rc and, if it failed, libvirt's @message and @err_code; FALSE when
 * the deadline passed first. */
gboolean
_kvmmig_migration_call_run (KvmmigMigrationCall  *call,
                            int                  *rc,
                            char                **message,
                            int                  *err_code)
{
  gboolean done;

  g_thread_unref (g_thread_new ("kvmmig-migrate-call", call_thread,
                                g_atomic_rc_box_acquire (call)));

  g_mutex_lock (&call->lock);
  while (!call->done)
    {
      if (call->deadline_us == 0)
        g_cond_wait (&call->cond, &call->lock);
      else if (!g_cond_wait_until (&call->cond, &call->lock, call->deadline_us) &&
               !call->done && g_get_monotonic_time () >= call->deadline_us)
        break;
    }
  done = call->done;
  if (done)
    {
      *rc = call->rc;
      *err_code = call->err_code;
      *message = g_steal_pointer (&call->message);
    }
  g_mutex_unlock (&call->lock);
  return done;
}
