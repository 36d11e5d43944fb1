/* kvmmig-placement.c: where an evacuation sends each guest, as a pure
 * function of plain figures (declared in kvmmig-placement-private.h),
 * so that the unit tests can try cases the test driver cannot show.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-placement-private.h"

/* How well a destination suits a guest, best last. */
typedef enum {
  FIT_QUERY_FAILED,     /* its free memory could not be read: tried last */
  FIT_TOO_SMALL,        /* known, and the guest does not fit */
  FIT_UNKNOWN,          /* the host does not say how much it has free */
  FIT_ROOM,             /* known, and the guest fits */
} Fit;

static Fit
fit (const KvmmigPlacementDest *dest,
     gint64                     needed)
{
  if (dest->info_failed)
    return FIT_QUERY_FAILED;
  if (dest->free_memory == 0)
    return FIT_UNKNOWN;
  return (gint64) dest->free_memory - (gint64) dest->reserved >= needed ? FIT_ROOM : FIT_TOO_SMALL;
}

/*
 * _kvmmig_placement_choose:
 *
 * The destination for a guest of @needed bytes, among those that have not
 * refused it and have room for another migration: the best fit, then the
 * most memory left (free at the start less everything sent or on its way
 * there). A guest that fits nowhere is still given the best destination,
 * whose memory check then fails with the figures.
 *
 * Returns: its index; -1 if every destination refused the guest; -2 to try
 *   again later, when nothing free fits it but a busy destination would,
 *   or one would if a migration on its way there failed and gave its
 *   memory back
 */
int
_kvmmig_placement_choose (const KvmmigPlacementDest *dests,
                          const gboolean            *rejected,
                          guint                      n_dests,
                          guint64                    needed_bytes,
                          guint                      max_per_destination)
{
  gint64 needed = (gint64) MIN (needed_bytes, (guint64) G_MAXINT64 / 2);
  gboolean any_left = FALSE;
  gboolean worth_waiting = FALSE;
  Fit best_fit = FIT_QUERY_FAILED;
  gint64 best_left = G_MININT64;
  int best = -1;

  for (guint d = 0; d < n_dests; d++)
    {
      const KvmmigPlacementDest *dest = &dests[d];
      Fit f = fit (dest, needed);
      gint64 left = (gint64) dest->free_memory - (gint64) dest->reserved;

      if (rejected != NULL && rejected[d])
        continue;
      any_left = TRUE;

      if (f == FIT_TOO_SMALL && dest->in_flight > 0 &&
          left + (gint64) dest->in_flight >= needed)
        worth_waiting = TRUE;
      if (dest->active >= max_per_destination)
        {
          if (f == FIT_ROOM)
            worth_waiting = TRUE;
          continue;
        }
      if (best < 0 || f > best_fit || (f == best_fit && left > best_left))
        {
          best_fit = f;
          best_left = left;
          best = (int) d;
        }
    }

  if (!any_left)
    return -1;
  if (best < 0 || (best_fit != FIT_ROOM && worth_waiting))
    return -2;
  return best;
}
