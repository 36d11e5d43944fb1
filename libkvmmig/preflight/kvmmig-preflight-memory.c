/* kvmmig-preflight-memory.c: the pre-flight check "memory": the
 * destination has the guest's memory free (in an evacuation, free after
 * what the evacuation promised to the guests it sends there).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-check-private.h"

#define MIB (1024.0 * 1024.0)

void
_kvmmig_preflight_check_memory (KvmmigPreflight *pf)
{
  guint64 guest_memory = pf->memory;
  const char *title = "The destination has the memory free";
  const KvmmigEvacuationBudget *b = pf->in->budget;
  guint64 free_mem = kvmmig_host_info_get_memory_free (pf->dest_info);

  /* An evacuation counts every guest it sends to a destination at its
   * full memory, from the destination's free memory when it started: a
   * guest still on its way there, or one that has not touched all its
   * memory yet, is not in the host's own figure. */
  if (b != NULL)
    {
      guint64 budget = b->free_memory > b->promised ? b->free_memory - b->promised : 0;

      if (budget < guest_memory && (free_mem == 0 || budget < free_mem))
        {
          _kvmmig_preflight_record (pf, "memory", title, KVMMIG_CHECK_STATUS_FAILED,
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
    _kvmmig_preflight_record (pf, "memory", title, KVMMIG_CHECK_STATUS_WARNING, 0,
                              "%s does not report its free memory; guest '%s' needs %.0f MiB",
                              pf->in->destination_uri, pf->in->guest_name, guest_memory / MIB);
  else if (free_mem < guest_memory)
    _kvmmig_preflight_record (pf, "memory", title, KVMMIG_CHECK_STATUS_FAILED,
                              KVMMIG_ERROR_INSUFFICIENT_MEMORY,
                              "%s has %.0f MiB free; guest '%s' needs %.0f MiB",
                              pf->in->destination_uri, free_mem / MIB, pf->in->guest_name,
                              guest_memory / MIB);
  else
    _kvmmig_preflight_record (pf, "memory", title, KVMMIG_CHECK_STATUS_PASSED, 0,
                              "%s has %.0f MiB free; guest '%s' needs %.0f MiB",
                              pf->in->destination_uri, free_mem / MIB, pf->in->guest_name,
                              guest_memory / MIB);
}
