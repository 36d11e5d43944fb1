/* kvmmig-auth-request-private.h: how KvmmigHost makes a KvmmigAuthRequest
 * from libvirt's credentials, waits for the program's answer, and hands
 * the answers back to libvirt.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "kvmmig-auth-request.h"

G_BEGIN_DECLS

/* A request for @creds (not kept: their texts are copied). */
KvmmigAuthRequest *_kvmmig_auth_request_new    (const char           *uri,
                                                const virConnectCredential *creds,
                                                guint                 n_creds);

/* Blocks until the request was replied to or cancelled (from any thread),
 * or @cancellable is; TRUE if replied. */
gboolean           _kvmmig_auth_request_wait   (KvmmigAuthRequest    *self,
                                                GCancellable         *cancellable);

/* Whether the request was replied to or cancelled. */
gboolean           _kvmmig_auth_request_is_done (KvmmigAuthRequest   *self);

/* Copies the answers into @creds (result, resultlen; an unanswered one
 * gets its default, or ""), as libvirt frees them, and wipes the
 * request's own copies. */
void               _kvmmig_auth_request_fill   (KvmmigAuthRequest    *self,
                                                virConnectCredential *creds,
                                                guint                 n_creds);

G_END_DECLS
