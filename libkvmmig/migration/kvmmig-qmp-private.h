/* kvmmig-qmp-private.h: the QMP commands a migration run sends to QEMU's
 * monitor through libvirt (virDomainQemuMonitorCommand), and the reading
 * of the monitor's replies, with json-glib both ways. No libvirt here: the
 * reply is a string the host sent, read by a pure function
 * (tests/fuzz/fuzz-qmp-reply.c fuzzes it).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A QMP command: {"execute": @command, "arguments": @arguments}. */
char     *_kvmmig_qmp_command     (const char  *command,
                                   JsonObject  *arguments);

/* Whether QEMU's monitor accepted a command, from its @reply (NULL: no
 * reply, taken as accepted). FALSE with a KvmmigError saying why when the
 * reply is not one JSON object (or nests deeper than 64 levels, which
 * QMP never does) or has an "error" member (its "desc" string). The message
 * quotes at most 200 bytes of the reply, made valid UTF-8. */
gboolean  _kvmmig_qmp_reply_check (const char  *reply,
                                   GError     **error);

/* The ids of the mirror jobs in @reply, QEMU's reply to query-block-jobs
 * (those of a migration that copies disks), NULL-terminated and possibly
 * empty; NULL with a KvmmigError when the reply is refused (as by
 * _kvmmig_qmp_reply_check()) or holds no list of jobs. */
char    **_kvmmig_qmp_mirror_jobs (const char  *reply,
                                   GError     **error);

G_END_DECLS
