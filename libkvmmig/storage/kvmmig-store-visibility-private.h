/* kvmmig-store-visibility-private.h: building a KvmmigStoreVisibility
 * (KvmmigSharedStore's visibility check).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-store-visibility.h"

G_BEGIN_DECLS

KvmmigStoreVisibility *_kvmmig_store_visibility_new      (const char            *store_name);
/* What one host sees: its volumes (KvmmigVolume), or why it sees none. */
void                   _kvmmig_store_visibility_add_host (KvmmigStoreVisibility *self,
                                                          const char            *host_uri,
                                                          GPtrArray             *volumes,
                                                          const char            *failure);
/* Compares the hosts; call once, after the last add_host. */
void                   _kvmmig_store_visibility_compute  (KvmmigStoreVisibility *self);

/* Orders names with numbers by value: unit:0:0:2 before unit:0:0:10. */
int                    _kvmmig_natural_compare           (const char            *a,
                                                          const char            *b);

G_END_DECLS
