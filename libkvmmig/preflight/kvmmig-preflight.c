/* kvmmig-preflight.c: the pre-flight checks of a migration job. Each
 * check reads the two hosts through libvirt and changes nothing, except
 * that the destination's storage pools are refreshed to see whether it
 * reaches the guest's disks. Every check becomes a KvmmigCheck; the first
 * failure becomes the job's error.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "kvmmig-check-private.h"
#include "kvmmig-host-info-private.h"
#include "kvmmig-preflight-private.h"
#include "kvmmig-disk-private.h"
#include "kvmmig-xml-private.h"

#define MIB (1024.0 * 1024.0)

/* QEMU gained post-copy in 2.6 (and libvirt's support in 1.3.3). */
#define POSTCOPY_MIN_QEMU_VERSION 2006000

void
_kvmmig_preflight_result_clear (KvmmigPreflightResult *result)
{
  g_clear_pointer (&result->checks, g_ptr_array_unref);
  g_clear_pointer (&result->domain, virDomainFree);
  g_clear_pointer (&result->uuid, g_free);
}

/* ------------------------------------------------------------------ */
/* Reading XML                                                          */

static char *
xml_node_dump (KvmmigXml  *xml,
               xmlNodePtr  node)
{
  xmlBufferPtr buf = xmlBufferCreate ();
  char *text;

  xmlNodeDump (buf, xml->doc, node, 0, 0);
  text = g_strdup ((const char *) xmlBufferContent (buf));
  xmlBufferFree (buf);
  return text;
}

/* ------------------------------------------------------------------ */
/* Recording checks                                                     */

typedef struct
{
  const KvmmigPreflightInput *in;
  GPtrArray *checks;
  GError *first_error;
} Preflight;

static void
record (Preflight         *pf,
        const char        *id,
        const char        *title,
        KvmmigCheckStatus  status,
        KvmmigError        code,
        const char        *format,
        ...) G_GNUC_PRINTF (6, 7);

static void
record (Preflight         *pf,
        const char        *id,
        const char        *title,
        KvmmigCheckStatus  status,
        KvmmigError        code,
        const char        *format,
        ...)
{
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (status == KVMMIG_CHECK_STATUS_FAILED)
    {
      error = g_error_new_literal (KVMMIG_ERROR, code, message);
      if (pf->first_error == NULL)
        pf->first_error = g_error_copy (error);
    }

  g_debug ("pre-flight %s: %d: %s", id, status, message);
  g_ptr_array_add (pf->checks, _kvmmig_check_new (id, title, status, message, error));
}

/* ------------------------------------------------------------------ */
/* The checks                                                           */

gboolean
_kvmmig_guest_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > KVMMIG_GUEST_NAME_MAX || !g_utf8_validate (name, len, NULL))
    return FALSE;
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* The ranges of the job's numeric options, checked here rather than by
 * the property setters, so that a bad value from any language gives a
 * KvmmigError that names it. */
#define MAX_BANDWIDTH_MIB (1024 * 1024)           /* 1 TiB/s */
#define MAX_DOWNTIME_MS   (10 * 60 * 1000)
#define MAX_PARALLEL      255

gboolean
_kvmmig_options_validate (const KvmmigMigrationOptions  *o,
                          const char                    *source_uri,
                          GError                       **error)
{
  if (o->bandwidth_limit < 0 || o->bandwidth_limit > MAX_BANDWIDTH_MIB)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: bandwidth-limit %d MiB/s is out of range: 0 (no limit) "
                   "to %d", source_uri, o->bandwidth_limit, MAX_BANDWIDTH_MIB);
      return FALSE;
    }

  if (o->max_downtime_ms < 1 || o->max_downtime_ms > MAX_DOWNTIME_MS)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: max-downtime-ms %d is out of range: 1 to %d",
                   source_uri, o->max_downtime_ms, MAX_DOWNTIME_MS);
      return FALSE;
    }

  if (o->parallel_connections < 0 || o->parallel_connections > MAX_PARALLEL)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: parallel-connections %d is out of range: 0 to %d",
                   source_uri, o->parallel_connections, MAX_PARALLEL);
      return FALSE;
    }

  if (o->postcopy_recovery_timeout_ms < 0)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: postcopy-recovery-timeout-ms %d is out of range: 0 (do not "
                   "retry) or a positive number of ms", source_uri,
                   o->postcopy_recovery_timeout_ms);
      return FALSE;
    }

  if (o->completion_timeout_ms < -1)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: completion-timeout-ms %d is out of range: -1 (none), 0 "
                   "(automatic) or a positive number of ms", source_uri,
                   o->completion_timeout_ms);
      return FALSE;
    }

  if (o->compression == KVMMIG_COMPRESSION_ZSTD && o->parallel_connections < 2)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: compression zstd needs parallel-connections of 2 or more "
                   "(it is %d)", source_uri, o->parallel_connections);
      return FALSE;
    }

  if (o->compression == KVMMIG_COMPRESSION_XBZRLE && o->parallel_connections >= 2)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: compression xbzrle cannot be combined with "
                   "parallel-connections (%d); use zstd", source_uri,
                   o->parallel_connections);
      return FALSE;
    }

  if (o->policy == KVMMIG_MIGRATION_POLICY_POSTCOPY &&
      o->compression != KVMMIG_COMPRESSION_NONE)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: policy postcopy cannot be combined with compression",
                   source_uri);
      return FALSE;
    }

  if (o->migration_uri != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (o->migration_uri, G_URI_FLAGS_NONE, NULL);
      const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

      if (uri == NULL || g_uri_get_host (uri) == NULL ||
          !_kvmmig_host_name_is_valid (g_uri_get_host (uri)) ||
          (g_strcmp0 (scheme, "tcp") != 0 && g_strcmp0 (scheme, "rdma") != 0))
        {
          g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                       "%s: migration-uri '%s' is not of the form "
                       "tcp://ADDRESS[:PORT]", source_uri, o->migration_uri);
          return FALSE;
        }
    }

  return TRUE;
}

static void
check_options (Preflight *pf)
{
  g_autoptr(GError) error = NULL;

  if (_kvmmig_options_validate (pf->in->options, pf->in->source_uri, &error))
    record (pf, "options", "The options agree with each other",
            KVMMIG_CHECK_STATUS_PASSED, 0, "options are consistent");
  else
    record (pf, "options", "The options agree with each other",
            KVMMIG_CHECK_STATUS_FAILED, error->code, "%s", error->message);
}

static virDomainPtr
check_source_guest (Preflight *pf)
{
  const char *title = "The guest exists and runs on the source";
  const char *uri = pf->in->source_uri;
  const char *name = pf->in->guest_name;
  g_autoptr(virDomain) domain = NULL;
  int state = 0;
  int reason = 0;

  if (!_kvmmig_guest_name_is_valid (name))
    {
      g_autofree char *valid = g_utf8_make_valid (name, MIN (strlen (name), 64));
      g_autoptr(GString) shown = g_string_new (NULL);

      /* Control characters shown as escapes: the message stays one line. */
      for (const char *c = valid; *c != '\0'; c++)
        {
          if ((guchar) *c < 0x20 || *c == 0x7f)
            g_string_append_printf (shown, "\\x%02x", (guchar) *c);
          else
            g_string_append_c (shown, *c);
        }
      record (pf, "source-guest", title, KVMMIG_CHECK_STATUS_FAILED,
              KVMMIG_ERROR_INVALID_ARGUMENT,
              "%s: '%s%s' is not a guest name: it must be 1 to %d bytes of UTF-8 "
              "without control characters", uri, shown->str, strlen (name) > 64 ? "..." : "",
              KVMMIG_GUEST_NAME_MAX);
      return NULL;
    }

  domain = virDomainLookupByName (pf->in->source, name);
  if (domain == NULL)
    {
      gboolean missing = _kvmmig_libvirt_last_error_code () == VIR_ERR_NO_DOMAIN;
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);

      if (missing)
        record (pf, "source-guest", title, KVMMIG_CHECK_STATUS_FAILED,
                KVMMIG_ERROR_GUEST_NOT_FOUND, "%s: no guest named '%s'", uri, name);
      else
        record (pf, "source-guest", title, KVMMIG_CHECK_STATUS_FAILED,
                KVMMIG_ERROR_CONNECTION_LOST, "%s: cannot look up guest '%s': %s",
                uri, name, msg);
      return NULL;
    }

  if (virDomainGetState (domain, &state, &reason, 0) < 0)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
      record (pf, "source-guest", title, KVMMIG_CHECK_STATUS_FAILED,
              KVMMIG_ERROR_FAILED, "%s: cannot read the state of guest '%s': %s",
              uri, name, msg);
      return NULL;
    }

  if (state != VIR_DOMAIN_RUNNING)
    {
      const char *what = state == VIR_DOMAIN_PAUSED ? "paused"
                       : state == VIR_DOMAIN_SHUTOFF ? "shut off"
                       : "not running";
      record (pf, "source-guest", title, KVMMIG_CHECK_STATUS_FAILED,
              KVMMIG_ERROR_GUEST_NOT_RUNNING,
              "%s: guest '%s' is %s; live migration needs a running guest",
              uri, name, what);
      return g_steal_pointer (&domain);
    }

  record (pf, "source-guest", title, KVMMIG_CHECK_STATUS_PASSED, 0,
          "%s: guest '%s' is running", uri, name);
  return g_steal_pointer (&domain);
}

static void
check_hosts (Preflight       *pf,
             KvmmigHostInfo **source_info,
             KvmmigHostInfo **dest_info)
{
  const char *title = "The destination answers and is another host";
  g_autoptr(GError) error = NULL;

  *source_info = _kvmmig_host_info_new_from_connection (pf->in->source,
                                                        pf->in->source_uri, &error);
  if (*source_info == NULL)
    {
      record (pf, "destination", title, KVMMIG_CHECK_STATUS_FAILED,
              KVMMIG_ERROR_CONNECTION_LOST, "%s", error->message);
      return;
    }

  *dest_info = _kvmmig_host_info_new_from_connection (pf->in->destination,
                                                      pf->in->destination_uri, &error);
  if (*dest_info == NULL)
    {
      record (pf, "destination", title, KVMMIG_CHECK_STATUS_FAILED,
              KVMMIG_ERROR_HOST_UNREACHABLE, "%s", error->message);
      return;
    }

  if (g_strcmp0 (pf->in->source_uri, pf->in->destination_uri) == 0)
    {
      record (pf, "distinct-hosts", title, KVMMIG_CHECK_STATUS_FAILED,
              KVMMIG_ERROR_SAME_HOST,
              "source and destination are the same host, %s; give the "
              "destination's URI", pf->in->source_uri);
      return;
    }

  if (kvmmig_host_info_get_uuid (*source_info) != NULL &&
      g_strcmp0 (kvmmig_host_info_get_uuid (*source_info),
                 kvmmig_host_info_get_uuid (*dest_info)) == 0)
    {
      record (pf, "distinct-hosts", title, KVMMIG_CHECK_STATUS_FAILED,
              KVMMIG_ERROR_SAME_HOST,
              "%s and %s are the same host (libvirt host UUID %s); if they are "
              "not, give each host its own host_uuid in libvirtd.conf",
              pf->in->source_uri, pf->in->destination_uri,
              kvmmig_host_info_get_uuid (*source_info));
      return;
    }

  if (kvmmig_host_info_get_uuid (*source_info) != NULL &&
      kvmmig_host_info_get_uuid (*dest_info) != NULL)
    record (pf, "distinct-hosts", "Source and destination are different hosts",
            KVMMIG_CHECK_STATUS_PASSED, 0, "host UUIDs %s and %s differ",
            kvmmig_host_info_get_uuid (*source_info),
            kvmmig_host_info_get_uuid (*dest_info));
  else
    record (pf, "distinct-hosts", "Source and destination are different hosts",
            KVMMIG_CHECK_STATUS_WARNING, 0, "the hosts report no UUIDs; only their "
            "URIs (%s, %s) are known to differ", pf->in->source_uri,
            pf->in->destination_uri);
  record (pf, "destination", title, KVMMIG_CHECK_STATUS_PASSED, 0,
          "%s answers (host %s, %s %s, libvirt %s)", pf->in->destination_uri,
          kvmmig_host_info_get_hostname (*dest_info),
          kvmmig_host_info_get_hypervisor (*dest_info),
          kvmmig_host_info_get_hypervisor_version (*dest_info),
          kvmmig_host_info_get_libvirt_version (*dest_info));
}

static void
check_no_active_job (Preflight    *pf,
                     virDomainPtr  domain)
{
  const char *title = "No other job runs on the guest";
  virDomainJobInfo info;

  if (virDomainGetJobInfo (domain, &info) < 0)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
      record (pf, "no-active-job", title, KVMMIG_CHECK_STATUS_WARNING, 0,
              "%s: cannot read the jobs of guest '%s': %s",
              pf->in->source_uri, pf->in->guest_name, msg);
      return;
    }

  if (info.type != VIR_DOMAIN_JOB_NONE)
    record (pf, "no-active-job", title, KVMMIG_CHECK_STATUS_FAILED,
            KVMMIG_ERROR_JOB_ACTIVE,
            "%s: guest '%s' already has a job running (a migration or "
            "another long operation); wait for it or abort it",
            pf->in->source_uri, pf->in->guest_name);
  else
    record (pf, "no-active-job", title, KVMMIG_CHECK_STATUS_PASSED, 0,
            "%s: guest '%s' has no job running",
            pf->in->source_uri, pf->in->guest_name);
}

static void
check_name_free (Preflight  *pf,
                 const char *uuid)
{
  const char *title = "No guest of that name or UUID on the destination";
  const char *uri = pf->in->destination_uri;
  g_autoptr(virDomain) by_name = NULL;
  g_autoptr(virDomain) by_uuid = NULL;

  by_name = virDomainLookupByName (pf->in->destination, pf->in->guest_name);
  virResetLastError ();
  if (by_name != NULL)
    {
      record (pf, "name-free", title, KVMMIG_CHECK_STATUS_FAILED,
              KVMMIG_ERROR_GUEST_EXISTS,
              "%s: a guest named '%s' already exists there (%s); undefine it "
              "first", uri, pf->in->guest_name,
              virDomainIsActive (by_name) == 1 ? "running" : "defined");
      return;
    }

  if (uuid != NULL)
    {
      by_uuid = virDomainLookupByUUIDString (pf->in->destination, uuid);
      virResetLastError ();
      if (by_uuid != NULL)
        {
          record (pf, "name-free", title, KVMMIG_CHECK_STATUS_FAILED,
                  KVMMIG_ERROR_GUEST_EXISTS,
                  "%s: guest '%s' there has the same UUID %s as guest '%s'",
                  uri, virDomainGetName (by_uuid), uuid, pf->in->guest_name);
          return;
        }
    }

  record (pf, "name-free", title, KVMMIG_CHECK_STATUS_PASSED, 0,
          "%s: no guest named '%s' or with UUID %s", uri,
          pf->in->guest_name, uuid ? uuid : "?");
}

static void
check_memory (Preflight      *pf,
              guint64         guest_memory,
              KvmmigHostInfo *dest_info)
{
  const char *title = "The destination has the memory free";
  const KvmmigEvacuationBudget *b = pf->in->budget;
  guint64 free_mem = kvmmig_host_info_get_memory_free (dest_info);

  /* An evacuation counts every guest it sends to a destination at its
   * full memory, from the destination's free memory when it started: a
   * guest still on its way there, or one that has not touched all its
   * memory yet, is not in the host's own figure. */
  if (b != NULL)
    {
      guint64 budget = b->free_memory > b->promised ? b->free_memory - b->promised : 0;

      if (budget < guest_memory && (free_mem == 0 || budget < free_mem))
        {
          record (pf, "memory", title, KVMMIG_CHECK_STATUS_FAILED,
                  KVMMIG_ERROR_INSUFFICIENT_MEMORY,
                  "%s had %.0f MiB free when the evacuation started, %.0f MiB of it "
                  "promised to the guests it moved or is moving there; guest '%s' "
                  "needs %.0f MiB", pf->in->destination_uri,
                  b->free_memory / MIB, b->promised / MIB,
                  pf->in->guest_name, guest_memory / MIB);
          return;
        }
    }

  if (free_mem == 0)
    record (pf, "memory", title, KVMMIG_CHECK_STATUS_WARNING, 0,
            "%s does not report its free memory; guest '%s' needs %.0f MiB",
            pf->in->destination_uri, pf->in->guest_name, guest_memory / MIB);
  else if (free_mem < guest_memory)
    record (pf, "memory", title, KVMMIG_CHECK_STATUS_FAILED,
            KVMMIG_ERROR_INSUFFICIENT_MEMORY,
            "%s has %.0f MiB free; guest '%s' needs %.0f MiB",
            pf->in->destination_uri, free_mem / MIB, pf->in->guest_name,
            guest_memory / MIB);
  else
    record (pf, "memory", title, KVMMIG_CHECK_STATUS_PASSED, 0,
            "%s has %.0f MiB free; guest '%s' needs %.0f MiB",
            pf->in->destination_uri, free_mem / MIB, pf->in->guest_name,
            guest_memory / MIB);
}

/* The destination's domain capabilities for the guest's type, arch and
 * machine: can it give the guest's CPU mode, and (custom mode) its model?
 * Returns FALSE, with a message, when not. */
static gboolean
cpu_in_domcaps (const char  *caps_xml,
                const char  *mode,
                const char  *model,
                char       **why)
{
  g_auto(KvmmigXml) caps = { 0 };
  g_autofree char *expr = NULL;
  g_autofree char *supported = NULL;
  xmlXPathObjectPtr models;
  gboolean known = FALSE;

  if (!_kvmmig_xml_parse (&caps, caps_xml))
    return TRUE;   /* nothing to go by */

  /* Modes come from a fixed set; the name is checked, not pasted. */
  if (g_strcmp0 (mode, "custom") != 0 && g_strcmp0 (mode, "host-model") != 0 &&
      g_strcmp0 (mode, "host-passthrough") != 0 && g_strcmp0 (mode, "maximum") != 0)
    return TRUE;

  expr = g_strdup_printf ("/domainCapabilities/cpu/mode[@name='%s']/@supported", mode);
  supported = _kvmmig_xml_string (&caps, NULL, expr);
  if (g_strcmp0 (supported, "yes") != 0)
    {
      *why = g_strdup_printf ("it does not support CPU mode %s for such guests", mode);
      return FALSE;
    }

  if (g_strcmp0 (mode, "custom") != 0 || model == NULL)
    return TRUE;

  models = _kvmmig_xml_nodes (&caps, "/domainCapabilities/cpu/mode[@name='custom']/model");
  for (int i = 0; models && models->nodesetval && i < models->nodesetval->nodeNr; i++)
    {
      xmlNodePtr node = models->nodesetval->nodeTab[i];
      g_autofree char *name = _kvmmig_xml_string (&caps, node, ".");
      g_autofree char *usable = NULL;

      if (g_strcmp0 (name, model) != 0)
        continue;
      known = TRUE;
      usable = _kvmmig_xml_string (&caps, node, "@usable");
      if (g_strcmp0 (usable, "no") == 0)
        *why = g_strdup_printf ("it cannot provide CPU model %s on its host CPU", model);
    }
  xmlXPathFreeObject (models);

  if (!known)
    *why = g_strdup_printf ("it does not know CPU model %s", model);

  return *why == NULL;
}

static void
check_cpu (Preflight      *pf,
           KvmmigXml      *xml,
           KvmmigHostInfo *source_info,
           KvmmigHostInfo *dest_info)
{
  const char *title = "The destination can run the guest's CPU";
  const char *uri = pf->in->destination_uri;
  g_autofree char *virttype = _kvmmig_xml_string (xml, NULL, "/domain/@type");
  g_autofree char *arch = _kvmmig_xml_string (xml, NULL, "/domain/os/type/@arch");
  g_autofree char *machine = _kvmmig_xml_string (xml, NULL, "/domain/os/type/@machine");
  g_autofree char *mode = _kvmmig_xml_string (xml, NULL, "/domain/cpu/@mode");
  g_autofree char *model = _kvmmig_xml_string (xml, NULL, "/domain/cpu/model");
  g_autofree char *caps = NULL;
  g_autofree char *why = NULL;
  xmlXPathObjectPtr cpu_nodes;
  g_autofree char *cpu_xml = NULL;
  int cmp;

  if (mode == NULL && model != NULL)
    mode = g_strdup ("custom");

  caps = virConnectGetDomainCapabilities (pf->in->destination, NULL, arch,
                                          machine, virttype, 0);
  if (caps == NULL)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
      record (pf, "cpu", title, KVMMIG_CHECK_STATUS_FAILED,
              KVMMIG_ERROR_CPU_INCOMPATIBLE,
              "%s cannot run %s guests of arch %s, machine %s: %s", uri,
              virttype ? virttype : "?", arch ? arch : "?",
              machine ? machine : "?", msg);
      return;
    }

  if (mode != NULL && !cpu_in_domcaps (caps, mode, model, &why))
    {
      record (pf, "cpu", title, KVMMIG_CHECK_STATUS_FAILED,
              KVMMIG_ERROR_CPU_INCOMPATIBLE,
              "%s cannot run the CPU of guest '%s' (%s guest, arch %s, machine %s, "
              "CPU %s%s%s): %s", uri, pf->in->guest_name, virttype, arch, machine,
              mode, model ? " " : "", model ? model : "", why);
      return;
    }

  if (g_strcmp0 (mode, "host-passthrough") == 0 || g_strcmp0 (mode, "maximum") == 0)
    {
      const char *smodel = kvmmig_host_info_get_cpu_model (source_info);
      const char *dmodel = kvmmig_host_info_get_cpu_model (dest_info);

      if (g_strcmp0 (smodel, dmodel) != 0)
        record (pf, "cpu", title, KVMMIG_CHECK_STATUS_FAILED,
                KVMMIG_ERROR_CPU_INCOMPATIBLE,
                "guest '%s' uses CPU mode %s, which needs the same host CPU; "
                "%s has %s, %s has %s", pf->in->guest_name, mode,
                pf->in->source_uri, smodel ? smodel : "?", uri, dmodel ? dmodel : "?");
      else
        record (pf, "cpu", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                "guest '%s' uses CPU mode %s; both hosts have CPU %s",
                pf->in->guest_name, mode, smodel ? smodel : "?");
      return;
    }

  if (model == NULL)
    {
      record (pf, "cpu", title, KVMMIG_CHECK_STATUS_PASSED, 0,
              "%s runs %s guests of arch %s, machine %s; guest '%s' uses the "
              "hypervisor's default CPU model", uri, virttype, arch, machine,
              pf->in->guest_name);
      return;
    }

  /* The model is usable there; now its features, as libvirt compares
   * them against what the destination's hypervisor can give. */
  cpu_nodes = _kvmmig_xml_nodes (xml, "/domain/cpu");
  if (cpu_nodes && cpu_nodes->nodesetval && cpu_nodes->nodesetval->nodeNr > 0)
    cpu_xml = xml_node_dump (xml, cpu_nodes->nodesetval->nodeTab[0]);
  xmlXPathFreeObject (cpu_nodes);

  cmp = virConnectCompareHypervisorCPU (pf->in->destination, NULL, arch, machine,
                                        virttype, cpu_xml, 0);
  if (cmp == VIR_CPU_COMPARE_INCOMPATIBLE)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
      record (pf, "cpu", title, KVMMIG_CHECK_STATUS_FAILED,
              KVMMIG_ERROR_CPU_INCOMPATIBLE,
              "%s cannot provide CPU model %s of guest '%s' with its features: %s",
              uri, model, pf->in->guest_name, msg);
    }
  else if (cmp == VIR_CPU_COMPARE_ERROR)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
      record (pf, "cpu", title, KVMMIG_CHECK_STATUS_WARNING, 0,
              "%s can use CPU model %s of guest '%s', but could not compare its "
              "features: %s", uri, model, pf->in->guest_name, msg);
    }
  else
    record (pf, "cpu", title, KVMMIG_CHECK_STATUS_PASSED, 0,
            "%s provides CPU model %s of guest '%s' with its features", uri, model,
            pf->in->guest_name);
}

/* -- storage -- */

static void
check_storage (Preflight *pf,
               GPtrArray *disks)
{
  const char *title = "The destination sees every disk of the guest";
  const char *uri = pf->in->destination_uri;
  g_autoptr(GString) passed = g_string_new (NULL);
  g_autoptr(GString) warnings = g_string_new (NULL);
  guint checked = 0;

  for (guint i = 0; i < disks->len; i++)
    {
      KvmmigDiskSource *disk = g_ptr_array_index (disks, i);
      g_autofree char *what = NULL;
      g_autofree char *detail = NULL;
      KvmmigCheckStatus status;

      if (!_kvmmig_disk_source_has_source (disk))
        continue;
      checked++;
      what = _kvmmig_disk_source_describe (disk);

      status = _kvmmig_storage_find_disk (pf->in->destination, disk, &detail);

      if (status == KVMMIG_CHECK_STATUS_FAILED)
        {
          record (pf, "storage", title, KVMMIG_CHECK_STATUS_FAILED,
                  KVMMIG_ERROR_STORAGE_NOT_SHARED,
                  "%s does not see disk %s (%s) of guest '%s': %s", uri,
                  disk->target ? disk->target : "?", what, pf->in->guest_name, detail);
          return;
        }

      g_string_append_printf (status == KVMMIG_CHECK_STATUS_PASSED ? passed : warnings,
                              "%sdisk %s (%s): %s",
                              (status == KVMMIG_CHECK_STATUS_PASSED ? passed : warnings)->len ? "; " : "",
                              disk->target ? disk->target : "?", what, detail);
    }

  if (checked == 0)
    record (pf, "storage", title, KVMMIG_CHECK_STATUS_PASSED, 0,
            "guest '%s' has no disks with a source", pf->in->guest_name);
  else if (warnings->len > 0)
    record (pf, "storage", title, KVMMIG_CHECK_STATUS_WARNING, 0,
            "%s: %s%s%s", uri, warnings->str, passed->len ? "; " : "", passed->str);
  else
    record (pf, "storage", title, KVMMIG_CHECK_STATUS_PASSED, 0,
            "%s: %s", uri, passed->str);
}

static void
check_cache_modes (Preflight *pf,
                   GPtrArray *disks)
{
  const char *title = "Every writable disk uses a cache mode safe for migration";

  for (guint i = 0; i < disks->len; i++)
    {
      KvmmigDiskSource *disk = g_ptr_array_index (disks, i);

      if (!_kvmmig_disk_source_has_source (disk) || disk->readonly)
        continue;
      if (g_strcmp0 (disk->cache, "none") != 0 && g_strcmp0 (disk->cache, "directsync") != 0)
        {
          record (pf, "cache-mode", title, KVMMIG_CHECK_STATUS_FAILED,
                  KVMMIG_ERROR_UNSAFE_CACHE,
                  "%s: disk %s of guest '%s' uses cache='%s'; live migration of a "
                  "writable disk needs cache='none' or 'directsync', or its data "
                  "can be lost", pf->in->source_uri, disk->target ? disk->target : "?",
                  pf->in->guest_name, disk->cache ? disk->cache : "default (writeback)");
          return;
        }
    }

  record (pf, "cache-mode", title, KVMMIG_CHECK_STATUS_PASSED, 0,
          "%s: every writable disk of guest '%s' uses cache='none' or 'directsync'",
          pf->in->source_uri, pf->in->guest_name);
}

static void
check_postcopy (Preflight      *pf,
                KvmmigHostInfo *dest_info)
{
  const char *title = "The destination supports post-copy";
  const KvmmigMigrationOptions *o = pf->in->options;
  unsigned long version = 0;

  if (!o->allow_postcopy && o->policy != KVMMIG_MIGRATION_POLICY_POSTCOPY)
    {
      record (pf, "postcopy", title, KVMMIG_CHECK_STATUS_SKIPPED, 0,
              "post-copy is not allowed for this job");
      return;
    }

  virConnectGetVersion (pf->in->destination, &version);
  virResetLastError ();
  if (g_strcmp0 (kvmmig_host_info_get_hypervisor (dest_info), "QEMU") != 0 ||
      version < POSTCOPY_MIN_QEMU_VERSION)
    {
      record (pf, "postcopy", title, KVMMIG_CHECK_STATUS_FAILED,
              KVMMIG_ERROR_POSTCOPY_UNSUPPORTED,
              "%s runs %s %s; post-copy needs QEMU 2.6 or later",
              pf->in->destination_uri, kvmmig_host_info_get_hypervisor (dest_info),
              kvmmig_host_info_get_hypervisor_version (dest_info));
      return;
    }

  record (pf, "postcopy", title, KVMMIG_CHECK_STATUS_PASSED, 0,
          "%s runs QEMU %s, which has post-copy (whether its kernel lets QEMU "
          "use userfaultfd is only known when the migration starts; if not, it "
          "fails there before anything is copied)", pf->in->destination_uri,
          kvmmig_host_info_get_hypervisor_version (dest_info));
}

/*
 * _kvmmig_preflight_run:
 *
 * Runs every check, blocking. Returns FALSE with the first failure's error;
 * @result holds every check, and the source domain when it was found.
 */
gboolean
_kvmmig_preflight_run (const KvmmigPreflightInput  *input,
                       GCancellable                *cancellable,
                       KvmmigPreflightResult       *result,
                       GError                     **error)
{
  Preflight pf = { input, g_ptr_array_new_with_free_func (g_object_unref), NULL };
  g_autoptr(KvmmigHostInfo) source_info = NULL;
  g_autoptr(KvmmigHostInfo) dest_info = NULL;
  g_autoptr(virDomain) domain = NULL;
  g_autoptr(GPtrArray) disks = NULL;
  g_autofree char *xml_text = NULL;
  g_auto(KvmmigXml) xml = { 0 };
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  guint64 memory = 0;

  check_options (&pf);

  domain = check_source_guest (&pf);
  if (domain != NULL)
    {
      if (virDomainGetUUIDString (domain, uuid) < 0)
        uuid[0] = '\0';
      memory = (guint64) virDomainGetMaxMemory (domain) * 1024;
      xml_text = virDomainGetXMLDesc (domain, 0);
      virResetLastError ();
    }

  if (!_kvmmig_check_cancelled (cancellable, input->source_uri, "pre-flight checks", NULL))
    check_hosts (&pf, &source_info, &dest_info);

  if (domain != NULL && dest_info != NULL && pf.first_error == NULL &&
      !_kvmmig_check_cancelled (cancellable, input->source_uri, "pre-flight checks", NULL))
    {
      check_no_active_job (&pf, domain);
      check_name_free (&pf, uuid[0] ? uuid : NULL);
      check_memory (&pf, memory, dest_info);

      if (_kvmmig_xml_parse (&xml, xml_text))
        {
          disks = _kvmmig_disk_sources_from_xml (xml_text);
          check_cpu (&pf, &xml, source_info, dest_info);
          check_storage (&pf, disks);
          check_cache_modes (&pf, disks);
        }
      else
        record (&pf, "cpu", "The guest's definition can be read",
                KVMMIG_CHECK_STATUS_FAILED, KVMMIG_ERROR_FAILED,
                "%s: the definition of guest '%s' cannot be parsed",
                input->source_uri, input->guest_name);

      check_postcopy (&pf, dest_info);
    }

  result->checks = g_steal_pointer (&pf.checks);
  result->domain = g_steal_pointer (&domain);
  result->uuid = uuid[0] ? g_strdup (uuid) : NULL;
  result->memory = memory;

  if (_kvmmig_check_cancelled (cancellable, input->source_uri,
                               "pre-flight checks of the migration", error))
    {
      g_clear_error (&pf.first_error);
      return FALSE;
    }

  if (pf.first_error != NULL)
    {
      g_propagate_error (error, pf.first_error);
      return FALSE;
    }

  return TRUE;
}
