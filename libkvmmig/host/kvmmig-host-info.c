/* kvmmig-host-info.c: KvmmigHostInfo, a read-only snapshot of a host's
 * identity, CPU, memory and software versions, read from libvirt.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-host-info-private.h"
#include "kvmmig-xml-private.h"

/**
 * KvmmigHostInfo:
 *
 * What a host is and has, as returned by [method@Kvmmig.Host.query_info]:
 * its hostname and libvirt host UUID, CPU architecture and model, memory,
 * and the versions of its hypervisor and of libvirt.
 *
 * A `KvmmigHostInfo` does not change after it was made; query the host
 * again for current figures (free memory changes as guests come and go).
 *
 * Since: 0.1
 */
struct _KvmmigHostInfo
{
  GObject parent_instance;

  char *uri;
  char *hostname;
  char *uuid;
  char *arch;
  char *cpu_model;
  guint cpus;
  guint64 memory_total;
  guint64 memory_free;
  char *hypervisor;
  char *hypervisor_version;
  char *libvirt_version;
};

G_DEFINE_FINAL_TYPE (KvmmigHostInfo, kvmmig_host_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URI,
  PROP_HOSTNAME,
  PROP_UUID,
  PROP_ARCH,
  PROP_CPU_MODEL,
  PROP_CPUS,
  PROP_MEMORY_TOTAL,
  PROP_MEMORY_FREE,
  PROP_HYPERVISOR,
  PROP_HYPERVISOR_VERSION,
  PROP_LIBVIRT_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kvmmig_host_info_finalize (GObject *object)
{
  KvmmigHostInfo *self = KVMMIG_HOST_INFO (object);

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->hostname, g_free);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->arch, g_free);
  g_clear_pointer (&self->cpu_model, g_free);
  g_clear_pointer (&self->hypervisor, g_free);
  g_clear_pointer (&self->hypervisor_version, g_free);
  g_clear_pointer (&self->libvirt_version, g_free);

  G_OBJECT_CLASS (kvmmig_host_info_parent_class)->finalize (object);
}

static void
kvmmig_host_info_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KvmmigHostInfo *self = KVMMIG_HOST_INFO (object);

  switch (prop_id)
    {
    case PROP_URI:                g_value_set_string (value, self->uri); break;
    case PROP_HOSTNAME:           g_value_set_string (value, self->hostname); break;
    case PROP_UUID:               g_value_set_string (value, self->uuid); break;
    case PROP_ARCH:               g_value_set_string (value, self->arch); break;
    case PROP_CPU_MODEL:          g_value_set_string (value, self->cpu_model); break;
    case PROP_CPUS:               g_value_set_uint (value, self->cpus); break;
    case PROP_MEMORY_TOTAL:       g_value_set_uint64 (value, self->memory_total); break;
    case PROP_MEMORY_FREE:        g_value_set_uint64 (value, self->memory_free); break;
    case PROP_HYPERVISOR:         g_value_set_string (value, self->hypervisor); break;
    case PROP_HYPERVISOR_VERSION: g_value_set_string (value, self->hypervisor_version); break;
    case PROP_LIBVIRT_VERSION:    g_value_set_string (value, self->libvirt_version); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_host_info_class_init (KvmmigHostInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kvmmig_host_info_finalize;
  object_class->get_property = kvmmig_host_info_get_property;

  /**
   * KvmmigHostInfo:uri: (getter get_uri)
   *
   * The URI of the host.
   *
   * Since: 0.1
   */
  properties[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, NULL, flags);

  /**
   * KvmmigHostInfo:hostname: (getter get_hostname)
   *
   * The host's name, as its libvirt daemon reports it.
   *
   * Since: 0.1
   */
  properties[PROP_HOSTNAME] = g_param_spec_string ("hostname", NULL, NULL, NULL, flags);

  /**
   * KvmmigHostInfo:uuid: (getter get_uuid)
   *
   * The host's libvirt UUID. Two hosts with the same UUID are taken by
   * libvirt for the same host, and cannot migrate to each other.
   *
   * Since: 0.1
   */
  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, flags);

  /**
   * KvmmigHostInfo:arch: (getter get_arch)
   *
   * The host's CPU architecture, such as `x86_64`.
   *
   * Since: 0.1
   */
  properties[PROP_ARCH] = g_param_spec_string ("arch", NULL, NULL, NULL, flags);

  /**
   * KvmmigHostInfo:cpu-model: (getter get_cpu_model)
   *
   * The host CPU's model name as libvirt knows it (for example
   * `Skylake-Client-IBRS`), or %NULL when libvirt does not report one.
   *
   * Since: 0.1
   */
  properties[PROP_CPU_MODEL] = g_param_spec_string ("cpu-model", NULL, NULL, NULL, flags);

  /**
   * KvmmigHostInfo:cpus: (getter get_cpus)
   *
   * The number of logical CPUs of the host.
   *
   * Since: 0.1
   */
  properties[PROP_CPUS] = g_param_spec_uint ("cpus", NULL, NULL, 0, G_MAXUINT, 0, flags);

  /**
   * KvmmigHostInfo:memory-total: (getter get_memory_total)
   *
   * The host's memory, in bytes.
   *
   * Since: 0.1
   */
  properties[PROP_MEMORY_TOTAL] = g_param_spec_uint64 ("memory-total", NULL, NULL,
                                                       0, G_MAXUINT64, 0, flags);

  /**
   * KvmmigHostInfo:memory-free: (getter get_memory_free)
   *
   * The host's memory available for new guests, in bytes: free memory plus
   * buffers and page cache where libvirt reports them, else libvirt's free
   * memory.
   *
   * Since: 0.1
   */
  properties[PROP_MEMORY_FREE] = g_param_spec_uint64 ("memory-free", NULL, NULL,
                                                      0, G_MAXUINT64, 0, flags);

  /**
   * KvmmigHostInfo:hypervisor: (getter get_hypervisor)
   *
   * The hypervisor driver's name, such as `QEMU`.
   *
   * Since: 0.1
   */
  properties[PROP_HYPERVISOR] = g_param_spec_string ("hypervisor", NULL, NULL, NULL, flags);

  /**
   * KvmmigHostInfo:hypervisor-version: (getter get_hypervisor_version)
   *
   * The hypervisor's version, such as `10.0.2`.
   *
   * Since: 0.1
   */
  properties[PROP_HYPERVISOR_VERSION] = g_param_spec_string ("hypervisor-version",
                                                             NULL, NULL, NULL, flags);

  /**
   * KvmmigHostInfo:libvirt-version: (getter get_libvirt_version)
   *
   * The version of the host's libvirt daemon, such as `11.3.0`.
   *
   * Since: 0.1
   */
  properties[PROP_LIBVIRT_VERSION] = g_param_spec_string ("libvirt-version",
                                                          NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kvmmig_host_info_init (KvmmigHostInfo *self)
{
}

static char *
format_version (unsigned long version)
{
  return g_strdup_printf ("%lu.%lu.%lu",
                          version / 1000000,
                          (version / 1000) % 1000,
                          version % 1000);
}

/* Free memory as "available for guests": free + buffers + cached, in bytes;
 * and the total from the same statistics (virNodeGetInfo's memory can be a
 * different figure, e.g. in a container), when @total is not NULL. */
static gboolean
read_memory_free (virConnectPtr  conn,
                  guint64       *out,
                  guint64       *total)
{
  g_autofree virNodeMemoryStatsPtr params = NULL;
  int nparams = 0;
  guint64 sum = 0;
  gboolean found = FALSE;

  if (virNodeGetMemoryStats (conn, VIR_NODE_MEMORY_STATS_ALL_CELLS,
                             NULL, &nparams, 0) < 0 || nparams <= 0)
    goto fallback;

  params = g_new0 (virNodeMemoryStats, nparams);
  if (virNodeGetMemoryStats (conn, VIR_NODE_MEMORY_STATS_ALL_CELLS,
                             params, &nparams, 0) < 0)
    goto fallback;

  for (int i = 0; i < nparams; i++)
    {
      if (g_str_equal (params[i].field, VIR_NODE_MEMORY_STATS_FREE) ||
          g_str_equal (params[i].field, VIR_NODE_MEMORY_STATS_BUFFERS) ||
          g_str_equal (params[i].field, VIR_NODE_MEMORY_STATS_CACHED))
        {
          sum += params[i].value * 1024;
          found = TRUE;
        }
      else if (g_str_equal (params[i].field, VIR_NODE_MEMORY_STATS_TOTAL) && total)
        *total = params[i].value * 1024;
    }

  if (found)
    {
      *out = sum;
      return TRUE;
    }

fallback:
  virResetLastError ();
  sum = virNodeGetFreeMemory (conn);
  if (sum == 0)
    return FALSE;
  *out = sum;
  return TRUE;
}

/* Host UUID, arch and CPU model from the capabilities XML, through
 * XPath. (Not libvirt-gconfig: gvir_config_capabilities_new_from_xml()
 * crashes on an empty string, and on anything it cannot parse when not
 * asked for its error, and prints libxml2's complaints on stderr.) */
gboolean
_kvmmig_capabilities_read (const char  *xml_text,
                           const char  *what,
                           char       **uuid,
                           char       **arch,
                           char       **cpu_model,
                           GError     **error)
{
  g_auto(KvmmigXml) xml = { 0 };
  xmlNodePtr root;

  *uuid = *arch = *cpu_model = NULL;

  if (!_kvmmig_xml_read (&xml, xml_text, what, error))
    return FALSE;

  root = xmlDocGetRootElement (xml.doc);
  if (root == NULL || !xmlStrEqual (root->name, (const xmlChar *) "capabilities"))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "%s cannot be read: it has no <capabilities> element", what);
      return FALSE;
    }

  *uuid = _kvmmig_xml_string (&xml, NULL, "/capabilities/host/uuid");
  *arch = _kvmmig_xml_string (&xml, NULL, "/capabilities/host/cpu/arch");
  *cpu_model = _kvmmig_xml_string (&xml, NULL, "/capabilities/host/cpu/model");
  return TRUE;
}

/* Either may be missing (the test driver has no CPU model); that is not
 * an error, nor is capabilities XML that cannot be read. */
static void
read_capabilities (KvmmigHostInfo *self,
                   virConnectPtr   conn)
{
  g_autofree char *xml = virConnectGetCapabilities (conn);
  g_autofree char *arch = NULL;
  g_autoptr(GError) error = NULL;

  if (xml == NULL)
    {
      virResetLastError ();
      return;
    }

  if (!_kvmmig_capabilities_read (xml, "its capabilities", &self->uuid, &arch,
                                  &self->cpu_model, &error))
    {
      g_debug ("%s: %s", self->uri, error->message);
      return;
    }
  if (self->arch == NULL)
    self->arch = g_steal_pointer (&arch);
}

/*
 * _kvmmig_host_info_new_from_connection:
 *
 * Reads a host's info. Blocks on libvirt: call it off the main thread.
 */
KvmmigHostInfo *
_kvmmig_host_info_new_from_connection (virConnectPtr   conn,
                                       const char     *uri,
                                       GError        **error)
{
  g_autoptr(KvmmigHostInfo) self = g_object_new (KVMMIG_TYPE_HOST_INFO, NULL);
  g_autofree char *hostname = NULL;
  unsigned long hv_version = 0;
  unsigned long lib_version = 0;
  const char *type;
  virNodeInfo node;

  hostname = virConnectGetHostname (conn);
  if (hostname == NULL || virNodeGetInfo (conn, &node) < 0)
    {
      _kvmmig_set_libvirt_error (error, KVMMIG_ERROR_FAILED, uri,
                                 "cannot read host information");
      return NULL;
    }

  self->uri = g_strdup (uri);
  self->hostname = g_steal_pointer (&hostname);
  self->arch = node.model[0] ? g_strndup (node.model, sizeof node.model) : NULL;
  self->cpus = node.cpus;
  self->memory_total = (guint64) node.memory * 1024;

  if (!read_memory_free (conn, &self->memory_free, &self->memory_total))
    self->memory_free = 0;
  self->memory_free = MIN (self->memory_free, self->memory_total);

  type = virConnectGetType (conn);
  self->hypervisor = g_strdup (type);
  if (virConnectGetVersion (conn, &hv_version) == 0)
    self->hypervisor_version = format_version (hv_version);
  if (virConnectGetLibVersion (conn, &lib_version) == 0)
    self->libvirt_version = format_version (lib_version);
  virResetLastError ();

  read_capabilities (self, conn);

  return g_steal_pointer (&self);
}

/**
 * kvmmig_host_info_get_uri: (get-property uri)
 * @self: a host info
 *
 * Gets the URI of the host.
 *
 * Returns: (transfer none): the URI
 *
 * Since: 0.1
 */
const char *
kvmmig_host_info_get_uri (KvmmigHostInfo *self)
{
  g_return_val_if_fail (KVMMIG_IS_HOST_INFO (self), NULL);
  return self->uri;
}

/**
 * kvmmig_host_info_get_hostname: (get-property hostname)
 * @self: a host info
 *
 * Gets the host's name.
 *
 * Returns: (transfer none): the hostname
 *
 * Since: 0.1
 */
const char *
kvmmig_host_info_get_hostname (KvmmigHostInfo *self)
{
  g_return_val_if_fail (KVMMIG_IS_HOST_INFO (self), NULL);
  return self->hostname;
}

/**
 * kvmmig_host_info_get_uuid: (get-property uuid)
 * @self: a host info
 *
 * Gets the host's libvirt UUID.
 *
 * Returns: (transfer none) (nullable): the UUID
 *
 * Since: 0.1
 */
const char *
kvmmig_host_info_get_uuid (KvmmigHostInfo *self)
{
  g_return_val_if_fail (KVMMIG_IS_HOST_INFO (self), NULL);
  return self->uuid;
}

/**
 * kvmmig_host_info_get_arch: (get-property arch)
 * @self: a host info
 *
 * Gets the host's CPU architecture.
 *
 * Returns: (transfer none) (nullable): the architecture
 *
 * Since: 0.1
 */
const char *
kvmmig_host_info_get_arch (KvmmigHostInfo *self)
{
  g_return_val_if_fail (KVMMIG_IS_HOST_INFO (self), NULL);
  return self->arch;
}

/**
 * kvmmig_host_info_get_cpu_model: (get-property cpu-model)
 * @self: a host info
 *
 * Gets the host CPU's model name.
 *
 * Returns: (transfer none) (nullable): the CPU model, or %NULL if libvirt
 *   does not report one
 *
 * Since: 0.1
 */
const char *
kvmmig_host_info_get_cpu_model (KvmmigHostInfo *self)
{
  g_return_val_if_fail (KVMMIG_IS_HOST_INFO (self), NULL);
  return self->cpu_model;
}

/**
 * kvmmig_host_info_get_hypervisor: (get-property hypervisor)
 * @self: a host info
 *
 * Gets the hypervisor driver's name.
 *
 * Returns: (transfer none) (nullable): the hypervisor name
 *
 * Since: 0.1
 */
const char *
kvmmig_host_info_get_hypervisor (KvmmigHostInfo *self)
{
  g_return_val_if_fail (KVMMIG_IS_HOST_INFO (self), NULL);
  return self->hypervisor;
}

/**
 * kvmmig_host_info_get_hypervisor_version: (get-property hypervisor-version)
 * @self: a host info
 *
 * Gets the hypervisor's version.
 *
 * Returns: (transfer none) (nullable): the version, as "major.minor.micro"
 *
 * Since: 0.1
 */
const char *
kvmmig_host_info_get_hypervisor_version (KvmmigHostInfo *self)
{
  g_return_val_if_fail (KVMMIG_IS_HOST_INFO (self), NULL);
  return self->hypervisor_version;
}

/**
 * kvmmig_host_info_get_libvirt_version: (get-property libvirt-version)
 * @self: a host info
 *
 * Gets the version of the host's libvirt daemon.
 *
 * Returns: (transfer none) (nullable): the version, as "major.minor.micro"
 *
 * Since: 0.1
 */
const char *
kvmmig_host_info_get_libvirt_version (KvmmigHostInfo *self)
{
  g_return_val_if_fail (KVMMIG_IS_HOST_INFO (self), NULL);
  return self->libvirt_version;
}

/**
 * kvmmig_host_info_get_cpus: (get-property cpus)
 * @self: a host info
 *
 * Gets the host's number of logical CPUs.
 *
 * Returns: the number of CPUs
 *
 * Since: 0.1
 */
guint
kvmmig_host_info_get_cpus (KvmmigHostInfo *self)
{
  g_return_val_if_fail (KVMMIG_IS_HOST_INFO (self), 0);
  return self->cpus;
}

/**
 * kvmmig_host_info_get_memory_total: (get-property memory-total)
 * @self: a host info
 *
 * Gets the host's memory.
 *
 * Returns: the memory, in bytes
 *
 * Since: 0.1
 */
guint64
kvmmig_host_info_get_memory_total (KvmmigHostInfo *self)
{
  g_return_val_if_fail (KVMMIG_IS_HOST_INFO (self), 0);
  return self->memory_total;
}

/**
 * kvmmig_host_info_get_memory_free: (get-property memory-free)
 * @self: a host info
 *
 * Gets the host's memory available for new guests.
 *
 * Returns: the free memory, in bytes, or 0 if libvirt does not report it
 *
 * Since: 0.1
 */
guint64
kvmmig_host_info_get_memory_free (KvmmigHostInfo *self)
{
  g_return_val_if_fail (KVMMIG_IS_HOST_INFO (self), 0);
  return self->memory_free;
}
