/* kvmmig-types.h: forward declarations of the libkvmmig classes and the
 * public enumerations they share.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(KVMMIG_INSIDE) && !defined(KVMMIG_COMPILATION)
#error "Only <libkvmmig/kvmmig.h> can be included directly."
#endif

#include <glib-object.h>

#include "kvmmig-version-macros.h"

G_BEGIN_DECLS

typedef struct _KvmmigHost          KvmmigHost;
typedef struct _KvmmigHostInfo      KvmmigHostInfo;
typedef struct _KvmmigGuest         KvmmigGuest;
typedef struct _KvmmigMigrationJob  KvmmigMigrationJob;
typedef struct _KvmmigCheck         KvmmigCheck;
typedef struct _KvmmigPolicyStep    KvmmigPolicyStep;

/**
 * KVMMIG_CLUSTER_METADATA_NS:
 *
 * The XML namespace of the libvirt domain metadata element with which the
 * OCF resource agent `ocf:kvmmig:guest` marks a guest it started for a
 * Pacemaker cluster: `<kvmmig:cluster manager="pacemaker" resource="R"
 * node="N"/>` (key prefix `kvmmig`). The pre-flight check
 * `cluster-managed` refuses to migrate such a guest unless
 * [property@Kvmmig.MigrationJob:allow-cluster-managed] is set.
 *
 * Since: 0.2
 */
#define KVMMIG_CLUSTER_METADATA_NS "https://libkvmmig.org/xmlns/cluster/1"

/**
 * KvmmigGuestState:
 * @KVMMIG_GUEST_STATE_UNKNOWN: the state could not be read
 * @KVMMIG_GUEST_STATE_RUNNING: running
 * @KVMMIG_GUEST_STATE_BLOCKED: blocked on a resource
 * @KVMMIG_GUEST_STATE_PAUSED: paused (by a user, or by a migration's
 *   switchover or a post-copy failure)
 * @KVMMIG_GUEST_STATE_SHUTDOWN: being shut down
 * @KVMMIG_GUEST_STATE_SHUTOFF: not running (defined only)
 * @KVMMIG_GUEST_STATE_CRASHED: crashed
 * @KVMMIG_GUEST_STATE_PMSUSPENDED: suspended by guest power management
 *
 * The state of a guest on a host, as libvirt reports it.
 *
 * Since: 0.1
 */
typedef enum {
  KVMMIG_GUEST_STATE_UNKNOWN,
  KVMMIG_GUEST_STATE_RUNNING,
  KVMMIG_GUEST_STATE_BLOCKED,
  KVMMIG_GUEST_STATE_PAUSED,
  KVMMIG_GUEST_STATE_SHUTDOWN,
  KVMMIG_GUEST_STATE_SHUTOFF,
  KVMMIG_GUEST_STATE_CRASHED,
  KVMMIG_GUEST_STATE_PMSUSPENDED,
} KvmmigGuestState;

/**
 * KvmmigCloseReason:
 * @KVMMIG_CLOSE_REASON_ERROR: a transport error on the connection
 * @KVMMIG_CLOSE_REASON_EOF: the daemon closed the connection (it stopped or
 *   restarted)
 * @KVMMIG_CLOSE_REASON_KEEPALIVE: the daemon stopped answering keepalives
 *   (the host or the network between is down)
 * @KVMMIG_CLOSE_REASON_CLIENT: this program closed the host with
 *   [method@Kvmmig.Host.close]
 *
 * Why a host's connection closed, as given by the
 * [signal@Kvmmig.Host::closed] signal.
 *
 * Since: 0.1
 */
typedef enum {
  KVMMIG_CLOSE_REASON_ERROR,
  KVMMIG_CLOSE_REASON_EOF,
  KVMMIG_CLOSE_REASON_KEEPALIVE,
  KVMMIG_CLOSE_REASON_CLIENT,
} KvmmigCloseReason;

/**
 * KvmmigMigrationState:
 * @KVMMIG_MIGRATION_STATE_NEW: created, not run yet
 * @KVMMIG_MIGRATION_STATE_CHECKING: running the pre-flight checks
 * @KVMMIG_MIGRATION_STATE_MIGRATING: copying memory while the guest runs on
 *   the source (pre-copy)
 * @KVMMIG_MIGRATION_STATE_SWITCHING_OVER: the guest is paused on the source
 *   for the final copy, or already runs on the destination while post-copy
 *   fetches its remaining memory
 * @KVMMIG_MIGRATION_STATE_COMPLETED: the guest runs on the destination
 * @KVMMIG_MIGRATION_STATE_FAILED: the job failed; see the error for where
 *   the guest is
 * @KVMMIG_MIGRATION_STATE_CANCELLED: the job was cancelled; the guest runs
 *   on the source
 * @KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED: post-copy was interrupted (the
 *   link between the hosts broke) and a host says QEMU is paused in
 *   post-copy: the guest is paused on both hosts, its
 *   memory split between them, and the job keeps trying to resume the
 *   post-copy migration until
 *   [property@Kvmmig.MigrationJob:postcopy-recovery-timeout-ms] runs out
 *
 * The state of a [class@Kvmmig.MigrationJob].
 *
 * Since: 0.1
 */
typedef enum {
  KVMMIG_MIGRATION_STATE_NEW,
  KVMMIG_MIGRATION_STATE_CHECKING,
  KVMMIG_MIGRATION_STATE_MIGRATING,
  KVMMIG_MIGRATION_STATE_SWITCHING_OVER,
  KVMMIG_MIGRATION_STATE_COMPLETED,
  KVMMIG_MIGRATION_STATE_FAILED,
  KVMMIG_MIGRATION_STATE_CANCELLED,
  KVMMIG_MIGRATION_STATE_POSTCOPY_PAUSED,
} KvmmigMigrationState;

/**
 * KvmmigMigrationPolicy:
 * @KVMMIG_MIGRATION_POLICY_PRECOPY: plain pre-copy, as `virsh migrate --live`
 *   does: nothing is adjusted while the migration runs
 * @KVMMIG_MIGRATION_POLICY_AUTO: watch the migration and act when it stops
 *   converging: raise the allowed downtime within its limit, throttle the
 *   guest by as much as its measured dirty rate requires, and switch to
 *   post-copy if that is allowed; see [class@Kvmmig.MigrationJob]
 * @KVMMIG_MIGRATION_POLICY_POSTCOPY: one pre-copy pass, then post-copy
 *
 * How a [class@Kvmmig.MigrationJob] drives a migration to completion.
 *
 * Since: 0.1
 */
typedef enum {
  KVMMIG_MIGRATION_POLICY_PRECOPY,
  KVMMIG_MIGRATION_POLICY_AUTO,
  KVMMIG_MIGRATION_POLICY_POSTCOPY,
} KvmmigMigrationPolicy;

/**
 * KvmmigCompression:
 * @KVMMIG_COMPRESSION_NONE: pages are sent as they are
 * @KVMMIG_COMPRESSION_XBZRLE: pages sent again are sent as deltas (helps
 *   guests that rewrite few bytes of many pages)
 * @KVMMIG_COMPRESSION_ZSTD: pages are compressed with zstd; needs
 *   [property@Kvmmig.MigrationJob:parallel-connections] of 2 or more
 *
 * How memory pages are compressed on the wire.
 *
 * Since: 0.1
 */
typedef enum {
  KVMMIG_COMPRESSION_NONE,
  KVMMIG_COMPRESSION_XBZRLE,
  KVMMIG_COMPRESSION_ZSTD,
} KvmmigCompression;

/**
 * KvmmigPolicyAction:
 * @KVMMIG_POLICY_ACTION_SET_DOWNTIME: the allowed downtime was changed
 * @KVMMIG_POLICY_ACTION_THROTTLE: the guest's vCPUs were throttled so that it
 *   dirties memory more slowly than the link sends it
 * @KVMMIG_POLICY_ACTION_START_POSTCOPY: the migration switched to post-copy
 * @KVMMIG_POLICY_ACTION_ABORT_TIMEOUT: the completion timeout ran out and the
 *   migration was aborted
 * @KVMMIG_POLICY_ACTION_EXHAUSTED: nothing more can be tried; the migration
 *   goes on until it converges or times out
 * @KVMMIG_POLICY_ACTION_SYNC_DISK_WRITES: the copy of the guest's disks
 *   ([property@Kvmmig.MigrationJob:copy-storage]) was not shrinking: each
 *   write of the guest to a copied disk now waits until the destination
 *   has it (the policy step's value is the number of disks switched).
 *   Since: 0.2
 *
 * What a step of the convergence policy did; see
 * [signal@Kvmmig.MigrationJob::policy-step].
 *
 * Since: 0.1
 */
typedef enum {
  KVMMIG_POLICY_ACTION_SET_DOWNTIME,
  KVMMIG_POLICY_ACTION_THROTTLE,
  KVMMIG_POLICY_ACTION_START_POSTCOPY,
  KVMMIG_POLICY_ACTION_ABORT_TIMEOUT,
  KVMMIG_POLICY_ACTION_EXHAUSTED,
  KVMMIG_POLICY_ACTION_SYNC_DISK_WRITES,
} KvmmigPolicyAction;

/**
 * KvmmigCheckStatus:
 * @KVMMIG_CHECK_STATUS_PASSED: the check passed
 * @KVMMIG_CHECK_STATUS_WARNING: the check could not be verified fully; the
 *   message says what was not verified. A warning does not stop a migration
 * @KVMMIG_CHECK_STATUS_FAILED: the check failed; the migration would fail
 * @KVMMIG_CHECK_STATUS_SKIPPED: the check does not apply, or an earlier
 *   failure made it meaningless
 *
 * The outcome of one pre-flight [class@Kvmmig.Check].
 *
 * Since: 0.1
 */
typedef enum {
  KVMMIG_CHECK_STATUS_PASSED,
  KVMMIG_CHECK_STATUS_WARNING,
  KVMMIG_CHECK_STATUS_FAILED,
  KVMMIG_CHECK_STATUS_SKIPPED,
} KvmmigCheckStatus;

/**
 * KvmmigGuestLocation:
 * @KVMMIG_GUEST_LOCATION_UNKNOWN: not known (the job has not run, or a host
 *   could not be asked)
 * @KVMMIG_GUEST_LOCATION_SOURCE: the guest runs on the source host
 * @KVMMIG_GUEST_LOCATION_DESTINATION: the guest runs on the destination host
 * @KVMMIG_GUEST_LOCATION_NONE: the guest runs on neither host (it stopped, or
 *   a post-copy failure lost it)
 *
 * Where the guest of a [class@Kvmmig.MigrationJob] runs after the job.
 *
 * Since: 0.1
 */
typedef enum {
  KVMMIG_GUEST_LOCATION_UNKNOWN,
  KVMMIG_GUEST_LOCATION_SOURCE,
  KVMMIG_GUEST_LOCATION_DESTINATION,
  KVMMIG_GUEST_LOCATION_NONE,
} KvmmigGuestLocation;

/**
 * KvmmigStorageCopy:
 * @KVMMIG_STORAGE_COPY_NONE: copy no disk: the guest's disks are on storage
 *   both hosts see (the default)
 * @KVMMIG_STORAGE_COPY_ALL: copy every writable disk that the destination
 *   does not see, whole, while the guest runs (virsh's
 *   `--copy-storage-all`)
 * @KVMMIG_STORAGE_COPY_INCREMENTAL: copy only what the top image of each
 *   such disk holds: for guests on a backing image that the destination
 *   has too (virsh's `--copy-storage-inc`)
 *
 * Which disks of a guest a [class@Kvmmig.MigrationJob] copies to the
 * destination, for hosts that share no storage. See
 * [property@Kvmmig.MigrationJob:copy-storage].
 *
 * Since: 0.2
 */
typedef enum {
  KVMMIG_STORAGE_COPY_NONE,
  KVMMIG_STORAGE_COPY_ALL,
  KVMMIG_STORAGE_COPY_INCREMENTAL,
} KvmmigStorageCopy;

/**
 * KvmmigEventLoopOwner:
 * @KVMMIG_EVENT_LOOP_OWNER_LIBRARY: libkvmmig registered its own
 *   implementation of libvirt's event loop, run by a thread of the library
 *   on a private main context; it also silences libvirt's process-wide
 *   error printing (errors reach the caller as `GError`s)
 * @KVMMIG_EVENT_LOOP_OWNER_APPLICATION: the application registered an
 *   implementation before libkvmmig initialised libvirt (libvirt-glib's
 *   `gvir_event_register()`, libvirt-python's
 *   `virEventRegisterDefaultImpl()`, or its own): libkvmmig uses it, and
 *   the application must keep running it; libkvmmig leaves libvirt's
 *   process-wide error handler alone and silences only its own connections
 *
 * Who runs libvirt's event loop in this process: libvirt allows one
 * implementation per process, and the first registered wins. See
 * [func@Kvmmig.event_loop_get_owner].
 *
 * Since: 0.2
 */
typedef enum {
  KVMMIG_EVENT_LOOP_OWNER_LIBRARY,
  KVMMIG_EVENT_LOOP_OWNER_APPLICATION,
} KvmmigEventLoopOwner;

G_END_DECLS
