#!/usr/bin/python3
# test_kvmmig_cli.py: the kvmmig command against libvirt's test driver
# (suite `unit`): three hosts, test:///default (guest "test"),
# tests/data/test-host-b.xml (guests "twin", with the UUID of "test", and
# "other", 128 MiB) and tests/cli/data/host-c.xml (1 GiB, guest "small").
# Each run is a process of its own, so each gets a fresh test:///default.
#
# It checks `kvmmig hosts`, the outcomes and exit codes of `kvmmig check`,
# a migration that fails (the test driver cannot migrate) and says the guest
# runs on the source, --json line by line, --help of every command and the
# man page made from the same table, and that every error is one line on
# stderr with its documented exit code, and never a GLib critical or
# warning (G_DEBUG makes those fatal, too).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import re
import shutil
import subprocess
import unittest

import taprunner

KVMMIG = os.environ['KVMMIG_CLI']
MAN = os.environ['KVMMIG_MAN']
A = 'test:///default'
B = 'test://' + os.path.abspath(os.environ['KVMMIG_TEST_HOST_B'])
C = 'test://' + os.path.abspath(os.environ['KVMMIG_TEST_HOST_C'])
UNREACHABLE = 'qemu+tcp://127.0.0.1:1/system'     # nothing listens on port 1

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3
EXIT_PREFLIGHT, EXIT_MIGRATION_FAILED, EXIT_CANCELLED, EXIT_GUEST_LOST = 4, 5, 6, 7

COMMANDS = ['migrate', 'check', 'hosts']


class Run:
    def __init__(self, args, proc):
        self.args = args
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json_lines(self, test):
        """Every line of stdout parsed as one JSON object."""
        objects = []
        for line in self.out.splitlines():
            try:
                obj = json.loads(line)
            except ValueError as e:
                test.fail('not JSON: %r (%s)' % (line, e))
            test.assertIsInstance(obj, dict, line)
            test.assertIn('type', obj, line)
            objects.append(obj)
        test.assertTrue(objects, 'no output')
        test.assertEqual(objects[-1]['type'], 'result', 'the last line is not the result')
        test.assertEqual([o['type'] for o in objects].count('result'), 1)
        test.assertEqual(objects[-1]['exit_code'], self.code)
        return objects


class CliTest(unittest.TestCase):
    def kvmmig(self, *args, code=None):
        proc = subprocess.run([KVMMIG] + list(args), capture_output=True, text=True,
                              timeout=60)
        run = Run(args, proc)
        msg = 'kvmmig %s\n--- stdout\n%s--- stderr\n%s' % (' '.join(args), run.out, run.err)
        self.assertGreaterEqual(run.code, 0, 'killed by a signal: ' + msg)
        for bad in ('CRITICAL', 'WARNING', '**', 'Traceback', 'AddressSanitizer'):
            self.assertNotIn(bad, run.err, msg)
        if code is not None:
            self.assertEqual(run.code, code, msg)
        return run

    def assert_one_error_line(self, run, *needles):
        lines = run.err.splitlines()
        self.assertEqual(len(lines), 1, 'stderr is not one line: %r' % run.err)
        self.assertTrue(lines[0].startswith('kvmmig: '), lines[0])
        for needle in needles:
            self.assertIn(needle, lines[0])

    # -- help, version, man page ------------------------------------------

    def test_version(self):
        run = self.kvmmig('--version', code=EXIT_OK)
        self.assertRegex(run.out, r'^kvmmig \d+\.\d+\.\d+\nlibkvmmig \d+\.\d+\.\d+\n$')

    def test_help(self):
        for args in (['--help'], ['-h'], ['help']):
            run = self.kvmmig(*args, code=EXIT_OK)
            self.assertEqual(run.err, '')
            self.assertIn('Usage: kvmmig COMMAND', run.out)
            for command in COMMANDS:
                self.assertRegex(run.out, r'\n  %s ' % command)
            for code in range(8):
                self.assertRegex(run.out, r'\n  %d  \S' % code)
            self.assertIn('JSON output:', run.out)

    def test_help_of_every_command(self):
        for command in COMMANDS:
            for args in ([command, '--help'], [command, '-h'], ['help', command],
                         [command, '--bandwidth', '-5', '--help']):
                run = self.kvmmig(*args, code=EXIT_OK)
                self.assertEqual(run.err, '')
                self.assertTrue(run.out.startswith('Usage: kvmmig %s ' % command), run.out)
                self.assertIn('--json', run.out)
                self.assertIn('-h, --help', run.out)
                self.assertIn('Exit status:', run.out)
                self.assertIn('\n  0  ', run.out)
                self.assertIn('\n  2  ', run.out)
        migrate = self.kvmmig('migrate', '--help').out
        for option in ('from', 'to', 'bandwidth', 'max-downtime', 'policy', 'allow-postcopy',
                       'timeout', 'no-persist', 'keep-source', 'tls', 'migration-uri', 'json'):
            self.assertIn('--' + option, migrate)
        for code in (3, 4, 5, 6, 7):
            self.assertIn('\n  %d  ' % code, migrate)

    def test_man_page(self):
        with open(MAN) as f:
            man = f.read()
        # Built from the same table as --help, by the hidden --man.
        self.assertEqual(man, self.kvmmig('--man', code=EXIT_OK).out)
        self.assertTrue(man.startswith('.\\"'))
        self.assertIn('.TH KVMMIG 1 ', man)
        for section in ('NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', '"EXIT STATUS"',
                        '"JSON OUTPUT"', '"SEE ALSO"'):
            self.assertIn('\n.SH %s\n' % section, man)
        for command in COMMANDS:
            self.assertIn('.SS "kvmmig %s ' % command, man)
            # Every option of --help is in the man page.
            for option in set(re.findall(r'^  (?:-\w, )?\s*--([a-z-]+)',
                                         self.kvmmig(command, '--help').out, re.M)):
                self.assertIn('\\fB\\-\\-%s\\fR' % option.replace('-', '\\-'), man,
                              'option --%s of %s' % (option, command))
        for code in range(8):
            self.assertIn('.TP\n.B %d\n' % code, man)

        groff = shutil.which('groff')
        if groff is None:
            self.skipTest('groff is not installed (Debian groff-base)')
        proc = subprocess.run([groff, '-man', '-ww', '-z', '-Tutf8', MAN],
                              capture_output=True, text=True)
        self.assertEqual((proc.returncode, proc.stderr), (0, ''))

    # -- hosts --------------------------------------------------------------

    def test_hosts(self):
        run = self.kvmmig('hosts', A, B, code=EXIT_OK)
        self.assertEqual(run.err, '')
        self.assertIn(A + '\n', run.out)
        self.assertIn(B + '\n', run.out)
        for guest in ('test', 'twin', 'other'):
            self.assertRegex(run.out, r'\n +%s +running ' % guest)
        self.assertIn('libvirt', run.out)

    def test_hosts_json(self):
        run = self.kvmmig('hosts', A, C, '--json', code=EXIT_OK)
        self.assertEqual(run.err, '')
        objects = run.json_lines(self)
        self.assertEqual([o['type'] for o in objects], ['host', 'host', 'result'])
        a, c, result = objects
        self.assertEqual(a['uri'], A)
        self.assertEqual([g['name'] for g in a['guests']], ['test'])
        self.assertEqual(a['guests'][0]['state'], 'running')
        self.assertTrue(a['guests'][0]['persistent'])
        self.assertGreater(a['memory_total'], 0)
        self.assertEqual([g['name'] for g in c['guests']], ['small'])
        self.assertEqual(c['guests'][0]['memory'], 64 * 1024 * 1024)
        self.assertEqual(result['command'], 'hosts')
        self.assertIsNone(result['error'])
        self.assertEqual((result['hosts'], result['failed']), (2, 0))

    def test_hosts_unreachable(self):
        # The host that answers is still shown; the exit code is the failure's.
        run = self.kvmmig('hosts', A, UNREACHABLE, code=EXIT_UNREACHABLE)
        self.assert_one_error_line(run, UNREACHABLE)
        self.assertIn(A + '\n', run.out)

        run = self.kvmmig('hosts', UNREACHABLE, A, '--json', code=EXIT_UNREACHABLE)
        self.assert_one_error_line(run, UNREACHABLE)
        down, up, result = run.json_lines(self)
        self.assertEqual(down['uri'], UNREACHABLE)
        self.assertEqual(down['error']['code'], 'host-unreachable')
        self.assertEqual(up['uri'], A)
        self.assertEqual(result['exit_name'], 'host-unreachable')
        self.assertEqual(result['failed'], 1)

    # -- check --------------------------------------------------------------

    def test_check_passes(self):
        run = self.kvmmig('check', 'other', '--from', B, '--to', C, code=EXIT_OK)
        self.assertEqual(run.err, '')
        statuses = re.findall(r'^  (pass|warning|fail|skipped) +\S', run.out, re.M)
        self.assertEqual(len(statuses), 11, run.out)
        self.assertNotIn('fail', statuses)
        self.assertIn('The migration can go ahead.', run.out)

    def test_check_fails(self):
        run = self.kvmmig('check', 'test', '--from', A, '--to', B, code=EXIT_PREFLIGHT)
        self.assert_one_error_line(run, B, 'same UUID')
        self.assertRegex(run.out, r'\n  fail +No guest of that name or UUID on the destination\n')
        self.assertIn('The migration would fail.', run.out)

    def test_check_json(self):
        run = self.kvmmig('check', 'other', '--from', B, '--to', A, '--json',
                          code=EXIT_PREFLIGHT)
        self.assert_one_error_line(run, '3 MiB free')
        objects = run.json_lines(self)
        checks = [o for o in objects if o['type'] == 'check']
        self.assertEqual(len(checks), len(objects) - 1)
        self.assertEqual(len(checks), 11)
        for check in checks:
            self.assertIn(check['status'], ('passed', 'warning', 'failed', 'skipped'))
            self.assertTrue(check['id'] and check['title'] and check['message'])
            self.assertEqual(check['error'] is None, check['status'] != 'failed')
        memory = [c for c in checks if c['id'] == 'memory'][0]
        self.assertEqual(memory['status'], 'failed')
        self.assertEqual(memory['error']['code'], 'insufficient-memory')
        result = objects[-1]
        self.assertEqual((result['command'], result['exit_name']), ('check', 'preflight-failed'))
        self.assertEqual(result['error']['code'], 'insufficient-memory')
        self.assertEqual(result['failed'], 1)
        self.assertEqual(result['guest'], 'other')

        run = self.kvmmig('check', 'other', '--from', B, '--to', C, '--json', code=EXIT_OK)
        result = run.json_lines(self)[-1]
        self.assertIsNone(result['error'])
        self.assertEqual(result['failed'], 0)

    def test_check_unknown_guest(self):
        run = self.kvmmig('check', 'nosuch', '--from', A, '--to', B, code=EXIT_PREFLIGHT)
        self.assert_one_error_line(run, A, "no guest named 'nosuch'")

    def test_check_unreachable(self):
        run = self.kvmmig('check', 'test', '--from', A, '--to', UNREACHABLE,
                          code=EXIT_UNREACHABLE)
        self.assert_one_error_line(run, UNREACHABLE)

    # -- migrate ------------------------------------------------------------

    def test_migrate_fails_guest_stays(self):
        # Past its checks, the migration fails: the test driver cannot migrate.
        run = self.kvmmig('migrate', 'other', '--from', B, '--to', C,
                          code=EXIT_MIGRATION_FAILED)
        self.assert_one_error_line(run, "'other'", 'the guest runs on the source')
        self.assertNotIn('\r', run.out)          # not a terminal: no animation
        self.assertIn('pre-flight: ', run.out)
        self.assertRegex(run.out, r"\nmigration failed after \S+: guest 'other' runs on the "
                         r"source, %s\n$" % re.escape(B))

    def test_migrate_json(self):
        run = self.kvmmig('migrate', 'other', '--from', B, '--to', C, '--json',
                          '--bandwidth', '100', '--max-downtime', '500', '--policy', 'precopy',
                          '--timeout', '120', '--keep-source',
                          code=EXIT_MIGRATION_FAILED)
        self.assert_one_error_line(run, 'the guest runs on the source')
        objects = run.json_lines(self)
        types = [o['type'] for o in objects]
        self.assertEqual(types.count('check'), 11)
        states = [o['state'] for o in objects if o['type'] == 'state']
        self.assertEqual(states, ['checking', 'migrating', 'failed'])
        # The checks come before the migration starts.
        self.assertLess(types.index('check'), types.index('state', 1))
        for p in (o for o in objects if o['type'] == 'progress'):
            self.assertTrue(0.0 <= p['progress'] <= 1.0)
            for key in ('bytes_processed', 'bytes_remaining', 'bytes_total', 'bandwidth',
                        'dirty_rate', 'iteration', 'elapsed_ms', 'eta_ms'):
                self.assertIsInstance(p[key], int, key)
        result = objects[-1]
        self.assertEqual(result['command'], 'migrate')
        self.assertEqual((result['exit_code'], result['exit_name']), (5, 'migration-failed'))
        self.assertEqual(result['state'], 'failed')
        self.assertEqual(result['guest_location'], 'source')
        self.assertEqual(result['guest_host'], B)
        self.assertEqual((result['guest'], result['source'], result['destination']),
                         ('other', B, C))
        self.assertEqual(result['error']['code'], 'migration-failed')
        self.assertEqual(result['downtime_ms'], -1)

    def test_migrate_preflight_fails(self):
        run = self.kvmmig('migrate', 'test', '--from', A, '--to', B, code=EXIT_PREFLIGHT)
        self.assert_one_error_line(run, 'same UUID')
        self.assertRegex(run.out, r'\n  fail +No guest of that name or UUID')
        self.assertNotIn("guest 'test' runs on", run.out)

        run = self.kvmmig('migrate', 'nosuch', '--from', A, '--to', B, '--json',
                          code=EXIT_PREFLIGHT)
        self.assert_one_error_line(run, "no guest named 'nosuch'")
        objects = run.json_lines(self)
        self.assertNotIn('progress', [o['type'] for o in objects])
        result = objects[-1]
        self.assertEqual(result['error']['code'], 'guest-not-found')
        self.assertEqual(result['exit_name'], 'preflight-failed')

    def test_migrate_unreachable(self):
        for args in (['--from', UNREACHABLE, '--to', A], ['--from', A, '--to', UNREACHABLE]):
            run = self.kvmmig('migrate', 'test', *args, code=EXIT_UNREACHABLE)
            self.assert_one_error_line(run, UNREACHABLE, 'cannot open the host')

    # -- bad usage ------------------------------------------------------------

    USAGE = [
        ([], 'missing command'),
        (['frob'], "unknown command 'frob'"),
        (['--frob'], "unknown option '--frob'"),
        (['help', 'frob'], "unknown command 'frob'"),
        (['migrate'], 'missing GUEST'),
        (['migrate', 'g'], '--from is required'),
        (['migrate', 'g', '--from', A], '--to is required'),
        (['migrate', 'g', 'h', '-f', A, '-t', B], "unexpected argument 'h'"),
        (['migrate', '', '-f', A, '-t', B], 'empty GUEST'),
        (['migrate', 'g', '-f', A, '-t'], 'missing argument for -t'),
        (['migrate', 'g', '-f', A, '-t', B, '--frob'], 'unknown option --frob'),
        (['migrate', 'g', '-f', 'notauri', '-t', B], "--from: 'notauri' is not a libvirt URI"),
        (['migrate', 'g', '-f', A, '-t', ''], "--to: '' is not a libvirt URI"),
        (['migrate', 'g', '-f', A, '-t', B, '--bandwidth', '-5'],
         "--bandwidth: '-5' is not a whole number of MiB/s"),
        (['migrate', 'g', '-f', A, '-t', B, '--bandwidth', 'fast'], "--bandwidth: 'fast'"),
        (['migrate', 'g', '-f', A, '-t', B, '--bandwidth', '1048577'], 'from 0 to 1048576'),
        (['migrate', 'g', '-f', A, '-t', B, '--max-downtime', '0'], "--max-downtime: '0'"),
        (['migrate', 'g', '-f', A, '-t', B, '--max-downtime', '600001'], 'from 1 to 600000'),
        (['migrate', 'g', '-f', A, '-t', B, '--policy', 'foo'],
         "--policy: 'foo' is not one of auto, precopy, postcopy"),
        (['migrate', 'g', '-f', A, '-t', B, '--policy', 'precopy', '--allow-postcopy'],
         '--allow-postcopy does not go with --policy precopy'),
        (['migrate', 'g', '-f', A, '-t', B, '--timeout', '0'], "--timeout: '0'"),
        (['migrate', 'g', '-f', A, '-t', B, '--timeout', '-1'], "--timeout: '-1'"),
        (['migrate', 'g', '-f', A, '-t', B, '--migration-uri', 'ftp://10.0.0.1'],
         "--migration-uri: 'ftp://10.0.0.1' is not of the form tcp://ADDRESS[:PORT]"),
        (['migrate', 'g', '-f', A, '-t', B, '--migration-uri', 'not a uri'], '--migration-uri'),
        (['check', 'g', '--from', A], '--to is required'),
        (['check', 'g', '--from', A, '--to', B, '--bandwidth', '5'], 'unknown option --bandwidth'),
        (['hosts'], 'missing URI'),
        (['hosts', A, 'notauri'], "'notauri' is not a libvirt URI"),
    ]

    def test_usage_errors(self):
        for args, needle in self.USAGE:
            run = self.kvmmig(*args, code=EXIT_USAGE)
            self.assert_one_error_line(run, needle)
            self.assertEqual(run.out, '', args)

    def test_usage_error_json(self):
        run = self.kvmmig('migrate', 'g', '-f', A, '-t', B, '--bandwidth', '-5', '--json',
                          code=EXIT_USAGE)
        self.assert_one_error_line(run, '--bandwidth')
        objects = run.json_lines(self)
        self.assertEqual(len(objects), 1)
        self.assertEqual(objects[0]['error']['code'], 'usage')
        self.assertEqual(objects[0]['exit_name'], 'usage')

        run = self.kvmmig('check', 'g', '--json', '--frob', code=EXIT_USAGE)
        self.assertEqual(run.json_lines(self)[0]['exit_code'], EXIT_USAGE)


if __name__ == '__main__':
    taprunner.main()
