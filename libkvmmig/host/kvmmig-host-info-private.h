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

/* A host's UUID, CPU arch and CPU model from its capabilities XML
 * (virConnectGetCapabilities), which @what names, each NULL when it does
 * not give it (the test driver has no CPU model); FALSE with a
 * KvmmigError when the XML cannot be read. Pure: tests/fuzz/
 * fuzz-capabilities-xml.c fuzzes it. */
gboolean _kvmmig_capabilities_read (const char  *xml,
                                    const char  *what,
                                    char       **uuid,
                                    char       **arch,
                                    char       **cpu_model,
                                    GError     **error);

G_END_DECLS
