/* kvmmig-preflight-check.c: how a pre-flight check records its outcome,
 * as a KvmmigCheck, the first failure kept as the migration's error.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-check-private.h"

void
_kvmmig_preflight_record (KvmmigPreflight   *pf,
                          const char        *id,
                          const char        *title,
                          KvmmigCheckStatus  status,
                          KvmmigError        code,
                          const char        *format,
                          ...)
{
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (status == KVMMIG_CHECK_STATUS_FAILED)
    {
      error = g_error_new_literal (KVMMIG_ERROR, code, message);
      if (pf->first_error == NULL)
        pf->first_error = g_error_copy (error);
    }

  g_debug ("pre-flight %s: %d: %s", id, status, message);
  g_ptr_array_add (pf->checks, _kvmmig_check_new (id, title, status, message, error));
}

gboolean
_kvmmig_preflight_disk_is_copied (KvmmigPreflight        *pf,
                                  const KvmmigDiskSource *disk)
{
  for (guint i = 0; pf->copies != NULL && i < pf->copies->len; i++)
    if (g_strcmp0 (((KvmmigDiskCopy *) g_ptr_array_index (pf->copies, i))->target,
                   disk->target) == 0)
      return TRUE;
  return FALSE;
}
