#!/usr/bin/python3
# test_cli_evacuate.py: `kvmmig evacuate` on the testbed. Two idle guests
# of our own on src: Ctrl-C once the first migration runs (one at a time,
# slowly) cancels the evacuation, exits 6, and the summary says that both
# guests run on the source, where virsh finds them; then an evacuation on
# a terminal (a pseudo-terminal, from script(1)) redraws its aggregate
# progress line in place, moves both guests to dst (virsh finds them
# there, running), and exits 0 with a summary line per guest.
#
# An evacuation moves every running guest of src, so it must not start
# while other tests' guests run there: before each, `kvmmig-testbed
# guests` must show only ours running on src; if not, it waits (up to a
# few minutes) and then skips, saying why. Were another test's guest to
# start on src in the instant between that look and the evacuation, it
# is moved back to src at once, and the test says so.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import shlex
import subprocess
import time
import unittest

import taprunner  # noqa: E402
import testbed  # noqa: E402
from cli_helpers import domstate, interrupt_twice, where  # noqa: E402

TB = testbed.load()
KVMMIG = os.environ['KVMMIG_CLI']
WAIT_FOR_OTHERS_S = 300


def guest_name(base):
    return 'cli2-%s-%d' % (base, os.getpid())


def make_guest(name):
    subprocess.run([TB.script, 'guest', name, '--on', 'src', '--workload', 'idle'],
                   check=True, capture_output=True)


def remove_guest(name):
    subprocess.run([TB.script, 'guest-rm', name], capture_output=True)


def running_on_src():
    """The guests that `kvmmig-testbed guests` shows running on src."""
    out = subprocess.run([TB.script, 'guests'], check=True, capture_output=True,
                         text=True).stdout
    names = []
    for line in out.splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 3 and fields[1] == 'src' and fields[2] == 'running':
            names.append(fields[0])
    return names


class CliEvacuateOnTestbedTest(unittest.TestCase):
    def wait_until_only(self, ours):
        """Waits until no guest but ours runs on src, or skips."""
        deadline = time.monotonic() + WAIT_FOR_OTHERS_S
        while True:
            others = sorted(set(running_on_src()) - set(ours))
            if not others:
                return
            if time.monotonic() > deadline:
                self.skipTest('other tests\' guests keep running on src (%s): evacuating src '
                              'would move them too' % ', '.join(others))
            print('# waiting: other tests\' guests run on src (%s)' % ', '.join(others),
                  flush=True)
            time.sleep(10)

    def give_back(self, result, ours):
        """Moves back to src any guest of another test that the evacuation
        took along (started on src after wait_until_only looked)."""
        for guest in result.get('guests', []):
            if guest['guest'] in ours or guest['guest_location'] != 'destination':
                continue
            print('# %s, another test\'s guest, started on src just before the evacuation '
                  'and was moved; moving it back' % guest['guest'], flush=True)
            subprocess.run([KVMMIG, 'migrate', guest['guest'], '--from', guest['guest_host'],
                            '--to', TB.src_uri], capture_output=True, timeout=300)

    def test_ctrl_c_then_evacuate_on_a_terminal(self):
        ours = [guest_name('evac-a'), guest_name('evac-b')]
        for name in ours:
            make_guest(name)
        try:
            # -- Ctrl-C: one migration at a time, slowly; cancelled while the
            # first one runs.
            self.wait_until_only(ours)
            proc, out, err = interrupt_twice(
                self, [KVMMIG, 'evacuate', '--from', TB.src_uri, '--to', TB.dst_uri,
                       '--max-per-source', '1', '--bandwidth', '2'],
                "migrating '", timeout=180, uri=TB.src_uri, names=ours)

            self.assertEqual(proc.returncode, 6, out + err)
            self.assertIn('cancelling: aborting the migrations under way', out)
            self.assertEqual(len(err.splitlines()), 1, err)
            self.assertRegex(err, r'^kvmmig: .*evacuation cancelled')
            summary = out[out.index('\nevacuation of '):]
            for name in ours:
                self.assertRegex(summary, r"\n  %s +not (moved|started)\b.* runs on the source"
                                 % re.escape(name))
                self.assertEqual(where(TB, name), 'src')

            # -- The whole evacuation, on a terminal.
            self.wait_until_only(ours)
            command = ' '.join(shlex.quote(a) for a in
                               [KVMMIG, 'evacuate', '--from', TB.src_uri, '--to', TB.dst_uri])
            # Bytes: text mode would turn each carriage return into a newline.
            proc = subprocess.run(['script', '-qec', command, '/dev/null'],
                                  capture_output=True, timeout=600,
                                  env=dict(os.environ, COLUMNS='160'))
            out = proc.stdout.decode('utf-8', 'replace')
            if proc.returncode != 0:
                # Say which guests it saw, to tell ours from a late comer.
                print('# ' + out.replace('\n', '\n# '), flush=True)
            self.assertNotIn('CRITICAL', out)
            lines = [line.split('\r')[-1].strip()
                     for line in out.replace('\r\n', '\n').split('\n') if line.strip()]
            summary = lines[lines.index(next(line for line in lines
                                             if line.startswith('evacuation of '))):]
            moved = {}
            for line in summary[1:]:
                name, _, what = line.partition(' ')
                moved[name] = what.strip()
            late = [n for n in moved if n not in ours]
            if late:
                self.give_back({'guests': [{'guest': n, 'guest_location': 'destination',
                                            'guest_host': TB.dst_uri} for n in late
                                           if moved[n].startswith('moved')]}, ours)
            self.assertEqual(proc.returncode, 0, out)
            # The aggregate line, redrawn in place.
            self.assertRegex(out, r'\r[^\n]')
            self.assertGreaterEqual(len(re.findall(r'\r\d/\d+ moved, \d+ failed, \d+\.\d%', out)),
                                    2, out)
            self.assertRegex(summary[0], r'^evacuation of %s: (\d+) of \1 guests moved in \S+$'
                             % re.escape(TB.src_uri))
            for name in ours:
                self.assertRegex(moved.get(name, ''), r'^moved to %s in \S+, downtime '
                                 r'(\d+ ms|unknown)$' % re.escape(TB.dst_uri))
                self.assertEqual(where(TB, name), 'dst')
                self.assertEqual(domstate(TB.dst_uri, name), 'running')
        finally:
            for name in ours:
                remove_guest(name)


if __name__ == '__main__':
    taprunner.main()
