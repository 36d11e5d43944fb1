#!/usr/bin/python3
# test_event_loop.py: libkvmmig in a process whose application uses
# libvirt itself (issue 19, "one event loop, shared"). libvirt allows one
# event loop implementation per process; each case below is a process of
# its own (this file run with --app MODE), a small libvirt application that
# watches its guest with libvirt-python's lifecycle events on a connection
# of its own, and migrates it with libkvmmig on a GLib main loop:
#
#   python-before  the application registered libvirt's default
#                  implementation (libvirt-python) before libkvmmig
#                  initialised libvirt;
#   glib-before    it registered libvirt-glib's (gvir_event_register), as
#                  virt-manager-like GTK programs do;
#   python-after   libkvmmig came first; the application's registration
#                  comes after, and libvirt ignores it.
#
# In each: kvmmig_event_loop_get_owner() says whose loop runs (APPLICATION,
# APPLICATION, LIBRARY); the migration completes, with progress signals and
# the guest running in the destination's live model; the application's own
# callback sees its guest stop on the source (STOPPED, MIGRATED), on the
# main thread when the loop is the application's, on libkvmmig's thread
# when it is the library's; and libvirt printed no warning about a
# replaced loop where the application's came first.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import subprocess
import sys
import threading
import time
import unittest

MODES = ('python-before', 'glib-before', 'python-after')


def app(mode, guest, from_uri, to_uri):
    """The application of one case; prints what it saw as one JSON line."""
    import gi
    import libvirt
    gi.require_version('Kvmmig', '1.0')
    from gi.repository import GLib

    if mode == 'python-before':
        libvirt.virEventRegisterDefaultImpl()
    elif mode == 'glib-before':
        gi.require_version('LibvirtGLib', '1.0')
        from gi.repository import LibvirtGLib
        LibvirtGLib.init(None)
        LibvirtGLib.event_register()

    from gi.repository import Kvmmig
    owner = Kvmmig.event_loop_get_owner()
    if mode == 'python-after':
        libvirt.virEventRegisterDefaultImpl()

    seen = {'owner': owner.value_nick, 'events': [], 'progress': 0}
    main_thread = threading.get_ident()

    def on_lifecycle(conn, dom, event, detail, opaque):
        if dom.name() == guest:
            seen['events'].append([event, detail,
                                   'main' if threading.get_ident() == main_thread else 'other'])

    conn = libvirt.open(from_uri)
    callback = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                           on_lifecycle, None)
    loop = GLib.MainLoop()
    src, dst = Kvmmig.Host.new(from_uri), Kvmmig.Host.new(to_uri)
    src.open(None)
    dst.open(None)
    job = Kvmmig.MigrationJob.new(src, dst, guest)
    job.connect('progress', lambda j: seen.__setitem__('progress', seen['progress'] + 1))

    def running_on_dst():
        model = dst.props.guests
        return any(model.get_item(i).props.name == guest and
                   model.get_item(i).props.state == Kvmmig.GuestState.RUNNING
                   for i in range(model.get_n_items()))

    def stopped_seen():
        return any(e[:2] == [libvirt.VIR_DOMAIN_EVENT_STOPPED,
                             libvirt.VIR_DOMAIN_EVENT_STOPPED_MIGRATED] for e in seen['events'])

    def done(job, result):
        try:
            seen['ok'] = job.run_finish(result)
        except GLib.Error as e:
            seen['error'] = e.message
        deadline = time.monotonic() + 10

        def settle():
            if (running_on_dst() and stopped_seen()) or time.monotonic() > deadline:
                loop.quit()
                return GLib.SOURCE_REMOVE
            return GLib.SOURCE_CONTINUE
        GLib.timeout_add(20, settle)

    job.run_async(None, done)
    loop.run()
    seen['running_on_dst'] = running_on_dst()
    conn.domainEventDeregisterAny(callback)
    conn.close()
    src.close()
    dst.close()
    print(json.dumps(seen), flush=True)


if len(sys.argv) >= 2 and sys.argv[1] == '--app':
    app(*sys.argv[2:6])
    sys.exit(0)


import taprunner  # noqa: E402
import testbed  # noqa: E402

TB = testbed.load()


class SharedEventLoopTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = TB.guest('evloop')
        cls.on = 'src'

    @classmethod
    def tearDownClass(cls):
        TB.guest_rm(cls.name)

    def run_app(self, mode):
        to = 'dst' if self.on == 'src' else 'src'
        uris = {'src': TB.src_uri, 'dst': TB.dst_uri}
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), '--app', mode,
                               self.name, uris[self.on], uris[to]],
                              capture_output=True, text=True, timeout=300)
        for line in proc.stderr.strip().splitlines()[-5:]:
            print('# stderr: %s' % line, flush=True)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        lines = proc.stdout.strip().splitlines()
        self.assertTrue(lines, 'the application printed nothing')
        seen = json.loads(lines[-1])
        print('# %s: %s' % (mode, seen), flush=True)
        self.assertNotIn('error', seen)
        self.assertTrue(seen.get('ok'), 'the migration did not complete')
        type(self).on = to
        self.assertGreaterEqual(seen['progress'], 2)
        self.assertTrue(seen['running_on_dst'], 'the guest is not running in the destination\'s model')
        stopped = [e for e in seen['events'] if e[:2] == [5, 3]]   # STOPPED, MIGRATED
        self.assertTrue(stopped, 'the application\'s own callback never saw its guest leave')
        return seen, stopped[0][2], proc.stderr

    def test_1_python_before(self):
        seen, thread, stderr = self.run_app('python-before')
        self.assertEqual(seen['owner'], 'application')
        self.assertEqual(thread, 'main')
        self.assertNotIn('Ignoring attempt to replace registered event loop', stderr)

    def test_2_glib_before(self):
        seen, thread, stderr = self.run_app('glib-before')
        self.assertEqual(seen['owner'], 'application')
        self.assertEqual(thread, 'main')
        self.assertNotIn('Ignoring attempt to replace registered event loop', stderr)

    def test_3_python_after(self):
        seen, thread, stderr = self.run_app('python-after')
        self.assertEqual(seen['owner'], 'library')
        self.assertEqual(thread, 'other')


if __name__ == '__main__':
    taprunner.main()
