/* kvmmig-guest-spec.h: KvmmigGuestSpec, what a new guest on a shared
 * store's volume is (name, memory, vCPUs, its disk, how it boots), for
 * kvmmig_host_define_guest().
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
#include "kvmmig-volume.h"

G_BEGIN_DECLS

/**
 * KvmmigVirtType:
 * @KVMMIG_VIRT_TYPE_KVM: hardware virtualisation (KVM)
 * @KVMMIG_VIRT_TYPE_QEMU: QEMU's emulator (TCG): slower, but runs where
 *   KVM does not
 *
 * How the hypervisor runs a guest (the libvirt domain type).
 *
 * Since: 0.1
 */
typedef enum {
  KVMMIG_VIRT_TYPE_KVM,
  KVMMIG_VIRT_TYPE_QEMU,
} KvmmigVirtType;

#define KVMMIG_TYPE_GUEST_SPEC (kvmmig_guest_spec_get_type ())

KVMMIG_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (KvmmigGuestSpec, kvmmig_guest_spec, KVMMIG, GUEST_SPEC, GObject)

KVMMIG_AVAILABLE_IN_ALL
KvmmigGuestSpec *kvmmig_guest_spec_new            (const char      *name,
                                                   KvmmigVolume    *volume);

KVMMIG_AVAILABLE_IN_ALL
const char      *kvmmig_guest_spec_get_name       (KvmmigGuestSpec *self);
KVMMIG_AVAILABLE_IN_ALL
void             kvmmig_guest_spec_set_name       (KvmmigGuestSpec *self,
                                                   const char      *name);
KVMMIG_AVAILABLE_IN_ALL
KvmmigVolume    *kvmmig_guest_spec_get_volume     (KvmmigGuestSpec *self);
KVMMIG_AVAILABLE_IN_ALL
void             kvmmig_guest_spec_set_volume     (KvmmigGuestSpec *self,
                                                   KvmmigVolume    *volume);
KVMMIG_AVAILABLE_IN_ALL
guint            kvmmig_guest_spec_get_memory_mib (KvmmigGuestSpec *self);
KVMMIG_AVAILABLE_IN_ALL
void             kvmmig_guest_spec_set_memory_mib (KvmmigGuestSpec *self,
                                                   guint            memory_mib);
KVMMIG_AVAILABLE_IN_ALL
guint            kvmmig_guest_spec_get_vcpus      (KvmmigGuestSpec *self);
KVMMIG_AVAILABLE_IN_ALL
void             kvmmig_guest_spec_set_vcpus      (KvmmigGuestSpec *self,
                                                   guint            vcpus);
KVMMIG_AVAILABLE_IN_ALL
KvmmigVirtType   kvmmig_guest_spec_get_virt_type  (KvmmigGuestSpec *self);
KVMMIG_AVAILABLE_IN_ALL
void             kvmmig_guest_spec_set_virt_type  (KvmmigGuestSpec *self,
                                                   KvmmigVirtType   virt_type);
KVMMIG_AVAILABLE_IN_ALL
const char      *kvmmig_guest_spec_get_machine    (KvmmigGuestSpec *self);
KVMMIG_AVAILABLE_IN_ALL
void             kvmmig_guest_spec_set_machine    (KvmmigGuestSpec *self,
                                                   const char      *machine);
KVMMIG_AVAILABLE_IN_ALL
const char      *kvmmig_guest_spec_get_kernel     (KvmmigGuestSpec *self);
KVMMIG_AVAILABLE_IN_ALL
void             kvmmig_guest_spec_set_kernel     (KvmmigGuestSpec *self,
                                                   const char      *kernel);
KVMMIG_AVAILABLE_IN_ALL
const char      *kvmmig_guest_spec_get_initrd     (KvmmigGuestSpec *self);
KVMMIG_AVAILABLE_IN_ALL
void             kvmmig_guest_spec_set_initrd     (KvmmigGuestSpec *self,
                                                   const char      *initrd);
KVMMIG_AVAILABLE_IN_ALL
const char      *kvmmig_guest_spec_get_cmdline    (KvmmigGuestSpec *self);
KVMMIG_AVAILABLE_IN_ALL
void             kvmmig_guest_spec_set_cmdline    (KvmmigGuestSpec *self,
                                                   const char      *cmdline);
KVMMIG_AVAILABLE_IN_ALL
const char      *kvmmig_guest_spec_get_serial_log (KvmmigGuestSpec *self);
KVMMIG_AVAILABLE_IN_ALL
void             kvmmig_guest_spec_set_serial_log (KvmmigGuestSpec *self,
                                                   const char      *path);

KVMMIG_AVAILABLE_IN_ALL
char            *kvmmig_guest_spec_to_xml         (KvmmigGuestSpec *self,
                                                   GError         **error);

G_END_DECLS
