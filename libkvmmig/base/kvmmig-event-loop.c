/* kvmmig-event-loop.c: libvirt's event loop (file-descriptor watches and
 * timers, through virEventRegisterImpl) implemented with GSources on a
 * private GMainContext, iterated by a thread of the library.
 *
 * Why not one of the implementations that exist: libvirt-glib's
 * gvir_event_register() and libvirt's own default implementation (GLib
 * based since libvirt 6) both attach to the global default GMainContext.
 * A script that blocks in a synchronous call never iterates it, so
 * keepalives and migration events would stall; and a thread that iterated
 * it for libvirt's sake would also dispatch the application's own sources
 * (GTK, GJS callbacks) on the wrong thread. A private context is iterated
 * by this library alone. Callbacks that reach the application are then
 * re-dispatched to the application's contexts (see KvmmigHost).
 *
 * An application that registered an implementation of its own first
 * (libvirt-glib, libvirt-python) keeps it: libvirt allows one per process,
 * and the library then uses the application's (kvmmig-process.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "kvmmig-event-loop-private.h"

typedef struct
{
  int id;
  int fd;                       /* -1 for a timer */
  int events;                   /* handle: VIR_EVENT_HANDLE_* mask */
  int interval;                 /* timer: ms, -1 when disabled */
  gboolean removed;
  GSource *source;
  virEventHandleCallback handle_cb;
  virEventTimeoutCallback timeout_cb;
  void *opaque;
  virFreeCallback ff;
} Watch;

static GMutex lock;
static GMainContext *event_context;
static GHashTable *handles;     /* id -> Watch */
static GHashTable *timeouts;    /* id -> Watch */
static int next_handle = 1;
static int next_timeout = 1;

static GIOCondition
condition_from_events (int events)
{
  GIOCondition cond = 0;

  if (events & VIR_EVENT_HANDLE_READABLE)
    cond |= G_IO_IN;
  if (events & VIR_EVENT_HANDLE_WRITABLE)
    cond |= G_IO_OUT;
  /* HANGUP and ERROR are always reported by poll(). */
  return cond;
}

static int
events_from_condition (GIOCondition cond)
{
  int events = 0;

  if (cond & G_IO_IN)
    events |= VIR_EVENT_HANDLE_READABLE;
  if (cond & G_IO_OUT)
    events |= VIR_EVENT_HANDLE_WRITABLE;
  if (cond & G_IO_HUP)
    events |= VIR_EVENT_HANDLE_HANGUP;
  if (cond & (G_IO_ERR | G_IO_NVAL))
    events |= VIR_EVENT_HANDLE_ERROR;
  return events;
}

static gboolean
is_removed (Watch *watch)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

  return watch->removed;
}

/* Dispatch runs on the event thread; a Watch is freed only by an idle on
 * that same thread, so it is valid here even if removed meanwhile. */
static gboolean
handle_dispatch (int          fd,
                 GIOCondition condition,
                 gpointer     data)
{
  Watch *watch = data;

  if (!is_removed (watch))
    watch->handle_cb (watch->id, fd, events_from_condition (condition),
                      watch->opaque);
  return G_SOURCE_CONTINUE;
}

static gboolean
timeout_dispatch (gpointer data)
{
  Watch *watch = data;

  if (!is_removed (watch))
    watch->timeout_cb (watch->id, watch->opaque);
  return G_SOURCE_CONTINUE;
}

/* Called with the lock held. */
static void
watch_rearm (Watch *watch)
{
  if (watch->source != NULL)
    {
      g_source_destroy (watch->source);
      g_clear_pointer (&watch->source, g_source_unref);
    }

  if (watch->fd >= 0)
    {
      if (watch->events == 0)
        return;
      watch->source = g_unix_fd_source_new (watch->fd,
                                            condition_from_events (watch->events));
      g_source_set_callback (watch->source, G_SOURCE_FUNC (handle_dispatch),
                             watch, NULL);
    }
  else
    {
      if (watch->interval < 0)
        return;
      watch->source = g_timeout_source_new (watch->interval);
      g_source_set_callback (watch->source, timeout_dispatch, watch, NULL);
    }

  g_source_set_static_name (watch->source, "[kvmmig] libvirt event");
  g_source_attach (watch->source, event_context);
}

static gboolean
watch_free_idle (gpointer data)
{
  Watch *watch = data;

  /* libvirt requires the free callback to run outside the remove call. */
  if (watch->ff != NULL)
    watch->ff (watch->opaque);
  g_free (watch);
  return G_SOURCE_REMOVE;
}

static int
watch_remove (GHashTable *table,
              int         id)
{
  g_autoptr(GSource) idle = NULL;
  Watch *watch;

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

    watch = g_hash_table_lookup (table, GINT_TO_POINTER (id));
    if (watch == NULL || watch->removed)
      return -1;

    g_hash_table_remove (table, GINT_TO_POINTER (id));
    watch->removed = TRUE;
    if (watch->source != NULL)
      {
        g_source_destroy (watch->source);
        g_clear_pointer (&watch->source, g_source_unref);
      }
  }

  idle = g_idle_source_new ();
  g_source_set_callback (idle, watch_free_idle, watch, NULL);
  g_source_attach (idle, event_context);
  return 0;
}

/* Registers @watch, its fd and what it waits for set, in @table under the
 * next id of @next_id, and arms it. */
static int
watch_add (GHashTable      *table,
           int             *next_id,
           Watch           *watch,
           void            *opaque,
           virFreeCallback  ff)
{
  g_autoptr(GMutexLocker) locker = NULL;

  watch->opaque = opaque;
  watch->ff = ff;

  locker = g_mutex_locker_new (&lock);
  watch->id = (*next_id)++;
  g_hash_table_insert (table, GINT_TO_POINTER (watch->id), watch);
  watch_rearm (watch);
  return watch->id;
}

/* Sets what watch @id of @table waits for (the int at @field: its events
 * or its interval) and re-arms it if that changed. */
static void
watch_update (GHashTable *table,
              int         id,
              gsize       field,
              int         value)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);
  Watch *watch = g_hash_table_lookup (table, GINT_TO_POINTER (id));

  if (watch != NULL && !watch->removed && G_STRUCT_MEMBER (int, watch, field) != value)
    {
      G_STRUCT_MEMBER (int, watch, field) = value;
      watch_rearm (watch);
    }
}

static int
add_handle (int                     fd,
            int                     events,
            virEventHandleCallback  cb,
            void                   *opaque,
            virFreeCallback         ff)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->fd = fd;
  watch->events = events;
  watch->handle_cb = cb;
  return watch_add (handles, &next_handle, watch, opaque, ff);
}

static void
update_handle (int watch_id,
               int events)
{
  watch_update (handles, watch_id, G_STRUCT_OFFSET (Watch, events), events);
}

static int
remove_handle (int watch_id)
{
  return watch_remove (handles, watch_id);
}

static int
add_timeout (int                      interval,
             virEventTimeoutCallback  cb,
             void                    *opaque,
             virFreeCallback          ff)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->fd = -1;
  watch->interval = interval;
  watch->timeout_cb = cb;
  return watch_add (timeouts, &next_timeout, watch, opaque, ff);
}

static void
update_timeout (int timer_id,
                int interval)
{
  watch_update (timeouts, timer_id, G_STRUCT_OFFSET (Watch, interval), interval);
}

static int
remove_timeout (int timer_id)
{
  return watch_remove (timeouts, timer_id);
}

static gpointer
event_thread (gpointer data)
{
  g_main_context_push_thread_default (event_context);
  for (;;)
    g_main_context_iteration (event_context, TRUE);
  return NULL;
}

static KvmmigEventLoopOwner owner = KVMMIG_EVENT_LOOP_OWNER_LIBRARY;

static void
probe_timeout (int   timer,
               void *opaque)
{
}

/* Whether an implementation is registered already: libvirt's timer calls
 * fail without one. The probe timer is disabled, and removed at once. */
static gboolean
implementation_registered (void)
{
  int timer = virEventAddTimeout (-1, probe_timeout, NULL, NULL);

  if (timer < 0)
    {
      virResetLastError ();
      return FALSE;
    }
  virEventRemoveTimeout (timer);
  return TRUE;
}

/*
 * _kvmmig_event_loop_start:
 *
 * Registers the implementation with libvirt and starts its thread, unless
 * the application registered one first (libvirt would ignore ours, with a
 * warning). Call once, before the first connection is opened.
 */
KvmmigEventLoopOwner
_kvmmig_event_loop_start (void)
{
  if (implementation_registered ())
    {
      g_debug ("libvirt's event loop is the application's: libkvmmig uses it");
      owner = KVMMIG_EVENT_LOOP_OWNER_APPLICATION;
      return owner;
    }

  event_context = g_main_context_new ();
  handles = g_hash_table_new (NULL, NULL);
  timeouts = g_hash_table_new (NULL, NULL);

  virEventRegisterImpl (add_handle, update_handle, remove_handle,
                        add_timeout, update_timeout, remove_timeout);

  g_thread_unref (g_thread_new ("kvmmig-events", event_thread, NULL));
  owner = KVMMIG_EVENT_LOOP_OWNER_LIBRARY;
  return owner;
}

KvmmigEventLoopOwner
_kvmmig_event_loop_get_owner (void)
{
  return owner;
}
