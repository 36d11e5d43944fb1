/* kvmmig-diskwrite: a disk workload that rewrites a region of the disk fast.
 *
 *   kvmmig-diskwrite [--mib MIB] MIBPS [DEVICE]       (default DEVICE: /dev/vda)
 *
 * Migration without shared storage copies the disk while the guest runs; to
 * be a test of that, the guest must dirty its disk faster than a trickle.
 * This program rewrites the SECOND HALF of DEVICE (the first half belongs to
 * kvmmig-diskseq, whose records start at offset 0) in 64 KiB blocks, in
 * sequential order, wrapping around at the end of the region, at MIBPS MiB/s
 * (token bucket holding at most 100 ms of writes, so a pause such as a
 * migration's downtime causes no burst).  The region starts at the first MiB
 * boundary at or after half the device and is MIB MiB long (default and
 * maximum: up to the end of the device, in whole blocks).
 *
 * Every write is one pwrite(2) of a whole block with O_DIRECT (not O_SYNC:
 * the block has left the guest's page cache when the write returns, which is
 * what the rate is about; no flush is requested).  A block holds a header
 * (magic "KVMDWRIT", version, block index in the region, generation = the
 * pass over the region that wrote it, a per-run salt, a timestamp and an
 * FNV-1a-style 64-bit checksum over the whole block) followed by xorshift64*
 * output seeded from (salt, index, generation), so a reader can check every
 * block on its own.  No 512-byte sector of a block ever starts with
 * kvmmig-diskseq's record magic (a payload word that would is altered), so
 * diskseq's scan never mistakes a block for one of its records.
 *
 * At start it reads the region once and checks the blocks already there (the
 * blocks of a previous boot, possibly on another host after a migration),
 * then writes pass max_gen+1 from block 0.  Output (see README.md):
 *   KVMMIG-DISKWRITE ready region_mib=R offset_mib=O block_kib=64 blocks=N rate=MIBPS
 *                    order=sequential valid=V bad=B empty=E gen=G scan_s=T
 *   KVMMIG-DISKWRITE badblock index=I reason=checksum|index gen=G   (first 20)
 *   KVMMIG-DISKWRITE progress mib=M rate=R errors=E up=U             (once a second)
 *   KVMMIG-DISKWRITE error op=open|size|read|write|memory ... errno=N
 * progress: M = MiB written (and acknowledged) since the start, R = MiB/s
 * over the last period, E = failed writes since the start (a failed block is
 * retried), U = the guest's uptime.  Error lines of writes are limited to 10
 * a second; errors= counts them all.
 *
 * It also works on a plain file (for the self-test).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-guest-programs.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#define BLK_MAGIC 0x54495257444d564bULL    /* "KVMDWRIT" in memory (little-endian) */
#define DISKSEQ_MAGIC 0x51455353444d564bULL /* kvmmig-diskseq.c's REC_MAGIC: never write it */
#define BLK_VERSION 1
#define BLK_SIZE (64 * 1024)
#define SECTOR 512
#define MIB (1024ULL * 1024ULL)
#define BURST_S 0.1                         /* token bucket depth */
#define MAX_DETAIL_LINES 20
#define MAX_ERROR_LINES_PER_S 10

struct blk_hdr
{
  uint64_t magic;
  uint32_t version;
  uint32_t blksize;
  uint64_t index;              /* block number within the region */
  uint64_t gen;                /* pass over the region, 1, 2, ... */
  uint64_t salt;               /* per run */
  uint64_t realtime_ns;
  uint64_t checksum;           /* blk_checksum of the whole block with this field 0 */
};

static uint64_t
blk_checksum (const uint8_t *blk)
{
  const uint64_t *w = (const uint64_t *) blk;
  const size_t cks = offsetof (struct blk_hdr, checksum) / 8;
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < BLK_SIZE / 8; i++)
    {
      h ^= i == cks ? 0 : w[i];
      h *= 0x100000001b3ULL;
      h ^= h >> 29;
    }
  return h;
}

static void
build_block (uint8_t *blk, uint64_t index, uint64_t gen, uint64_t salt)
{
  struct blk_hdr *h = (struct blk_hdr *) blk;
  uint64_t *w = (uint64_t *) blk;
  uint64_t s = splitmix64 (salt ^ splitmix64 (index * 0x9e3779b97f4a7c15ULL + gen));
  if (s == 0)
    s = 0x2545f4914f6cdd1dULL;
  for (size_t i = sizeof *h / 8; i < BLK_SIZE / 8; i++)
    {
      s ^= s >> 12;
      s ^= s << 25;
      s ^= s >> 27;
      w[i] = s * 0x2545f4914f6cdd1dULL;
    }
  /* No sector may start with diskseq's magic (sector 0 starts with ours). */
  for (size_t off = SECTOR; off < BLK_SIZE; off += SECTOR)
    if (w[off / 8] == DISKSEQ_MAGIC)
      w[off / 8] ^= 1;
  h->magic = BLK_MAGIC;
  h->version = BLK_VERSION;
  h->blksize = BLK_SIZE;
  h->index = index;
  h->gen = gen;
  h->salt = salt;
  h->realtime_ns = (uint64_t) (clock_s (CLOCK_REALTIME) * 1e9);
  h->checksum = 0;
  h->checksum = blk_checksum (blk);
}

static int
open_device (const char *dev)
{
  /* The disk appears once virtio_blk has probed it; keep trying, saying so. */
  for (unsigned attempt = 0;; attempt++)
    {
      int fd = open (dev, O_RDWR | O_DIRECT | O_CLOEXEC);
      if (fd >= 0)
        return fd;
      if (attempt >= 50 && attempt % 50 == 0)
        say ("KVMMIG-DISKWRITE error op=open dev=%s errno=%d attempt=%u", dev, errno, attempt);
      sleep_s (0.1);
    }
}

int
main (int argc, char **argv)
{
  const char *dev = "/dev/vda";
  uint64_t rate = 0, want_mib = 0;
  int have_rate = 0, usage = 0;

  for (int i = 1; i < argc && !usage; i++)
    {
      if (strcmp (argv[i], "--mib") == 0 && i + 1 < argc)
        want_mib = parse_u64 ("MIB", argv[++i]);
      else if (argv[i][0] == '-')
        usage = 1;
      else if (!have_rate)
        {
          rate = parse_u64 ("MIBPS", argv[i]);
          have_rate = 1;
        }
      else
        dev = argv[i];
    }
  if (usage || !have_rate || rate == 0)
    {
      fprintf (stderr, "usage: %s [--mib MIB] MIBPS [DEVICE]   (MIBPS >= 1)\n", argv[0]);
      return 2;
    }

  int fd = open_device (dev);

  struct stat st;
  uint64_t devsize = 0;
  if (fstat (fd, &st) == 0 && S_ISBLK (st.st_mode))
    {
      if (ioctl (fd, BLKGETSIZE64, &devsize) < 0)
        {
          say ("KVMMIG-DISKWRITE error op=size dev=%s errno=%d", dev, errno);
          return 1;
        }
    }
  else
    devsize = (uint64_t) st.st_size;

  uint64_t offset = (devsize / 2 + MIB - 1) / MIB * MIB;
  uint64_t blocks = offset < devsize ? (devsize - offset) / BLK_SIZE : 0;
  if (want_mib > 0 && want_mib * MIB / BLK_SIZE < blocks)
    blocks = want_mib * MIB / BLK_SIZE;
  else if (want_mib > 0 && want_mib * MIB / BLK_SIZE > blocks)
    say ("KVMMIG-DISKWRITE error op=size dev=%s requested_mib=%llu available_mib=%llu (using what there is)",
         dev, (unsigned long long) want_mib, (unsigned long long) (blocks * BLK_SIZE / MIB));
  if (blocks == 0)
    {
      say ("KVMMIG-DISKWRITE error op=size dev=%s size=%llu reason=no-room-in-second-half",
           dev, (unsigned long long) devsize);
      return 1;
    }

  uint8_t *buf;
  if (posix_memalign ((void **) &buf, 4096, BLK_SIZE) != 0)
    {
      say ("KVMMIG-DISKWRITE error op=memory");
      return 1;
    }
  uint64_t salt = splitmix64 ((uint64_t) getpid () ^ (uint64_t) (now_s () * 1e9));

  /* --- check what a previous run left --- */
  double t0 = now_s ();
  uint64_t valid = 0, bad = 0, empty = 0, max_gen = 0;
  unsigned detail = 0;
  for (uint64_t i = 0; i < blocks; i++)
    {
      ssize_t r;
      while ((r = pread (fd, buf, BLK_SIZE, (off_t) (offset + i * BLK_SIZE))) != BLK_SIZE)
        {
          say ("KVMMIG-DISKWRITE error op=read block=%llu errno=%d", (unsigned long long) i,
               r < 0 ? errno : 0);
          sleep_s (1);
        }
      const struct blk_hdr *h = (const struct blk_hdr *) buf;
      if (h->magic != BLK_MAGIC)
        {
          empty++;
          continue;
        }
      const char *reason = NULL;
      if (h->blksize != BLK_SIZE || h->checksum != blk_checksum (buf))
        reason = "checksum";
      else if (h->index != i)
        reason = "index";
      if (reason)
        {
          bad++;
          if (detail++ < MAX_DETAIL_LINES)
            say ("KVMMIG-DISKWRITE badblock index=%llu reason=%s gen=%llu", (unsigned long long) i,
                 reason, (unsigned long long) h->gen);
          continue;
        }
      valid++;
      if (h->gen > max_gen)
        max_gen = h->gen;
    }
  uint64_t gen = max_gen + 1;
  say ("KVMMIG-DISKWRITE ready region_mib=%llu offset_mib=%llu block_kib=%d blocks=%llu rate=%llu "
       "order=sequential valid=%llu bad=%llu empty=%llu gen=%llu scan_s=%.2f",
       (unsigned long long) (blocks * BLK_SIZE / MIB), (unsigned long long) (offset / MIB),
       BLK_SIZE / 1024, (unsigned long long) blocks, (unsigned long long) rate,
       (unsigned long long) valid, (unsigned long long) bad, (unsigned long long) empty,
       (unsigned long long) gen, now_s () - t0);

  /* --- writer --- */
  const double bytes_per_s = (double) rate * (double) MIB;
  double burst = bytes_per_s * BURST_S;
  if (burst < BLK_SIZE)
    burst = BLK_SIZE;
  double tokens = BLK_SIZE;           /* the first block goes at once */
  double last_refill = now_s ();
  double period_start = last_refill, next_report = last_refill + 1.0, next_error_period = 0;
  uint64_t written = 0, period_written = 0, errors = 0;
  unsigned error_lines = 0;
  uint64_t index = 0;

  for (;;)
    {
      double now = now_s ();
      tokens += (now - last_refill) * bytes_per_s;
      last_refill = now;
      if (tokens > burst)
        tokens = burst;
      if (tokens < BLK_SIZE)
        {
          sleep_s ((BLK_SIZE - tokens) / bytes_per_s);
          continue;
        }

      build_block (buf, index, gen, salt);
      ssize_t w = pwrite (fd, buf, BLK_SIZE, (off_t) (offset + index * BLK_SIZE));
      if (w == BLK_SIZE)
        {
          tokens -= BLK_SIZE;
          written += BLK_SIZE;
          period_written += BLK_SIZE;
          if (++index == blocks)
            {
              index = 0;
              gen++;
            }
        }
      else
        {
          int e = w < 0 ? errno : 0;
          errors++;
          now = now_s ();
          if (now >= next_error_period)
            {
              next_error_period = now + 1.0;
              error_lines = 0;
            }
          if (error_lines++ < MAX_ERROR_LINES_PER_S)
            say ("KVMMIG-DISKWRITE error op=write block=%llu gen=%llu errno=%d written=%lld",
                 (unsigned long long) index, (unsigned long long) gen, e, (long long) w);
          sleep_s (0.1);       /* then the same block again */
        }

      now = now_s ();
      if (now >= next_report)
        {
          say ("KVMMIG-DISKWRITE progress mib=%llu rate=%.1f errors=%llu up=%lld",
               (unsigned long long) (written / MIB),
               (double) period_written / (double) MIB / (now - period_start),
               (unsigned long long) errors, uptime_s ());
          period_written = 0;
          period_start = now;
          next_report += 1.0;
          if (next_report <= now)
            next_report = now + 1.0;
        }
    }
}
