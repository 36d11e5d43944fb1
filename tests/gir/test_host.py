#!/usr/bin/python3
# test_host.py: KvmmigHost through the typelib and the PyGObject overrides,
# against libvirt's built-in test driver.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig  # noqa: E402

import unittest  # noqa: E402

import taprunner  # noqa: E402

URI = 'test:///default'


class HostTest(unittest.TestCase):
    def test_list_guests_sync(self):
        host = Kvmmig.Host.new(URI)
        self.assertFalse(host.props.is_open)
        host.open(None)
        self.assertTrue(host.props.is_open)
        guests = host.list_guests(None)
        self.assertEqual([g.props.name for g in guests], ['test'])
        self.assertEqual(guests[0].props.state, Kvmmig.GuestState.RUNNING)
        self.assertTrue(guests[0].props.persistent)

    def test_async_with_main_loop(self):
        loop = GLib.MainLoop()
        host = Kvmmig.Host.new(URI)
        out = {}

        def on_guests(h, result):
            out['guests'] = h.list_guests_finish(result)
            loop.quit()

        def on_open(h, result):
            h.open_finish(result)
            h.list_guests_async(None, on_guests)

        host.open_async(None, on_open)
        GLib.timeout_add_seconds(30, loop.quit)
        loop.run()
        self.assertEqual([g.get_name() for g in out['guests']], ['test'])

    def test_info(self):
        host = Kvmmig.Host.new(URI)
        host.open(None)
        info = host.query_info(None)
        self.assertEqual(info.props.hypervisor, 'TEST')
        self.assertEqual(info.props.cpus, 16)
        self.assertGreater(info.props.memory_total, 0)

    def test_override_context_manager_and_iteration(self):
        with Kvmmig.Host.new(URI) as host:
            self.assertTrue(host.is_open())
            self.assertEqual([g.get_name() for g in host], ['test'])
            self.assertIn("'test'", repr(list(host)[0]))
        self.assertFalse(host.is_open())

    def test_errors_are_kvmmig_errors(self):
        host = Kvmmig.Host.new(URI)
        with self.assertRaises(GLib.Error) as cm:
            host.list_guests(None)
        self.assertTrue(cm.exception.matches(Kvmmig.error_quark(),
                                             Kvmmig.Error.NOT_OPEN))
        self.assertIn(URI, cm.exception.message)

        host.open(None)
        with self.assertRaises(GLib.Error) as cm:
            host.lookup_guest('no-such-guest', None)
        self.assertTrue(cm.exception.matches(Kvmmig.error_quark(),
                                             Kvmmig.Error.GUEST_NOT_FOUND))

        bad = Kvmmig.Host.new('not a uri')
        with self.assertRaises(GLib.Error) as cm:
            bad.open(None)
        self.assertEqual(cm.exception.code, Kvmmig.Error.INVALID_ARGUMENT)

    def test_closed_signal(self):
        host = Kvmmig.Host.new(URI)
        host.open(None)
        reasons = []
        host.connect('closed', lambda h, reason: reasons.append(reason))
        host.close()
        self.assertEqual(reasons, [Kvmmig.CloseReason.CLIENT])


if __name__ == '__main__':
    taprunner.main()
