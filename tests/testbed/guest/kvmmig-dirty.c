/* kvmmig-dirty: a memory workload that detects lost or stale pages.
 *
 *   kvmmig-dirty MIB [RATE] [random] [burst=ON_MS/OFF_MS]
 *
 * Fills MIB MiB of anonymous memory with incompressible pseudo-random bytes,
 * then rewrites it page by page, forever, at RATE MiB/s (0 or absent: as fast
 * as it can).  Before each rewrite of a page it regenerates what it last wrote
 * there and compares the whole page.  A page that does not hold exactly its
 * last write is reported: that is what a live migration that loses or
 * misorders a dirty page looks like from inside the guest.
 *
 * Each pass rewrites every page once: in index order (the default), or with
 * `random` in a new pseudo-random permutation each pass (a Fisher-Yates
 * shuffle of an index array, spread over the pass).  With `burst=ON_MS/OFF_MS`
 * it writes (at RATE) for ON_MS milliseconds, then writes nothing for OFF_MS,
 * and so on; the stats lines keep coming during the pauses.
 *
 * Page content: a 16-byte header (MAGIC ^ index, generation) followed by
 * xorshift64* output seeded with splitmix64(salt, index, generation).  The
 * header lets a bad page say which generation it holds instead (an older
 * one = a stale page; none = garbage).  The expected generation of every page
 * is kept in a separate array, so the order of the rewrites does not matter.
 *
 * Output (one line each, see README.md):
 *   KVMMIG-DIRTY ready mib=M pages=P page_size=S rate=R fill_s=F salt=0x.. addr=0x..
 *                      order=sequential|random burst=none|ON_MS/OFF_MS
 *   KVMMIG-DIRTY stats up=U passes=N checked=C checked_total=T bad=B total_bad=TB mibps=X
 *   KVMMIG-DIRTY bad page=I expected_gen=G found_gen=H|none words=W pass=N
 *   KVMMIG-DIRTY bad-suppressed count=N
 *
 * Debug builds (-DKVMMIG_DIRTY_DEBUG) corrupt one page on purpose when
 * KVMMIG_DIRTY_CORRUPT=PAGE:PASS is set: after pass PASS completes, one byte of
 * page PAGE is flipped behind the checker's back.  They also check after each
 * pass that it rewrote every page exactly once (a line `debug pass-coverage`
 * if not), and with KVMMIG_DIRTY_SHOW_ORDER=N (1..64) print the first N pages
 * of each of the first 3 passes (`debug order pass=P pages=I,J,...`).  The
 * self-test uses them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-guest-programs.h"

#include <sys/mman.h>

#define HDR_MAGIC 0x4b564d4d49474450ULL /* "KVMMIGDP" */
#define MAX_BAD_LINES_PER_PERIOD 32

static size_t page_size;
static size_t words_per_page;
static uint64_t salt;

static inline uint64_t
page_seed (uint64_t index, uint64_t gen)
{
  uint64_t s = splitmix64 (salt ^ splitmix64 (index * 0x9e3779b97f4a7c15ULL + gen));
  return s ? s : 0x2545f4914f6cdd1dULL;
}

static inline uint64_t
xorshift64star (uint64_t *s)
{
  uint64_t x = *s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 0x2545f4914f6cdd1dULL;
}

static void
fill_page (uint64_t *p, uint64_t index, uint64_t gen)
{
  uint64_t s = page_seed (index, gen);
  p[0] = HDR_MAGIC ^ index;
  p[1] = gen;
  for (size_t w = 2; w < words_per_page; w++)
    p[w] = xorshift64star (&s);
}

/* Returns the number of 64-bit words that differ from generation GEN. */
static size_t
check_page (const uint64_t *p, uint64_t index, uint64_t gen)
{
  uint64_t s = page_seed (index, gen);
  size_t bad = 0;
  bad += p[0] != (HDR_MAGIC ^ index);
  bad += p[1] != gen;
  for (size_t w = 2; w < words_per_page; w++)
    bad += p[w] != xorshift64star (&s);
  return bad;
}

/* A number in [0, n) from the generator state S (Lemire's multiply-shift). */
static inline size_t
below (uint64_t *s, size_t n)
{
  return (size_t) (((unsigned __int128) xorshift64star (s) * n) >> 64);
}

/* The counters of the stats lines. */
static struct
{
  unsigned long long passes, checked, checked_total;
  unsigned long long bad, total_bad, bad_lines, suppressed;
  double period_start, next_report, period_bytes;
} st;

/* Prints the stats line of the period that ends at NOW if it is due. */
static void
report_if_due (double now)
{
  if (now < st.next_report)
    return;
  st.checked_total += st.checked;
  if (st.suppressed)
    say ("KVMMIG-DIRTY bad-suppressed count=%llu", st.suppressed);
  say ("KVMMIG-DIRTY stats up=%lld passes=%llu checked=%llu checked_total=%llu "
       "bad=%llu total_bad=%llu mibps=%.1f",
       uptime_s (), st.passes, st.checked, st.checked_total, st.bad, st.total_bad,
       st.period_bytes / (1024.0 * 1024.0) / (now - st.period_start));
  st.checked = st.bad = st.bad_lines = st.suppressed = 0;
  st.period_bytes = 0;
  st.period_start = now;
  st.next_report += 1.0;
  if (st.next_report <= now)
    st.next_report = now + 1.0;
}

/* Parses ON_MS/OFF_MS (1..3600000 each); returns 0 if S is not that. */
static int
parse_burst (const char *s, unsigned long *on, unsigned long *off)
{
  char *end;
  if (*s < '0' || *s > '9')
    return 0;
  *on = strtoul (s, &end, 10);
  if (*end != '/' || end[1] < '0' || end[1] > '9')
    return 0;
  *off = strtoul (end + 1, &end, 10);
  return *end == '\0' && *on >= 1 && *on <= 3600000 && *off >= 1 && *off <= 3600000;
}

static void
usage (const char *prog)
{
  fprintf (stderr, "usage: %s MIB [RATE_MIB_PER_S] [random] [burst=ON_MS/OFF_MS]\n", prog);
  exit (2);
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    usage (argv[0]);
  uint64_t mib = parse_u64 ("MIB", argv[1]);
  uint64_t rate = 0;
  int random_order = 0;
  unsigned long burst_on_ms = 0, burst_off_ms = 0;
  for (int a = 2; a < argc; a++)
    {
      const char *arg = argv[a];
      if (a == 2 && arg[0] >= '0' && arg[0] <= '9')
        rate = parse_u64 ("RATE", arg);
      else if (strcmp (arg, "random") == 0 && !random_order)
        random_order = 1;
      else if (strncmp (arg, "burst=", 6) == 0 && burst_on_ms == 0
               && parse_burst (arg + 6, &burst_on_ms, &burst_off_ms))
        ;
      else
        {
          fprintf (stderr, "invalid argument '%s' (burst=ON_MS/OFF_MS takes 1..3600000 ms each)\n", arg);
          usage (argv[0]);
        }
    }
  if (mib == 0)
    {
      fprintf (stderr, "MIB must be at least 1\n");
      return 2;
    }

  page_size = (size_t) sysconf (_SC_PAGESIZE);
  words_per_page = page_size / sizeof (uint64_t);
  size_t npages = (size_t) (mib * 1024 * 1024 / page_size);
  salt = splitmix64 ((uint64_t) getpid () ^ (uint64_t) (now_s () * 1e9));

  uint8_t *mem = mmap (NULL, npages * page_size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  uint32_t *gens = calloc (npages, sizeof *gens);
  /* Random order: the pages of the pass, reshuffled as the pass goes. */
  uint32_t *order = random_order ? malloc (npages * sizeof *order) : NULL;
  if (mem == MAP_FAILED || gens == NULL || (random_order && order == NULL))
    {
      say ("KVMMIG-DIRTY error reason=out-of-memory mib=%llu", (unsigned long long) mib);
      return 1;
    }
  (void) mlock (mem, npages * page_size);  /* best effort; there is no swap anyway */
  uint64_t order_state = splitmix64 (salt ^ 0x6f72646572ULL) | 1;
  if (order)
    for (size_t i = 0; i < npages; i++)
      order[i] = (uint32_t) i;

#ifdef KVMMIG_DIRTY_DEBUG
  long long corrupt_page = -1, corrupt_pass = -1;
  const char *corrupt = getenv ("KVMMIG_DIRTY_CORRUPT");
  if (corrupt && sscanf (corrupt, "%lld:%lld", &corrupt_page, &corrupt_pass) != 2)
    corrupt_page = corrupt_pass = -1;
  if (corrupt_page >= (long long) npages)
    corrupt_page = -1;
  const char *show = getenv ("KVMMIG_DIRTY_SHOW_ORDER");
  size_t show_order = show ? (size_t) strtoul (show, NULL, 10) : 0;
  if (show_order > 64)
    show_order = 64;
  if (show_order > npages)
    show_order = npages;
  char shown[64 * 11 + 1];
  size_t shown_len = 0;
#endif

  double t0 = now_s ();
  for (size_t i = 0; i < npages; i++)
    {
      gens[i] = 1;
      fill_page ((uint64_t *) (mem + i * page_size), i, 1);
    }
  double t1 = now_s ();
  char burst_desc[32] = "none";
  if (burst_on_ms)
    snprintf (burst_desc, sizeof burst_desc, "%lu/%lu", burst_on_ms, burst_off_ms);
  say ("KVMMIG-DIRTY ready mib=%llu pages=%zu page_size=%zu rate=%llu fill_s=%.2f salt=0x%016llx addr=%p "
       "order=%s burst=%s",
       (unsigned long long) mib, npages, page_size, (unsigned long long) rate, t1 - t0,
       (unsigned long long) salt, (void *) mem, random_order ? "random" : "sequential", burst_desc);

  st.period_start = now_s ();
  st.next_report = st.period_start + 1.0;
  double rate_base = st.period_start;      /* start of the rate schedule */
  double rate_bytes = 0;                   /* bytes written since rate_base */
  const double bytes_per_s = (double) rate * 1024.0 * 1024.0;
  /* Bursts: on for the first burst_on_ms of every cycle from burst_t0. */
  const double burst_t0 = st.period_start;
  const uint64_t burst_cycle_us = (uint64_t) (burst_on_ms + burst_off_ms) * 1000;

  for (;;)
    {
      for (size_t k = 0; k < npages; k++)
        {
          size_t i = k;
          if (order)
            {
              size_t j = k + below (&order_state, npages - k);
              uint32_t t = order[j];
              order[j] = order[k];
              order[k] = t;
              i = t;
            }
#ifdef KVMMIG_DIRTY_DEBUG
          if (k < show_order && st.passes < 3)
            {
              shown_len += (size_t) snprintf (shown + shown_len, sizeof shown - shown_len,
                                              "%s%zu", k ? "," : "", i);
              if (k == show_order - 1)
                {
                  say ("KVMMIG-DIRTY debug order pass=%llu pages=%s", st.passes + 1, shown);
                  shown_len = 0;
                }
            }
#endif
          uint64_t *p = (uint64_t *) (mem + i * page_size);
          size_t words = check_page (p, i, gens[i]);
          st.checked++;
          if (words)
            {
              st.bad++;
              st.total_bad++;
              if (st.bad_lines < MAX_BAD_LINES_PER_PERIOD)
                {
                  char found[32];
                  if (p[0] == (HDR_MAGIC ^ i))
                    snprintf (found, sizeof found, "%llu", (unsigned long long) p[1]);
                  else
                    snprintf (found, sizeof found, "none");
                  say ("KVMMIG-DIRTY bad page=%zu expected_gen=%u found_gen=%s words=%zu pass=%llu",
                       i, gens[i], found, words, st.passes + 1);
                  st.bad_lines++;
                }
              else
                st.suppressed++;
            }
          gens[i]++;
          fill_page (p, i, gens[i]);
          rate_bytes += (double) page_size;
          st.period_bytes += (double) page_size;

          if ((k & 63) != 63 && k != npages - 1)
            continue;

          double now = now_s ();
          if (bytes_per_s > 0)
            {
              double due = rate_base + rate_bytes / bytes_per_s;
              if (due > now)
                {
                  sleep_s (due - now);
                  now = now_s ();
                }
              else if (now - due > 0.5)
                {
                  /* Far behind (paused guest, slow CPU): do not burst to catch up. */
                  rate_base = now;
                  rate_bytes = 0;
                }
            }
          if (burst_cycle_us)
            {
              uint64_t pos_us = (uint64_t) ((now - burst_t0) * 1e6) % burst_cycle_us;
              if (pos_us >= (uint64_t) burst_on_ms * 1000)
                {
                  /* Off: write nothing until the next cycle, still reporting. */
                  double resume = now + (double) (burst_cycle_us - pos_us) / 1e6;
                  while (now < resume)
                    {
                      report_if_due (now);
                      sleep_s ((st.next_report < resume ? st.next_report : resume) - now);
                      now = now_s ();
                    }
                  rate_base = now;
                  rate_bytes = 0;
                }
            }
          report_if_due (now);
        }
      st.passes++;

#ifdef KVMMIG_DIRTY_DEBUG
      for (size_t i = 0; i < npages; i++)
        if (gens[i] != (uint32_t) (st.passes + 1))
          {
            say ("KVMMIG-DIRTY debug pass-coverage pass=%llu page=%zu gen=%u expected_gen=%llu",
                 st.passes, i, gens[i], st.passes + 1);
            break;
          }
      if (corrupt_page >= 0 && (long long) st.passes == corrupt_pass)
        {
          mem[(size_t) corrupt_page * page_size + page_size / 2] ^= 0x5a;
          say ("KVMMIG-DIRTY debug corrupted page=%lld after_pass=%llu", corrupt_page, st.passes);
        }
#endif
    }
}
