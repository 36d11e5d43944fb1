#!/usr/bin/python3
# test_live_models.py: the live models of issue 19 on the testbed, from
# Python on a GLib main loop, as a GUI uses them: nothing polls, only the
# models' own signals are watched.
#
#  1. A guest migrated src -> dst: it leaves src's guest model and runs in
#     dst's within a second of the job's completion, the same item all
#     along on dst, removed from src when the source undefines it; the job
#     is in the running-jobs model while it runs and leaves it after. (The
#     states each item went through are printed: which of them a read
#     catches depends on timing, so they are not asserted.)
#  2. The guest changed behind the library's back (virsh destroy, start,
#     suspend, resume on dst): the same item of dst's model follows each
#     change within a second of virsh returning.
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
STATE = Kvmmig.GuestState


def items(model):
    return [model.get_item(i) for i in range(model.get_n_items())]


def find(model, name):
    for guest in items(model):
        if guest.props.name == name:
            return guest
    return None


def run_loop_until(pred, timeout):
    """Runs the default main loop until pred() holds, or timeout seconds
    pass; returns pred(). pred reads what the models' signals left (a
    20 ms timer re-checks it): nothing here asks the hosts."""
    loop = GLib.MainLoop()
    deadline = time.monotonic() + timeout

    def check():
        if pred() or time.monotonic() > deadline:
            loop.quit()
            return GLib.SOURCE_REMOVE
        return GLib.SOURCE_CONTINUE

    if not pred():
        GLib.timeout_add(20, check)
        loop.run()
    return pred()


class LiveModelTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = TB.guest('py-models')

    @classmethod
    def tearDownClass(cls):
        TB.guest_rm(cls.name)

    def test_1_models_follow_a_migration(self):
        src = Kvmmig.Host.new(TB.src_uri)
        dst = Kvmmig.Host.new(TB.dst_uri)
        src.open(None)
        dst.open(None)
        try:
            src_model, dst_model = src.props.guests, dst.get_guests()
            item = find(src_model, self.name)
            self.assertIsNotNone(item, 'the guest is not in src\'s model after open')
            self.assertEqual(item.props.state, STATE.RUNNING)
            self.assertIsNone(find(dst_model, self.name))

            seen = {'src_states': [], 'dst_states': [], 'jobs': []}
            item.connect('notify::state', lambda g, p: seen['src_states'].append(g.props.state))

            def dst_state(guest):
                seen['dst_states'].append(guest.props.state)
                if guest.props.state == STATE.RUNNING and 'running_dst' not in seen:
                    seen['running_dst'] = time.monotonic()

            def watch_dst(guest):
                if 'dst_item' not in seen:
                    seen['dst_item'] = guest
                    dst_state(guest)
                    guest.connect('notify::state', lambda g, p: dst_state(g))

            def on_src_changed(model, position, removed, added):
                if find(model, self.name) is None and 'left_src' not in seen:
                    seen['left_src'] = time.monotonic()

            def on_dst_changed(model, position, removed, added):
                guest = find(model, self.name)
                if guest is not None:
                    watch_dst(guest)

            jobs = Kvmmig.MigrationJob.get_running_jobs()
            self.assertEqual(jobs.get_n_items(), 0)
            jobs.connect('items-changed', lambda m, p, r, a: seen['jobs'].append(
                [j.props.guest_name for j in items(m)]))
            src_model.connect('items-changed', on_src_changed)
            dst_model.connect('items-changed', on_dst_changed)

            job = Kvmmig.MigrationJob.new(src, dst, self.name)
            job.connect('notify::state', lambda j, p: seen.__setitem__('completed', time.monotonic())
                        if j.props.state == Kvmmig.MigrationState.COMPLETED else None)
            outcome = {}

            def done(job, result):
                try:
                    outcome['ok'] = job.run_finish(result)
                except GLib.Error as e:
                    outcome['error'] = e

            job.run_async(None, done)
            self.assertTrue(run_loop_until(lambda: outcome, 300), 'the migration did not end')
            self.assertEqual(outcome, {'ok': True})

            def settled():
                guest = seen.get('dst_item')
                return 'left_src' in seen and guest is not None and \
                    guest.props.state == STATE.RUNNING and jobs.get_n_items() == 0
            run_loop_until(settled, 5)
            done_at = seen['completed']
            print('# src states %s; dst states %s; after the job completed: left src %+.3f s, '
                  'running in dst\'s model %+.3f s; jobs model %s'
                  % ([s.value_nick for s in seen['src_states']],
                     [s.value_nick for s in seen['dst_states']],
                     seen.get('left_src', float('nan')) - done_at,
                     seen.get('running_dst', float('nan')) - done_at, seen['jobs']), flush=True)

            self.assertIn('left_src', seen, 'the guest never left src\'s model')
            self.assertLessEqual(seen['left_src'] - done_at, 1.0)
            self.assertIsNone(find(src_model, self.name))
            self.assertIn('dst_item', seen, 'the guest never appeared in dst\'s model')
            guest = find(dst_model, self.name)
            self.assertIs(guest, seen['dst_item'])
            self.assertEqual(guest.props.state, STATE.RUNNING)
            self.assertTrue(guest.props.persistent)
            self.assertEqual(guest.props.memory, 256 * 1024 * 1024)
            self.assertLessEqual(seen['running_dst'] - done_at, 1.0)
            # Listed while it ran, gone after.
            self.assertEqual(seen['jobs'][0], [self.name])
            self.assertEqual(seen['jobs'][-1], [])
        finally:
            src.close()
            dst.close()

    def test_2_changes_behind_the_library(self):
        with Kvmmig.Host.new(TB.dst_uri) as dst:
            model = dst.props.guests
            guest = find(model, self.name)
            self.assertIsNotNone(guest)
            self.assertEqual(guest.props.state, STATE.RUNNING)
            for command, state in (('suspend', STATE.PAUSED), ('resume', STATE.RUNNING),
                                   ('destroy', STATE.SHUTOFF), ('start', STATE.RUNNING)):
                testbed.sh('virsh', '-q', '-c', TB.dst_uri, command, self.name)
                before = time.monotonic()      # virsh returned: the change is made
                self.assertTrue(run_loop_until(lambda: guest.props.state == state, 5),
                                'after virsh %s the model says %s' % (command,
                                                                     guest.props.state.value_nick))
                took = time.monotonic() - before
                print('# virsh %s: %s in the model %.3f s after virsh returned'
                      % (command, state.value_nick, took),
                      flush=True)
                self.assertLessEqual(took, 1.0)
                self.assertIs(find(model, self.name), guest)
            self.assertEqual(guest.props.active, True)


if __name__ == '__main__':
    taprunner.main()
