# testbed.py: the testbed for the Python integration tests: its addresses
# (from `kvmmig-testbed env`), guests made and removed by the testbed
# script, serial logs, faults injected, a guest's state on a host
# (virsh; "not defined there" told apart from "could not ask"), and what
# the tests share: waiting for a state, a job's check by id, the guest's
# diskseq progress. Skips the
# whole program (TAP "1..0 # SKIP") when the testbed is not there.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import signal
import subprocess
import sys
import time


def _skip_all(why):
    print('1..0 # SKIP ' + why, flush=True)
    print('SKIPPED: ' + why, file=sys.stderr)
    sys.exit(0)


def load():
    if os.geteuid() != 0:
        _skip_all('not root: the integration tests need the testbed, which needs root')
    script = os.environ.get('KVMMIG_TESTBED')
    if not script:
        _skip_all('KVMMIG_TESTBED is not set: run through `meson test --suite integration`')
    if subprocess.run([script, 'status'], capture_output=True).returncode != 0:
        _skip_all('the testbed is not up: run `kvmmig-testbed up`, or the whole integration suite')
    out = subprocess.run([script, 'env'], check=True, capture_output=True, text=True).stdout
    env = {}
    for line in out.splitlines():
        key, _, value = line.partition('=')
        env[key] = value.strip('"')
    return Testbed(script, env)


class Testbed:
    def __init__(self, script, env):
        self.script = script
        self.env = env
        self.src_uri = env['KVMMIG_SRC_URI']
        self.dst_uri = env['KVMMIG_DST_URI']

    def guest(self, base, on='src', memory=256, workload='idle'):
        name = 'it-%s-%d' % (base, os.getpid())
        subprocess.run([self.script, 'guest', name, '--on', on, '--memory', str(memory),
                        '--workload', workload], check=True, capture_output=True)
        return name

    def guest_rm(self, name):
        subprocess.run([self.script, 'guest-rm', name], check=True, capture_output=True)

    def serial_log(self, name, on):
        logdir = self.env['KVMMIG_SRC_LOGDIR' if on == 'src' else 'KVMMIG_DST_LOGDIR']
        try:
            with open(os.path.join(logdir, name + '-serial.log'), errors='replace') as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def last_heartbeat(self, name, on):
        beats = re.findall(r'KVMMIG-GUEST alive (\d+)', self.serial_log(name, on))
        return int(beats[-1]) if beats else -1

    def wait_heartbeat(self, name, on, after, timeout=15):
        deadline = time.monotonic() + timeout
        while True:
            beat = self.last_heartbeat(name, on)
            if beat > after or time.monotonic() > deadline:
                return beat
            time.sleep(0.25)


# -- TAP ------------------------------------------------------------------------

class Tap:
    """TAP lines for a test program: check() prints one result, done()
    the plan (unless printed at the start) and exits, 1 if any failed."""

    def __init__(self):
        self.n = 0
        self.failed = False

    def check(self, ok, what):
        self.n += 1
        print('%s %d - %s' % ('ok' if ok else 'not ok', self.n, what), flush=True)
        self.failed |= not ok

    def done(self, plan=True):
        if plan:
            print('1..%d' % self.n, flush=True)
        sys.exit(1 if self.failed else 0)


# -- the dirty checker (test_faults.py, tests/soak/kvmmig-soak) ---------------

def dirty_total_bad(log):
    """(how many KVMMIG-DIRTY stats lines log holds, the total_bad of the
    last one or -1): testbed_dirty_total_bad() of testbed-utils.c."""
    totals = re.findall(r'KVMMIG-DIRTY stats [^\n]*? total_bad=(\d+)', log)
    return len(totals), int(totals[-1]) if totals else -1


def lost_pages(read_log, other_log='', timeout=20):
    """The pages the guest's dirty checker found lost, after two fresh
    stats lines from read_log() (the serial log of the host it runs on;
    other_log, the other host's, is only read), as assert_no_lost_pages()
    of test-migration.c. Raises AssertionError when they do not come
    within timeout seconds: without them no page was checked."""
    before, _ = dirty_total_bad(read_log())
    deadline = time.monotonic() + timeout
    while True:
        log = read_log()
        lines, total = dirty_total_bad(log)
        if lines >= before + 2:
            break
        if time.monotonic() > deadline:
            raise AssertionError(
                'no page checked: %d fresh KVMMIG-DIRTY stats lines within %d s (2 '
                'needed, %d in the log); is the dirty checker running?'
                % (lines - before, timeout, lines))
        time.sleep(0.5)
    lost = max(total, dirty_total_bad(other_log)[1], 0)
    if 'KVMMIG-DIRTY bad ' in log + other_log:
        lost = max(lost, 1)
    return lost


# -- faults and checks (tests/integration/test_faults.py) ---------------------

def sh(*cmd, check=True):
    return subprocess.run(list(cmd), capture_output=True, text=True, check=check)


class Faults:
    """Fault injection on the testbed: kills, link cuts, routes. All of it
    stays inside the testbed's namespaces."""

    def __init__(self, tb):
        self.tb = tb
        self.dir = tb.env['KVMMIG_TESTBED_DIR']

    def qemu_pid(self, name, host):
        pids = sh('ip', 'netns', 'pids', host, check=False).stdout.split()
        for pid in pids:
            try:
                with open('/proc/%s/cmdline' % pid, 'rb') as f:
                    cmdline = f.read().split(b'\0')
            except OSError:
                continue
            if cmdline and cmdline[0].endswith(b'qemu-system-x86_64') and \
                    any(a.startswith(b'guest=%s,' % name.encode()) for a in cmdline):
                return int(pid)
        return None

    def libvirtd_pid(self, host):
        with open(os.path.join(self.dir, 'run', 'pids', 'libvirtd-%s.pid' % host)) as f:
            return int(f.read().strip())

    def kill(self, pid):
        os.kill(pid, 9)

    def restart_libvirtd(self, host):
        """Starts the host's libvirtd again, the way the testbed does (its
        QEMU processes live on, and it reconnects to them)."""
        sh('ip', 'netns', 'exec', host, 'unshare', '-m', '-u', '--propagation', 'private',
           self.tb.script, '__host-init', host)
        uri = self.tb.env['KVMMIG_%s_URI' % host.upper()]
        deadline = time.monotonic() + 60
        while sh('virsh', '-c', uri, 'version', check=False).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError('libvirtd on %s did not come back' % host)
            time.sleep(0.5)

    def freeze(self, pid, frozen):
        """Stops (SIGSTOP) or continues (SIGCONT) a process."""
        os.kill(pid, signal.SIGSTOP if frozen else signal.SIGCONT)

    def interface(self, host):
        for line in sh('ip', '-n', host, '-o', 'link', 'show').stdout.splitlines():
            name = line.split(':')[1].strip().split('@')[0]
            if name != 'lo':
                return name
        raise RuntimeError('no interface in namespace %s' % host)

    def link(self, host, up):
        sh('ip', '-n', host, 'link', 'set', self.interface(host), 'up' if up else 'down')

    # libvirt's default range of migration ports (migration_port_min/max).
    MIGRATION_PORTS = (49152, 49215)

    def migration_streams(self, host, peer_addr):
        """The established TCP connections from the namespace `host` to
        QEMU's migration ports at peer_addr, as (local port, peer port)."""
        lo, hi = self.MIGRATION_PORTS
        out = sh('ip', 'netns', 'exec', host, 'ss', '-Htn', 'state', 'established',
                 '( dst %s and dport >= %d and dport <= %d )' % (peer_addr, lo, hi)).stdout
        streams = []
        for line in out.splitlines():
            fields = line.split()
            streams.append((int(fields[-2].rsplit(':', 1)[1]), int(fields[-1].rsplit(':', 1)[1])))
        return streams

    def break_migration_streams(self, host, peer_addr):
        """Destroys every migration stream from `host` to peer_addr with
        `ss -K`, as a network fault does (a reset), and returns how many
        there were. The daemons' own connections (port 16509) stay."""
        n = len(self.migration_streams(host, peer_addr))
        lo, hi = self.MIGRATION_PORTS
        sh('ip', 'netns', 'exec', host, 'ss', '-HKtn',
           '( dst %s and dport >= %d and dport <= %d )' % (peer_addr, lo, hi))
        return n

    def block_migration_ports(self, host, on):
        """Refuses (TCP reset) or lets in again every new connection to
        QEMU's migration ports in the namespace `host`: a migration
        network that is down while the daemons still reach each other."""
        lo, hi = self.MIGRATION_PORTS
        rule = ['INPUT', '-p', 'tcp', '--dport', '%d:%d' % (lo, hi), '-j', 'REJECT',
                '--reject-with', 'tcp-reset']
        present = sh('ip', 'netns', 'exec', host, 'iptables', '-C', *rule,
                     check=False).returncode == 0
        if on and not present:
            sh('ip', 'netns', 'exec', host, 'iptables', '-A', *rule)
        elif not on and present:
            sh('ip', 'netns', 'exec', host, 'iptables', '-D', *rule)

    def rate_limit(self, host, mbit):
        """Shapes what the namespace `host` sends to mbit Mbit/s (a token
        bucket on its interface), or lifts that with None. Unlike libvirt's
        bandwidth limit, which QEMU does not apply to the data it sends
        while the guest is paused for the switch-over, it holds for every
        byte."""
        dev = self.interface(host)
        if mbit is None:
            sh('ip', 'netns', 'exec', host, 'tc', 'qdisc', 'del', 'dev', dev, 'root', check=False)
        else:
            sh('ip', 'netns', 'exec', host, 'tc', 'qdisc', 'replace', 'dev', dev, 'root', 'tbf',
               'rate', '%dmbit' % mbit, 'burst', '64kb', 'latency', '2s')

    def blackhole(self, host, addr, on):
        sh('ip', '-n', host, 'route', 'add' if on else 'del', 'blackhole', addr + '/32',
           check=on)


# virsh's words for a guest the host does not have (libvirt's
# VIR_ERR_NO_DOMAIN, and virsh's own lookup by name).
NOT_DEFINED = ('failed to get domain', 'Domain not found')


def domstate_at(uri, name):
    """The guest's state on the host at uri: 'running', 'paused',
    'shut off', ... or None if it is not defined there. Any other failure
    of virsh (the host does not answer, ...) raises RuntimeError: "absent"
    must not pass for "could not ask"."""
    r = sh('virsh', '-c', uri, 'domstate', name, check=False)
    if r.returncode == 0:
        return r.stdout.strip()
    if any(words in r.stderr for words in NOT_DEFINED):
        return None
    raise RuntimeError('virsh -c %s domstate %s failed (exit %d): %s'
                       % (uri, name, r.returncode, r.stderr.strip()))


def memory_processed(uri, name):
    """The MiB of memory the guest's migration job on the host at uri has
    sent (virsh domjobinfo), 0 if it has no such job."""
    r = sh('virsh', '-c', uri, 'domjobinfo', name, check=False)
    m = re.search(r'Memory processed:\s+([\d.]+)', r.stdout)
    return float(m.group(1)) if m else 0.0


def domstate(tb, name, host):
    """domstate_at on the testbed's host 'src' or 'dst'."""
    return domstate_at(tb.env['KVMMIG_%s_URI' % host.upper()], name)


def persistent(tb, name, host):
    uri = tb.env['KVMMIG_%s_URI' % host.upper()]
    r = sh('virsh', '-c', uri, 'dominfo', name, check=False)
    return r.returncode == 0 and re.search(r'Persistent:\s+yes', r.stdout) is not None


# -- shared by the tests -------------------------------------------------------

def wait_until(pred, timeout, step=0.25):
    """Whether pred() holds within timeout seconds (asked every step)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


def check_of(job, check_id):
    """The pre-flight check of a Kvmmig.MigrationJob with that id."""
    for check in job.get_checks():
        if check.props.id == check_id:
            return check
    raise AssertionError('no check %s among %s'
                         % (check_id, [c.props.id for c in job.get_checks()]))


def diskseq_progress(log):
    """(seq, errors) of the guest's last diskseq progress line in log, or
    (-1, -1) when it has none yet."""
    lines = re.findall(r'KVMMIG-DISKSEQ progress seq=(\d+) writes=\d+ errors=(\d+)', log)
    return (int(lines[-1][0]), int(lines[-1][1])) if lines else (-1, -1)


def file_disk_guest_xml(tb, name, path, memory=128, fmt='raw', workload='idle,diskseq'):
    """The definition of a testbed guest (its kernel and initramfs) on one
    file disk vda at path, writing its serial console where TB.serial_log
    reads it: for tests that build the disk themselves."""
    return """<domain type='qemu'>
  <name>%(name)s</name>
  <memory unit='MiB'>%(memory)d</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>%(kernel)s</kernel>
    <initrd>%(initrd)s</initrd>
    <cmdline>console=ttyS0 quiet loglevel=3 kvmmig.workload=%(workload)s</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='%(fmt)s' cache='none'/>
      <source file='%(path)s'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <serial type='file'>
      <source path='/var/log/libvirt/qemu/%(name)s-serial.log' append='on'/>
    </serial>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
""" % {'name': name, 'path': path, 'memory': memory, 'fmt': fmt, 'workload': workload,
       'kernel': tb.env['KVMMIG_GUEST_KERNEL'], 'initrd': tb.env['KVMMIG_GUEST_INITRD']}
