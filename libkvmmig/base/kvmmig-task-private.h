/* kvmmig-task-private.h: the _finish() end of the library's GTask-based
 * asynchronous calls (see kvmmig-task.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean _kvmmig_task_finish_boolean (gpointer       source_object,
                                      GAsyncResult  *result,
                                      gpointer       source_tag,
                                      GError       **error);
gpointer _kvmmig_task_finish_pointer (gpointer       source_object,
                                      GAsyncResult  *result,
                                      gpointer       source_tag,
                                      GError       **error);

G_END_DECLS
