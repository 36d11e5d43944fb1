/* kvmmig-host-private.h: what the other classes may use of a KvmmigHost:
 * its libvirt connection.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-host.h"
#include "kvmmig-libvirt-private.h"

G_BEGIN_DECLS

virConnectPtr _kvmmig_host_ref_connection (KvmmigHost  *self,
                                           GError     **error);

G_END_DECLS
