#!/usr/bin/python3
# classic-workflow.py: the classic shared-storage workflow, end to end. An
# iSCSI target is attached to two hosts as a shared store, both are checked
# to see the same LUNs, one LUN becomes the disk of a new guest on the
# first host, the guest is started and live-migrated to the second host,
# where it stays defined.
#
#   /usr/bin/python3 classic-workflow.py SRC-URI DST-URI PORTAL TARGET-IQN \
#                    VOLUME GUEST KERNEL INITRD [kvm|qemu]
#
# VOLUME is the LUN's volume name, such as unit:0:0:3. KERNEL and INITRD
# are paths on the hosts. Use qemu (TCG) where KVM is not usable. SRC-URI
# and DST-URI are such as qemu+ssh://root@node1/system (SSH keys) or
# qemu+tls://node1/system (certificates); qemu+tcp:// has no
# authentication nor encryption: only on a trusted, isolated network.
import sys

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig

if len(sys.argv) < 9:
    sys.exit('usage: classic-workflow.py SRC-URI DST-URI PORTAL TARGET-IQN VOLUME GUEST '
             'KERNEL INITRD [kvm|qemu]')
src_uri, dst_uri, portal, iqn, volume_name, name, kernel, initrd = sys.argv[1:9]
tcg = len(sys.argv) > 9 and sys.argv[9] == 'qemu'

try:
    # 1. The two hosts.
    src, dst = Kvmmig.Host.new(src_uri), Kvmmig.Host.new(dst_uri)
    src.open(None)
    dst.open(None)

    # 2. The store, attached to both (QEMU's own iSCSI initiator).
    store = Kvmmig.SharedStore.new_iscsi(name + '-store', portal, iqn)
    for host in (src, dst):
        store.attach(host, None)
    print("store %r attached to %s and %s" % (store.props.name, src_uri, dst_uri))

    # 3. Both hosts see the same LUNs.
    visibility = store.check_visibility([src, dst], None)
    print(visibility.props.summary)
    if not visibility.props.complete:
        sys.exit(1)

    # 4. The volume, as the source sees it.
    volume = store.lookup_volume(src, volume_name, None)
    print('volume %s: %s, %d MiB' % (volume.props.name, volume.props.source,
                                     volume.props.capacity >> 20))

    # 5. A guest on it, defined and started on the source.
    spec = Kvmmig.GuestSpec.new(name, volume)
    spec.props.memory_mib = 256
    spec.props.kernel = kernel
    spec.props.initrd = initrd
    spec.props.cmdline = 'console=ttyS0 quiet'
    spec.props.serial_log = '/var/log/libvirt/qemu/%s-serial.log' % name
    if tcg:
        spec.props.virt_type = Kvmmig.VirtType.QEMU
    src.define_guest(spec, None)
    src.start_guest(name, None)
    print('guest %r defined and started on %s' % (name, src_uri))

    # 6. Live migration; by default the guest ends up defined on the
    #    destination and undefined on the source.
    job = Kvmmig.MigrationJob.new(src, dst, name)
    job.connect('progress', lambda j: print('\r  %5.1f %%  %6.1f MiB sent   ' % (
        100 * j.props.progress, j.props.bytes_processed / 2**20), end='', flush=True))
    job.run(None)
    print('\nmigrated %r to %s in %.2f s, downtime %d ms' % (
        name, dst_uri, job.props.total_ms / 1000, job.props.downtime_ms))

    # 7. Where it is now.
    guest = dst.lookup_guest(name, None)
    print('on %s: %s, %s' % (dst_uri, 'running' if guest.is_active() else 'not running',
                             'defined' if guest.is_persistent() else 'not defined'))
    sys.exit(0 if guest.is_active() and guest.is_persistent() else 1)
except GLib.Error as e:
    sys.exit('\n' + e.message)
