/* kvmmig-host-info.h: KvmmigHostInfo, a snapshot of what a host is and
 * has (hostname, CPU, memory, versions), as returned by
 * kvmmig_host_query_info().
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

#define KVMMIG_TYPE_HOST_INFO (kvmmig_host_info_get_type ())

KVMMIG_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (KvmmigHostInfo, kvmmig_host_info, KVMMIG, HOST_INFO, GObject)

KVMMIG_AVAILABLE_IN_ALL
const char *kvmmig_host_info_get_uri                (KvmmigHostInfo *self);
KVMMIG_AVAILABLE_IN_ALL
const char *kvmmig_host_info_get_hostname           (KvmmigHostInfo *self);
KVMMIG_AVAILABLE_IN_ALL
const char *kvmmig_host_info_get_uuid               (KvmmigHostInfo *self);
KVMMIG_AVAILABLE_IN_ALL
const char *kvmmig_host_info_get_arch               (KvmmigHostInfo *self);
KVMMIG_AVAILABLE_IN_ALL
const char *kvmmig_host_info_get_cpu_model          (KvmmigHostInfo *self);
KVMMIG_AVAILABLE_IN_ALL
guint       kvmmig_host_info_get_cpus               (KvmmigHostInfo *self);
KVMMIG_AVAILABLE_IN_ALL
guint64     kvmmig_host_info_get_memory_total       (KvmmigHostInfo *self);
KVMMIG_AVAILABLE_IN_ALL
guint64     kvmmig_host_info_get_memory_free        (KvmmigHostInfo *self);
KVMMIG_AVAILABLE_IN_ALL
const char *kvmmig_host_info_get_hypervisor         (KvmmigHostInfo *self);
KVMMIG_AVAILABLE_IN_ALL
const char *kvmmig_host_info_get_hypervisor_version (KvmmigHostInfo *self);
KVMMIG_AVAILABLE_IN_ALL
const char *kvmmig_host_info_get_libvirt_version    (KvmmigHostInfo *self);

G_END_DECLS
