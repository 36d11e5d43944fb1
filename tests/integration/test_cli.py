#!/usr/bin/python3
# test_cli.py: the kvmmig command on the testbed, as a new user runs it:
# `kvmmig hosts` and `kvmmig check` see the guest; `kvmmig migrate` on a
# terminal (a pseudo-terminal, from script(1)) moves it with a progress
# line redrawn in place and a one-line summary, and the guest runs and is
# defined on the destination; `--json` moves it back, line by line, ending
# with a completed result; Ctrl-C 2 s into a migration that cannot converge
# leaves the guest running on the source, says so, and exits 6; an unknown
# guest and an unreachable host each give one line on stderr and their
# exit codes.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import re
import shlex
import subprocess
import unittest

import taprunner  # noqa: E402
import testbed  # noqa: E402
from cli_helpers import (guest_name, interrupt_twice, make_guest, persistent,  # noqa: E402
                         remove_guest, where)

TB = testbed.load()
KVMMIG = os.environ['KVMMIG_CLI']
UNREACHABLE = 'qemu+tcp://10.251.77.99/system'    # on the bridge's network, no host there


def kvmmig(*args, timeout=300):
    return subprocess.run([KVMMIG] + list(args), capture_output=True, text=True,
                          timeout=timeout)


class CliOnTestbedTest(unittest.TestCase):
    def assert_clean_stderr(self, stderr, lines):
        self.assertEqual(len(stderr.splitlines()), lines, stderr)
        for bad in ('CRITICAL', 'WARNING', '**'):
            self.assertNotIn(bad, stderr)

    def json_lines(self, out):
        objects = [json.loads(line) for line in out.splitlines()]
        for obj in objects:
            self.assertIsInstance(obj, dict)
            self.assertIn('type', obj)
        self.assertEqual(objects[-1]['type'], 'result')
        return objects

    def test_migrate_on_a_terminal_and_back_with_json(self):
        name = guest_name('term')
        make_guest(TB, name)
        try:
            # What a new user looks at first.
            proc = kvmmig('hosts', TB.src_uri, TB.dst_uri)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertRegex(proc.stdout, r'\n +%s +running ' % re.escape(name))
            proc = kvmmig('check', name, '--from', TB.src_uri, '--to', TB.dst_uri)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            self.assertIn('The migration can go ahead.', proc.stdout)

            # On a terminal: progress redrawn in place, then the summary.
            command = ' '.join(shlex.quote(a) for a in
                               [KVMMIG, 'migrate', name, '--from', TB.src_uri,
                                '--to', TB.dst_uri])
            # Bytes: text mode would turn each carriage return into a newline.
            proc = subprocess.run(['script', '-qec', command, '/dev/null'],
                                  capture_output=True, timeout=300,
                                  env=dict(os.environ, COLUMNS='120'))
            out = proc.stdout.decode('utf-8', 'replace')
            self.assertEqual(proc.returncode, 0, out)
            self.assertNotIn('CRITICAL', out)
            # Redrawn: carriage returns not followed by a newline, between
            # several renderings of the progress line.
            self.assertRegex(out, r'\r[^\n]')
            self.assertGreaterEqual(len(re.findall(r'\r *\d+\.\d% sent ', out)), 2, out)
            lines = [line.strip('\r ') for line in out.replace('\r\n', '\n').split('\n')]
            lines = [line.split('\r')[-1].strip() for line in lines if line.strip()]
            self.assertRegex(lines[-1],
                             r"^migrated '%s' to %s in \d+\.\d\d s, downtime (\d+ ms|unknown) "
                             r"\(sent .* in \d+ pass(es)?, \d+ policy steps?\)$"
                             % (re.escape(name), re.escape(TB.dst_uri)))

            self.assertEqual(where(TB, name), 'dst')
            self.assertTrue(persistent(TB.dst_uri, name))
            last_on_src = TB.last_heartbeat(name, 'src')
            self.assertGreater(TB.wait_heartbeat(name, 'dst', last_on_src), last_on_src)

            # Back with --json: one object a line, ending with the result.
            proc = kvmmig('migrate', name, '--from', TB.dst_uri, '--to', TB.src_uri, '--json')
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            self.assert_clean_stderr(proc.stderr, 0)
            self.assertNotIn('\r', proc.stdout)
            objects = self.json_lines(proc.stdout)
            types = [o['type'] for o in objects]
            self.assertGreaterEqual(types.count('check'), 10)
            self.assertGreaterEqual(types.count('progress'), 2)
            states = [o['state'] for o in objects if o['type'] == 'state']
            self.assertEqual(states[:2], ['checking', 'migrating'])
            self.assertEqual(states[-1], 'completed')
            progress = [o['progress'] for o in objects if o['type'] == 'progress']
            self.assertEqual(progress, sorted(progress))
            self.assertEqual(progress[-1], 1.0)
            result = objects[-1]
            self.assertEqual((result['exit_code'], result['state'], result['guest_location']),
                             (0, 'completed', 'destination'))
            self.assertEqual(result['guest_host'], TB.src_uri)
            self.assertIsNone(result['error'])
            self.assertGreaterEqual(result['downtime_ms'], 0)
            self.assertGreater(result['bytes_processed'], 0)

            self.assertEqual(where(TB, name), 'src')
            self.assertTrue(persistent(TB.src_uri, name))
        finally:
            remove_guest(TB, name)

    def test_ctrl_c_leaves_the_guest_on_the_source(self):
        # 128 MiB rewritten at 150 MiB/s, sent at 100 MiB/s: it cannot
        # converge within 2 s.
        name = guest_name('sigint')
        make_guest(TB, name, workload='dirty:128:150')
        try:
            # The checks are summed up when the migration itself starts.
            proc, out, err = interrupt_twice(
                self, [KVMMIG, 'migrate', name, '--from', TB.src_uri,
                       '--to', TB.dst_uri, '--bandwidth', '100'],
                'pre-flight: ', timeout=120, uri=TB.src_uri, names=[name])

            self.assertEqual(proc.returncode, 6, out + err)
            self.assertIn('cancelling', out)
            self.assertRegex(out, r"\ncancelled after \S+: guest '%s' runs on the source, %s\n$"
                             % (re.escape(name), re.escape(TB.src_uri)))
            self.assert_clean_stderr(err, 1)
            self.assertRegex(err, r'^kvmmig: .*cancelled; the guest runs on the source')

            self.assertEqual(where(TB, name), 'src')
            beat = TB.last_heartbeat(name, 'src')
            self.assertGreater(TB.wait_heartbeat(name, 'src', beat), beat)
        finally:
            remove_guest(TB, name)

    def test_errors_on_the_testbed(self):
        proc = kvmmig('migrate', guest_name('nosuch'), '--from', TB.src_uri, '--to', TB.dst_uri)
        self.assertEqual(proc.returncode, 4, proc.stdout + proc.stderr)
        self.assert_clean_stderr(proc.stderr, 1)
        self.assertRegex(proc.stderr, r"^kvmmig: %s: no guest named " % re.escape(TB.src_uri))

        proc = kvmmig('migrate', guest_name('nosuch'), '--from', TB.src_uri,
                      '--to', UNREACHABLE, timeout=120)
        self.assertEqual(proc.returncode, 3, proc.stdout + proc.stderr)
        self.assert_clean_stderr(proc.stderr, 1)
        self.assertRegex(proc.stderr, r'^kvmmig: %s: cannot open the host' % re.escape(UNREACHABLE))


if __name__ == '__main__':
    taprunner.main()
