#!/usr/bin/python3
# test_migration.py: a live migration on the testbed through the typelib,
# from Python: the guest runs on the destination afterwards, is defined
# there and not on the source, kept running, and progress came at least
# twice a second without going backwards.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import time
import unittest

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig  # noqa: E402

import taprunner  # noqa: E402
import testbed  # noqa: E402

TB = testbed.load()


class MigrationTest(unittest.TestCase):
    def test_idle_guest_moves(self):
        name = TB.guest('py-idle')
        try:
            with Kvmmig.Host.new(TB.src_uri) as src, Kvmmig.Host.new(TB.dst_uri) as dst:
                job = Kvmmig.MigrationJob.new(src, dst, name)
                seen = []
                job.connect('progress', lambda j: seen.append(
                    (time.monotonic(), j.props.progress, j.props.state)))
                self.assertTrue(job.run(None))

                self.assertEqual(job.props.state, Kvmmig.MigrationState.COMPLETED)
                self.assertEqual(job.props.guest_location, Kvmmig.GuestLocation.DESTINATION)
                self.assertGreaterEqual(job.props.downtime_ms, 0)

                guest = dst.lookup_guest(name, None)
                self.assertEqual(guest.props.state, Kvmmig.GuestState.RUNNING)
                self.assertTrue(guest.props.persistent)
                with self.assertRaises(GLib.Error) as cm:
                    src.lookup_guest(name, None)
                self.assertEqual(cm.exception.code, Kvmmig.Error.GUEST_NOT_FOUND)

                # Monotonic, and at least twice a second while migrating.
                progress = [p for _, p, _ in seen]
                self.assertEqual(progress, sorted(progress))
                times = [t for t, _, s in seen if s in (Kvmmig.MigrationState.MIGRATING,
                                                        Kvmmig.MigrationState.SWITCHING_OVER)]
                self.assertGreaterEqual(len(times), 2)
                self.assertLessEqual(max(b - a for a, b in zip(times, times[1:])), 0.6)

            last_on_src = TB.last_heartbeat(name, 'src')
            self.assertGreater(TB.wait_heartbeat(name, 'dst', last_on_src), last_on_src)
        finally:
            TB.guest_rm(name)


if __name__ == '__main__':
    taprunner.main()
