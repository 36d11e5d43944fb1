/* fuzz-pool-xml.c: libFuzzer target for the reading of the storage XML a
 * host sends (libkvmmig/storage/kvmmig-pool-xml.c): a pool's definition
 * (_kvmmig_pool_xml_read, and _kvmmig_store_pool_matches, which compares
 * it with the pool each store kind would define), a volume's format and
 * the volume groups of libvirt's pool source discovery. Each reader gets
 * every input. Checks: no crash, no leak, a KvmmigError iff the XML cannot
 * be read, the readers agree on that, valid UTF-8 out.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "kvmmig-pool-xml-private.h"
#include "kvmmig-store-private.h"

/* Pools as the store kinds define them (tests/unit/test-shared-store.c
 * compares the same). */
static const char *const wanted_pools[] = {
  "<pool type='dir'><name>st-dir</name><target><path>/st/shared</path></target></pool>",
  ("<pool type='netfs'><name>st-nfs</name><source><host name='nfs.example'/>"
   "<dir path='/export/vm'/><format type='nfs'/></source>"
   "<target><path>/var/lib/kvmmig/st-nfs</path></target></pool>"),
  ("<pool type='iscsi'><name>st-iscsi</name><source><host name='10.0.0.1' port='3260'/>"
   "<device path='iqn.2024-01.org.example:store'/></source>"
   "<target><path>/dev/disk/by-path</path></target></pool>"),
  ("<pool type='logical'><name>st-vg</name><source><name>vg0</name>"
   "<format type='lvm2'/></source></pool>"),
};

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_string (data, size);
  g_autoptr(GError) pool_error = NULL;
  g_autoptr(GError) volume_error = NULL;
  g_autoptr(GError) sources_error = NULL;
  g_autoptr(KvmmigPoolXml) pool = NULL;
  g_autofree char *format = NULL;
  g_auto(GStrv) names = NULL;
  gboolean ok;

  pool = _kvmmig_pool_xml_read (text, "the definition of storage pool 'fuzz'", &pool_error);
  fuzz_check_outcome (pool != NULL, pool_error);
  if (pool != NULL)
    {
      fuzz_check_string (pool->type);
      fuzz_check_string (pool->name);
      fuzz_check_string (pool->source_host);
      fuzz_check_string (pool->source_port);
      fuzz_check_string (pool->source_device);
      fuzz_check_string (pool->source_dir);
      fuzz_check_string (pool->source_name);
      fuzz_check_string (pool->target_path);
    }

  ok = _kvmmig_volume_xml_read_format (text, "the definition of volume 'fuzz'", &format,
                                       &volume_error);
  fuzz_check_outcome (ok, volume_error);
  FUZZ_ASSERT (ok || format == NULL);
  fuzz_check_string (format);

  names = _kvmmig_pool_sources_read (text, "the volume groups of host 'fuzz'", &sources_error);
  fuzz_check_outcome (names != NULL, sources_error);
  for (guint i = 0; names && names[i]; i++)
    fuzz_check_string (names[i]);

  /* One document, one verdict. */
  FUZZ_ASSERT ((pool != NULL) == ok && (names != NULL) == ok);

  for (gsize i = 0; i < G_N_ELEMENTS (wanted_pools); i++)
    {
      g_autofree char *what = NULL;
      gboolean same = _kvmmig_store_pool_matches (text, wanted_pools[i], &what);

      FUZZ_ASSERT (!same || what == NULL);
      FUZZ_ASSERT (pool != NULL || what == NULL);
      fuzz_check_string (what);
    }
  return 0;
}
