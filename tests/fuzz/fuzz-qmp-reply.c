/* fuzz-qmp-reply.c: libFuzzer target for the reading of a reply of QEMU's
 * monitor (the JSON virDomainQemuMonitorCommand passes on from the host),
 * _kvmmig_qmp_reply_check() in libkvmmig/migration/kvmmig-qmp.c: no crash,
 * no leak, a KvmmigError iff the reply is not an accepted command's; and
 * _kvmmig_qmp_mirror_jobs(), the reading of a reply to query-block-jobs,
 * likewise.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "kvmmig-qmp-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *reply = fuzz_string (data, size);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = _kvmmig_qmp_reply_check (reply, &error);
  fuzz_check_outcome (ok, error);
  g_clear_error (&error);

  {
    g_auto(GStrv) ids = _kvmmig_qmp_mirror_jobs (reply, &error);

    fuzz_check_outcome (ids != NULL, error);
    for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
      FUZZ_ASSERT (*ids[i] != '\0');
  }
  return 0;
}
