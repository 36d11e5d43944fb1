/* kvmmig-preflight-machine-type.c: the pre-flight check "machine-type":
 * the destination's QEMU has the guest's machine type (such as
 * pc-i440fx-10.0), as its capabilities list them. A versioned machine type
 * fixes the guest's virtual hardware; a QEMU older than that version does
 * not have it, and the migration would fail on the destination once the
 * memory is copied.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-preflight-check-private.h"

/*
 * _kvmmig_capabilities_machines:
 * @caps_xml: a host's capabilities (virConnectGetCapabilities)
 * @arch: the guest's architecture, such as x86_64
 * @virttype: (nullable): the domain type, such as kvm or qemu
 *
 * The machine types the host's hypervisor has for @arch (and @virttype):
 * their names and their canonical names (`pc` and `pc-i440fx-10.0`), each
 * once. Returns NULL when @caps_xml cannot be parsed.
 */
GPtrArray *
_kvmmig_capabilities_machines (const char *caps_xml,
                               const char *arch,
                               const char *virttype)
{
  g_auto(KvmmigXml) caps = { 0 };
  GPtrArray *machines;
  xmlXPathObjectPtr nodes;

  if (caps_xml == NULL || arch == NULL || !_kvmmig_xml_parse (&caps, caps_xml))
    return NULL;

  machines = g_ptr_array_new_with_free_func (g_free);
  nodes = _kvmmig_xml_nodes (&caps, "/capabilities/guest/arch/machine | "
                                    "/capabilities/guest/arch/domain/machine");
  for (int i = 0; nodes && nodes->nodesetval && i < nodes->nodesetval->nodeNr; i++)
    {
      xmlNodePtr node = nodes->nodesetval->nodeTab[i];
      g_autofree char *node_arch = _kvmmig_xml_string (&caps, node, "ancestor::arch/@name");
      g_autofree char *domain = _kvmmig_xml_string (&caps, node, "parent::domain/@type");
      char *names[2];

      if (g_strcmp0 (node_arch, arch) != 0)
        continue;
      if (domain != NULL && virttype != NULL && g_strcmp0 (domain, virttype) != 0)
        continue;
      names[0] = _kvmmig_xml_string (&caps, node, ".");
      names[1] = _kvmmig_xml_string (&caps, node, "@canonical");
      for (guint n = 0; n < G_N_ELEMENTS (names); n++)
        {
          if (names[n] == NULL ||
              g_ptr_array_find_with_equal_func (machines, names[n], g_str_equal, NULL))
            g_free (names[n]);
          else
            g_ptr_array_add (machines, names[n]);
        }
    }
  xmlXPathFreeObject (nodes);
  return machines;
}

/* Compares two dotted version strings ("7.2", "10.0") number by number. */
static int
version_cmp (const char *a,
             const char *b)
{
  while (*a || *b)
    {
      guint64 x = g_ascii_strtoull (a, (char **) &a, 10);
      guint64 y = g_ascii_strtoull (b, (char **) &b, 10);

      if (x != y)
        return x < y ? -1 : 1;
      if (*a != '.' || *b != '.')
        return (*a == '.') - (*b == '.');
      a++;
      b++;
    }
  return 0;
}

/* The newest machine type of @machine's family in @machines (pc-i440fx-7.2
 * for pc-i440fx-10.0), or NULL: what the destination could take instead. */
static const char *
newest_of_family (GPtrArray  *machines,
                  const char *machine)
{
  const char *dash = strrchr (machine, '-');
  const char *best = NULL;
  gsize family;

  if (dash == NULL || !g_ascii_isdigit (dash[1]))
    return NULL;
  family = dash + 1 - machine;
  for (guint i = 0; i < machines->len; i++)
    {
      const char *m = g_ptr_array_index (machines, i);

      if (strncmp (m, machine, family) == 0 && g_ascii_isdigit (m[family]) &&
          (best == NULL || version_cmp (m + family, best + family) > 0))
        best = m;
    }
  return best;
}

void
_kvmmig_preflight_check_machine_type (KvmmigPreflight *pf)
{
  const char *title = "The destination has the guest's machine type";
  const char *uri = pf->in->destination_uri;
  const char *dst_hv = kvmmig_host_info_get_hypervisor (pf->dest_info);
  g_autofree char *virttype = _kvmmig_xml_string (&pf->xml, NULL, "/domain/@type");
  g_autofree char *arch = _kvmmig_xml_string (&pf->xml, NULL, "/domain/os/type/@arch");
  g_autofree char *machine = _kvmmig_xml_string (&pf->xml, NULL, "/domain/os/type/@machine");
  g_autofree char *caps = NULL;
  g_autoptr(GPtrArray) machines = NULL;
  const char *instead;

  if (g_strcmp0 (dst_hv, "QEMU") != 0)
    {
      _kvmmig_preflight_record (pf, "machine-type", title, KVMMIG_CHECK_STATUS_SKIPPED, 0,
                                "%s runs %s: machine types are QEMU's (the check \"cpu\" says "
                                "whether it can run guest '%s')", uri,
                                dst_hv ? dst_hv : "an unknown hypervisor", pf->in->guest_name);
      return;
    }
  if (machine == NULL || arch == NULL)
    {
      _kvmmig_preflight_record (pf, "machine-type", title, KVMMIG_CHECK_STATUS_SKIPPED, 0,
                                "guest '%s' names no machine type and architecture in its "
                                "definition on %s", pf->in->guest_name, pf->in->source_uri);
      return;
    }

  caps = virConnectGetCapabilities (pf->in->destination);
  machines = _kvmmig_capabilities_machines (caps, arch, virttype);
  if (machines == NULL)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);
      _kvmmig_preflight_record (pf, "machine-type", title, KVMMIG_CHECK_STATUS_WARNING, 0,
                                "the capabilities of %s could not be read (%s): whether it has "
                                "machine type %s for guest '%s' is not known", uri,
                                msg ? msg : "not valid XML", machine, pf->in->guest_name);
      return;
    }

  if (g_ptr_array_find_with_equal_func (machines, machine, g_str_equal, NULL))
    {
      _kvmmig_preflight_record (pf, "machine-type", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                                "%s has machine type %s (%s) for guest '%s'", uri, machine, arch,
                                pf->in->guest_name);
      return;
    }

  pf->no_machine_type = TRUE;
  instead = newest_of_family (machines, machine);
  _kvmmig_preflight_record (pf, "machine-type", title, KVMMIG_CHECK_STATUS_FAILED,
                            KVMMIG_ERROR_MACHINE_TYPE_UNSUPPORTED,
                            "%s runs QEMU %s, which has no machine type %s (%s) for guest '%s'%s%s%s",
                            uri, kvmmig_host_info_get_hypervisor_version (pf->dest_info), machine,
                            arch, pf->in->guest_name,
                            instead ? "; its newest of that family is " : "",
                            instead ? instead : "",
                            instead ? ": upgrade its QEMU, or move the guest to a host that "
                                      "has the machine type" : "");
}
