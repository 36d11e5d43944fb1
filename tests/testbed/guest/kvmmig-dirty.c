/* kvmmig-dirty: a memory workload that detects lost or stale pages.
 *
 *   kvmmig-dirty MIB [RATE]
 *
 * Fills MIB MiB of anonymous memory with incompressible pseudo-random bytes,
 * then rewrites it page by page, forever, at RATE MiB/s (0 or absent: as fast
 * as it can).  Before each rewrite of a page it regenerates what it last wrote
 * there and compares the whole page.  A page that does not hold exactly its
 * last write is reported: that is what a live migration that loses or
 * misorders a dirty page looks like from inside the guest.
 *
 * Page content: a 16-byte header (MAGIC ^ index, generation) followed by
 * xorshift64* output seeded with splitmix64(salt, index, generation).  The
 * header lets a bad page say which generation it holds instead (an older
 * one = a stale page; none = garbage).  The expected generation of every page
 * is kept in a separate array.
 *
 * Output (one line each, see README.md):
 *   KVMMIG-DIRTY ready mib=M pages=P page_size=S rate=R fill_s=F salt=0x.. addr=0x..
 *   KVMMIG-DIRTY stats up=U passes=N checked=C checked_total=T bad=B total_bad=TB mibps=X
 *   KVMMIG-DIRTY bad page=I expected_gen=G found_gen=H|none words=W pass=N
 *   KVMMIG-DIRTY bad-suppressed count=N
 *
 * Debug builds (-DKVMMIG_DIRTY_DEBUG) corrupt one page on purpose when
 * KVMMIG_DIRTY_CORRUPT=PAGE:PASS is set: after pass PASS completes, one byte of
 * page PAGE is flipped behind the checker's back.  The self-test uses it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-guest-common.h"

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

int
main (int argc, char **argv)
{
  if (argc < 2 || argc > 3)
    {
      fprintf (stderr, "usage: %s MIB [RATE_MIB_PER_S]\n", argv[0]);
      return 2;
    }
  uint64_t mib = parse_u64 ("MIB", argv[1]);
  uint64_t rate = argc > 2 ? parse_u64 ("RATE", argv[2]) : 0;
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
  if (mem == MAP_FAILED || gens == NULL)
    {
      say ("KVMMIG-DIRTY error reason=out-of-memory mib=%llu", (unsigned long long) mib);
      return 1;
    }
  (void) mlock (mem, npages * page_size);  /* best effort; there is no swap anyway */

#ifdef KVMMIG_DIRTY_DEBUG
  long long corrupt_page = -1, corrupt_pass = -1;
  const char *corrupt = getenv ("KVMMIG_DIRTY_CORRUPT");
  if (corrupt && sscanf (corrupt, "%lld:%lld", &corrupt_page, &corrupt_pass) != 2)
    corrupt_page = corrupt_pass = -1;
  if (corrupt_page >= (long long) npages)
    corrupt_page = -1;
#endif

  double t0 = now_s ();
  for (size_t i = 0; i < npages; i++)
    {
      gens[i] = 1;
      fill_page ((uint64_t *) (mem + i * page_size), i, 1);
    }
  double t1 = now_s ();
  say ("KVMMIG-DIRTY ready mib=%llu pages=%zu page_size=%zu rate=%llu fill_s=%.2f salt=0x%016llx addr=%p",
       (unsigned long long) mib, npages, page_size, (unsigned long long) rate, t1 - t0,
       (unsigned long long) salt, (void *) mem);

  unsigned long long passes = 0, checked = 0, checked_total = 0;
  unsigned long long bad = 0, total_bad = 0, bad_lines = 0, suppressed = 0;
  double period_start = now_s ();
  double next_report = period_start + 1.0;
  double rate_base = period_start;         /* start of the rate schedule */
  double rate_bytes = 0;                   /* bytes written since rate_base */
  double period_bytes = 0;
  const double bytes_per_s = (double) rate * 1024.0 * 1024.0;

  for (;;)
    {
      for (size_t i = 0; i < npages; i++)
        {
          uint64_t *p = (uint64_t *) (mem + i * page_size);
          size_t words = check_page (p, i, gens[i]);
          checked++;
          if (words)
            {
              bad++;
              total_bad++;
              if (bad_lines < MAX_BAD_LINES_PER_PERIOD)
                {
                  char found[32];
                  if (p[0] == (HDR_MAGIC ^ i))
                    snprintf (found, sizeof found, "%llu", (unsigned long long) p[1]);
                  else
                    snprintf (found, sizeof found, "none");
                  say ("KVMMIG-DIRTY bad page=%zu expected_gen=%u found_gen=%s words=%zu pass=%llu",
                       i, gens[i], found, words, passes + 1);
                  bad_lines++;
                }
              else
                suppressed++;
            }
          gens[i]++;
          fill_page (p, i, gens[i]);
          rate_bytes += (double) page_size;
          period_bytes += (double) page_size;

          if ((i & 63) != 63 && i != npages - 1)
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
          if (now >= next_report)
            {
              checked_total += checked;
              if (suppressed)
                say ("KVMMIG-DIRTY bad-suppressed count=%llu", suppressed);
              say ("KVMMIG-DIRTY stats up=%lld passes=%llu checked=%llu checked_total=%llu "
                   "bad=%llu total_bad=%llu mibps=%.1f",
                   uptime_s (), passes, checked, checked_total, bad, total_bad,
                   period_bytes / (1024.0 * 1024.0) / (now - period_start));
              checked = bad = bad_lines = suppressed = 0;
              period_bytes = 0;
              period_start = now;
              next_report += 1.0;
              if (next_report <= now)
                next_report = now + 1.0;
            }
        }
      passes++;

#ifdef KVMMIG_DIRTY_DEBUG
      if (corrupt_page >= 0 && (long long) passes == corrupt_pass)
        {
          mem[(size_t) corrupt_page * page_size + page_size / 2] ^= 0x5a;
          say ("KVMMIG-DIRTY debug corrupted page=%lld after_pass=%llu", corrupt_page, passes);
        }
#endif
    }
}
