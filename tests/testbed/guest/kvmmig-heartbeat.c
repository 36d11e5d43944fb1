/* kvmmig-heartbeat: prints "KVMMIG-GUEST alive <seconds since boot>" once a
 * second, on the second boundaries of CLOCK_MONOTONIC.
 *
 * After a pause (a migration's downtime, a stopped guest) it does not print a
 * burst of late lines: it skips to the next second from now.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-guest-common.h"

int
main (void)
{
  struct timespec next;

  clock_gettime (CLOCK_MONOTONIC, &next);
  next.tv_nsec = 0;

  for (;;)
    {
      say ("KVMMIG-GUEST alive %lld", uptime_s ());

      next.tv_sec += 1;
      struct timespec now;
      clock_gettime (CLOCK_MONOTONIC, &now);
      if (now.tv_sec > next.tv_sec + 1)
        next.tv_sec = now.tv_sec + 1;   /* fell behind: resynchronise */

      while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
        ;
    }
}
