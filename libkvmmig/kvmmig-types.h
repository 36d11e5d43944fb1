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

typedef struct _KvmmigHost     KvmmigHost;
typedef struct _KvmmigHostInfo KvmmigHostInfo;
typedef struct _KvmmigGuest    KvmmigGuest;

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

G_END_DECLS
