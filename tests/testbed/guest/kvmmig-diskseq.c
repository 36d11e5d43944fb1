/* kvmmig-diskseq: a disk workload that detects lost or torn writes.
 *
 *   kvmmig-diskseq [--rate N] [DEVICE]     (defaults: 4 records/s, /dev/vda)
 *
 * The disk is an array of slots of one logical block each (512 bytes on the
 * testbed's LUNs).  Record number SEQ (1, 2, 3...) lives in slot SEQ-1 and
 * holds a magic, SEQ, the boot counter, timestamps and a checksum over the
 * whole block.  Every write is O_DIRECT|O_SYNC, so once it returns (and the
 * "progress" line that follows reports it) the record is on the store.
 *
 * At start it scans the records already on the device, 1 MiB at a time,
 * stopping at the first 1 MiB that holds no record at all, and reports:
 *   KVMMIG-DISKSEQ boot found=N last=K gaps=G bad=B boot=BC slots=S recsize=R scan_s=T
 *     found: slots holding the record that belongs there
 *     last:  sequence number of the last record found (0 if none)
 *     gaps:  empty slots before the last record (lost writes)
 *     bad:   slots with a torn record (bad checksum) or a record with the
 *            wrong sequence number for its slot
 *     boot:  this boot's counter (1 + the highest counter on disk)
 *   KVMMIG-DISKSEQ gap slot=I              (first 20 of them)
 *   KVMMIG-DISKSEQ badrec slot=I reason=checksum|seq seq=Q   (first 20)
 * then writes record last+1, last+2, ... and once a second reports
 *   KVMMIG-DISKSEQ progress seq=K writes=W errors=E boot=BC up=U
 * where seq is the last record written and acknowledged.
 *   KVMMIG-DISKSEQ error seq=K op=write errno=N   (the same record is retried)
 *   KVMMIG-DISKSEQ full seq=K                      (device full; writing stops)
 *
 * It also works on a plain file (for the self-test).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kvmmig-guest-common.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#define REC_MAGIC 0x51455353444d564bULL /* "KVMDSSEQ" little-endian-ish */
#define REC_VERSION 1
#define SCAN_CHUNK (1024 * 1024)
#define MAX_DETAIL_LINES 20

struct rec
{
  uint64_t magic;
  uint32_t version;
  uint32_t boot;
  uint64_t seq;
  uint64_t realtime_ns;
  uint64_t uptime_ms;
  uint32_t recsize;
  uint32_t checksum;           /* FNV-1a 32 of the whole block with this field 0 */
  /* the rest of the block is filled from seq */
};

static uint32_t
fnv1a (const uint8_t *p, size_t n)
{
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    {
      h ^= p[i];
      h *= 16777619u;
    }
  return h;
}

static uint32_t
block_checksum (uint8_t *blk, size_t recsize)
{
  struct rec *r = (struct rec *) blk;
  uint32_t saved = r->checksum;
  r->checksum = 0;
  uint32_t c = fnv1a (blk, recsize);
  r->checksum = saved;
  return c;
}

static void
build_record (uint8_t *blk, size_t recsize, uint64_t seq, uint32_t boot)
{
  struct rec *r = (struct rec *) blk;
  memset (blk, 0, recsize);
  r->magic = REC_MAGIC;
  r->version = REC_VERSION;
  r->boot = boot;
  r->seq = seq;
  r->realtime_ns = (uint64_t) (clock_s (CLOCK_REALTIME) * 1e9);
  r->uptime_ms = (uint64_t) (clock_s (CLOCK_BOOTTIME) * 1e3);
  r->recsize = (uint32_t) recsize;
  uint64_t s = splitmix64 (seq);
  for (size_t off = sizeof *r; off + 8 <= recsize; off += 8)
    {
      s = splitmix64 (s);
      memcpy (blk + off, &s, 8);
    }
  r->checksum = block_checksum (blk, recsize);
}

int
main (int argc, char **argv)
{
  const char *dev = "/dev/vda";
  double rate = 4;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--rate") == 0 && i + 1 < argc)
        rate = (double) parse_u64 ("rate", argv[++i]);
      else if (argv[i][0] != '-')
        dev = argv[i];
      else
        {
          fprintf (stderr, "usage: %s [--rate RECORDS_PER_S] [DEVICE]\n", argv[0]);
          return 2;
        }
    }
  if (rate <= 0)
    rate = 4;

  /* The disk appears once virtio_blk has probed it. */
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; attempt++)
    {
      fd = open (dev, O_RDWR | O_DIRECT | O_SYNC | O_CLOEXEC);
      if (fd < 0)
        sleep_s (0.1);
    }
  if (fd < 0)
    {
      say ("KVMMIG-DISKSEQ error op=open dev=%s errno=%d", dev, errno);
      return 1;
    }

  struct stat st;
  uint64_t devsize = 0;
  int lbs = 512;
  if (fstat (fd, &st) == 0 && S_ISBLK (st.st_mode))
    {
      if (ioctl (fd, BLKGETSIZE64, &devsize) < 0 || ioctl (fd, BLKSSZGET, &lbs) < 0)
        {
          say ("KVMMIG-DISKSEQ error op=ioctl dev=%s errno=%d", dev, errno);
          return 1;
        }
    }
  else
    devsize = (uint64_t) st.st_size;
  size_t recsize = lbs < 512 ? 512 : (size_t) lbs;
  uint64_t slots = devsize / recsize;
  if (slots == 0)
    {
      say ("KVMMIG-DISKSEQ error op=size dev=%s size=%llu", dev, (unsigned long long) devsize);
      return 1;
    }

  uint8_t *buf;
  if (posix_memalign ((void **) &buf, 4096, SCAN_CHUNK) != 0)
    {
      say ("KVMMIG-DISKSEQ error reason=out-of-memory");
      return 1;
    }

  /* --- boot scan --- */
  double t0 = now_s ();
  uint64_t found = 0, gaps = 0, badrecs = 0, last = 0, last_slot_plus1 = 0;
  uint64_t empty_since_last = 0;     /* empty slots after the last record seen */
  uint32_t max_boot = 0;
  unsigned detail = 0;
  uint64_t *empty_slots = NULL;      /* first few empty slots since the last record */
  size_t n_empty_slots = 0;
  empty_slots = calloc (MAX_DETAIL_LINES, sizeof *empty_slots);

  for (uint64_t base = 0; base < slots; )
    {
      uint64_t n = SCAN_CHUNK / recsize;
      if (n > slots - base)
        n = slots - base;
      ssize_t r = pread (fd, buf, n * recsize, (off_t) (base * recsize));
      if (r < 0)
        {
          say ("KVMMIG-DISKSEQ error op=read slot=%llu errno=%d", (unsigned long long) base, errno);
          return 1;
        }
      n = (uint64_t) r / recsize;
      if (n == 0)
        break;

      int any = 0;
      for (uint64_t k = 0; k < n; k++)
        {
          uint64_t slot = base + k;
          uint8_t *blk = buf + k * recsize;
          struct rec *rec = (struct rec *) blk;
          if (rec->magic != REC_MAGIC)
            {
              empty_since_last++;
              if (n_empty_slots < MAX_DETAIL_LINES)
                empty_slots[n_empty_slots++] = slot;
              continue;
            }
          any = 1;
          /* Every empty slot before this record is a gap. */
          gaps += empty_since_last;
          for (size_t e = 0; e < n_empty_slots && detail < MAX_DETAIL_LINES; e++, detail++)
            say ("KVMMIG-DISKSEQ gap slot=%llu", (unsigned long long) empty_slots[e]);
          empty_since_last = 0;
          n_empty_slots = 0;

          last_slot_plus1 = slot + 1;
          if (rec->recsize != recsize || rec->checksum != block_checksum (blk, recsize))
            {
              badrecs++;
              if (detail++ < MAX_DETAIL_LINES)
                say ("KVMMIG-DISKSEQ badrec slot=%llu reason=checksum seq=%llu",
                     (unsigned long long) slot, (unsigned long long) rec->seq);
              continue;
            }
          if (rec->boot > max_boot)
            max_boot = rec->boot;
          last = rec->seq;
          if (rec->seq != slot + 1)
            {
              badrecs++;
              if (detail++ < MAX_DETAIL_LINES)
                say ("KVMMIG-DISKSEQ badrec slot=%llu reason=seq seq=%llu",
                     (unsigned long long) slot, (unsigned long long) rec->seq);
              continue;
            }
          found++;
        }
      base += n;
      if (!any)
        break;              /* a whole chunk without records: the end */
    }
  free (empty_slots);

  /* Continue after the last slot that holds anything. */
  uint64_t seq = last_slot_plus1 + 1;
  uint32_t boot = max_boot + 1;
  say ("KVMMIG-DISKSEQ boot found=%llu last=%llu gaps=%llu bad=%llu boot=%u slots=%llu recsize=%zu scan_s=%.2f",
       (unsigned long long) found, (unsigned long long) last, (unsigned long long) gaps,
       (unsigned long long) badrecs, boot, (unsigned long long) slots, recsize, now_s () - t0);

  /* --- writer --- */
  uint64_t writes = 0, errors = 0, done = seq - 1;
  double interval = 1.0 / rate;
  double next = now_s ();
  double next_report = next + 1.0;

  for (;;)
    {
      if (seq > slots)
        {
          say ("KVMMIG-DISKSEQ full seq=%llu", (unsigned long long) done);
          for (;;)
            pause ();
        }
      build_record (buf, recsize, seq, boot);
      ssize_t w = pwrite (fd, buf, recsize, (off_t) ((seq - 1) * recsize));
      if (w == (ssize_t) recsize)
        {
          done = seq++;
          writes++;
        }
      else
        {
          errors++;
          say ("KVMMIG-DISKSEQ error seq=%llu op=write errno=%d", (unsigned long long) seq,
               w < 0 ? errno : 0);
        }

      double now = now_s ();
      if (now >= next_report)
        {
          say ("KVMMIG-DISKSEQ progress seq=%llu writes=%llu errors=%llu boot=%u up=%lld",
               (unsigned long long) done, (unsigned long long) writes,
               (unsigned long long) errors, boot, uptime_s ());
          next_report += 1.0;
          if (next_report <= now)
            next_report = now + 1.0;
        }
      next += interval;
      if (next < now - 1.0)
        next = now;        /* paused: do not burst */
      sleep_s (next - now_s ());
    }
}
