/* kvmmig-preflight-options.c: the pre-flight check "options": the job's
 * options agree with each other and are in range (checked here rather
 * than by the property setters, so that a bad value from any language
 * gives a KvmmigError that names it).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-check-private.h"


#define MAX_BANDWIDTH_MIB KVMMIG_MIGRATION_MAX_BANDWIDTH_MIB
#define MAX_DOWNTIME_MS   KVMMIG_MIGRATION_MAX_DOWNTIME_MS
#define MAX_PARALLEL      255

gboolean
_kvmmig_options_validate (const KvmmigMigrationOptions  *o,
                          const char                    *source_uri,
                          GError                       **error)
{
  if (o->bandwidth_limit < 0 || o->bandwidth_limit > MAX_BANDWIDTH_MIB)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: bandwidth-limit %d MiB/s is out of range: 0 (no limit) "
                   "to %d", source_uri, o->bandwidth_limit, MAX_BANDWIDTH_MIB);
      return FALSE;
    }

  if (o->max_downtime_ms < 1 || o->max_downtime_ms > MAX_DOWNTIME_MS)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: max-downtime-ms %d is out of range: 1 to %d",
                   source_uri, o->max_downtime_ms, MAX_DOWNTIME_MS);
      return FALSE;
    }

  if (o->parallel_connections < 0 || o->parallel_connections > MAX_PARALLEL)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: parallel-connections %d is out of range: 0 to %d",
                   source_uri, o->parallel_connections, MAX_PARALLEL);
      return FALSE;
    }

  if (o->postcopy_recovery_timeout_ms < 0)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: postcopy-recovery-timeout-ms %d is out of range: 0 (do not "
                   "retry) or a positive number of ms", source_uri,
                   o->postcopy_recovery_timeout_ms);
      return FALSE;
    }

  if (o->completion_timeout_ms < -1)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: completion-timeout-ms %d is out of range: -1 (none), 0 "
                   "(automatic) or a positive number of ms", source_uri,
                   o->completion_timeout_ms);
      return FALSE;
    }

  if (o->compression == KVMMIG_COMPRESSION_ZSTD && o->parallel_connections < 2)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: compression zstd needs parallel-connections of 2 or more "
                   "(it is %d)", source_uri, o->parallel_connections);
      return FALSE;
    }

  if (o->compression == KVMMIG_COMPRESSION_XBZRLE && o->parallel_connections >= 2)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: compression xbzrle cannot be combined with "
                   "parallel-connections (%d); use zstd", source_uri,
                   o->parallel_connections);
      return FALSE;
    }

  if (o->policy == KVMMIG_MIGRATION_POLICY_POSTCOPY &&
      o->compression != KVMMIG_COMPRESSION_NONE)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                   "%s: policy postcopy cannot be combined with compression",
                   source_uri);
      return FALSE;
    }

  if (o->migration_uri != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (o->migration_uri, G_URI_FLAGS_NONE, NULL);
      const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

      if (uri == NULL || g_uri_get_host (uri) == NULL ||
          !_kvmmig_host_name_is_valid (g_uri_get_host (uri)) ||
          (g_strcmp0 (scheme, "tcp") != 0 && g_strcmp0 (scheme, "rdma") != 0))
        {
          g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT,
                       "%s: migration-uri '%s' is not of the form "
                       "tcp://ADDRESS[:PORT]", source_uri, o->migration_uri);
          return FALSE;
        }
    }

  return TRUE;
}
void
_kvmmig_preflight_check_options (KvmmigPreflight *pf)
{
  g_autoptr(GError) error = NULL;

  if (_kvmmig_options_validate (pf->in->options, pf->in->source_uri, &error))
    _kvmmig_preflight_record (pf, "options", "The options agree with each other",
                              KVMMIG_CHECK_STATUS_PASSED, 0, "options are consistent");
  else
    _kvmmig_preflight_record (pf, "options", "The options agree with each other",
                              KVMMIG_CHECK_STATUS_FAILED, error->code, "%s", error->message);
}
