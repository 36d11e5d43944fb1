#!/usr/bin/python3
# test_cluster_agent.py: the OCF resource agent ocf:kvmmig:guest (ocf/guest)
# run as Pacemaker's executor runs it, one action at a time with the OCF_*
# environment, against the testbed's real hosts; and the pre-flight check
# cluster-managed on the guest it marked (issue 20). The agent in a real
# two-node cluster is test_cluster.py's.
#
#  0. ocf-tester (resource-agents) passes on the agent, with a testbed guest
#     on src: meta-data valid against ra-api-1.dtd, probes, start, stop,
#     starting a started and stopping a stopped resource.
#  1. validate-all refuses bad parameters with OCF_ERR_CONFIGURED and a
#     reason naming them; a config the node cannot read is OCF_ERR_INSTALLED,
#     and a probe of it finds the guest not running.
#  2. start runs the guest transient on src, marked with the cluster's
#     metadata (resource, node) before its CPUs run.
#  3. The mark refuses a direct migration: `kvmmig migrate` exits 4 naming
#     the resource and the crm_resource and pcs commands; from Python the
#     check cluster-managed fails with CLUSTER_MANAGED, and warns with
#     allow-cluster-managed; the guest stays on src.
#  4. migrate_to a target that cannot be reached fails with OCF_ERR_GENERIC,
#     an exit reason that says where the guest runs, and the guest running
#     on src.
#  5. migrate_to dst then migrate_from on dst: the guest runs on dst only,
#     transient, still marked (now with dst's node), and its memory checker
#     lost no page.
#  6. stop on dst: the guest is gone; monitor says OCF_NOT_RUNNING.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import subprocess
import tempfile
import unittest

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig  # noqa: E402

import taprunner  # noqa: E402
import testbed  # noqa: E402

TB = testbed.load()
SRC, DST = TB.src_uri, TB.dst_uri
CLI = os.environ.get('KVMMIG_CLI', 'kvmmig')
AGENT = os.path.join(os.environ.get('KVMMIG_SOURCE_ROOT', '.'), 'ocf', 'guest')
NS = Kvmmig.CLUSTER_METADATA_NS
RESOURCE = 'vm-it-%d' % os.getpid()
OCF_SUCCESS, OCF_ERR_GENERIC, OCF_ERR_INSTALLED, OCF_ERR_CONFIGURED, OCF_NOT_RUNNING = 0, 1, 5, 6, 7


def virsh(uri, *args):
    return testbed.sh('virsh', '-q', '-c', uri, *args, check=False)


class ClusterAgentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # A testbed guest on an iSCSI LUN (both hosts see it), whose
        # definition becomes the resource's config; then the guest is
        # stopped and left defined but shut off, as an administrator
        # handing it to the cluster would.
        cls.name = TB.guest('ocf', on='src', memory=128, workload='dirty:32:20')
        xml = virsh(SRC, 'dumpxml', '--inactive', cls.name)
        assert xml.returncode == 0, xml.stderr
        cls.dir = tempfile.mkdtemp(prefix='kvmmig-ocf-')
        cls.config = os.path.join(cls.dir, cls.name + '.xml')
        with open(cls.config, 'w') as f:
            f.write(xml.stdout)
        assert virsh(SRC, 'destroy', cls.name).returncode == 0

    @classmethod
    def tearDownClass(cls):
        for uri in (SRC, DST):
            virsh(uri, 'destroy', cls.name)
            virsh(uri, 'undefine', cls.name)
        TB.guest_rm(cls.name)
        os.unlink(cls.config)
        os.rmdir(cls.dir)

    def agent(self, action, hypervisor=SRC, timeout_s=120, **params):
        """One action of the agent, as pacemaker-execd runs it: (exit code,
        its output)."""
        env = {'PATH': os.environ['PATH'], 'OCF_ROOT': '/usr/lib/ocf',
               'OCF_RESOURCE_INSTANCE': RESOURCE, 'OCF_RESOURCE_TYPE': 'guest',
               'OCF_RESOURCE_PROVIDER': 'kvmmig', 'OCF_RA_VERSION_MAJOR': '1',
               'OCF_RA_VERSION_MINOR': '1', 'OCF_RESKEY_CRM_meta_timeout': str(timeout_s * 1000),
               'OCF_RESKEY_config': self.config, 'OCF_RESKEY_hypervisor': hypervisor,
               'OCF_RESKEY_kvmmig': CLI, 'OCF_RESKEY_force_stop': 'true',
               'HA_LOGFILE': '', 'HA_DEBUG': '0'}
        for key, value in params.items():
            env[key if key.startswith('OCF_') else 'OCF_RESKEY_' + key] = value
        proc = subprocess.run([AGENT, action], env=env, capture_output=True, text=True,
                              timeout=timeout_s + 30)
        out = proc.stdout + proc.stderr
        for line in out.splitlines()[-12:]:
            print('#   %s: %s' % (action, line), flush=True)
        return proc.returncode, out

    def mark(self, uri):
        r = virsh(uri, 'metadata', self.name, '--uri', NS)
        return r.stdout.strip() if r.returncode == 0 else None

    def test_0_ocf_tester(self):
        proc = subprocess.run(['ocf-tester', '-n', RESOURCE, '-o', 'config=' + self.config,
                               '-o', 'hypervisor=' + SRC, '-o', 'kvmmig=' + CLI, AGENT],
                              capture_output=True, text=True, timeout=600)
        for line in (proc.stdout + proc.stderr).splitlines():
            print('# ocf-tester: ' + line, flush=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn('passed all tests', proc.stdout + proc.stderr)
        # ocf-tester ends with the resource stopped.
        self.assertIsNone(testbed.domstate(TB, self.name, 'src'))

    def test_1_validate(self):
        for params, needle in (({'policy': 'fastest'}, "policy 'fastest' is not auto"),
                               ({'migration_transport': 'rsh'}, "migration_transport 'rsh'"),
                               ({'bandwidth': '-5'}, "parameter bandwidth '-5'"),
                               ({'config': ''}, 'parameter config is not set')):
            rc, out = self.agent('validate-all', **params)
            self.assertEqual(rc, OCF_ERR_CONFIGURED, out)
            self.assertIn('ocf-exit-reason:', out)
            self.assertIn(needle, out)
        missing = os.path.join(self.dir, 'missing.xml')
        rc, out = self.agent('validate-all', config=missing)
        self.assertEqual(rc, OCF_ERR_INSTALLED, out)
        self.assertIn('cannot read config %s' % missing, out)
        rc, out = self.agent('monitor', config=missing, CRM_meta_interval='0')
        self.assertEqual(rc, OCF_NOT_RUNNING, out)
        rc, out = self.agent('validate-all')
        self.assertEqual(rc, OCF_SUCCESS, out)

    def test_2_start_marks(self):
        # Defined and shut off on src (setUpClass, or ocf-tester's stops
        # undefined it): either way start runs it transient and marked.
        rc, out = self.agent('start', CRM_meta_on_node='node-src')
        self.assertEqual(rc, OCF_SUCCESS, out)
        self.assertEqual(testbed.domstate(TB, self.name, 'src'), 'running')
        self.assertFalse(testbed.persistent(TB, self.name, 'src'))
        mark = self.mark(SRC)
        print('# mark on src: %s' % mark, flush=True)
        self.assertIsNotNone(mark)
        self.assertRegex(mark, r'manager="pacemaker"')
        self.assertRegex(mark, r'resource="%s"' % RESOURCE)
        self.assertRegex(mark, r'node="node-src"')
        rc, out = self.agent('monitor', CRM_meta_interval='10000')
        self.assertEqual(rc, OCF_SUCCESS, out)
        # Starting a started resource succeeds and changes nothing.
        rc, out = self.agent('start', CRM_meta_on_node='node-src')
        self.assertEqual(rc, OCF_SUCCESS, out)
        self.assertEqual(testbed.domstate(TB, self.name, 'src'), 'running')

    def test_3_mark_refuses_direct_migration(self):
        proc = subprocess.run([CLI, 'migrate', self.name, '--from', SRC, '--to', DST],
                              capture_output=True, text=True, timeout=300)
        print('# kvmmig migrate: exit %d: %s' % (proc.returncode, proc.stderr.strip()),
              flush=True)
        self.assertEqual(proc.returncode, 4, proc.stderr)
        self.assertIn("guest '%s' is resource '%s' of a Pacemaker cluster" % (self.name, RESOURCE),
                      proc.stderr)
        self.assertIn('crm_resource --move --resource %s --node NODE' % RESOURCE, proc.stderr)
        self.assertIn('pcs resource move %s NODE' % RESOURCE, proc.stderr)

        with Kvmmig.Host.new(SRC) as src, Kvmmig.Host.new(DST) as dst:
            job = Kvmmig.MigrationJob.new(src, dst, self.name)
            with self.assertRaises(GLib.Error) as cm:
                job.check(None)
            self.assertEqual(cm.exception.code, Kvmmig.Error.CLUSTER_MANAGED)
            check = testbed.check_of(job, 'cluster-managed')
            self.assertEqual(check.props.status, Kvmmig.CheckStatus.FAILED)

            job = Kvmmig.MigrationJob.new(src, dst, self.name)
            job.props.allow_cluster_managed = True
            job.check(None)
            check = testbed.check_of(job, 'cluster-managed')
            print('# with allow-cluster-managed: %s' % check.props.message, flush=True)
            self.assertEqual(check.props.status, Kvmmig.CheckStatus.WARNING)
            self.assertIn('migrated anyway (allow-cluster-managed is set)', check.props.message)
        self.assertEqual(testbed.domstate(TB, self.name, 'src'), 'running')
        self.assertIsNone(testbed.domstate(TB, self.name, 'dst'))

    def test_4_migrate_to_unreachable_target(self):
        # dst's address, on a port where nothing listens.
        target = re.sub(r'^qemu\+tcp://([^/]+)/', r'qemu+tcp://\1:1/', DST)
        self.assertNotEqual(target, DST)
        rc, out = self.agent('migrate_to', target_uri=target,
                             CRM_meta_migrate_target='node-dst', CRM_meta_migrate_source='node-src')
        self.assertEqual(rc, OCF_ERR_GENERIC, out)
        self.assertRegex(out, r'ocf-exit-reason:%s still runs on \S+; cannot reach .*\(kvmmig exit 3\)'
                         % self.name)
        self.assertEqual(testbed.domstate(TB, self.name, 'src'), 'running')
        self.assertIsNone(testbed.domstate(TB, self.name, 'dst'))

    def test_5_migrate_to_and_from(self):
        # migration_transport tcp and the node's name: qemu+tcp://NODE/system,
        # with dst's address as its "node name".
        dst_host = re.match(r'qemu\+tcp://([^/]+)/', DST).group(1)
        rc, out = self.agent('migrate_to', migration_transport='tcp', timeout_s=300,
                             CRM_meta_migrate_target=dst_host, CRM_meta_migrate_source='node-src')
        self.assertEqual(rc, OCF_SUCCESS, out)
        self.assertIn('kvmmig: ', out)   # kvmmig's own lines in the agent's log
        rc, out = self.agent('migrate_from', hypervisor=DST, CRM_meta_on_node='node-dst',
                             CRM_meta_migrate_source='node-src', CRM_meta_migrate_target='node-dst')
        self.assertEqual(rc, OCF_SUCCESS, out)
        self.assertEqual(testbed.domstate(TB, self.name, 'dst'), 'running')
        self.assertIsNone(testbed.domstate(TB, self.name, 'src'))
        self.assertFalse(testbed.persistent(TB, self.name, 'dst'))
        mark = self.mark(DST)
        print('# mark on dst: %s' % mark, flush=True)
        self.assertRegex(mark or '', r'resource="%s"' % RESOURCE)
        self.assertRegex(mark or '', r'node="node-dst"')
        lost = testbed.lost_pages(lambda: TB.serial_log(self.name, 'dst'),
                                  TB.serial_log(self.name, 'src'))
        self.assertEqual(lost, 0)
        rc, out = self.agent('monitor', hypervisor=DST, CRM_meta_interval='10000')
        self.assertEqual(rc, OCF_SUCCESS, out)
        rc, out = self.agent('monitor', hypervisor=SRC, CRM_meta_interval='0')
        self.assertEqual(rc, OCF_NOT_RUNNING, out)

    def test_6_stop(self):
        rc, out = self.agent('stop', hypervisor=DST)
        self.assertEqual(rc, OCF_SUCCESS, out)
        self.assertIsNone(testbed.domstate(TB, self.name, 'dst'))
        rc, out = self.agent('monitor', hypervisor=DST, CRM_meta_interval='10000')
        self.assertEqual(rc, OCF_NOT_RUNNING, out)
        rc, out = self.agent('stop', hypervisor=DST)
        self.assertEqual(rc, OCF_SUCCESS, out)


if __name__ == '__main__':
    taprunner.main()
