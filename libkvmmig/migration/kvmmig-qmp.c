/* kvmmig-qmp.c: QMP commands for QEMU's monitor, and reading its replies
 * (see kvmmig-qmp-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-error.h"
#include "kvmmig-qmp-private.h"

char *
_kvmmig_qmp_command (const char *command,
                     JsonObject *arguments)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_object_set_string_member (object, "execute", command);
  json_object_set_object_member (object, "arguments", json_object_ref (arguments));
  json_node_set_object (root, object);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* How much of a reply or a "desc" a message quotes. */
#define QUOTE_MAX  200
/* Deeper than QMP ever nests: json-glib recurses once a level, so a reply
 * of a million '[' would overflow the stack. */
#define DEPTH_MAX  64

/* @text (@len bytes, or -1), as a message may quote it: valid UTF-8, and
 * at most QUOTE_MAX bytes of it, with "..." when cut. */
static char *
quote (const char *text,
       gssize      len)
{
  gsize n = len < 0 ? strlen (text) : (gsize) len;
  g_autofree char *valid = g_utf8_make_valid (text, MIN (n, QUOTE_MAX));

  return n > QUOTE_MAX ? g_strconcat (valid, "...", NULL) : g_steal_pointer (&valid);
}

/* What a first look at a reply finds, before json-glib reads it. */
typedef enum
{
  SHAPE_OBJECT,      /* {...}: for json-glib to read */
  SHAPE_NOT_OBJECT,  /* something else, or nothing */
  SHAPE_TOO_DEEP,    /* nested deeper than DEPTH_MAX */
  SHAPE_TRAILING,    /* {...} and more after it */
  SHAPE_BAD_ESCAPE,  /* a \u escape that is not a character */
  SHAPE_BAD_CHAR,    /* outside strings, a character JSON does not have */
} Shape;

/* The four hex digits at @p as a UTF-16 code unit; FALSE if they are not. */
static gboolean
hex4 (const char *p,
      guint      *unit)
{
  *unit = 0;
  for (int i = 0; i < 4; i++)
    {
      if (!g_ascii_isxdigit (p[i]))
        return FALSE;
      *unit = *unit * 16 + g_ascii_xdigit_value (p[i]);
    }
  return TRUE;
}

/* The length of the \u escape at @p (6, or 12 for a surrogate pair), or
 * 0 when it is malformed or a lone surrogate (json-glib 1.6 leaks on a
 * malformed pair). */
static int
unicode_escape (const char *p)
{
  guint unit, low;

  if (!hex4 (p + 2, &unit))
    return 0;
  if (unit >= 0xDC00 && unit <= 0xDFFF)
    return 0;
  if (unit < 0xD800 || unit > 0xDBFF)
    return 6;
  if (p[6] != '\\' || p[7] != 'u' || !hex4 (p + 8, &low) || low < 0xDC00 || low > 0xDFFF)
    return 0;
  return 12;
}

/* Brackets in strings do not count. A reply that never closes its object
 * is json-glib's to refuse. */
static Shape
reply_shape (const char *text)
{
  const char *p = text;
  gboolean in_string = FALSE;
  guint depth = 0;

  while (g_ascii_isspace (*p))
    p++;
  if (*p != '{')
    return SHAPE_NOT_OBJECT;

  for (; *p; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] == 'u')
            {
              int len = unicode_escape (p);

              if (len == 0)
                return SHAPE_BAD_ESCAPE;
              p += len - 1;
            }
          else if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (!g_ascii_isalnum (*p) && !g_ascii_isspace (*p) && !strchr ("{}[],:-+.", *p))
        /* JSON has no comments, but json-glib's scanner reads C ones, and
         * leaks on some (json-glib 1.6: "{/{{/}{}}"). */
        return SHAPE_BAD_CHAR;
      else if (*p == '[' || *p == '{')
        {
          if (++depth > DEPTH_MAX)
            return SHAPE_TOO_DEEP;
        }
      else if ((*p == ']' || *p == '}') && depth > 0 && --depth == 0)
        {
          /* The end of the object: json-glib 1.6 leaks the tree it read
           * when more than blanks follow, so that is refused here. */
          for (p++; g_ascii_isspace (*p); p++)
            ;
          return *p ? SHAPE_TRAILING : SHAPE_OBJECT;
        }
    }
  return SHAPE_OBJECT;
}

gboolean
_kvmmig_qmp_reply_check (const char  *reply,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *quoted = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *failure;
  JsonNode *desc = NULL;

  if (reply == NULL)
    return TRUE;

  quoted = quote (reply, -1);
  switch (reply_shape (reply))
    {
    case SHAPE_NOT_OBJECT:
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "QEMU's monitor gave a reply that is not an object: %s", quoted);
      return FALSE;
    case SHAPE_TOO_DEEP:
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "QEMU's monitor gave a reply nested deeper than %d levels: %s",
                   DEPTH_MAX, quoted);
      return FALSE;
    case SHAPE_TRAILING:
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "QEMU's monitor gave a reply with more after its JSON object: %s", quoted);
      return FALSE;
    case SHAPE_BAD_ESCAPE:
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "QEMU's monitor gave a reply that is not JSON (a \\u escape that is "
                   "not a character): %s", quoted);
      return FALSE;
    case SHAPE_BAD_CHAR:
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "QEMU's monitor gave a reply that is not JSON (a character outside "
                   "its strings that JSON does not have): %s", quoted);
      return FALSE;
    case SHAPE_OBJECT:
    default:
      break;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, reply, -1, &local_error))
    {
      g_autofree char *why = quote (local_error->message, -1);

      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "QEMU's monitor gave a reply that is not JSON (%s): %s", why, quoted);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "QEMU's monitor gave a reply that is not an object: %s", quoted);
      return FALSE;
    }

  object = json_node_get_object (root);
  failure = json_object_get_member (object, "error");
  if (failure == NULL)
    return TRUE;

  /* {"error": {"class": ..., "desc": "..."}}; anything else is quoted. */
  if (JSON_NODE_HOLDS_OBJECT (failure))
    desc = json_object_get_member (json_node_get_object (failure), "desc");
  if (desc != NULL && JSON_NODE_HOLDS_VALUE (desc) &&
      json_node_get_value_type (desc) == G_TYPE_STRING)
    {
      g_autofree char *why = quote (json_node_get_string (desc), -1);

      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED, "QEMU refused it: %s", why);
    }
  else
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED, "QEMU refused it: %s", quoted);
  return FALSE;
}

/* The string member @name of @o, or NULL if it is not one. */
static const char *
string_member (JsonObject *o,
               const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

char **
_kvmmig_qmp_mirror_jobs (const char  *reply,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *quoted = NULL;
  GPtrArray *ids;
  JsonNode *ret;

  /* Checked first: the shapes json-glib mishandles never reach it. */
  if (reply == NULL || !_kvmmig_qmp_reply_check (reply, error))
    {
      if (reply == NULL)
        g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                     "QEMU's monitor gave no reply to query-block-jobs");
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, reply, -1, NULL))
    g_assert_not_reached ();   /* _kvmmig_qmp_reply_check() read it */
  ret = json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "return");
  if (ret == NULL || !JSON_NODE_HOLDS_ARRAY (ret))
    {
      quoted = quote (reply, -1);
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "QEMU's monitor gave a reply to query-block-jobs without a list of "
                   "jobs: %s", quoted);
      return NULL;
    }

  ids = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (json_node_get_array (ret)); i++)
    {
      JsonNode *job = json_array_get_element (json_node_get_array (ret), i);
      JsonObject *o;
      const char *type, *device;

      if (!JSON_NODE_HOLDS_OBJECT (job))
        continue;
      o = json_node_get_object (job);
      type = string_member (o, "type");
      device = string_member (o, "device");
      if (g_strcmp0 (type, "mirror") == 0 && device != NULL && *device != '\0')
        g_ptr_array_add (ids, g_strdup (device));
    }
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}
