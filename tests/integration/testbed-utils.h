/* testbed-utils.h: what the C integration tests share: the testbed's
 * addresses (from `kvmmig-testbed env`), its guests (made and removed by
 * the testbed script), their serial logs, a fixture with both hosts open
 * (through the library and through libvirt), and a recorder of a job's
 * progress signals.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libkvmmig/kvmmig.h>
#include <libvirt/libvirt.h>

/* tests/common/: opening a host (kvmmig_test_open_host), checking a
 * KvmmigError (kvmmig_test_assert_error), waiting on the main context. */
#include "kvmmig-test-utils.h"

G_BEGIN_DECLS

typedef struct
{
  char *script;
  char *src_uri;
  char *dst_uri;
  char *src_logdir;
  char *dst_logdir;
  char *kernel;
  char *initrd;
  char *shared_dir;
  char *store_portal;
  char *store_iqn;
} Testbed;

extern Testbed testbed;

/* Loads the testbed, or prints a TAP "1..0 # SKIP" plan and exits 0. */
void     testbed_init_or_skip   (void);

/* A unique guest name for this test process. */
char    *testbed_guest_name     (const char *base);

/* Runs the testbed script with @argv (argv[0] is testbed.script, at least
 * two arguments after it); a failure ends the test with its output. */
void     testbed_run            (const char * const *argv);

void     testbed_guest          (const char *name,
                                 const char *on,
                                 guint       memory_mib,
                                 const char *workload);
void     testbed_guest_rm       (const char *name);

/* The serial log of a guest as written on one host ("src" or "dst"). */
char    *testbed_serial_log     (const char *name,
                                 const char *on);
/* The last "KVMMIG-GUEST alive N" heartbeat in a log, -1 if none. */
gint64   testbed_last_heartbeat (const char *log);
/* Waits until the guest's heartbeat on @on passes @after. */
gint64   testbed_wait_heartbeat (const char *name,
                                 const char *on,
                                 gint64      after,
                                 guint       timeout_s);
/* Sum of bad pages reported by the dirty workload in a log ("total_bad"
 * of its last stats line), -1 if it reported nothing; and the number of
 * stats lines. */
gint64   testbed_dirty_total_bad (const char *log,
                                  guint      *stats_lines);

/* Both hosts, opened through the library and through libvirt (to check
 * what the library did), for g_test_add's fixture_setup/teardown. */
typedef struct
{
  KvmmigHost *src;
  KvmmigHost *dst;
  virConnectPtr src_conn;
  virConnectPtr dst_conn;
} Fixture;

void     fixture_setup          (Fixture       *f,
                                 gconstpointer  data);
void     fixture_teardown       (Fixture       *f,
                                 gconstpointer  data);

/* Records every ::progress emission of a job: when, its progress, its
 * state. */
typedef struct _ProgressRecorder ProgressRecorder;

ProgressRecorder *progress_recorder_new    (KvmmigMigrationJob *job);
void              progress_recorder_free   (ProgressRecorder   *rec);
/* Asserts: progress never went backwards; while the job was migrating,
 * at least two emissions a second. */
void              progress_recorder_assert (ProgressRecorder   *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ProgressRecorder, progress_recorder_free)

/* Runs a job with run_async on a main loop; returns its result. */
gboolean run_job (KvmmigMigrationJob  *job,
                  GCancellable        *cancellable,
                  GError             **error);

G_END_DECLS
