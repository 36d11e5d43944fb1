/* kvmmig-preflight-storage.c: the pre-flight check "storage": the
 * destination sees every disk of the guest that the job does not copy
 * (see "copy-storage"); its storage pools are refreshed to find out,
 * nothing else is changed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-check-private.h"

void
_kvmmig_preflight_check_storage (KvmmigPreflight *pf)
{
  GPtrArray *disks = pf->disks;
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

      if (!_kvmmig_disk_source_has_source (disk) || _kvmmig_preflight_disk_is_copied (pf, disk))
        continue;
      checked++;
      what = _kvmmig_disk_source_describe (disk);

      status = _kvmmig_storage_find_disk (pf->in->destination, disk, &detail);

      if (status == KVMMIG_CHECK_STATUS_FAILED)
        {
          _kvmmig_preflight_record (pf, "storage", title, KVMMIG_CHECK_STATUS_FAILED,
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
    _kvmmig_preflight_record (pf, "storage", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                              "guest '%s' has no disks with a source%s", pf->in->guest_name,
                              pf->copies && pf->copies->len ? " that the job does not copy" : "");
  else if (warnings->len > 0)
    _kvmmig_preflight_record (pf, "storage", title, KVMMIG_CHECK_STATUS_WARNING, 0,
                              "%s: %s%s%s", uri, warnings->str, passed->len ? "; " : "", passed->str);
  else
    _kvmmig_preflight_record (pf, "storage", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                              "%s: %s", uri, passed->str);
}
