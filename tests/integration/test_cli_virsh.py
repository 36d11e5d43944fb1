#!/usr/bin/python3
# test_cli_virsh.py: the kvmmig command as a virsh user types it, on the
# testbed, over SSH as in the classic setup (issue 15):
#  1. `kvmmig migrate --live --persistent --undefinesource GUEST DESTURI`
#     with the source from LIBVIRT_DEFAULT_URI (no -c), both qemu+ssh://:
#     the guest runs on dst, defined there and gone from src, its memory
#     checker clean.
#  2. Back with `-c ALIAS migrate ... UUID ALIAS`, the aliases defined in
#     libvirt's client configuration (root's /etc/libvirt/libvirt.conf,
#     replaced for this one process only, in a mount namespace of its own):
#     the source daemon was given the destination's real URI, not the alias.
#  3. `kvmmig -c URI check ID DESTURI`: the guest found by its ID, named in
#     the checks.
#  4. bash completion (COMP_WORDS as bash sets them) lists the guest among
#     the source host's running guests.
# And, over TCP, `kvmmig migrate-setmaxdowntime` and `migrate-setspeed` on a
# `kvmmig migrate` running in another process: libvirt has the new
# downtime, and what was left goes at the new speed.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import shlex
import subprocess
import tempfile
import time
import unittest

import taprunner  # noqa: E402
import testbed  # noqa: E402
from cli_helpers import guest_name, make_guest, persistent, remove_guest, where  # noqa: E402

TB = testbed.load()
KVMMIG = os.environ['KVMMIG_CLI']
COMPLETION = os.environ['KVMMIG_COMPLETION']
SRC_SSH = TB.env.get('KVMMIG_SRC_SSH_URI')
DST_SSH = TB.env.get('KVMMIG_DST_SSH_URI')


def kvmmig(*args, env=None, timeout=300):
    return subprocess.run([KVMMIG] + list(args), capture_output=True, text=True,
                          timeout=timeout, env=env, stdin=subprocess.DEVNULL)


@unittest.skipUnless(SRC_SSH and DST_SSH, 'the testbed has no SSH URIs (KVMMIG_SRC_SSH_URI): '
                     'bring it up with this version of kvmmig-testbed')
class VirshFormTest(unittest.TestCase):
    def test_virsh_form_over_ssh(self):
        name = guest_name('virsh')
        make_guest(TB, name, workload='dirty:32')
        self.addCleanup(remove_guest, TB, name)

        # 1. The source from LIBVIRT_DEFAULT_URI, as `virsh migrate` without -c.
        env = dict(os.environ, LIBVIRT_DEFAULT_URI=SRC_SSH)
        proc = kvmmig('migrate', '--live', '--persistent', '--undefinesource', '--verbose',
                      name, DST_SSH, env=env)
        print('# ' + (proc.stdout + proc.stderr).strip().replace('\n', '\n# '))
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(where(TB, name), 'dst')
        self.assertTrue(persistent(TB.dst_uri, name))
        self.assertEqual(testbed.lost_pages(lambda: TB.serial_log(name, 'dst'),
                                            TB.serial_log(name, 'src')), 0)

        # 2. Back by UUID, both hosts named by aliases of the client config.
        uuid = subprocess.run(['virsh', '-c', TB.dst_uri, 'domuuid', name], check=True,
                              capture_output=True, text=True).stdout.strip()
        with tempfile.TemporaryDirectory() as etc:
            with open(os.path.join(etc, 'libvirt.conf'), 'w') as f:
                f.write('uri_aliases = [\n  "tb-src=%s",\n  "tb-dst=%s",\n]\n' % (SRC_SSH, DST_SSH))
            command = 'mount --bind %s /etc/libvirt && exec %s' % (
                shlex.quote(etc), ' '.join(shlex.quote(a) for a in [
                    KVMMIG, '-c', 'tb-dst', 'migrate', '--live', '--persistent',
                    '--undefinesource', uuid, 'tb-src']))
            proc = subprocess.run(['unshare', '-m', '--propagation', 'private', 'sh', '-c',
                                   command], capture_output=True, text=True, timeout=300,
                                  stdin=subprocess.DEVNULL)
        print('# ' + (proc.stdout + proc.stderr).strip().replace('\n', '\n# '))
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(where(TB, name), 'src')
        self.assertTrue(persistent(TB.src_uri, name))

        # 3. By ID, checked only.
        ident = subprocess.run(['virsh', '-c', TB.src_uri, 'domid', name], check=True,
                               capture_output=True, text=True).stdout.strip()
        self.assertRegex(ident, r'^\d+$')
        proc = kvmmig('-c', SRC_SSH, 'check', ident, DST_SSH)
        print('# ' + proc.stdout.strip().replace('\n', '\n# '))
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("guest '%s'" % name, proc.stdout)

        # 4. Completion of GUEST: the source host's running guests.
        words = [KVMMIG, '-c', SRC_SSH, 'migrate', name[:4]]
        script = ('source %s\nCOMP_WORDS=(%s)\nCOMP_CWORD=%d\n_kvmmig\n'
                  'printf "%%s\\n" "${COMPREPLY[@]}"\n'
                  % (shlex.quote(COMPLETION), ' '.join(shlex.quote(w) for w in words),
                     len(words) - 1))
        proc = subprocess.run(['bash', '--norc', '--noprofile', '-c', script],
                              capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(name, proc.stdout.split())


def domjob_mib(uri, name, field):
    """A "Memory FIELD:" figure of virsh domjobinfo, in MiB (0 if none)."""
    r = subprocess.run(['virsh', '-c', uri, 'domjobinfo', name], capture_output=True,
                       text=True)
    m = re.search(r'Memory %s:\s+([\d.]+) (KiB|MiB|GiB)' % field, r.stdout)
    if not m:
        return 0.0
    return float(m.group(1)) * {'KiB': 1 / 1024, 'MiB': 1, 'GiB': 1024}[m.group(2)]


class MigrateTuneTest(unittest.TestCase):
    SLOW = 8        # MiB/s, the migration's own --bandwidth

    def test_setspeed_and_setmaxdowntime_of_a_running_migration(self):
        name = guest_name('speed')
        make_guest(TB, name, workload='dirty:32:5')
        self.addCleanup(remove_guest, TB, name)

        migrate = subprocess.Popen([KVMMIG, 'migrate', name, '--from', TB.src_uri,
                                    '--to', TB.dst_uri, '--policy', 'precopy',
                                    '--bandwidth', str(self.SLOW)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   stdin=subprocess.DEVNULL)
        self.addCleanup(lambda: migrate.poll() is None and migrate.kill())
        # Under way, and past its first samples: 2 s at the slow speed.
        deadline = time.monotonic() + 60
        while testbed.memory_processed(TB.src_uri, name) < 2 * self.SLOW:
            if migrate.poll() is not None:
                self.fail('the migration ended early: %s' % ''.join(migrate.communicate()))
            self.assertLess(time.monotonic(), deadline, 'the migration never started')
            time.sleep(0.25)

        proc = kvmmig('-c', TB.src_uri, 'migrate-setmaxdowntime', name, '400')
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn('at most 400 ms', proc.stdout)
        got = subprocess.run(['virsh', '-c', TB.src_uri, 'migrate-getmaxdowntime', name],
                             capture_output=True, text=True).stdout.strip()
        self.assertEqual(got, '400')

        remaining = domjob_mib(TB.src_uri, name, 'remaining')
        self.assertGreater(remaining, 16)
        start = time.monotonic()
        proc = kvmmig('migrate-setspeed', name, '200', '--from', TB.src_uri, '--json')
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn('"bandwidth_limit":200', proc.stdout)
        out, err = migrate.communicate(timeout=120)
        took = time.monotonic() - start
        print('# %.1f MiB left at the change, done %.1f s later (%.1f s at %d MiB/s)'
              % (remaining, took, remaining / self.SLOW, self.SLOW))
        self.assertEqual(migrate.returncode, 0, out + err)
        self.assertLess(took, remaining / self.SLOW / 4)
        self.assertEqual(where(TB, name), 'dst')
        self.assertEqual(testbed.lost_pages(lambda: TB.serial_log(name, 'dst'),
                                            TB.serial_log(name, 'src')), 0)


if __name__ == '__main__':
    taprunner.main()
