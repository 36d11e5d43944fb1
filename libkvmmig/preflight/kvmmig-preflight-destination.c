/* kvmmig-preflight-destination.c: the pre-flight checks "destination" and
 * "distinct-hosts": the destination answers and is another host than the
 * source. It leaves both hosts' KvmmigHostInfo in KvmmigPreflight for
 * the checks after it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-check-private.h"

#include "kvmmig-host-info-private.h"

/* Reads one host's info into @info; if it cannot, the check fails with
 * @code. */
static gboolean
read_host_info (KvmmigPreflight  *pf,
                const char       *title,
                virConnectPtr     conn,
                const char       *uri,
                KvmmigError       code,
                KvmmigHostInfo  **info)
{
  g_autoptr(GError) error = NULL;

  *info = _kvmmig_host_info_new_from_connection (conn, uri, &error);
  if (*info == NULL)
    {
      _kvmmig_preflight_record (pf, "destination", title, KVMMIG_CHECK_STATUS_FAILED,
                                code, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

void
_kvmmig_preflight_check_destination (KvmmigPreflight *pf)
{
  const char *title = "The destination answers and is another host";

  if (!read_host_info (pf, title, pf->in->source, pf->in->source_uri,
                       KVMMIG_ERROR_CONNECTION_LOST, &pf->source_info) ||
      !read_host_info (pf, title, pf->in->destination, pf->in->destination_uri,
                       KVMMIG_ERROR_HOST_UNREACHABLE, &pf->dest_info))
    return;

  if (g_strcmp0 (pf->in->source_uri, pf->in->destination_uri) == 0)
    {
      _kvmmig_preflight_record (pf, "distinct-hosts", title, KVMMIG_CHECK_STATUS_FAILED,
                                KVMMIG_ERROR_SAME_HOST,
                                "source and destination are the same host, %s; give the "
                                "destination's URI", pf->in->source_uri);
      return;
    }

  if (kvmmig_host_info_get_uuid (pf->source_info) != NULL &&
      g_strcmp0 (kvmmig_host_info_get_uuid (pf->source_info),
                 kvmmig_host_info_get_uuid (pf->dest_info)) == 0)
    {
      _kvmmig_preflight_record (pf, "distinct-hosts", title, KVMMIG_CHECK_STATUS_FAILED,
                                KVMMIG_ERROR_SAME_HOST,
                                "%s and %s are the same host (libvirt host UUID %s); if they are "
                                "not, give each host its own host_uuid in libvirtd.conf",
                                pf->in->source_uri, pf->in->destination_uri,
                                kvmmig_host_info_get_uuid (pf->source_info));
      return;
    }

  if (kvmmig_host_info_get_uuid (pf->source_info) != NULL &&
      kvmmig_host_info_get_uuid (pf->dest_info) != NULL)
    _kvmmig_preflight_record (pf, "distinct-hosts", "Source and destination are different hosts",
                              KVMMIG_CHECK_STATUS_PASSED, 0, "host UUIDs %s and %s differ",
                              kvmmig_host_info_get_uuid (pf->source_info),
                              kvmmig_host_info_get_uuid (pf->dest_info));
  else
    _kvmmig_preflight_record (pf, "distinct-hosts", "Source and destination are different hosts",
                              KVMMIG_CHECK_STATUS_WARNING, 0, "the hosts report no UUIDs; only their "
                              "URIs (%s, %s) are known to differ", pf->in->source_uri,
                              pf->in->destination_uri);
  _kvmmig_preflight_record (pf, "destination", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                            "%s answers (host %s, %s %s, libvirt %s)", pf->in->destination_uri,
                            kvmmig_host_info_get_hostname (pf->dest_info),
                            kvmmig_host_info_get_hypervisor (pf->dest_info),
                            kvmmig_host_info_get_hypervisor_version (pf->dest_info),
                            kvmmig_host_info_get_libvirt_version (pf->dest_info));
}
