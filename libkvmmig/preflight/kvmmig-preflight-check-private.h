/* kvmmig-preflight-check-private.h: what a pre-flight check sees. Each
 * check is one file, kvmmig-preflight-ID.c, with one function
 * _kvmmig_preflight_check_ID() that reads the hosts through
 * KvmmigPreflight, changes nothing, and records its outcome with
 * _kvmmig_preflight_record() (kvmmig-preflight-check.c); the table in
 * kvmmig-preflight.c says in which order they run and what each needs
 * from the checks before it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "kvmmig-check-private.h"
#include "kvmmig-disk-copy-private.h"
#include "kvmmig-disk-private.h"
#include "kvmmig-error.h"
#include "kvmmig-host-info.h"
#include "kvmmig-libvirt-private.h"
#include "kvmmig-migration-options-private.h"
#include "kvmmig-xml-private.h"

G_BEGIN_DECLS

/* What the job gives the checks. */
typedef struct
{
  virConnectPtr source;
  virConnectPtr destination;
  const char *source_uri;
  const char *destination_uri;
  const char *guest_name;
  const KvmmigMigrationOptions *options;
  const KvmmigEvacuationBudget *budget;  /* nullable: not an evacuation */
} KvmmigPreflightInput;

typedef struct
{
  const KvmmigPreflightInput *in;
  GPtrArray *checks;              /* KvmmigCheck, in the order recorded */
  GError *first_error;            /* the first FAILED check's error */

  /* What the checks before found, for the checks after them. */
  virDomainPtr domain;            /* source-guest: the guest on the source */
  char uuid[VIR_UUID_STRING_BUFLEN];   /* its UUID, or "" */
  guint64 memory;                 /* its maximum memory, bytes */
  char *definition;               /* its libvirt XML */
  KvmmigHostInfo *source_info;    /* destination: both hosts' identity */
  KvmmigHostInfo *dest_info;
  KvmmigXml xml;                  /* the definition, parsed (needs DEFINITION) */
  GPtrArray *disks;               /* its disks, KvmmigDiskSource (needs DEFINITION) */
  gboolean no_machine_type;       /* machine-type: the destination lacks it */
  GPtrArray *copies;              /* copy-storage: the disks to copy,
                                   * KvmmigDiskCopy; NULL: none */
} KvmmigPreflight;

/* Records one check's outcome. A FAILED one carries @code, and the first
 * FAILED becomes the migration's error. The message names the host URI. */
void _kvmmig_preflight_record (KvmmigPreflight   *pf,
                               const char        *id,
                               const char        *title,
                               KvmmigCheckStatus  status,
                               KvmmigError        code,
                               const char        *format,
                               ...) G_GNUC_PRINTF (6, 7);

/* Whether the check "copy-storage" chose @disk to be copied to the
 * destination (then it is no shared disk: "storage" and "disk-locking"
 * leave it alone). */
gboolean _kvmmig_preflight_disk_is_copied (KvmmigPreflight        *pf,
                                           const KvmmigDiskSource *disk);

/* The checks, in kvmmig-preflight-ID.c each. */
void _kvmmig_preflight_check_options       (KvmmigPreflight *pf);
void _kvmmig_preflight_check_source_guest  (KvmmigPreflight *pf);
void _kvmmig_preflight_check_destination   (KvmmigPreflight *pf);
void _kvmmig_preflight_check_no_active_job (KvmmigPreflight *pf);
void _kvmmig_preflight_check_cluster_managed (KvmmigPreflight *pf);
void _kvmmig_preflight_check_name_free     (KvmmigPreflight *pf);
void _kvmmig_preflight_check_memory        (KvmmigPreflight *pf);
void _kvmmig_preflight_check_qemu_version  (KvmmigPreflight *pf);
void _kvmmig_preflight_check_machine_type  (KvmmigPreflight *pf);
void _kvmmig_preflight_check_cpu           (KvmmigPreflight *pf);
void _kvmmig_preflight_check_copy_storage  (KvmmigPreflight *pf);
void _kvmmig_preflight_check_storage       (KvmmigPreflight *pf);
void _kvmmig_preflight_check_cache_mode    (KvmmigPreflight *pf);
void _kvmmig_preflight_check_disk_locking  (KvmmigPreflight *pf);
void _kvmmig_preflight_check_postcopy      (KvmmigPreflight *pf);

/* Defined by the checks, for the job's own use too. */
/* libvirt takes longer names, but no administrator means one. */
#define KVMMIG_GUEST_NAME_MAX 1024

gboolean _kvmmig_guest_name_is_valid (const char *name);

/* "qemu-version": libvirt's version number as major.minor.micro. */
char      *_kvmmig_hypervisor_version_string (unsigned long version);
/* "machine-type": the machine types a host's capabilities list for @arch
 * (and @virttype), names and canonical names; NULL if not parsable. */
GPtrArray *_kvmmig_capabilities_machines     (const char *caps_xml,
                                              const char *arch,
                                              const char *virttype);

/* What the "cpu" check reads of a guest's definition and of the
 * destination's domain capabilities, as pure functions
 * (tests/fuzz/fuzz-domain-xml.c and fuzz-capabilities-xml.c fuzz them). */
typedef struct
{
  char *virttype;   /* /domain/@type: kvm, qemu */
  char *arch;       /* /domain/os/type/@arch */
  char *machine;    /* /domain/os/type/@machine */
  char *mode;       /* /domain/cpu/@mode; "custom" when only a model is given */
  char *model;      /* /domain/cpu/model */
  char *cpu_xml;    /* the <cpu> element, for libvirt's CPU comparison */
} KvmmigGuestCpu;

void     _kvmmig_guest_cpu_read  (KvmmigXml      *definition,
                                  KvmmigGuestCpu *cpu);
void     _kvmmig_guest_cpu_clear (KvmmigGuestCpu *cpu);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KvmmigGuestCpu, _kvmmig_guest_cpu_clear)

/* Whether domain capabilities @caps_xml (virConnectGetDomainCapabilities)
 * offer CPU mode @mode and, in custom mode, a usable @model; FALSE with
 * *@why saying why not. TRUE when they cannot be read (nothing to go by),
 * and for a mode it does not know. */
gboolean _kvmmig_domcaps_allow_cpu (const char  *caps_xml,
                                    const char  *mode,
                                    const char  *model,
                                    char       **why);

gboolean _kvmmig_options_validate (const KvmmigMigrationOptions  *options,
                                   const char                    *source_uri,
                                   GError                       **error);

G_END_DECLS
