/* kvmmig-xml.c: reading libvirt XML through XPath and writing it as
 * libxml2 trees, so that every value is escaped (see
 * kvmmig-xml-private.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlsave.h>

#include "kvmmig-error.h"
#include "kvmmig-xml-private.h"

/* ------------------------------------------------------------------ */
/* Reading XML                                                          */

void
_kvmmig_xml_clear (KvmmigXml *xml)
{
  g_clear_pointer (&xml->ctx, xmlXPathFreeContext);
  g_clear_pointer (&xml->doc, xmlFreeDoc);
}

gboolean
_kvmmig_xml_parse (KvmmigXml  *xml,
                   const char *text)
{
  if (text == NULL)
    return FALSE;
  xml->doc = xmlReadMemory (text, strlen (text), "libvirt.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (xml->doc == NULL)
    return FALSE;
  xml->ctx = xmlXPathNewContext (xml->doc);
  return xml->ctx != NULL;
}

gboolean
_kvmmig_xml_read (KvmmigXml   *xml,
                  const char  *text,
                  const char  *what,
                  GError     **error)
{
  const xmlError *last;

  if (text == NULL || text[0] == '\0')
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED, "%s is empty", what);
      return FALSE;
    }

  xmlResetLastError ();
  if (_kvmmig_xml_parse (xml, text))
    return TRUE;

  _kvmmig_xml_clear (xml);
  last = xmlGetLastError ();
  if (last != NULL && last->message != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (last->message));
      g_autofree char *message = g_utf8_make_valid (stripped, -1);

      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "%s is not well-formed XML (line %d: %s)", what, last->line, message);
    }
  else
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                 "%s is not well-formed XML", what);
  xmlResetLastError ();
  return FALSE;
}

char *
_kvmmig_xml_string (KvmmigXml  *xml,
                    xmlNodePtr  node,
                    const char *expr)
{
  g_autofree char *wrapped = g_strdup_printf ("string(%s)", expr);
  xmlXPathObjectPtr obj;
  char *value = NULL;

  xml->ctx->node = node ? node : xmlDocGetRootElement (xml->doc);
  obj = xmlXPathEvalExpression ((const xmlChar *) wrapped, xml->ctx);
  if (obj != NULL && obj->type == XPATH_STRING && obj->stringval && obj->stringval[0])
    value = g_strdup ((const char *) obj->stringval);
  xmlXPathFreeObject (obj);
  return value;
}

gboolean
_kvmmig_xml_exists (KvmmigXml  *xml,
                    xmlNodePtr  node,
                    const char *expr)
{
  g_autofree char *wrapped = g_strdup_printf ("boolean(%s)", expr);
  xmlXPathObjectPtr obj;
  gboolean found;

  xml->ctx->node = node ? node : xmlDocGetRootElement (xml->doc);
  obj = xmlXPathEvalExpression ((const xmlChar *) wrapped, xml->ctx);
  found = obj != NULL && obj->type == XPATH_BOOLEAN && obj->boolval;
  xmlXPathFreeObject (obj);
  return found;
}

xmlXPathObjectPtr
_kvmmig_xml_nodes (KvmmigXml  *xml,
                   const char *expr)
{
  xml->ctx->node = xmlDocGetRootElement (xml->doc);
  return xmlXPathEvalExpression ((const xmlChar *) expr, xml->ctx);
}

/* ------------------------------------------------------------------ */
/* Writing XML                                                          */

xmlNodePtr
_kvmmig_xml_element (xmlNodePtr  parent,
                     const char *name,
                     ...)
{
  xmlNodePtr node = xmlNewNode (NULL, (const xmlChar *) name);
  const char *attr;
  va_list args;

  va_start (args, name);
  while ((attr = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      /* xmlNewProp stores the value as text; it is escaped on output. */
      if (value != NULL)
        xmlNewProp (node, (const xmlChar *) attr, (const xmlChar *) value);
    }
  va_end (args);

  if (parent != NULL)
    xmlAddChild (parent, node);
  return node;
}

xmlNodePtr
_kvmmig_xml_text (xmlNodePtr  parent,
                  const char *name,
                  const char *text)
{
  /* xmlNewTextChild escapes its content (xmlNewChild would not). */
  return xmlNewTextChild (parent, NULL, (const xmlChar *) name, (const xmlChar *) text);
}

static char *
dump_node (xmlDocPtr  doc,
           xmlNodePtr node)
{
  xmlBufferPtr buf = xmlBufferCreate ();
  xmlSaveCtxtPtr save;
  char *text;

  save = xmlSaveToBuffer (buf, "UTF-8", XML_SAVE_FORMAT | XML_SAVE_NO_DECL);
  xmlSaveTree (save, node);
  xmlSaveClose (save);
  text = g_strdup ((const char *) xmlBufferContent (buf));
  xmlBufferFree (buf);
  return text;
}

char *
_kvmmig_xml_take_string (xmlNodePtr root)
{
  xmlDocPtr doc = xmlNewDoc ((const xmlChar *) "1.0");
  char *text;

  xmlDocSetRootElement (doc, root);
  text = dump_node (doc, root);
  xmlFreeDoc (doc);
  return text;
}

char *
_kvmmig_xml_insert (const char *xml_text,
                    const char *parent_expr,
                    xmlNodePtr  child)
{
  g_auto(KvmmigXml) xml = { 0 };
  xmlXPathObjectPtr nodes;
  xmlNodePtr parent = NULL;
  char *text;

  /* Without blank text nodes, so that the output is indented afresh. */
  if (xml_text != NULL)
    xml.doc = xmlReadMemory (xml_text, strlen (xml_text), "libvirt.xml", NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                             XML_PARSE_NOBLANKS);
  if (xml.doc == NULL || (xml.ctx = xmlXPathNewContext (xml.doc)) == NULL)
    {
      xmlFreeNode (child);
      return NULL;
    }

  nodes = _kvmmig_xml_nodes (&xml, parent_expr);
  if (nodes && nodes->nodesetval && nodes->nodesetval->nodeNr > 0)
    parent = nodes->nodesetval->nodeTab[0];
  xmlXPathFreeObject (nodes);

  if (parent == NULL)
    {
      xmlFreeNode (child);
      return NULL;
    }

  xmlAddChild (parent, child);
  text = dump_node (xml.doc, xmlDocGetRootElement (xml.doc));
  return text;
}

char *
_kvmmig_xml_to_string (KvmmigXml *xml)
{
  xmlNodePtr root = xml->doc ? xmlDocGetRootElement (xml->doc) : NULL;

  return root ? dump_node (xml->doc, root) : NULL;
}
