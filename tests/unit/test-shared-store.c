/* test-shared-store.c: KvmmigSharedStore on libvirt's test driver
 * (test:///default and tests/data/test-host-b.xml, no daemon): attaching
 * and detaching (idempotent, undoing exactly what was done, refused while
 * a guest uses the store), the pools it defines, volumes (create, list,
 * delete, resize; name clash, size 0, too large, in use), the visibility
 * check across two hosts, and that a CHAP secret never shows.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <libvirt/libvirt.h>

#include "kvmmig-host-private.h"
#include "kvmmig-shared-store-private.h"
#include "kvmmig-xml-private.h"
#include "kvmmig-test-utils.h"

#define HOST_A "test:///default"
#define MIB (G_GUINT64_CONSTANT (1024) * 1024)
#define GIB (1024 * MIB)

/* Names that must survive XML: quotes, spaces, metacharacters, unicode. */
#define AWKWARD "disk 'one' \"two\" <&> é ✓"


typedef struct
{
  KvmmigHost *a;
  KvmmigHost *b;
  virConnectPtr conn_a;   /* the hosts' own connections: each test://FILE */
  virConnectPtr conn_b;   /* connection is a test driver of its own */
  KvmmigSharedStore *store;   /* the volume tests' (volumes_setup) */
  KvmmigVolume *v1;
  KvmmigVolume *v2;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  kvmmig_test_open_hosts_a_b (&f->a, &f->b);
  f->conn_a = _kvmmig_host_ref_connection (f->a, NULL);
  f->conn_b = _kvmmig_host_ref_connection (f->b, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  virConnectClose (f->conn_a);
  virConnectClose (f->conn_b);
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  kvmmig_test_drain ();
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* "name:active:persistent:autostart" of every pool, sorted: what a test
 * compares before and after to see that nothing changed. */
static char *
pools_state (virConnectPtr conn)
{
  virStoragePoolPtr *pools = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  int n = virConnectListAllStoragePools (conn, &pools, 0);

  g_assert_cmpint (n, >=, 0);
  for (int i = 0; i < n; i++)
    {
      int autostart = 0;

      virStoragePoolGetAutostart (pools[i], &autostart);
      g_ptr_array_add (rows, g_strdup_printf ("%s:%d:%d:%d", virStoragePoolGetName (pools[i]),
                                              virStoragePoolIsActive (pools[i]),
                                              virStoragePoolIsPersistent (pools[i]),
                                              autostart));
      virStoragePoolFree (pools[i]);
    }
  g_free (pools);
  g_ptr_array_sort (rows, compare_strings);
  g_ptr_array_add (rows, NULL);
  return g_strjoinv (" ", (char **) rows->pdata);
}

static gboolean
pool_active (virConnectPtr conn, const char *name)
{
  g_autoptr(virStoragePool) pool = virStoragePoolLookupByName (conn, name);
  return pool != NULL && virStoragePoolIsActive (pool) == 1;
}

static gboolean
pool_exists (virConnectPtr conn, const char *name)
{
  g_autoptr(virStoragePool) pool = virStoragePoolLookupByName (conn, name);
  return pool != NULL;
}

static char *
pool_type (virConnectPtr conn, const char *name)
{
  g_autoptr(virStoragePool) pool = virStoragePoolLookupByName (conn, name);
  g_autofree char *xml = NULL;
  g_auto(KvmmigXml) doc = { 0 };

  g_assert_nonnull (pool);
  xml = virStoragePoolGetXMLDesc (pool, 0);
  g_assert_true (_kvmmig_xml_parse (&doc, xml));
  return _kvmmig_xml_string (&doc, NULL, "/pool/@type");
}

/* A guest on @conn with @path as its file disk. */
static void
define_guest_on (virConnectPtr conn, const char *name, const char *type, const char *path)
{
  g_autofree char *xml = NULL;
  xmlNodePtr domain = _kvmmig_xml_element (NULL, "domain", "type", "test", NULL);
  xmlNodePtr os, devices, disk;
  virDomainPtr dom;

  _kvmmig_xml_text (domain, "name", name);
  _kvmmig_xml_text (domain, "memory", "65536");
  os = _kvmmig_xml_element (domain, "os", NULL);
  _kvmmig_xml_text (os, "type", "hvm");
  devices = _kvmmig_xml_element (domain, "devices", NULL);
  disk = _kvmmig_xml_element (devices, "disk", "type", type, "device", "disk", NULL);
  _kvmmig_xml_element (disk, "source", g_str_equal (type, "file") ? "file" : "dev", path, NULL);
  _kvmmig_xml_element (disk, "target", "dev", "vda", "bus", "virtio", NULL);
  xml = _kvmmig_xml_take_string (domain);

  dom = virDomainDefineXML (conn, xml);
  g_assert_nonnull (dom);
  virDomainFree (dom);
}

static void
undefine_guest_on (virConnectPtr conn, const char *name)
{
  virDomainPtr dom = virDomainLookupByName (conn, name);

  g_assert_nonnull (dom);
  if (virDomainIsActive (dom) == 1)
    virDomainDestroy (dom);
  g_assert_cmpint (virDomainUndefine (dom), ==, 0);
  virDomainFree (dom);
}

/* ------------------------------------------------------------------ */

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_new (void)
{
  g_autoptr(KvmmigSharedStore) iscsi = kvmmig_shared_store_new_iscsi ("st", "10.0.0.3:3261", "iqn.2026-11.org.example:store");
  g_autoptr(KvmmigSharedStore) dir = kvmmig_shared_store_new_directory ("st-dir", "/srv/shared");
  g_autoptr(KvmmigSharedStore) nfs = kvmmig_shared_store_new_nfs ("st-nfs", "nas", "/export/vm", "/mnt/vm");
  g_autoptr(KvmmigSharedStore) block = kvmmig_shared_store_new_block_device ("st-blk", "/dev/mapper/mpatha", "vg0");
  guint notified = 0;

  g_assert_cmpstr (kvmmig_shared_store_get_name (iscsi), ==, "st");
  g_assert_cmpint (kvmmig_shared_store_get_kind (iscsi), ==, KVMMIG_STORE_KIND_ISCSI);
  g_assert_cmpstr (kvmmig_shared_store_get_portal (iscsi), ==, "10.0.0.3:3261");
  g_assert_cmpstr (kvmmig_shared_store_get_target_iqn (iscsi), ==, "iqn.2026-11.org.example:store");
  g_assert_cmpint (kvmmig_shared_store_get_initiator (iscsi), ==, KVMMIG_ISCSI_INITIATOR_QEMU);
  g_assert_null (kvmmig_shared_store_get_initiator_iqn (iscsi));
  g_assert_null (kvmmig_shared_store_get_volume_group (iscsi));
  g_assert_cmpint (kvmmig_shared_store_get_lun (iscsi), ==, -1);

  g_assert_cmpint (kvmmig_shared_store_get_kind (dir), ==, KVMMIG_STORE_KIND_DIRECTORY);
  g_assert_cmpstr (kvmmig_shared_store_get_path (dir), ==, "/srv/shared");
  g_assert_cmpint (kvmmig_shared_store_get_kind (nfs), ==, KVMMIG_STORE_KIND_NFS);
  g_assert_cmpstr (kvmmig_shared_store_get_nfs_server (nfs), ==, "nas");
  g_assert_cmpstr (kvmmig_shared_store_get_nfs_export (nfs), ==, "/export/vm");
  g_assert_cmpstr (kvmmig_shared_store_get_path (nfs), ==, "/mnt/vm");
  g_assert_cmpint (kvmmig_shared_store_get_kind (block), ==, KVMMIG_STORE_KIND_BLOCK_DEVICE);
  g_assert_cmpstr (kvmmig_shared_store_get_volume_group (block), ==, "vg0");

  /* Setters notify once per change. */
  g_signal_connect (iscsi, "notify", G_CALLBACK (count_notify), &notified);
  kvmmig_shared_store_set_initiator (iscsi, KVMMIG_ISCSI_INITIATOR_HOST);
  kvmmig_shared_store_set_initiator (iscsi, KVMMIG_ISCSI_INITIATOR_HOST);
  kvmmig_shared_store_set_volume_group (iscsi, "vg1");
  kvmmig_shared_store_set_volume_group (iscsi, "vg1");
  kvmmig_shared_store_set_lun (iscsi, 4);
  kvmmig_shared_store_set_initiator_iqn (iscsi, "iqn.2026-11.org.example:h1");
  g_object_set (iscsi, "lun", 4, NULL);
  g_assert_cmpuint (notified, ==, 4);
  g_assert_cmpint (kvmmig_shared_store_get_lun (iscsi), ==, 4);
}

/* The CHAP secret cannot be read back from any property, and is not in
 * the libvirt XML the store defines (only a reference to the secret). */
static void
test_chap_not_readable (void)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_iscsi ("st-chap", "10.0.0.3", "iqn.2026-11.org.example:store");
  g_autoptr(GPtrArray) xmls = NULL;
  g_autofree char *secret_xml = NULL;
  g_autofree GParamSpec **pspecs = NULL;
  const char *secret = "s3cr3t-Chap-pa55";
  guint n;

  kvmmig_shared_store_set_chap (store, "joe", secret);
  g_assert_cmpstr (kvmmig_shared_store_get_chap_username (store), ==, "joe");

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (store), &n);
  for (guint i = 0; i < n; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *contents = NULL;

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (store), pspecs[i]->name, &value);
      contents = g_strdup_value_contents (&value);
      g_assert_null (strstr (contents, secret));
    }

  xmls = _kvmmig_shared_store_pool_xmls (store, "iqn.2026-11.org.example:h1");
  g_assert_cmpuint (xmls->len, ==, 1);
  g_test_message ("%s", (char *) g_ptr_array_index (xmls, 0));
  g_assert_null (strstr (g_ptr_array_index (xmls, 0), secret));
  g_assert_nonnull (strstr (g_ptr_array_index (xmls, 0), "username=\"joe\""));
  g_assert_nonnull (strstr (g_ptr_array_index (xmls, 0), "usage=\"libkvmmig/st-chap\""));

  secret_xml = _kvmmig_shared_store_secret_xml (store);
  g_assert_null (strstr (secret_xml, secret));
  g_assert_nonnull (strstr (secret_xml, "<target>libkvmmig/st-chap</target>"));
}

/* Every log line the library writes while the test runs. */
static GString *captured_logs;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (captured_logs == NULL)
    return g_log_writer_default (level, fields, n_fields, user_data);

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      {
        g_string_append_len (captured_logs, fields[i].value,
                             fields[i].length < 0 ? (gssize) strlen (fields[i].value)
                                                  : fields[i].length);
        g_string_append_c (captured_logs, '\n');
      }
  if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* Attaching with CHAP where the host cannot keep secrets (the test
 * driver): a clear error without the secret, nothing left on the host,
 * and no log line (debug included) with the secret. */
static void
test_chap_attach_no_secret_leak (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_iscsi ("st-chap", "10.0.0.3", "iqn.2026-11.org.example:store");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = pools_state (f->conn_a);
  g_autofree char *after = NULL;
  const char *secret = "s3cr3t-Chap-pa55";

  kvmmig_shared_store_set_chap (store, "joe", secret);

  captured_logs = g_string_new (NULL);
  g_log_set_debug_enabled (TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_assert_false (kvmmig_shared_store_attach (store, f->a, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_NOT_SUPPORTED, HOST_A, "CHAP");
  g_assert_null (strstr (error->message, secret));
  g_assert_null (strstr (captured_logs->str, secret));
  g_test_message ("%" G_GSIZE_FORMAT " bytes of log captured, none with the secret",
                  captured_logs->len);

  after = pools_state (f->conn_a);
  g_assert_cmpstr (before, ==, after);
  g_string_free (captured_logs, TRUE);
  captured_logs = NULL;
  g_log_set_debug_enabled (FALSE);
}

static void
test_invalid (Fixture *f, gconstpointer data)
{
  struct {
    KvmmigSharedStore *store;
    const char *needle;
  } cases[] = {
    { kvmmig_shared_store_new_directory ("", "/srv"), "store name" },
    { kvmmig_shared_store_new_directory ("a/b", "/srv"), "store name" },
    { kvmmig_shared_store_new_directory ("-x", "/srv"), "store name" },
    { kvmmig_shared_store_new_directory ("st", "relative/dir"), "absolute" },
    { kvmmig_shared_store_new_directory ("st", NULL), "absolute" },
    { kvmmig_shared_store_new_iscsi ("st", "", "iqn.2026-11.org.example:s"), "portal" },
    { kvmmig_shared_store_new_iscsi ("st", "10.0.0.3:99999", "iqn.2026-11.org.example:s"), "portal" },
    { kvmmig_shared_store_new_iscsi ("st", "fe80::1", "iqn.2026-11.org.example:s"), "portal" },
    { kvmmig_shared_store_new_iscsi ("st", "host'name", "iqn.2026-11.org.example:s"), "portal" },
    { kvmmig_shared_store_new_iscsi ("st", "10.0.0.3", "not an iqn"), "iSCSI name" },
    { kvmmig_shared_store_new_nfs ("st", "", "/e", "/m"), "NFS server" },
    { kvmmig_shared_store_new_nfs ("st", "nas", "e", "/m"), "export" },
    { kvmmig_shared_store_new_block_device ("st", "sda", "vg"), "/dev" },
    { kvmmig_shared_store_new_block_device ("st", "/dev/sda", "bad vg"), "volume group" },
  };
  g_autofree char *before = pools_state (f->conn_a);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      g_assert_false (kvmmig_shared_store_attach (cases[i].store, f->a, NULL, &error));
      kvmmig_test_assert_error (error, KVMMIG_ERROR_INVALID_ARGUMENT, HOST_A, cases[i].needle);
      after = pools_state (f->conn_a);
      g_assert_cmpstr (before, ==, after);
      g_object_unref (cases[i].store);
    }

  /* CHAP with half the credentials; CHAP on a directory. */
  {
    g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_iscsi ("st", "10.0.0.3", "iqn.2026-11.org.example:s");
    g_autoptr(KvmmigSharedStore) dir = kvmmig_shared_store_new_directory ("st", "/srv");
    g_autoptr(GError) error = NULL;

    kvmmig_shared_store_set_chap (store, "joe", NULL);
    g_assert_false (kvmmig_shared_store_attach (store, f->a, NULL, &error));
    kvmmig_test_assert_error (error, KVMMIG_ERROR_INVALID_ARGUMENT, HOST_A, "CHAP");
    g_clear_error (&error);

    kvmmig_shared_store_set_volume_group (dir, "vg0");
    g_assert_false (kvmmig_shared_store_attach (dir, f->a, NULL, &error));
    kvmmig_test_assert_error (error, KVMMIG_ERROR_INVALID_ARGUMENT, HOST_A, "volume group");
  }
}

static void
test_attach_detach (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_directory ("st-dir", "/st/shared");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = pools_state (f->conn_a);
  g_autofree char *attached = NULL;
  g_autofree char *again = NULL;
  g_autofree char *after = NULL;
  g_autofree char *type = NULL;

  g_assert_true (kvmmig_shared_store_attach (store, f->a, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pool_active (f->conn_a, "st-dir"));
  type = pool_type (f->conn_a, "st-dir");
  g_assert_cmpstr (type, ==, "dir");
  attached = pools_state (f->conn_a);
  g_assert_nonnull (strstr (attached, "st-dir:1:1:1"));   /* active, persistent, autostart */

  /* Idempotent. */
  g_assert_true (kvmmig_shared_store_attach (store, f->a, NULL, &error));
  g_assert_no_error (error);
  again = pools_state (f->conn_a);
  g_assert_cmpstr (attached, ==, again);

  g_assert_true (kvmmig_shared_store_detach (store, f->a, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (pool_exists (f->conn_a, "st-dir"));
  after = pools_state (f->conn_a);
  g_assert_cmpstr (before, ==, after);

  /* Detaching what is not attached does nothing. */
  g_assert_true (kvmmig_shared_store_detach (store, f->a, NULL, &error));
  g_assert_no_error (error);

  /* A second store object (another process) can detach what the first
   * attached. */
  {
    g_autoptr(KvmmigSharedStore) other = kvmmig_shared_store_new_directory ("st-dir", "/st/shared");

    g_assert_true (kvmmig_shared_store_attach (store, f->a, NULL, &error));
    g_assert_true (kvmmig_shared_store_detach (other, f->a, NULL, &error));
    g_assert_no_error (error);
    g_assert_false (pool_exists (f->conn_a, "st-dir"));
  }
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GAsyncResult **out = data;

  g_assert_true (g_main_context_is_owner (g_main_context_get_thread_default ()));
  *out = g_object_ref (result);
}

static void
test_attach_async (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_directory ("st-dir", "/st/shared");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kvmmig_shared_store_attach_async (store, f->a, NULL, on_done, &result);
  kvmmig_test_wait_result (&result);
  g_assert_true (kvmmig_shared_store_attach_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_true (pool_active (f->conn_a, "st-dir"));
  g_clear_object (&result);

  kvmmig_shared_store_detach_async (store, f->a, NULL, on_done, &result);
  kvmmig_test_wait_result (&result);
  g_assert_true (kvmmig_shared_store_detach_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_false (pool_exists (f->conn_a, "st-dir"));
  g_clear_object (&result);

  /* A cancelled attach changes nothing. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autofree char *before = pools_state (f->conn_a);
    g_autofree char *after = NULL;

    g_cancellable_cancel (cancellable);
    kvmmig_shared_store_attach_async (store, f->a, cancellable, on_done, &result);
    kvmmig_test_wait_result (&result);
    g_assert_false (kvmmig_shared_store_attach_finish (store, result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_nonnull (strstr (error->message, "cancelled"));
    after = pools_state (f->conn_a);
    g_assert_cmpstr (before, ==, after);
  }
}

/* A pool that already is the store's: attach keeps it (starting it if it
 * was stopped) and detach leaves it as it found it. */
static void
test_adopt_existing_pool (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_directory ("st-dir", "/st/shared");
  g_autoptr(GError) error = NULL;
  virStoragePoolPtr pool;

  pool = virStoragePoolDefineXML (f->conn_a,
    "<pool type='dir'><name>st-dir</name><target><path>/st/shared</path></target></pool>", 0);
  g_assert_nonnull (pool);

  /* Defined, stopped: attach starts it; detach stops it, keeps it. */
  g_assert_true (kvmmig_shared_store_attach (store, f->a, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pool_active (f->conn_a, "st-dir"));
  g_assert_true (kvmmig_shared_store_detach (store, f->a, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pool_exists (f->conn_a, "st-dir"));
  g_assert_false (pool_active (f->conn_a, "st-dir"));

  /* Defined and running: attach and detach change nothing. */
  g_assert_cmpint (virStoragePoolCreate (pool, 0), ==, 0);
  g_assert_true (kvmmig_shared_store_attach (store, f->a, NULL, &error));
  g_assert_true (kvmmig_shared_store_detach (store, f->a, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pool_active (f->conn_a, "st-dir"));

  virStoragePoolDestroy (pool);
  virStoragePoolUndefine (pool);
  virStoragePoolFree (pool);
}

static void
test_name_clash (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_directory ("st-dir", "/st/shared");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  virStoragePoolPtr pool;

  pool = virStoragePoolDefineXML (f->conn_a,
    "<pool type='dir'><name>st-dir</name><target><path>/somewhere/else</path></target></pool>", 0);
  g_assert_nonnull (pool);
  before = pools_state (f->conn_a);

  g_assert_false (kvmmig_shared_store_attach (store, f->a, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_INVALID_ARGUMENT, HOST_A, "/somewhere/else");
  after = pools_state (f->conn_a);
  g_assert_cmpstr (before, ==, after);

  virStoragePoolUndefine (pool);
  virStoragePoolFree (pool);
}

static void
test_pool_xml (void)
{
  g_autoptr(KvmmigSharedStore) iscsi = kvmmig_shared_store_new_iscsi ("st-i", "[fd00::3]:3261", "iqn.2026-11.org.example:store");
  g_autoptr(KvmmigSharedStore) nfs = kvmmig_shared_store_new_nfs ("st-n", "nas", "/export/it's <here> & \"there\"", "/mnt/vm é");
  g_autoptr(GPtrArray) xmls = NULL;

  /* QEMU's initiator: one iscsi-direct pool. */
  xmls = _kvmmig_shared_store_pool_xmls (iscsi, "iqn.2026-11.org.example:h1");
  g_assert_cmpuint (xmls->len, ==, 1);
  {
    g_auto(KvmmigXml) doc = { 0 };
    g_autofree char *type = NULL, *host = NULL, *port = NULL, *dev = NULL, *init = NULL;

    g_assert_true (_kvmmig_xml_parse (&doc, g_ptr_array_index (xmls, 0)));
    type = _kvmmig_xml_string (&doc, NULL, "/pool/@type");
    host = _kvmmig_xml_string (&doc, NULL, "/pool/source/host/@name");
    port = _kvmmig_xml_string (&doc, NULL, "/pool/source/host/@port");
    dev = _kvmmig_xml_string (&doc, NULL, "/pool/source/device/@path");
    init = _kvmmig_xml_string (&doc, NULL, "/pool/source/initiator/iqn/@name");
    g_assert_cmpstr (type, ==, "iscsi-direct");
    g_assert_cmpstr (host, ==, "fd00::3");
    g_assert_cmpstr (port, ==, "3261");
    g_assert_cmpstr (dev, ==, "iqn.2026-11.org.example:store");
    g_assert_cmpstr (init, ==, "iqn.2026-11.org.example:h1");
  }
  g_clear_pointer (&xmls, g_ptr_array_unref);

  /* A volume group on a LUN, the host's initiator: iscsi, then logical. */
  kvmmig_shared_store_set_initiator (iscsi, KVMMIG_ISCSI_INITIATOR_HOST);
  kvmmig_shared_store_set_volume_group (iscsi, "vg_store");
  xmls = _kvmmig_shared_store_pool_xmls (iscsi, NULL);
  g_assert_cmpuint (xmls->len, ==, 2);
  {
    g_auto(KvmmigXml) t = { 0 };
    g_auto(KvmmigXml) m = { 0 };
    g_autofree char *ttype = NULL, *tname = NULL, *mtype = NULL, *mname = NULL, *vg = NULL, *path = NULL;

    g_assert_true (_kvmmig_xml_parse (&t, g_ptr_array_index (xmls, 0)));
    g_assert_true (_kvmmig_xml_parse (&m, g_ptr_array_index (xmls, 1)));
    ttype = _kvmmig_xml_string (&t, NULL, "/pool/@type");
    tname = _kvmmig_xml_string (&t, NULL, "/pool/name");
    mtype = _kvmmig_xml_string (&m, NULL, "/pool/@type");
    mname = _kvmmig_xml_string (&m, NULL, "/pool/name");
    vg = _kvmmig_xml_string (&m, NULL, "/pool/source/name");
    path = _kvmmig_xml_string (&m, NULL, "/pool/target/path");
    g_assert_cmpstr (ttype, ==, "iscsi");
    g_assert_cmpstr (tname, ==, "st-i-iscsi");
    g_assert_cmpstr (mtype, ==, "logical");
    g_assert_cmpstr (mname, ==, "st-i");
    g_assert_cmpstr (vg, ==, "vg_store");
    g_assert_cmpstr (path, ==, "/dev/vg_store");
  }
  g_clear_pointer (&xmls, g_ptr_array_unref);

  /* NFS, with an export and a mount point that need escaping. */
  xmls = _kvmmig_shared_store_pool_xmls (nfs, NULL);
  {
    g_auto(KvmmigXml) doc = { 0 };
    g_autofree char *type = NULL, *dir = NULL, *target = NULL, *format = NULL;

    g_test_message ("%s", (char *) g_ptr_array_index (xmls, 0));
    g_assert_true (_kvmmig_xml_parse (&doc, g_ptr_array_index (xmls, 0)));
    type = _kvmmig_xml_string (&doc, NULL, "/pool/@type");
    dir = _kvmmig_xml_string (&doc, NULL, "/pool/source/dir/@path");
    target = _kvmmig_xml_string (&doc, NULL, "/pool/target/path");
    format = _kvmmig_xml_string (&doc, NULL, "/pool/source/format/@type");
    g_assert_cmpstr (type, ==, "netfs");
    g_assert_cmpstr (dir, ==, "/export/it's <here> & \"there\"");
    g_assert_cmpstr (target, ==, "/mnt/vm é");
    g_assert_cmpstr (format, ==, "nfs");
  }
}

static void
test_iscsi (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_iscsi ("st-i", "10.0.0.3", "iqn.2026-11.org.example:store");
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) volumes = NULL;
  g_autofree char *before = pools_state (f->conn_a);
  g_autofree char *after = NULL;
  g_autofree char *type = NULL;

  g_assert_true (kvmmig_shared_store_attach (store, f->a, NULL, &error));
  g_assert_no_error (error);
  type = pool_type (f->conn_a, "st-i");
  g_assert_cmpstr (type, ==, "iscsi-direct");

  /* The test driver's iSCSI pools have no LUNs. */
  volumes = kvmmig_shared_store_list_volumes (store, f->a, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (volumes), ==, 0);

  /* LUNs are made on the storage box, not through libvirt. */
  g_assert_null (kvmmig_shared_store_create_volume (store, f->a, "lun", MIB, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_NOT_SUPPORTED, HOST_A, "storage box");
  g_clear_error (&error);
  g_assert_false (kvmmig_shared_store_delete_volume (store, f->a, "unit:0:0:1", NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_NOT_SUPPORTED, HOST_A, "cannot be deleted");
  g_clear_error (&error);
  g_assert_null (kvmmig_shared_store_resize_volume (store, f->a, "unit:0:0:1", GIB, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_NOT_SUPPORTED, HOST_A, "cannot be resized");
  g_clear_error (&error);

  g_assert_true (kvmmig_shared_store_detach (store, f->a, NULL, &error));
  after = pools_state (f->conn_a);
  g_assert_cmpstr (before, ==, after);

  /* A volume group needs the host's initiator. */
  kvmmig_shared_store_set_volume_group (store, "vg0");
  g_assert_false (kvmmig_shared_store_attach (store, f->a, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_NOT_SUPPORTED, HOST_A, "host's own iSCSI initiator");
  g_free (after);
  after = pools_state (f->conn_a);
  g_assert_cmpstr (before, ==, after);
}

/* A block device with a volume group: the test driver "sees" testvg1 and
 * testvg2 (virConnectFindStoragePoolSources), nothing else. */
static void
test_block_device (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_block_device ("st-b", "/dev/sdz", "testvg1");
  g_autoptr(KvmmigSharedStore) missing = kvmmig_shared_store_new_block_device ("st-m", "/dev/sdz", "st-novg");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = pools_state (f->conn_a);
  g_autofree char *after = NULL;
  g_autofree char *type = NULL;

  g_assert_false (kvmmig_shared_store_attach (missing, f->a, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, HOST_A, "volume group 'st-novg'");
  after = pools_state (f->conn_a);
  g_assert_cmpstr (before, ==, after);
  g_clear_error (&error);

  g_assert_true (kvmmig_shared_store_attach (store, f->a, NULL, &error));
  g_assert_no_error (error);
  type = pool_type (f->conn_a, "st-b");
  g_assert_cmpstr (type, ==, "logical");
  g_assert_true (kvmmig_shared_store_detach (store, f->a, NULL, &error));
  g_assert_no_error (error);
}

static void
test_nfs (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_nfs ("st-n", "nas.example", "/export/vm", "/mnt/st-n");
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;

  /* The test driver mounts nothing: this only shows the pool that a host
   * gets (NFS itself cannot run on the test machines; see doc/storage.md). */
  g_assert_true (kvmmig_shared_store_attach (store, f->a, NULL, &error));
  g_assert_no_error (error);
  type = pool_type (f->conn_a, "st-n");
  g_assert_cmpstr (type, ==, "netfs");
  g_assert_true (kvmmig_shared_store_detach (store, f->a, NULL, &error));
  g_assert_no_error (error);
}

static void
test_not_attached (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_directory ("st-dir", "/st/shared");
  g_autoptr(GError) error = NULL;

  g_assert_null (kvmmig_shared_store_list_volumes (store, f->a, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, HOST_A, "not attached");
  g_clear_error (&error);
  g_assert_null (kvmmig_shared_store_create_volume (store, f->a, "v", MIB, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_STORE_UNREACHABLE, HOST_A, "attach it first");
  g_clear_error (&error);

  /* This machine (no host): only for a store with a volume group. */
  g_assert_null (kvmmig_shared_store_list_volumes (store, NULL, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_NOT_SUPPORTED, "this machine", "no volume group");
  g_clear_error (&error);

  /* A host that is not open. */
  {
    g_autoptr(KvmmigHost) closed = kvmmig_host_new (HOST_A);

    g_assert_false (kvmmig_shared_store_attach (store, closed, NULL, &error));
    kvmmig_test_assert_error (error, KVMMIG_ERROR_NOT_OPEN, HOST_A, "not open");
  }
}

static KvmmigVolume *
volume_at (GListModel *model, guint i)
{
  KvmmigVolume *volume = g_list_model_get_item (model, i);

  g_object_unref (volume);   /* the model keeps it */
  return volume;
}

/* The volume tests' fixture: a directory store attached to host A with
 * three volumes, AWKWARD (10 MiB, f->v1), "vol10" (20 MiB, f->v2) and
 * "vol9" (1 MiB). */
static void
volumes_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture_setup (f, data);
  f->store = kvmmig_shared_store_new_directory ("st-dir", "/st/shared");
  g_assert_true (kvmmig_shared_store_attach (f->store, f->a, NULL, &error));
  g_assert_no_error (error);

  f->v1 = kvmmig_shared_store_create_volume (f->store, f->a, AWKWARD, 10 * MIB, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->v1);
  f->v2 = kvmmig_shared_store_create_volume (f->store, f->a, "vol10", 20 * MIB, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(KvmmigVolume) v3 = kvmmig_shared_store_create_volume (f->store, f->a, "vol9", MIB, NULL, &error);
    g_assert_no_error (error);
  }
}

/* Deletes the three volumes (and checks that they are gone) and detaches
 * the store: test:///default as it was. */
static void
volumes_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = NULL;

  g_assert_true (kvmmig_shared_store_delete_volume (f->store, f->a, AWKWARD, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kvmmig_shared_store_delete_volume (f->store, f->a, "vol9", NULL, &error));
  g_assert_true (kvmmig_shared_store_delete_volume (f->store, f->a, "vol10", NULL, &error));
  g_assert_no_error (error);
  model = kvmmig_shared_store_list_volumes (f->store, f->a, NULL, &error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  g_assert_true (kvmmig_shared_store_detach (f->store, f->a, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->v1);
  g_clear_object (&f->v2);
  g_clear_object (&f->store);
  fixture_teardown (f, data);
}

/* A created volume: its names and numbers. */
static void
test_volume_created (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_strconcat ("/st/shared/", AWKWARD, NULL);

  g_assert_cmpstr (kvmmig_volume_get_name (f->v1), ==, AWKWARD);
  g_assert_cmpstr (kvmmig_volume_get_path (f->v1), ==, path);
  g_assert_cmpstr (kvmmig_volume_get_source (f->v1), ==, path);
  g_assert_cmpstr (kvmmig_volume_get_key (f->v1), ==, path);
  g_assert_cmpuint (kvmmig_volume_get_capacity (f->v1), ==, 10 * MIB);
  g_assert_cmpint (kvmmig_volume_get_volume_type (f->v1), ==, KVMMIG_VOLUME_TYPE_FILE);
  g_assert_cmpstr (kvmmig_volume_get_format (f->v1), ==, "raw");
  g_assert_cmpstr (kvmmig_volume_get_store_name (f->v1), ==, "st-dir");
  g_assert_cmpstr (kvmmig_volume_get_host_uri (f->v1), ==, HOST_A);
  g_assert_false (kvmmig_volume_is_in_use (f->v1));
  g_assert_cmpuint (g_strv_length ((GStrv) kvmmig_volume_get_guests (f->v1)), ==, 0);
}

/* Listed as a GListModel of KvmmigVolume, numbers by value; looked up. */
static void
test_volumes_listed (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = kvmmig_shared_store_list_volumes (f->store, f->a, NULL, &error);
  g_autoptr(KvmmigVolume) found = NULL;

  g_assert_no_error (error);
  g_assert_true (g_list_model_get_item_type (model) == KVMMIG_TYPE_VOLUME);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpstr (kvmmig_volume_get_name (volume_at (model, 0)), ==, AWKWARD);
  g_assert_cmpstr (kvmmig_volume_get_name (volume_at (model, 1)), ==, "vol9");
  g_assert_cmpstr (kvmmig_volume_get_name (volume_at (model, 2)), ==, "vol10");
  g_assert_cmpuint (kvmmig_volume_get_capacity (volume_at (model, 2)), ==, 20 * MIB);

  found = kvmmig_shared_store_lookup_volume (f->store, f->a, "vol10", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kvmmig_volume_get_key (found), ==, kvmmig_volume_get_key (f->v2));
}

typedef enum { CREATE, LOOKUP, DELETE, RESIZE } VolumeCall;

/* Makes @call on the volume @name of f->store on host A (@size: for
 * CREATE and RESIZE); TRUE if it succeeded. */
static gboolean
volume_call (Fixture *f, VolumeCall call, const char *name, guint64 size, GError **error)
{
  g_autoptr(KvmmigVolume) volume = NULL;

  switch (call)
    {
    case CREATE:
      volume = kvmmig_shared_store_create_volume (f->store, f->a, name, size, NULL, error);
      break;
    case LOOKUP:
      volume = kvmmig_shared_store_lookup_volume (f->store, f->a, name, NULL, error);
      break;
    case DELETE:
      return kvmmig_shared_store_delete_volume (f->store, f->a, name, NULL, error);
    case RESIZE:
      volume = kvmmig_shared_store_resize_volume (f->store, f->a, name, size, NULL, error);
      break;
    }
  return volume != NULL;
}

/* Bad input: each a clear error, nothing changed. */
static void
test_volumes_bad_input (Fixture *f, gconstpointer data)
{
  static const struct {
    VolumeCall  call;
    const char *name;
    guint64     size;
    KvmmigError code;
    const char *needle;
  } bad[] = {
    { CREATE, AWKWARD, MIB, KVMMIG_ERROR_VOLUME_EXISTS, "already has a volume" },
    { CREATE, "zero", 0, KVMMIG_ERROR_INVALID_ARGUMENT, "size of 0" },
    { CREATE, "huge", 200 * GIB, KVMMIG_ERROR_NO_SPACE, "does not fit" },
    { CREATE, "a/b", MIB, KVMMIG_ERROR_INVALID_ARGUMENT, "'/'" },
    { CREATE, "tab\there", MIB, KVMMIG_ERROR_INVALID_ARGUMENT, "control characters" },
    { LOOKUP, "nope", 0, KVMMIG_ERROR_VOLUME_NOT_FOUND, "'nope'" },
    { DELETE, "nope", 0, KVMMIG_ERROR_VOLUME_NOT_FOUND, "'nope'" },
    /* Resize: shrinking refused, too large refused, and the test driver
     * cannot resize at all (the testbed's dir store and LVM can). */
    { RESIZE, "vol10", MIB, KVMMIG_ERROR_INVALID_ARGUMENT, "shrinking" },
    { RESIZE, "vol10", 0, KVMMIG_ERROR_INVALID_ARGUMENT, "0 bytes" },
    { RESIZE, "vol10", 300 * GIB, KVMMIG_ERROR_NO_SPACE, "needs" },
    { RESIZE, "vol10", 40 * MIB, KVMMIG_ERROR_NOT_SUPPORTED, "vol10" },
  };
  KvmmigSharedStore *store = f->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) again = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (volume_call (f, bad[i].call, bad[i].name, bad[i].size, &error));
      kvmmig_test_assert_error (error, bad[i].code, HOST_A, bad[i].needle);
      g_clear_error (&error);
    }
  {
    g_autoptr(KvmmigVolume) same = kvmmig_shared_store_resize_volume (store, f->a, "vol10", 20 * MIB, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (kvmmig_volume_get_capacity (same), ==, 20 * MIB);
  }

  again = kvmmig_shared_store_list_volumes (store, f->a, NULL, &error);
  g_assert_cmpuint (g_list_model_get_n_items (again), ==, 3);
  g_assert_cmpuint (kvmmig_volume_get_capacity (volume_at (again, 2)), ==, 20 * MIB);
}

static void
test_volumes_async (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_directory ("st-dir", "/st/shared");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigVolume) volume = NULL;
  g_autoptr(GListModel) model = NULL;

  g_assert_true (kvmmig_shared_store_attach (store, f->a, NULL, &error));

  kvmmig_shared_store_create_volume_async (store, f->a, "v", 4 * MIB, NULL, on_done, &result);
  kvmmig_test_wait_result (&result);
  volume = kvmmig_shared_store_create_volume_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kvmmig_volume_get_capacity (volume), ==, 4 * MIB);
  g_clear_object (&result);

  kvmmig_shared_store_list_volumes_async (store, f->a, NULL, on_done, &result);
  kvmmig_test_wait_result (&result);
  model = kvmmig_shared_store_list_volumes_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_clear_object (&result);

  kvmmig_shared_store_lookup_volume_async (store, f->a, "w", NULL, on_done, &result);
  kvmmig_test_wait_result (&result);
  g_assert_null (kvmmig_shared_store_lookup_volume_finish (store, result, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_VOLUME_NOT_FOUND, HOST_A, "'w'");
  g_clear_error (&error);
  g_clear_object (&result);

  kvmmig_shared_store_resize_volume_async (store, f->a, "v", MIB, NULL, on_done, &result);
  kvmmig_test_wait_result (&result);
  g_assert_null (kvmmig_shared_store_resize_volume_finish (store, result, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_INVALID_ARGUMENT, HOST_A, "shrinking");
  g_clear_error (&error);
  g_clear_object (&result);

  kvmmig_shared_store_delete_volume_async (store, f->a, "v", NULL, on_done, &result);
  kvmmig_test_wait_result (&result);
  g_assert_true (kvmmig_shared_store_delete_volume_finish (store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  g_assert_true (kvmmig_shared_store_detach (store, f->a, NULL, &error));
}

/* A guest's disk on a volume: the volume lists it, and neither the volume
 * can be deleted nor the store detached while it is there. */
static void
test_in_use (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_directory ("st-dir", "/st/shared");
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigVolume) volume = NULL;
  g_autoptr(KvmmigVolume) seen = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (kvmmig_shared_store_attach (store, f->a, NULL, &error));
  volume = kvmmig_shared_store_create_volume (store, f->a, "used", 8 * MIB, NULL, &error);
  g_assert_no_error (error);
  define_guest_on (f->conn_a, "st-user 'q'", "file", kvmmig_volume_get_path (volume));

  seen = kvmmig_shared_store_lookup_volume (store, f->a, "used", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kvmmig_volume_is_in_use (seen));
  g_assert_cmpstr (kvmmig_volume_get_guests (seen)[0], ==, "st-user 'q'");
  g_assert_null (kvmmig_volume_get_guests (seen)[1]);

  before = pools_state (f->conn_a);
  g_assert_false (kvmmig_shared_store_delete_volume (store, f->a, "used", NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_VOLUME_IN_USE, HOST_A, "guest 'st-user 'q''");
  g_clear_error (&error);
  g_assert_false (kvmmig_shared_store_detach (store, f->a, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_STORE_IN_USE, HOST_A, "guest 'st-user 'q'' (defined) has disk vda");
  g_clear_error (&error);
  after = pools_state (f->conn_a);
  g_assert_cmpstr (before, ==, after);

  /* A disk on the store that is not a listed volume counts too. */
  undefine_guest_on (f->conn_a, "st-user 'q'");
  define_guest_on (f->conn_a, "st-other", "file", "/st/shared/not-a-volume-yet");
  g_assert_false (kvmmig_shared_store_detach (store, f->a, NULL, &error));
  kvmmig_test_assert_error (error, KVMMIG_ERROR_STORE_IN_USE, HOST_A, "st-other");
  g_clear_error (&error);
  undefine_guest_on (f->conn_a, "st-other");

  g_assert_true (kvmmig_shared_store_delete_volume (store, f->a, "used", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kvmmig_shared_store_detach (store, f->a, NULL, &error));
  g_assert_no_error (error);
}

static void
test_visibility (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_directory ("st-dir", "/st/shared");
  g_autoptr(GPtrArray) hosts = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KvmmigVolume) va = NULL;
  g_autoptr(KvmmigVolume) vb = NULL;
  const char *b = kvmmig_host_get_uri (f->b);

  g_ptr_array_add (hosts, f->a);
  g_ptr_array_add (hosts, f->b);

  g_assert_true (kvmmig_shared_store_attach (store, f->a, NULL, &error));
  va = kvmmig_shared_store_create_volume (store, f->a, "shared-1", 16 * MIB, NULL, &error);
  g_assert_no_error (error);

  /* Not attached to B: B sees nothing, and says why. */
  {
    g_autoptr(KvmmigStoreVisibility) result = kvmmig_shared_store_check_visibility (store, hosts, NULL, &error);
    const char * const *missing;
    const char * const *problems;

    g_assert_no_error (error);
    g_test_message ("%s", kvmmig_store_visibility_get_summary (result));
    g_assert_false (kvmmig_store_visibility_is_complete (result));
    g_assert_cmpstr (kvmmig_store_visibility_get_host_uris (result)[0], ==, HOST_A);
    g_assert_cmpstr (kvmmig_store_visibility_get_host_uris (result)[1], ==, b);
    g_assert_cmpuint (g_strv_length ((GStrv) kvmmig_store_visibility_get_problems (result, HOST_A)), ==, 0);
    missing = kvmmig_store_visibility_get_missing (result, b);
    g_assert_cmpstr (missing[0], ==, "shared-1");
    g_assert_null (missing[1]);
    problems = kvmmig_store_visibility_get_problems (result, b);
    g_assert_nonnull (strstr (problems[0], "not attached"));
    g_assert_null (kvmmig_store_visibility_get_missing (result, "test:///nowhere"));
  }

  /* Attached to B, which (a test driver of its own) sees another size. */
  g_assert_true (kvmmig_shared_store_attach (store, f->b, NULL, &error));
  vb = kvmmig_shared_store_create_volume (store, f->b, "shared-1", 8 * MIB, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(KvmmigStoreVisibility) result = kvmmig_shared_store_check_visibility (store, hosts, NULL, &error);
    const char * const *problems = kvmmig_store_visibility_get_problems (result, b);

    g_assert_no_error (error);
    g_test_message ("%s", kvmmig_store_visibility_get_summary (result));
    g_assert_false (kvmmig_store_visibility_is_complete (result));
    g_assert_cmpuint (g_strv_length ((GStrv) kvmmig_store_visibility_get_missing (result, b)), ==, 0);
    g_assert_nonnull (strstr (problems[0], "8388608 bytes here but 16777216"));
  }

  /* The same volume on both: complete. */
  g_assert_true (kvmmig_shared_store_delete_volume (store, f->b, "shared-1", NULL, &error));
  g_clear_object (&vb);
  vb = kvmmig_shared_store_create_volume (store, f->b, "shared-1", 16 * MIB, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GAsyncResult) async_result = NULL;
    g_autoptr(KvmmigStoreVisibility) result = NULL;

    kvmmig_shared_store_check_visibility_async (store, hosts, NULL, on_done, &async_result);
    kvmmig_test_wait_result (&async_result);
    result = kvmmig_shared_store_check_visibility_finish (store, async_result, &error);
    g_assert_no_error (error);
    g_test_message ("%s", kvmmig_store_visibility_get_summary (result));
    g_assert_true (kvmmig_store_visibility_is_complete (result));
    g_assert_cmpstr (kvmmig_store_visibility_get_volume_names (result)[0], ==, "shared-1");
    g_assert_nonnull (strstr (kvmmig_store_visibility_get_summary (result), "all 2 hosts"));
  }

  /* A host that is not open is an error, not a result. */
  {
    g_autoptr(KvmmigHost) closed = kvmmig_host_new ("test:///default");
    g_autoptr(KvmmigStoreVisibility) result = NULL;

    g_ptr_array_add (hosts, closed);
    result = kvmmig_shared_store_check_visibility (store, hosts, NULL, &error);
    g_assert_null (result);
    kvmmig_test_assert_error (error, KVMMIG_ERROR_NOT_OPEN, NULL, "not open");
    g_ptr_array_remove (hosts, closed);
    g_clear_error (&error);
  }

  g_assert_true (kvmmig_shared_store_delete_volume (store, f->a, "shared-1", NULL, &error));
  g_assert_true (kvmmig_shared_store_delete_volume (store, f->b, "shared-1", NULL, &error));
  g_assert_true (kvmmig_shared_store_detach (store, f->a, NULL, &error));
  g_assert_true (kvmmig_shared_store_detach (store, f->b, NULL, &error));
  g_assert_no_error (error);
}

static void
test_null_arguments (Fixture *f, gconstpointer data)
{
  g_autoptr(KvmmigSharedStore) store = kvmmig_shared_store_new_directory ("st-dir", "/st/shared");

  g_test_expect_message ("Kvmmig", G_LOG_LEVEL_CRITICAL, "*KVMMIG_IS_HOST*");
  g_assert_false (kvmmig_shared_store_attach (store, NULL, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Kvmmig", G_LOG_LEVEL_CRITICAL, "*name != NULL*");
  g_assert_null (kvmmig_shared_store_create_volume (store, f->a, NULL, 1, NULL, NULL));
  g_test_assert_expected_messages ();
}

int
main (int argc, char *argv[])
{
  /* No G_TEST_OPTION_ISOLATE_DIRS: these tests use no user directories,
   * and GLib 2.74 leaks its per-test copies of them (an ASan failure). */
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Kvmmig/SharedStore/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/Kvmmig/SharedStore/new", test_new);
  g_test_add_func ("/Kvmmig/SharedStore/chap-not-readable", test_chap_not_readable);
  g_test_add_func ("/Kvmmig/SharedStore/pool-xml", test_pool_xml);
  ADD ("chap-no-secret-in-errors-or-logs", test_chap_attach_no_secret_leak);
  ADD ("invalid", test_invalid);
  ADD ("attach-detach", test_attach_detach);
  ADD ("attach-async", test_attach_async);
  ADD ("adopt-existing-pool", test_adopt_existing_pool);
  ADD ("name-clash", test_name_clash);
  ADD ("iscsi", test_iscsi);
  ADD ("block-device", test_block_device);
  ADD ("nfs", test_nfs);
  ADD ("not-attached", test_not_attached);
  g_test_add ("/Kvmmig/SharedStore/volumes/created", Fixture, NULL,
              volumes_setup, test_volume_created, volumes_teardown);
  g_test_add ("/Kvmmig/SharedStore/volumes/listed", Fixture, NULL,
              volumes_setup, test_volumes_listed, volumes_teardown);
  g_test_add ("/Kvmmig/SharedStore/volumes/bad-input", Fixture, NULL,
              volumes_setup, test_volumes_bad_input, volumes_teardown);
  ADD ("volumes-async", test_volumes_async);
  ADD ("in-use", test_in_use);
  ADD ("visibility", test_visibility);
  ADD ("null-arguments", test_null_arguments);

  /* Keep test:///default's state for the whole run (see
   * test-migration-job.c); each test leaves it as it found it. */
  return kvmmig_test_run_holding_default (NULL);
}
