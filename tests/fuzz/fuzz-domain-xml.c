/* fuzz-domain-xml.c: libFuzzer target for the reading of a guest's
 * definition as a host sends it (virDomainGetXMLDesc): the disks
 * (_kvmmig_disk_sources_from_xml in libkvmmig/storage/kvmmig-disk.c, as the
 * pre-flight checks, a store's in-use check and the LVM release read them,
 * with what the storage and cache-mode checks make of each disk) and the
 * guest's virt type, arch, machine and CPU (_kvmmig_guest_cpu_read in
 * libkvmmig/preflight/kvmmig-preflight-cpu.c). Checks: no crash, no leak,
 * a KvmmigError iff the XML cannot be read, valid UTF-8 out.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "kvmmig-disk-private.h"
#include "kvmmig-preflight-check-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char what[] = "the definition of guest 'fuzz'";
  g_autofree char *text = fuzz_string (data, size);
  g_auto(KvmmigXml) xml = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) disks_error = NULL;
  g_autoptr(GPtrArray) disks = NULL;
  gboolean ok;

  /* As the pre-flight reads it: the document, then its disks. */
  ok = _kvmmig_xml_read (&xml, text, what, &error);
  fuzz_check_outcome (ok, error);

  if (ok)
    {
      g_auto(KvmmigGuestCpu) cpu = { 0 };

      _kvmmig_guest_cpu_read (&xml, &cpu);
      fuzz_check_string (cpu.virttype);
      fuzz_check_string (cpu.arch);
      fuzz_check_string (cpu.machine);
      fuzz_check_string (cpu.mode);
      fuzz_check_string (cpu.model);
      fuzz_check_string (cpu.cpu_xml);
      FUZZ_ASSERT (cpu.model == NULL || cpu.mode != NULL);
    }

  disks = _kvmmig_disk_sources_from_xml (text, what, &disks_error);
  fuzz_check_outcome (disks != NULL, disks_error);
  /* The same text reads the same both times. */
  FUZZ_ASSERT ((disks != NULL) == ok);

  for (guint i = 0; disks && i < disks->len; i++)
    {
      const KvmmigDiskSource *disk = g_ptr_array_index (disks, i);
      g_autofree char *described = _kvmmig_disk_source_describe (disk);

      FUZZ_ASSERT (described != NULL);
      fuzz_check_string (described);
      fuzz_check_string (disk->type);
      fuzz_check_string (disk->target);
      fuzz_check_string (disk->cache);
      (void) _kvmmig_disk_source_has_source (disk);
    }
  return 0;
}
