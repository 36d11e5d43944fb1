/* kvmmig-auth-request.c: KvmmigAuthRequest, what a host's libvirt daemon
 * asks for while the host opens, and the program's answers. libvirt calls
 * its authentication callback on the thread that opens the connection;
 * KvmmigHost turns the credentials into a request, emits
 * KvmmigHost::authenticate on its own main context, and waits here until
 * the program replies or cancels, from whatever thread. Answers that are
 * secrets are wiped once libvirt has its copy.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-auth-request-private.h"
#include "kvmmig-enum-types.h"

/**
 * KvmmigAuthRequest:
 *
 * The credentials a host's libvirt daemon asks for while the host opens,
 * for example the user name and password of a SASL login, handed to the
 * program by the [signal@Kvmmig.Host::authenticate] signal. The program
 * fills in an answer for each credential with
 * [method@Kvmmig.AuthRequest.set_answer] and then calls
 * [method@Kvmmig.AuthRequest.reply], or declines with
 * [method@Kvmmig.AuthRequest.cancel]: at once from the signal handler, or
 * later (after a dialog, say) from any thread, without blocking its main
 * loop; the host's open waits for it.
 *
 * Answers are kept only until the open hands them to libvirt, then wiped.
 * The library never logs them.
 *
 * Since: 0.2
 */

typedef struct
{
  KvmmigCredentialKind kind;
  char *prompt;
  char *challenge;
  char *default_answer;
  char *answer;
} Credential;

struct _KvmmigAuthRequest
{
  GObject parent_instance;

  char *uri;
  Credential *creds;
  guint n_creds;

  GMutex lock;
  GCond cond;
  gboolean done;
  gboolean replied;
};

G_DEFINE_FINAL_TYPE (KvmmigAuthRequest, kvmmig_auth_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URI,
  PROP_N_CREDENTIALS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wipe (char **secret)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static void
kvmmig_auth_request_finalize (GObject *object)
{
  KvmmigAuthRequest *self = KVMMIG_AUTH_REQUEST (object);

  for (guint i = 0; i < self->n_creds; i++)
    {
      g_free (self->creds[i].prompt);
      g_free (self->creds[i].challenge);
      g_free (self->creds[i].default_answer);
      wipe (&self->creds[i].answer);
    }
  g_free (self->creds);
  g_free (self->uri);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (kvmmig_auth_request_parent_class)->finalize (object);
}

static void
kvmmig_auth_request_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KvmmigAuthRequest *self = KVMMIG_AUTH_REQUEST (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_N_CREDENTIALS:
      g_value_set_uint (value, self->n_creds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_auth_request_class_init (KvmmigAuthRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kvmmig_auth_request_finalize;
  object_class->get_property = kvmmig_auth_request_get_property;

  /**
   * KvmmigAuthRequest:uri: (getter get_uri)
   *
   * The URI of the host that asks, as the host was given it (or "libvirt's
   * default URI").
   *
   * Since: 0.2
   */
  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * KvmmigAuthRequest:n-credentials: (getter get_n_credentials)
   *
   * How many credentials the host asks for.
   *
   * Since: 0.2
   */
  properties[PROP_N_CREDENTIALS] =
    g_param_spec_uint ("n-credentials", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kvmmig_auth_request_init (KvmmigAuthRequest *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

KvmmigAuthRequest *
_kvmmig_auth_request_new (const char                 *uri,
                          const virConnectCredential *creds,
                          guint                       n_creds)
{
  KvmmigAuthRequest *self = g_object_new (KVMMIG_TYPE_AUTH_REQUEST, NULL);

  self->uri = g_strdup (uri);
  self->n_creds = n_creds;
  self->creds = g_new0 (Credential, n_creds);
  for (guint i = 0; i < n_creds; i++)
    {
      /* libvirt's types start at 1 (VIR_CRED_USERNAME), in this order. */
      int type = creds[i].type;

      self->creds[i].kind = type >= VIR_CRED_USERNAME && type <= VIR_CRED_EXTERNAL
                              ? (KvmmigCredentialKind) (type - VIR_CRED_USERNAME)
                              : KVMMIG_CREDENTIAL_EXTERNAL;
      self->creds[i].prompt = g_strdup (creds[i].prompt);
      self->creds[i].challenge = g_strdup (creds[i].challenge);
      self->creds[i].default_answer = g_strdup (creds[i].defresult);
    }
  return self;
}

gboolean
_kvmmig_auth_request_is_done (KvmmigAuthRequest *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->done;
}

static void
wake (GCancellable *cancellable,
      gpointer      data)
{
  KvmmigAuthRequest *self = data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_cond_broadcast (&self->cond);
}

gboolean
_kvmmig_auth_request_wait (KvmmigAuthRequest *self,
                           GCancellable      *cancellable)
{
  gulong handler = 0;
  gboolean replied;

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake), self, NULL);

  g_mutex_lock (&self->lock);
  while (!self->done && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&self->cond, &self->lock);
  replied = self->done && self->replied;
  g_mutex_unlock (&self->lock);

  g_cancellable_disconnect (cancellable, handler);
  return replied;
}

void
_kvmmig_auth_request_fill (KvmmigAuthRequest    *self,
                           virConnectCredential *creds,
                           guint                 n_creds)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_return_if_fail (n_creds == self->n_creds);
  for (guint i = 0; i < n_creds; i++)
    {
      const char *answer = self->creds[i].answer ? self->creds[i].answer
                         : self->creds[i].default_answer ? self->creds[i].default_answer
                         : "";

      /* libvirt frees it (g_free, which is free on this platform). */
      creds[i].result = g_strdup (answer);
      creds[i].resultlen = strlen (answer);
      wipe (&self->creds[i].answer);
    }
}

static gboolean
check_index (KvmmigAuthRequest *self,
             guint              index)
{
  if (index < self->n_creds)
    return TRUE;
  g_critical ("%s: credential %u of a request with %u", G_STRFUNC, index, self->n_creds);
  return FALSE;
}

/**
 * kvmmig_auth_request_get_uri: (get-property uri)
 * @self: a request
 *
 * Gets the URI of the host that asks.
 *
 * Returns: (transfer none): the URI
 *
 * Since: 0.2
 */
const char *
kvmmig_auth_request_get_uri (KvmmigAuthRequest *self)
{
  g_return_val_if_fail (KVMMIG_IS_AUTH_REQUEST (self), NULL);
  return self->uri;
}

/**
 * kvmmig_auth_request_get_n_credentials: (get-property n-credentials)
 * @self: a request
 *
 * Gets how many credentials the host asks for.
 *
 * Returns: the number of credentials
 *
 * Since: 0.2
 */
guint
kvmmig_auth_request_get_n_credentials (KvmmigAuthRequest *self)
{
  g_return_val_if_fail (KVMMIG_IS_AUTH_REQUEST (self), 0);
  return self->n_creds;
}

/**
 * kvmmig_auth_request_get_kind:
 * @self: a request
 * @index: a credential, from 0
 *
 * Gets what the credential is.
 *
 * Returns: its kind
 *
 * Since: 0.2
 */
KvmmigCredentialKind
kvmmig_auth_request_get_kind (KvmmigAuthRequest *self,
                              guint              index)
{
  g_return_val_if_fail (KVMMIG_IS_AUTH_REQUEST (self), KVMMIG_CREDENTIAL_EXTERNAL);
  if (!check_index (self, index))
    return KVMMIG_CREDENTIAL_EXTERNAL;
  return self->creds[index].kind;
}

/**
 * kvmmig_auth_request_get_prompt:
 * @self: a request
 * @index: a credential, from 0
 *
 * Gets the prompt libvirt gives for the credential, such as "Please enter
 * your password".
 *
 * Returns: (transfer none) (nullable): the prompt
 *
 * Since: 0.2
 */
const char *
kvmmig_auth_request_get_prompt (KvmmigAuthRequest *self,
                                guint              index)
{
  g_return_val_if_fail (KVMMIG_IS_AUTH_REQUEST (self), NULL);
  return check_index (self, index) ? self->creds[index].prompt : NULL;
}

/**
 * kvmmig_auth_request_get_challenge:
 * @self: a request
 * @index: a credential, from 0
 *
 * Gets the challenge of a prompt credential, if there is one.
 *
 * Returns: (transfer none) (nullable): the challenge
 *
 * Since: 0.2
 */
const char *
kvmmig_auth_request_get_challenge (KvmmigAuthRequest *self,
                                   guint              index)
{
  g_return_val_if_fail (KVMMIG_IS_AUTH_REQUEST (self), NULL);
  return check_index (self, index) ? self->creds[index].challenge : NULL;
}

/**
 * kvmmig_auth_request_get_default:
 * @self: a request
 * @index: a credential, from 0
 *
 * Gets the answer libvirt suggests (the local user's name, say), used when
 * the credential gets no answer.
 *
 * Returns: (transfer none) (nullable): the suggested answer
 *
 * Since: 0.2
 */
const char *
kvmmig_auth_request_get_default (KvmmigAuthRequest *self,
                                 guint              index)
{
  g_return_val_if_fail (KVMMIG_IS_AUTH_REQUEST (self), NULL);
  return check_index (self, index) ? self->creds[index].default_answer : NULL;
}

/**
 * kvmmig_auth_request_is_secret:
 * @self: a request
 * @index: a credential, from 0
 *
 * Gets whether the answer is a secret, not to be shown as it is typed
 * nor logged (a password, a passphrase, a hidden prompt).
 *
 * Returns: %TRUE for a secret
 *
 * Since: 0.2
 */
gboolean
kvmmig_auth_request_is_secret (KvmmigAuthRequest *self,
                               guint              index)
{
  KvmmigCredentialKind kind = kvmmig_auth_request_get_kind (self, index);

  return kind == KVMMIG_CREDENTIAL_PASSPHRASE || kind == KVMMIG_CREDENTIAL_NO_ECHO_PROMPT;
}

/**
 * kvmmig_auth_request_set_answer:
 * @self: a request
 * @index: a credential, from 0
 * @answer: (nullable): the answer, or %NULL for none (the default then)
 *
 * Sets the answer to one credential. Call it before
 * [method@Kvmmig.AuthRequest.reply]; the request keeps a copy until
 * libvirt has it, then wipes it.
 *
 * Since: 0.2
 */
void
kvmmig_auth_request_set_answer (KvmmigAuthRequest *self,
                                guint              index,
                                const char        *answer)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (KVMMIG_IS_AUTH_REQUEST (self));
  if (!check_index (self, index))
    return;
  locker = g_mutex_locker_new (&self->lock);
  wipe (&self->creds[index].answer);
  self->creds[index].answer = g_strdup (answer);
}

static void
finish (KvmmigAuthRequest *self,
        gboolean           replied)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (self->done)
    return;
  self->done = TRUE;
  self->replied = replied;
  g_cond_broadcast (&self->cond);
}

/**
 * kvmmig_auth_request_reply:
 * @self: a request
 *
 * Hands the answers set so far to the host, which goes on opening. Call
 * it once, from any thread; after it, or after
 * [method@Kvmmig.AuthRequest.cancel], further calls do nothing.
 *
 * Since: 0.2
 */
void
kvmmig_auth_request_reply (KvmmigAuthRequest *self)
{
  g_return_if_fail (KVMMIG_IS_AUTH_REQUEST (self));
  finish (self, TRUE);
}

/**
 * kvmmig_auth_request_cancel:
 * @self: a request
 *
 * Declines to answer: the host's open fails with
 * %KVMMIG_ERROR_AUTH_FAILED.
 *
 * Since: 0.2
 */
void
kvmmig_auth_request_cancel (KvmmigAuthRequest *self)
{
  g_return_if_fail (KVMMIG_IS_AUTH_REQUEST (self));
  finish (self, FALSE);
}
