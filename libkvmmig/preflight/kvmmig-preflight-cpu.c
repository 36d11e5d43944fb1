/* kvmmig-preflight-cpu.c: the pre-flight check "cpu": the
 * destination can give the guest its CPU (mode, model and features, as
 * its domain capabilities and libvirt's CPU comparison say).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-check-private.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "kvmmig-host-info-private.h"

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

/* What a message shows of what a definition may leave out. */
static const char *
or_unknown (const char *value)
{
  return value ? value : "?";
}

void
_kvmmig_guest_cpu_clear (KvmmigGuestCpu *cpu)
{
  g_clear_pointer (&cpu->virttype, g_free);
  g_clear_pointer (&cpu->arch, g_free);
  g_clear_pointer (&cpu->machine, g_free);
  g_clear_pointer (&cpu->mode, g_free);
  g_clear_pointer (&cpu->model, g_free);
  g_clear_pointer (&cpu->cpu_xml, g_free);
}

void
_kvmmig_guest_cpu_read (KvmmigXml      *xml,
                        KvmmigGuestCpu *cpu)
{
  xmlXPathObjectPtr cpu_nodes;

  cpu->virttype = _kvmmig_xml_string (xml, NULL, "/domain/@type");
  cpu->arch = _kvmmig_xml_string (xml, NULL, "/domain/os/type/@arch");
  cpu->machine = _kvmmig_xml_string (xml, NULL, "/domain/os/type/@machine");
  cpu->mode = _kvmmig_xml_string (xml, NULL, "/domain/cpu/@mode");
  cpu->model = _kvmmig_xml_string (xml, NULL, "/domain/cpu/model");
  if (cpu->mode == NULL && cpu->model != NULL)
    cpu->mode = g_strdup ("custom");

  cpu_nodes = _kvmmig_xml_nodes (xml, "/domain/cpu");
  if (cpu_nodes && cpu_nodes->nodesetval && cpu_nodes->nodesetval->nodeNr > 0)
    cpu->cpu_xml = xml_node_dump (xml, cpu_nodes->nodesetval->nodeTab[0]);
  xmlXPathFreeObject (cpu_nodes);
}

/* The destination's domain capabilities for the guest's type, arch and
 * machine: can it give the guest's CPU mode, and (custom mode) its model? */
gboolean
_kvmmig_domcaps_allow_cpu (const char  *caps_xml,
                           const char  *mode,
                           const char  *model,
                           char       **why)
{
  g_auto(KvmmigXml) caps = { 0 };
  g_autofree char *expr = NULL;
  g_autofree char *supported = NULL;
  xmlXPathObjectPtr models;
  gboolean known = FALSE;
  gboolean usable = FALSE;

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
      g_autofree char *usable_attr = NULL;

      if (g_strcmp0 (name, model) != 0)
        continue;
      /* A model listed more than once is usable if any entry says so. */
      known = TRUE;
      usable_attr = _kvmmig_xml_string (&caps, node, "@usable");
      if (g_strcmp0 (usable_attr, "no") != 0)
        usable = TRUE;
    }
  xmlXPathFreeObject (models);

  if (!known)
    *why = g_strdup_printf ("it does not know CPU model %s", model);
  else if (!usable)
    *why = g_strdup_printf ("it cannot provide CPU model %s on its host CPU", model);

  return *why == NULL;
}

void
_kvmmig_preflight_check_cpu (KvmmigPreflight *pf)
{
  KvmmigXml *xml = &pf->xml;
  KvmmigHostInfo *source_info = pf->source_info;
  KvmmigHostInfo *dest_info = pf->dest_info;
  const char *title = "The destination can run the guest's CPU";
  const char *uri = pf->in->destination_uri;
  g_auto(KvmmigGuestCpu) cpu = { 0 };
  const char *virttype, *arch, *machine, *mode, *model;
  g_autofree char *caps = NULL;
  g_autofree char *why = NULL;
  int cmp;

  _kvmmig_guest_cpu_read (xml, &cpu);
  virttype = cpu.virttype;
  arch = cpu.arch;
  machine = cpu.machine;
  mode = cpu.mode;
  model = cpu.model;

  if (pf->no_machine_type)
    {
      _kvmmig_preflight_record (pf, "cpu", title, KVMMIG_CHECK_STATUS_SKIPPED, 0,
                                "%s has no machine type %s (the check \"machine-type\"): its "
                                "CPUs for such guests cannot be asked", uri,
                                machine ? machine : "?");
      return;
    }

  caps = virConnectGetDomainCapabilities (pf->in->destination, NULL, arch,
                                          machine, virttype, 0);
  if (caps == NULL)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
      _kvmmig_preflight_record (pf, "cpu", title, KVMMIG_CHECK_STATUS_FAILED,
                                KVMMIG_ERROR_CPU_INCOMPATIBLE,
                                "%s cannot run %s guests of arch %s, machine %s: %s", uri,
                                virttype ? virttype : "?", arch ? arch : "?",
                                machine ? machine : "?", msg);
      return;
    }

  if (mode != NULL && !_kvmmig_domcaps_allow_cpu (caps, mode, model, &why))
    {
      _kvmmig_preflight_record (pf, "cpu", title, KVMMIG_CHECK_STATUS_FAILED,
                                KVMMIG_ERROR_CPU_INCOMPATIBLE,
                                "%s cannot run the CPU of guest '%s' (%s guest, arch %s, machine %s, "
                                "CPU %s%s%s): %s", uri, pf->in->guest_name, or_unknown (virttype),
                                or_unknown (arch), or_unknown (machine), mode, model ? " " : "",
                                model ? model : "", why);
      return;
    }

  if (g_strcmp0 (mode, "host-passthrough") == 0 || g_strcmp0 (mode, "maximum") == 0)
    {
      const char *smodel = kvmmig_host_info_get_cpu_model (source_info);
      const char *dmodel = kvmmig_host_info_get_cpu_model (dest_info);

      if (g_strcmp0 (smodel, dmodel) != 0)
        _kvmmig_preflight_record (pf, "cpu", title, KVMMIG_CHECK_STATUS_FAILED,
                                  KVMMIG_ERROR_CPU_INCOMPATIBLE,
                                  "guest '%s' uses CPU mode %s, which needs the same host CPU; "
                                  "%s has %s, %s has %s", pf->in->guest_name, mode,
                                  pf->in->source_uri, smodel ? smodel : "?", uri, dmodel ? dmodel : "?");
      else
        _kvmmig_preflight_record (pf, "cpu", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                                  "guest '%s' uses CPU mode %s; both hosts have CPU %s",
                                  pf->in->guest_name, mode, smodel ? smodel : "?");
      return;
    }

  if (model == NULL)
    {
      _kvmmig_preflight_record (pf, "cpu", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                                "%s runs %s guests of arch %s, machine %s; guest '%s' uses the "
                                "hypervisor's default CPU model", uri, or_unknown (virttype),
                                or_unknown (arch), or_unknown (machine), pf->in->guest_name);
      return;
    }

  /* The model is usable there; now its features, as libvirt compares
   * them against what the destination's hypervisor can give. */
  cmp = virConnectCompareHypervisorCPU (pf->in->destination, NULL, arch, machine,
                                        virttype, cpu.cpu_xml, 0);
  if (cmp == VIR_CPU_COMPARE_INCOMPATIBLE)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
      _kvmmig_preflight_record (pf, "cpu", title, KVMMIG_CHECK_STATUS_FAILED,
                                KVMMIG_ERROR_CPU_INCOMPATIBLE,
                                "%s cannot provide CPU model %s of guest '%s' with its features: %s",
                                uri, model, pf->in->guest_name, msg);
    }
  else if (cmp == VIR_CPU_COMPARE_ERROR)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
      _kvmmig_preflight_record (pf, "cpu", title, KVMMIG_CHECK_STATUS_WARNING, 0,
                                "%s can use CPU model %s of guest '%s', but could not compare its "
                                "features: %s", uri, model, pf->in->guest_name, msg);
    }
  else
    _kvmmig_preflight_record (pf, "cpu", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                              "%s provides CPU model %s of guest '%s' with its features", uri, model,
                              pf->in->guest_name);
}
