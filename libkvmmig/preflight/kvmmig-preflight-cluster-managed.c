/* kvmmig-preflight-cluster-managed.c: the pre-flight check
 * "cluster-managed": whether a cluster manager owns the guest, so that a
 * migration by anyone else would move it behind the manager's back.
 *
 * The OCF resource agent ocf:kvmmig:guest (ocf/guest) marks each guest it
 * starts with an element of libvirt's domain metadata, in the namespace
 * KVMMIG_CLUSTER_METADATA_NS:
 *
 *   <kvmmig:cluster xmlns:kvmmig="https://libkvmmig.org/xmlns/cluster/1"
 *                   manager="pacemaker" resource="vm1" node="kvmmig-src"/>
 *
 * and migrates it itself with allow-cluster-managed set. Pacemaker records
 * where each resource runs: a guest that another client moved would run
 * where the cluster does not expect it, and the cluster's next monitor
 * would find it "not running" on its node and start it again elsewhere,
 * on the same disks. So this check fails (KVMMIG_ERROR_CLUSTER_MANAGED),
 * naming the resource and the cluster's own commands, unless the caller
 * sets allow-cluster-managed; then it warns. A guest without the element,
 * or a host that cannot store metadata, passes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-check-private.h"

#define CHECK_ID "cluster-managed"
#define TITLE "No cluster manager owns the guest"

void
_kvmmig_preflight_check_cluster_managed (KvmmigPreflight *pf)
{
  const KvmmigPreflightInput *in = pf->in;
  g_auto(KvmmigXml) xml = { 0 };
  g_autofree char *element = NULL;
  g_autofree char *manager = NULL;
  g_autofree char *resource = NULL;
  g_autofree char *node = NULL;
  int code = 0;

  element = virDomainGetMetadata (pf->domain, VIR_DOMAIN_METADATA_ELEMENT,
                                  KVMMIG_CLUSTER_METADATA_NS, VIR_DOMAIN_AFFECT_CURRENT);
  if (element == NULL)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (&code);

      if (code == VIR_ERR_NO_DOMAIN_METADATA)
        _kvmmig_preflight_record (pf, CHECK_ID, TITLE, KVMMIG_CHECK_STATUS_PASSED, 0,
                                  "%s: guest '%s' carries no cluster manager's mark",
                                  in->source_uri, in->guest_name);
      else
        _kvmmig_preflight_record (pf, CHECK_ID, TITLE, KVMMIG_CHECK_STATUS_WARNING, 0,
                                  "%s: cannot read the metadata of guest '%s' to tell "
                                  "whether a cluster manager owns it: %s",
                                  in->source_uri, in->guest_name, msg);
      return;
    }

  if (_kvmmig_xml_parse (&xml, element))
    {
      manager = _kvmmig_xml_string (&xml, NULL, "string(/*/@manager)");
      resource = _kvmmig_xml_string (&xml, NULL, "string(/*/@resource)");
      node = _kvmmig_xml_string (&xml, NULL, "string(/*/@node)");
    }
  if (g_strcmp0 (manager, "pacemaker") == 0)
    {
      g_free (manager);
      manager = g_strdup ("a Pacemaker cluster");
    }
  else if (manager == NULL)
    manager = g_strdup ("a cluster manager");
  if (resource == NULL)
    resource = g_strdup (in->guest_name);

  if (in->options->allow_cluster_managed)
    {
      _kvmmig_preflight_record (pf, CHECK_ID, TITLE, KVMMIG_CHECK_STATUS_WARNING, 0,
                                "%s: guest '%s' is resource '%s' of %s; migrated anyway "
                                "(allow-cluster-managed is set)",
                                in->source_uri, in->guest_name, resource, manager);
      return;
    }

  if (g_str_equal (manager, "a Pacemaker cluster"))
    _kvmmig_preflight_record (pf, CHECK_ID, TITLE, KVMMIG_CHECK_STATUS_FAILED,
                              KVMMIG_ERROR_CLUSTER_MANAGED,
                              "%s: guest '%s' is resource '%s' of %s "
                              "(started on node '%s'): move it with the cluster, "
                              "`crm_resource --move --resource %s --node NODE` "
                              "(crmsh: `crm resource move %s NODE`; pcs: "
                              "`pcs resource move %s NODE`), or set "
                              "allow-cluster-managed to migrate it behind the cluster's back",
                              in->source_uri, in->guest_name, resource, manager,
                              node != NULL ? node : "unknown", resource, resource, resource);
  else
    _kvmmig_preflight_record (pf, CHECK_ID, TITLE, KVMMIG_CHECK_STATUS_FAILED,
                              KVMMIG_ERROR_CLUSTER_MANAGED,
                              "%s: guest '%s' is resource '%s' of %s: move it with that "
                              "cluster manager, or set allow-cluster-managed to migrate "
                              "it behind its back",
                              in->source_uri, in->guest_name, resource, manager);
}
