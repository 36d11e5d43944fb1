/* kvmmig-guest-private.h: building a KvmmigGuest snapshot from a libvirt
 * domain (used by KvmmigHost and KvmmigMigrationJob).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-guest.h"
#include "kvmmig-libvirt-private.h"

G_BEGIN_DECLS

KvmmigGuest      *_kvmmig_guest_new_from_domain (virDomainPtr   domain,
                                                 const char    *host_uri,
                                                 GError       **error);

KvmmigGuestState  _kvmmig_guest_state_from_libvirt (int          state);

GPtrArray        *_kvmmig_guest_list_all        (virConnectPtr   conn,
                                                 const char    *host_uri,
                                                 GError       **error);

void              _kvmmig_guest_update          (KvmmigGuest   *self,
                                                 KvmmigGuest   *from);

G_END_DECLS
