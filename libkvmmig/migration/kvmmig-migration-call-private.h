/* kvmmig-migration-call-private.h: libvirt's migration call
 * (virDomainMigrateToURI3) on a thread of its own, which tells the run
 * when it returns; a call the run stops waiting for (after an abort
 * libvirt accepted) ends on its thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

typedef struct _KvmmigMigrationCall KvmmigMigrationCall;
typedef void (*KvmmigMigrationCallDone) (gpointer data);

KvmmigMigrationCall *_kvmmig_migration_call_new          (virDomainPtr          domain,
                                                          const char           *dest_uri,
                                                          virTypedParameterPtr  params,
                                                          int                   nparams,
                                                          unsigned int          flags);
void                 _kvmmig_migration_call_start        (KvmmigMigrationCall  *call,
                                                          KvmmigMigrationCallDone done_func,
                                                          gpointer              done_data);
gboolean             _kvmmig_migration_call_finish       (KvmmigMigrationCall  *call,
                                                          int                  *rc,
                                                          char                **message,
                                                          int                  *err_code);
void                 _kvmmig_migration_call_unref        (KvmmigMigrationCall  *call);

G_END_DECLS
