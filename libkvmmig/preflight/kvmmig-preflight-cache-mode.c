/* kvmmig-preflight-cache-mode.c: the pre-flight check "cache-mode": every
 * writable disk uses a cache mode that is safe for live migration (none or
 * directsync).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-check-private.h"

void
_kvmmig_preflight_check_cache_mode (KvmmigPreflight *pf)
{
  GPtrArray *disks = pf->disks;
  const char *title = "Every writable disk uses a cache mode safe for migration";

  for (guint i = 0; i < disks->len; i++)
    {
      KvmmigDiskSource *disk = g_ptr_array_index (disks, i);

      if (!_kvmmig_disk_source_has_source (disk) || disk->readonly)
        continue;
      if (g_strcmp0 (disk->cache, "none") != 0 && g_strcmp0 (disk->cache, "directsync") != 0)
        {
          _kvmmig_preflight_record (pf, "cache-mode", title, KVMMIG_CHECK_STATUS_FAILED,
                                    KVMMIG_ERROR_UNSAFE_CACHE,
                                    "%s: disk %s of guest '%s' uses cache='%s'; live migration of a "
                                    "writable disk needs cache='none' or 'directsync', or its data "
                                    "can be lost", pf->in->source_uri, disk->target ? disk->target : "?",
                                    pf->in->guest_name, disk->cache ? disk->cache : "default (writeback)");
          return;
        }
    }

  _kvmmig_preflight_record (pf, "cache-mode", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                            "%s: every writable disk of guest '%s' uses cache='none' or 'directsync'",
                            pf->in->source_uri, pf->in->guest_name);
}
