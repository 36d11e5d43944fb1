/* kvmmig-store-visibility.h: KvmmigStoreVisibility, whether every host of
 * a set sees the same volumes of a shared store.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(KVMMIG_INSIDE) && !defined(KVMMIG_COMPILATION)
#error "Only <libkvmmig/kvmmig.h> can be included directly."
#endif

#include <glib-object.h>

#include "kvmmig-types.h"
#include "kvmmig-version-macros.h"

G_BEGIN_DECLS

#define KVMMIG_TYPE_STORE_VISIBILITY (kvmmig_store_visibility_get_type ())

KVMMIG_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (KvmmigStoreVisibility, kvmmig_store_visibility, KVMMIG, STORE_VISIBILITY, GObject)

KVMMIG_AVAILABLE_IN_ALL
gboolean            kvmmig_store_visibility_is_complete      (KvmmigStoreVisibility *self);
KVMMIG_AVAILABLE_IN_ALL
const char         *kvmmig_store_visibility_get_store_name   (KvmmigStoreVisibility *self);
KVMMIG_AVAILABLE_IN_ALL
const char * const *kvmmig_store_visibility_get_host_uris    (KvmmigStoreVisibility *self);
KVMMIG_AVAILABLE_IN_ALL
const char * const *kvmmig_store_visibility_get_volume_names (KvmmigStoreVisibility *self);
KVMMIG_AVAILABLE_IN_ALL
const char * const *kvmmig_store_visibility_get_missing      (KvmmigStoreVisibility *self,
                                                              const char            *host_uri);
KVMMIG_AVAILABLE_IN_ALL
const char * const *kvmmig_store_visibility_get_problems     (KvmmigStoreVisibility *self,
                                                              const char            *host_uri);
KVMMIG_AVAILABLE_IN_ALL
const char         *kvmmig_store_visibility_get_summary      (KvmmigStoreVisibility *self);

G_END_DECLS
