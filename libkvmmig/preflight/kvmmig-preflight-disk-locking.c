/* kvmmig-preflight-disk-locking.c: the pre-flight check "disk-locking":
 * whether both hosts run a libvirt lock manager (virtlockd through the
 * lockd plugin, or sanlock) for the guest's shared disks, so that the
 * guest cannot be started on one host while it runs on the other.
 *
 * libvirt has no API that says which lock manager a host runs
 * (qemu.conf's lock_manager). What libvirt's lock managers take leases on
 * is decided in libvirt's src/locking/domain_lock.c: the top image of each
 * disk whose actual type is file, block or dir; never a network disk (an
 * iSCSI LUN, RBD or NBD reached by QEMU itself), and no lease at all for a
 * read-only disk (a shareable one gets a shared lease). So:
 *
 *   - writable network disks: no libvirt lock manager covers them, on any
 *     host; said without asking the hosts.
 *   - writable file, block or dir disks (or volumes of pools that give
 *     such disks): each host is probed. The probe starts a transient,
 *     paused domain of the library's own (no disk, no NIC, 32 MiB, started
 *     with VIR_DOMAIN_START_AUTODESTROY), hot-plugs a <lease> on a path
 *     that does not exist, and destroys the domain at once. A hot-plugged
 *     lease is acquired at once, even on a paused domain (virDomainLockLeaseAttach);
 *     libvirt's "nop" lock manager (no lock_manager in qemu.conf) accepts
 *     any lease, while lockd refuses a lockspace it does not have (an
 *     internal error that virtlockd sends back, of libvirt's RPC domain)
 *     and sanlock a lease file that does not exist (libvirt's locking
 *     domain). Such a refusal, with the connection and the probe still
 *     alive, means a lock manager; an accepted lease means none; anything
 *     else means the check cannot tell.
 *
 * The probe is harmless to the guest: it never names the guest's disks (a
 * probe that started a copy of the guest would open them read-write, and a
 * paused one would not even take their leases: libvirt takes disk leases
 * only when a domain's CPUs start), it writes nothing on any storage (the
 * lease's path does not exist, and a lock manager that refuses it creates
 * nothing), and it leaves nothing behind (the domain is transient and
 * destroyed at once, or by libvirt when the connection closes).
 *
 * What it cannot see: whether the lock manager's configuration covers the
 * guest's disks (qemu-lockd.conf's auto_disk_leases, a lockspace directory
 * both hosts share; sanlock's disk_lease_dir), nor whether other hosts
 * that see the same storage run one too. doc/storage.md says so.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-preflight-check-private.h"

#define CHECK_ID "disk-locking"
#define TITLE "Both hosts lock the guest's shared disks"

typedef enum
{
  PROBE_LOCK_MANAGER,   /* the lease was refused by a lock manager */
  PROBE_NO_LOCK_MANAGER,/* the lease was accepted: the "nop" lock manager */
  PROBE_UNKNOWN,        /* the probe could not tell */
} ProbeResult;

/* Pool types whose volumes are network disks to libvirt (no lease). */
static gboolean
pool_type_is_network (const char *type)
{
  static const char *const network[] = { "iscsi-direct", "rbd", "gluster", "sheepdog", NULL };

  return type != NULL && g_strv_contains (network, type);
}

/* Whether libvirt's lock managers would take a lease on @disk; sets
 * *@network for a writable disk that no lock manager covers. */
static gboolean
disk_is_lockable (virConnectPtr           conn,
                  const KvmmigDiskSource *disk,
                  gboolean               *network)
{
  *network = FALSE;
  if (!_kvmmig_disk_source_has_source (disk))
    return FALSE;
  /* Read-only disks take no lease; shareable ones a shared lease. */
  if (disk->readonly && !disk->shareable)
    return FALSE;

  if (g_strcmp0 (disk->type, "network") == 0)
    {
      *network = TRUE;
      return FALSE;
    }
  if (g_strcmp0 (disk->type, "volume") == 0 && disk->pool != NULL)
    {
      virStoragePoolPtr pool = virStoragePoolLookupByName (conn, disk->pool);
      g_autofree char *xml_text = pool ? virStoragePoolGetXMLDesc (pool, 0) : NULL;
      g_auto(KvmmigXml) xml = { 0 };
      g_autofree char *type = NULL;

      g_clear_pointer (&pool, virStoragePoolFree);
      virResetLastError ();
      if (xml_text != NULL && _kvmmig_xml_parse (&xml, xml_text))
        type = _kvmmig_xml_string (&xml, NULL, "/pool/@type");
      if (pool_type_is_network (type))
        {
          *network = TRUE;
          return FALSE;
        }
      return TRUE;
    }
  return g_strcmp0 (disk->type, "file") == 0 || g_strcmp0 (disk->type, "block") == 0 ||
         g_strcmp0 (disk->type, "dir") == 0;
}

static char *
probe_domain_xml (KvmmigXml  *guest,
                  const char *name)
{
  g_autofree char *type = _kvmmig_xml_string (guest, NULL, "/domain/@type");
  g_autofree char *arch = _kvmmig_xml_string (guest, NULL, "/domain/os/type/@arch");
  xmlNodePtr domain = _kvmmig_xml_element (NULL, "domain", "type", type ? type : "kvm", NULL);
  xmlNodePtr os, devices;

  _kvmmig_xml_text (domain, "name", name);
  xmlNewProp (_kvmmig_xml_text (domain, "memory", "32"),
              (const xmlChar *) "unit", (const xmlChar *) "MiB");
  _kvmmig_xml_text (domain, "vcpu", "1");
  os = _kvmmig_xml_element (domain, "os", NULL);
  xmlNewProp (_kvmmig_xml_text (os, "type", "hvm"),
              (const xmlChar *) "arch", (const xmlChar *) (arch ? arch : "x86_64"));
  devices = _kvmmig_xml_element (domain, "devices", NULL);
  _kvmmig_xml_element (devices, "controller", "type", "usb", "model", "none", NULL);
  _kvmmig_xml_element (devices, "memballoon", "model", "none", NULL);
  return _kvmmig_xml_take_string (domain);
}

static char *
probe_lease_xml (const char *name)
{
  xmlNodePtr lease = _kvmmig_xml_element (NULL, "lease", NULL);
  g_autofree char *path = g_strdup_printf ("/nonexistent/kvmmig-lock-probe/%s", name);

  _kvmmig_xml_text (lease, "lockspace", "kvmmig-lock-probe");
  _kvmmig_xml_text (lease, "key", name);
  _kvmmig_xml_element (lease, "target", "path", path, NULL);
  return _kvmmig_xml_take_string (lease);
}

/* Asks @conn's libvirt whether it runs a lock manager (see the top of the
 * file); *@detail says what the probe saw. */
static ProbeResult
probe_host (virConnectPtr   conn,
            KvmmigXml      *guest,
            char          **detail)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = g_strdup_printf ("kvmmig-lock-probe-%s", uuid);
  g_autofree char *domain_xml = probe_domain_xml (guest, name);
  g_autofree char *lease_xml = probe_lease_xml (name);
  virDomainPtr dom;
  virErrorPtr err = NULL;
  ProbeResult result;
  gboolean refused = FALSE;
  int rc;

  dom = virDomainCreateXML (conn, domain_xml,
                            VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY);
  if (dom == NULL)
    {
      g_autofree char *message = _kvmmig_libvirt_take_message (NULL);

      *detail = g_strdup_printf ("could not start a probe domain: %s", message);
      return PROBE_UNKNOWN;
    }

  rc = virDomainAttachDeviceFlags (dom, lease_xml, VIR_DOMAIN_AFFECT_LIVE);
  if (rc < 0)
    {
      virCopyLastError (err = g_new0 (virError, 1));
      virResetLastError ();
      /* A refusal of the lease itself leaves the connection and the probe
       * as they were; a connection that broke meanwhile tells nothing. */
      refused = (err->domain == VIR_FROM_LOCKING || err->domain == VIR_FROM_LOCKSPACE ||
                 err->domain == VIR_FROM_RPC) &&
                err->code != VIR_ERR_NO_SUPPORT && err->code != VIR_ERR_SYSTEM_ERROR &&
                virConnectIsAlive (conn) == 1 && virDomainIsActive (dom) == 1;
    }
  virResetLastError ();
  if (virDomainDestroy (dom) < 0)
    virResetLastError ();
  virDomainFree (dom);

  if (rc == 0)
    {
      *detail = g_strdup ("it accepted a lease on a path that does not exist, as libvirt does "
                          "when qemu.conf sets no lock_manager");
      result = PROBE_NO_LOCK_MANAGER;
    }
  else if (refused)
    {
      *detail = g_strdup_printf ("its lock manager refused a lease on a path that does not "
                                 "exist (%s)", err->message ? err->message : "no message");
      result = PROBE_LOCK_MANAGER;
    }
  else
    {
      *detail = g_strdup_printf ("a probe domain could not be given a lease: %s",
                                 err->message ? err->message : "no message");
      result = PROBE_UNKNOWN;
    }
  if (err != NULL)
    {
      virResetError (err);
      g_free (err);
    }
  return result;
}

static void
append_disk (GString                *list,
             const KvmmigDiskSource *disk)
{
  g_autofree char *what = _kvmmig_disk_source_describe (disk);

  if (list->len > 0)
    g_string_append (list, ", ");
  g_string_append_printf (list, "%s (%s)", disk->target ? disk->target : "?", what);
}

void
_kvmmig_preflight_check_disk_locking (KvmmigPreflight *pf)
{
  const KvmmigPreflightInput *in = pf->in;
  g_autoptr(GString) lockable = g_string_new (NULL);
  g_autoptr(GString) network = g_string_new (NULL);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GString) seen = g_string_new (NULL);
  guint copied = 0;
  struct { virConnectPtr conn; const char *uri; } hosts[] = {
    { in->source, in->source_uri },
    { in->destination, in->destination_uri },
  };

  for (guint i = 0; i < pf->disks->len; i++)
    {
      KvmmigDiskSource *disk = g_ptr_array_index (pf->disks, i);
      gboolean is_network;

      /* A disk the job copies is each host's own: no other host uses it. */
      if (_kvmmig_preflight_disk_is_copied (pf, disk))
        copied++;
      else if (disk_is_lockable (in->source, disk, &is_network))
        append_disk (lockable, disk);
      else if (is_network)
        append_disk (network, disk);
    }

  if (lockable->len == 0 && network->len == 0)
    {
      _kvmmig_preflight_record (pf, CHECK_ID, TITLE, KVMMIG_CHECK_STATUS_PASSED, 0,
                                "%s: guest '%s' has no writable disk%s, so there is nothing "
                                "for a lock manager to protect", in->source_uri, in->guest_name,
                                copied > 0 ? " that both hosts share (the job copies its disks)"
                                           : "");
      return;
    }

  if (network->len > 0)
    g_string_append_printf (problems,
                            "%s: no libvirt lock manager covers the network disks of guest "
                            "'%s', %s: libvirt takes leases only on disks that are files, "
                            "block devices or directories",
                            in->source_uri, in->guest_name, network->str);

  if (lockable->len > 0)
    for (guint h = 0; h < G_N_ELEMENTS (hosts); h++)
      {
        g_autofree char *detail = NULL;
        ProbeResult result = probe_host (hosts[h].conn, &pf->xml, &detail);
        GString *into = result == PROBE_LOCK_MANAGER ? seen : problems;

        if (into->len > 0)
          g_string_append (into, "; ");
        switch (result)
          {
          case PROBE_LOCK_MANAGER:
            g_string_append_printf (into, "%s runs a lock manager: %s", hosts[h].uri, detail);
            break;
          case PROBE_NO_LOCK_MANAGER:
            g_string_append_printf (into, "%s: no lock manager for disks %s of guest '%s': %s",
                                    hosts[h].uri, lockable->str, in->guest_name, detail);
            break;
          case PROBE_UNKNOWN:
          default:
            g_string_append_printf (into, "%s: cannot tell whether it runs a lock manager "
                                    "for disks %s of guest '%s': %s",
                                    hosts[h].uri, lockable->str, in->guest_name, detail);
            break;
          }
      }

  if (problems->len > 0)
    {
      gboolean require = in->options->require_disk_locking;

      _kvmmig_preflight_record (pf, CHECK_ID, TITLE,
                                require ? KVMMIG_CHECK_STATUS_FAILED : KVMMIG_CHECK_STATUS_WARNING,
                                require ? KVMMIG_ERROR_NO_DISK_LOCKING : 0,
                                "%s%s%s", problems->str,
                                require ? " (require-disk-locking is set)" : "",
                                require ? "" : "; nothing but care keeps the guest from being "
                                "started on both hosts at once");
      return;
    }

  _kvmmig_preflight_record (pf, CHECK_ID, TITLE, KVMMIG_CHECK_STATUS_PASSED, 0,
                            "both hosts run a libvirt lock manager for disks %s of guest "
                            "'%s': %s. Whether their configuration covers these disks in one "
                            "lockspace both hosts share is not visible to libvirt's clients",
                            lockable->str, in->guest_name, seen->str);
}
