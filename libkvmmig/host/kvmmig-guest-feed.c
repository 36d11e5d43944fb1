/* kvmmig-guest-feed.c: keeps a host's guest model current from libvirt's
 * domain events (see kvmmig-guest-feed-private.h).
 *
 * libvirt calls the event callbacks on its event loop's thread, which
 * must not block on the daemon. Each event only queues the guest's UUID
 * for a worker thread, which reads the guest again (or finds it gone) and
 * sends what it read to the host's main context, where the model changes.
 * Reads of one feed are serialised and each is sent before the next
 * starts, so the model ends with the state read last, which is read after
 * the last event: events may be merged or arrive out of order, the model
 * still converges.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-error.h"
#include "kvmmig-guest-feed-private.h"
#include "kvmmig-guest-private.h"
#include "kvmmig-util-private.h"

struct _KvmmigGuestFeed
{
  gatomicrefcount ref;
  gint stopped;                 /* atomic */
  virConnectPtr conn;           /* a reference, until stopped (under read_lock) */
  char *uri;
  GListStore *store;
  GMainContext *context;
  GMutex read_lock;             /* one read (and its send) at a time */
  int callbacks[2];             /* libvirt's ids, -1 when not registered */
};

/* What a worker reads: one guest, or every guest when uuid is NULL. */
typedef struct
{
  KvmmigGuestFeed *feed;
  char *uuid;
} FeedRead;

/* What a read found, for the context. */
typedef struct
{
  KvmmigGuestFeed *feed;
  gboolean all;
  GPtrArray *guests;            /* all: every guest */
  char *uuid;                   /* one guest: its UUID ... */
  KvmmigGuest *guest;           /* ... and what it is now, NULL: gone */
  gboolean clear;               /* the feed stopped: empty the model */
} FeedUpdate;

static KvmmigGuestFeed *
feed_ref (KvmmigGuestFeed *feed)
{
  g_atomic_ref_count_inc (&feed->ref);
  return feed;
}

static void
feed_unref (gpointer data)
{
  KvmmigGuestFeed *feed = data;

  if (!g_atomic_ref_count_dec (&feed->ref))
    return;
  if (feed->conn != NULL)
    virConnectClose (feed->conn);
  g_free (feed->uri);
  g_object_unref (feed->store);
  g_main_context_unref (feed->context);
  g_mutex_clear (&feed->read_lock);
  g_free (feed);
}

/* ------------------------------------------------------------------ */
/* The model's operations (on its context)                              */

static gboolean
find_uuid (GListStore  *store,
           const char  *uuid,
           guint       *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KvmmigGuest) item = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (g_strcmp0 (kvmmig_guest_get_uuid (item), uuid) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b,
                 gpointer      unused)
{
  int by_name = g_strcmp0 (kvmmig_guest_get_name ((KvmmigGuest *) a),
                           kvmmig_guest_get_name ((KvmmigGuest *) b));

  return by_name != 0 ? by_name : g_strcmp0 (kvmmig_guest_get_uuid ((KvmmigGuest *) a),
                                             kvmmig_guest_get_uuid ((KvmmigGuest *) b));
}

void
_kvmmig_guest_store_upsert (GListStore  *store,
                            KvmmigGuest *guest)
{
  guint position;
  g_autoptr(KvmmigGuest) item = NULL;

  if (!find_uuid (store, kvmmig_guest_get_uuid (guest), &position))
    {
      g_list_store_insert_sorted (store, guest, compare_by_name, NULL);
      return;
    }

  item = g_list_model_get_item (G_LIST_MODEL (store), position);
  if (g_strcmp0 (kvmmig_guest_get_name (item), kvmmig_guest_get_name (guest)) != 0)
    {
      /* Renamed: same object, new place. */
      g_list_store_remove (store, position);
      _kvmmig_guest_update (item, guest);
      g_list_store_insert_sorted (store, item, compare_by_name, NULL);
      return;
    }
  _kvmmig_guest_update (item, guest);
}

gboolean
_kvmmig_guest_store_remove (GListStore *store,
                            const char *uuid)
{
  guint position;

  if (!find_uuid (store, uuid, &position))
    return FALSE;
  g_list_store_remove (store, position);
  return TRUE;
}

void
_kvmmig_guest_store_replace (GListStore *store,
                             GPtrArray  *guests)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < guests->len; i++)
    g_hash_table_add (wanted, (gpointer) kvmmig_guest_get_uuid (g_ptr_array_index (guests, i)));

  /* The guests that went, last first so that positions hold. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(KvmmigGuest) item = g_list_model_get_item (G_LIST_MODEL (store), i - 1);

      if (!g_hash_table_contains (wanted, kvmmig_guest_get_uuid (item)))
        g_list_store_remove (store, i - 1);
    }
  for (guint i = 0; i < guests->len; i++)
    _kvmmig_guest_store_upsert (store, g_ptr_array_index (guests, i));
}

static void
feed_update_free (gpointer data)
{
  FeedUpdate *update = data;

  feed_unref (update->feed);
  g_clear_pointer (&update->guests, g_ptr_array_unref);
  g_free (update->uuid);
  g_clear_object (&update->guest);
  g_free (update);
}

static void
apply (FeedUpdate *update)
{
  GListStore *store = update->feed->store;

  if (update->clear)
    g_list_store_remove_all (store);
  else if (g_atomic_int_get (&update->feed->stopped))
    return;               /* read before the connection went: stale */
  else if (update->all)
    _kvmmig_guest_store_replace (store, update->guests);
  else if (update->guest != NULL)
    _kvmmig_guest_store_upsert (store, update->guest);
  else
    _kvmmig_guest_store_remove (store, update->uuid);
}

static gboolean
apply_dispatch (gpointer data)
{
  apply (data);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------ */
/* Reading guests (worker threads)                                      */

/* Every guest of the feed's connection, sorted; NULL when the host could
 * not list them (the model then stays as it is). */
static GPtrArray *
read_all (KvmmigGuestFeed *feed)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *guests = _kvmmig_guest_list_all (feed->conn, feed->uri, &error);

  if (guests == NULL)
    g_debug ("%s: cannot read the guests for the model: %s", feed->uri, error->message);
  return guests;
}

/* Reads what @read asks and fills @update; FALSE when there is nothing
 * to send (the host could not answer). */
static gboolean
read_into (FeedRead   *read,
           FeedUpdate *update)
{
  KvmmigGuestFeed *feed = read->feed;
  g_autoptr(virDomain) domain = NULL;
  g_autoptr(GError) error = NULL;

  if (read->uuid == NULL)
    {
      update->all = TRUE;
      update->guests = read_all (feed);
      return update->guests != NULL;
    }

  update->uuid = g_strdup (read->uuid);
  domain = virDomainLookupByUUIDString (feed->conn, read->uuid);
  if (domain == NULL)
    {
      virErrorPtr err = virGetLastError ();
      gboolean gone = err != NULL && err->code == VIR_ERR_NO_DOMAIN;

      virResetLastError ();
      return gone;          /* gone: remove it; else keep what we had */
    }
  update->guest = _kvmmig_guest_new_from_domain (domain, feed->uri, &error);
  virResetLastError ();
  /* Vanished while read (the domain was undefined meanwhile): removed. */
  return update->guest != NULL || g_error_matches (error, KVMMIG_ERROR,
                                                   KVMMIG_ERROR_GUEST_NOT_FOUND);
}

static void
feed_read (gpointer data,
           gpointer unused)
{
  FeedRead *read = data;
  KvmmigGuestFeed *feed = read->feed;

  g_mutex_lock (&feed->read_lock);
  if (!g_atomic_int_get (&feed->stopped) && feed->conn != NULL)
    {
      FeedUpdate *update = g_new0 (FeedUpdate, 1);

      update->feed = feed_ref (feed);
      if (read_into (read, update))
        _kvmmig_dispatch_on_context (feed->context, apply_dispatch, update, feed_update_free);
      else
        feed_update_free (update);
    }
  g_mutex_unlock (&feed->read_lock);

  feed_unref (feed);
  g_free (read->uuid);
  g_free (read);
}

/* The workers of every feed: each feed's reads are serialised by its own
 * lock, so a few threads serve many hosts. */
static GThreadPool *
read_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (feed_read, NULL, 4, FALSE, NULL));
  return pool;
}

static void
queue_read (KvmmigGuestFeed *feed,
            const char      *uuid)
{
  FeedRead *read = g_new0 (FeedRead, 1);

  read->feed = feed_ref (feed);
  read->uuid = g_strdup (uuid);
  g_thread_pool_push (read_pool (), read, NULL);
}

/* ------------------------------------------------------------------ */
/* libvirt's events (its event thread)                                  */

static void
on_lifecycle (virConnectPtr  conn,
              virDomainPtr   domain,
              int            event,
              int            detail,
              void          *opaque)
{
  KvmmigGuestFeed *feed = opaque;
  char uuid[VIR_UUID_STRING_BUFLEN];

  if (g_atomic_int_get (&feed->stopped) || virDomainGetUUIDString (domain, uuid) < 0)
    return;
  g_debug ("%s: guest %s: event %d.%d", feed->uri, virDomainGetName (domain), event, detail);
  queue_read (feed, uuid);
}

static void
on_balloon (virConnectPtr       conn,
            virDomainPtr        domain,
            unsigned long long  actual,
            void               *opaque)
{
  on_lifecycle (conn, domain, -1, 0, opaque);
}

KvmmigGuestFeed *
_kvmmig_guest_feed_start (virConnectPtr  conn,
                          const char    *uri,
                          GListStore    *store,
                          GMainContext  *context)
{
  KvmmigGuestFeed *feed = g_new0 (KvmmigGuestFeed, 1);

  g_atomic_ref_count_init (&feed->ref);
  feed->conn = conn;
  virConnectRef (conn);
  feed->uri = g_strdup (uri);
  feed->store = g_object_ref (store);
  feed->context = g_main_context_ref (context);
  g_mutex_init (&feed->read_lock);

  /* Each registration holds a reference, which libvirt drops (feed_unref)
   * once the callback is unregistered and no longer running. */
  feed->callbacks[0] =
    virConnectDomainEventRegisterAny (conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                      VIR_DOMAIN_EVENT_CALLBACK (on_lifecycle),
                                      feed_ref (feed), feed_unref);
  if (feed->callbacks[0] < 0)
    feed_unref (feed);
  feed->callbacks[1] =
    virConnectDomainEventRegisterAny (conn, NULL, VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE,
                                      VIR_DOMAIN_EVENT_CALLBACK (on_balloon),
                                      feed_ref (feed), feed_unref);
  if (feed->callbacks[1] < 0)
    feed_unref (feed);
  if (feed->callbacks[0] < 0)
    {
      g_autofree char *msg = _kvmmig_libvirt_take_message (NULL);

      g_debug ("%s: no domain events (%s): the guest model is read once", uri, msg);
    }
  virResetLastError ();

  queue_read (feed, NULL);
  return feed;
}

void
_kvmmig_guest_feed_fill_now (KvmmigGuestFeed *feed)
{
  FeedRead read = { .feed = feed, .uuid = NULL };
  FeedUpdate *update = g_new0 (FeedUpdate, 1);

  update->feed = feed_ref (feed);
  g_mutex_lock (&feed->read_lock);
  if (feed->conn != NULL && read_into (&read, update))
    apply (update);
  g_mutex_unlock (&feed->read_lock);
  feed_update_free (update);
}

void
_kvmmig_guest_feed_stop (KvmmigGuestFeed *feed)
{
  FeedUpdate *clear;

  if (feed == NULL)
    return;

  g_atomic_int_set (&feed->stopped, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (feed->callbacks); i++)
    if (feed->callbacks[i] >= 0 &&
        virConnectDomainEventDeregisterAny (feed->conn, feed->callbacks[i]) < 0)
      virResetLastError ();

  /* The connection closes with the host's: a read under way ends first,
   * and none starts after. */
  g_mutex_lock (&feed->read_lock);
  g_clear_pointer (&feed->conn, virConnectClose);
  g_mutex_unlock (&feed->read_lock);

  clear = g_new0 (FeedUpdate, 1);
  clear->feed = feed;           /* the host's reference, handed over */
  clear->clear = TRUE;
  _kvmmig_dispatch_on_context (feed->context, apply_dispatch, clear, feed_update_free);
}
