/* kvmmig-powerd: powers the guest off when the ACPI power button is pressed
 * (what `virsh shutdown` does to a guest without an agent).
 *
 * The kernel's `button` driver turns the ACPI power-button event into a
 * KEY_POWER input event; `evdev` exposes it as /dev/input/eventN.  This
 * program waits on every event device and, on KEY_POWER, prints
 * "KVMMIG-GUEST poweroff reason=acpi-power-button", syncs and powers off.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-guest-common.h"

#include <fcntl.h>
#include <linux/input.h>
#include <linux/reboot.h>
#include <poll.h>
#include <sys/reboot.h>

#define MAX_DEVS 32

int
main (void)
{
  struct pollfd fds[MAX_DEVS];
  int nfds = 0;

  /* Input devices appear shortly after the modules are loaded. */
  for (int attempt = 0; attempt < 50 && nfds == 0; attempt++)
    {
      for (int i = 0; i < MAX_DEVS; i++)
        {
          char path[64];
          snprintf (path, sizeof path, "/dev/input/event%d", i);
          int fd = open (path, O_RDONLY | O_CLOEXEC);
          if (fd < 0)
            continue;
          fds[nfds].fd = fd;
          fds[nfds].events = POLLIN;
          nfds++;
        }
      if (nfds == 0)
        sleep_s (0.1);
    }

  if (nfds == 0)
    {
      say ("KVMMIG-GUEST warning acpi-shutdown=unavailable reason=no-input-device");
      return 1;
    }

  for (;;)
    {
      if (poll (fds, (nfds_t) nfds, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          say ("KVMMIG-GUEST warning acpi-shutdown=unavailable reason=poll-errno-%d", errno);
          return 1;
        }
      for (int i = 0; i < nfds; i++)
        {
          if (!(fds[i].revents & POLLIN))
            continue;
          struct input_event ev[16];
          ssize_t n = read (fds[i].fd, ev, sizeof ev);
          for (ssize_t k = 0; n > 0 && k < n / (ssize_t) sizeof ev[0]; k++)
            {
              if (ev[k].type == EV_KEY && ev[k].code == KEY_POWER && ev[k].value == 1)
                {
                  say ("KVMMIG-GUEST poweroff reason=acpi-power-button uptime=%lld", uptime_s ());
                  sync ();
                  reboot (LINUX_REBOOT_CMD_POWER_OFF);
                  say ("KVMMIG-GUEST warning poweroff-failed errno=%d", errno);
                }
            }
        }
    }
}
