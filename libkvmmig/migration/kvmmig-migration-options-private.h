/* kvmmig-migration-options-private.h: the options of a migration job as
 * one plain struct, copied when it runs and read by its run and its
 * pre-flight checks; and, apart from them, the memory budget that an
 * evacuation gives the jobs it runs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-types.h"

G_BEGIN_DECLS

/* Defaults of the job's properties of the same names. */
#define KVMMIG_MIGRATION_DEFAULT_MAX_DOWNTIME_MS               300
#define KVMMIG_MIGRATION_DEFAULT_POSTCOPY_RECOVERY_TIMEOUT_MS  (5 * 60 * 1000)

/* The ranges of bandwidth-limit (0: none) and max-downtime-ms. */
#define KVMMIG_MIGRATION_MAX_BANDWIDTH_MIB  (1024 * 1024)       /* 1 TiB/s */
#define KVMMIG_MIGRATION_MAX_DOWNTIME_MS    (10 * 60 * 1000)
/* What libvirt takes for no bandwidth limit: QEMU's largest, in MiB/s
 * (INT64_MAX bytes/s). */
#define KVMMIG_MIGRATION_UNLIMITED_MIB ((unsigned long) (G_MAXINT64 / (1024 * 1024)))

/* The options of a job (its writable properties), copied when it runs. */
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
  gboolean require_disk_locking;  /* the disk-locking check fails, not warns */
  gboolean allow_cluster_managed; /* the cluster-managed check warns, not fails */
  KvmmigStorageCopy copy_storage;
  char *copy_storage_pool;        /* the destination's pool for copied disks; NULL: by path */
  gboolean reuse_destination_disks; /* a file already there is copied over */
  gboolean remove_source_disks;   /* after success, the copied disks' source volumes */
  char **migrate_disks;           /* set by the run, never a property: the
                                   * targets of the disks to copy (NULL: none) */
  char **zero_disks;              /* set by the run: those of them copied into a
                                   * volume it created (all zeroes), whose zero
                                   * blocks need not cross the wire */
  char *dest_xml;                 /* set by the run when a copied disk moves: the
                                   * guest's definition for the destination */
  char *persist_xml;              /* ... and its persistent one (persistent guests) */
} KvmmigMigrationOptions;

void _kvmmig_migration_options_init  (KvmmigMigrationOptions       *options);
void _kvmmig_migration_options_copy  (const KvmmigMigrationOptions *from,
                                      KvmmigMigrationOptions       *to);
void _kvmmig_migration_options_clear (KvmmigMigrationOptions       *options);

/* Set by an evacuation on each job it runs, never by a user: of the
 * destination's free memory when the evacuation started, how much it has
 * promised to the guests it moved or is moving there. The memory check
 * counts both. A job that is not part of an evacuation has none (its
 * pointer is NULL where one is passed). */
typedef struct
{
  guint64 free_memory;
  guint64 promised;
} KvmmigEvacuationBudget;

G_END_DECLS
