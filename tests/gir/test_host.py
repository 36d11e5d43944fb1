#!/usr/bin/python3
# test_host.py: KvmmigHost through the typelib and the PyGObject overrides,
# against libvirt's built-in test driver.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig  # noqa: E402

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import unittest  # noqa: E402

import taprunner  # noqa: E402

URI = 'test:///default'


# Run in a child process with libvirt's client configuration of a given
# libvirt.conf: libvirt reads $XDG_CONFIG_HOME/libvirt/libvirt.conf, but
# /etc/libvirt/libvirt.conf for root, so as root the child runs as nobody.
CONFIG_CHILD = r"""
import sys, gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig
for uri in sys.argv[1:]:
    host = Kvmmig.Host.new(uri or None)
    try:
        host.open(None)
        print('%s -> open: guests %s' % (uri, [g.props.name for g in host.list_guests(None)]))
    except GLib.Error as e:
        print('%s -> %s: %s' % (uri, Kvmmig.Error(e.code).value_nick, e.message))
"""


def with_client_config(conf, *uris):
    with tempfile.TemporaryDirectory() as home:
        os.chmod(home, 0o755)
        os.makedirs(os.path.join(home, 'libvirt'))
        with open(os.path.join(home, 'libvirt', 'libvirt.conf'), 'w') as f:
            f.write(conf)
        env = {k: v for k, v in os.environ.items() if k != 'LIBVIRT_DEFAULT_URI'}
        env['XDG_CONFIG_HOME'] = home
        env['HOME'] = home
        cmd = [sys.executable, '-c', CONFIG_CHILD] + list(uris)
        if os.geteuid() == 0:
            cmd = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] + cmd
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError('child failed: %s' % r.stderr)
        return r.stdout.splitlines()


class HostTest(unittest.TestCase):
    def test_default_uri_and_aliases_from_client_config(self):
        # As virsh: no URI is uri_default, an alias of uri_aliases is its
        # URI, an alias that is not there is refused, naming uri_aliases.
        lines = with_client_config('uri_default = "test:///default"\n'
                                   'uri_aliases = [ "hv1=test:///default" ]\n',
                                   '', 'hv1', 'hv2')
        print('# ' + '\n# '.join(lines))
        self.assertEqual(lines[0], " -> open: guests ['test']")
        self.assertEqual(lines[1], "hv1 -> open: guests ['test']")
        self.assertTrue(lines[2].startswith('hv2 -> invalid-argument: hv2: cannot open the host'),
                        lines[2])
        self.assertIn('uri_aliases', lines[2])

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
