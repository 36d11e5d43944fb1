#!/usr/bin/python3
# test_store.py: KvmmigSharedStore, KvmmigVolume and KvmmigGuestSpec
# through the typelib, against libvirt's built-in test driver: a list of
# hosts and a GListModel of volumes from Python, enums, errors as
# GLib.Error with KvmmigError codes, names that need escaping.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig  # noqa: E402

import unittest  # noqa: E402

import taprunner  # noqa: E402

URI = 'test:///default'
MIB = 1024 * 1024
AWKWARD = "disk 'a' \"b\" <c> & é"


class StoreTest(unittest.TestCase):
    def setUp(self):
        self.host = Kvmmig.Host.new(URI)
        self.host.open(None)
        self.store = Kvmmig.SharedStore.new_directory('st-py', '/st/py')
        self.store.attach(self.host, None)

    def tearDown(self):
        for volume in self.store.list_volumes(self.host, None):
            self.store.delete_volume(self.host, volume.props.name, None)
        self.store.detach(self.host, None)
        self.host.close()

    def test_properties(self):
        iscsi = Kvmmig.SharedStore.new_iscsi('st-i', '10.0.0.3', 'iqn.2026-11.org.example:s')
        self.assertEqual(iscsi.props.kind, Kvmmig.StoreKind.ISCSI)
        self.assertEqual(iscsi.props.initiator, Kvmmig.IscsiInitiator.QEMU)
        self.assertEqual(iscsi.props.lun, -1)
        iscsi.set_chap('joe', 'secret!')
        self.assertEqual(iscsi.props.chap_username, 'joe')
        self.assertNotIn('secret!', repr([iscsi.get_property(p.name)
                                          for p in iscsi.list_properties()]))

    def test_volumes(self):
        volume = self.store.create_volume(self.host, AWKWARD, 4 * MIB, None)
        self.assertEqual(volume.props.name, AWKWARD)
        self.assertEqual(volume.props.path, '/st/py/' + AWKWARD)
        self.assertEqual(volume.props.volume_type, Kvmmig.VolumeType.FILE)
        self.assertEqual(list(volume.props.guests), [])
        names = [v.props.name for v in self.store.list_volumes(self.host, None)]
        self.assertEqual(names, [AWKWARD])

        with self.assertRaises(GLib.Error) as cm:
            self.store.create_volume(self.host, AWKWARD, MIB, None)
        self.assertTrue(cm.exception.matches(Kvmmig.error_quark(), Kvmmig.Error.VOLUME_EXISTS))
        with self.assertRaises(GLib.Error) as cm:
            self.store.create_volume(self.host, 'zero', 0, None)
        self.assertEqual(cm.exception.code, Kvmmig.Error.INVALID_ARGUMENT)
        with self.assertRaises(GLib.Error) as cm:
            self.store.create_volume(self.host, 'huge', 1 << 50, None)
        self.assertEqual(cm.exception.code, Kvmmig.Error.NO_SPACE)

    def test_visibility_of_a_list_of_hosts(self):
        self.store.create_volume(self.host, 'v', MIB, None)
        result = self.store.check_visibility([self.host], None)
        self.assertTrue(result.props.complete)
        self.assertEqual(list(result.get_volume_names()), ['v'])
        self.assertEqual(list(result.get_host_uris()), [URI])
        self.assertEqual(list(result.get_missing(URI)), [])

    def test_define_guest_and_in_use(self):
        volume = self.store.create_volume(self.host, 'disk', 8 * MIB, None)
        spec = Kvmmig.GuestSpec.new(AWKWARD, volume)
        spec.props.memory_mib = 64
        spec.props.virt_type = Kvmmig.VirtType.QEMU
        spec.props.kernel = '/boot/vmlinuz'
        spec.props.cmdline = 'console=ttyS0 x="<&>"'
        self.assertIn('x="&lt;&amp;&gt;"', spec.to_xml())
        guest = self.host.define_guest(spec, None)
        try:
            self.assertEqual(guest.props.name, AWKWARD)
            used = self.store.lookup_volume(self.host, 'disk', None)
            self.assertTrue(used.props.in_use)
            self.assertEqual(list(used.props.guests), [AWKWARD])
            with self.assertRaises(GLib.Error) as cm:
                self.store.delete_volume(self.host, 'disk', None)
            self.assertEqual(cm.exception.code, Kvmmig.Error.VOLUME_IN_USE)
            with self.assertRaises(GLib.Error) as cm:
                self.store.detach(self.host, None)
            self.assertEqual(cm.exception.code, Kvmmig.Error.STORE_IN_USE)
        finally:
            # The library defines guests but does not undefine them; the
            # test driver forgets everything when its last connection
            # closes: start afresh, with the store attached again.
            self.host.close()
            self.host = Kvmmig.Host.new(URI)
            self.host.open(None)
            self.store.attach(self.host, None)


if __name__ == '__main__':
    taprunner.main()
