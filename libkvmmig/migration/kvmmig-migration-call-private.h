/* kvmmig-migration-call-private.h: libvirt's migration call
 * (virDomainMigrateToURI3) on a thread of its own, waited for until it
 * returns or a deadline set from another thread (the run's monitor, after
 * an abort libvirt accepted) passes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

typedef struct _KvmmigMigrationCall KvmmigMigrationCall;

KvmmigMigrationCall *_kvmmig_migration_call_new          (virDomainPtr          domain,
                                                          const char           *dest_uri,
                                                          virTypedParameterPtr  params,
                                                          int                   nparams,
                                                          unsigned int          flags);
void                 _kvmmig_migration_call_set_deadline (KvmmigMigrationCall  *call,
                                                          gint64                deadline_us);
gboolean             _kvmmig_migration_call_run          (KvmmigMigrationCall  *call,
                                                          int                  *rc,
                                                          char                **message,
                                                          int                  *err_code);
void                 _kvmmig_migration_call_unref        (KvmmigMigrationCall  *call);

G_END_DECLS
