/* kvmmig-auth-request.h: KvmmigAuthRequest, what a host's libvirt daemon
 * asks for while the host opens (a SASL user name and password, ...), as
 * the KvmmigHost::authenticate signal hands it to the program, and the
 * program's answers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(KVMMIG_INSIDE) && !defined(KVMMIG_COMPILATION)
#error "Only <libkvmmig/kvmmig.h> can be included directly."
#endif

#include <glib-object.h>

#include "kvmmig-types.h"
#include "kvmmig-version-macros.h"

G_BEGIN_DECLS

/**
 * KvmmigCredentialKind:
 * @KVMMIG_CREDENTIAL_USERNAME: the user's name
 * @KVMMIG_CREDENTIAL_AUTHNAME: the name to authorize as
 * @KVMMIG_CREDENTIAL_LANGUAGE: an RFC 1766 language code
 * @KVMMIG_CREDENTIAL_CNONCE: a client nonce
 * @KVMMIG_CREDENTIAL_PASSPHRASE: a password or passphrase: not shown as typed
 * @KVMMIG_CREDENTIAL_ECHO_PROMPT: an answer to a challenge, shown as typed
 * @KVMMIG_CREDENTIAL_NO_ECHO_PROMPT: an answer to a challenge, not shown
 * @KVMMIG_CREDENTIAL_REALM: an authentication realm
 * @KVMMIG_CREDENTIAL_EXTERNAL: an externally managed credential
 *
 * What one credential of a [class@Kvmmig.AuthRequest] is: libvirt's
 * `virConnectCredentialType`, in the same order.
 *
 * Since: 0.2
 */
typedef enum {
  KVMMIG_CREDENTIAL_USERNAME,
  KVMMIG_CREDENTIAL_AUTHNAME,
  KVMMIG_CREDENTIAL_LANGUAGE,
  KVMMIG_CREDENTIAL_CNONCE,
  KVMMIG_CREDENTIAL_PASSPHRASE,
  KVMMIG_CREDENTIAL_ECHO_PROMPT,
  KVMMIG_CREDENTIAL_NO_ECHO_PROMPT,
  KVMMIG_CREDENTIAL_REALM,
  KVMMIG_CREDENTIAL_EXTERNAL,
} KvmmigCredentialKind;

#define KVMMIG_TYPE_AUTH_REQUEST (kvmmig_auth_request_get_type ())

KVMMIG_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (KvmmigAuthRequest, kvmmig_auth_request, KVMMIG, AUTH_REQUEST, GObject)

KVMMIG_AVAILABLE_IN_ALL
const char           *kvmmig_auth_request_get_uri             (KvmmigAuthRequest *self);
KVMMIG_AVAILABLE_IN_ALL
guint                 kvmmig_auth_request_get_n_credentials   (KvmmigAuthRequest *self);
KVMMIG_AVAILABLE_IN_ALL
KvmmigCredentialKind  kvmmig_auth_request_get_kind            (KvmmigAuthRequest *self,
                                                               guint              index);
KVMMIG_AVAILABLE_IN_ALL
const char           *kvmmig_auth_request_get_prompt          (KvmmigAuthRequest *self,
                                                               guint              index);
KVMMIG_AVAILABLE_IN_ALL
const char           *kvmmig_auth_request_get_challenge       (KvmmigAuthRequest *self,
                                                               guint              index);
KVMMIG_AVAILABLE_IN_ALL
const char           *kvmmig_auth_request_get_default         (KvmmigAuthRequest *self,
                                                               guint              index);
KVMMIG_AVAILABLE_IN_ALL
gboolean              kvmmig_auth_request_is_secret           (KvmmigAuthRequest *self,
                                                               guint              index);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_auth_request_set_answer          (KvmmigAuthRequest *self,
                                                               guint              index,
                                                               const char        *answer);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_auth_request_reply               (KvmmigAuthRequest *self);
KVMMIG_AVAILABLE_IN_ALL
void                  kvmmig_auth_request_cancel              (KvmmigAuthRequest *self);

G_END_DECLS
