/* kvmmig-migration-states-private.h: what a migration run decides from
 * libvirt's domain states after an interrupted post-copy migration, the
 * bounded connection its recovery opens, the migration parameters it
 * passes to libvirt, and what a failed migration call's error says about
 * the source daemon's connection to the destination; pure functions (but
 * the connection), unit-tested in tests/unit/test-migration-run.c; and
 * the reading of a migration job's statistics.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "kvmmig-convergence-private.h"
#include "kvmmig-migration-options-private.h"

G_BEGIN_DECLS

/* A domain state that could not be read (no connection, an error)... */
#define KVMMIG_DOMAIN_STATE_UNREADABLE (-1)
/* ...and one that a host that answers does not have (no such domain). */
#define KVMMIG_DOMAIN_STATE_GONE       (-2)

/* Whether post-copy finished on its own, from the source's and the
 * destination's state and reason (or the two values above). */
gboolean      _kvmmig_postcopy_finished (int sstate,
                                         int sreason,
                                         int dstate,
                                         int dreason);

/* Whether post-copy is interrupted (QEMU paused in post-copy), from the
 * two hosts' states and whether the source sent its post-copy-failed
 * event. */
gboolean      _kvmmig_postcopy_paused   (int      sstate,
                                         int      sreason,
                                         int      dstate,
                                         int      dreason,
                                         gboolean failed_event);

/* How long, in µs, an attempt started at @now_us may wait for a
 * connection before @deadline_us: never less than 0. */
gint64        _kvmmig_time_left_us      (gint64 now_us,
                                         gint64 deadline_us);

/* When a look at the hosts during a post-copy recovery started at @now_us
 * stops waiting for its connections: at the recovery's @deadline_us, but
 * after 10 s at the most (so that the attempts go on while a host is cut
 * off) and 1 s at the least (for the look after the deadline). */
gint64        _kvmmig_look_deadline_us  (gint64 now_us,
                                         gint64 deadline_us);

/* Opens @uri, giving up at @deadline_us (monotonic time): NULL then, or if
 * it cannot be opened. The open goes on on a thread of its own, and its
 * connection is closed there if it comes too late. */
virConnectPtr _kvmmig_connect_open_until (const char *uri,
                                          gint64      deadline_us);

/* The flags and typed parameters of virDomainMigrateToURI3 for @o. */
unsigned int  _kvmmig_migration_build_params (const KvmmigMigrationOptions *o,
                                              virTypedParameterPtr         *params,
                                              int                          *nparams);

/* The virsh command that resumes an interrupted post-copy migration of
 * @guest made with @o: the same flags and limits, plus --postcopy-resume
 * (libvirt wants the original flags again), each word quoted for a POSIX
 * shell where it needs to be. */
char         *_kvmmig_migration_resume_command (const KvmmigMigrationOptions *o,
                                                const char                   *source_uri,
                                                const char                   *guest,
                                                const char                   *dest_uri);

/* Why the source host's daemon could not open the destination in a
 * peer-to-peer migration, as libvirt's error says (SSH transports only so
 * far; NONE for anything else). */
typedef enum
{
  KVMMIG_PEER_FAILURE_NONE,
  KVMMIG_PEER_FAILURE_SSH_NO_KEY,            /* its identity file is missing, and it was refused */
  KVMMIG_PEER_FAILURE_SSH_LOGIN_REFUSED,     /* "Permission denied (publickey)" */
  KVMMIG_PEER_FAILURE_SSH_HOST_KEY_UNKNOWN,  /* "Host key verification failed." */
  KVMMIG_PEER_FAILURE_SSH_HOST_KEY_CHANGED,  /* the same, after "HAS CHANGED" */
  KVMMIG_PEER_FAILURE_SSH_NO_ANSWER,         /* "ssh: connect to host ..." */
  KVMMIG_PEER_FAILURE_SSH_OTHER,             /* any other failure of its ssh */
} KvmmigPeerFailure;

/* What libvirt's error of a failed peer-to-peer migration call to
 * @dest_uri (@err_code, @message) says about the source daemon's
 * connection to the destination. */
KvmmigPeerFailure _kvmmig_peer_failure_classify (const char *dest_uri,
                                                 int         err_code,
                                                 const char *message);

/* The sentence of the job's error for @failure (not NONE): who could not
 * reach whom over which transport, and what to fix where; it ends with
 * libvirt's @message. */
char         *_kvmmig_peer_failure_describe (KvmmigPeerFailure failure,
                                             const char       *dest_uri,
                                             const char       *message);

/* What a migration job's statistics say, as the source host sent them
 * (virDomainGetJobStats: the job @type and its typed parameters): the
 * convergence policy's sample (all but elapsed_ms, vcpu_load and
 * postcopy, which the run knows) and the bytes processed and in all
 * (left as they were when not given). FALSE when they are not a sample:
 * no job, or a job with no figures (yet, or any more just after an
 * abort). Pure: tests/fuzz/fuzz-job-stats.c fuzzes it. */
gboolean      _kvmmig_job_stats_read        (int                        type,
                                             virTypedParameterPtr       params,
                                             int                        nparams,
                                             KvmmigConvergenceSample   *s,
                                             guint64                   *processed,
                                             guint64                   *total);

/* QEMU's measured downtime in ms, from a job's statistics or its
 * JOB_COMPLETED event; -1 when they do not give it (or give more than a
 * gint64 holds). */
gint64        _kvmmig_job_stats_downtime_ms (virTypedParameterPtr       params,
                                             int                        nparams);

G_END_DECLS
