#!/usr/bin/python3
# test_ssh.py: migrations over SSH on the testbed (issue 15), as in the
# classic walkthrough: both hosts opened over qemu+ssh:// (each host runs
# an sshd in its own namespaces, root logs in with a key), and the
# migration peer to peer, so that the source's libvirtd opens the
# destination over SSH itself, with its own key and known_hosts.
#
#  1. Through the library from Python, src -> dst, with the guest's memory
#     checker intact; dst's sshd logged the source host's login.
#  2. With the kvmmig command, `kvmmig migrate GUEST --from URI --to URI`,
#     back dst -> src, the memory checker intact.
#  3. The source's daemon cannot reach the destination over SSH, because
#     (a) it has no key (ssh-break src --key), (b) it does not know the
#     destination's host key (ssh-break src --known-hosts), (c) the
#     destination's sshd refuses root (ssh-break dst --login). Each: the job
#     fails with KVMMIG_ERROR_PEER_UNREACHABLE before any memory moved, its
#     message names the destination, ssh and what to fix; the guest keeps
#     running on the source, nothing is left on the destination; after
#     ssh-fix the next case starts from a working setup.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import subprocess
import time
import unittest

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig  # noqa: E402

import taprunner  # noqa: E402
import testbed  # noqa: E402

TB = testbed.load()
ENV = TB.env
SRC_SSH = ENV.get('KVMMIG_SRC_SSH_URI')
DST_SSH = ENV.get('KVMMIG_DST_SSH_URI')
NO_SSH = ('this testbed has no SSH (brought up by an older kvmmig-testbed): '
          'bring it up afresh')
WORKLOAD = 'dirty:64:50'


def log(msg):
    for line in str(msg).splitlines():
        print('# ' + line, flush=True)


def tb(*args, check=True):
    r = subprocess.run([TB.script] + list(args), capture_output=True, text=True, timeout=120)
    if check and r.returncode != 0:
        raise AssertionError('kvmmig-testbed %s failed (%d): %s%s'
                             % (' '.join(args), r.returncode, r.stdout, r.stderr))
    return r


def accepted_logins(host, from_addr):
    """How many publickey logins of root from from_addr host's sshd logged."""
    path = os.path.join(ENV['KVMMIG_SSH_DIR'], 'hosts', host, 'sshd.log')
    try:
        with open(path, errors='replace') as f:
            text = f.read()
    except FileNotFoundError:
        return 0
    return len(re.findall(r'Accepted publickey for root from %s ' % re.escape(from_addr), text))


@unittest.skipUnless(SRC_SSH and DST_SSH, NO_SSH)
class SshTest(unittest.TestCase):
    guest = None

    @classmethod
    def setUpClass(cls):
        cls.guest = TB.guest('ssh', workload=WORKLOAD)

    @classmethod
    def tearDownClass(cls):
        if cls.guest:
            TB.guest_rm(cls.guest)

    def where(self):
        return {h: testbed.domstate(TB, self.guest, h) for h in ('src', 'dst')}

    def assert_runs_on(self, host):
        other = 'dst' if host == 'src' else 'src'
        deadline = time.monotonic() + 60
        while True:
            states = self.where()
            if states[host] == 'running' and states[other] is None:
                break
            self.assertLess(time.monotonic(), deadline, 'guest %s: %r' % (self.guest, states))
            time.sleep(0.5)
        lost = testbed.lost_pages(lambda: TB.serial_log(self.guest, host),
                                  TB.serial_log(self.guest, other))
        self.assertEqual(lost, 0, 'the dirty checker found %d lost pages' % lost)

    def test_1_library_over_ssh(self):
        self.assert_runs_on('src')
        before = accepted_logins('dst', ENV['KVMMIG_SRC_ADDR'])
        t0 = time.monotonic()
        with Kvmmig.Host.new(SRC_SSH) as src, Kvmmig.Host.new(DST_SSH) as dst:
            job = Kvmmig.MigrationJob.new(src, dst, self.guest)
            self.assertTrue(job.run(None))
            self.assertEqual(job.props.state, Kvmmig.MigrationState.COMPLETED)
            self.assertEqual(job.props.guest_location, Kvmmig.GuestLocation.DESTINATION)
            log('over ssh, src -> dst: %.1f s, %d bytes, downtime %d ms'
                % (time.monotonic() - t0, job.props.bytes_processed, job.props.downtime_ms))
        self.assert_runs_on('dst')
        # The source's daemon logged in to dst itself, with its own key.
        self.assertGreater(accepted_logins('dst', ENV['KVMMIG_SRC_ADDR']), before)

    def test_2_cli_over_ssh(self):
        cli = os.environ.get('KVMMIG_CLI')
        if not cli or not os.path.exists(cli):
            self.skipTest('KVMMIG_CLI is not set: run through meson')
        self.assert_runs_on('dst')
        t0 = time.monotonic()
        p = subprocess.run([cli, 'migrate', self.guest, '--from', DST_SSH, '--to', SRC_SSH],
                           capture_output=True, text=True, timeout=300)
        log('kvmmig migrate --from %s --to %s: exit %d in %.1f s\n%s%s'
            % (DST_SSH, SRC_SSH, p.returncode, time.monotonic() - t0, p.stdout[-1500:],
               p.stderr[-1500:]))
        self.assertEqual(p.returncode, 0)
        self.assert_runs_on('src')

    def fails_unreachable(self, host, how, expect):
        """With ssh-break HOST --HOW, a migration src -> dst over SSH fails
        with PEER_UNREACHABLE before anything moved; its message holds each
        of expect."""
        self.assert_runs_on('src')
        beat = TB.last_heartbeat(self.guest, 'src')
        with Kvmmig.Host.new(SRC_SSH) as src, Kvmmig.Host.new(DST_SSH) as dst:
            # The connections are open before the break: only the source
            # daemon's own connection to dst meets it.
            job = Kvmmig.MigrationJob.new(src, dst, self.guest)
            tb('ssh-break', host, '--' + how)
            try:
                t0 = time.monotonic()
                with self.assertRaises(GLib.Error) as cm:
                    job.run(None)
                took = time.monotonic() - t0
            finally:
                tb('ssh-fix', host)
            err = cm.exception
            log('ssh-break %s --%s: failed in %.1f s: %s' % (host, how, took, err.message))
            self.assertEqual(err.domain, 'kvmmig-error-quark')
            self.assertEqual(err.code, Kvmmig.Error.PEER_UNREACHABLE, err.message)
            self.assertEqual(job.props.state, Kvmmig.MigrationState.FAILED)
            self.assertEqual(job.props.guest_location, Kvmmig.GuestLocation.SOURCE)
            self.assertEqual(job.props.bytes_processed, 0)
        self.assertEqual(testbed.memory_processed(ENV['KVMMIG_SRC_URI'], self.guest), 0.0)
        msg = err.message
        for words in [DST_SSH, ENV['KVMMIG_DST_ADDR'], 'over ssh', 'nothing was copied',
                      'the guest runs on the source'] + expect:
            self.assertIn(words, msg)
        self.assertEqual(self.where(), {'src': 'running', 'dst': None})
        self.assertGreater(TB.wait_heartbeat(self.guest, 'src', beat), beat)
        self.assert_runs_on('src')

    def test_3a_source_has_no_key(self):
        self.fails_unreachable('src', 'key', ['Fix the key', 'is missing on the source host',
                                              "authorized_keys on " + ENV['KVMMIG_DST_ADDR']])

    def test_3b_destination_host_key_unknown(self):
        self.fails_unreachable('src', 'known-hosts', ['Fix the host key', 'known_hosts',
                                                      'host key checking is on'])

    def test_3c_login_refused(self):
        self.fails_unreachable('dst', 'login', ['Fix the login', 'refused the login of root',
                                                'PermitRootLogin, AllowUsers, DenyUsers'])

    def test_4_works_again(self):
        # After the three breaks and their fixes, SSH works as set up.
        with Kvmmig.Host.new(SRC_SSH) as src, Kvmmig.Host.new(DST_SSH) as dst:
            self.assertTrue(Kvmmig.MigrationJob.new(src, dst, self.guest).run(None))
        self.assert_runs_on('dst')


if __name__ == '__main__':
    taprunner.main()
