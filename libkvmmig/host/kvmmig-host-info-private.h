/* kvmmig-host-info-private.h: reading a KvmmigHostInfo from a libvirt
 * connection.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-host-info.h"
#include "kvmmig-libvirt-private.h"

G_BEGIN_DECLS

KvmmigHostInfo *_kvmmig_host_info_new_from_connection (virConnectPtr   conn,
                                                       const char     *uri,
                                                       GError        **error);

G_END_DECLS
