/* kvmmig-libvirt.c: glue between libvirt and the rest of the library:
 * one-time initialisation (including libvirt's event loop, see
 * kvmmig-event-loop.c) and the translation of libvirt errors into
 * KvmmigError; libvirt URIs: their validation and whether one names this
 * machine.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-event-loop-private.h"
#include "kvmmig-libvirt-private.h"

static void
quiet_error_handler (void           *user_data,
                     virErrorPtr     error)
{
  /* libvirt's default handler prints every error to stderr; errors reach
   * the caller as GErrors instead. */
}

/*
 * _kvmmig_libvirt_init:
 *
 * Initialises libvirt once per process: thread-safe library init, and
 * libvirt's event loop on a private thread unless the application
 * registered its own first; with the library's own loop, libvirt's
 * process-wide error printing is silenced too (with the application's, the
 * application owns that: see _kvmmig_libvirt_quiet_connection()). Must run
 * before the first connection is opened, which is why KvmmigHost calls it
 * from its class_init.
 */
void
_kvmmig_libvirt_init (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      if (virInitialize () < 0)
        g_critical ("libkvmmig: libvirt failed to initialise");

      if (_kvmmig_event_loop_start () == KVMMIG_EVENT_LOOP_OWNER_LIBRARY)
        virSetErrorFunc (NULL, quiet_error_handler);

      g_once_init_leave (&initialised, 1);
    }
}

/*
 * _kvmmig_libvirt_quiet_connection:
 *
 * Keeps libvirt from printing the errors of @conn, a connection the
 * library opened, whatever the process-wide handler is: they reach the
 * caller as GErrors.
 */
void
_kvmmig_libvirt_quiet_connection (virConnectPtr conn)
{
  virConnSetErrorFunc (conn, NULL, quiet_error_handler);
}

/*
 * _kvmmig_host_name_is_valid:
 *
 * Returns: whether @host is an IP address or shaped like a DNS name
 */
gboolean
_kvmmig_host_name_is_valid (const char *host)
{
  gboolean ok;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  ok = *host != '\0' && strlen (host) <= 253 && host[0] != '-' && host[0] != '.';
  for (const char *p = host; ok && *p; p++)
    ok = g_ascii_isalnum (*p) || *p == '-' || *p == '.' || *p == '_';
  return ok;
}

/*
 * _kvmmig_uri_is_local:
 *
 * Returns: whether @uri names the machine this library runs on (no host,
 * localhost, a loopback address)
 */
gboolean
_kvmmig_uri_is_local (const char *uri)
{
  g_autoptr(GUri) parsed = uri ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host;

  if (parsed == NULL)
    return FALSE;

  host = g_uri_get_host (parsed);
  return host == NULL || *host == '\0' ||
         g_ascii_strcasecmp (host, "localhost") == 0 ||
         g_str_has_prefix (host, "127.") || g_str_equal (host, "::1");
}

/*
 * _kvmmig_validate_uri:
 *
 * Checks that @uri looks like a libvirt connection URI before libvirt sees
 * it, so that a typo gives KVMMIG_ERROR_INVALID_ARGUMENT rather than a
 * connection error.
 */
gboolean
_kvmmig_validate_uri (const char  *uri,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GUri) parsed = NULL;
  const char *host;

  if (uri == NULL || *uri == '\0')
    {
      g_set_error_literal (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                           "host URI is empty; expected a libvirt URI such as "
                           "qemu+tcp://HOST/system");
      return FALSE;
    }

  if (!g_utf8_validate (uri, -1, NULL))
    {
      g_autofree char *escaped = g_strescape (uri, NULL);
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "host URI '%s' is not valid UTF-8", escaped);
      return FALSE;
    }

  for (const char *p = uri; *p; p++)
    if (!g_ascii_isgraph (*p))
      {
        g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                     "'%s' is not a valid libvirt URI: it may hold only printable "
                     "ASCII (percent-encode anything else); expected for example "
                     "qemu+tcp://HOST/system", uri);
        return FALSE;
      }

  /* An alias: libvirt looks it up in its client configuration when the
   * host is opened, and says so if it is not there. */
  if (_kvmmig_uri_is_alias (uri))
    return TRUE;

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, &local_error);
  if (parsed == NULL)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "'%s' is not a valid libvirt URI: %s; expected for "
                   "example qemu+tcp://HOST/system",
                   uri, local_error->message);
      return FALSE;
    }

  /* A host must be an IP address or a DNS name: anything else (quotes,
   * "$(...)", spaces) is refused here, before libvirt tries to resolve it. */
  host = g_uri_get_host (parsed);
  if (host != NULL && *host != '\0' && !_kvmmig_host_name_is_valid (host))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "'%s' is not a valid libvirt URI: host '%s' is neither an IP "
                   "address nor a DNS name", uri, host);
      return FALSE;
    }

  return TRUE;
}

/* A UUID as libvirt reads one: 32 hex digits, with or without the four
 * hyphens of the usual form. */
static gboolean
is_uuid (const char *s)
{
  guint digits = 0;

  for (; *s != '\0'; s++)
    {
      if (g_ascii_isxdigit (*s))
        digits++;
      else if (*s != '-')
        return FALSE;
    }
  return digits == 32;
}

virDomainPtr
_kvmmig_lookup_domain (virConnectPtr  conn,
                       const char    *guest)
{
  virDomainPtr domain;
  guint64 id;

  if (g_ascii_string_to_unsigned (guest, 10, 0, G_MAXINT, &id, NULL))
    {
      domain = virDomainLookupByID (conn, (int) id);
      if (domain != NULL || _kvmmig_libvirt_last_error_code () != VIR_ERR_NO_DOMAIN)
        return domain;
    }
  if (is_uuid (guest))
    {
      domain = virDomainLookupByUUIDString (conn, guest);
      if (domain != NULL || _kvmmig_libvirt_last_error_code () != VIR_ERR_NO_DOMAIN)
        return domain;
    }
  virResetLastError ();
  return virDomainLookupByName (conn, guest);
}

gboolean
_kvmmig_uri_is_alias (const char *uri)
{
  /* libvirt's own rule for alias names (URI_ALIAS_CHARS, viruri.c). */
  return uri != NULL && *uri != '\0' &&
         strspn (uri, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789_-") == strlen (uri);
}

static KvmmigError
map_libvirt_error (const virError *err,
                   KvmmigError     fallback)
{
  if (err == NULL)
    return fallback;

  switch (err->code)
    {
    case VIR_ERR_NO_DOMAIN:
      return KVMMIG_ERROR_GUEST_NOT_FOUND;

    case VIR_ERR_DOM_EXIST:
      return KVMMIG_ERROR_GUEST_EXISTS;

    case VIR_ERR_AUTH_FAILED:
    case VIR_ERR_AUTH_CANCELLED:
    case VIR_ERR_AUTH_UNAVAILABLE:
      return KVMMIG_ERROR_AUTH_FAILED;

    case VIR_ERR_NO_SUPPORT:
    case VIR_ERR_OPERATION_UNSUPPORTED:
    case VIR_ERR_ARGUMENT_UNSUPPORTED:
      return KVMMIG_ERROR_NOT_SUPPORTED;

    case VIR_ERR_INVALID_ARG:
    case VIR_ERR_XML_ERROR:
    case VIR_ERR_INVALID_CONN:
      return KVMMIG_ERROR_INVALID_ARGUMENT;

    case VIR_ERR_NO_CONNECT:
      /* "no connection driver available for foo:///": a bad scheme */
      if (err->message && strstr (err->message, "no connection driver"))
        return KVMMIG_ERROR_INVALID_ARGUMENT;
      return fallback == KVMMIG_ERROR_HOST_UNREACHABLE
               ? KVMMIG_ERROR_HOST_UNREACHABLE
               : KVMMIG_ERROR_CONNECTION_LOST;

    default:
      break;
    }

  /* A broken transport after the host was opened. */
  if (fallback != KVMMIG_ERROR_HOST_UNREACHABLE &&
      (err->domain == VIR_FROM_RPC || err->domain == VIR_FROM_REMOTE) &&
      (err->code == VIR_ERR_INTERNAL_ERROR ||
       err->code == VIR_ERR_RPC ||
       err->code == VIR_ERR_SYSTEM_ERROR))
    return KVMMIG_ERROR_CONNECTION_LOST;

  return fallback;
}

/*
 * _kvmmig_set_libvirt_error:
 * @error: the GError to set
 * @fallback: the code to use when libvirt's error maps to nothing specific
 * @uri: (nullable): the URI of the host the call was made on
 * @format: what the library was doing, printf-style
 *
 * Sets @error from the calling thread's last libvirt error, as
 * "URI: what: libvirt's message", and clears libvirt's error.
 */
void
_kvmmig_set_libvirt_error (GError      **error,
                           KvmmigError   fallback,
                           const char   *uri,
                           const char   *format,
                           ...)
{
  g_autofree char *what = NULL;
  virErrorPtr err;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  err = virGetLastError ();
  /* An aborted operation is a cancel, in GIO's domain as everywhere in GIO. */
  g_set_error (error,
               err && err->code == VIR_ERR_OPERATION_ABORTED ? G_IO_ERROR : KVMMIG_ERROR,
               err && err->code == VIR_ERR_OPERATION_ABORTED ? G_IO_ERROR_CANCELLED
                                                             : (int) map_libvirt_error (err, fallback),
               "%s%s%s%s%s",
               uri ? uri : "", uri ? ": " : "",
               what,
               err && err->message ? ": " : "",
               err && err->message ? err->message : "");
  virResetLastError ();
}

/*
 * _kvmmig_libvirt_last_error_code:
 *
 * Returns: the virErrorNumber of the calling thread's last libvirt error,
 *   or VIR_ERR_OK
 */
int
_kvmmig_libvirt_last_error_code (void)
{
  virErrorPtr err = virGetLastError ();

  return err ? err->code : VIR_ERR_OK;
}

/*
 * _kvmmig_libvirt_take_message:
 * @code: (out) (optional): the error's virErrorNumber, or VIR_ERR_OK
 *
 * Takes the calling thread's last libvirt error: its message (or "unknown
 * libvirt error"), which the caller frees; the error is reset.
 */
char *
_kvmmig_libvirt_take_message (int *code)
{
  virErrorPtr err = virGetLastError ();
  char *message = g_strdup (err && err->message ? err->message : "unknown libvirt error");

  if (code)
    *code = err ? err->code : VIR_ERR_OK;
  virResetLastError ();
  return message;
}

/*
 * _kvmmig_check_cancelled:
 *
 * Returns: %TRUE, and sets G_IO_ERROR_CANCELLED naming @uri and @what,
 *   when @cancellable is cancelled
 */
gboolean
_kvmmig_check_cancelled (GCancellable  *cancellable,
                         const char    *uri,
                         const char    *what,
                         GError       **error)
{
  if (cancellable == NULL || !g_cancellable_is_cancelled (cancellable))
    return FALSE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
               "%s: %s: cancelled", uri, what);
  return TRUE;
}
