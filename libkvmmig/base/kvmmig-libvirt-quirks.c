/* kvmmig-libvirt-quirks.c: known bugs of released libvirt that the library
 * steers around (see kvmmig-libvirt-quirks-private.h). Each entry says
 * which versions have the bug, as read in their sources, and what it does.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-libvirt-quirks-private.h"

typedef struct
{
  const char *name;
  unsigned long first;          /* first version with the bug */
  unsigned long fixed;          /* first version known without it; 0: none known */
  const char *what;
} QuirkInfo;

static const QuirkInfo quirks[] = {
  [KVMMIG_LIBVIRT_QUIRK_POSTCOPY_RESUME_CRASH] = {
    "postcopy-resume",
    /* 11.3.0 is the release read and run here (Debian's 11.3.0-2~bpo12+1);
     * earlier and later releases were not checked, so the range is just it. */
    11003000, 11004000,
    "crashes (SIGSEGV) when asked to resume a post-copy migration: "
    "qemuMigrationDstPrepareResume() passes a NULL file descriptor that "
    "qemuProcessIncomingDefNew() reads",
  },
};

const char *
_kvmmig_libvirt_quirk_name (KvmmigLibvirtQuirk quirk)
{
  g_return_val_if_fail (quirk < G_N_ELEMENTS (quirks), NULL);
  return quirks[quirk].name;
}

gboolean
_kvmmig_libvirt_version_has_quirk (unsigned long      version,
                                   KvmmigLibvirtQuirk quirk)
{
  const QuirkInfo *q;

  g_return_val_if_fail (quirk < G_N_ELEMENTS (quirks), FALSE);
  q = &quirks[quirk];
  return version >= q->first && (q->fixed == 0 || version < q->fixed);
}

static gboolean
assumed_fixed (const char *name)
{
  const char *env = g_getenv ("KVMMIG_ASSUME_FIXED_LIBVIRT");
  g_auto(GStrv) names = NULL;

  if (env == NULL)
    return FALSE;
  names = g_strsplit (env, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (g_strstrip (names[i]), name) == 0)
      return TRUE;
  return FALSE;
}

gboolean
_kvmmig_libvirt_has_quirk (virConnectPtr      conn,
                           KvmmigLibvirtQuirk quirk,
                           char             **why)
{
  unsigned long version = 0;
  const QuirkInfo *q;

  g_return_val_if_fail (quirk < G_N_ELEMENTS (quirks), FALSE);
  q = &quirks[quirk];
  if (conn == NULL || virConnectGetLibVersion (conn, &version) < 0)
    {
      virResetLastError ();
      return FALSE;
    }
  if (!_kvmmig_libvirt_version_has_quirk (version, quirk) || assumed_fixed (q->name))
    return FALSE;
  if (why != NULL)
    *why = g_strdup_printf ("libvirt %lu.%lu.%lu %s (a libvirt bug; if this build has "
                            "the fix, set KVMMIG_ASSUME_FIXED_LIBVIRT=%s)",
                            version / 1000000, version / 1000 % 1000, version % 1000,
                            q->what, q->name);
  return TRUE;
}
