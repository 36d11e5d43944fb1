/* kvmmig-migration-states.c: what a migration run decides from libvirt's
 * domain states after an interrupted post-copy migration (did it finish
 * on its own? is QEMU paused in post-copy?), the connection each recovery
 * attempt opens, bounded by the time left, the flags and parameters
 * the run passes to virDomainMigrateToURI3, and what libvirt's error of a
 * failed migration call says about the source daemon's own connection to
 * the destination (peer to peer over SSH: no key, an unknown host key, the
 * login refused), and what a migration job's statistics say. The run
 * (kvmmig-migration-run.c) reads the states, the error and the
 * statistics; these only judge them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-convergence-private.h"
#include "kvmmig-libvirt-private.h"
#include "kvmmig-migration-states-private.h"

/*
 * Finished only when both hosts say so: the destination runs the guest as
 * migrated (RUNNING, reason MIGRATED: not POSTCOPY, which it reads during
 * post-copy, nor POSTCOPY_FAILED), and the source, read on a connection
 * that answers, shut it off as migrated or has it no more (undefined). A
 * source that cannot be read (its connection died with the link) proves
 * nothing: the memory may still be split between the hosts.
 */
gboolean
_kvmmig_postcopy_finished (int sstate,
                           int sreason,
                           int dstate,
                           int dreason)
{
  if (dstate != VIR_DOMAIN_RUNNING || dreason != VIR_DOMAIN_RUNNING_MIGRATED)
    return FALSE;
  return sstate == KVMMIG_DOMAIN_STATE_GONE ||
         (sstate == VIR_DOMAIN_SHUTOFF && sreason == VIR_DOMAIN_SHUTOFF_MIGRATED);
}

static gboolean
paused_in_postcopy (int state,
                    int reason)
{
  if (state == VIR_DOMAIN_PAUSED)
    return reason == VIR_DOMAIN_PAUSED_POSTCOPY || reason == VIR_DOMAIN_PAUSED_POSTCOPY_FAILED;
  /* The destination's vCPUs may run on, waiting for pages that do not
   * come: libvirt says RUNNING, reason POSTCOPY_FAILED. */
  return state == VIR_DOMAIN_RUNNING && reason == VIR_DOMAIN_RUNNING_POSTCOPY_FAILED;
}

/*
 * Interrupted post-copy: either host says its QEMU is paused in post-copy
 * (PAUSED with reason POSTCOPY or POSTCOPY_FAILED, or the destination
 * RUNNING with reason POSTCOPY_FAILED), or the source sent its
 * post-copy-failed event. Anything else after the switch (the migration
 * completed and the call failed later, the destination lost the guest) is
 * not a pause.
 */
gboolean
_kvmmig_postcopy_paused (int      sstate,
                         int      sreason,
                         int      dstate,
                         int      dreason,
                         gboolean failed_event)
{
  return failed_event || paused_in_postcopy (sstate, sreason) ||
         paused_in_postcopy (dstate, dreason);
}

gint64
_kvmmig_time_left_us (gint64 now_us,
                      gint64 deadline_us)
{
  return deadline_us > now_us ? deadline_us - now_us : 0;
}

typedef struct
{
  char *uri;
  GMutex lock;
  GCond cond;
  gboolean done;
  gboolean abandoned;
  virConnectPtr conn;
} BoundedOpen;

static void
bounded_open_clear (BoundedOpen *open)
{
  g_free (open->uri);
  g_mutex_clear (&open->lock);
  g_cond_clear (&open->cond);
}

static gpointer
bounded_open_thread (gpointer data)
{
  BoundedOpen *open = data;
  virConnectPtr conn = virConnectOpen (open->uri);

  /* Calls on the connection fail, rather than hang, once the host stops
   * answering (remote connections only; local drivers refuse). */
  if (conn != NULL)
    {
      _kvmmig_libvirt_quiet_connection (conn);
      virConnectSetKeepAlive (conn, 2, 3);
    }
  virResetLastError ();

  g_mutex_lock (&open->lock);
  if (open->abandoned && conn != NULL)
    g_clear_pointer (&conn, virConnectClose);
  open->conn = conn;
  open->done = TRUE;
  g_cond_signal (&open->cond);
  g_mutex_unlock (&open->lock);

  g_atomic_rc_box_release_full (open, (GDestroyNotify) bounded_open_clear);
  return NULL;
}

/*
 * virConnectOpen has no timeout: towards a host cut off by a partition it
 * waits for TCP or libvirt's handshake, well past any deadline of ours. So
 * the open runs on a thread of its own and the caller stops waiting at
 * @deadline_us; a connection that comes later is closed by that thread.
 */
gint64
_kvmmig_look_deadline_us (gint64 now_us,
                          gint64 deadline_us)
{
  return CLAMP (deadline_us, now_us + G_USEC_PER_SEC, now_us + 10 * G_USEC_PER_SEC);
}

virConnectPtr
_kvmmig_connect_open_until (const char *uri,
                            gint64      deadline_us)
{
  BoundedOpen *open;
  virConnectPtr conn;

  if (_kvmmig_time_left_us (g_get_monotonic_time (), deadline_us) == 0)
    return NULL;

  open = g_atomic_rc_box_new0 (BoundedOpen);
  open->uri = g_strdup (uri);
  g_mutex_init (&open->lock);
  g_cond_init (&open->cond);
  g_thread_unref (g_thread_new ("kvmmig-open", bounded_open_thread,
                                g_atomic_rc_box_acquire (open)));

  g_mutex_lock (&open->lock);
  while (!open->done && g_cond_wait_until (&open->cond, &open->lock, deadline_us))
    ;
  conn = g_steal_pointer (&open->conn);
  if (!open->done)
    {
      open->abandoned = TRUE;
      g_debug ("%s: no connection within the time left; given up", uri);
    }
  g_mutex_unlock (&open->lock);

  g_atomic_rc_box_release_full (open, (GDestroyNotify) bounded_open_clear);
  return conn;
}

unsigned int
_kvmmig_migration_build_params (const KvmmigMigrationOptions *o,
                                virTypedParameterPtr         *params,
                                int                          *nparams)
{
  gboolean postcopy = o->allow_postcopy || o->policy == KVMMIG_MIGRATION_POLICY_POSTCOPY;
  unsigned int flags = VIR_MIGRATE_LIVE | VIR_MIGRATE_PEER2PEER | VIR_MIGRATE_ABORT_ON_ERROR;
  int maxparams = 0;

  *params = NULL;
  *nparams = 0;

  if (o->persistent)
    flags |= VIR_MIGRATE_PERSIST_DEST;
  if (o->undefine_source)
    flags |= VIR_MIGRATE_UNDEFINE_SOURCE;
  if (o->tls)
    flags |= VIR_MIGRATE_TLS;

  if (postcopy)
    flags |= VIR_MIGRATE_POSTCOPY;

  if (o->policy == KVMMIG_MIGRATION_POLICY_AUTO)
    {
      /* Armed from the start: QEMU throttles only a guest that dirties
       * memory too fast, so idle guests are untouched. */
      flags |= VIR_MIGRATE_AUTO_CONVERGE;
      virTypedParamsAddInt (params, nparams, &maxparams,
                            VIR_MIGRATE_PARAM_AUTO_CONVERGE_INITIAL,
                            KVMMIG_CONVERGENCE_START_THROTTLE);
      virTypedParamsAddInt (params, nparams, &maxparams,
                            VIR_MIGRATE_PARAM_AUTO_CONVERGE_INCREMENT,
                            KVMMIG_CONVERGENCE_START_INCREMENT);
    }

  /* Both limits are in MiB/s (libvirt-domain.h); the post-copy one only
   * matters, and is only passed, when post-copy may happen. */
  if (o->bandwidth_limit > 0)
    {
      virTypedParamsAddULLong (params, nparams, &maxparams,
                               VIR_MIGRATE_PARAM_BANDWIDTH, (unsigned long long) o->bandwidth_limit);
      if (postcopy)
        virTypedParamsAddULLong (params, nparams, &maxparams,
                                 VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY,
                                 (unsigned long long) o->bandwidth_limit);
    }

  if (o->parallel_connections >= 2)
    {
      flags |= VIR_MIGRATE_PARALLEL;
      virTypedParamsAddInt (params, nparams, &maxparams,
                            VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS,
                            (int) o->parallel_connections);
    }

  if (o->compression != KVMMIG_COMPRESSION_NONE)
    {
      flags |= VIR_MIGRATE_COMPRESSED;
      virTypedParamsAddString (params, nparams, &maxparams, VIR_MIGRATE_PARAM_COMPRESSION,
                               o->compression == KVMMIG_COMPRESSION_ZSTD ? "zstd" : "xbzrle");
    }

  if (o->migration_uri != NULL)
    virTypedParamsAddString (params, nparams, &maxparams, VIR_MIGRATE_PARAM_URI,
                             o->migration_uri);

  /* The disks the pre-flight check "copy-storage" chose, by target: libvirt
   * mirrors them over NBD (under TLS when VIR_MIGRATE_TLS is set) before
   * the memory goes, and keeps mirroring the guest's writes until the
   * switch-over. */
  if (o->copy_storage != KVMMIG_STORAGE_COPY_NONE && o->migrate_disks != NULL)
    {
      flags |= o->copy_storage == KVMMIG_STORAGE_COPY_INCREMENTAL ? VIR_MIGRATE_NON_SHARED_INC
                                                                  : VIR_MIGRATE_NON_SHARED_DISK;
      for (guint i = 0; o->migrate_disks[i] != NULL; i++)
        virTypedParamsAddString (params, nparams, &maxparams, VIR_MIGRATE_PARAM_MIGRATE_DISKS,
                                 o->migrate_disks[i]);
      /* Only into volumes the job created, which read as zeroes: libvirt
       * warns that a destination holding other data would be corrupted. */
      for (guint i = 0; o->zero_disks != NULL && o->zero_disks[i] != NULL; i++)
        virTypedParamsAddString (params, nparams, &maxparams,
                                 VIR_MIGRATE_PARAM_MIGRATE_DISKS_DETECT_ZEROES, o->zero_disks[i]);
      /* A disk copied to another path (copy-storage-pool): the guest's
       * definitions for the destination name its copy. */
      if (o->dest_xml != NULL)
        virTypedParamsAddString (params, nparams, &maxparams, VIR_MIGRATE_PARAM_DEST_XML,
                                 o->dest_xml);
      if (o->persist_xml != NULL && (flags & VIR_MIGRATE_PERSIST_DEST))
        virTypedParamsAddString (params, nparams, &maxparams, VIR_MIGRATE_PARAM_PERSIST_XML,
                                 o->persist_xml);
    }

  return flags;
}

/* @word as a POSIX shell reads it back: as it is when it holds only
 * characters no shell treats specially, else single-quoted. */
static void
append_word (GString    *cmd,
             const char *word)
{
  g_autofree char *quoted = NULL;

  g_string_append_c (cmd, ' ');
  if (*word != '\0' && strspn (word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789_.,:/@+=%-") == strlen (word))
    {
      g_string_append (cmd, word);
      return;
    }
  quoted = g_shell_quote (word);
  g_string_append (cmd, quoted);
}

char *
_kvmmig_migration_resume_command (const KvmmigMigrationOptions *o,
                                  const char                   *source_uri,
                                  const char                   *guest,
                                  const char                   *dest_uri)
{
  /* virsh's option for each flag build_params sets. */
  static const struct { unsigned int flag; const char *option; } options[] = {
    { VIR_MIGRATE_LIVE, "--live" },
    { VIR_MIGRATE_PEER2PEER, "--p2p" },
    { VIR_MIGRATE_ABORT_ON_ERROR, "--abort-on-error" },
    { VIR_MIGRATE_PERSIST_DEST, "--persistent" },
    { VIR_MIGRATE_UNDEFINE_SOURCE, "--undefinesource" },
    { VIR_MIGRATE_TLS, "--tls" },
    { VIR_MIGRATE_POSTCOPY, "--postcopy" },
    { VIR_MIGRATE_AUTO_CONVERGE, "--auto-converge" },
    { VIR_MIGRATE_PARALLEL, "--parallel" },
    { VIR_MIGRATE_COMPRESSED, "--compressed" },
    { VIR_MIGRATE_NON_SHARED_DISK, "--copy-storage-all" },
    { VIR_MIGRATE_NON_SHARED_INC, "--copy-storage-inc" },
  };
  virTypedParameterPtr params = NULL;
  int nparams = 0;
  unsigned int flags = _kvmmig_migration_build_params (o, &params, &nparams);
  GString *cmd = g_string_new ("virsh -c");
  unsigned long long ull;
  const char *str;
  int i;

  append_word (cmd, source_uri);
  g_string_append (cmd, " migrate");
  for (guint k = 0; k < G_N_ELEMENTS (options); k++)
    if (flags & options[k].flag)
      append_word (cmd, options[k].option);
  append_word (cmd, "--postcopy-resume");

  if (virTypedParamsGetInt (params, nparams, VIR_MIGRATE_PARAM_AUTO_CONVERGE_INITIAL, &i) == 1)
    g_string_append_printf (cmd, " --auto-converge-initial %d", i);
  if (virTypedParamsGetInt (params, nparams, VIR_MIGRATE_PARAM_AUTO_CONVERGE_INCREMENT, &i) == 1)
    g_string_append_printf (cmd, " --auto-converge-increment %d", i);
  if (virTypedParamsGetULLong (params, nparams, VIR_MIGRATE_PARAM_BANDWIDTH, &ull) == 1)
    g_string_append_printf (cmd, " --bandwidth %llu", ull);
  if (virTypedParamsGetULLong (params, nparams, VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY, &ull) == 1)
    g_string_append_printf (cmd, " --postcopy-bandwidth %llu", ull);
  if (virTypedParamsGetInt (params, nparams, VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS, &i) == 1)
    g_string_append_printf (cmd, " --parallel-connections %d", i);
  if (virTypedParamsGetString (params, nparams, VIR_MIGRATE_PARAM_COMPRESSION, &str) == 1)
    {
      g_string_append (cmd, " --comp-methods");
      append_word (cmd, str);
    }
  if (virTypedParamsGetString (params, nparams, VIR_MIGRATE_PARAM_URI, &str) == 1)
    {
      g_string_append (cmd, " --migrateuri");
      append_word (cmd, str);
    }
  if (o->migrate_disks != NULL && (flags & (VIR_MIGRATE_NON_SHARED_DISK | VIR_MIGRATE_NON_SHARED_INC)))
    {
      g_autofree char *disks = g_strjoinv (",", o->migrate_disks);

      g_string_append (cmd, " --migrate-disks");
      append_word (cmd, disks);
      if (o->zero_disks != NULL && o->zero_disks[0] != NULL)
        {
          g_autofree char *zeroes = g_strjoinv (",", o->zero_disks);

          g_string_append (cmd, " --migrate-disks-detect-zeroes");
          append_word (cmd, zeroes);
        }
    }
  virTypedParamsFree (params, nparams);

  append_word (cmd, guest);
  append_word (cmd, dest_uri);
  return g_string_free (cmd, FALSE);
}

/* ------------------------------------------------------------------ */
/* The source daemon's connection to the destination                    */

/* libvirt 11.3 passes on the remote driver's own error when a peer-to-peer
 * migration cannot open the destination over SSH, VIR_ERR_SYSTEM_ERROR with
 * what ssh printed:
 *   Cannot recv data: Host key verification failed.: Connection reset by peer
 * so only ssh's own words (which no established connection prints) tell
 * it from a connection that broke; versions whose QEMU driver wraps it say
 * "Failed to connect to remote libvirt URI %s: %s" first. */
#define P2P_CONNECT_FAILED "Failed to connect to remote libvirt URI"

/* The transport of a remote URI ("ssh" of "qemu+ssh://..."), or NULL. */
static char *
uri_transport (const char *uri)
{
  const char *plus, *colon;

  if (uri == NULL)
    return NULL;
  colon = strstr (uri, "://");
  plus = colon ? memchr (uri, '+', colon - uri) : NULL;
  if (plus == NULL)
    return NULL;
  return g_strndup (plus + 1, colon - plus - 1);
}

static gboolean
is_ssh_transport (const char *transport)
{
  return g_strcmp0 (transport, "ssh") == 0 || g_strcmp0 (transport, "libssh") == 0 ||
         g_strcmp0 (transport, "libssh2") == 0;
}

KvmmigPeerFailure
_kvmmig_peer_failure_classify (const char *dest_uri,
                               int         err_code,
                               const char *message)
{
  g_autofree char *transport = uri_transport (dest_uri);
  gboolean connect_failed;

  (void) err_code;   /* VIR_ERR_SYSTEM_ERROR in libvirt 11.3: the text says more */
  if (message == NULL || !is_ssh_transport (transport))
    return KVMMIG_PEER_FAILURE_NONE;
  connect_failed = strstr (message, P2P_CONNECT_FAILED) != NULL;

  if (strstr (message, "REMOTE HOST IDENTIFICATION HAS CHANGED") != NULL)
    return KVMMIG_PEER_FAILURE_SSH_HOST_KEY_CHANGED;
  if (strstr (message, "Host key verification failed") != NULL)
    return KVMMIG_PEER_FAILURE_SSH_HOST_KEY_UNKNOWN;
  if (strstr (message, "Permission denied (") != NULL)
    {
      if (strstr (message, "Identity file ") != NULL && strstr (message, " not accessible") != NULL)
        return KVMMIG_PEER_FAILURE_SSH_NO_KEY;
      return KVMMIG_PEER_FAILURE_SSH_LOGIN_REFUSED;
    }
  if (strstr (message, "ssh: connect to host ") != NULL ||
      strstr (message, "ssh: Could not resolve hostname") != NULL)
    return KVMMIG_PEER_FAILURE_SSH_NO_ANSWER;
  return connect_failed ? KVMMIG_PEER_FAILURE_SSH_OTHER : KVMMIG_PEER_FAILURE_NONE;
}

/* The user and host of @uri ("root", "10.0.0.2"), and its keyfile
 * parameter (NULL if none). */
static void
uri_login (const char  *uri,
           char       **user,
           char       **host,
           char       **keyfile)
{
  g_autofree char *userinfo = NULL;
  g_autofree char *query = NULL;

  *user = NULL;
  *host = NULL;
  *keyfile = NULL;
  if (g_uri_split (uri, G_URI_FLAGS_NON_DNS | G_URI_FLAGS_ENCODED_QUERY, NULL, &userinfo,
                   host, NULL, NULL, &query, NULL, NULL) && query != NULL)
    {
      g_autoptr(GHashTable) params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);

      if (params != NULL)
        *keyfile = g_strdup (g_hash_table_lookup (params, "keyfile"));
    }
  if (userinfo != NULL)
    {
      char *colon = strchr (userinfo, ':');

      if (colon != NULL)
        *colon = '\0';
      *user = g_uri_unescape_string (userinfo, NULL);
    }
  if (*user == NULL || **user == '\0')
    {
      g_free (*user);
      *user = g_strdup ("the user the source's daemon runs as");
    }
  if (*host == NULL || **host == '\0')
    {
      g_free (*host);
      *host = g_strdup ("the destination");
    }
}

char *
_kvmmig_peer_failure_describe (KvmmigPeerFailure failure,
                               const char       *dest_uri,
                               const char       *message)
{
  g_autofree char *transport = uri_transport (dest_uri);
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  g_autofree char *keyfile = NULL;
  g_autofree char *key = NULL;
  g_autofree char *fix = NULL;

  uri_login (dest_uri, &user, &host, &keyfile);
  key = keyfile ? g_strdup_printf ("the key %s (the URI's keyfile)", keyfile)
                : g_strdup ("root's default SSH keys (~/.ssh/id_*)");

  switch (failure)
    {
    case KVMMIG_PEER_FAILURE_SSH_NO_KEY:
      fix = g_strdup_printf ("it has no SSH key to log in to %s as %s with: %s is missing "
                             "on the source host, and %s refused the login. Fix the key: "
                             "create it on the source host as root (ssh-keygen), or give the "
                             "destination URI a keyfile= that exists there, and add its "
                             "public key to %s's authorized_keys on %s",
                             host, user, key, host, user, host);
      break;
    case KVMMIG_PEER_FAILURE_SSH_LOGIN_REFUSED:
      fix = g_strdup_printf ("%s's sshd refused the login of %s with %s of the source host "
                             "(\"Permission denied\"). Fix the login: %s's sshd must let %s "
                             "log in with a key (PermitRootLogin, AllowUsers, DenyUsers in "
                             "its sshd_config), and the source host's public key must be in "
                             "%s's authorized_keys on %s; %s's sshd log says which refused it",
                             host, user, key, host, user, user, host, host);
      break;
    case KVMMIG_PEER_FAILURE_SSH_HOST_KEY_UNKNOWN:
      fix = g_strdup_printf ("it does not know %s's SSH host key: the key is not in root's "
                             "known_hosts on the source host (~/.ssh/known_hosts, or the "
                             "UserKnownHostsFile of its ssh configuration), and host key "
                             "checking is on. Fix the host key: add %s's host key to that "
                             "known_hosts, after checking its fingerprint against %s's own "
                             "(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub there), for "
                             "instance by running 'ssh %s@%s true' once as root on the "
                             "source host", host, host, host, user, host);
      break;
    case KVMMIG_PEER_FAILURE_SSH_HOST_KEY_CHANGED:
      fix = g_strdup_printf ("%s's SSH host key is not the one that root's known_hosts on "
                             "the source host holds for it (\"REMOTE HOST IDENTIFICATION HAS "
                             "CHANGED\"). Fix the host key: if %s was reinstalled or its key "
                             "replaced, remove the old one (ssh-keygen -R %s as root on the "
                             "source host) and add the new one after checking its "
                             "fingerprint; if not, the connection may be intercepted",
                             host, host, host);
      break;
    case KVMMIG_PEER_FAILURE_SSH_NO_ANSWER:
      fix = g_strdup_printf ("its ssh could not reach %s's sshd. Fix the network path: sshd "
                             "must run on %s and be reachable from the source host (the "
                             "port of the URI, 22 by default; routes, firewalls)",
                             host, host);
      break;
    case KVMMIG_PEER_FAILURE_SSH_OTHER:
    default:
      fix = g_strdup_printf ("check that 'ssh %s@%s' works as root on the source host, "
                             "and that %s runs libvirt's daemon and virt-ssh-helper (or nc)",
                             user, host, host);
      break;
    }

  return g_strdup_printf ("the source host's libvirtd could not connect to the destination's "
                          "(%s) over %s, so nothing was copied: %s (libvirt: %s)",
                          host, transport ? transport : "ssh", fix, message ? message : "");
}

/* ------------------------------------------------------------------ */
/* A migration job's statistics                                         */

gboolean
_kvmmig_job_stats_read (int                      type,
                        virTypedParameterPtr     params,
                        int                      nparams,
                        KvmmigConvergenceSample *s,
                        guint64                 *processed,
                        guint64                 *total)
{
  unsigned long long v;
  int throttle = 0;

  /* No job yet or any more; or, just after an abort, a job with no
   * figures: not a sample (it would reset the job's figures to 0). */
  if (type == VIR_DOMAIN_JOB_NONE ||
      virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_DATA_TOTAL, &v) != 1 ||
      v == 0)
    return FALSE;

  if (virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_DATA_REMAINING, &v) == 1)
    s->data_remaining = s->remaining = v;
  /* With disks copied, the data figures add the disks' to the memory's:
   * the policy judges the memory alone. */
  if (virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_DISK_TOTAL, &v) == 1)
    s->disk_total = v;
  if (virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_DISK_PROCESSED, &v) == 1)
    s->disk_processed = v;
  if (virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_DISK_REMAINING, &v) == 1)
    s->disk_remaining = v;
  if (virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_DISK_BPS, &v) == 1)
    s->disk_bandwidth = v;
  if (virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_MEMORY_TOTAL, &v) == 1)
    s->memory_total = v;
  if (s->disk_total > 0 &&
      virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_MEMORY_REMAINING, &v) == 1)
    s->remaining = v;
  if (virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_DATA_PROCESSED, &v) == 1)
    *processed = v;
  if (virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_DATA_TOTAL, &v) == 1)
    *total = v;
  if (virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_MEMORY_BPS, &v) == 1)
    s->bandwidth = v;
  if (virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, &v) == 1)
    {
      unsigned long long page_size = 4096;

      virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, &page_size);
      /* Pages/s times the page size, which a host could make overflow. */
      s->dirty_rate = page_size > 0 && v > G_MAXUINT64 / page_size ? G_MAXUINT64 : v * page_size;
    }
  if (virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_MEMORY_ITERATION, &v) == 1)
    s->iteration = (guint) v;
  if (virTypedParamsGetInt (params, nparams, VIR_DOMAIN_JOB_AUTO_CONVERGE_THROTTLE, &throttle) == 1)
    s->throttle = (guint) MAX (throttle, 0);

  return TRUE;
}

gint64
_kvmmig_job_stats_downtime_ms (virTypedParameterPtr params,
                               int                  nparams)
{
  unsigned long long downtime = 0;

  /* More than gint64 holds is not a downtime: unknown. */
  if (virTypedParamsGetULLong (params, nparams, VIR_DOMAIN_JOB_DOWNTIME, &downtime) != 1 ||
      downtime > G_MAXINT64)
    return -1;
  return (gint64) downtime;
}
