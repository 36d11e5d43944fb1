#!/usr/bin/python3
# test_migration.py: a live migration on the testbed through the typelib,
# from Python: the guest runs on the destination afterwards, is defined
# there and not on the source, kept running, and progress came at least
# twice a second without going backwards; and a migration whose bandwidth
# limit and maximum downtime change while it runs: the rate follows the new
# limit, libvirt has the new downtime, and no page is lost.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import subprocess
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


MiB = 1024 * 1024


def max_downtime_ms(uri, name):
    """The downtime libvirt allows the guest's migration now (virsh
    migrate-getmaxdowntime), or None if it cannot say."""
    r = subprocess.run(['virsh', '-c', uri, 'migrate-getmaxdowntime', name],
                       capture_output=True, text=True)
    return int(r.stdout.strip()) if r.returncode == 0 and r.stdout.strip().isdigit() else None


class LiveTuningTest(unittest.TestCase):
    """bandwidth-limit and max-downtime-ms set while the job migrates."""

    SLOW = 8        # MiB/s at the start
    FAST = 200      # MiB/s once changed

    def test_bandwidth_and_downtime_change_while_migrating(self):
        name = TB.guest('py-tune', memory=256, workload='dirty:32:5')
        try:
            with Kvmmig.Host.new(TB.src_uri) as src, Kvmmig.Host.new(TB.dst_uri) as dst:
                job = Kvmmig.MigrationJob.new(src, dst, name)
                job.props.policy = Kvmmig.MigrationPolicy.PRECOPY
                job.props.bandwidth_limit = self.SLOW
                notified = []       # while it runs
                job.connect('notify::bandwidth-limit',
                            lambda j, _: notified.append(('bandwidth', j.props.bandwidth_limit)))
                job.connect('notify::max-downtime-ms',
                            lambda j, _: notified.append(('downtime', j.props.max_downtime_ms)))
                samples = []        # (time, MiB sent), while migrating
                at = {}
                downtimes = []

                def on_progress(j):
                    if j.props.state != Kvmmig.MigrationState.MIGRATING:
                        return
                    now = time.monotonic()
                    samples.append((now, j.props.bytes_processed / MiB))
                    if 'change' not in at and j.props.bytes_processed >= 3 * self.SLOW * MiB:
                        at['change'] = now
                        at['remaining'] = j.props.bytes_remaining / MiB
                        j.props.bandwidth_limit = self.FAST
                        j.props.max_downtime_ms = 200
                    elif 'change' in at and not downtimes:
                        # Applied at the run's next sample: libvirt says so.
                        d = max_downtime_ms(TB.src_uri, name)
                        if d == 200:
                            downtimes.append(d)

                job.connect('progress', on_progress)
                loop = GLib.MainLoop()
                outcome = []

                def done(j, res):
                    at['done'] = time.monotonic()
                    try:
                        outcome.append(j.run_finish(res))
                    except GLib.Error as e:
                        outcome.append(e.message)
                    loop.quit()

                job.run_async(None, done)
                GLib.timeout_add_seconds(120, loop.quit)
                loop.run()

                self.assertEqual(outcome, [True])
                self.assertEqual(job.props.state, Kvmmig.MigrationState.COMPLETED)
                self.assertIn('change', at, 'the migration ended before %d MiB were sent'
                              % (3 * self.SLOW))
                self.assertEqual(notified, [('bandwidth', self.FAST), ('downtime', 200)])
                self.assertEqual(downtimes, [200], 'libvirt never had the new downtime')

                # Before the change: the slow limit (2 s at least, to measure).
                before = [(t, m) for t, m in samples if t <= at['change']]
                first = next((t, m) for t, m in before if m > 0)
                self.assertGreater(before[-1][0] - first[0], 2.0)
                slow = (before[-1][1] - first[1]) / (before[-1][0] - first[0])
                self.assertLess(slow, self.SLOW * 1.5, 'sent %.1f MiB/s under a %d MiB/s limit'
                                % (slow, self.SLOW))
                # After it: what was left goes at least four times faster
                # than the old limit would have sent it.
                rest_s = at['done'] - at['change']
                at_slow_s = at['remaining'] / self.SLOW
                self.assertLess(rest_s, at_slow_s / 4,
                                '%.1f MiB left at the change took %.1f s (%.1f s at %d MiB/s)'
                                % (at['remaining'], rest_s, at_slow_s, self.SLOW))

                guest = dst.lookup_guest(name, None)
                self.assertEqual(guest.props.state, Kvmmig.GuestState.RUNNING)
            self.assertEqual(testbed.lost_pages(lambda: TB.serial_log(name, 'dst'),
                                                TB.serial_log(name, 'src')), 0)
        finally:
            TB.guest_rm(name)


if __name__ == '__main__':
    taprunner.main()
