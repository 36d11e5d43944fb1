#!/usr/bin/python3
# test_cli_store.py: `kvmmig store` and `kvmmig volume` on the testbed, as
# an administrator runs them: the testbed's iSCSI target (QEMU's
# initiator) attached to src and dst with `kvmmig store attach`, its LUNs
# listed from both hosts alike, `kvmmig store check` passing, then
# detached from both (the pools gone); the testbed's shared directory
# (KVMMIG_SHARED_DIR) as a store, a volume created through src seen
# through dst, grown through dst and seen grown through src, deleted;
# `volume list` once a store is detached: exit code 8. Where each host
# stands is read with virsh, not with the code under test.
#
# Stores are named cli2-*-PID. The target is shared with other tests: a
# detach refused because of their guests on its LUNs (exit code 8, naming
# guests that are not ours) is not a failure; the pools are then removed
# with virsh.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import shutil
import subprocess
import unittest

import taprunner  # noqa: E402
import testbed  # noqa: E402

TB = testbed.load()
KVMMIG = os.environ['KVMMIG_CLI']
EXIT_STORAGE = 8


def kvmmig(*args, timeout=300):
    return subprocess.run([KVMMIG] + list(args), capture_output=True, text=True,
                          timeout=timeout)


def store_name(base):
    return 'cli2-%s-%d' % (base, os.getpid())


def pool_state(uri, name):
    """'active', 'inactive', or None when the host has no such pool."""
    proc = subprocess.run(['virsh', '-c', uri, 'pool-info', name],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return None
    for line in proc.stdout.splitlines():
        key, _, value = line.partition(':')
        if key.strip() == 'State':
            return 'active' if value.strip() == 'running' else 'inactive'
    return 'inactive'


def remove_pool(uri, name):
    subprocess.run(['virsh', '-c', uri, 'pool-destroy', name], capture_output=True)
    subprocess.run(['virsh', '-c', uri, 'pool-undefine', name], capture_output=True)


class CliStoreOnTestbedTest(unittest.TestCase):
    def assert_ok(self, proc, lines=None):
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(proc.stderr, '')
        if lines is not None:
            self.assertEqual(len(proc.stdout.splitlines()), lines, proc.stdout)

    def json_lines(self, out):
        objects = [json.loads(line) for line in out.splitlines()]
        self.assertEqual(objects[-1]['type'], 'result')
        return objects

    def detach(self, name, description, uri):
        """Detaches the store from uri with kvmmig; if other tests' guests
        use LUNs of the shared target, kvmmig rightly refuses (exit 8,
        naming their guests): the pool is removed with virsh instead."""
        proc = kvmmig('store', 'detach', name, *description, '--host', uri)
        if proc.returncode == EXIT_STORAGE and 'cannot be detached while guests' in proc.stderr:
            self.assertNotIn('cli2-', proc.stderr)
            print('# detach from %s refused because of other tests\' guests on the shared '
                  'target; removing pool %s with virsh' % (uri, name), flush=True)
            remove_pool(uri, name)
            return
        self.assert_ok(proc, lines=1)
        self.assertEqual(proc.stdout, "store '%s' detached from %s\n" % (name, uri))

    def test_iscsi_store_on_both_hosts(self):
        name = store_name('iscsi')
        description = ['--iscsi', TB.env['KVMMIG_STORE_PORTAL'],
                       '--target', TB.env['KVMMIG_STORE_IQN']]
        luns = TB.env['KVMMIG_STORE_LUNS'].split()
        hosts = [TB.src_uri, TB.dst_uri]
        try:
            proc = kvmmig('store', 'attach', name, *description,
                          '--host', TB.src_uri, '--host', TB.dst_uri)
            self.assert_ok(proc, lines=2)
            for uri in hosts:
                self.assertIn("store '%s' attached to %s\n" % (name, uri), proc.stdout)
                self.assertEqual(pool_state(uri, name), 'active')

            # Attaching again changes nothing.
            self.assert_ok(kvmmig('store', 'attach', name, *description, '-H', TB.src_uri))

            # The same LUNs, seen from both hosts.
            proc = kvmmig('volume', 'list', name, *description, '-H', TB.src_uri,
                          '-H', TB.dst_uri, '--json')
            self.assert_ok(proc)
            src, dst, result = self.json_lines(proc.stdout)
            self.assertEqual((src['host'], dst['host']), (TB.src_uri, TB.dst_uri))
            self.assertEqual([v['name'] for v in src['volumes']],
                             ['unit:0:0:%s' % lun for lun in luns])
            for a, b in zip(src['volumes'], dst['volumes']):
                self.assertEqual((a['name'], a['key'], a['capacity'], a['source']),
                                 (b['name'], b['key'], b['capacity'], b['source']))
                self.assertEqual(a['volume_type'], 'network')
                self.assertTrue(a['source'].startswith('iscsi://%s/%s/'
                                                       % (TB.env['KVMMIG_STORE_PORTAL'],
                                                          TB.env['KVMMIG_STORE_IQN'])),
                                a['source'])
            self.assertEqual((result['hosts'], result['failed']), (2, 0))

            proc = kvmmig('volume', 'list', name, *description, '-H', TB.dst_uri)
            self.assert_ok(proc)
            self.assertIn("%s: store '%s', %d volumes\n" % (TB.dst_uri, name, len(luns)),
                          proc.stdout)
            self.assertRegex(proc.stdout, r'\n  unit:0:0:%s +network +' % luns[0])

            proc = kvmmig('store', 'check', name, *description, '-H', TB.src_uri,
                          '-H', TB.dst_uri)
            self.assert_ok(proc)
            self.assertIn('  ok       %s sees all %d volumes\n' % (TB.dst_uri, len(luns)),
                          proc.stdout)
            self.assertIn("store '%s': all 2 hosts see the same %d volumes" % (name, len(luns)),
                          proc.stdout)

            # LUNs are made on the storage box, not through a host.
            proc = kvmmig('volume', 'create', name, 'new', '--size', '1M', *description,
                          '-H', TB.src_uri)
            self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
            self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)

            for uri in hosts:
                self.detach(name, description, uri)
                self.assertIsNone(pool_state(uri, name))

            # Detached: nothing to list there.
            proc = kvmmig('volume', 'list', name, *description, '-H', TB.src_uri)
            self.assertEqual(proc.returncode, EXIT_STORAGE, proc.stdout + proc.stderr)
            self.assertIn('not attached there', proc.stderr)
        finally:
            for uri in hosts:
                remove_pool(uri, name)

    def test_shared_directory_store(self):
        name = store_name('dir')
        path = os.path.join(TB.env['KVMMIG_SHARED_DIR'], name)
        description = ['--dir', path]
        volume = 'disk one.raw'
        os.makedirs(path, exist_ok=True)
        try:
            proc = kvmmig('store', 'attach', name, *description, '-H', TB.src_uri,
                          '-H', TB.dst_uri, '--json')
            self.assert_ok(proc)
            attached = [o for o in self.json_lines(proc.stdout) if o['type'] == 'store-host']
            self.assertEqual([(o['host'], o['done']) for o in attached],
                             [(TB.src_uri, True), (TB.dst_uri, True)])

            # Made through src...
            proc = kvmmig('volume', 'create', name, volume, '--size', '32M', *description,
                          '-H', TB.src_uri)
            self.assert_ok(proc, lines=1)
            self.assertEqual(proc.stdout, "created volume '%s' (32.0 MiB) on store '%s' through "
                             "%s: %s\n" % (volume, name, TB.src_uri, os.path.join(path, volume)))
            self.assertTrue(os.path.exists(os.path.join(path, volume)))

            # ...seen through dst, the same file.
            proc = kvmmig('volume', 'show', name, volume, *description, '-H', TB.dst_uri,
                          '--json')
            self.assert_ok(proc)
            seen = self.json_lines(proc.stdout)[0]
            self.assertEqual((seen['type'], seen['host'], seen['name'], seen['volume_type'],
                              seen['capacity'], seen['path']),
                             ('volume', TB.dst_uri, volume, 'file', 32 << 20,
                              os.path.join(path, volume)))
            proc = kvmmig('store', 'check', name, *description, '-H', TB.src_uri,
                          '-H', TB.dst_uri)
            self.assert_ok(proc)

            # Grown through dst, seen grown through src.
            proc = kvmmig('volume', 'resize', name, volume, '--size', '48M', *description,
                          '-H', TB.dst_uri)
            self.assert_ok(proc, lines=1)
            proc = kvmmig('volume', 'list', name, *description, '-H', TB.src_uri, '--json')
            self.assert_ok(proc)
            listed = self.json_lines(proc.stdout)[0]['volumes']
            self.assertEqual([(v['name'], v['capacity']) for v in listed], [(volume, 48 << 20)])

            # Deleted through src: gone for dst.
            self.assert_ok(kvmmig('volume', 'delete', name, volume, *description,
                                  '-H', TB.src_uri), lines=1)
            proc = kvmmig('volume', 'show', name, volume, *description, '-H', TB.dst_uri)
            self.assertEqual(proc.returncode, EXIT_STORAGE, proc.stdout + proc.stderr)
            self.assertIn("no volume '%s'" % volume, proc.stderr)

            proc = kvmmig('store', 'detach', name, *description, '-H', TB.src_uri,
                          '-H', TB.dst_uri)
            self.assert_ok(proc, lines=2)
            for uri in (TB.src_uri, TB.dst_uri):
                self.assertIsNone(pool_state(uri, name))
        finally:
            for uri in (TB.src_uri, TB.dst_uri):
                remove_pool(uri, name)
            shutil.rmtree(path, ignore_errors=True)


if __name__ == '__main__':
    taprunner.main()
