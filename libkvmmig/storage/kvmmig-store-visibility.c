/* kvmmig-store-visibility.c: KvmmigStoreVisibility, the read-only result
 * of a shared store's visibility check across hosts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-store-visibility-private.h"
#include "kvmmig-volume.h"

/**
 * KvmmigStoreVisibility:
 *
 * Whether every host of a set sees the same volumes of a
 * [class@Kvmmig.SharedStore] (same names, same keys, same sizes), and, for
 * each host, what it does not see: the result of
 * [method@Kvmmig.SharedStore.check_visibility].
 *
 * A host on which the store is not attached, or that cannot be asked,
 * sees none of the volumes; its problems say why.
 *
 * Since: 0.1
 */
struct _KvmmigStoreVisibility
{
  GObject parent_instance;

  char *store_name;
  GPtrArray *hosts;          /* HostEntry */
  GPtrArray *names;          /* the union of the volume names, sorted */
  GPtrArray *uris;           /* the hosts' URIs (owned by the entries) */
  gboolean complete;
  char *summary;
};

typedef struct
{
  char *uri;
  GPtrArray *volumes;        /* KvmmigVolume, or NULL */
  char *failure;
  GPtrArray *missing;        /* char *, NULL-terminated */
  GPtrArray *problems;       /* char *, NULL-terminated */
} HostEntry;

G_DEFINE_FINAL_TYPE (KvmmigStoreVisibility, kvmmig_store_visibility, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE_NAME,
  PROP_COMPLETE,
  PROP_SUMMARY,
  N_PROPS
};

/* An error message without the "URI: " and "store 'NAME': " it starts
 * with, which the summary already says. */
static char *
strip_context (const char *message,
               const char *uri,
               const char *store_name)
{
  g_autofree char *store = g_strdup_printf ("store '%s'", store_name);
  const char *rest = message;

  for (gboolean stripped = TRUE; stripped; )
    {
      stripped = FALSE;
      if (g_str_has_prefix (rest, uri) && g_str_has_prefix (rest + strlen (uri), ": "))
        {
          rest += strlen (uri) + 2;
          stripped = TRUE;
        }
      if (g_str_has_prefix (rest, store) && g_str_has_prefix (rest + strlen (store), ": "))
        {
          rest += strlen (store) + 2;
          stripped = TRUE;
        }
    }
  return g_strdup (rest);
}

static GParamSpec *properties[N_PROPS];

static void
host_entry_free (HostEntry *entry)
{
  g_free (entry->uri);
  g_clear_pointer (&entry->volumes, g_ptr_array_unref);
  g_free (entry->failure);
  g_clear_pointer (&entry->missing, g_ptr_array_unref);
  g_clear_pointer (&entry->problems, g_ptr_array_unref);
  g_free (entry);
}

static void
kvmmig_store_visibility_finalize (GObject *object)
{
  KvmmigStoreVisibility *self = KVMMIG_STORE_VISIBILITY (object);

  g_free (self->store_name);
  g_clear_pointer (&self->hosts, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->uris, g_ptr_array_unref);
  g_free (self->summary);

  G_OBJECT_CLASS (kvmmig_store_visibility_parent_class)->finalize (object);
}

static void
kvmmig_store_visibility_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  KvmmigStoreVisibility *self = KVMMIG_STORE_VISIBILITY (object);

  switch (prop_id)
    {
    case PROP_STORE_NAME: g_value_set_string (value, self->store_name); break;
    case PROP_COMPLETE:   g_value_set_boolean (value, self->complete); break;
    case PROP_SUMMARY:    g_value_set_string (value, self->summary); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_store_visibility_class_init (KvmmigStoreVisibilityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kvmmig_store_visibility_finalize;
  object_class->get_property = kvmmig_store_visibility_get_property;

  /**
   * KvmmigStoreVisibility:store-name: (getter get_store_name)
   *
   * The name of the store that was checked.
   *
   * Since: 0.1
   */
  properties[PROP_STORE_NAME] = g_param_spec_string ("store-name", NULL, NULL, NULL, flags);

  /**
   * KvmmigStoreVisibility:complete: (getter is_complete)
   *
   * Whether every host sees every volume, with the same key and size.
   *
   * Since: 0.1
   */
  properties[PROP_COMPLETE] = g_param_spec_boolean ("complete", NULL, NULL, FALSE, flags);

  /**
   * KvmmigStoreVisibility:summary: (getter get_summary)
   *
   * One sentence for people: all hosts agree, or each problem found.
   *
   * Since: 0.1
   */
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kvmmig_store_visibility_init (KvmmigStoreVisibility *self)
{
  self->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) host_entry_free);
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->uris = g_ptr_array_new ();
}

int
_kvmmig_natural_compare (const char *a,
                         const char *b)
{
  while (*a && *b)
    {
      if (g_ascii_isdigit (*a) && g_ascii_isdigit (*b))
        {
          char *end_a, *end_b;
          guint64 na = g_ascii_strtoull (a, &end_a, 10);
          guint64 nb = g_ascii_strtoull (b, &end_b, 10);

          if (na != nb)
            return na < nb ? -1 : 1;
          a = end_a;
          b = end_b;
          continue;
        }
      if (*a != *b)
        return (guchar) *a < (guchar) *b ? -1 : 1;
      a++;
      b++;
    }
  return (guchar) *a - (guchar) *b;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return _kvmmig_natural_compare (*(const char **) a, *(const char **) b);
}

KvmmigStoreVisibility *
_kvmmig_store_visibility_new (const char *store_name)
{
  KvmmigStoreVisibility *self = g_object_new (KVMMIG_TYPE_STORE_VISIBILITY, NULL);

  self->store_name = g_strdup (store_name);
  return self;
}

void
_kvmmig_store_visibility_add_host (KvmmigStoreVisibility *self,
                                   const char            *host_uri,
                                   GPtrArray             *volumes,
                                   const char            *failure)
{
  HostEntry *entry = g_new0 (HostEntry, 1);

  entry->uri = g_strdup (host_uri);
  entry->volumes = volumes ? g_ptr_array_ref (volumes) : NULL;
  entry->failure = g_strdup (failure);
  entry->missing = g_ptr_array_new_with_free_func (g_free);
  entry->problems = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->hosts, entry);
}

static KvmmigVolume *
find_volume (HostEntry  *entry,
             const char *name)
{
  for (guint i = 0; entry->volumes && i < entry->volumes->len; i++)
    {
      KvmmigVolume *volume = g_ptr_array_index (entry->volumes, i);

      if (g_str_equal (kvmmig_volume_get_name (volume), name))
        return volume;
    }
  return NULL;
}

void
_kvmmig_store_visibility_compute (KvmmigStoreVisibility *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) summary = g_string_new (NULL);
  guint n_problems = 0;

  for (guint h = 0; h < self->hosts->len; h++)
    {
      HostEntry *entry = g_ptr_array_index (self->hosts, h);

      for (guint i = 0; entry->volumes && i < entry->volumes->len; i++)
        {
          const char *name = kvmmig_volume_get_name (g_ptr_array_index (entry->volumes, i));

          if (!g_hash_table_contains (seen, name))
            {
              char *copy = g_strdup (name);

              g_ptr_array_add (self->names, copy);
              g_hash_table_add (seen, copy);
            }
        }
    }
  g_ptr_array_sort (self->names, compare_names);

  for (guint h = 0; h < self->hosts->len; h++)
    {
      HostEntry *entry = g_ptr_array_index (self->hosts, h);

      if (entry->failure != NULL)
        g_ptr_array_add (entry->problems, strip_context (entry->failure, entry->uri,
                                                         self->store_name));

      for (guint n = 0; n < self->names->len; n++)
        {
          const char *name = g_ptr_array_index (self->names, n);
          KvmmigVolume *mine = find_volume (entry, name);
          KvmmigVolume *reference = NULL;
          const char *reference_uri = NULL;

          if (mine == NULL)
            {
              g_ptr_array_add (entry->missing, g_strdup (name));
              if (entry->failure == NULL)
                g_ptr_array_add (entry->problems,
                                 g_strdup_printf ("does not see volume '%s'", name));
              continue;
            }

          /* The first host that sees the volume is the reference. */
          for (guint r = 0; r < self->hosts->len && reference == NULL; r++)
            {
              HostEntry *other = g_ptr_array_index (self->hosts, r);

              reference = find_volume (other, name);
              reference_uri = other->uri;
            }
          if (reference == mine)
            continue;

          if (g_strcmp0 (kvmmig_volume_get_key (mine), kvmmig_volume_get_key (reference)) != 0)
            g_ptr_array_add (entry->problems, g_strdup_printf (
              "volume '%s' has key '%s' here but '%s' on %s (not the same volume)",
              name, kvmmig_volume_get_key (mine), kvmmig_volume_get_key (reference),
              reference_uri));
          if (kvmmig_volume_get_capacity (mine) != kvmmig_volume_get_capacity (reference))
            g_ptr_array_add (entry->problems, g_strdup_printf (
              "volume '%s' is %" G_GUINT64_FORMAT " bytes here but %" G_GUINT64_FORMAT
              " on %s", name, kvmmig_volume_get_capacity (mine),
              kvmmig_volume_get_capacity (reference), reference_uri));
        }

      if (entry->problems->len > 0)
        {
          g_string_append_printf (summary, "%s%s: ", n_problems ? "; " : "", entry->uri);
          for (guint p = 0; p < entry->problems->len; p++)
            g_string_append_printf (summary, "%s%s", p ? ", " : "",
                                    (char *) g_ptr_array_index (entry->problems, p));
          n_problems += entry->problems->len;
        }
      g_ptr_array_add (entry->missing, NULL);
      g_ptr_array_add (entry->problems, NULL);
    }

  self->complete = n_problems == 0 && self->hosts->len > 0;
  if (self->complete)
    self->summary = g_strdup_printf ("store '%s': all %u hosts see the same %u "
                                     "volumes, with the same keys and sizes",
                                     self->store_name, self->hosts->len,
                                     self->names->len);
  else if (self->hosts->len == 0)
    self->summary = g_strdup_printf ("store '%s': no hosts were checked", self->store_name);
  else
    self->summary = g_strdup_printf ("store '%s': %s", self->store_name, summary->str);

  g_ptr_array_add (self->names, NULL);
  for (guint h = 0; h < self->hosts->len; h++)
    g_ptr_array_add (self->uris, ((HostEntry *) g_ptr_array_index (self->hosts, h))->uri);
  g_ptr_array_add (self->uris, NULL);
}

static HostEntry *
find_host (KvmmigStoreVisibility *self,
           const char            *host_uri)
{
  for (guint h = 0; h < self->hosts->len; h++)
    {
      HostEntry *entry = g_ptr_array_index (self->hosts, h);

      if (g_str_equal (entry->uri, host_uri))
        return entry;
    }
  return NULL;
}

/**
 * kvmmig_store_visibility_is_complete: (get-property complete)
 * @self: a visibility result
 *
 * Gets whether every host sees every volume of the store, with the same
 * key and size.
 *
 * Returns: %TRUE if the hosts agree
 *
 * Since: 0.1
 */
gboolean
kvmmig_store_visibility_is_complete (KvmmigStoreVisibility *self)
{
  g_return_val_if_fail (KVMMIG_IS_STORE_VISIBILITY (self), FALSE);
  return self->complete;
}

/**
 * kvmmig_store_visibility_get_store_name: (get-property store-name)
 * @self: a visibility result
 *
 * Gets the name of the store that was checked.
 *
 * Returns: (transfer none): the store's name
 *
 * Since: 0.1
 */
const char *
kvmmig_store_visibility_get_store_name (KvmmigStoreVisibility *self)
{
  g_return_val_if_fail (KVMMIG_IS_STORE_VISIBILITY (self), NULL);
  return self->store_name;
}

/**
 * kvmmig_store_visibility_get_host_uris:
 * @self: a visibility result
 *
 * Gets the URIs of the hosts that were checked, in the order given.
 *
 * Returns: (transfer none) (array zero-terminated=1): the URIs
 *
 * Since: 0.1
 */
const char * const *
kvmmig_store_visibility_get_host_uris (KvmmigStoreVisibility *self)
{
  g_return_val_if_fail (KVMMIG_IS_STORE_VISIBILITY (self), NULL);
  return (const char * const *) self->uris->pdata;
}

/**
 * kvmmig_store_visibility_get_volume_names:
 * @self: a visibility result
 *
 * Gets the names of every volume that at least one host sees.
 *
 * Returns: (transfer none) (array zero-terminated=1): the names
 *
 * Since: 0.1
 */
const char * const *
kvmmig_store_visibility_get_volume_names (KvmmigStoreVisibility *self)
{
  g_return_val_if_fail (KVMMIG_IS_STORE_VISIBILITY (self), NULL);
  return (const char * const *) self->names->pdata;
}

/**
 * kvmmig_store_visibility_get_missing:
 * @self: a visibility result
 * @host_uri: the URI of one of the hosts checked
 *
 * Gets the names of the volumes that the host does not see, although
 * another host does (all of them when the store is not attached there).
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the
 *   names, or %NULL if @host_uri was not checked
 *
 * Since: 0.1
 */
const char * const *
kvmmig_store_visibility_get_missing (KvmmigStoreVisibility *self,
                                     const char            *host_uri)
{
  HostEntry *entry;

  g_return_val_if_fail (KVMMIG_IS_STORE_VISIBILITY (self), NULL);
  g_return_val_if_fail (host_uri != NULL, NULL);

  entry = find_host (self, host_uri);
  return entry ? (const char * const *) entry->missing->pdata : NULL;
}

/**
 * kvmmig_store_visibility_get_problems:
 * @self: a visibility result
 * @host_uri: the URI of one of the hosts checked
 *
 * Gets what is wrong on the host, one sentence each: a volume it does not
 * see, a volume with another key or size than on the other hosts, or why
 * it sees nothing (store not attached, host not answering).
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the
 *   problems (empty when the host agrees with the others), or %NULL if
 *   @host_uri was not checked
 *
 * Since: 0.1
 */
const char * const *
kvmmig_store_visibility_get_problems (KvmmigStoreVisibility *self,
                                      const char            *host_uri)
{
  HostEntry *entry;

  g_return_val_if_fail (KVMMIG_IS_STORE_VISIBILITY (self), NULL);
  g_return_val_if_fail (host_uri != NULL, NULL);

  entry = find_host (self, host_uri);
  return entry ? (const char * const *) entry->problems->pdata : NULL;
}

/**
 * kvmmig_store_visibility_get_summary: (get-property summary)
 * @self: a visibility result
 *
 * Gets one sentence that says whether the hosts agree, or what each host
 * does not see.
 *
 * Returns: (transfer none): the summary
 *
 * Since: 0.1
 */
const char *
kvmmig_store_visibility_get_summary (KvmmigStoreVisibility *self)
{
  g_return_val_if_fail (KVMMIG_IS_STORE_VISIBILITY (self), NULL);
  return self->summary;
}
