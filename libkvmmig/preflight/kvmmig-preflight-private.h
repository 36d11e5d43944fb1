/* kvmmig-preflight-private.h: the pre-flight checks of a migration job,
 * run before anything moves (and alone by kvmmig_migration_job_check()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-preflight-check-private.h"

G_BEGIN_DECLS

typedef struct
{
  GPtrArray *checks;              /* KvmmigCheck */
  virDomainPtr domain;            /* the guest on the source, if found */
  char *uuid;
  guint64 memory;                 /* the guest's maximum memory, bytes */
  GPtrArray *copies;              /* the disks to copy (KvmmigDiskCopy), or NULL */
} KvmmigPreflightResult;

void     _kvmmig_preflight_result_clear (KvmmigPreflightResult *result);

gboolean _kvmmig_preflight_run (const KvmmigPreflightInput  *input,
                                GCancellable                *cancellable,
                                KvmmigPreflightResult       *result,
                                GError                     **error);

G_END_DECLS
