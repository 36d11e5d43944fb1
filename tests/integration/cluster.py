# cluster.py: driving the testbed's two-node Pacemaker cluster
# (`kvmmig-testbed cluster-up`) as an administrator does, for
# test_cluster.py and the benchmark's standby scenario (bench/kvmmig-bench):
# commands in a node's namespaces, guest resources added, started, moved and
# removed through the CIB, Pacemaker's operation results read from the
# nodes' logs, and a sampler of where guests run and how many migrate.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import subprocess
import threading
import time

import libvirt

from testbed import wait_until

# Operations of an ocf:kvmmig:guest (or VirtualDomain) resource; {id} is the
# resource's, {migrate_to} the migrate_to timeout.
OPS = ('<op id="{id}-mon" name="monitor" interval="5s" timeout="30s"/>'
       '<op id="{id}-mto" name="migrate_to" interval="0" timeout="{migrate_to}"/>'
       '<op id="{id}-mfr" name="migrate_from" interval="0" timeout="60s"/>'
       '<op id="{id}-start" name="start" interval="0" timeout="90s"/>'
       '<op id="{id}-stop" name="stop" interval="0" timeout="90s"/>')


class Cluster:
    """The testbed's cluster: script is kvmmig-testbed, env its `env`
    output once the cluster is up (KVMMIG_CLUSTER_*)."""

    def __init__(self, script, env):
        self.script = script
        self.src_node = env['KVMMIG_CLUSTER_SRC_NODE']
        self.dst_node = env['KVMMIG_CLUSTER_DST_NODE']
        self.dir = env['KVMMIG_CLUSTER_DIR']
        # What results() has read of each node's log: path -> (offset, found).
        self._logs = {}

    def node(self, host):
        return self.src_node if host == 'src' else self.dst_node

    def cx(self, host, *cmd, check=True, timeout=200):
        """A command in the namespaces of the cluster node on `host` (src
        or dst)."""
        proc = subprocess.run([self.script, 'cluster-exec', host, '--'] + list(cmd),
                              capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise AssertionError('%s on %s: exit %d: %s%s' % (
                ' '.join(cmd), host, proc.returncode, proc.stdout[-1000:], proc.stderr[-1000:]))
        return proc

    def settle(self, timeout=240):
        """Waits until Pacemaker has nothing left to do."""
        self.cx('src', 'crm_resource', '--wait', '--timeout', '%ds' % timeout,
                timeout=timeout + 30)

    def located(self, rsc):
        out = self.cx('src', 'crm_resource', '--locate', '--resource', rsc, '--quiet',
                      check=False).stdout
        return sorted(out.split())

    def set_property(self, name, value):
        self.cx('src', 'crm_attribute', '--type', 'crm_config', '--name', name,
                '--update', str(value))

    def standby(self, host, on):
        self.cx('src', 'crm_attribute', '--node', self.node(host), '--name', 'standby',
                '--update', 'on' if on else 'off')

    def add_guest(self, rsc, config, agent='ocf:kvmmig:guest', params=None,
                  migrate_to_timeout='300s', prefer='src'):
        """A guest resource (stopped, allow-migrate, preferring `prefer`)
        whose libvirt definition is the file config."""
        cls, provider, kind = agent.split(':')
        params = dict({'config': config, 'hypervisor': 'qemu:///system',
                       'migration_transport': 'tcp'}, **(params or {}))
        nvpairs = ''.join('<nvpair id="%s-%s" name="%s" value="%s"/>' % (rsc, k, k, v)
                          for k, v in params.items())
        self.cx('src', 'cibadmin', '--create', '-o', 'resources', '--xml-text',
                '<primitive id="%s" class="%s" provider="%s" type="%s">'
                '<instance_attributes id="%s-params">%s</instance_attributes>'
                '<meta_attributes id="%s-meta"><nvpair id="%s-am" name="allow-migrate" '
                'value="true"/><nvpair id="%s-tr" name="target-role" value="Stopped"/>'
                '</meta_attributes><operations>%s</operations></primitive>'
                % (rsc, cls, provider, kind, rsc, nvpairs, rsc, rsc, rsc,
                   OPS.format(id=rsc, migrate_to=migrate_to_timeout)))
        self.cx('src', 'cibadmin', '--create', '-o', 'constraints', '--xml-text',
                '<rsc_location id="%s-prefers" rsc="%s" node="%s" score="100"/>'
                % (rsc, rsc, self.node(prefer)))

    def start(self, *rscs, timeout=240):
        """Sets each resource's target-role to Started and waits for the
        cluster to settle."""
        for rsc in rscs:
            self.cx('src', 'crm_resource', '--resource', rsc, '--meta', '--set-parameter',
                    'target-role', '--parameter-value', 'Started')
        self.settle(timeout)

    def move(self, rsc, host):
        self.cx('src', 'crm_resource', '--move', '--resource', rsc, '--node', self.node(host))

    def remove(self, *rscs):
        """Stops the resources (all at once) and removes them, their
        constraints and their history."""
        failures = self.failures()
        for rsc in rscs:
            self.cx('src', 'crm_resource', '--resource', rsc, '--clear', check=False)
            # A resource blocked by a failed stop (no fencing here) is
            # stopped again only once its failures are cleaned up.
            if any('op_key="%s_' % rsc in f for f in failures):
                self.cx('src', 'crm_resource', '--cleanup', '--resource', rsc, check=False)
            self.cx('src', 'crm_resource', '--resource', rsc, '--meta', '--set-parameter',
                    'target-role', '--parameter-value', 'Stopped', check=False)
        wait_until(lambda: not any(self.located(rsc) for rsc in rscs), 150, step=1)
        for rsc in rscs:
            self.cx('src', 'cibadmin', '--delete', '-o', 'constraints', '--xml-text',
                    '<rsc_location id="%s-prefers"/>' % rsc, check=False)
            self.cx('src', 'cibadmin', '--delete', '-o', 'resources', '--xml-text',
                    '<primitive id="%s"/>' % rsc, check=False)
            self.cx('src', 'crm_resource', '--cleanup', '--resource', rsc, check=False)

    def _log_results(self):
        """Every "Result of OP operation for RSC on NODE: RESULT" line of
        both nodes' Pacemaker logs, as (op, rsc, node, result); each log is
        read on from where the last call stopped."""
        found = []
        nodes = os.path.join(self.dir, 'nodes')
        for node in sorted(os.listdir(nodes)):
            path = os.path.join(nodes, node, 'log-pacemaker', 'pacemaker.log')
            offset, seen = self._logs.get(path, (0, []))
            try:
                with open(path, 'rb') as f:
                    f.seek(offset)
                    chunk = f.read()
            except FileNotFoundError:
                continue
            # Only whole lines: a line being written is read next time.
            end = chunk.rfind(b'\n') + 1
            text = chunk[:end].decode(errors='replace')
            seen = seen + re.findall(r'Result of (\S+) operation for (\S+) on (\S+): (.+?)(?: \||$)',
                                     text, re.MULTILINE)
            self._logs[path] = (offset + end, seen)
            found += seen
        return found

    def results(self, rsc, op):
        """Pacemaker's results of operation op on rsc, as sorted (node,
        result) pairs, from both nodes' logs."""
        return sorted(set((node, result) for o, r, node, result in self._log_results()
                          if o == op and r == rsc))

    def failures(self):
        out = self.cx('src', 'crm_mon', '-1', '--output-as=xml').stdout
        return re.findall(r'<failure [^>]*>', out)


class Sampler(threading.Thread):
    """Samples, every `period` s, on which of the hosts at `uris` (a dict
    host -> libvirt URI) each guest of `names` runs, and how many have a
    migration job on `job_host`. Keeps the largest number of jobs at once,
    the guests seen running on two hosts at once, and for each guest the
    last time it ran on each host and the first time it ran on each host
    (time.monotonic())."""

    def __init__(self, uris, names, job_host='src', period=0.2):
        super().__init__(daemon=True)
        self.uris = uris
        self.names = names
        self.job_host = job_host
        self.period = period
        self.max_jobs = 0
        self.samples = 0
        self.both = []
        self.first_running = {n: {} for n in names}
        self.last_running = {n: {} for n in names}
        self.stop = threading.Event()

    def run(self):
        # A guest not (or no longer) on a host is an answer here, not an
        # error for libvirt's default handler to print.
        libvirt.registerErrorHandler(lambda ctx, err: None, None)
        conns = {h: libvirt.open(uri) for h, uri in self.uris.items()}
        try:
            while not self.stop.is_set():
                jobs = 0
                now = time.monotonic()
                for name in self.names:
                    running = 0
                    for host, conn in conns.items():
                        try:
                            dom = conn.lookupByName(name)
                            if dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING:
                                running += 1
                                self.first_running[name].setdefault(host, now)
                                self.last_running[name][host] = now
                            if host == self.job_host and \
                                    dom.jobInfo()[0] != libvirt.VIR_DOMAIN_JOB_NONE:
                                jobs += 1
                        except libvirt.libvirtError:
                            pass
                    if running > 1:
                        self.both.append(name)
                self.max_jobs = max(self.max_jobs, jobs)
                self.samples += 1
                self.stop.wait(self.period)
        finally:
            for conn in conns.values():
                conn.close()
