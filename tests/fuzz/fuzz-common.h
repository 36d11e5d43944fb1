/* fuzz-common.h: what the libFuzzer targets of tests/fuzz/ share: the
 * input as the C string a host's reply is (an embedded NUL ends it, as it
 * ends libvirt's strings), and the invariant of a reader's outcome: a
 * GError iff it failed, a KvmmigError whose message is valid, non-empty
 * UTF-8. fuzz-common.c, linked into each, makes GLib's criticals and
 * warnings crashes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "kvmmig-error.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Stops the run with a message libFuzzer shows with the input. */
#define FUZZ_ASSERT(cond)                                                       \
  G_STMT_START {                                                                \
    if (G_UNLIKELY (!(cond)))                                                   \
      {                                                                         \
        fprintf (stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
        abort ();                                                               \
      }                                                                         \
  } G_STMT_END

/* The input as a NUL-terminated string, as libvirt hands replies over. */
static inline char *
fuzz_string (const uint8_t *data,
             size_t         size)
{
  return g_strndup ((const char *) data, size);
}

/* @ok is the reader's outcome, @error what it set. */
static inline void
fuzz_check_outcome (gboolean      ok,
                    const GError *error)
{
  FUZZ_ASSERT (ok == (error == NULL));
  if (error != NULL)
    {
      FUZZ_ASSERT (error->domain == KVMMIG_ERROR);
      FUZZ_ASSERT (error->message != NULL && error->message[0] != '\0');
      FUZZ_ASSERT (g_utf8_validate (error->message, -1, NULL));
    }
}

/* A string a reader returned, which the library shows people and
 * bindings: valid UTF-8 (or NULL). */
static inline void
fuzz_check_string (const char *s)
{
  FUZZ_ASSERT (s == NULL || g_utf8_validate (s, -1, NULL));
}
