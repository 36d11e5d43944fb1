/* test-migration-run.c: what a migration run decides from libvirt's
 * domain states after an interrupted post-copy migration (finished on its
 * own? paused?), its connection bounded by a deadline, the migration
 * parameters it builds, and what libvirt's error says when the source's
 * daemon cannot open the destination over SSH
 * (kvmmig-migration-states-private.h); synthetic states and libvirt's own
 * messages, no migration.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <gio/gio.h>

#include "kvmmig-libvirt-quirks-private.h"
#include "kvmmig-lvm-private.h"
#include "kvmmig-disk-copy-private.h"
#include "kvmmig-migration-states-private.h"
#include "kvmmig-xml-private.h"

/* A state and its reason, as libvirt gives them (or a state alone, the
 * reason then 0). */
#define UNREADABLE_           KVMMIG_DOMAIN_STATE_UNREADABLE, 0
#define GONE_                 KVMMIG_DOMAIN_STATE_GONE, 0
#define SHUTOFF_MIGRATED      VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_MIGRATED
#define SHUTOFF_DESTROYED     VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED
#define RUNNING_MIGRATED      VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_MIGRATED
#define RUNNING_POSTCOPY      VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_POSTCOPY
#define RUNNING_PC_FAILED     VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_POSTCOPY_FAILED
#define RUNNING_CANCELED      VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_MIGRATION_CANCELED
#define PAUSED_POSTCOPY       VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_POSTCOPY
#define PAUSED_PC_FAILED      VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_POSTCOPY_FAILED
#define PAUSED_MIGRATION      VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_MIGRATION

/* The source's state, the destination's, whether the source sent its
 * post-copy-failed event; then whether post-copy finished on its own, and
 * whether it is paused. */
typedef struct
{
  int sstate, sreason, dstate, dreason;
  gboolean failed_event;
  gboolean finished, paused;
  const char *what;
} StatesCase;

static const StatesCase states_cases[] = {
  { SHUTOFF_MIGRATED, RUNNING_MIGRATED, FALSE, TRUE, FALSE, "both say migrated" },
  { GONE_, RUNNING_MIGRATED, FALSE, TRUE, FALSE, "source gone (undefined), destination migrated" },
  { UNREADABLE_, RUNNING_MIGRATED, FALSE, FALSE, FALSE, "source unreadable (a dead connection)" },
  { SHUTOFF_MIGRATED, RUNNING_POSTCOPY, FALSE, FALSE, FALSE, "destination still in post-copy" },
  { UNREADABLE_, RUNNING_POSTCOPY, FALSE, FALSE, FALSE, "source unreadable, destination in post-copy" },
  { UNREADABLE_, RUNNING_PC_FAILED, FALSE, FALSE, TRUE, "destination running a failed post-copy" },
  { GONE_, PAUSED_PC_FAILED, FALSE, FALSE, TRUE, "destination paused by a failed post-copy" },
  { PAUSED_PC_FAILED, RUNNING_MIGRATED, FALSE, FALSE, TRUE, "source paused by a failed post-copy" },
  { PAUSED_PC_FAILED, UNREADABLE_, FALSE, FALSE, TRUE, "source paused by a failed post-copy alone" },
  { PAUSED_POSTCOPY, UNREADABLE_, FALSE, FALSE, TRUE, "source paused in post-copy" },
  { SHUTOFF_DESTROYED, RUNNING_MIGRATED, FALSE, FALSE, FALSE, "source destroyed, not migrated" },
  { GONE_, UNREADABLE_, FALSE, FALSE, FALSE, "destination unreadable" },
  { UNREADABLE_, UNREADABLE_, TRUE, FALSE, TRUE, "both unreadable, the post-copy-failed event" },
  { UNREADABLE_, UNREADABLE_, FALSE, FALSE, FALSE, "both unreadable, no event" },
  { RUNNING_CANCELED, GONE_, FALSE, FALSE, FALSE, "source running again, destination gone" },
  { PAUSED_MIGRATION, UNREADABLE_, FALSE, FALSE, FALSE, "source paused by pre-copy" },
};

static void
test_postcopy_finished (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (states_cases); i++)
    {
      const StatesCase *c = &states_cases[i];

      g_test_message ("%s", c->what);
      g_assert_cmpint (_kvmmig_postcopy_finished (c->sstate, c->sreason, c->dstate, c->dreason),
                       ==, c->finished);
    }
}

static void
test_postcopy_paused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (states_cases); i++)
    {
      const StatesCase *c = &states_cases[i];

      g_test_message ("%s", c->what);
      g_assert_cmpint (_kvmmig_postcopy_paused (c->sstate, c->sreason, c->dstate, c->dreason,
                                                c->failed_event),
                       ==, c->paused);
    }
}

static void
test_time_left (void)
{
  g_assert_cmpint (_kvmmig_time_left_us (1000, 5000), ==, 4000);
  g_assert_cmpint (_kvmmig_time_left_us (5000, 5000), ==, 0);
  g_assert_cmpint (_kvmmig_time_left_us (9000, 5000), ==, 0);
}

static void
test_look_deadline (void)
{
  const gint64 s = G_USEC_PER_SEC, now = 1000 * s;

  g_assert_cmpint (_kvmmig_look_deadline_us (now, now + 3 * s), ==, now + 3 * s);
  g_assert_cmpint (_kvmmig_look_deadline_us (now, now + 300 * s), ==, now + 10 * s);
  g_assert_cmpint (_kvmmig_look_deadline_us (now, now), ==, now + s);
  g_assert_cmpint (_kvmmig_look_deadline_us (now, now - 5 * s), ==, now + s);
}

typedef struct
{
  GMutex lock;
  GCond cond;
  char *uri;
  gint64 deadline;
  gboolean returned;
  gboolean got_connection;
} OpenCall;

static gpointer
open_thread (gpointer data)
{
  OpenCall *call = data;
  virConnectPtr conn = _kvmmig_connect_open_until (call->uri, call->deadline);

  g_mutex_lock (&call->lock);
  call->returned = TRUE;
  call->got_connection = conn != NULL;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->lock);
  if (conn != NULL)
    virConnectClose (conn);
  return NULL;
}

/* A host that takes the TCP connection but never answers (a partition
 * seen from libvirt's client): the open gives up at the deadline. */
static void
test_open_until_deadline (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  OpenCall *call = g_new0 (OpenCall, 1);
  guint16 port;
  gint64 start = g_get_monotonic_time ();
  gboolean returned;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);

  g_mutex_init (&call->lock);
  g_cond_init (&call->cond);
  call->uri = g_strdup_printf ("qemu+tcp://127.0.0.1:%u/system", port);
  call->deadline = start + 300 * G_TIME_SPAN_MILLISECOND;
  g_thread_unref (g_thread_new ("open", open_thread, call));

  g_mutex_lock (&call->lock);
  while (!call->returned &&
         g_cond_wait_until (&call->cond, &call->lock, start + 5 * G_TIME_SPAN_SECOND))
    ;
  returned = call->returned;
  g_mutex_unlock (&call->lock);

  /* Unblocks an open that did not give up (the listener resets it). */
  g_socket_listener_close (listener);
  g_assert_true (returned);
  g_assert_false (call->got_connection);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_TIME_SPAN_SECOND);
  g_free (call->uri);
  g_mutex_clear (&call->lock);
  g_cond_clear (&call->cond);
  g_free (call);
}

static void
test_open_until_in_time (void)
{
  virConnectPtr conn =
    _kvmmig_connect_open_until ("test:///default", g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND);

  g_assert_nonnull (conn);
  virConnectClose (conn);
  g_assert_null (_kvmmig_connect_open_until ("test:///default", g_get_monotonic_time () - 1));
}

static void
assert_ullong (virTypedParameterPtr params, int nparams, const char *name,
               gboolean present, unsigned long long expected)
{
  unsigned long long v = 0;

  g_test_message ("%s", name);
  g_assert_cmpint (virTypedParamsGetULLong (params, nparams, name, &v), ==, present ? 1 : 0);
  if (present)
    g_assert_cmpuint (v, ==, expected);
}

/* bandwidth-limit holds in every phase: pre-copy and, when post-copy may
 * happen, post-copy, both in MiB/s. */
static void
test_build_params_bandwidth (void)
{
  struct {
    KvmmigMigrationPolicy policy;
    gboolean allow_postcopy;
    int limit;
    gboolean postcopy;
  } cases[] = {
    { KVMMIG_MIGRATION_POLICY_AUTO, TRUE, 100, TRUE },
    { KVMMIG_MIGRATION_POLICY_POSTCOPY, FALSE, 50, TRUE },
    { KVMMIG_MIGRATION_POLICY_PRECOPY, FALSE, 100, FALSE },
    { KVMMIG_MIGRATION_POLICY_AUTO, TRUE, 0, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KvmmigMigrationOptions o;
      virTypedParameterPtr params = NULL;
      int nparams = 0;
      unsigned int flags;

      _kvmmig_migration_options_init (&o);
      o.policy = cases[i].policy;
      o.allow_postcopy = cases[i].allow_postcopy;
      o.bandwidth_limit = cases[i].limit;
      flags = _kvmmig_migration_build_params (&o, &params, &nparams);

      g_assert_cmpint (!!(flags & VIR_MIGRATE_POSTCOPY), ==, cases[i].postcopy);
      assert_ullong (params, nparams, VIR_MIGRATE_PARAM_BANDWIDTH,
                     cases[i].limit > 0, cases[i].limit);
      assert_ullong (params, nparams, VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY,
                     cases[i].limit > 0 && cases[i].postcopy, cases[i].limit);
      virTypedParamsFree (params, nparams);
      _kvmmig_migration_options_clear (&o);
    }
}

/* copy-storage: the flag of the kind of copy and the disks the pre-flight
 * check chose, by target, one parameter each; none without disks; and
 * the volume the job creates for a disk on the destination. */
static void
test_build_params_copy_storage (void)
{
  struct {
    KvmmigStorageCopy copy;
    const char *disks;
    unsigned int flag;
  } cases[] = {
    { KVMMIG_STORAGE_COPY_NONE, "vda", 0 },
    { KVMMIG_STORAGE_COPY_ALL, NULL, 0 },
    { KVMMIG_STORAGE_COPY_ALL, "vda", VIR_MIGRATE_NON_SHARED_DISK },
    { KVMMIG_STORAGE_COPY_INCREMENTAL, "vda,vdb", VIR_MIGRATE_NON_SHARED_INC },
  };
  const unsigned int both = VIR_MIGRATE_NON_SHARED_DISK | VIR_MIGRATE_NON_SHARED_INC;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KvmmigMigrationOptions o;
      virTypedParameterPtr params = NULL;
      int nparams = 0, found = 0;
      unsigned int flags;
      g_autofree char *resume = NULL;

      _kvmmig_migration_options_init (&o);
      o.copy_storage = cases[i].copy;
      o.migrate_disks = cases[i].disks ? g_strsplit (cases[i].disks, ",", -1) : NULL;
      flags = _kvmmig_migration_build_params (&o, &params, &nparams);
      g_assert_cmpuint (flags & both, ==, cases[i].flag);
      for (int k = 0; k < nparams; k++)
        if (g_str_equal (params[k].field, VIR_MIGRATE_PARAM_MIGRATE_DISKS))
          {
            g_assert_true (g_strv_contains ((const char *const *) o.migrate_disks,
                                            params[k].value.s));
            found++;
          }
      g_assert_cmpint (found, ==, cases[i].flag ? (int) g_strv_length (o.migrate_disks) : 0);

      resume = _kvmmig_migration_resume_command (&o, "qemu+tcp://h1/system", "web1",
                                                 "qemu+tcp://h2/system");
      g_assert_cmpint (strstr (resume, " --copy-storage-all") != NULL, ==,
                       cases[i].flag == VIR_MIGRATE_NON_SHARED_DISK);
      g_assert_cmpint (strstr (resume, " --copy-storage-inc") != NULL, ==,
                       cases[i].flag == VIR_MIGRATE_NON_SHARED_INC);
      if (cases[i].flag == VIR_MIGRATE_NON_SHARED_INC)
        g_assert_nonnull (strstr (resume, " --migrate-disks vda,vdb "));

      /* Zero detection for the disks copied into volumes the job made. */
      virTypedParamsFree (params, nparams);
      params = NULL;
      nparams = 0;
      o.zero_disks = g_strsplit ("vdb", ",", -1);
      flags = _kvmmig_migration_build_params (&o, &params, &nparams);
      found = 0;
      for (int k = 0; k < nparams; k++)
        if (g_str_equal (params[k].field, VIR_MIGRATE_PARAM_MIGRATE_DISKS_DETECT_ZEROES))
          {
            g_assert_cmpstr (params[k].value.s, ==, "vdb");
            found++;
          }
      g_assert_cmpint (found, ==, cases[i].flag ? 1 : 0);
      g_clear_pointer (&resume, g_free);
      resume = _kvmmig_migration_resume_command (&o, "qemu+tcp://h1/system", "web1",
                                                 "qemu+tcp://h2/system");
      g_assert_cmpint (strstr (resume, " --migrate-disks-detect-zeroes vdb ") != NULL, ==,
                       cases[i].flag != 0);
      virTypedParamsFree (params, nparams);
      _kvmmig_migration_options_clear (&o);
    }
}

static void
test_disk_copy_volume_xml (void)
{
  g_autoptr(KvmmigDiskCopy) copy = _kvmmig_disk_copy_new ();
  g_autofree char *xml = NULL;
  g_autofree char *inc = NULL;

  copy->volume = g_strdup ("web<1>.qcow2");
  copy->format = g_strdup ("qcow2");
  copy->capacity = G_GUINT64_CONSTANT (1) << 30;
  xml = _kvmmig_disk_copy_volume_xml (copy);
  g_test_message ("%s", xml);
  g_assert_nonnull (strstr (xml, "<name>web&lt;1&gt;.qcow2</name>"));
  g_assert_nonnull (strstr (xml, "<capacity unit=\"bytes\">1073741824</capacity>"));
  g_assert_nonnull (strstr (xml, "<allocation unit=\"bytes\">0</allocation>"));
  g_assert_nonnull (strstr (xml, "<format type=\"qcow2\"/>"));
  g_assert_null (strstr (xml, "backingStore"));

  copy->backing_path = g_strdup ("/var/lib/libvirt/images/base.qcow2");
  copy->backing_format = g_strdup ("qcow2");
  inc = _kvmmig_disk_copy_volume_xml (copy);
  g_assert_nonnull (strstr (inc, "<backingStore>"));
  g_assert_nonnull (strstr (strstr (inc, "<backingStore>"),
                            "<path>/var/lib/libvirt/images/base.qcow2</path>"));
  g_assert_nonnull (strstr (strstr (inc, "<backingStore>"), "<format type=\"qcow2\"/>"));
}

/* Zero detection only for the disks copied into a volume the job creates
 * without a backing image: one already there (reused) or on a backing
 * image does not read as zeroes. */
static void
test_disk_copy_targets (void)
{
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func ((GDestroyNotify) _kvmmig_disk_copy_free);
  g_auto(GStrv) all = NULL;
  g_auto(GStrv) zero = NULL;
  const char *targets[] = { "vda", "vdb", "vdc" };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      KvmmigDiskCopy *copy = _kvmmig_disk_copy_new ();

      copy->target = g_strdup (targets[i]);
      copy->exists = i == 1;
      copy->backing_path = i == 2 ? g_strdup ("/images/base.raw") : NULL;
      g_ptr_array_add (copies, copy);
    }
  all = _kvmmig_disk_copies_targets (copies, FALSE);
  zero = _kvmmig_disk_copies_targets (copies, TRUE);
  g_assert_cmpuint (g_strv_length (all), ==, 3);
  g_assert_cmpuint (g_strv_length (zero), ==, 1);
  g_assert_cmpstr (zero[0], ==, "vda");
  g_assert_null (_kvmmig_disk_copies_targets (NULL, TRUE));
}

/* A disk copied to another path: the destination's definition names the
 * copy (a file or block disk becomes a file there, a volume disk names
 * the new pool and volume), every other disk and element is left as it
 * was, and values are escaped. A disk missing from the definition is an
 * error for the running definition, skipped for the inactive one. */
static void
test_disk_copies_move (void)
{
  static const char *domain =
    "<domain type='qemu'><name>web1</name><devices>"
    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
    "<source file='/var/lib/libvirt/images/web1.qcow2'/><target dev='vda' bus='virtio'/></disk>"
    "<disk type='block' device='disk'><driver name='qemu' type='raw'/>"
    "<source dev='/dev/vg0/data'/><target dev='vdb' bus='virtio'/></disk>"
    "<disk type='volume' device='disk'><driver name='qemu' type='raw'/>"
    "<source pool='local' volume='logs.raw'/><target dev='vdc' bus='virtio'/></disk>"
    "<disk type='file' device='disk'><source file='/srv/keep.raw'/>"
    "<target dev='vdd' bus='virtio'/></disk>"
    "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>"
    "</devices></domain>";
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func ((GDestroyNotify) _kvmmig_disk_copy_free);
  struct { const char *target, *type, *from, *to, *pool, *volume; } cases[] = {
    { "vda", "file", "/var/lib/libvirt/images/web1.qcow2", "/srv/other & more/web1.qcow2",
      "other", "web1.qcow2" },
    { "vdb", "block", "/dev/vg0/data", "/srv/other/data", "other", "data" },
    { "vdc", "volume", "/var/lib/libvirt/images/logs.raw", "/srv/other/logs.raw", "other",
      "logs.raw" },
    { "vdd", "file", "/srv/keep.raw", "/srv/keep.raw", "keep", "keep.raw" },
  };
  g_auto(KvmmigXml) xml = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *s = NULL;
  g_autofree char *missing = NULL;
  KvmmigDiskCopy *extra;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KvmmigDiskCopy *copy = _kvmmig_disk_copy_new ();

      copy->target = g_strdup (cases[i].target);
      copy->disk_type = g_strdup (cases[i].type);
      copy->source_path = g_strdup (cases[i].from);
      copy->dest_path = g_strdup (cases[i].to);
      copy->pool = g_strdup (cases[i].pool);
      copy->volume = g_strdup (cases[i].volume);
      if (g_str_equal (cases[i].type, "volume"))
        {
          copy->source_pool = g_strdup ("local");
          copy->source_volume = g_strdup ("logs.raw");
        }
      g_ptr_array_add (copies, copy);
    }
  g_assert_true (_kvmmig_disk_copy_moves (g_ptr_array_index (copies, 0)));
  g_assert_false (_kvmmig_disk_copy_moves (g_ptr_array_index (copies, 3)));

  moved = _kvmmig_disk_copies_move (domain, copies, TRUE, "guest 'web1'", &error);
  g_assert_no_error (error);
  g_test_message ("%s", moved);
  g_assert_true (_kvmmig_xml_parse (&xml, moved));
#define AT(expr) (g_free (s), s = _kvmmig_xml_string (&xml, NULL, expr))
  g_assert_cmpstr (AT ("string(//disk[target/@dev='vda']/source/@file)"), ==,
                   "/srv/other & more/web1.qcow2");
  g_assert_cmpstr (AT ("string(//disk[target/@dev='vda']/driver/@type)"), ==, "qcow2");
  g_assert_cmpstr (AT ("string(//disk[target/@dev='vdb']/@type)"), ==, "file");
  g_assert_cmpstr (AT ("string(//disk[target/@dev='vdb']/source/@file)"), ==, "/srv/other/data");
  g_assert_false (_kvmmig_xml_exists (&xml, NULL, "//disk[target/@dev='vdb']/source/@dev"));
  g_assert_cmpstr (AT ("string(//disk[target/@dev='vdc']/@type)"), ==, "volume");
  g_assert_cmpstr (AT ("string(//disk[target/@dev='vdc']/source/@pool)"), ==, "other");
  g_assert_cmpstr (AT ("string(//disk[target/@dev='vdc']/source/@volume)"), ==, "logs.raw");
  g_assert_cmpstr (AT ("string(//disk[target/@dev='vdd']/source/@file)"), ==, "/srv/keep.raw");
  g_assert_cmpstr (AT ("string(//disk[target/@dev='sda']/@device)"), ==, "cdrom");
  g_assert_cmpstr (AT ("string(/domain/name)"), ==, "web1");
#undef AT
  g_assert_nonnull (strstr (moved, "&amp; more"));

  /* A copy whose disk the definition lacks. */
  extra = _kvmmig_disk_copy_new ();
  extra->target = g_strdup ("vde");
  extra->source_path = g_strdup ("/a/hot.raw");
  extra->dest_path = g_strdup ("/b/hot.raw");
  g_ptr_array_add (copies, extra);
  missing = _kvmmig_disk_copies_move (domain, copies, FALSE, "guest 'web1'", &error);
  g_assert_no_error (error);
  g_assert_nonnull (missing);
  g_assert_null (_kvmmig_disk_copies_move (domain, copies, TRUE, "guest 'web1'", &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "guest 'web1' has no disk vde"));
  g_clear_error (&error);
  g_assert_null (_kvmmig_disk_copies_move ("<domain", copies, TRUE, "guest 'web1'", &error));
  g_assert_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "guest 'web1' is not well-formed XML"));
}

/* The command a user runs to resume an interrupted post-copy: the job's
 * own flags and limits (libvirt wants them again), names quoted for a
 * shell only where they need it, and it parses back into the same words. */
static void
test_resume_command (void)
{
  KvmmigMigrationOptions o;
  g_autofree char *plain = NULL;
  g_autofree char *full = NULL;
  g_auto(GStrv) argv = NULL;
  int argc = 0;

  _kvmmig_migration_options_init (&o);
  o.policy = KVMMIG_MIGRATION_POLICY_POSTCOPY;
  plain = _kvmmig_migration_resume_command (&o, "qemu+tcp://h1/system", "web1",
                                            "qemu+tcp://h2/system");
  g_test_message ("%s", plain);
  g_assert_true (g_str_has_prefix (plain, "virsh -c qemu+tcp://h1/system migrate --live --p2p "));
  g_assert_true (g_str_has_suffix (plain, " web1 qemu+tcp://h2/system"));
  g_assert_nonnull (strstr (plain, " --postcopy --postcopy-resume"));
  g_assert_nonnull (strstr (plain, " --persistent --undefinesource"));
  g_assert_null (strstr (plain, "--bandwidth"));
  g_assert_null (strstr (plain, "--tls"));

  o.policy = KVMMIG_MIGRATION_POLICY_AUTO;
  o.allow_postcopy = TRUE;
  o.bandwidth_limit = 40;
  o.tls = TRUE;
  o.undefine_source = FALSE;
  o.compression = KVMMIG_COMPRESSION_ZSTD;
  o.parallel_connections = 4;
  o.migration_uri = g_strdup ("tcp://10.0.0.2");
  full = _kvmmig_migration_resume_command (&o, "qemu+ssh://root@h1/system?keyfile=/k k",
                                           "it's a guest", "qemu+tls://h2/system");
  g_test_message ("%s", full);
  for (const char *words[] = { " --tls", " --auto-converge", " --bandwidth 40",
                               " --postcopy-bandwidth 40", " --parallel", " --parallel-connections 4",
                               " --compressed", " --comp-methods zstd",
                               " --migrateuri tcp://10.0.0.2", NULL }, **w = words; *w; w++)
    g_assert_nonnull (strstr (full, *w));
  g_assert_null (strstr (full, "--undefinesource"));
  g_assert_true (g_shell_parse_argv (full, &argc, &argv, NULL));
  g_assert_cmpstr (argv[2], ==, "qemu+ssh://root@h1/system?keyfile=/k k");
  g_assert_cmpstr (argv[argc - 2], ==, "it's a guest");
  g_assert_cmpstr (argv[argc - 1], ==, "qemu+tls://h2/system");
  _kvmmig_migration_options_clear (&o);
}

/* After a recovered post-copy, the destination's connection may be dead
 * (NULL here) or the guest not found there: nothing can be released, and
 * that is said, not left silent. */
static void
test_release_lvs_destination_unreadable (void)
{
  virConnectPtr source = virConnectOpen ("test:///default");
  g_autoptr(GPtrArray) dead = _kvmmig_storage_release_lvs (source, "test:///default", NULL, "g");
  g_autoptr(GPtrArray) missing = _kvmmig_storage_release_lvs (source, "test:///default", source,
                                                              "no-such-guest");

  g_assert_cmpuint (dead->len, ==, 1);
  g_test_message ("%s", (char *) g_ptr_array_index (dead, 0));
  g_assert_nonnull (strstr (g_ptr_array_index (dead, 0), "could NOT"));
  g_assert_cmpuint (missing->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (missing, 0), "no-such-guest"));
  virConnectClose (source);
}

/* The libvirt whose destination crashes on a post-copy resume: 11.3.x,
 * and only it (the one release read and run). */
static void
test_quirk_versions (void)
{
  const struct { unsigned long version; gboolean has; } cases[] = {
    { 9000000, FALSE }, { 11002000, FALSE }, { 11002999, FALSE }, { 11003000, TRUE },
    { 11003009, TRUE }, { 11004000, FALSE }, { 12008000, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (_kvmmig_libvirt_version_has_quirk (cases[i].version,
                                                        KVMMIG_LIBVIRT_QUIRK_POSTCOPY_RESUME_CRASH),
                     ==, cases[i].has);
  g_assert_cmpstr (_kvmmig_libvirt_quirk_name (KVMMIG_LIBVIRT_QUIRK_POSTCOPY_RESUME_CRASH), ==,
                   "postcopy-resume");
}

/* On a connection, the quirk follows the daemon's version (the test
 * driver's is this machine's libvirt), says which bug in a sentence, and
 * KVMMIG_ASSUME_FIXED_LIBVIRT naming it (among others, with spaces) turns
 * it off; naming another quirk does not. */
static void
test_quirk_connection (void)
{
  virConnectPtr conn = virConnectOpen ("test:///default");
  unsigned long version = 0;
  g_autofree char *why = NULL;
  g_autofree char *why_other = NULL;
  gboolean expected;

  g_assert_nonnull (conn);
  g_assert_cmpint (virConnectGetLibVersion (conn, &version), ==, 0);
  expected = _kvmmig_libvirt_version_has_quirk (version, KVMMIG_LIBVIRT_QUIRK_POSTCOPY_RESUME_CRASH);

  g_unsetenv ("KVMMIG_ASSUME_FIXED_LIBVIRT");
  g_assert_cmpint (_kvmmig_libvirt_has_quirk (conn, KVMMIG_LIBVIRT_QUIRK_POSTCOPY_RESUME_CRASH,
                                              &why), ==, expected);
  g_assert_false (_kvmmig_libvirt_has_quirk (NULL, KVMMIG_LIBVIRT_QUIRK_POSTCOPY_RESUME_CRASH,
                                             NULL));
  if (!expected)
    {
      g_assert_null (why);
      virConnectClose (conn);
      g_test_skip ("this machine's libvirt does not have the post-copy resume crash: "
                   "the message and the override are not exercised");
      return;
    }
  g_test_message ("%s", why);
  g_assert_nonnull (strstr (why, "qemuProcessIncomingDefNew"));
  g_assert_nonnull (strstr (why, "KVMMIG_ASSUME_FIXED_LIBVIRT=postcopy-resume"));
  g_assert_true (g_str_has_prefix (why, "libvirt 11.3."));

  g_setenv ("KVMMIG_ASSUME_FIXED_LIBVIRT", "other-bug", TRUE);
  g_assert_true (_kvmmig_libvirt_has_quirk (conn, KVMMIG_LIBVIRT_QUIRK_POSTCOPY_RESUME_CRASH,
                                            &why_other));
  g_setenv ("KVMMIG_ASSUME_FIXED_LIBVIRT", "other-bug, postcopy-resume", TRUE);
  g_assert_false (_kvmmig_libvirt_has_quirk (conn, KVMMIG_LIBVIRT_QUIRK_POSTCOPY_RESUME_CRASH,
                                             NULL));
  g_unsetenv ("KVMMIG_ASSUME_FIXED_LIBVIRT");
  virConnectClose (conn);
}

/* What libvirt 11.3 said, on the testbed (OpenSSH 9.2), when the source's
 * daemon could not open the destination over SSH in a peer-to-peer
 * migration (tests/integration/test_ssh.py, kvmmig-testbed ssh-break), with
 * error code VIR_ERR_SYSTEM_ERROR; and what the job's error must then say.
 * The cases after the first three are OpenSSH's and libvirt's other
 * messages as their sources print them, not recorded here. */
#define DEST_SSH "qemu+ssh://root@10.251.77.12/system?keyfile=/var/lib/kvmmig-testbed/run/ssh/client/id_ed25519"
#define MSG_NO_KEY "Cannot recv data: Warning: Identity file /var/lib/kvmmig-testbed/run/ssh/client/id_ed25519 " \
  "not accessible: No such file or directory.\nroot@10.251.77.12: Permission denied (publickey).: " \
  "Connection reset by peer"
#define MSG_HOST_KEY "Cannot recv data: No ED25519 host key is known for 10.251.77.12 and you have " \
  "requested strict checking.\nHost key verification failed.: Connection reset by peer"
#define MSG_LOGIN "Cannot recv data: root@10.251.77.12: Permission denied (publickey).: Connection reset by peer"
/* libvirt's QEMU driver's wording in versions that wrap the remote driver's error. */
#define P2P "operation failed: Failed to connect to remote libvirt URI " DEST_SSH ": "

typedef struct
{
  const char *what;
  const char *dest_uri;
  int err_code;
  const char *message;
  KvmmigPeerFailure failure;
  const char *says[4];        /* in the description, besides host and transport */
} PeerCase;

static const PeerCase peer_cases[] = {
  { "(a) no key: the source's identity file moved aside", DEST_SSH, VIR_ERR_SYSTEM_ERROR,
    MSG_NO_KEY,
    KVMMIG_PEER_FAILURE_SSH_NO_KEY,
    { "Fix the key", "/var/lib/kvmmig-testbed/run/ssh/client/id_ed25519", "is missing on the source host",
      "authorized_keys on 10.251.77.12" } },
  { "(b) the destination's host key not in the source's known_hosts", DEST_SSH, VIR_ERR_SYSTEM_ERROR,
    MSG_HOST_KEY,
    KVMMIG_PEER_FAILURE_SSH_HOST_KEY_UNKNOWN,
    { "Fix the host key", "known_hosts", "host key checking is on", "ssh-keygen -lf" } },
  { "(c) the destination's sshd refuses root (DenyUsers root)", DEST_SSH, VIR_ERR_SYSTEM_ERROR,
    MSG_LOGIN,
    KVMMIG_PEER_FAILURE_SSH_LOGIN_REFUSED,
    { "Fix the login", "refused the login of root", "PermitRootLogin, AllowUsers, DenyUsers",
      "authorized_keys on 10.251.77.12" } },
  { "a changed host key", DEST_SSH, VIR_ERR_SYSTEM_ERROR,
    "Cannot recv data: @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n"
    "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n"
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n"
    "Host key verification failed.: Connection reset by peer",
    KVMMIG_PEER_FAILURE_SSH_HOST_KEY_CHANGED,
    { "Fix the host key", "ssh-keygen -R 10.251.77.12", "intercepted", NULL } },
  { "no sshd on the destination", DEST_SSH, VIR_ERR_SYSTEM_ERROR,
    "Cannot recv data: ssh: connect to host 10.251.77.12 port 22: Connection refused: "
    "Connection reset by peer",
    KVMMIG_PEER_FAILURE_SSH_NO_ANSWER,
    { "Fix the network path", "sshd must run on 10.251.77.12", NULL, NULL } },
  { "another ssh failure, wrapped by the QEMU driver", DEST_SSH, VIR_ERR_OPERATION_FAILED,
    P2P "End of file while reading data: sh: 1: nc: not found: Input/output error",
    KVMMIG_PEER_FAILURE_SSH_OTHER,
    { "'ssh root@10.251.77.12' works as root on the source host", NULL, NULL, NULL } },
  { "TLS: not classified here", "qemu+tls://10.251.77.12/system", VIR_ERR_OPERATION_FAILED,
    "operation failed: Failed to connect to remote libvirt URI qemu+tls://10.251.77.12/system: "
    "authentication failed: Failed to verify peer's certificate",
    KVMMIG_PEER_FAILURE_NONE, { NULL } },
  { "TCP: not classified here", "qemu+tcp://10.251.77.12/system", VIR_ERR_OPERATION_FAILED,
    "operation failed: Failed to connect to remote libvirt URI qemu+tcp://10.251.77.12/system: "
    "unable to connect to server at '10.251.77.12:16509': Connection refused",
    KVMMIG_PEER_FAILURE_NONE, { NULL } },
  { "SSH, a failure after the connection", DEST_SSH, VIR_ERR_OPERATION_FAILED,
    "operation failed: job 'migration out' failed: Unable to write to socket: Connection reset by peer",
    KVMMIG_PEER_FAILURE_NONE, { NULL } },
  { "SSH, an established connection that broke (unwrapped: could be the client's own)", DEST_SSH,
    VIR_ERR_SYSTEM_ERROR, "Cannot recv data: Connection reset by peer", KVMMIG_PEER_FAILURE_NONE,
    { NULL } },
  { "SSH messages, but the destination is over TCP", "qemu+tcp://10.251.77.12/system",
    VIR_ERR_SYSTEM_ERROR, MSG_LOGIN, KVMMIG_PEER_FAILURE_NONE, { NULL } },
};

static void
test_peer_failure (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (peer_cases); i++)
    {
      const PeerCase *c = &peer_cases[i];
      g_autofree char *text = NULL;

      g_test_message ("%s", c->what);
      g_assert_cmpint (_kvmmig_peer_failure_classify (c->dest_uri, c->err_code, c->message), ==,
                       c->failure);
      if (c->failure == KVMMIG_PEER_FAILURE_NONE)
        continue;
      text = _kvmmig_peer_failure_describe (c->failure, c->dest_uri, c->message);
      g_test_message ("  %s", text);
      g_assert_true (g_str_has_prefix (text, "the source host's libvirtd could not connect to "
                                             "the destination's (10.251.77.12) over ssh, so "
                                             "nothing was copied: "));
      g_assert_nonnull (strstr (text, c->message));
      for (guint w = 0; w < G_N_ELEMENTS (c->says) && c->says[w]; w++)
        if (strstr (text, c->says[w]) == NULL)
          g_error ("%s: \"%s\" not in: %s", c->what, c->says[w], text);
      /* Each case's remedy, and no other's. */
      g_assert_cmpint (!!strstr (text, "Fix the key"), ==,
                       c->failure == KVMMIG_PEER_FAILURE_SSH_NO_KEY);
      g_assert_cmpint (!!strstr (text, "Fix the login"), ==,
                       c->failure == KVMMIG_PEER_FAILURE_SSH_LOGIN_REFUSED);
      g_assert_cmpint (!!strstr (text, "Fix the host key"), ==,
                       c->failure == KVMMIG_PEER_FAILURE_SSH_HOST_KEY_UNKNOWN ||
                       c->failure == KVMMIG_PEER_FAILURE_SSH_HOST_KEY_CHANGED);
    }

  /* A URI without user or keyfile: root's default keys, the daemon's user. */
  {
    g_autofree char *text = _kvmmig_peer_failure_describe (KVMMIG_PEER_FAILURE_SSH_LOGIN_REFUSED,
                                                           "qemu+ssh://hv2.example.org/system",
                                                           "Permission denied (publickey).");

    g_assert_nonnull (strstr (text, "(hv2.example.org) over ssh"));
    g_assert_nonnull (strstr (text, "root's default SSH keys"));
  }
}

static void
quiet (void *data, virErrorPtr error)
{
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Its error state: nothing here opens a connection before the typed
   * parameters are built. */
  g_assert_cmpint (virInitialize (), ==, 0);
  virSetErrorFunc (NULL, quiet);

  g_test_add_func ("/Kvmmig/MigrationRun/postcopy-finished", test_postcopy_finished);
  g_test_add_func ("/Kvmmig/MigrationRun/postcopy-paused", test_postcopy_paused);
  g_test_add_func ("/Kvmmig/MigrationRun/time-left", test_time_left);
  g_test_add_func ("/Kvmmig/MigrationRun/look-deadline", test_look_deadline);
  g_test_add_func ("/Kvmmig/MigrationRun/open-until/deadline", test_open_until_deadline);
  g_test_add_func ("/Kvmmig/MigrationRun/open-until/in-time", test_open_until_in_time);
  g_test_add_func ("/Kvmmig/MigrationRun/build-params/bandwidth", test_build_params_bandwidth);

  g_test_add_func ("/Kvmmig/MigrationRun/resume-command", test_resume_command);
  g_test_add_func ("/Kvmmig/MigrationRun/build-params/copy-storage", test_build_params_copy_storage);
  g_test_add_func ("/Kvmmig/MigrationRun/disk-copy-volume-xml", test_disk_copy_volume_xml);
  g_test_add_func ("/Kvmmig/MigrationRun/disk-copy-targets", test_disk_copy_targets);
  g_test_add_func ("/Kvmmig/MigrationRun/disk-copies-move", test_disk_copies_move);
  g_test_add_func ("/Kvmmig/MigrationRun/libvirt-quirk/versions", test_quirk_versions);
  g_test_add_func ("/Kvmmig/MigrationRun/libvirt-quirk/connection", test_quirk_connection);
  g_test_add_func ("/Kvmmig/MigrationRun/peer-failure", test_peer_failure);
  g_test_add_func ("/Kvmmig/MigrationRun/release-lvs/destination-unreadable",
                   test_release_lvs_destination_unreadable);

  return g_test_run ();
}
