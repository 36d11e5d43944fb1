/* kvmmig-error.h: KvmmigError, the error domain of every failure that
 * libkvmmig reports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(KVMMIG_INSIDE) && !defined(KVMMIG_COMPILATION)
#error "Only <libkvmmig/kvmmig.h> can be included directly."
#endif

#include <glib.h>

#include "kvmmig-version-macros.h"

G_BEGIN_DECLS

/**
 * KVMMIG_ERROR:
 *
 * The error domain of libkvmmig: every [struct@GLib.Error] that the library
 * returns is in this domain, with a code from [error@Kvmmig.Error].
 *
 * Since: 0.1
 */
#define KVMMIG_ERROR (kvmmig_error_quark ())

/**
 * KvmmigError:
 * @KVMMIG_ERROR_FAILED: a failure with no more specific code; the message
 *   says what went wrong
 * @KVMMIG_ERROR_INVALID_ARGUMENT: a caller-supplied value is malformed or out
 *   of range (a URI, a name, a size, an option)
 * @KVMMIG_ERROR_HOST_UNREACHABLE: the host's libvirt daemon could not be
 *   reached at its URI
 * @KVMMIG_ERROR_AUTH_FAILED: the host refused the credentials
 * @KVMMIG_ERROR_NOT_OPEN: the host is not open: call
 *   [method@Kvmmig.Host.open] first, or open it again after it was closed
 * @KVMMIG_ERROR_CONNECTION_LOST: the connection to the host broke during the
 *   operation
 * @KVMMIG_ERROR_NOT_SUPPORTED: the host, its hypervisor or this machine
 *   cannot do what was asked
 * @KVMMIG_ERROR_GUEST_NOT_FOUND: no guest of that name on the host
 * @KVMMIG_ERROR_GUEST_NOT_RUNNING: the guest exists but is not running
 * @KVMMIG_ERROR_GUEST_EXISTS: a guest of that name or UUID already exists
 *   on the destination host
 * @KVMMIG_ERROR_INSUFFICIENT_MEMORY: the destination has not enough free
 *   memory for the guest
 * @KVMMIG_ERROR_CPU_INCOMPATIBLE: the destination cannot provide the guest's
 *   CPU model or features
 * @KVMMIG_ERROR_STORAGE_NOT_SHARED: a disk of the guest is on storage the
 *   destination does not see at the same path or network source
 * @KVMMIG_ERROR_UNSAFE_CACHE: a disk of the guest uses a cache mode that is
 *   not safe for live migration
 * @KVMMIG_ERROR_POSTCOPY_UNSUPPORTED: post-copy was asked for but a host
 *   cannot do it
 * @KVMMIG_ERROR_JOB_ACTIVE: the guest is already being migrated or has
 *   another job running
 * @KVMMIG_ERROR_MIGRATION_FAILED: the migration failed; the guest still runs
 *   on its source
 * @KVMMIG_ERROR_TIMEOUT: the migration did not complete within its completion
 *   timeout and was aborted; the guest still runs on its source
 * @KVMMIG_ERROR_GUEST_LOST: the migration failed and the guest runs on
 *   neither host: its QEMU died, or a post-copy migration failed (the guest
 *   is then paused on both hosts); the message says which
 * @KVMMIG_ERROR_SAME_HOST: source and destination are the same host
 * @KVMMIG_ERROR_STORE_UNREACHABLE: a host cannot reach the shared store
 *   (portal down, wrong target, wrong credentials, export not mounted)
 * @KVMMIG_ERROR_STORE_IN_USE: the store cannot be detached from a host
 *   because a guest there uses one of its volumes
 * @KVMMIG_ERROR_VOLUME_NOT_FOUND: no volume of that name on the store
 * @KVMMIG_ERROR_VOLUME_EXISTS: a volume of that name already exists
 * @KVMMIG_ERROR_VOLUME_IN_USE: the volume is a disk of a guest
 * @KVMMIG_ERROR_NO_SPACE: the store has not enough free space
 * @KVMMIG_ERROR_MISSING_DEPENDENCY: a tool, plugin or kernel feature that
 *   the operation needs is missing on the machine that runs it (the message
 *   names it)
 * @KVMMIG_ERROR_PEER_UNREACHABLE: in a peer-to-peer migration, the source
 *   host's daemon could not connect to the destination's (SSH: no key, an
 *   unknown or changed host key, the login refused, no sshd), although this
 *   program could: nothing was copied and the guest runs on the source;
 *   the message names the destination, the transport and what to fix. A
 *   destination over TLS or TCP that the source's daemon cannot reach
 *   still fails with %KVMMIG_ERROR_MIGRATION_FAILED
 * @KVMMIG_ERROR_HYPERVISOR_TOO_OLD: the destination's QEMU is older than the
 *   source's, and QEMU migrates only to the same or a newer version (the
 *   pre-flight check `qemu-version`); the message gives both versions.
 *   Since: 0.2
 * @KVMMIG_ERROR_MACHINE_TYPE_UNSUPPORTED: the destination's QEMU does not
 *   have the guest's machine type (the pre-flight check `machine-type`);
 *   the message names it and the newest of its family that the
 *   destination has. Since: 0.2
 * @KVMMIG_ERROR_NO_DISK_LOCKING: a host has no lock manager for the guest's
 *   shared disks, or it cannot be told whether it has one (the pre-flight
 *   check `disk-locking`), and
 *   [property@Kvmmig.MigrationJob:require-disk-locking] is set; the message
 *   names the host and the disks. Since: 0.2
 * @KVMMIG_ERROR_NO_STORAGE_POOL: a disk to copy
 *   ([property@Kvmmig.MigrationJob:copy-storage]) has no storage pool on
 *   the destination to go to: none has its directory as target path, or
 *   the pool named by [property@Kvmmig.MigrationJob:copy-storage-pool] is
 *   missing or inactive, or has another target path and is not a
 *   directory pool (the pre-flight check `copy-storage`).
 *   Since: 0.2
 * @KVMMIG_ERROR_DISK_NOT_COPYABLE: a disk the destination does not see
 *   cannot be copied to it (a network, directory or shareable disk, a
 *   block device outside a storage pool, or, for an incremental copy, a
 *   backing image the destination lacks); the message names the disk and
 *   what to do. Since: 0.2
 * @KVMMIG_ERROR_CLUSTER_MANAGED: a cluster manager owns the guest (the
 *   pre-flight check `cluster-managed`: the resource agent
 *   `ocf:kvmmig:guest` marked it) and
 *   [property@Kvmmig.MigrationJob:allow-cluster-managed] is not set; the
 *   message names the resource and the cluster's command that moves it.
 *   Since: 0.2
 *
 * Error codes in the `KVMMIG_ERROR` domain ([func@Kvmmig.Error.quark]). Each code is a failure a
 * caller can act on differently; every message names the host URI and the
 * object (guest, pool, volume) it is about.
 *
 * Since: 0.1
 */
typedef enum {
  KVMMIG_ERROR_FAILED,
  KVMMIG_ERROR_INVALID_ARGUMENT,
  KVMMIG_ERROR_HOST_UNREACHABLE,
  KVMMIG_ERROR_AUTH_FAILED,
  KVMMIG_ERROR_NOT_OPEN,
  KVMMIG_ERROR_CONNECTION_LOST,
  KVMMIG_ERROR_NOT_SUPPORTED,
  /* 7 was KVMMIG_ERROR_CANCELLED: a cancelled operation now fails with
   * G_IO_ERROR_CANCELLED, as in every GIO-based library. */
  KVMMIG_ERROR_GUEST_NOT_FOUND = 8,
  KVMMIG_ERROR_GUEST_NOT_RUNNING,
  KVMMIG_ERROR_GUEST_EXISTS,
  KVMMIG_ERROR_INSUFFICIENT_MEMORY,
  KVMMIG_ERROR_CPU_INCOMPATIBLE,
  KVMMIG_ERROR_STORAGE_NOT_SHARED,
  KVMMIG_ERROR_UNSAFE_CACHE,
  KVMMIG_ERROR_POSTCOPY_UNSUPPORTED,
  KVMMIG_ERROR_JOB_ACTIVE,
  KVMMIG_ERROR_MIGRATION_FAILED,
  KVMMIG_ERROR_TIMEOUT,
  KVMMIG_ERROR_GUEST_LOST,
  KVMMIG_ERROR_SAME_HOST,
  KVMMIG_ERROR_STORE_UNREACHABLE,
  KVMMIG_ERROR_STORE_IN_USE,
  KVMMIG_ERROR_VOLUME_NOT_FOUND,
  KVMMIG_ERROR_VOLUME_EXISTS,
  KVMMIG_ERROR_VOLUME_IN_USE,
  KVMMIG_ERROR_NO_SPACE,
  KVMMIG_ERROR_MISSING_DEPENDENCY,
  KVMMIG_ERROR_PEER_UNREACHABLE,
  KVMMIG_ERROR_HYPERVISOR_TOO_OLD,
  KVMMIG_ERROR_MACHINE_TYPE_UNSUPPORTED,
  KVMMIG_ERROR_NO_DISK_LOCKING,
  KVMMIG_ERROR_NO_STORAGE_POOL,
  KVMMIG_ERROR_DISK_NOT_COPYABLE,
  KVMMIG_ERROR_CLUSTER_MANAGED,
} KvmmigError;

KVMMIG_AVAILABLE_IN_ALL
GQuark kvmmig_error_quark (void);

G_END_DECLS
