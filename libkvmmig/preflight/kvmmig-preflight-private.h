/* kvmmig-preflight-private.h: the pre-flight checks of a migration job,
 * run before anything moves (and alone by kvmmig_migration_job_check()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-libvirt-private.h"
#include "kvmmig-migration-options-private.h"
#include "kvmmig-types.h"

G_BEGIN_DECLS

typedef struct
{
  virConnectPtr source;
  virConnectPtr destination;
  const char *source_uri;
  const char *destination_uri;
  const char *guest_name;
  const KvmmigMigrationOptions *options;
  const KvmmigEvacuationBudget *budget;  /* nullable: not an evacuation */
} KvmmigPreflightInput;

typedef struct
{
  GPtrArray *checks;              /* KvmmigCheck */
  virDomainPtr domain;            /* the guest on the source, if found */
  char *uuid;
  guint64 memory;                 /* the guest's maximum memory, bytes */
} KvmmigPreflightResult;

void     _kvmmig_preflight_result_clear (KvmmigPreflightResult *result);

gboolean _kvmmig_preflight_run (const KvmmigPreflightInput  *input,
                                GCancellable                *cancellable,
                                KvmmigPreflightResult       *result,
                                GError                     **error);

/* libvirt takes longer names, but no administrator means one. */
#define KVMMIG_GUEST_NAME_MAX 1024

gboolean _kvmmig_guest_name_is_valid (const char *name);

gboolean _kvmmig_options_validate (const KvmmigMigrationOptions  *options,
                                   const char                    *source_uri,
                                   GError                       **error);

G_END_DECLS
