/* kvmmig-placement-private.h: where an evacuation sends each guest, as
 * a function of plain figures, so that the unit tests can try cases the
 * test driver cannot show (it reports no free memory).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One destination as the evacuation sees it. */
typedef struct
{
  guint64 free_memory;    /* at the start; 0 if the host does not say */
  gboolean info_failed;   /* its free memory could not be read */
  guint64 reserved;       /* the guests sent or on their way there */
  guint64 in_flight;      /* those on their way */
  guint active;           /* migrations into it now */
} KvmmigPlacementDest;

int _kvmmig_placement_choose (const KvmmigPlacementDest *dests,
                              const gboolean            *rejected,
                              guint                      n_dests,
                              guint64                    needed_bytes,
                              guint                      max_per_destination);

G_END_DECLS
