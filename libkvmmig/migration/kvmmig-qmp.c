/* kvmmig-qmp.c: QMP commands for QEMU's monitor, and reading its replies
 * (see kvmmig-qmp-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

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

gboolean
_kvmmig_qmp_reply_check (const char  *reply,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *failure;

  if (reply == NULL)
    return TRUE;

  if (!json_parser_load_from_data (parser, reply, -1, &local_error))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "QEMU's monitor gave a reply that is not JSON (%s): %s",
                   local_error->message, reply);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "QEMU's monitor gave a reply that is not an object: %s", reply);
      return FALSE;
    }

  object = json_node_get_object (root);
  failure = json_object_get_member (object, "error");
  if (failure == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_OBJECT (failure) &&
      json_object_get_string_member_with_default (json_node_get_object (failure),
                                                  "desc", NULL) != NULL)
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED, "QEMU refused it: %s",
                 json_object_get_string_member (json_node_get_object (failure), "desc"));
  else
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED, "QEMU refused it: %s", reply);
  return FALSE;
}
