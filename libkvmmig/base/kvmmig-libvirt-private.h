/* kvmmig-libvirt-private.h: glue between libvirt and the rest of the
 * library: one-time initialisation, libvirt's event loop thread, and the
 * translation of libvirt errors into KvmmigError; libvirt URIs; autoptr
 * cleanups of libvirt and libvirt-gconfig types.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "kvmmig-error.h"

G_BEGIN_DECLS

void     _kvmmig_libvirt_init          (void);
void     _kvmmig_libvirt_quiet_connection (virConnectPtr conn);

gboolean _kvmmig_validate_uri          (const char    *uri,
                                        GError       **error);

gboolean _kvmmig_host_name_is_valid    (const char    *host);

/* Whether @uri has the form of an alias of libvirt's client configuration
 * (uri_aliases): no scheme, only letters, digits, '_' and '-'. */
gboolean _kvmmig_uri_is_alias          (const char    *uri);

/* The guest @guest on @conn, as virsh finds it: by ID if @guest is a
 * number, then by UUID if it is one, then by name (a guest may be named
 * "7"). NULL with libvirt's error set (VIR_ERR_NO_DOMAIN: none). */
virDomainPtr _kvmmig_lookup_domain     (virConnectPtr  conn,
                                        const char    *guest);

/* Whether a libvirt URI names the machine this library runs on. */
gboolean _kvmmig_uri_is_local          (const char    *uri);

void     _kvmmig_set_libvirt_error     (GError       **error,
                                        KvmmigError    fallback,
                                        const char    *uri,
                                        const char    *format,
                                        ...) G_GNUC_PRINTF (4, 5);

int      _kvmmig_libvirt_last_error_code (void);
char    *_kvmmig_libvirt_take_message  (int           *code);

gboolean _kvmmig_check_cancelled       (GCancellable  *cancellable,
                                        const char    *uri,
                                        const char    *what,
                                        GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (virConnect, virConnectClose)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virDomain, virDomainFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virStoragePool, virStoragePoolFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virStorageVol, virStorageVolFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virSecret, virSecretFree)

/* libvirt-gconfig 4.0 declares no autoptr cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigCapabilities, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigCapabilitiesHost, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigCapabilitiesCpu, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigCapabilitiesCpuModel, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomain, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainOs, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainClock, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainDisk, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainDiskDriver, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainSerial, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainConsole, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainChardevSourcePty, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVol, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVolTarget, g_object_unref)

G_END_DECLS
