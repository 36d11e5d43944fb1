#!/usr/bin/python3
# test_older_destination.py: the pre-flight checks qemu-version and
# machine-type against a destination that really runs an older QEMU.
#
# `kvmmig-testbed qemu dst old` restarts dst's libvirtd with Debian 12's own
# QEMU 7.2 (unpacked, mounted over the installed QEMU 10 in dst's mount
# namespace only). A testbed guest on src (QEMU 10.0, machine type
# pc-i440fx-10.0) then cannot go to dst:
#
#  1. From Python: `check` fails qemu-version with
#     KVMMIG_ERROR_HYPERVISOR_TOO_OLD, naming both versions, and
#     machine-type with KVMMIG_ERROR_MACHINE_TYPE_UNSUPPORTED, naming the
#     newest of the guest's family on dst (pc-i440fx-7.2); `run` fails with
#     the first of them before anything moves, and the guest runs on src,
#     still defined there, absent from dst.
#  2. From the CLI: `kvmmig migrate` exits 4 (pre-flight) with the
#     qemu-version message; `kvmmig check --json` lists both failures with
#     their error codes.
#
# dst gets its own QEMU back at the end (also when a test fails).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import subprocess
import unittest

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig  # noqa: E402

import taprunner  # noqa: E402
import testbed  # noqa: E402

TB = testbed.load()
check_of = testbed.check_of
SRC, DST = TB.src_uri, TB.dst_uri
CLI = os.environ.get('KVMMIG_CLI', 'kvmmig')


def testbed_cmd(*args):
    proc = subprocess.run([TB.script] + list(args), capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError('kvmmig-testbed %s: exit %d: %s'
                             % (' '.join(args), proc.returncode, proc.stderr.strip()))
    return proc.stdout + proc.stderr


def qemu_version(uri):
    out = testbed.sh('virsh', '-c', uri, 'version').stdout
    for line in out.splitlines():
        if line.startswith('Running hypervisor: QEMU '):
            return line.split()[-1]
    raise AssertionError('virsh version on %s names no QEMU: %r' % (uri, out))




class OlderDestinationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.new = qemu_version(SRC)   # the testbed's QEMU, on both hosts but now
        print('# %s' % testbed_cmd('qemu', 'dst', 'old').strip(), flush=True)
        cls.old = qemu_version(DST)
        cls.name = TB.guest('oldqemu', on='src', memory=128)

    @classmethod
    def tearDownClass(cls):
        try:
            TB.guest_rm(cls.name)
        finally:
            testbed_cmd('qemu', 'dst', 'current')
        # Asserted here too: the rest of the suite needs dst's own QEMU.
        assert qemu_version(DST) == cls.new, 'dst did not get QEMU %s back' % cls.new

    def assert_untouched(self):
        self.assertEqual(testbed.domstate(TB, self.name, 'src'), 'running')
        self.assertIsNone(testbed.domstate(TB, self.name, 'dst'))
        self.assertTrue(testbed.sh('virsh', '-c', SRC, 'dominfo', self.name).stdout
                        .count('Persistent:     yes'))

    def test_0_dst_runs_older_qemu(self):
        self.assertTrue(self.old.startswith('7.2.'), self.old)
        self.assertTrue(qemu_version(SRC).startswith('10.'), qemu_version(SRC))

    def test_1_checks_fail_from_python(self):
        with Kvmmig.Host.new(SRC) as src, Kvmmig.Host.new(DST) as dst:
            job = Kvmmig.MigrationJob.new(src, dst, self.name)
            with self.assertRaises(GLib.Error) as cm:
                job.check(None)
            self.assertEqual(cm.exception.code, Kvmmig.Error.HYPERVISOR_TOO_OLD)

            check = check_of(job, 'qemu-version')
            print('# qemu-version: %s' % check.props.message, flush=True)
            self.assertEqual(check.props.status, Kvmmig.CheckStatus.FAILED)
            self.assertTrue(check.get_error().matches(Kvmmig.error_quark(),
                                                      Kvmmig.Error.HYPERVISOR_TOO_OLD))
            self.assertIn('%s runs QEMU %s, older than QEMU %s on %s'
                          % (DST, self.old, qemu_version(SRC), SRC), check.props.message)

            check = check_of(job, 'machine-type')
            print('# machine-type: %s' % check.props.message, flush=True)
            self.assertEqual(check.props.status, Kvmmig.CheckStatus.FAILED)
            self.assertTrue(check.get_error().matches(Kvmmig.error_quark(),
                                                      Kvmmig.Error.MACHINE_TYPE_UNSUPPORTED))
            self.assertIn('pc-i440fx-10.0', check.props.message)
            self.assertIn('pc-i440fx-7.2', check.props.message)

            job = Kvmmig.MigrationJob.new(src, dst, self.name)
            with self.assertRaises(GLib.Error) as cm:
                job.run(None)
            self.assertEqual(cm.exception.code, Kvmmig.Error.HYPERVISOR_TOO_OLD)
            self.assertEqual(job.props.state, Kvmmig.MigrationState.FAILED)
        self.assert_untouched()

    def test_2_cli_refuses(self):
        proc = subprocess.run([CLI, 'migrate', self.name, '--from', SRC, '--to', DST],
                              capture_output=True, text=True, timeout=300)
        print('# kvmmig migrate: exit %d: %s' % (proc.returncode, proc.stderr.strip()),
              flush=True)
        self.assertEqual(proc.returncode, 4, proc.stderr)
        self.assertIn('older than QEMU', proc.stderr)
        self.assert_untouched()

        proc = subprocess.run([CLI, 'check', self.name, '--from', SRC, '--to', DST, '--json'],
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 4, proc.stderr)
        lines = [json.loads(line) for line in proc.stdout.splitlines()]
        checks = {c['id']: c for c in lines if c['type'] == 'check'}
        self.assertEqual(checks['qemu-version']['status'], 'failed')
        self.assertEqual(checks['qemu-version']['error']['code'], 'hypervisor-too-old')
        self.assertEqual(checks['machine-type']['status'], 'failed')
        self.assertEqual(checks['machine-type']['error']['code'], 'machine-type-unsupported')
        self.assertEqual(lines[-1]['type'], 'result')
        self.assertEqual(lines[-1]['exit_name'], 'preflight-failed')


if __name__ == '__main__':
    taprunner.main()
