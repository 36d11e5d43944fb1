#!/usr/bin/python3
# test_kvmmig_cli.py: the kvmmig command against libvirt's test driver
# (suite `unit`): three hosts, test:///default (guest "test"),
# tests/data/test-host-b.xml (guests "twin", with the UUID of "test", and
# "other", 128 MiB) and tests/cli/data/host-c.xml (1 GiB, guest "small").
# Each run is a process of its own, so each gets a fresh test:///default.
#
# It checks `kvmmig hosts`, the outcomes and exit codes of `kvmmig check`,
# a migration that fails (the test driver cannot migrate) and says the guest
# runs on the source, an evacuation that fails the same way for each guest
# (exit code 5, a per-guest summary), the store and volume commands on a
# directory store (tests/cli/data/store-host-*.xml: test-driver hosts whose
# pool "cli-dir" is there already, since each run starts afresh), --json
# line by line, --help of every command and the man page made from the
# same table with its table of virsh migrate's options, virsh's form
# (-c URI migrate GUEST DESTURI) with each virsh option's mapping onto the
# job's options (the job object of --json) or its refusal, the disk
# copy's options of migrate and check (taken into the job, or refused
# without a copy option; the test driver copies no disk), the bash
# completion (sourced in bash with simulated COMP_WORDS), the version of
# the JSON format in every object, that a CHAP secret is never printed, and
# that every error is
# one line on stderr with its documented exit code, and never a GLib
# critical or warning (G_DEBUG makes those fatal, too).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
import unittest

import taprunner

KVMMIG = os.environ['KVMMIG_CLI']
MAN = os.environ['KVMMIG_MAN']
COMPLETION = os.environ['KVMMIG_COMPLETION']
A = 'test:///default'
B = 'test://' + os.path.abspath(os.environ['KVMMIG_TEST_HOST_B'])
C = 'test://' + os.path.abspath(os.environ['KVMMIG_TEST_HOST_C'])
DATA = os.path.abspath(os.environ['KVMMIG_CLI_DATA'])
S1 = 'test://' + os.path.join(DATA, 'store-host-1.xml')   # cli-dir; guest "user" on used.img
S2 = 'test://' + os.path.join(DATA, 'store-host-2.xml')   # cli-dir, the same volumes
S3 = 'test://' + os.path.join(DATA, 'store-host-3.xml')   # cli-dir without free.img
UNREACHABLE = 'qemu+tcp://127.0.0.1:1/system'     # nothing listens on port 1

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3
EXIT_PREFLIGHT, EXIT_MIGRATION_FAILED, EXIT_CANCELLED, EXIT_GUEST_LOST = 4, 5, 6, 7
EXIT_STORAGE = 8
JSON_FORMAT = 1                                    # "kvmmig_json" of every --json object

# Every command, as the words that name it.
COMMANDS = ['migrate', 'migrate-setspeed', 'migrate-setmaxdowntime', 'check', 'hosts', 'evacuate',
            'store attach', 'store detach', 'store check', 'store format',
            'volume list', 'volume show', 'volume create', 'volume delete', 'volume resize']
GROUPS = ['store', 'volume']
DIR = ['--dir', '/srv/kvmmig-cli-test']            # the store of store-host-*.xml
# The disk copy's options of migrate and check (virsh's two, then kvmmig's).
COPY_OPTIONS = ('copy-storage-all', 'copy-storage-inc', 'copy-storage-pool',
                'reuse-destination-disks', 'remove-source-disks')


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
            # The format's version, in every object (the JSON output section).
            test.assertEqual(obj.get('kvmmig_json'), JSON_FORMAT, line)
            objects.append(obj)
        test.assertTrue(objects, 'no output')
        test.assertEqual(objects[-1]['type'], 'result', 'the last line is not the result')
        test.assertEqual([o['type'] for o in objects].count('result'), 1)
        test.assertEqual(objects[-1]['exit_code'], self.code)
        return objects


class CliTest(unittest.TestCase):
    def kvmmig(self, *args, code=None, stdin=None):
        proc = subprocess.run([KVMMIG] + list(args), capture_output=True, text=True,
                              timeout=60, input=stdin)
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
            self.assertIn('Usage: kvmmig [-c URI] COMMAND', run.out)
            for command in COMMANDS + GROUPS:
                if ' ' not in command:
                    self.assertRegex(run.out, r'\n  %s[ \n]' % command)
            for code in range(9):
                self.assertRegex(run.out, r'\n  %d  \S' % code)
            self.assertIn('JSON output:', run.out)
            self.assertIn('"kvmmig_json" member is the version of this format, 1', run.out)

    def test_help_of_every_command(self):
        for command in COMMANDS:
            words = command.split()
            for args in (words + ['--help'], words + ['-h'], ['help'] + words,
                         words + ['--bandwidth', '-5', '--help']):
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
                       'timeout', 'postcopy-recovery-timeout', 'no-persist', 'keep-source',
                       'tls', 'migration-uri', 'json'):
            self.assertIn('--' + option, migrate)
        for code in (3, 4, 5, 6, 7):
            self.assertIn('\n  %d  ' % code, migrate)
        for option in ('abort-after', 'persistent', 'undefinesource', 'auto-converge', 'postcopy',
                       'postcopy-after-precopy', 'compressed', 'comp-methods', 'parallel',
                       'parallel-connections', 'migrateuri') + COPY_OPTIONS:
            self.assertIn('--' + option, migrate)
        check = self.kvmmig('check', '--help').out
        for option in COPY_OPTIONS:
            self.assertIn('--' + option, check)
        self.assertIn('\nvirsh migrate options:\n', migrate)
        # Examples over SSH and TLS; plain TCP only on an isolated network.
        for text in (migrate, self.kvmmig('--help').out):
            self.assertIn('qemu+ssh://', text)
            self.assertIn('qemu+tls://', text)
            self.assertRegex(text, r'qemu\+tcp://\S* has (neither|no authentication nor\s+'
                             r'encryption)')
            self.assertRegex(text, r'only\s+on\s+a\s+trusted,\s+isolated\s+network')
        for command in COMMANDS:
            self.assertNotIn('qemu+tcp://node', self.kvmmig(*command.split(), '--help').out)
        evacuate = self.kvmmig('evacuate', '--help').out
        for option in ('from', 'to', 'max-per-source', 'max-per-destination', 'bandwidth',
                       'policy', 'allow-postcopy', 'tls', 'require-disk-locking',
                       'allow-cluster-managed', 'json'):
            self.assertIn('--' + option, evacuate)
        for code in (0, 3, 5, 6, 7):
            self.assertIn('\n  %d  ' % code, evacuate)
        # The store's description, in every store and volume command.
        for command in (c for c in COMMANDS if c.split()[0] in GROUPS):
            out = self.kvmmig(*command.split(), '--help').out
            self.assertIn('\nStore options:\n', out)
            for option in ('iscsi', 'target', 'initiator', 'chap-user', 'chap-secret-file',
                           'volume-group', 'lun', 'dir', 'nfs', 'mount-point', 'block-device'):
                self.assertRegex(out, r'\n +--%s ' % option)
            self.assertNotRegex(out, r'--chap-secret[ =]')
            if command != 'store format':
                self.assertIn('\n  8  ', out)

    def test_help_of_command_groups(self):
        for group in GROUPS:
            for args in ([group, '--help'], [group, '-h'], ['help', group]):
                run = self.kvmmig(*args, code=EXIT_OK)
                self.assertEqual(run.err, '')
                self.assertTrue(run.out.startswith('Usage: kvmmig %s COMMAND ' % group))
                self.assertIn('\nCommands:\n', run.out)
                for command in COMMANDS:
                    if command.startswith(group + ' '):
                        self.assertRegex(run.out, r'\n  %s +\S' % command.split()[1])
            run = self.kvmmig(group, code=EXIT_USAGE)
            self.assert_one_error_line(run, 'missing command')
            run = self.kvmmig(group, 'frob', code=EXIT_USAGE)
            self.assert_one_error_line(run, "unknown command '%s frob'" % group)
        run = self.kvmmig('help', 'volume', 'frob', code=EXIT_USAGE)
        self.assert_one_error_line(run, "unknown command 'volume frob'")

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
        for command in COMMANDS + GROUPS:
            self.assertIn('.SS "kvmmig %s ' % command, man)
            # Every option of --help is in the man page.
            for option in set(re.findall(r'^  (?:-\w, )?\s*--([a-z-]+)',
                                         self.kvmmig(*command.split(), '--help').out, re.M)):
                self.assertIn('\\fB\\-\\-%s\\fR' % option.replace('-', '\\-'), man,
                              'option --%s of %s' % (option, command))
        for command in COMMANDS:
            # The commands that take the global -c show it before their name.
            self.assertRegex(man, r'\n\\fBkvmmig(?: |\\fR \[\\fB\\-c\\fR \\fIURI\\fR\] \\fB)'
                             r'%s\\fR ' % command.replace('-', '\\-'))
        self.assertIn('\n.SH "STORE OPTIONS"\n', man)
        for code in range(9):
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

    # -- migrate-setspeed, migrate-setmaxdowntime ------------------------------
    # (a migration under way: tests/integration/test_cli_virsh.py)

    def test_migrate_tune_refusals(self):
        run = self.kvmmig('-c', A, 'migrate-setspeed', 'test', '100', code=EXIT_USAGE)
        self.assert_one_error_line(run, A, "no migration of guest 'test' runs")
        run = self.kvmmig('migrate-setmaxdowntime', 'test', '500', '--from', A, code=EXIT_USAGE)
        self.assert_one_error_line(run, A, "no migration of guest 'test' runs")
        run = self.kvmmig('-c', A, 'migrate-setmaxdowntime', 'nope', '100', '--json',
                          code=EXIT_PREFLIGHT)
        self.assert_one_error_line(run, A, 'nope')
        result = run.json_lines(self)[-1]
        self.assertEqual(result['error']['code'], 'guest-not-found')
        self.assertEqual((result['guest'], result['source'], result['max_downtime_ms']),
                         ('nope', A, 100))
        for args, needle in ((['test', 'fast'], "MIB: 'fast' is not a bandwidth limit"),
                             (['test', '-1'], 'unknown option -1'),
                             (['test', '2000000'], "MIB: '2000000'"),
                             (['test'], 'GUEST MIB'),
                             (['test', '1', '--from', A], '-c and --from')):
            run = self.kvmmig('-c', A, 'migrate-setspeed', *args, code=EXIT_USAGE)
            self.assert_one_error_line(run, needle)
        run = self.kvmmig('-c', A, 'migrate-setmaxdowntime', 'test', '0', code=EXIT_USAGE)
        self.assert_one_error_line(run, "MS: '0' is not a downtime")

    # -- check --------------------------------------------------------------

    def test_check_passes(self):
        run = self.kvmmig('check', 'other', '--from', B, '--to', C, code=EXIT_OK)
        self.assertEqual(run.err, '')
        statuses = re.findall(r'^  (pass|warning|fail|skipped) +\S', run.out, re.M)
        self.assertEqual(len(statuses), 16, run.out)
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
        self.assertEqual(len(checks), 16)
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

    def test_check_copy_storage(self):
        # The disk copy's options reach the job's checks, in both forms: the
        # library's checks speak of the copy (its check copy-storage, or,
        # until it copies disks, the options check refusing it).
        for args in (['other', '--from', B, '--to', C], ['-c', B, 'check', 'other', C]):
            if args[0] != '-c':
                args = ['check'] + args
            for copy in (['--copy-storage-all'],
                         ['--copy-storage-inc', '--copy-storage-pool', 'default',
                          '--reuse-destination-disks', '--remove-source-disks']):
                run = self.kvmmig(*args, *copy, '--json')
                objects = run.json_lines(self)
                error = objects[-1]['error']
                self.assertNotEqual(error and error['code'], 'usage', run.err)
                checks = [o for o in objects if o['type'] == 'check']
                self.assertTrue([c for c in checks if c['id'] == 'copy-storage' or
                                 'copy-storage' in c['message']], run.out)
        # Refused before any host is asked.
        for copy, needle in ((['--copy-storage-all', '--copy-storage-inc'], 'do not go together'),
                             (['--copy-storage-pool', 'default'],
                              '--copy-storage-pool needs --copy-storage-all or '
                              '--copy-storage-inc'),
                             (['--reuse-destination-disks'], '--reuse-destination-disks needs'),
                             (['--remove-source-disks'], '--remove-source-disks needs')):
            run = self.kvmmig('check', 'other', '--from', B, '--to', UNREACHABLE, *copy,
                              code=EXIT_USAGE)
            self.assert_one_error_line(run, needle)
            self.assertEqual(run.out, '')
        # virsh's option that kvmmig refuses is not one of check's.
        run = self.kvmmig('-c', B, 'check', 'other', C, '--copy-storage-synchronous-writes',
                          code=EXIT_USAGE)
        self.assert_one_error_line(run, '--copy-storage-synchronous-writes')

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
        self.assertEqual(types.count('check'), 16)
        states = [o['state'] for o in objects if o['type'] == 'state']
        self.assertEqual(states, ['checking', 'migrating', 'failed'])
        # The job first, then the checks, before the migration starts.
        self.assertEqual(types[0], 'job')
        self.assertLess(types.index('check'), types.index('state', types.index('state') + 1))
        for p in (o for o in objects if o['type'] == 'progress'):
            self.assertTrue(0.0 <= p['progress'] <= 1.0)
            for key in ('bytes_processed', 'bytes_remaining', 'bytes_total', 'bandwidth',
                        'dirty_rate', 'iteration', 'elapsed_ms', 'eta_ms',
                        'disk_bytes_processed', 'disk_bytes_remaining', 'disk_bytes_total'):
                self.assertIsInstance(p[key], int, key)
            # No disk is copied: the disk copy's figures are there, and 0.
            self.assertEqual((p['disk_bytes_processed'], p['disk_bytes_remaining'],
                              p['disk_bytes_total']), (0, 0, 0))
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
        self.assertEqual(result['disk_bytes_processed'], 0)

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

    def test_migrate_postcopy_recovery_timeout(self):
        # Accepted with post-copy; the test driver then fails the post-copy
        # check (it runs no QEMU).
        run = self.kvmmig('migrate', 'other', '--from', B, '--to', C, '--allow-postcopy',
                          '--postcopy-recovery-timeout', '30', code=EXIT_PREFLIGHT)
        self.assert_one_error_line(run, 'post-copy')
        run = self.kvmmig('migrate', 'other', '--from', B, '--to', C, '--policy', 'postcopy',
                          '--postcopy-recovery-timeout', '0', '--json', code=EXIT_PREFLIGHT)
        result = run.json_lines(self)[-1]
        self.assertIs(result['postcopy_interrupted'], False)

    # -- virsh's form: -c, GUEST DESTURI, virsh migrate's options --------------

    def job_of(self, *args):
        """The job object kvmmig migrate --json prints first: its form and
        the options the job holds. kvmmig took the options: no usage error
        of its own (code "usage"), whatever the library then says of them
        (until it copies disks, it refuses copy-storage: invalid-argument)."""
        run = self.kvmmig(*args, '--json')
        objects = run.json_lines(self)
        error = objects[-1]['error']
        self.assertNotEqual(error and error['code'], 'usage', run.err)
        self.assertEqual(objects[0]['type'], 'job', run.out)
        return objects[0]

    VIRSH_DEFAULTS = {'policy': 'precopy', 'allow_postcopy': False, 'bandwidth_limit': 0,
                      'max_downtime_ms': 300, 'completion_timeout_ms': -1,
                      'persistent': False, 'undefine_source': False, 'tls': False,
                      'compression': 'none', 'parallel_connections': 0,
                      'migration_uri': None, 'postcopy_recovery_timeout_ms': 300000,
                      'require_disk_locking': False, 'allow_cluster_managed': False,
                      'copy_storage': 'none',
                      'copy_storage_pool': None, 'reuse_destination_disks': False,
                      'remove_source_disks': False}
    KVMMIG_DEFAULTS = dict(VIRSH_DEFAULTS, policy='auto', completion_timeout_ms=0,
                           persistent=True, undefine_source=True)

    def test_virsh_form_defaults(self):
        # As virsh: plain pre-copy, no time limit, transient on the
        # destination, still defined on the source.
        job = self.job_of('-c', B, 'migrate', 'other', C)
        self.assertEqual((job['form'], job['guest'], job['source'], job['destination']),
                         ('virsh', 'other', B, C))
        self.assertEqual(job['options'], self.VIRSH_DEFAULTS)
        # The rest of the run is as in kvmmig's form: it fails, the guest stays.
        run = self.kvmmig('-c', B, 'migrate', 'other', C, code=EXIT_MIGRATION_FAILED)
        self.assertIn("migrating 'other' from %s to %s\n" % (B, C), run.out)
        self.assert_one_error_line(run, 'the guest runs on the source')
        for connect in (['--connect', B], ['--connect=' + B], ['-c' + B]):
            self.assertEqual(self.job_of(*connect, 'migrate', 'other', C)['source'], B)
        # --domain and --desturi are virsh's names of GUEST and DESTURI.
        for args in (['--domain', 'other', '--desturi', C], ['--domain', 'other', C],
                     ['--desturi', C, 'other']):
            job = self.job_of('-c', B, 'migrate', *args)
            self.assertEqual((job['guest'], job['destination']), ('other', C), args)

    def test_kvmmig_form_defaults(self):
        job = self.job_of('migrate', 'other', '--from', B, '--to', C)
        self.assertEqual((job['form'], job['source'], job['destination']), ('kvmmig', B, C))
        self.assertEqual(job['options'], self.KVMMIG_DEFAULTS)

    # (options, the job's options that differ from the form's defaults)
    VIRSH_MAPPING = [
        (['--live', '--p2p', '--verbose', '--abort-on-error', '--change-protection'], {}),
        (['--persistent'], {'persistent': True}),
        (['--undefinesource'], {'undefine_source': True}),
        (['--persistent', '--undefinesource'], {'persistent': True, 'undefine_source': True}),
        (['--auto-converge'], {'policy': 'auto'}),
        (['--postcopy'], {'policy': 'auto', 'allow_postcopy': True}),
        (['--postcopy', '--auto-converge'], {'policy': 'auto', 'allow_postcopy': True}),
        (['--postcopy', '--postcopy-after-precopy'], {'policy': 'postcopy'}),
        (['--bandwidth', '100'], {'bandwidth_limit': 100}),
        (['--compressed'], {'compression': 'xbzrle'}),
        (['--compressed', '--comp-methods', 'xbzrle'], {'compression': 'xbzrle'}),
        (['--parallel'], {'parallel_connections': 2}),
        (['--parallel', '--parallel-connections', '8'], {'parallel_connections': 8}),
        (['--parallel', '--compressed', '--comp-methods', 'zstd'],
         {'parallel_connections': 2, 'compression': 'zstd'}),
        (['--tls'], {'tls': True}),
        (['--require-disk-locking'], {'require_disk_locking': True}),
        (['--allow-cluster-managed'], {'allow_cluster_managed': True}),
        (['--migrateuri', 'tcp://10.0.0.2:49152'], {'migration_uri': 'tcp://10.0.0.2:49152'}),
        (['--migration-uri', 'tcp://10.0.0.2'], {'migration_uri': 'tcp://10.0.0.2'}),
        (['--abort-after', '90'], {'completion_timeout_ms': 90000}),
        (['--abort-after', 'none'], {}),
        (['--max-downtime', '500'], {'max_downtime_ms': 500}),
        (['--allow-postcopy'], {'policy': 'auto', 'allow_postcopy': True}),
        (['--policy', 'postcopy'], {'policy': 'postcopy'}),
        (['--no-persist', '--keep-source'], {}),
        (['--copy-storage-all'], {'copy_storage': 'all'}),
        (['--copy-storage-inc'], {'copy_storage': 'incremental'}),
        (['--copy-storage-all', '--copy-storage-pool', 'default', '--reuse-destination-disks',
          '--remove-source-disks'],
         {'copy_storage': 'all', 'copy_storage_pool': 'default',
          'reuse_destination_disks': True, 'remove_source_disks': True}),
    ]
    # The same options in kvmmig's form: the same meaning, kvmmig's defaults.
    KVMMIG_MAPPING = [
        (['--live', '--p2p', '--persistent', '--undefinesource', '--auto-converge'], {}),
        (['--postcopy'], {'allow_postcopy': True}),
        (['--postcopy', '--postcopy-after-precopy'], {'policy': 'postcopy'}),
        (['--parallel', '--compressed', '--comp-methods', 'zstd', '--tls'],
         {'parallel_connections': 2, 'compression': 'zstd', 'tls': True}),
        (['--timeout', '120'], {'completion_timeout_ms': 120000}),   # kvmmig's abort
        (['--timeout', 'none'], {'completion_timeout_ms': -1}),
        (['--abort-after', '120'], {'completion_timeout_ms': 120000}),
        (['--no-persist'], {'persistent': False, 'undefine_source': False}),
        (['--keep-source'], {'undefine_source': False}),
        (['--no-persist', '--undefinesource'], {'persistent': False}),
        (['--copy-storage-all'], {'copy_storage': 'all'}),
        (['--copy-storage-inc', '--copy-storage-pool', 'images', '--remove-source-disks'],
         {'copy_storage': 'incremental', 'copy_storage_pool': 'images',
          'remove_source_disks': True}),
        (['--copy-storage-all', '--reuse-destination-disks'],
         {'copy_storage': 'all', 'reuse_destination_disks': True}),
    ]

    def test_virsh_options_mapped(self):
        for args, changed in self.VIRSH_MAPPING:
            job = self.job_of('-c', B, 'migrate', 'other', C, *args)
            self.assertEqual(job['options'], dict(self.VIRSH_DEFAULTS, **changed), args)
        for args, changed in self.KVMMIG_MAPPING:
            job = self.job_of('migrate', 'other', '-f', B, '-t', C, *args)
            self.assertEqual(job['options'], dict(self.KVMMIG_DEFAULTS, **changed), args)

    def virsh_table(self):
        """VIRSH MIGRATE OPTIONS of the man page: {option: (arg, label, text)}."""
        with open(MAN) as f:
            man = f.read()
        section = man[man.index('\n.SH "VIRSH MIGRATE OPTIONS"\n'):]
        section = section[:section.index('\n.SH ', 1)]
        table = {}
        for m in re.finditer(r'\n\.TP\n\\fB\\-\\-([a-z0-9\\-]+)\\fR(?: \\fI(\S+)\\fR)?\n'
                             r'(Mapped\.|Accepted, always so\.|Refused:) (.*)', section):
            table[m.group(1).replace('\\-', '-')] = (m.group(2), m.group(3), m.group(4))
        return table

    def test_virsh_table_lists_every_virsh_option(self):
        table = self.virsh_table()
        self.assertGreaterEqual(len(table), 50)
        virsh = shutil.which('virsh')
        if virsh is None:
            self.skipTest('virsh is not installed (Debian libvirt-clients)')
        out = subprocess.run([virsh, 'help', 'migrate'], capture_output=True, text=True,
                             check=True).stdout
        options = re.findall(r'^    (?:\[)?--([a-z0-9-]+)', out, re.M)
        self.assertIn('copy-storage-all', options)
        self.assertEqual(sorted(set(options) - set(table)), [],
                         'virsh migrate options missing from VIRSH MIGRATE OPTIONS')

    def test_virsh_options_accepted_or_refused(self):
        # Each row of the table does what it says, in virsh's form.
        for option, (arg, label, text) in self.virsh_table().items():
            args = ['--' + option] + (['1'] if arg else [])
            if label == 'Refused:':
                run = self.kvmmig('-c', B, 'migrate', 'other', C, *args, code=EXIT_USAGE)
                self.assert_one_error_line(run, '--%s: ' % option)
                self.assertEqual(run.out, '')
            elif label.startswith('Accepted'):
                self.assertEqual(self.job_of('-c', B, 'migrate', 'other', C, *args)['options'],
                                 self.VIRSH_DEFAULTS, option)

    # (arguments after migrate, what the one error line says)
    VIRSH_REFUSALS = [
        (['other', C, '--timeout', '30'], '--timeout: virsh\'s --timeout suspends the guest'),
        (['other', C, '--timeout', '30'], 'give --abort-after SEC'),
        (['other', C, '--timeout-suspend'], '--abort-after'),
        (['other', C, '--timeout-postcopy'], '--postcopy'),
        (['other', C, '--offline'], 'live only'),
        (['other', C, '--tunnelled'], '--tls'),
        (['other', C, '--direct'], '--p2p'),
        (['other', C, '--copy-storage-synchronous-writes'],
         '--copy-storage-synchronous-writes: not needed'),
        (['other', C, '--copy-storage-synchronous-writes'], "kvmmig's auto policy"),
        (['other', C, '--copy-storage-all', '--copy-storage-synchronous-writes'],
         '--copy-storage-synchronous-writes: '),
        (['other', C, '--copy-storage-all', '--copy-storage-inc'],
         '--copy-storage-all and --copy-storage-inc do not go together'),
        (['other', C, '--copy-storage-pool', 'default'],
         '--copy-storage-pool needs --copy-storage-all or --copy-storage-inc'),
        (['other', C, '--reuse-destination-disks'],
         '--reuse-destination-disks needs --copy-storage-all or --copy-storage-inc'),
        (['other', C, '--remove-source-disks'],
         '--remove-source-disks needs --copy-storage-all or --copy-storage-inc'),
        (['other', C, '--copy-storage-all', '--copy-storage-pool', ''], 'empty pool name'),
        (['other', C, '--migrate-disks', 'vda'], 'takes no list of disks'),
        (['other', C, '--postcopy-bandwidth', '50'], 'give --bandwidth'),
        (['other', C, '--listen-address', '10.0.0.1'], '--migrateuri tcp://ADDRESS'),
        (['other', C, '--postcopy-resume'], '--postcopy-recovery-timeout'),
        (['other', C, '--auto-converge-initial', '20'], 'give --auto-converge alone'),
        (['other', C, '--comp-zlib-level', '5'], '--comp-methods zstd'),
        (['other', C, '--postcopy-after-precopy'], 'needs --postcopy'),
        (['other', C, '--parallel-connections', '4'], 'needs --parallel'),
        (['other', C, '--parallel', '--parallel-connections', '1'],
         "--parallel-connections: '1'"),
        (['other', C, '--comp-methods', 'xbzrle'], '--comp-methods needs --compressed'),
        (['other', C, '--compressed', '--parallel'], 'needs --comp-methods zstd'),
        (['other', C, '--compressed', '--comp-methods', 'zstd'], 'zstd needs --parallel'),
        (['other', C, '--compressed', '--comp-methods', 'zlib'], 'does not offer zlib'),
        (['other', C, '--compressed', '--comp-methods', 'mt'], 'does not offer mt'),
        (['other', C, '--compressed', '--comp-methods', 'xbzrle,zstd'], 'one method'),
        (['other', C, '--persistent', '--no-persist'], 'do not go together'),
        (['other', C, '--undefinesource', '--keep-source'], 'do not go together'),
        (['other', C, '--auto-converge', '--policy', 'precopy'], 'it is --policy auto'),
        (['other', C, '--postcopy', '--policy', 'precopy'], '--postcopy does not go with'),
        (['other', C, '--postcopy', '--postcopy-after-precopy', '--policy', 'auto'],
         'it is --policy postcopy'),
        (['other', C, '--migrateuri', 'ftp://x'], "--migrateuri: 'ftp://x' is not of the form"),
        (['other', C, '--migrateuri', 'tcp://a', '--migration-uri', 'tcp://b'],
         'the same option'),
        (['other', C, 'tcp://10.0.0.2'], "unexpected argument 'tcp://10.0.0.2'"),
        (['other', C, '--abort-after', '0'], "--abort-after: '0'"),
        (['other', 'not a uri'], "'not a uri' is not a libvirt URI"),
        (['', C], 'empty GUEST'),
        (['other', '--domain', 'x', C], "unexpected argument"),
    ]

    def test_virsh_refusals(self):
        for args, needle in self.VIRSH_REFUSALS:
            run = self.kvmmig('-c', B, 'migrate', *args, code=EXIT_USAGE)
            self.assert_one_error_line(run, needle)
            self.assertEqual(run.out, '', args)
        for args, needle in ((['--desturi', C], '--desturi and --to'),
                             (['--timeout', '5', '--abort-after', '5'],
                              'in this form --timeout is --abort-after'),
                             (['--copy-storage-inc', '--copy-storage-all'], 'do not go together'),
                             (['--remove-source-disks'], 'needs --copy-storage-all'),
                             (['--copy-storage-synchronous-writes'], 'not needed')):
            run = self.kvmmig('migrate', 'other', '--from', B, '--to', C, *args,
                              code=EXIT_USAGE)
            self.assert_one_error_line(run, needle)
        # -c names the source of virsh's form only.
        run = self.kvmmig('-c', B, 'migrate', 'other', '--from', B, '--to', C, code=EXIT_USAGE)
        self.assert_one_error_line(run, '-c and --from do not go together')
        run = self.kvmmig('-c', B, 'evacuate', '--from', B, '--to', C, code=EXIT_USAGE)
        self.assert_one_error_line(run, "-c URI does not go with 'kvmmig evacuate'")
        run = self.kvmmig('-c', code=EXIT_USAGE)
        self.assert_one_error_line(run, '-c needs a URI')
        run = self.kvmmig('-c', 'not a uri', 'hosts', code=EXIT_USAGE)
        self.assert_one_error_line(run, "--connect: 'not a uri' is not a libvirt URI")
        # Refused with --json too: one result object, with the version.
        run = self.kvmmig('-c', B, 'migrate', 'other', C, '--xml', 'f.xml', '--json',
                          code=EXIT_USAGE)
        result, = run.json_lines(self)
        self.assertEqual(result['error']['code'], 'usage')
        self.assertIn('--xml: ', result['error']['message'])

    def test_connect_hosts_and_check(self):
        run = self.kvmmig('-c', B, 'hosts', code=EXIT_OK)
        self.assertTrue(run.out.startswith(B + '\n'), run.out)
        run = self.kvmmig('-c', B, 'hosts', C, '--json', code=EXIT_OK)
        self.assertEqual([o.get('uri') for o in run.json_lines(self)], [B, C, None])
        run = self.kvmmig('-c', B, 'check', 'other', C, code=EXIT_OK)
        self.assertIn("Pre-flight checks of migrating 'other' from %s to %s:" % (B, C), run.out)
        run = self.kvmmig('-c', B, 'check', 'other', C, '--json', code=EXIT_OK)
        result = run.json_lines(self)[-1]
        self.assertEqual((result['source'], result['destination']), (B, C))

    def test_guest_by_uuid_and_id(self):
        # GUEST is passed as given; the library finds it by UUID or ID too,
        # and the migration then fails as the test driver's do.
        for guest in ('11111111-2222-3333-4444-666666666666', '2'):
            job = self.job_of('-c', B, 'migrate', guest, C)
            self.assertEqual(job['guest'], guest)
            run = self.kvmmig('-c', B, 'migrate', guest, C, code=EXIT_MIGRATION_FAILED)
            self.assert_one_error_line(run, "guest 'other'", 'the guest runs on the source')

    def test_uri_alias_reaches_the_library(self):
        # A bare word may be an alias of libvirt's client config
        # (uri_aliases): kvmmig passes it on, and libvirt (or the library)
        # says whether it is one.
        for args in (['hosts', 'kvmmig-test-alias'], ['-c', 'kvmmig-test-alias', 'hosts']):
            run = self.kvmmig(*args)
            self.assertNotIn('nor the name of a URI alias', run.err)
            self.assertIn('kvmmig-test-alias', run.err)

    def test_default_uri(self):
        # LIBVIRT_DEFAULT_URI is test:///default (tests/cli/meson.build).
        for args in (['hosts'], ['-c', '', 'hosts']):
            run = self.kvmmig(*args, code=EXIT_OK)
            self.assertRegex(run.out, r'\n +test +running ')
        job = self.job_of('migrate', 'test', C)
        self.assertEqual((job['form'], job['source'], job['destination']), ('virsh', None, C))
        run = self.kvmmig('check', 'test', B, code=EXIT_PREFLIGHT)
        self.assertIn("from libvirt's default URI to %s" % B, run.out)

    # -- bash completion --------------------------------------------------------

    def complete(self, *words, env=None):
        """COMPREPLY of the completion script for COMP_WORDS = kvmmig WORDS,
        the cursor on the last word, as bash computes it."""
        comp_words = [KVMMIG] + list(words)
        script = ('source %s\nCOMP_WORDS=(%s)\nCOMP_CWORD=%d\n_kvmmig\n'
                  'printf "%%s\\n" "${COMPREPLY[@]}"\n'
                  % (shlex.quote(COMPLETION), ' '.join(shlex.quote(w) for w in comp_words),
                     len(comp_words) - 1))
        proc = subprocess.run(['bash', '--norc', '--noprofile', '-c', script],
                              capture_output=True, text=True, timeout=60, env=env,
                              stdin=subprocess.DEVNULL)
        self.assertEqual((proc.returncode, proc.stderr), (0, ''), words)
        return sorted(line for line in proc.stdout.splitlines() if line)

    def test_completion_commands_and_options(self):
        self.assertEqual(self.complete(''), sorted(
            ['migrate', 'migrate-setspeed', 'migrate-setmaxdowntime', 'check', 'hosts',
             'evacuate', 'store', 'volume', 'help']))
        self.assertEqual(self.complete('mi'), ['migrate', 'migrate-setmaxdowntime',
                                               'migrate-setspeed'])
        self.assertEqual(self.complete('migrate-sets'), ['migrate-setspeed'])
        self.assertEqual(self.complete('-c', B, 'ev'), ['evacuate'])
        self.assertEqual(self.complete('--'), ['--connect', '--help', '--version'])
        self.assertEqual(self.complete('store', ''), ['attach', 'check', 'detach', 'format'])
        self.assertEqual(self.complete('help', 'vo'), ['volume'])
        self.assertEqual(self.complete('migrate', '--pers'), ['--persistent'])
        self.assertEqual(self.complete('migrate', '--comp'), ['--comp-methods', '--compressed'])
        migrate = self.complete('migrate', '--')
        for option in ('--from', '--to', '--live', '--p2p', '--persistent', '--undefinesource',
                       '--auto-converge', '--postcopy', '--abort-after', '--timeout', '--tls',
                       '--json', '--help'):
            self.assertIn(option, migrate)
        for refused in ('--offline', '--xml', '--copy-storage-synchronous-writes'):
            self.assertNotIn(refused, migrate)
        check = self.complete('check', '--')
        for option in COPY_OPTIONS:
            self.assertIn('--' + option, migrate)
            self.assertIn('--' + option, check)
        self.assertEqual(self.complete('migrate', '--copy-storage-'),
                         ['--copy-storage-all', '--copy-storage-inc', '--copy-storage-pool'])
        # A pool's name is not completed (nor with a guest's).
        self.assertEqual(self.complete('-c', B, 'migrate', '--copy-storage-pool', ''), [])
        volume = self.complete('volume', 'list', '--')
        for option in ('--host', '--local', '--dir', '--iscsi', '--json'):
            self.assertIn(option, volume)
        self.assertEqual(self.complete('migrate', '--policy', ''),
                         ['auto', 'postcopy', 'precopy'])
        self.assertEqual(self.complete('migrate', '--comp-methods', 'x'), ['xbzrle'])
        # An option's value is not completed with anything else.
        self.assertEqual(self.complete('-c', B, 'migrate', '--from', ''), [])
        self.assertEqual(self.complete('-c', B, 'migrate', '-t', ''), [])
        self.assertEqual(self.complete('-c', ''), [])

    def test_completion_guest_names(self):
        # The source host's running guests: -c, --from, or --domain's value.
        self.assertEqual(self.complete('-c', A, 'migrate', ''), ['test'])
        self.assertEqual(self.complete('-c', B, 'migrate', '--live', ''), ['other', 'twin'])
        self.assertEqual(self.complete('-c', B, 'migrate', 'o'), ['other'])
        self.assertEqual(self.complete('--connect=' + B, 'check', ''), ['other', 'twin'])
        self.assertEqual(self.complete('migrate', '--from', C, '--to', B, ''), ['small'])
        self.assertEqual(self.complete('check', '-f', C, ''), ['small'])
        self.assertEqual(self.complete('-c', B, 'migrate', '--domain', 't'), ['twin'])
        # As bash splits a URI at ':' (COMP_WORDBREAKS).
        self.assertEqual(self.complete('-c', 'test', ':', '///default', 'migrate', ''),
                         ['test'])
        # DESTURI, and a guest named already, are not guests of the source.
        self.assertEqual(self.complete('-c', B, 'migrate', 'other', ''), [])
        self.assertEqual(self.complete('-c', B, 'migrate', '--domain', 'other', ''), [])
        self.assertEqual(self.complete('-c', B, 'hosts', ''), [])
        # The hidden command it asks.
        run = self.kvmmig('-c', B, '__complete', 'guests', code=EXIT_OK)
        self.assertEqual(sorted(run.out.splitlines()), ['other', 'twin'])
        run = self.kvmmig('__complete', 'guests', C, code=EXIT_OK)
        self.assertEqual(run.out, 'small\n')

    def test_completion_never_hangs(self):
        # A host that does not answer, or would ask for a password: nothing,
        # within a few seconds, and nothing read from the terminal.
        for uri in (UNREACHABLE, 'qemu+ssh://kvmmig-nobody@127.0.0.1:1/system',
                    'qemu+tcp://192.0.2.1/system'):       # TEST-NET-1: no answer
            started = time.monotonic()
            self.assertEqual(self.complete('-c', uri, 'migrate', ''), [])
            self.assertLess(time.monotonic() - started, 15, uri)

    def test_completion_default_uri(self):
        # LIBVIRT_DEFAULT_URI is test:///default (tests/cli/meson.build).
        self.assertEqual(self.complete('migrate', ''), ['test'])

    # -- evacuate -----------------------------------------------------------

    def test_evacuate_fails_cleanly(self):
        # Both guests of B pass their checks on C, then fail to migrate
        # (the test driver cannot): each still runs on B; exit code 5.
        run = self.kvmmig('evacuate', '--from', B, '--to', C, code=EXIT_MIGRATION_FAILED)
        self.assert_one_error_line(run, '2 of 2 guests could not be moved')
        self.assertNotIn('\r', run.out)          # not a terminal: no animation
        self.assertRegex(run.out, r'(?m)^evacuating %s to %s$' % (re.escape(B), re.escape(C)))
        self.assertRegex(run.out, r'(?m)^\[\S+\] \d/2 moved, \d failed, \d+\.\d%')
        for guest in ('twin', 'other'):
            self.assertRegex(run.out, r"(?m)^migrating '%s' to %s$" % (guest, re.escape(C)))
            self.assertRegex(run.out, r"(?m)^FAILED '%s': not moved, runs on the source: " % guest)
        summary = run.out[run.out.index('\nevacuation of '):]
        self.assertRegex(summary, r'^\nevacuation of %s: 0 of 2 guests moved in \S+; '
                         % re.escape(B))
        lines = summary.strip().splitlines()[1:]
        self.assertEqual(len(lines), 2, summary)
        self.assertEqual(sorted(line.split()[0] for line in lines), ['other', 'twin'])
        for line in lines:
            self.assertRegex(line, r'^  \S+ +not moved, runs on the source: .*the guest runs on '
                             r'the source')

    def test_evacuate_json(self):
        run = self.kvmmig('evacuate', '--from', B, '--to', C, '--json',
                          '--max-per-source', '1', '--max-per-destination', '1',
                          '--bandwidth', '50', code=EXIT_MIGRATION_FAILED)
        self.assert_one_error_line(run, 'could not be moved')
        objects = run.json_lines(self)
        states = [o['state'] for o in objects if o['type'] == 'state']
        self.assertEqual(states, ['checking', 'migrating', 'failed'])
        events = [(o['event'], o['guest']) for o in objects if o['type'] == 'guest']
        self.assertEqual(sorted(events), [('finished', 'other'), ('finished', 'twin'),
                                          ('started', 'other'), ('started', 'twin')])
        # One at a time (--max-per-source 1): each ends before the next starts.
        self.assertEqual([e for e, _ in events], ['started', 'finished'] * 2)
        for p in (o for o in objects if o['type'] == 'evacuation'):
            self.assertTrue(0.0 <= p['progress'] <= 1.0)
            self.assertEqual(p['guests_total'], 2)
            self.assertLessEqual(len(p['running']), 1)
        result = objects[-1]
        self.assertEqual((result['command'], result['exit_code'], result['exit_name']),
                         ('evacuate', 5, 'migration-failed'))
        self.assertEqual((result['source'], result['destinations']), (B, [C]))
        self.assertEqual((result['guests_total'], result['guests_moved'],
                          result['guests_failed']), (2, 0, 2))
        self.assertEqual(result['error']['code'], 'migration-failed')
        self.assertEqual(sorted(g['guest'] for g in result['guests']), ['other', 'twin'])
        for guest in result['guests']:
            self.assertEqual((guest['outcome'], guest['moved'], guest['guest_location'],
                              guest['guest_host'], guest['destination']),
                             ('failed', False, 'source', B, C))
            self.assertEqual(guest['error']['code'], 'migration-failed')

    def test_evacuate_no_destination_takes_it(self):
        # C's guest does not fit in A (3 MiB free): refused by its checks.
        run = self.kvmmig('evacuate', '-f', C, '-t', A, code=EXIT_MIGRATION_FAILED)
        self.assert_one_error_line(run, 'small', '3 MiB free')
        self.assertNotIn("migrating 'small'", run.out)
        self.assertRegex(run.out, r"(?m)^  small +not moved, runs on the source: .*3 MiB free")

    def test_evacuate_unreachable(self):
        run = self.kvmmig('evacuate', '--from', UNREACHABLE, '--to', C, code=EXIT_UNREACHABLE)
        self.assert_one_error_line(run, UNREACHABLE)
        run = self.kvmmig('evacuate', '--from', B, '--to', C, '--to', UNREACHABLE, '--json',
                          code=EXIT_UNREACHABLE)
        self.assert_one_error_line(run, UNREACHABLE)
        result = run.json_lines(self)[-1]
        self.assertEqual(result['exit_name'], 'host-unreachable')
        self.assertEqual(result['guests'], [])

    # -- store and volume -----------------------------------------------------

    def test_volume_list(self):
        run = self.kvmmig('volume', 'list', 'cli-dir', *DIR, '--host', S1, code=EXIT_OK)
        self.assertEqual(run.err, '')
        self.assertIn("%s: store 'cli-dir', 2 volumes\n" % S1, run.out)
        self.assertRegex(run.out, r'\n  free\.img +file +32\.0 MiB +0\.0 MiB +- +'
                         r'/srv/kvmmig-cli-test/free\.img\n')
        self.assertRegex(run.out, r'\n  used\.img +file +64\.0 MiB +64\.0 MiB +user +'
                         r'/srv/kvmmig-cli-test/used\.img\n')

        run = self.kvmmig('volume', 'list', 'cli-dir', *DIR, '-H', S1, '-H', S3, '--json',
                          code=EXIT_OK)
        one, three, result = run.json_lines(self)
        self.assertEqual((one['type'], one['host'], one['store']), ('volumes', S1, 'cli-dir'))
        self.assertEqual([v['name'] for v in one['volumes']], ['free.img', 'used.img'])
        used = one['volumes'][1]
        self.assertEqual((used['volume_type'], used['capacity'], used['format'], used['guests'],
                          used['in_use']), ('file', 64 << 20, 'raw', ['user'], True))
        self.assertEqual(used['path'], '/srv/kvmmig-cli-test/used.img')
        self.assertEqual([v['name'] for v in three['volumes']], ['used.img'])
        self.assertEqual((result['command'], result['hosts'], result['failed']),
                         ('volume list', 2, 0))

    def test_volume_list_not_attached(self):
        # Listed where it is, an error where it is not; the first failure's code.
        run = self.kvmmig('volume', 'list', 'cli-dir', *DIR, '-H', A, '-H', S2,
                          code=EXIT_STORAGE)
        self.assert_one_error_line(run, A, "store 'cli-dir': not attached there")
        self.assertIn("%s: store 'cli-dir', 2 volumes\n" % S2, run.out)
        run = self.kvmmig('volume', 'list', 'cli-dir', *DIR, '-H', A, '--json',
                          code=EXIT_STORAGE)
        down, result = run.json_lines(self)
        self.assertEqual(down['error']['code'], 'store-unreachable')
        self.assertEqual((result['exit_name'], result['failed']), ('storage', 1))

    def test_volume_show(self):
        run = self.kvmmig('volume', 'show', 'cli-dir', 'used.img', *DIR, '-H', S1, code=EXIT_OK)
        self.assertRegex(run.out, r"^volume 'used.img' of store 'cli-dir', as %s sees it\n"
                         % re.escape(S1))
        self.assertIn('\n  capacity    64.0 MiB (67108864 bytes)\n', run.out)
        self.assertIn('\n  guests      user\n', run.out)

        run = self.kvmmig('volume', 'show', 'cli-dir', 'free.img', *DIR, '-H', S1,
                          '--disk-xml', 'vdb', code=EXIT_OK)
        self.assertTrue(run.out.startswith('<disk type="file" device="disk">'), run.out)
        self.assertIn('<source file="/srv/kvmmig-cli-test/free.img"/>', run.out)
        self.assertIn('<target dev="vdb" bus="virtio"/>', run.out)
        self.assertIn('cache="none"', run.out)

        run = self.kvmmig('volume', 'show', 'cli-dir', 'free.img', *DIR, '-H', S1, '--json',
                          code=EXIT_OK)
        volume, result = run.json_lines(self)
        self.assertEqual((volume['type'], volume['name'], volume['host'], volume['guests'],
                          volume['volume_type']), ('volume', 'free.img', S1, [], 'file'))
        self.assertEqual(result['volume'], 'free.img')

        run = self.kvmmig('volume', 'show', 'cli-dir', 'nosuch', *DIR, '-H', S1,
                          code=EXIT_STORAGE)
        self.assert_one_error_line(run, "no volume 'nosuch'")

    def test_volume_create_delete_resize(self):
        run = self.kvmmig('volume', 'create', 'cli-dir', 'new.img', '--size', '10M', *DIR,
                          '-H', S1, code=EXIT_OK)
        self.assertEqual(run.out, "created volume 'new.img' (10.0 MiB) on store 'cli-dir' "
                         "through %s: /srv/kvmmig-cli-test/new.img\n" % S1)
        run = self.kvmmig('volume', 'create', 'cli-dir', 'new.img', '-s', '1GiB', *DIR,
                          '-H', S1, '--json', code=EXIT_OK)
        volume, result = run.json_lines(self)
        self.assertEqual((volume['name'], volume['capacity']), ('new.img', 1 << 30))
        self.assertIsNone(result['error'])

        run = self.kvmmig('volume', 'create', 'cli-dir', 'used.img', '--size', '1M', *DIR,
                          '-H', S1, code=EXIT_STORAGE)
        self.assert_one_error_line(run, "already has a volume 'used.img'")
        run = self.kvmmig('volume', 'create', 'cli-dir', 'big.img', '--size', '1T', *DIR,
                          '-H', S1, '--json', code=EXIT_STORAGE)
        self.assert_one_error_line(run, 'does not fit')
        self.assertEqual(run.json_lines(self)[-1]['error']['code'], 'no-space')

        run = self.kvmmig('volume', 'delete', 'cli-dir', 'free.img', *DIR, '-H', S1,
                          code=EXIT_OK)
        self.assertEqual(run.out, "deleted volume 'free.img' of store 'cli-dir' through %s\n"
                         % S1)
        run = self.kvmmig('volume', 'delete', 'cli-dir', 'used.img', *DIR, '-H', S1,
                          code=EXIT_STORAGE)
        self.assert_one_error_line(run, "disk of guest 'user'")
        run = self.kvmmig('volume', 'delete', 'cli-dir', 'nosuch', *DIR, '-H', S1, '--json',
                          code=EXIT_STORAGE)
        self.assertEqual(run.json_lines(self)[-1]['error']['code'], 'volume-not-found')

        # Never shrunk; and the test driver cannot grow files.
        run = self.kvmmig('volume', 'resize', 'cli-dir', 'free.img', '--size', '16M', *DIR,
                          '-H', S1, code=EXIT_USAGE)
        self.assert_one_error_line(run, 'shrinking it')
        run = self.kvmmig('volume', 'resize', 'cli-dir', 'free.img', '--size', '64M', *DIR,
                          '-H', S1, code=EXIT_FAILED)
        self.assert_one_error_line(run, 'cannot resize')

    def test_store_attach_detach(self):
        # A's pool is made; S1's is there already and kept.
        run = self.kvmmig('store', 'attach', 'cli-dir', *DIR, '--host', A, '--host', S1,
                          code=EXIT_OK)
        self.assertEqual(run.err, '')
        self.assertEqual(run.out, "store 'cli-dir' attached to %s\nstore 'cli-dir' attached "
                         "to %s\n" % (A, S1))
        run = self.kvmmig('store', 'attach', 'cli-nfs', '--nfs', 'nfs1:/export/vms',
                          '--mount-point', '/mnt/vms', '-H', A, '--json', code=EXIT_OK)
        host, result = run.json_lines(self)
        self.assertEqual((host['type'], host['store'], host['host'], host['action'],
                          host['done'], host['error']),
                         ('store-host', 'cli-nfs', A, 'attach', True, None))
        self.assertEqual((result['hosts'], result['done']), (1, 1))
        self.kvmmig('store', 'attach', 'cli-san', '--iscsi', '10.0.0.5:3260', '--target',
                    'iqn.2024-01.com.example:san', '-H', A, code=EXIT_OK)

        # A guest of S1 uses the store: refused there; S2 is detached.
        run = self.kvmmig('store', 'detach', 'cli-dir', *DIR, '-H', S1, '-H', S2,
                          code=EXIT_STORAGE)
        self.assert_one_error_line(run, S1, "guest 'user' (running) has disk vda")
        self.assertEqual(run.out, "store 'cli-dir' detached from %s\n" % S2)
        run = self.kvmmig('store', 'detach', 'cli-dir', *DIR, '-H', S1, '--json',
                          code=EXIT_STORAGE)
        host, result = run.json_lines(self)
        self.assertEqual((host['action'], host['done'], host['error']['code']),
                         ('detach', False, 'store-in-use'))
        self.assertEqual((result['exit_name'], result['done']), ('storage', 0))

        # A host that cannot be reached: the others are still done.
        run = self.kvmmig('store', 'attach', 'cli-dir', *DIR, '-H', UNREACHABLE, '-H', A,
                          code=EXIT_UNREACHABLE)
        self.assert_one_error_line(run, UNREACHABLE)
        self.assertEqual(run.out, "store 'cli-dir' attached to %s\n" % A)

        # Described wrongly: the library's checks, exit code 2.
        run = self.kvmmig('store', 'attach', 'bad name', *DIR, '-H', A, code=EXIT_USAGE)
        self.assert_one_error_line(run, 'a store name is 1 to 64')
        run = self.kvmmig('store', 'attach', 'cli-x', '--dir', 'relative/path', '-H', A,
                          code=EXIT_USAGE)
        self.assert_one_error_line(run, 'is not an absolute path')
        run = self.kvmmig('store', 'attach', 'cli-x', '--iscsi', 'bad portal!', '--target',
                          'iqn.2024-01.com.example:san', '-H', A, code=EXIT_USAGE)
        self.assert_one_error_line(run, "portal 'bad portal!'")

    def test_store_check(self):
        run = self.kvmmig('store', 'check', 'cli-dir', *DIR, '-H', S1, '-H', S2, code=EXIT_OK)
        self.assertEqual(run.err, '')
        self.assertEqual(run.out.splitlines(), [
            "Store 'cli-dir' on 2 hosts, 2 volumes:",
            '  ok       %s sees all 2 volumes' % S1,
            '  ok       %s sees all 2 volumes' % S2,
            "store 'cli-dir': all 2 hosts see the same 2 volumes, with the same keys and sizes"])

        run = self.kvmmig('store', 'check', 'cli-dir', *DIR, '-H', S1, '-H', S2, '-H', S3,
                          code=EXIT_STORAGE)
        self.assert_one_error_line(run, S3, "free.img")
        self.assertIn('\n  problem  %s does not see 1 of the 2 volumes:\n' % S3, run.out)
        self.assertIn('The hosts do not all see the same volumes', run.out)

        run = self.kvmmig('store', 'check', 'cli-dir', *DIR, '-H', S1, '-H', A, '--json',
                          code=EXIT_STORAGE)
        one, default, result = run.json_lines(self)
        self.assertEqual((one['type'], one['host'], one['missing'], one['problems']),
                         ('visibility', S1, [], []))
        self.assertEqual(default['missing'], ['free.img', 'used.img'])
        self.assertTrue(any('not attached' in p for p in default['problems']))
        self.assertIs(result['complete'], False)
        self.assertEqual(result['volumes'], ['free.img', 'used.img'])
        self.assertEqual(result['error']['code'], 'storage-not-shared')

        run = self.kvmmig('store', 'check', 'cli-dir', *DIR, '-H', S1, '-H', UNREACHABLE,
                          code=EXIT_UNREACHABLE)
        self.assert_one_error_line(run, UNREACHABLE)

    def test_chap_secret_never_shown(self):
        secret = 'Sup3rS3cretCHAP'
        iscsi = ['--iscsi', '10.0.0.5', '--target', 'iqn.2024-01.com.example:san',
                 '--chap-user', 'node1']
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'secret')
            with open(path, 'w') as f:
                f.write(secret + '\nsecond line, ignored\n')
            # The test driver keeps no libvirt secrets: attach fails after
            # reading the secret, and says so without it.
            runs = [self.kvmmig('store', 'attach', 'cli-san', *iscsi, '--chap-secret-file', path,
                                '-H', A, '--json', code=EXIT_FAILED),
                    self.kvmmig('store', 'attach', 'cli-san', *iscsi, '--chap-secret-file', '-',
                                '-H', A, code=EXIT_FAILED, stdin=secret + '\n')]
            for run in runs:
                self.assert_one_error_line(run, "libvirt secret 'libkvmmig/cli-san'")
            # On the command line: refused, and not repeated.
            for args in (['--chap-secret', secret], ['--chap-secret=' + secret]):
                runs.append(self.kvmmig('store', 'attach', 'cli-san', *iscsi, *args, '-H', A,
                                        code=EXIT_USAGE))
                self.assert_one_error_line(runs[-1], '--chap-secret: a CHAP secret is never '
                                           'taken from the command line')
            for run in runs:
                self.assertNotIn(secret, run.out + run.err)

            with open(path, 'w') as f:
                f.write('\n')
            run = self.kvmmig('store', 'attach', 'cli-san', *iscsi, '--chap-secret-file', path,
                              '-H', A, code=EXIT_USAGE)
            self.assert_one_error_line(run, 'is empty')
            run = self.kvmmig('store', 'attach', 'cli-san', *iscsi, '--chap-secret-file',
                              os.path.join(tmp, 'nosuch'), '-H', A, code=EXIT_USAGE)
            self.assert_one_error_line(run, '--chap-secret-file', 'nosuch')


    # -- bad usage ------------------------------------------------------------

    USAGE = [
        ([], 'missing command'),
        (['frob'], "unknown command 'frob'"),
        (['--frob'], "unknown option '--frob'"),
        (['help', 'frob'], "unknown command 'frob'"),
        (['migrate'], 'missing GUEST'),
        (['migrate', 'g'], 'missing DESTURI: give GUEST DESTURI'),
        (['migrate', 'g', '--to', B], '--from is required'),
        (['migrate', 'g', '--from', A], '--to is required'),
        (['migrate', 'g', 'h', '-f', A, '-t', B], "unexpected argument 'h'"),
        (['migrate', '', '-f', A, '-t', B], 'empty GUEST'),
        (['migrate', 'g', '-f', A, '-t'], 'missing argument for -t'),
        (['migrate', 'g', '-f', A, '-t', B, '--frob'], 'unknown option --frob'),
        (['migrate', 'g', '-f', 'not a uri', '-t', B],
         "--from: 'not a uri' is not a libvirt URI (such as qemu+ssh://HOST/system) nor the "
         "name of a URI alias"),
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
        (['hosts', A, 'not/a uri'], "'not/a uri' is not a libvirt URI"),
        (['migrate', 'g', '-f', A, '-t', B, '--postcopy-recovery-timeout', '10'],
         '--postcopy-recovery-timeout applies to post-copy only'),
        (['migrate', 'g', '-f', A, '-t', B, '--allow-postcopy',
          '--postcopy-recovery-timeout', '-1'], "--postcopy-recovery-timeout: '-1'"),
        (['evacuate', '--to', B], '--from is required'),
        (['evacuate', '--from', A], '--to is required'),
        (['evacuate', 'g', '--from', A, '--to', B], "unexpected argument 'g'"),
        (['evacuate', '--from', A, '--to', A], "--to: '%s' is the host to evacuate" % A),
        (['evacuate', '--from', A, '--to', B, '--to', B], "--to: '%s' is given twice" % B),
        (['evacuate', '--from', A, '--from', C, '--to', B], '--from is given 2 times'),
        (['evacuate', '--from', A, '--to', 'not a uri'], "--to: 'not a uri' is not a libvirt URI"),
        (['evacuate', '--from', A, '--to', B, '--max-per-source', '0'],
         "--max-per-source: '0' is not a whole number of migrations from 1 to 64"),
        (['evacuate', '--from', A, '--to', B, '--max-per-destination', '65'],
         "--max-per-destination: '65'"),
        (['evacuate', '--from', A, '--to', B, '--bandwidth', '-1'], "--bandwidth: '-1'"),
        (['evacuate', '--from', A, '--to', B, '--policy', 'fast'],
         "--policy: 'fast' is not one of auto, precopy, postcopy"),
        (['evacuate', '--from', A, '--to', B, '--policy', 'precopy', '--allow-postcopy'],
         '--allow-postcopy does not go with --policy precopy'),
        (['store', 'attach', '-H', A] + DIR, 'missing STORE'),
        (['store', 'attach', 's', '-H', A], 'describe the store: --iscsi PORTAL --target IQN'),
        (['store', 'attach', 's'] + DIR, '--host is required'),
        (['store', 'attach', 's', '-H', 'not a uri'] + DIR, "--host: 'not a uri' is not a libvirt URI"),
        (['store', 'attach', 's', '-H', A, '-H', A] + DIR, "--host: '%s' is given twice" % A),
        (['store', 'attach', 's', '-H', A, '--dir', '/x', '--nfs', 'n:/x'],
         '--dir and --nfs do not go together'),
        (['store', 'attach', 's', '-H', A, '--dir', '/x', '--target', 'iqn.2024-01.a:b'],
         '--target only goes with --iscsi'),
        (['store', 'attach', 's', '-H', A, '--dir', '/x', '--volume-group', 'vg'],
         '--volume-group only goes with --iscsi or --block-device'),
        (['store', 'attach', 's', '-H', A, '--iscsi', '10.0.0.5'], '--iscsi needs --target IQN'),
        (['store', 'attach', 's', '-H', A, '--iscsi', '10.0.0.5', '--target', 'iqn.2024-01.a:b',
          '--initiator', 'kernel'], "--initiator: 'kernel' is not one of qemu, host"),
        (['store', 'attach', 's', '-H', A, '--iscsi', '10.0.0.5', '--target', 'iqn.2024-01.a:b',
          '--lun', '16384'], "--lun: '16384'"),
        (['store', 'attach', 's', '-H', A, '--iscsi', '10.0.0.5', '--target', 'iqn.2024-01.a:b',
          '--chap-user', 'u'], '--chap-user needs --chap-secret-file'),
        (['store', 'attach', 's', '-H', A, '--iscsi', '10.0.0.5', '--target', 'iqn.2024-01.a:b',
          '--chap-secret-file', '-'], '--chap-secret-file needs --chap-user'),
        (['store', 'attach', 's', '-H', A, '--nfs', 'nfs1/export', '--mount-point', '/m'],
         "--nfs: 'nfs1/export' is not of the form SERVER:/EXPORT"),
        (['store', 'attach', 's', '-H', A, '--nfs', 'nfs1:/export'], '--nfs needs --mount-point'),
        (['store', 'attach', 's', '-H', A, '--block-device', '/dev/sdx'],
         '--block-device needs --volume-group'),
        (['store', 'check', 's'] + DIR, '--host is required'),
        (['store', 'format', 's'] + DIR, 'give --volume-group VG'),
        (['store', 'format', 's', '--iscsi', '10.0.0.5', '--target', 'iqn.2024-01.a:b',
          '--volume-group', 'vg'], 'give --lun N'),
        (['store', 'format', 's', '--block-device', '/dev/sdx', '--volume-group', 'vg',
          '--device', 'sdx'], "--device: 'sdx' is not a path under /dev"),
        (['volume', 'list', 's'] + DIR, '--host is required, or --local'),
        (['volume', 'list', 's', '-H', A, '--local'] + DIR, '--host and --local do not go together'),
        (['volume', 'show', 's', '-H', A] + DIR, 'missing STORE and VOLUME'),
        (['volume', 'show', 's', 'v', '-H', A, '-H', B] + DIR, '--host is given 2 times'),
        (['volume', 'show', 's', 'v', '-H', A, '--disk-xml', 'VDB'] + DIR,
         "--disk-xml: 'VDB' is not a guest's disk name"),
        (['volume', 'create', 's', 'v', '-H', A] + DIR, '--size is required'),
        (['volume', 'create', 's', 'v', '-H', A, '--size', '10X'] + DIR, "--size: '10X' is not a size"),
        (['volume', 'create', 's', 'v', '-H', A, '--size', 'G'] + DIR, "--size: 'G' is not a size"),
        (['volume', 'create', 's', 'v', '-H', A, '--size', '99999999P'] + DIR,
         "--size: '99999999P' is not a size"),
        (['volume', 'create', 's', 'v', '-H', A, '--size', '0'] + DIR,
         '--size: a volume cannot have a size of 0'),
        (['volume', 'resize', 's', 'v', '-H', A] + DIR, '--size is required'),
        (['volume', 'delete', 's', 'v', 'w', '-H', A] + DIR, "unexpected argument 'w'"),
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
