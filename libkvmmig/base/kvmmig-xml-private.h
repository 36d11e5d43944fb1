/* kvmmig-xml-private.h: reading and writing libvirt XML safely, with
 * libxml2 trees and XPath, never pasted strings: the domain, pool, volume
 * and secret XML of the storage code, the guest definitions and the CPU
 * capabilities of the pre-flight checks.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

G_BEGIN_DECLS

/* -- reading XML ---------------------------------------------------- */

typedef struct
{
  xmlDocPtr doc;
  xmlXPathContextPtr ctx;
} KvmmigXml;

void        _kvmmig_xml_clear   (KvmmigXml   *xml);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KvmmigXml, _kvmmig_xml_clear)

gboolean    _kvmmig_xml_parse   (KvmmigXml   *xml,
                                 const char  *text);
/* As _kvmmig_xml_parse(), with a KvmmigError (FAILED) when @text cannot
 * be read, which names @what ("the definition of guest 'vm1'") and says
 * where libxml2 stopped. */
gboolean    _kvmmig_xml_read    (KvmmigXml   *xml,
                                 const char  *text,
                                 const char  *what,
                                 GError     **error);
/* The string value of @expr at @node (or the root); NULL when empty. */
char       *_kvmmig_xml_string  (KvmmigXml   *xml,
                                 xmlNodePtr   node,
                                 const char  *expr);
/* Whether @expr matches anything at @node (or the root). */
gboolean    _kvmmig_xml_exists  (KvmmigXml   *xml,
                                 xmlNodePtr   node,
                                 const char  *expr);
/* The nodes matching @expr from the root (free with xmlXPathFreeObject). */
xmlXPathObjectPtr _kvmmig_xml_nodes (KvmmigXml *xml,
                                     const char *expr);

/* -- writing XML: libxml2 escapes every value ----------------------- */

/* A new element named @name with attributes given as NULL-terminated
 * name, value pairs (a NULL value skips the attribute). */
xmlNodePtr  _kvmmig_xml_element (xmlNodePtr   parent,
                                 const char  *name,
                                 ...) G_GNUC_NULL_TERMINATED;
/* A child element holding the text @text. */
xmlNodePtr  _kvmmig_xml_text    (xmlNodePtr   parent,
                                 const char  *name,
                                 const char  *text);
/* Serialises @root (and frees it). */
char       *_kvmmig_xml_take_string (xmlNodePtr root);
/* Adds a copy of @child_xml (one element) under the element of @xml that
 * @parent_expr names, and returns the new document's text. */
char       *_kvmmig_xml_insert  (const char  *xml,
                                 const char  *parent_expr,
                                 xmlNodePtr   child);
/* The text of the document @xml holds (after changes made to its tree). */
char       *_kvmmig_xml_to_string (KvmmigXml *xml);

G_END_DECLS
