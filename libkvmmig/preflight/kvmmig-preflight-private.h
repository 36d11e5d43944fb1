/* kvmmig-preflight-private.h: the pre-flight checks of a migration job,
 * run before anything moves (and alone by kvmmig_migration_job_check()).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-libvirt-private.h"
#include "kvmmig-types.h"

G_BEGIN_DECLS

/* The options of a job, copied when it runs. */
typedef struct
{
  int bandwidth_limit;            /* MiB/s, 0 = none; checked at run */
  int max_downtime_ms;            /* checked at run */
  KvmmigMigrationPolicy policy;
  gboolean allow_postcopy;
  gboolean persistent;
  gboolean undefine_source;
  int parallel_connections;       /* checked at run */
  KvmmigCompression compression;
  gboolean tls;
  char *migration_uri;
  gint completion_timeout_ms;     /* -1 none, 0 automatic */
  gint postcopy_recovery_timeout_ms; /* 0 none: give up at once */
  /* Set by an evacuation: of the destination's free memory when it
   * started, how much it has promised to the guests it moved or is moving
   * there (-1 free = no such budget). */
  gint64 evacuation_free_memory;
  guint64 evacuation_promised;
} KvmmigMigrationOptions;

void _kvmmig_migration_options_clear (KvmmigMigrationOptions *options);

typedef struct
{
  virConnectPtr source;
  virConnectPtr destination;
  const char *source_uri;
  const char *destination_uri;
  const char *guest_name;
  const KvmmigMigrationOptions *options;
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
