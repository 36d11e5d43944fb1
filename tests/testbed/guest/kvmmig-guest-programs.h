/* kvmmig-guest-programs.h: helpers shared by the testbed guest's programs.
 *
 * These programs run as static binaries inside the testbed guest (and, for
 * the self-test, natively on the build machine).  They report on stdout, which
 * in the guest is the serial console, one line per write(2) so that lines of
 * different programs never interleave.  See tests/testbed/README.md for the
 * line formats.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef KVMMIG_GUEST_PROGRAMS_H
#define KVMMIG_GUEST_PROGRAMS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Writes one whole line (a '\n' is appended) with a single write(2). */
static inline void __attribute__ ((format (printf, 1, 2)))
say (const char *fmt, ...)
{
  char buf[1024];
  va_list ap;
  int n;

  va_start (ap, fmt);
  n = vsnprintf (buf, sizeof buf - 1, fmt, ap);
  va_end (ap);
  if (n < 0)
    return;
  if ((size_t) n > sizeof buf - 2)
    n = sizeof buf - 2;
  buf[n++] = '\n';

  const char *p = buf;
  while (n > 0)
    {
      ssize_t w = write (STDOUT_FILENO, p, (size_t) n);
      if (w < 0)
        {
          if (errno == EINTR)
            continue;
          return;
        }
      p += w;
      n -= (int) w;
    }
}

static inline double
clock_s (clockid_t id)
{
  struct timespec ts;
  clock_gettime (id, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Seconds on a clock that never jumps backwards. */
static inline double
now_s (void)
{
  return clock_s (CLOCK_MONOTONIC);
}

/* Whole seconds since the (guest) kernel booted. */
static inline long long
uptime_s (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_BOOTTIME, &ts);
  return (long long) ts.tv_sec;
}

static inline void
sleep_s (double s)
{
  if (s <= 0)
    return;
  struct timespec ts;
  ts.tv_sec = (time_t) s;
  ts.tv_nsec = (long) ((s - (double) ts.tv_sec) * 1e9);
  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

/* splitmix64: a fast mixer, used to seed each page's generator. */
static inline uint64_t
splitmix64 (uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/* Parses a non-negative decimal integer; exits with a message if it is not one. */
static inline unsigned long long
parse_u64 (const char *what, const char *s)
{
  char *end = NULL;
  errno = 0;
  unsigned long long v = strtoull (s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || s[0] == '-')
    {
      fprintf (stderr, "invalid %s: '%s' (expected a non-negative integer)\n", what, s);
      exit (2);
    }
  return v;
}

#endif /* KVMMIG_GUEST_PROGRAMS_H */
