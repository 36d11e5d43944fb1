/* kvmmig-host-private.h: what the other classes may use of a KvmmigHost:
 * its libvirt connection, and its URI for messages and for other hosts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-host.h"
#include "kvmmig-libvirt-private.h"

G_BEGIN_DECLS

virConnectPtr _kvmmig_host_ref_connection (KvmmigHost  *self,
                                           GError     **error);
const char   *_kvmmig_host_get_display_uri (KvmmigHost *self);
char         *_kvmmig_host_dup_connection_uri (KvmmigHost *self);
int           _kvmmig_host_authenticate (KvmmigHost           *self,
                                         virConnectCredential *creds,
                                         guint                 n_creds,
                                         gboolean              from_worker,
                                         GCancellable         *cancellable);

G_END_DECLS
