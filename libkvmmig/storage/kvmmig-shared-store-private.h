/* kvmmig-shared-store-private.h: what the tests may inspect of a
 * KvmmigSharedStore: the libvirt XML it defines on hosts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-shared-store.h"

G_BEGIN_DECLS

/* The pools attach defines, in order (the transport pool of an iSCSI
 * store with a volume group first), as XML; @initiator_iqn is the one a
 * host would get. */
GPtrArray *_kvmmig_shared_store_pool_xmls  (KvmmigSharedStore *self,
                                            const char        *initiator_iqn);
/* The libvirt secret attach defines for CHAP (without its value), or NULL. */
char      *_kvmmig_shared_store_secret_xml (KvmmigSharedStore *self);

G_END_DECLS
