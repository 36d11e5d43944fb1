/* kvmmig-host.c: KvmmigHost, one libvirt host: its connection (opened off
 * the caller's thread, watched by libvirt's close callback and keepalive),
 * and the queries made of it (host info, guests).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kvmmig-auth-request-private.h"
#include "kvmmig-enum-types.h"
#include "kvmmig-guest-feed-private.h"
#include "kvmmig-guest-private.h"
#include "kvmmig-host-info-private.h"
#include "kvmmig-host-private.h"
#include "kvmmig-task-private.h"
#include "kvmmig-util-private.h"

/* Keepalive: a host that stops answering for INTERVAL * (COUNT + 1)
 * seconds is taken as gone, and ::closed is emitted with
 * KVMMIG_CLOSE_REASON_KEEPALIVE. */
#define KEEPALIVE_INTERVAL_S 5
#define KEEPALIVE_COUNT      3

/**
 * KvmmigHost:
 *
 * A libvirt host, reached at a libvirt URI such as
 * `qemu+tcp://10.0.0.11/system` or `qemu+ssh://root@hv1/system`.
 *
 * Create one with [ctor@Kvmmig.Host.new], then open it with
 * [method@Kvmmig.Host.open_async] (or the blocking
 * [method@Kvmmig.Host.open]). Once open, it answers queries
 * ([method@Kvmmig.Host.query_info], [method@Kvmmig.Host.list_guests],
 * [method@Kvmmig.Host.lookup_guest]) and can be the source or destination
 * of a migration.
 *
 * ## Threads and main contexts
 *
 * libvirt calls block, so every `_async` method runs its libvirt calls on a
 * worker thread and calls its callback on the thread-default main context
 * of the thread that called it. Signals and property notifications of a
 * host are emitted on the thread-default main context of the thread that
 * created it, except that the synchronous methods notify on the calling
 * thread. The synchronous methods block the calling thread; use them from
 * scripts and worker threads, not from a GUI's main thread.
 *
 * ## Losing the connection
 *
 * libkvmmig runs libvirt's event loop on a private thread, with keepalives
 * on remote connections: when the daemon goes away (stopped, restarted,
 * host or network down), [signal@Kvmmig.Host::closed] is emitted with the
 * reason and [property@Kvmmig.Host:is-open] turns %FALSE. Open the host
 * again to reconnect.
 *
 * ## Errors
 *
 * Every failure is a [error@Kvmmig.Error] whose message starts with the
 * host's URI. A call on a host that is not open fails with
 * %KVMMIG_ERROR_NOT_OPEN; cancellation gives %G_IO_ERROR_CANCELLED, as everywhere in GIO.
 *
 * Since: 0.1
 */
struct _KvmmigHost
{
  GObject parent_instance;

  char *uri;                  /* immutable; NULL: libvirt's default URI */
  char *display_uri;          /* immutable: the URI, or what stands for it */
  GMainContext *context;      /* thread-default at construction: signals */

  GMutex lock;                /* guards the fields below */
  virConnectPtr conn;
  char *hostname;
  struct _CloseWatch *close_watch;  /* owned: see install_connection() */
  KvmmigGuestFeed *guest_feed;      /* keeps guests current while open */

  GListStore *guests;         /* immutable: the guest model (its context only) */
};

G_DEFINE_FINAL_TYPE (KvmmigHost, kvmmig_host, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URI,
  PROP_HOSTNAME,
  PROP_IS_OPEN,
  PROP_GUESTS,
  N_PROPS
};

enum {
  SIGNAL_CLOSED,
  SIGNAL_AUTHENTICATE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* Connection state                                                     */

/* What libvirt's close callback holds: a weak reference, since the
 * callback may fire on the event thread while the host is being disposed.
 * The host owns it and frees it after unregistering the callback: libvirt
 * calls no free function for drivers without close callbacks (test://),
 * and unregistering waits for a callback in flight. */
typedef struct _CloseWatch
{
  GWeakRef host;
  GMainContext *context;
} CloseWatch;

typedef struct
{
  KvmmigHost *host;
  virConnectPtr conn;
  KvmmigCloseReason reason;
} ClosedEvent;

static void drop_connection (KvmmigHost        *self,
                             virConnectPtr      expected,
                             KvmmigCloseReason  reason,
                             gboolean           emit);

static void
close_watch_free (CloseWatch *watch)
{
  g_weak_ref_clear (&watch->host);
  g_main_context_unref (watch->context);
  g_free (watch);
}

static void
closed_event_free (gpointer data)
{
  ClosedEvent *event = data;

  g_object_unref (event->host);
  virConnectClose (event->conn);
  g_free (event);
}

static gboolean
closed_event_dispatch (gpointer data)
{
  ClosedEvent *event = data;

  drop_connection (event->host, event->conn, event->reason, TRUE);
  return G_SOURCE_REMOVE;
}

static KvmmigCloseReason
close_reason_from_libvirt (int reason)
{
  switch (reason)
    {
    case VIR_CONNECT_CLOSE_REASON_EOF:       return KVMMIG_CLOSE_REASON_EOF;
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE: return KVMMIG_CLOSE_REASON_KEEPALIVE;
    case VIR_CONNECT_CLOSE_REASON_CLIENT:    return KVMMIG_CLOSE_REASON_CLIENT;
    case VIR_CONNECT_CLOSE_REASON_ERROR:
    default:                                 return KVMMIG_CLOSE_REASON_ERROR;
    }
}

/* Runs on libvirt's event thread. */
static void
on_libvirt_close (virConnectPtr  conn,
                  int            reason,
                  void          *opaque)
{
  CloseWatch *watch = opaque;
  KvmmigHost *host = g_weak_ref_get (&watch->host);
  ClosedEvent *event;

  if (host == NULL)
    return;

  event = g_new0 (ClosedEvent, 1);
  event->host = host;
  event->conn = conn;
  virConnectRef (conn);
  event->reason = close_reason_from_libvirt (reason);

  _kvmmig_dispatch_on_context (watch->context, closed_event_dispatch,
                               event, closed_event_free);
}

static gboolean
notify_open_state_dispatch (gpointer data)
{
  GObject *object = data;

  g_object_notify_by_pspec (object, properties[PROP_HOSTNAME]);
  g_object_notify_by_pspec (object, properties[PROP_IS_OPEN]);
  return G_SOURCE_REMOVE;
}

static void
notify_open_state (KvmmigHost *self,
                   gboolean    from_worker)
{
  if (from_worker)
    _kvmmig_dispatch_on_context (self->context, notify_open_state_dispatch,
                                 g_object_ref (self), g_object_unref);
  else
    notify_open_state_dispatch (self);
}

/*
 * Drops the connection if it is still @expected (or any, if @expected is
 * NULL): a close event for a connection that was already replaced by a
 * newer open is ignored.
 */
static void
drop_connection (KvmmigHost        *self,
                 virConnectPtr      expected,
                 KvmmigCloseReason  reason,
                 gboolean           emit)
{
  virConnectPtr conn;
  CloseWatch *watch;
  KvmmigGuestFeed *feed;

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    if (self->conn == NULL || (expected != NULL && self->conn != expected))
      return;
    conn = g_steal_pointer (&self->conn);
    watch = g_steal_pointer (&self->close_watch);
    feed = g_steal_pointer (&self->guest_feed);
  }

  _kvmmig_guest_feed_stop (feed);
  virConnectUnregisterCloseCallback (conn, on_libvirt_close);
  g_clear_pointer (&watch, close_watch_free);
  virConnectClose (conn);
  virResetLastError ();

  if (emit)
    {
      g_debug ("%s: connection closed (reason %d)", self->display_uri, reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_OPEN]);
      g_signal_emit (self, signals[SIGNAL_CLOSED], 0, reason);
    }
}

/* ------------------------------------------------------------------ */
/* Authentication                                                       */

/* What libvirt's authentication callback needs to ask the program. */
typedef struct
{
  KvmmigHost *host;
  GCancellable *cancellable;
  gboolean from_worker;
  gboolean declined;            /* the program did not answer */
  char *asked;                  /* what was asked, for the error */
} AuthCall;

typedef struct
{
  KvmmigHost *host;
  KvmmigAuthRequest *request;
} Emission;

static void
emission_free (gpointer data)
{
  Emission *e = data;

  g_object_unref (e->host);
  g_object_unref (e->request);
  g_free (e);
}

/* Emits ::authenticate; a request that no handler took is cancelled. */
static gboolean
emit_authenticate (gpointer data)
{
  Emission *e = data;
  gboolean handled = FALSE;

  g_signal_emit (e->host, signals[SIGNAL_AUTHENTICATE], 0, e->request, &handled);
  if (!handled)
    kvmmig_auth_request_cancel (e->request);
  return G_SOURCE_REMOVE;
}

/*
 * Asks the program for @request: on the host's context when the open runs
 * on a worker thread (the program answers from its main loop, any time),
 * else on the calling thread, which then runs the host's context until
 * the answer comes if it can own it (a handler that answers after a
 * dialog), or waits for another thread to answer. TRUE if answered.
 */
static gboolean
ask_program (KvmmigHost        *self,
             KvmmigAuthRequest *request,
             gboolean           from_worker,
             GCancellable      *cancellable)
{
  Emission *e = g_new0 (Emission, 1);

  e->host = g_object_ref (self);
  e->request = g_object_ref (request);
  if (from_worker)
    {
      _kvmmig_dispatch_on_context (self->context, emit_authenticate, e, emission_free);
      return _kvmmig_auth_request_wait (request, cancellable);
    }

  emit_authenticate (e);
  emission_free (e);
  if (!_kvmmig_auth_request_is_done (request) && g_main_context_acquire (self->context))
    {
      while (!_kvmmig_auth_request_is_done (request) && !g_cancellable_is_cancelled (cancellable))
        g_main_context_iteration (self->context, TRUE);
      g_main_context_release (self->context);
    }
  return _kvmmig_auth_request_wait (request, cancellable);
}

/* libvirt's authentication callback: the credentials it needs, for the
 * program to answer (0), or none (-1: libvirt then fails the open). */
static int
on_libvirt_auth (virConnectCredentialPtr creds,
                 unsigned int            n_creds,
                 void                   *data)
{
  AuthCall *call = data;
  g_autoptr(KvmmigAuthRequest) request =
    _kvmmig_auth_request_new (call->host->display_uri, creds, n_creds);
  g_autoptr(GString) asked = g_string_new (NULL);

  for (guint i = 0; i < n_creds; i++)
    g_string_append_printf (asked, "%s%s", i ? ", " : "",
                            creds[i].prompt ? creds[i].prompt : "a credential");
  g_free (call->asked);
  call->asked = g_string_free (g_steal_pointer (&asked), FALSE);

  if (!ask_program (call->host, request, call->from_worker, call->cancellable))
    {
      call->declined = TRUE;
      return -1;
    }
  _kvmmig_auth_request_fill (request, creds, n_creds);
  return 0;
}

/*
 * _kvmmig_host_authenticate:
 *
 * The authentication callback, for the unit tests: asks the program for
 * @creds as an open of @self would, and fills them in. Returns 0 when
 * answered, -1 when not.
 */
int
_kvmmig_host_authenticate (KvmmigHost           *self,
                           virConnectCredential *creds,
                           guint                 n_creds,
                           gboolean              from_worker,
                           GCancellable         *cancellable)
{
  AuthCall call = { .host = self, .cancellable = cancellable, .from_worker = from_worker };
  int rc = on_libvirt_auth (creds, n_creds, &call);

  g_free (call.asked);
  return rc;
}

/* Every credential type libvirt has: the program is asked whatever the
 * daemon wants. */
static int auth_types[] = {
  VIR_CRED_USERNAME, VIR_CRED_AUTHNAME, VIR_CRED_LANGUAGE, VIR_CRED_CNONCE,
  VIR_CRED_PASSPHRASE, VIR_CRED_ECHOPROMPT, VIR_CRED_NOECHOPROMPT, VIR_CRED_REALM,
  VIR_CRED_EXTERNAL,
};

/* Blocking: opens the connection, sets keepalive, reads the hostname. */
static virConnectPtr
open_connection (KvmmigHost    *self,
                 gboolean       from_worker,
                 GCancellable  *cancellable,
                 char         **hostname_out,
                 GError       **error)
{
  const char *uri = self->uri;
  const char *display_uri = self->display_uri;
  AuthCall call = { .host = self, .cancellable = cancellable, .from_worker = from_worker };
  virConnectAuth auth = { auth_types, G_N_ELEMENTS (auth_types), on_libvirt_auth, &call };
  g_autoptr(virConnect) conn = NULL;
  g_autofree char *hostname = NULL;

  /* NULL: libvirt's default URI, which libvirt finds itself. */
  if (uri != NULL && !_kvmmig_validate_uri (uri, error))
    return NULL;

  if (_kvmmig_check_cancelled (cancellable, display_uri, "opening the host", error))
    return NULL;

  conn = virConnectOpenAuth (uri, &auth, 0);
  if (conn == NULL && call.declined)
    {
      g_autofree char *asked = g_steal_pointer (&call.asked);

      virResetLastError ();
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_AUTH_FAILED,
                   "%s: the host asks for credentials (%s) and the program gave none "
                   "(nothing handles KvmmigHost::authenticate, or it declined)",
                   display_uri, asked);
      return NULL;
    }
  g_clear_pointer (&call.asked, g_free);
  if (conn == NULL)
    {
      if (uri != NULL && _kvmmig_uri_is_alias (uri))
        _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_HOST_UNREACHABLE, uri,
                                   "cannot open the host (not a URI: an alias, which "
                                   "libvirt's client configuration must define in "
                                   "uri_aliases)");
      else
        _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_HOST_UNREACHABLE, display_uri,
                                   "cannot open the host");
      return NULL;
    }

  _kvmmig_libvirt_quiet_connection (conn);
  hostname = virConnectGetHostname (conn);
  if (hostname == NULL)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_HOST_UNREACHABLE, display_uri,
                                 "the host does not answer");
      return NULL;
    }

  /* Only remote connections have keepalives; local drivers say so. */
  virConnectSetKeepAlive (conn, KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT);
  virResetLastError ();

  /* libvirt's remote driver caches the hypervisor type on first use, but
   * drops its lock during the call: two threads asking at once (two jobs
   * of an evacuation checking the same host) both fetch it, and one copy
   * leaks. Asked once here, it is cached before anyone else asks. */
  virConnectGetType (conn);
  virResetLastError ();

  if (_kvmmig_check_cancelled (cancellable, display_uri, "opening the host", error))
    return NULL;

  *hostname_out = g_steal_pointer (&hostname);
  return g_steal_pointer (&conn);
}

/* Takes ownership of @conn and @hostname. */
static void
install_connection (KvmmigHost    *self,
                    virConnectPtr  conn,
                    char          *hostname,
                    gboolean       from_worker)
{
  CloseWatch *watch;

  g_mutex_lock (&self->lock);
  if (self->conn != NULL)
    {
      /* Opened twice at once: keep the first. */
      g_mutex_unlock (&self->lock);
      virConnectClose (conn);
      g_free (hostname);
      return;
    }

  watch = g_new0 (CloseWatch, 1);
  g_weak_ref_init (&watch->host, self);
  watch->context = g_main_context_ref (self->context);
  if (virConnectRegisterCloseCallback (conn, on_libvirt_close, watch, NULL) < 0)
    virResetLastError ();

  self->conn = conn;
  self->close_watch = watch;
  self->guest_feed = _kvmmig_guest_feed_start (conn, self->display_uri, self->guests,
                                               self->context);
  g_free (self->hostname);
  self->hostname = hostname;
  g_mutex_unlock (&self->lock);

  notify_open_state (self, from_worker);
}

/* Connects to the host's daemon and makes it the host's connection;
 * @from_worker as for install_connection(). */
static gboolean
connect_host (KvmmigHost    *self,
              GCancellable  *cancellable,
              gboolean       from_worker,
              GError       **error)
{
  char *hostname = NULL;
  virConnectPtr conn = open_connection (self, from_worker, cancellable, &hostname, error);

  if (conn == NULL)
    return FALSE;

  install_connection (self, conn, hostname, from_worker);
  return TRUE;
}

/*
 * _kvmmig_host_ref_connection:
 *
 * Returns: (transfer full): a reference to the host's connection, to be
 *   released with virConnectClose(), or %NULL with KVMMIG_ERROR_NOT_OPEN
 */
virConnectPtr
_kvmmig_host_ref_connection (KvmmigHost  *self,
                             GError     **error)
{
  virConnectPtr conn;

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    conn = self->conn;
    if (conn != NULL)
      virConnectRef (conn);
  }

  if (conn == NULL)
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_NOT_OPEN,
                 "%s: the host is not open; open it first", self->display_uri);

  return conn;
}

/* ------------------------------------------------------------------ */
/* GObject                                                              */

static void
kvmmig_host_dispose (GObject *object)
{
  KvmmigHost *self = KVMMIG_HOST (object);

  drop_connection (self, NULL, KVMMIG_CLOSE_REASON_CLIENT, FALSE);

  G_OBJECT_CLASS (kvmmig_host_parent_class)->dispose (object);
}

static void
kvmmig_host_finalize (GObject *object)
{
  KvmmigHost *self = KVMMIG_HOST (object);

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->display_uri, g_free);
  g_clear_pointer (&self->hostname, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->guests);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (kvmmig_host_parent_class)->finalize (object);
}

static void
kvmmig_host_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KvmmigHost *self = KVMMIG_HOST (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_HOSTNAME:
      {
        g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

        g_value_set_string (value, self->hostname);
      }
      break;
    case PROP_IS_OPEN:
      g_value_set_boolean (value, kvmmig_host_is_open (self));
      break;
    case PROP_GUESTS:
      g_value_set_object (value, self->guests);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_host_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  KvmmigHost *self = KVMMIG_HOST (object);

  switch (prop_id)
    {
    case PROP_URI:
      {
        const char *uri = g_value_get_string (value);

        /* "" as NULL: libvirt's default. */
        self->uri = uri != NULL && *uri != '\0' ? g_strdup (uri) : NULL;
        self->display_uri = self->uri ? g_strdup (self->uri)
                                      : g_strdup ("libvirt's default URI");
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_host_class_init (KvmmigHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  _kvmmig_libvirt_init ();

  object_class->dispose = kvmmig_host_dispose;
  object_class->finalize = kvmmig_host_finalize;
  object_class->get_property = kvmmig_host_get_property;
  object_class->set_property = kvmmig_host_set_property;

  /**
   * KvmmigHost:uri: (getter get_uri)
   *
   * The libvirt URI of the host, such as `qemu+ssh://root@10.0.0.11/system`,
   * or an alias from libvirt's client configuration (`uri_aliases`), as
   * given; %NULL for libvirt's default URI. It is checked when the host is
   * opened.
   *
   * Since: 0.1
   */
  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * KvmmigHost:hostname: (getter get_hostname)
   *
   * The host's name as its libvirt daemon reports it, known once the host
   * is open; %NULL before.
   *
   * Since: 0.1
   */
  properties[PROP_HOSTNAME] =
    g_param_spec_string ("hostname", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * KvmmigHost:is-open: (getter is_open)
   *
   * Whether the host has a live connection.
   *
   * Since: 0.1
   */
  properties[PROP_IS_OPEN] =
    g_param_spec_boolean ("is-open", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  /**
   * KvmmigHost:guests: (getter get_guests)
   *
   * The host's guests, running or only defined, as a [iface@Gio.ListModel]
   * of [class@Kvmmig.Guest] sorted by name, kept current while the host is
   * open (see [method@Kvmmig.Host.get_guests]).
   *
   * Since: 0.2
   */
  properties[PROP_GUESTS] =
    g_param_spec_object ("guests", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KvmmigHost::closed:
   * @self: the host
   * @reason: why the connection closed
   *
   * Emitted when the host's connection closes: the daemon went away, the
   * network or the host stopped answering keepalives, or this program
   * called [method@Kvmmig.Host.close]. [property@Kvmmig.Host:is-open] is
   * already %FALSE when it is emitted.
   *
   * Since: 0.1
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  KVMMIG_TYPE_CLOSE_REASON);

  /**
   * KvmmigHost::authenticate:
   * @self: the host
   * @request: what the host's daemon asks for
   *
   * Emitted while the host opens, when its libvirt daemon asks for
   * credentials (a SASL user name and password, for example), as `virsh`
   * would prompt for them. A handler that will answer returns %TRUE, sets
   * an answer for each credential of @request and calls
   * [method@Kvmmig.AuthRequest.reply] (or declines with
   * [method@Kvmmig.AuthRequest.cancel]), at once or later, from any
   * thread: the open waits, and its cancellable stops the wait. With no
   * handler that returns %TRUE, the open fails with
   * %KVMMIG_ERROR_AUTH_FAILED, saying what was asked; a wrong answer fails
   * it the same way, once (no retry).
   *
   * It is emitted on the main context that was the thread-default one
   * when the host was made, during [method@Kvmmig.Host.open_async]; during
   * the blocking [method@Kvmmig.Host.open], on the calling thread, which
   * then runs that context until the answer comes if it can.
   *
   * Returns: %TRUE if the handler answers the request
   *
   * Since: 0.2
   */
  signals[SIGNAL_AUTHENTICATE] =
    g_signal_new ("authenticate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1,
                  KVMMIG_TYPE_AUTH_REQUEST);
}

static void
kvmmig_host_init (KvmmigHost *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
  self->guests = g_list_store_new (KVMMIG_TYPE_GUEST);
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */

/**
 * kvmmig_host_new:
 * @uri: (nullable): the libvirt URI of the host, an alias that libvirt's
 *   client configuration defines (`uri_aliases` in `libvirt.conf`), or
 *   %NULL (or "") for libvirt's default URI (`LIBVIRT_DEFAULT_URI`, then
 *   `uri_default` in `libvirt.conf`, then what libvirt finds itself), as
 *   `virsh` without `-c`
 *
 * Creates a host object for @uri. Nothing is contacted until the host is
 * opened, which is also when @uri is checked.
 *
 * Returns: (transfer full): a new host
 *
 * Since: 0.1
 */
KvmmigHost *
kvmmig_host_new (const char *uri)
{
  return g_object_new (KVMMIG_TYPE_HOST, "uri", uri, NULL);
}

/*
 * _kvmmig_host_get_display_uri:
 *
 * The host's URI for messages: as given, or "libvirt's default URI".
 */
const char *
_kvmmig_host_get_display_uri (KvmmigHost *self)
{
  return self->display_uri;
}

/*
 * _kvmmig_host_dup_connection_uri:
 *
 * The URI libvirt opened for the host: an alias expanded, the default
 * URI resolved (virConnectGetURI()), as another host (a peer-to-peer
 * migration's source daemon) must be given it; the URI as given while
 * the host is not open.
 *
 * Returns: (transfer full): the URI
 */
char *
_kvmmig_host_dup_connection_uri (KvmmigHost *self)
{
  g_autoptr(virConnect) conn = _kvmmig_host_ref_connection (self, NULL);
  char *uri = conn ? virConnectGetURI (conn) : NULL;
  char *copy;

  if (uri == NULL)
    {
      virResetLastError ();
      return g_strdup (self->display_uri);
    }
  copy = g_strdup (uri);
  free (uri);
  return copy;
}

/**
 * kvmmig_host_get_uri: (get-property uri)
 * @self: a host
 *
 * Gets the host's libvirt URI, as given.
 *
 * Returns: (transfer none) (nullable): the URI, or %NULL for libvirt's
 *   default URI
 *
 * Since: 0.1
 */
const char *
kvmmig_host_get_uri (KvmmigHost *self)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), NULL);

  return self->uri;
}

/**
 * kvmmig_host_get_hostname: (get-property hostname)
 * @self: a host
 *
 * Gets the host's name, as its daemon reported it when the host was
 * opened. Call it from the thread that owns the host.
 *
 * Returns: (transfer none) (nullable): the hostname, or %NULL if the host
 *   was never opened
 *
 * Since: 0.1
 */
const char *
kvmmig_host_get_hostname (KvmmigHost *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (KVMMIG_IS_HOST (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  return self->hostname;
}

/**
 * kvmmig_host_is_open: (get-property is-open)
 * @self: a host
 *
 * Gets whether the host has a live connection.
 *
 * Returns: %TRUE if the host is open
 *
 * Since: 0.1
 */
gboolean
kvmmig_host_is_open (KvmmigHost *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (KVMMIG_IS_HOST (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return self->conn != NULL;
}

/* After a synchronous open on the thread whose context the host uses:
 * the guest model is filled before the open returns, so that a script
 * that never runs a main loop finds it full. Elsewhere the feed fills it
 * from the context. */
static void
fill_guests_now (KvmmigHost *self)
{
  g_autoptr(GMainContext) here = g_main_context_ref_thread_default ();
  KvmmigGuestFeed *feed;

  if (here != self->context)
    return;
  g_mutex_lock (&self->lock);
  feed = self->guest_feed;
  if (feed != NULL)
    _kvmmig_guest_feed_fill_now (feed);
  g_mutex_unlock (&self->lock);
}

/**
 * kvmmig_host_open:
 * @self: a host
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Opens the host, blocking the calling thread: connects to its libvirt
 * daemon and reads its hostname. Opening a host that is already open does
 * nothing and succeeds.
 *
 * See [method@Kvmmig.Host.open_async] for the asynchronous form.
 *
 * Returns: %TRUE if the host is open
 *
 * Since: 0.1
 */
gboolean
kvmmig_host_open (KvmmigHost    *self,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (kvmmig_host_is_open (self))
    return TRUE;

  if (!connect_host (self, cancellable, FALSE, error))
    return FALSE;
  fill_guests_now (self);
  return TRUE;
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (connect_host (source_object, cancellable, TRUE, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * kvmmig_host_open_async:
 * @self: a host
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called when the host is open or failed to open
 * @user_data: data for @callback
 *
 * Opens the host on a worker thread: connects to its libvirt daemon and
 * reads its hostname. @callback is called on the thread-default main
 * context of the calling thread; call [method@Kvmmig.Host.open_finish]
 * from it.
 *
 * A malformed URI fails with %KVMMIG_ERROR_INVALID_ARGUMENT, a daemon that
 * cannot be reached with %KVMMIG_ERROR_HOST_UNREACHABLE.
 *
 * Since: 0.1
 */
void
kvmmig_host_open_async (KvmmigHost          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KVMMIG_IS_HOST (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kvmmig_host_open_async);
  g_task_set_check_cancellable (task, FALSE);

  if (kvmmig_host_is_open (self))
    g_task_return_boolean (task, TRUE);
  else
    g_task_run_in_thread (task, open_thread);
}

/**
 * kvmmig_host_open_finish:
 * @self: a host
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.Host.open_async].
 *
 * Returns: %TRUE if the host is open
 *
 * Since: 0.1
 */
gboolean
kvmmig_host_open_finish (KvmmigHost    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), FALSE);

  return _kvmmig_task_finish_boolean (self, result, kvmmig_host_open_async, error);
}

/**
 * kvmmig_host_close:
 * @self: a host
 *
 * Closes the host's connection, if it is open, and emits
 * [signal@Kvmmig.Host::closed] with %KVMMIG_CLOSE_REASON_CLIENT. Calls
 * already running on worker threads finish with the connection they hold.
 * The host can be opened again.
 *
 * Since: 0.1
 */
void
kvmmig_host_close (KvmmigHost *self)
{
  g_return_if_fail (KVMMIG_IS_HOST (self));

  drop_connection (self, NULL, KVMMIG_CLOSE_REASON_CLIENT, TRUE);
}

/* ------------------------------------------------------------------ */
/* Queries: one blocking function each, run inline by the sync form and
 * on a worker thread by the async form.                                */

typedef gpointer (*HostQueryFunc) (KvmmigHost     *self,
                                   virConnectPtr   conn,
                                   gpointer        data,
                                   GCancellable   *cancellable,
                                   GError        **error);

typedef struct
{
  HostQueryFunc func;
  gpointer data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} HostQuery;

static void
host_query_free (gpointer data)
{
  HostQuery *query = data;

  if (query->data_free)
    query->data_free (query->data);
  g_free (query);
}

static gpointer
host_query_run (KvmmigHost     *self,
                HostQueryFunc   func,
                gpointer        data,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autoptr(virConnect) conn = _kvmmig_host_ref_connection (self, error);

  if (conn == NULL)
    return NULL;

  if (_kvmmig_check_cancelled (cancellable, self->display_uri, "query", error))
    return NULL;

  return func (self, conn, data, cancellable, error);
}

static void
host_query_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  HostQuery *query = task_data;
  GError *error = NULL;
  gpointer result;

  result = host_query_run (source_object, query->func, query->data,
                           cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, query->result_free);
}

static void
host_query_async (KvmmigHost          *self,
                  gpointer             source_tag,
                  HostQueryFunc        func,
                  gpointer             data,
                  GDestroyNotify       data_free,
                  GDestroyNotify       result_free,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  HostQuery *query = g_new0 (HostQuery, 1);

  query->func = func;
  query->data = data;
  query->data_free = data_free;
  query->result_free = result_free;

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, query, host_query_free);

  if (!kvmmig_host_is_open (self))
    {
      g_task_return_new_error (task, KVMMIG_ERROR, KVMMIG_ERROR_NOT_OPEN,
                               "%s: the host is not open; open it first",
                               self->display_uri);
      return;
    }

  g_task_run_in_thread (task, host_query_thread);
}

static gpointer
host_query_finish (KvmmigHost    *self,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  return _kvmmig_task_finish_pointer (self, result, source_tag, error);
}

/* -- host info -- */

static gpointer
query_info_func (KvmmigHost     *self,
                 virConnectPtr   conn,
                 gpointer        data,
                 GCancellable   *cancellable,
                 GError        **error)
{
  return _kvmmig_host_info_new_from_connection (conn, self->display_uri, error);
}

/**
 * kvmmig_host_query_info:
 * @self: an open host
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Reads what the host is and has: hostname, UUID, CPU architecture and
 * model, memory total and free, hypervisor and libvirt versions. Blocks the
 * calling thread; see [method@Kvmmig.Host.query_info_async].
 *
 * Returns: (transfer full): the host's info, or %NULL on error
 *
 * Since: 0.1
 */
KvmmigHostInfo *
kvmmig_host_query_info (KvmmigHost    *self,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return host_query_run (self, query_info_func, NULL, cancellable, error);
}

/**
 * kvmmig_host_query_info_async:
 * @self: an open host
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called with the result
 * @user_data: data for @callback
 *
 * Reads the host's info on a worker thread; @callback runs on the calling
 * thread's thread-default main context and calls
 * [method@Kvmmig.Host.query_info_finish].
 *
 * Since: 0.1
 */
void
kvmmig_host_query_info_async (KvmmigHost          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (KVMMIG_IS_HOST (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  host_query_async (self, kvmmig_host_query_info_async, query_info_func,
                    NULL, NULL, g_object_unref,
                    cancellable, callback, user_data);
}

/**
 * kvmmig_host_query_info_finish:
 * @self: a host
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.Host.query_info_async].
 *
 * Returns: (transfer full): the host's info, or %NULL on error
 *
 * Since: 0.1
 */
KvmmigHostInfo *
kvmmig_host_query_info_finish (KvmmigHost    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), NULL);

  return host_query_finish (self, result, kvmmig_host_query_info_async, error);
}

/* -- guests -- */

static gpointer
list_guests_func (KvmmigHost     *self,
                  virConnectPtr   conn,
                  gpointer        data,
                  GCancellable   *cancellable,
                  GError        **error)
{
  return _kvmmig_guest_list_all (conn, self->display_uri, error);
}

/**
 * kvmmig_host_list_guests:
 * @self: an open host
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Lists the guests of the host, running or only defined, sorted by name.
 * Blocks the calling thread; see [method@Kvmmig.Host.list_guests_async].
 *
 * Returns: (transfer container) (element-type KvmmigGuest): the guests, or
 *   %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
kvmmig_host_list_guests (KvmmigHost    *self,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return host_query_run (self, list_guests_func, NULL, cancellable, error);
}

/**
 * kvmmig_host_list_guests_async:
 * @self: an open host
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called with the result
 * @user_data: data for @callback
 *
 * Lists the guests of the host on a worker thread; @callback runs on the
 * calling thread's thread-default main context and calls
 * [method@Kvmmig.Host.list_guests_finish].
 *
 * Since: 0.1
 */
void
kvmmig_host_list_guests_async (KvmmigHost          *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (KVMMIG_IS_HOST (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  host_query_async (self, kvmmig_host_list_guests_async, list_guests_func,
                    NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                    cancellable, callback, user_data);
}

/**
 * kvmmig_host_list_guests_finish:
 * @self: a host
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.Host.list_guests_async].
 *
 * Returns: (transfer container) (element-type KvmmigGuest): the guests,
 *   sorted by name, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
kvmmig_host_list_guests_finish (KvmmigHost    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), NULL);

  return host_query_finish (self, result, kvmmig_host_list_guests_async, error);
}

static gboolean
check_guest_name (KvmmigHost  *self,
                  const char  *name,
                  GError     **error)
{
  if (*name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: a guest name must be non-empty UTF-8", self->display_uri);
      return FALSE;
    }
  return TRUE;
}

static gpointer
lookup_guest_func (KvmmigHost     *self,
                   virConnectPtr   conn,
                   gpointer        data,
                   GCancellable   *cancellable,
                   GError        **error)
{
  const char *name = data;
  g_autoptr(virDomain) domain = NULL;

  if (!check_guest_name (self, name, error))
    return NULL;

  domain = _kvmmig_lookup_domain (conn, name);
  if (domain == NULL)
    {
      if (_kvmmig_libvirt_last_error_code () == VIR_ERR_NO_DOMAIN)
        {
          virResetLastError ();
          g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_GUEST_NOT_FOUND,
                       "%s: no guest named '%s'%s", self->display_uri, name,
                       strspn (name, "0123456789abcdefABCDEF-") == strlen (name)
                         ? " (nor with that ID or UUID)" : "");
        }
      else
        _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, self->display_uri,
                                   "cannot look up guest '%s'", name);
      return NULL;
    }

  return _kvmmig_guest_new_from_domain (domain, self->display_uri, error);
}

/**
 * kvmmig_host_lookup_guest:
 * @self: an open host
 * @name: the guest's name, UUID or ID
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Looks up one guest of the host by name, UUID or ID, as virsh does (an
 * ID first if @name is a number, then a UUID if it is one, then a name:
 * a guest may be named "7"). A guest that does not exist
 * gives %KVMMIG_ERROR_GUEST_NOT_FOUND. Blocks the calling thread; see
 * [method@Kvmmig.Host.lookup_guest_async].
 *
 * Returns: (transfer full): the guest, or %NULL on error
 *
 * Since: 0.1
 */
KvmmigGuest *
kvmmig_host_lookup_guest (KvmmigHost    *self,
                          const char    *name,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return host_query_run (self, lookup_guest_func, (gpointer) name,
                         cancellable, error);
}

/**
 * kvmmig_host_lookup_guest_async:
 * @self: an open host
 * @name: the guest's name, UUID or ID
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async): called with the result
 * @user_data: data for @callback
 *
 * Looks up one guest by name on a worker thread; @callback runs on the
 * calling thread's thread-default main context and calls
 * [method@Kvmmig.Host.lookup_guest_finish].
 *
 * Since: 0.1
 */
void
kvmmig_host_lookup_guest_async (KvmmigHost          *self,
                                const char          *name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (KVMMIG_IS_HOST (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  host_query_async (self, kvmmig_host_lookup_guest_async, lookup_guest_func,
                    g_strdup (name), g_free, g_object_unref,
                    cancellable, callback, user_data);
}

/**
 * kvmmig_host_lookup_guest_finish:
 * @self: a host
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Kvmmig.Host.lookup_guest_async].
 *
 * Returns: (transfer full): the guest, or %NULL on error
 *
 * Since: 0.1
 */
KvmmigGuest *
kvmmig_host_lookup_guest_finish (KvmmigHost    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), NULL);

  return host_query_finish (self, result, kvmmig_host_lookup_guest_async, error);
}

/**
 * kvmmig_host_get_guests: (get-property guests)
 * @self: a host
 *
 * Gets the host's guests as a list model, kept current while the host is
 * open: libvirt's domain events (a guest defined, undefined, started,
 * stopped, paused, resumed, migrated in or out, its memory changed) add,
 * remove and update its items, on the main context that was the
 * thread-default one when the host was created, without polling. Its
 * items are [class@Kvmmig.Guest]s sorted by name; an item stays the same
 * object while its guest is on the host, and its properties are notified
 * as they change.
 *
 * The model is empty until the host is open. A synchronous
 * [method@Kvmmig.Host.open] called on the host's context fills it before
 * it returns; otherwise it fills from the context shortly after the host
 * opened. When the connection closes, the model empties.
 *
 * Returns: (transfer none): the guests (a list model of [class@Kvmmig.Guest])
 *
 * Since: 0.2
 */
GListModel *
kvmmig_host_get_guests (KvmmigHost *self)
{
  g_return_val_if_fail (KVMMIG_IS_HOST (self), NULL);
  return G_LIST_MODEL (self->guests);
}
