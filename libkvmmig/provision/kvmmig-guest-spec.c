/* kvmmig-guest-spec.c: KvmmigGuestSpec, a small description of a new
 * guest whose disk is a shared store's volume, and the libvirt domain XML
 * it makes (built with libvirt-gconfig; the few elements gconfig 4.0
 * cannot express are libxml2 trees, so that no value is ever pasted into
 * XML text).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "kvmmig-enum-types.h"
#include "kvmmig-guest-spec.h"
#include "kvmmig-xml-private.h"
#include "kvmmig-volume-private.h"

#define DEFAULT_MEMORY_MIB 512

/**
 * KvmmigGuestSpec:
 *
 * What a new guest is: its name, memory, vCPUs, a [class@Kvmmig.Volume] of
 * a shared store as its disk (`vda`, virtio, `cache='none'`), and how it
 * boots: from that disk, or directly from a kernel and initramfs with a
 * command line ([property@Kvmmig.GuestSpec:kernel]). Its serial console
 * goes to a file on the host ([property@Kvmmig.GuestSpec:serial-log]) or
 * to a pty.
 *
 * [method@Kvmmig.Host.define_guest] defines such a guest on a host;
 * [method@Kvmmig.GuestSpec.to_xml] gives the domain XML it would define.
 * The guest gets ACPI (so that a shutdown request reaches it), a UTC
 * clock, and no CPU model of the host's, so that it can migrate between
 * hosts of different CPUs.
 *
 * Since: 0.1
 */
struct _KvmmigGuestSpec
{
  GObject parent_instance;

  char *name;
  KvmmigVolume *volume;
  guint memory_mib;
  guint vcpus;
  KvmmigVirtType virt_type;
  char *machine;
  char *kernel;
  char *initrd;
  char *cmdline;
  char *serial_log;
};

G_DEFINE_FINAL_TYPE (KvmmigGuestSpec, kvmmig_guest_spec, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_VOLUME,
  PROP_MEMORY_MIB,
  PROP_VCPUS,
  PROP_VIRT_TYPE,
  PROP_MACHINE,
  PROP_KERNEL,
  PROP_INITRD,
  PROP_CMDLINE,
  PROP_SERIAL_LOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kvmmig_guest_spec_finalize (GObject *object)
{
  KvmmigGuestSpec *self = KVMMIG_GUEST_SPEC (object);

  g_free (self->name);
  g_clear_object (&self->volume);
  g_free (self->machine);
  g_free (self->kernel);
  g_free (self->initrd);
  g_free (self->cmdline);
  g_free (self->serial_log);

  G_OBJECT_CLASS (kvmmig_guest_spec_parent_class)->finalize (object);
}

static void
kvmmig_guest_spec_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KvmmigGuestSpec *self = KVMMIG_GUEST_SPEC (object);

  switch (prop_id)
    {
    case PROP_NAME:       g_value_set_string (value, self->name); break;
    case PROP_VOLUME:     g_value_set_object (value, self->volume); break;
    case PROP_MEMORY_MIB: g_value_set_uint (value, self->memory_mib); break;
    case PROP_VCPUS:      g_value_set_uint (value, self->vcpus); break;
    case PROP_VIRT_TYPE:  g_value_set_enum (value, self->virt_type); break;
    case PROP_MACHINE:    g_value_set_string (value, self->machine); break;
    case PROP_KERNEL:     g_value_set_string (value, self->kernel); break;
    case PROP_INITRD:     g_value_set_string (value, self->initrd); break;
    case PROP_CMDLINE:    g_value_set_string (value, self->cmdline); break;
    case PROP_SERIAL_LOG: g_value_set_string (value, self->serial_log); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_guest_spec_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KvmmigGuestSpec *self = KVMMIG_GUEST_SPEC (object);

  switch (prop_id)
    {
    case PROP_NAME:       kvmmig_guest_spec_set_name (self, g_value_get_string (value)); break;
    case PROP_VOLUME:     kvmmig_guest_spec_set_volume (self, g_value_get_object (value)); break;
    case PROP_MEMORY_MIB: kvmmig_guest_spec_set_memory_mib (self, g_value_get_uint (value)); break;
    case PROP_VCPUS:      kvmmig_guest_spec_set_vcpus (self, g_value_get_uint (value)); break;
    case PROP_VIRT_TYPE:  kvmmig_guest_spec_set_virt_type (self, g_value_get_enum (value)); break;
    case PROP_MACHINE:    kvmmig_guest_spec_set_machine (self, g_value_get_string (value)); break;
    case PROP_KERNEL:     kvmmig_guest_spec_set_kernel (self, g_value_get_string (value)); break;
    case PROP_INITRD:     kvmmig_guest_spec_set_initrd (self, g_value_get_string (value)); break;
    case PROP_CMDLINE:    kvmmig_guest_spec_set_cmdline (self, g_value_get_string (value)); break;
    case PROP_SERIAL_LOG: kvmmig_guest_spec_set_serial_log (self, g_value_get_string (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kvmmig_guest_spec_class_init (KvmmigGuestSpecClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kvmmig_guest_spec_finalize;
  object_class->get_property = kvmmig_guest_spec_get_property;
  object_class->set_property = kvmmig_guest_spec_set_property;

  /**
   * KvmmigGuestSpec:name: (getter get_name) (setter set_name)
   *
   * The guest's name: any UTF-8 without `/` or control characters.
   *
   * Since: 0.1
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);

  /**
   * KvmmigGuestSpec:volume: (getter get_volume) (setter set_volume)
   *
   * The shared store's volume that is the guest's disk `vda`.
   *
   * Since: 0.1
   */
  properties[PROP_VOLUME] = g_param_spec_object ("volume", NULL, NULL, KVMMIG_TYPE_VOLUME, rw);

  /**
   * KvmmigGuestSpec:memory-mib: (getter get_memory_mib) (setter set_memory_mib)
   *
   * The guest's memory, in MiB.
   *
   * Since: 0.1
   */
  properties[PROP_MEMORY_MIB] = g_param_spec_uint ("memory-mib", NULL, NULL,
                                                   1, G_MAXUINT, DEFAULT_MEMORY_MIB, rw);

  /**
   * KvmmigGuestSpec:vcpus: (getter get_vcpus) (setter set_vcpus)
   *
   * The number of virtual CPUs.
   *
   * Since: 0.1
   */
  properties[PROP_VCPUS] = g_param_spec_uint ("vcpus", NULL, NULL, 1, 4096, 1, rw);

  /**
   * KvmmigGuestSpec:virt-type: (getter get_virt_type) (setter set_virt_type)
   *
   * How the hypervisor runs the guest: KVM, or QEMU's emulator.
   *
   * Since: 0.1
   */
  properties[PROP_VIRT_TYPE] = g_param_spec_enum ("virt-type", NULL, NULL,
                                                  KVMMIG_TYPE_VIRT_TYPE,
                                                  KVMMIG_VIRT_TYPE_KVM, rw);

  /**
   * KvmmigGuestSpec:machine: (getter get_machine) (setter set_machine)
   *
   * The machine type, such as `pc` or `q35`, or %NULL for the hypervisor's
   * default.
   *
   * Since: 0.1
   */
  properties[PROP_MACHINE] = g_param_spec_string ("machine", NULL, NULL, NULL, rw);

  /**
   * KvmmigGuestSpec:kernel: (getter get_kernel) (setter set_kernel)
   *
   * The path on the host of a kernel to boot directly, or %NULL to boot
   * from the disk. The same path must hold the same kernel on every host
   * the guest may run on.
   *
   * Since: 0.1
   */
  properties[PROP_KERNEL] = g_param_spec_string ("kernel", NULL, NULL, NULL, rw);

  /**
   * KvmmigGuestSpec:initrd: (getter get_initrd) (setter set_initrd)
   *
   * The path on the host of the initramfs for
   * [property@Kvmmig.GuestSpec:kernel], or %NULL.
   *
   * Since: 0.1
   */
  properties[PROP_INITRD] = g_param_spec_string ("initrd", NULL, NULL, NULL, rw);

  /**
   * KvmmigGuestSpec:cmdline: (getter get_cmdline) (setter set_cmdline)
   *
   * The kernel command line for [property@Kvmmig.GuestSpec:kernel], or
   * %NULL.
   *
   * Since: 0.1
   */
  properties[PROP_CMDLINE] = g_param_spec_string ("cmdline", NULL, NULL, NULL, rw);

  /**
   * KvmmigGuestSpec:serial-log: (getter get_serial_log) (setter set_serial_log)
   *
   * A file on the host that the guest's serial console is appended to, or
   * %NULL for a pty. Use a path under each host's own
   * `/var/log/libvirt/qemu/`: one file shared by two hosts makes migration
   * fail (libvirt changes its owner on each side).
   *
   * Since: 0.1
   */
  properties[PROP_SERIAL_LOG] = g_param_spec_string ("serial-log", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kvmmig_guest_spec_init (KvmmigGuestSpec *self)
{
  self->memory_mib = DEFAULT_MEMORY_MIB;
  self->vcpus = 1;
  self->virt_type = KVMMIG_VIRT_TYPE_KVM;
}

/**
 * kvmmig_guest_spec_new:
 * @name: the guest's name
 * @volume: (nullable): the volume that is its disk
 *
 * Describes a new guest with @volume as its disk, 512 MiB of memory, one
 * vCPU, KVM, booting from the disk.
 *
 * Returns: (transfer full): a new spec
 *
 * Since: 0.1
 */
KvmmigGuestSpec *
kvmmig_guest_spec_new (const char   *name,
                       KvmmigVolume *volume)
{
  g_return_val_if_fail (volume == NULL || KVMMIG_IS_VOLUME (volume), NULL);

  return g_object_new (KVMMIG_TYPE_GUEST_SPEC, "name", name, "volume", volume, NULL);
}

/* The setters of the string properties. */
static void
set_string_property (KvmmigGuestSpec  *self,
                     char            **field,
                     const char       *value,
                     guint             prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * kvmmig_guest_spec_get_name: (get-property name)
 * @self: a spec
 *
 * Gets the guest's name.
 *
 * Returns: (transfer none) (nullable): the name
 *
 * Since: 0.1
 */
const char *
kvmmig_guest_spec_get_name (KvmmigGuestSpec *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST_SPEC (self), NULL);
  return self->name;
}

/**
 * kvmmig_guest_spec_set_name: (set-property name)
 * @self: a spec
 * @name: (nullable): the guest's name
 *
 * Sets the guest's name.
 *
 * Since: 0.1
 */
void
kvmmig_guest_spec_set_name (KvmmigGuestSpec *self,
                            const char      *name)
{
  g_return_if_fail (KVMMIG_IS_GUEST_SPEC (self));

  set_string_property (self, &self->name, name, PROP_NAME);
}

/**
 * kvmmig_guest_spec_get_machine: (get-property machine)
 * @self: a spec
 *
 * Gets the machine type.
 *
 * Returns: (transfer none) (nullable): the machine type, or %NULL for the
 *   hypervisor's default
 *
 * Since: 0.1
 */
const char *
kvmmig_guest_spec_get_machine (KvmmigGuestSpec *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST_SPEC (self), NULL);
  return self->machine;
}

/**
 * kvmmig_guest_spec_set_machine: (set-property machine)
 * @self: a spec
 * @machine: (nullable): the machine type (`pc`, `q35`, ...), or %NULL
 *
 * Sets the machine type.
 *
 * Since: 0.1
 */
void
kvmmig_guest_spec_set_machine (KvmmigGuestSpec *self,
                               const char      *machine)
{
  g_return_if_fail (KVMMIG_IS_GUEST_SPEC (self));

  set_string_property (self, &self->machine, machine, PROP_MACHINE);
}

/**
 * kvmmig_guest_spec_get_kernel: (get-property kernel)
 * @self: a spec
 *
 * Gets the kernel the guest boots directly.
 *
 * Returns: (transfer none) (nullable): the kernel's path on the host, or
 *   %NULL to boot from the disk
 *
 * Since: 0.1
 */
const char *
kvmmig_guest_spec_get_kernel (KvmmigGuestSpec *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST_SPEC (self), NULL);
  return self->kernel;
}

/**
 * kvmmig_guest_spec_set_kernel: (set-property kernel)
 * @self: a spec
 * @kernel: (nullable): the kernel's path on the host, or %NULL to boot from
 *   the disk
 *
 * Sets the kernel the guest boots directly.
 *
 * Since: 0.1
 */
void
kvmmig_guest_spec_set_kernel (KvmmigGuestSpec *self,
                              const char      *kernel)
{
  g_return_if_fail (KVMMIG_IS_GUEST_SPEC (self));

  set_string_property (self, &self->kernel, kernel, PROP_KERNEL);
}

/**
 * kvmmig_guest_spec_get_initrd: (get-property initrd)
 * @self: a spec
 *
 * Gets the initramfs of the direct kernel boot.
 *
 * Returns: (transfer none) (nullable): its path on the host
 *
 * Since: 0.1
 */
const char *
kvmmig_guest_spec_get_initrd (KvmmigGuestSpec *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST_SPEC (self), NULL);
  return self->initrd;
}

/**
 * kvmmig_guest_spec_set_initrd: (set-property initrd)
 * @self: a spec
 * @initrd: (nullable): the initramfs's path on the host
 *
 * Sets the initramfs of the direct kernel boot.
 *
 * Since: 0.1
 */
void
kvmmig_guest_spec_set_initrd (KvmmigGuestSpec *self,
                              const char      *initrd)
{
  g_return_if_fail (KVMMIG_IS_GUEST_SPEC (self));

  set_string_property (self, &self->initrd, initrd, PROP_INITRD);
}

/**
 * kvmmig_guest_spec_get_cmdline: (get-property cmdline)
 * @self: a spec
 *
 * Gets the kernel command line of the direct kernel boot.
 *
 * Returns: (transfer none) (nullable): the command line
 *
 * Since: 0.1
 */
const char *
kvmmig_guest_spec_get_cmdline (KvmmigGuestSpec *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST_SPEC (self), NULL);
  return self->cmdline;
}

/**
 * kvmmig_guest_spec_set_cmdline: (set-property cmdline)
 * @self: a spec
 * @cmdline: (nullable): the kernel command line
 *
 * Sets the kernel command line of the direct kernel boot.
 *
 * Since: 0.1
 */
void
kvmmig_guest_spec_set_cmdline (KvmmigGuestSpec *self,
                               const char      *cmdline)
{
  g_return_if_fail (KVMMIG_IS_GUEST_SPEC (self));

  set_string_property (self, &self->cmdline, cmdline, PROP_CMDLINE);
}

/**
 * kvmmig_guest_spec_get_serial_log: (get-property serial-log)
 * @self: a spec
 *
 * Gets the file the guest's serial console is appended to.
 *
 * Returns: (transfer none) (nullable): its path on the host, or %NULL for
 *   a pty
 *
 * Since: 0.1
 */
/**
 * kvmmig_guest_spec_set_serial_log: (set-property serial-log)
 * @self: a spec
 * @path: (nullable): a path on the host, or %NULL for a pty
 *
 * Sets the file the guest's serial console is appended to.
 *
 * Since: 0.1
 */
void
kvmmig_guest_spec_set_serial_log (KvmmigGuestSpec *self,
                                  const char      *path)
{
  g_return_if_fail (KVMMIG_IS_GUEST_SPEC (self));
  if (g_strcmp0 (self->serial_log, path) == 0)
    return;
  g_free (self->serial_log);
  self->serial_log = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERIAL_LOG]);
}

const char *
kvmmig_guest_spec_get_serial_log (KvmmigGuestSpec *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST_SPEC (self), NULL);
  return self->serial_log;
}

/**
 * kvmmig_guest_spec_get_volume: (get-property volume)
 * @self: a spec
 *
 * Gets the volume that is the guest's disk.
 *
 * Returns: (transfer none) (nullable): the volume
 *
 * Since: 0.1
 */
KvmmigVolume *
kvmmig_guest_spec_get_volume (KvmmigGuestSpec *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST_SPEC (self), NULL);
  return self->volume;
}

/**
 * kvmmig_guest_spec_set_volume: (set-property volume)
 * @self: a spec
 * @volume: (nullable): the volume that is the guest's disk
 *
 * Sets the volume that is the guest's disk.
 *
 * Since: 0.1
 */
void
kvmmig_guest_spec_set_volume (KvmmigGuestSpec *self,
                              KvmmigVolume    *volume)
{
  g_return_if_fail (KVMMIG_IS_GUEST_SPEC (self));
  g_return_if_fail (volume == NULL || KVMMIG_IS_VOLUME (volume));

  if (g_set_object (&self->volume, volume))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

/**
 * kvmmig_guest_spec_get_memory_mib: (get-property memory-mib)
 * @self: a spec
 *
 * Gets the guest's memory.
 *
 * Returns: the memory in MiB
 *
 * Since: 0.1
 */
guint
kvmmig_guest_spec_get_memory_mib (KvmmigGuestSpec *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST_SPEC (self), 0);
  return self->memory_mib;
}

/**
 * kvmmig_guest_spec_set_memory_mib: (set-property memory-mib)
 * @self: a spec
 * @memory_mib: the memory in MiB, at least 1
 *
 * Sets the guest's memory.
 *
 * Since: 0.1
 */
void
kvmmig_guest_spec_set_memory_mib (KvmmigGuestSpec *self,
                                  guint            memory_mib)
{
  g_return_if_fail (KVMMIG_IS_GUEST_SPEC (self));
  g_return_if_fail (memory_mib >= 1);

  if (self->memory_mib == memory_mib)
    return;
  self->memory_mib = memory_mib;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_MIB]);
}

/**
 * kvmmig_guest_spec_get_vcpus: (get-property vcpus)
 * @self: a spec
 *
 * Gets the number of virtual CPUs.
 *
 * Returns: the number of vCPUs
 *
 * Since: 0.1
 */
guint
kvmmig_guest_spec_get_vcpus (KvmmigGuestSpec *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST_SPEC (self), 0);
  return self->vcpus;
}

/**
 * kvmmig_guest_spec_set_vcpus: (set-property vcpus)
 * @self: a spec
 * @vcpus: the number of virtual CPUs, 1 to 4096
 *
 * Sets the number of virtual CPUs.
 *
 * Since: 0.1
 */
void
kvmmig_guest_spec_set_vcpus (KvmmigGuestSpec *self,
                             guint            vcpus)
{
  g_return_if_fail (KVMMIG_IS_GUEST_SPEC (self));
  g_return_if_fail (vcpus >= 1 && vcpus <= 4096);

  if (self->vcpus == vcpus)
    return;
  self->vcpus = vcpus;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VCPUS]);
}

/**
 * kvmmig_guest_spec_get_virt_type: (get-property virt-type)
 * @self: a spec
 *
 * Gets how the hypervisor runs the guest.
 *
 * Returns: the virtualisation type
 *
 * Since: 0.1
 */
KvmmigVirtType
kvmmig_guest_spec_get_virt_type (KvmmigGuestSpec *self)
{
  g_return_val_if_fail (KVMMIG_IS_GUEST_SPEC (self), KVMMIG_VIRT_TYPE_KVM);
  return self->virt_type;
}

/**
 * kvmmig_guest_spec_set_virt_type: (set-property virt-type)
 * @self: a spec
 * @virt_type: how the hypervisor runs the guest
 *
 * Sets how the hypervisor runs the guest.
 *
 * Since: 0.1
 */
void
kvmmig_guest_spec_set_virt_type (KvmmigGuestSpec *self,
                                 KvmmigVirtType   virt_type)
{
  g_return_if_fail (KVMMIG_IS_GUEST_SPEC (self));

  if (self->virt_type == virt_type)
    return;
  self->virt_type = virt_type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIRT_TYPE]);
}

/* ------------------------------------------------------------------ */
/* The domain XML                                                       */

static gboolean
validate (KvmmigGuestSpec  *self,
          GError          **error)
{
  const char *name = self->name ? self->name : "";

#define INVALID(...) \
  G_STMT_START { \
    g_autofree char *_what = g_strdup_printf (__VA_ARGS__); \
    g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_INVALID_ARGUMENT, \
                 "guest '%s': %s", name, _what); \
    return FALSE; \
  } G_STMT_END

  if (*name == '\0' || !g_utf8_validate (name, -1, NULL) || strchr (name, '/'))
    INVALID ("a guest name must be non-empty UTF-8 without '/'");
  for (const char *p = name; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      INVALID ("a guest name must not contain control characters");
  if (self->volume == NULL)
    INVALID ("no volume is given for its disk");
  if (self->kernel == NULL && (self->initrd != NULL || self->cmdline != NULL))
    INVALID ("an initrd or a kernel command line needs a kernel");
  if (self->kernel != NULL && !g_path_is_absolute (self->kernel))
    INVALID ("kernel '%s' is not an absolute path", self->kernel);
  if (self->initrd != NULL && !g_path_is_absolute (self->initrd))
    INVALID ("initrd '%s' is not an absolute path", self->initrd);
  if (self->serial_log != NULL && !g_path_is_absolute (self->serial_log))
    INVALID ("serial log '%s' is not an absolute path", self->serial_log);
  if (self->machine != NULL)
    for (const char *p = self->machine; *p; p++)
      if (!g_ascii_isalnum (*p) && strchr ("._-", *p) == NULL)
        INVALID ("machine type '%s' is not a machine type name", self->machine);

#undef INVALID
  return TRUE;
}

/* A <serial> or <console> of type file; gconfig 4.0 has no file source. */
static char *
file_chardev_xml (const char *element,
                  const char *path,
                  gboolean    console)
{
  xmlNodePtr node = _kvmmig_xml_element (NULL, element, "type", "file", NULL);

  _kvmmig_xml_element (node, "source", "path", path, "append", "on", NULL);
  _kvmmig_xml_element (node, "target", "type", console ? "serial" : NULL, "port", "0", NULL);
  return _kvmmig_xml_take_string (node);
}

static gboolean
add_serial (GVirConfigDomain  *domain,
            const char        *serial_log,
            GError           **error)
{
  if (serial_log != NULL)
    {
      g_autofree char *serial_xml = file_chardev_xml ("serial", serial_log, FALSE);
      g_autofree char *console_xml = file_chardev_xml ("console", serial_log, TRUE);
      g_autoptr(GVirConfigDomainSerial) serial = NULL;
      g_autoptr(GVirConfigDomainConsole) console = NULL;

      serial = gvir_config_domain_serial_new_from_xml (serial_xml, error);
      if (serial == NULL)
        return FALSE;
      console = gvir_config_domain_console_new_from_xml (console_xml, error);
      if (console == NULL)
        return FALSE;
      gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (serial));
      gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (console));
    }
  else
    {
      g_autoptr(GVirConfigDomainSerial) serial = gvir_config_domain_serial_new ();
      g_autoptr(GVirConfigDomainConsole) console = gvir_config_domain_console_new ();
      g_autoptr(GVirConfigDomainChardevSourcePty) pty = gvir_config_domain_chardev_source_pty_new ();
      g_autoptr(GVirConfigDomainChardevSourcePty) console_pty = gvir_config_domain_chardev_source_pty_new ();

      gvir_config_domain_chardev_set_source (GVIR_CONFIG_DOMAIN_CHARDEV (serial),
                                             GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (pty));
      gvir_config_domain_chardev_set_source (GVIR_CONFIG_DOMAIN_CHARDEV (console),
                                             GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (console_pty));
      gvir_config_domain_console_set_target_type (console, GVIR_CONFIG_DOMAIN_CONSOLE_TARGET_SERIAL);
      gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (serial));
      gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (console));
    }
  return TRUE;
}

/**
 * kvmmig_guest_spec_to_xml:
 * @self: a spec
 * @error: return location for an error
 *
 * Builds the libvirt domain XML of the guest, as
 * [method@Kvmmig.Host.define_guest] defines it. It is built with
 * libvirt-gconfig (and libxml2 for what gconfig cannot express), so names
 * and paths with quotes, spaces, non-ASCII characters or XML
 * metacharacters come out escaped. An incomplete or inconsistent spec (no
 * name, no volume, an initrd without a kernel, a relative path) gives
 * %KVMMIG_ERROR_INVALID_ARGUMENT.
 *
 * Returns: (transfer full): the domain XML, or %NULL on error
 *
 * Since: 0.1
 */
char *
kvmmig_guest_spec_to_xml (KvmmigGuestSpec  *self,
                          GError          **error)
{
  g_autoptr(GVirConfigDomain) domain = NULL;
  g_autoptr(GVirConfigDomainOs) os = NULL;
  g_autoptr(GVirConfigDomainClock) clock = NULL;
  g_autoptr(GVirConfigDomainDisk) disk = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *disk_xml = NULL;
  const char *features[] = { "acpi", "apic", NULL };

  g_return_val_if_fail (KVMMIG_IS_GUEST_SPEC (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!validate (self, error))
    return NULL;

  domain = gvir_config_domain_new ();
  gvir_config_domain_set_virt_type (domain, self->virt_type == KVMMIG_VIRT_TYPE_QEMU
                                              ? GVIR_CONFIG_DOMAIN_VIRT_QEMU
                                              : GVIR_CONFIG_DOMAIN_VIRT_KVM);
  gvir_config_domain_set_name (domain, self->name);
  gvir_config_domain_set_memory (domain, (guint64) self->memory_mib * 1024);
  gvir_config_domain_set_vcpus (domain, self->vcpus);
  gvir_config_domain_set_features (domain, (const GStrv) features);

  os = gvir_config_domain_os_new ();
  gvir_config_domain_os_set_os_type (os, GVIR_CONFIG_DOMAIN_OS_TYPE_HVM);
  if (self->machine != NULL)
    gvir_config_domain_os_set_machine (os, self->machine);
  if (self->kernel != NULL)
    {
      gvir_config_domain_os_set_kernel (os, self->kernel);
      if (self->initrd != NULL)
        gvir_config_domain_os_set_ramdisk (os, self->initrd);
      if (self->cmdline != NULL)
        gvir_config_domain_os_set_cmdline (os, self->cmdline);
    }
  else
    {
      GList *boot = g_list_append (NULL, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_HD));

      gvir_config_domain_os_set_boot_devices (os, boot);
      g_list_free (boot);
    }
  gvir_config_domain_set_os (domain, os);

  clock = gvir_config_domain_clock_new ();
  gvir_config_domain_clock_set_offset (clock, GVIR_CONFIG_DOMAIN_CLOCK_UTC);
  gvir_config_domain_set_clock (domain, clock);

  disk_xml = kvmmig_volume_to_disk_xml (self->volume, "vda");
  disk = disk_xml ? gvir_config_domain_disk_new_from_xml (disk_xml, &local_error) : NULL;
  if (disk == NULL)
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "guest '%s': cannot build the disk element of volume '%s': %s",
                   self->name, kvmmig_volume_get_name (self->volume),
                   local_error ? local_error->message : "unknown error");
      return NULL;
    }
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (disk));

  if (!add_serial (domain, self->serial_log, &local_error))
    {
      g_set_error (error, KVMMIG_ERROR, KVMMIG_ERROR_FAILED,
                   "guest '%s': cannot build its serial console: %s",
                   self->name, local_error->message);
      return NULL;
    }

  return gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
}
