/* fuzz-capabilities-xml.c: libFuzzer target for the reading of a host's
 * capabilities (virConnectGetCapabilities: _kvmmig_capabilities_read in
 * libkvmmig/host/kvmmig-host-info.c, through libvirt-gconfig) and domain
 * capabilities (virConnectGetDomainCapabilities: _kvmmig_domcaps_allow_cpu
 * in libkvmmig/preflight/kvmmig-preflight-cpu.c, asked for each CPU mode,
 * without a model and with one of two), and the machine types a host has
 * (_kvmmig_capabilities_machines, of the pre-flight check "machine-type",
 * for x86_64 kvm guests). Each reader gets every input. Checks: no
 * crash, no leak, a KvmmigError iff the XML cannot be read, a reason iff
 * the CPU is refused, valid UTF-8 out.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "kvmmig-host-info-private.h"
#include "kvmmig-preflight-check-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const modes[] = { "custom", "host-model", "host-passthrough", "maximum",
                                       "none" };
  /* Without a model, and with one of two (each parse costs). */
  const char *const models[] = { NULL, size % 2 ? "Skylake-Client-IBRS" : "qemu64" };
  g_autofree char *text = fuzz_string (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *arch = NULL;
  g_autofree char *model = NULL;
  gboolean ok;

  ok = _kvmmig_capabilities_read (text, "the capabilities of host 'fuzz'", &uuid, &arch,
                                  &model, &error);
  fuzz_check_outcome (ok, error);
  FUZZ_ASSERT (ok || (uuid == NULL && arch == NULL && model == NULL));
  fuzz_check_string (uuid);
  fuzz_check_string (arch);
  fuzz_check_string (model);

  {
    g_autoptr(GPtrArray) machines = _kvmmig_capabilities_machines (text, "x86_64", "kvm");

    for (guint i = 0; machines != NULL && i < machines->len; i++)
      {
        const char *m = g_ptr_array_index (machines, i);

        FUZZ_ASSERT (m != NULL && *m != '\0');
        fuzz_check_string (m);
      }
  }

  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++)
    for (gsize j = 0; j < G_N_ELEMENTS (models); j++)
      {
        g_autofree char *why = NULL;
        gboolean allowed = _kvmmig_domcaps_allow_cpu (text, modes[i], models[j], &why);

        FUZZ_ASSERT (allowed == (why == NULL));
        fuzz_check_string (why);
      }
  return 0;
}
