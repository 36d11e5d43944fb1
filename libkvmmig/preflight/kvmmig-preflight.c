/* kvmmig-preflight.c: runs the pre-flight checks of a migration job, in
 * the order of one table. Each check (kvmmig-preflight-ID.c) reads the
 * two hosts through libvirt and changes nothing, except that the
 * destination's storage pools are refreshed to see whether it reaches the
 * guest's disks. Every check becomes a KvmmigCheck; the first failure
 * becomes the job's error.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-private.h"

/* What a check needs from the checks before it. */
typedef enum
{
  /* Nothing: runs whatever happened before. */
  NEEDS_NOTHING,
  /* The guest found on the source, the destination answering, and no
   * check failed before the first such check ran. */
  NEEDS_GUEST,
  /* As NEEDS_GUEST, and the guest's definition parsed (xml, disks). */
  NEEDS_DEFINITION,
} Needs;

typedef struct
{
  const char *id;
  Needs needs;
  void (*run) (KvmmigPreflight *pf);
} Check;

/* The order in which they run, which is the order a user reads them in. */
static const Check checks[] = {
  { "options",       NEEDS_NOTHING,    _kvmmig_preflight_check_options },
  { "source-guest",  NEEDS_NOTHING,    _kvmmig_preflight_check_source_guest },
  { "destination",   NEEDS_NOTHING,    _kvmmig_preflight_check_destination },
  { "no-active-job", NEEDS_GUEST,      _kvmmig_preflight_check_no_active_job },
  { "cluster-managed", NEEDS_GUEST,    _kvmmig_preflight_check_cluster_managed },
  { "name-free",     NEEDS_GUEST,      _kvmmig_preflight_check_name_free },
  { "memory",        NEEDS_GUEST,      _kvmmig_preflight_check_memory },
  { "qemu-version",  NEEDS_GUEST,      _kvmmig_preflight_check_qemu_version },
  { "machine-type",  NEEDS_DEFINITION, _kvmmig_preflight_check_machine_type },
  { "cpu",           NEEDS_DEFINITION, _kvmmig_preflight_check_cpu },
  { "copy-storage",  NEEDS_DEFINITION, _kvmmig_preflight_check_copy_storage },
  { "storage",       NEEDS_DEFINITION, _kvmmig_preflight_check_storage },
  { "cache-mode",    NEEDS_DEFINITION, _kvmmig_preflight_check_cache_mode },
  { "disk-locking",  NEEDS_DEFINITION, _kvmmig_preflight_check_disk_locking },
  { "postcopy",      NEEDS_GUEST,      _kvmmig_preflight_check_postcopy },
};

void
_kvmmig_preflight_result_clear (KvmmigPreflightResult *result)
{
  g_clear_pointer (&result->checks, g_ptr_array_unref);
  g_clear_pointer (&result->domain, virDomainFree);
  g_clear_pointer (&result->uuid, g_free);
  g_clear_pointer (&result->copies, g_ptr_array_unref);
}

/* What the checks after source-guest read of the guest. */
static void
read_guest (KvmmigPreflight *pf)
{
  if (virDomainGetUUIDString (pf->domain, pf->uuid) < 0)
    pf->uuid[0] = '\0';
  pf->memory = (guint64) virDomainGetMaxMemory (pf->domain) * 1024;
  pf->definition = virDomainGetXMLDesc (pf->domain, 0);
  virResetLastError ();
}

/* Whether the checks that need the guest's definition can run; records
 * the one failure that stands for them all when it cannot be read. */
static gboolean
read_definition (KvmmigPreflight *pf)
{
  g_autofree char *what = g_strdup_printf ("the definition of guest '%s'", pf->in->guest_name);
  g_autoptr(GError) error = NULL;

  if (!_kvmmig_xml_read (&pf->xml, pf->definition, what, &error) ||
      (pf->disks = _kvmmig_disk_sources_from_xml (pf->definition, what, &error)) == NULL)
    {
      _kvmmig_preflight_record (pf, "cpu", "The guest's definition can be read",
                                KVMMIG_CHECK_STATUS_FAILED, KVMMIG_ERROR_FAILED,
                                "%s: %s", pf->in->source_uri, error->message);
      return FALSE;
    }
  return TRUE;
}

/*
 * _kvmmig_preflight_run:
 *
 * Runs every check, blocking. Returns FALSE with the first failure's error;
 * @result holds every check, and the source domain when it was found.
 */
gboolean
_kvmmig_preflight_run (const KvmmigPreflightInput  *input,
                       GCancellable                *cancellable,
                       KvmmigPreflightResult       *result,
                       GError                     **error)
{
  KvmmigPreflight pf = { .in = input, .checks = g_ptr_array_new_with_free_func (g_object_unref) };
  enum { UNDECIDED, YES, NO } guest_ok = UNDECIDED, definition_ok = UNDECIDED;

  for (gsize i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      const Check *check = &checks[i];

      /* The first checks read only what the caller gave; a cancel stops
       * every check that talks to the destination. */
      if (i >= 2 && g_cancellable_is_cancelled (cancellable))
        break;

      if (check->needs >= NEEDS_GUEST && guest_ok == UNDECIDED)
        guest_ok = pf.domain != NULL && pf.dest_info != NULL && pf.first_error == NULL
                     ? YES : NO;
      if (check->needs >= NEEDS_GUEST && guest_ok == NO)
        continue;

      if (check->needs == NEEDS_DEFINITION && definition_ok == UNDECIDED)
        definition_ok = read_definition (&pf) ? YES : NO;
      if (check->needs == NEEDS_DEFINITION && definition_ok == NO)
        continue;

      check->run (&pf);

      if (g_str_equal (check->id, "source-guest") && pf.domain != NULL)
        read_guest (&pf);
    }

  result->checks = g_steal_pointer (&pf.checks);
  result->domain = g_steal_pointer (&pf.domain);
  result->uuid = pf.uuid[0] ? g_strdup (pf.uuid) : NULL;
  result->memory = pf.memory;
  result->copies = g_steal_pointer (&pf.copies);

  g_clear_object (&pf.source_info);
  g_clear_object (&pf.dest_info);
  g_clear_pointer (&pf.disks, g_ptr_array_unref);
  g_clear_pointer (&pf.definition, g_free);
  _kvmmig_xml_clear (&pf.xml);

  if (_kvmmig_check_cancelled (cancellable, input->source_uri,
                               "pre-flight checks of the migration", error))
    {
      g_clear_error (&pf.first_error);
      return FALSE;
    }

  if (pf.first_error != NULL)
    {
      g_propagate_error (error, pf.first_error);
      return FALSE;
    }

  return TRUE;
}
