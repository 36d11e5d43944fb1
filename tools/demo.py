#!/usr/bin/python3
# demo.py: the demo that `sudo ./tools/demo` runs. A guest on the testbed's
# iSCSI store is live-migrated from host src to host dst with kvmmig, and
# back, in the steps of the classic shared-storage walkthrough (iscsiadm,
# virt-install, virsh migrate --live): the library attaches the store to
# both hosts and defines the guest on one of its LUNs, the `kvmmig`
# command migrates it (with its live progress line and policy steps), and
# the guest's own memory and disk checkers, read from its serial console,
# show that nothing was lost. Each step prints how long it took; a table
# of the steps ends it. It leaves the testbed as it found it: up or down,
# without the demo's guest, LUN or storage pools, also on failure or
# Ctrl-C. Exit 0 when every check passed, 1 when one failed.
#
#   demo.py [--name GUEST] [--bandwidth MIB/S]
#
# As root, with the library built: tools/demo sets GI_TYPELIB_PATH,
# LD_LIBRARY_PATH and PYTHONPATH to the build tree. KVMMIG_CLI is the
# kvmmig command (default _build/cli/kvmmig), KVMMIG_TESTBED the testbed
# script (default tests/testbed/kvmmig-testbed).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import fcntl
import os
import re
import signal
import subprocess
import sys
import time

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTBED = os.environ.get('KVMMIG_TESTBED') or os.path.join(TOP, 'tests', 'testbed', 'kvmmig-testbed')
KVMMIG = os.environ.get('KVMMIG_CLI') or os.path.join(TOP, '_build', 'cli', 'kvmmig')

# The guest's workload (tests/testbed/guest/init): the memory checker
# rewrites and checks 128 MiB at 150 MiB/s, faster than the migration's
# 100 MiB/s, so kvmmig's policy has to act (it throttles the guest); the
# disk checker appends numbered records to the LUN, 4 a second.
WORKLOAD = 'dirty:128:150,diskseq'
MEMORY_MIB = 256
WAIT_S = 60          # the longest any wait for the guest may take


class DemoFailed(Exception):
    pass


# -- steps and their times ------------------------------------------------

STEPS = []           # (number, title, seconds)
PRIOR = []           # (title, seconds): what tools/demo did first (--prior)
TOTAL_STEPS = 9


class Step:
    """`with Step(n, title, classic):` prints the step's heading, what it
    replaces in the classic walkthrough, and at its end its duration."""

    def __init__(self, number, title, classic=None):
        self.number, self.title, self.classic = number, title, classic

    def __enter__(self):
        print('\n[%d/%d] %s' % (self.number, TOTAL_STEPS, self.title), flush=True)
        if self.classic:
            print('      classic: %s' % self.classic, flush=True)
        self.t0 = time.monotonic()
        return self

    def __exit__(self, exc_type, exc, tb):
        seconds = time.monotonic() - self.t0
        STEPS.append((self.number, self.title, seconds))
        print('      (%.1f s%s)' % (seconds, '' if exc_type is None else ', failed'), flush=True)
        return False


def say(text=''):
    print('      ' + text if text else '', flush=True)


def summary(total):
    print('\n  step                                               time', flush=True)
    for title, seconds in PRIOR:
        print('  -  %-46s %6.1f s' % (title, seconds))
    for number, title, seconds in STEPS:
        print('  %d. %-46s %6.1f s' % (number, title, seconds))
    print('  %-49s %6.1f s' % ('total', total + sum(seconds for _, seconds in PRIOR)), flush=True)


# -- the testbed (tests/testbed/README.md) --------------------------------

def testbed(*args):
    """Runs a kvmmig-testbed command; its output, or DemoFailed."""
    r = subprocess.run([TESTBED] + list(args), capture_output=True, text=True)
    if r.returncode != 0:
        raise DemoFailed('kvmmig-testbed %s failed (exit %d):\n%s'
                         % (' '.join(args), r.returncode, (r.stdout + r.stderr).strip()))
    return r.stdout


def testbed_env():
    env = {}
    for line in testbed('env').splitlines():
        key, _, value = line.partition('=')
        env[key] = value.strip('"')
    return env


# -- the guest's serial console -------------------------------------------

class SerialLog:
    """The guest's serial console log on one host (each host has its own
    file; the guest writes to the one of the host it runs on)."""

    def __init__(self, name, host):
        self.host = host
        self.path = testbed('serial-log', name, '--on', host).strip()

    def size(self):
        try:
            return os.path.getsize(self.path)
        except FileNotFoundError:
            return 0

    def lines(self, since=0):
        """The complete lines written from byte `since` on."""
        try:
            with open(self.path, 'rb') as f:
                f.seek(since)
                data = f.read()
        except FileNotFoundError:
            return []
        text = data.decode('utf-8', 'replace').replace('\r', '')
        return text.split('\n')[:-1]

    def wait_for(self, what, found, since=0, timeout=WAIT_S):
        """Waits until found(lines written since `since`) is true and
        returns its value; fails after `timeout` seconds showing the log."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.lines(since)
            value = found(lines)
            if value:
                return value
            if time.monotonic() > deadline:
                raise DemoFailed('no %s in the serial log on %s within %d s (%s); its last lines:\n%s'
                                 % (what, self.host, timeout, self.path,
                                    '\n'.join(lines[-15:]) or '(empty)'))
            time.sleep(0.2)


def fields(line):
    """The key=value fields of a checker's line, as a dict of strings."""
    return dict(re.findall(r'(\w+)=(\S+)', line))


def last(prefix, lines):
    matches = [line for line in lines if line.startswith(prefix)]
    return matches[-1] if matches else None


def heartbeat(lines):
    beat = last('KVMMIG-GUEST alive ', lines)
    return int(beat.split()[-1]) if beat else None


def dirty_stats(lines):
    return last('KVMMIG-DIRTY stats ', lines)


def diskseq_progress(lines):
    return last('KVMMIG-DISKSEQ progress ', lines)


def check_checkers(log, since, before):
    """After a migration to log's host: waits until the memory checker has
    gone twice over its whole working set there (every page checked after
    the switchover) and the disk checker has written past the last record
    acknowledged before the migration; fails on any lost page or disk
    error. `before` is the last diskseq progress line seen before."""
    first = log.wait_for('memory checker line', dirty_stats, since)
    passes0 = int(fields(first)['passes'])
    stats = log.wait_for('memory checker line after 2 more passes', lambda lines: next(
        (line for line in reversed(lines) if line.startswith('KVMMIG-DIRTY stats ')
         and int(fields(line)['passes']) >= passes0 + 2), None), since)
    seq0 = int(fields(before)['seq'])
    progress = log.wait_for('disk checker line past record %d' % seq0, lambda lines: next(
        (line for line in reversed(lines) if line.startswith('KVMMIG-DISKSEQ progress ')
         and int(fields(line)['seq']) > seq0), None), since)
    lines = log.lines()
    say('memory checker on %s: %s' % (log.host, stats))
    say('disk checker on %s:   %s' % (log.host, progress))
    f = fields(stats)
    bad_pages = [line for line in lines if line.startswith('KVMMIG-DIRTY bad')]
    if f['total_bad'] != '0' or bad_pages:
        raise DemoFailed('the memory checker found lost or corrupted pages: total_bad=%s\n%s'
                         % (f['total_bad'], '\n'.join(bad_pages[:10])))
    p = fields(progress)
    disk_errors = [line for line in lines if line.startswith('KVMMIG-DISKSEQ error')]
    if p['errors'] != '0' or disk_errors:
        raise DemoFailed('the disk checker saw write errors: %s\n%s'
                         % (progress, '\n'.join(disk_errors[:10])))
    if p['boot'] != fields(before)['boot']:
        raise DemoFailed('the guest booted again (disk checker boot=%s, boot=%s before)'
                         % (p['boot'], fields(before)['boot']))
    say('verdict: memory OK: total_bad=0 after %d full passes on %s (%s page checks since boot)'
        % (int(f['passes']) - passes0, log.host, f['checked_total']))
    say('verdict: disk OK: records %d -> %s written and acknowledged, errors=0, same boot'
        % (seq0, p['seq']))
    return progress


# -- the hosts' view, through the library ---------------------------------

def guest_view(host, name):
    """How `host` sees the guest: (running, persistent), or None when it
    has no guest of that name."""
    try:
        guest = host.lookup_guest(name, None)
    except GLib.Error as e:
        if e.matches(Kvmmig.error_quark(), Kvmmig.Error.GUEST_NOT_FOUND):
            return None
        raise
    return guest.is_active(), guest.is_persistent()


def show_hosts(hosts, name, where):
    """Prints each host's view of the guest, and fails unless it runs,
    defined, on `where` only."""
    for label, host in hosts:
        view = guest_view(host, name)
        if view is None:
            text = 'no guest %r (not defined)' % name
        else:
            text = '%r %s, %s' % (name, 'running' if view[0] else 'not running',
                                  'persistent (defined)' if view[1] else 'transient (not defined)')
        say('%-4s %s: %s' % (label, host.props.hostname or host.get_uri(), text))
        expected = (True, True) if label == where else None
        if view != expected:
            raise DemoFailed('%s should have %s' % (label, 'the guest running and defined'
                                                    if expected else 'no guest %r' % name))


# -- kvmmig migrate --------------------------------------------------------

def kvmmig_migrate(name, src_uri, dst_uri, bandwidth):
    """Runs `kvmmig migrate` on this terminal: its progress line, policy
    steps and summary are its own. Ctrl-C reaches it too (it cancels the
    migration cleanly, and the guest stays on the source); the demo waits
    for it to finish before it cleans up."""
    command = [KVMMIG, 'migrate', name, '--from', src_uri, '--to', dst_uri,
               '--bandwidth', str(bandwidth)]
    say('$ kvmmig migrate %s --from %s --to %s --bandwidth %d'
        % (name, src_uri, dst_uri, bandwidth))
    interrupted = []
    old = signal.signal(signal.SIGINT, lambda signum, frame: interrupted.append(signum))
    try:
        child = subprocess.Popen(command)
        while True:
            try:
                code = child.wait()
                break
            except KeyboardInterrupt:       # SIGTERM or SIGHUP (see main)
                interrupted.append(signal.SIGTERM)
                child.send_signal(signal.SIGTERM)
    finally:
        signal.signal(signal.SIGINT, old)
    if interrupted:
        raise KeyboardInterrupt
    if code != 0:
        raise DemoFailed('kvmmig migrate exited with code %d' % code)


# -- the demo ---------------------------------------------------------------

class Demo:
    def __init__(self, name, bandwidth):
        self.name = name
        self.bandwidth = bandwidth
        self.brought_up = False      # we ran `kvmmig-testbed up`: `down` at the end
        self.hold = None             # the testbed's users lock, held shared
        self.lun = None              # the LUN we took from the testbed
        self.store = None
        self.attached = []           # hosts we attached the store to

    def run(self):
        name = self.name
        with Step(1, 'The two hosts', 'two hypervisors running libvirtd, reachable from here'):
            env = testbed_env()
            # Hold the testbed, as its users do, so that no one takes it
            # down while the demo runs (`kvmmig-testbed down` waits).
            os.makedirs(env['KVMMIG_TESTBED_DIR'], exist_ok=True)
            self.hold = open(env['KVMMIG_TESTBED_USERS_LOCK'], 'a')
            fcntl.flock(self.hold, fcntl.LOCK_SH)
            if subprocess.run([TESTBED, 'status'], capture_output=True).returncode == 0:
                say('the testbed is up: using it (and leaving it up)')
            else:
                say('the testbed is down: bringing it up (tests/testbed/kvmmig-testbed up)')
                self.brought_up = True
                up = subprocess.run([TESTBED, 'up'], capture_output=True, text=True)
                if up.returncode != 0:
                    raise DemoFailed('kvmmig-testbed up failed:\n' + (up.stdout + up.stderr).strip())
                took = re.search(r'up in ([\d.]+)s', up.stdout)
                say('kvmmig-testbed: up%s' % (' in %s s' % took.group(1) if took else ''))
            self.src_uri, self.dst_uri = env['KVMMIG_SRC_URI'], env['KVMMIG_DST_URI']
            self.src, self.dst = Kvmmig.Host.new(self.src_uri), Kvmmig.Host.new(self.dst_uri)
            self.hosts = [('src', self.src), ('dst', self.dst)]
            for label, host in self.hosts:
                host.open(None)
                info = host.query_info(None)
                say('%s  %s  %s: libvirt %s, %s %s, %d CPUs, %d MiB free'
                    % (label, info.props.hostname, host.get_uri(), info.props.libvirt_version,
                       info.props.hypervisor, info.props.hypervisor_version, info.props.cpus,
                       info.props.memory_free >> 20))
            for label, host in self.hosts:
                if guest_view(host, name) is not None:
                    raise DemoFailed('%s already has a guest %r (an earlier demo?); remove it with '
                                     '`%s guest-rm %s`' % (label, name, TESTBED, name))

        with Step(2, 'The iSCSI store, on both hosts',
                  'iscsiadm -m discovery, iscsiadm -m node --login, on each host; lsblk to compare'):
            self.store = Kvmmig.SharedStore.new_iscsi(name + '-store', env['KVMMIG_STORE_PORTAL'],
                                                      env['KVMMIG_STORE_IQN'])
            for label, host in self.hosts:
                self.store.attach(host, None)
                self.attached.append(host)
                say('attached %s on %s to %s: libvirt pool %r'
                    % (env['KVMMIG_STORE_IQN'], env['KVMMIG_STORE_PORTAL'], label,
                       self.store.props.name))
            visibility = self.store.check_visibility([self.src, self.dst], None)
            say(visibility.props.summary)
            if not visibility.props.complete:
                raise DemoFailed('the hosts do not see the same LUNs')

        with Step(3, 'A guest on a LUN, defined on src',
                  'virt-install --import --disk /dev/disk/by-path/...-lun-N on src'):
            # The testbed hands out its LUNs: take one, as its `guest`
            # command would, so that no one else is given it meanwhile.
            self.lun = int(testbed('lun-take', name).strip())
            volume = self.store.lookup_volume(self.src, 'unit:0:0:%d' % self.lun, None)
            say('LUN %d: volume %s, %s, %d MiB' % (self.lun, volume.props.name,
                                                   volume.props.source, volume.props.capacity >> 20))
            spec = Kvmmig.GuestSpec.new(name, volume)
            spec.props.memory_mib = MEMORY_MIB
            spec.props.virt_type = Kvmmig.VirtType.QEMU         # TCG: no KVM on the testbed
            spec.props.kernel = env['KVMMIG_GUEST_KERNEL']
            spec.props.initrd = env['KVMMIG_GUEST_INITRD']
            spec.props.cmdline = 'console=ttyS0 quiet loglevel=3 kvmmig.workload=' + WORKLOAD
            spec.props.serial_log = '/var/log/libvirt/qemu/%s-serial.log' % name
            self.src.define_guest(spec, None)
            say('defined %r on src: %d MiB, disk vda on LUN %d, workload %s'
                % (name, MEMORY_MIB, self.lun, WORKLOAD))
            self.logs = {host: SerialLog(name, host) for host in ('src', 'dst')}

        with Step(4, 'Start it on src', 'virsh start'):
            self.src.start_guest(name, None)
            beat = self.logs['src'].wait_for('heartbeat', heartbeat)
            say('started; its first heartbeat: alive %d s after boot' % beat)

        with Step(5, 'Its memory and disk checkers',
                  'none: the testbed\'s guest checks its own memory and disk'):
            log = self.logs['src']
            boot = log.wait_for('disk checker boot line', lambda lines: last('KVMMIG-DISKSEQ boot ', lines))
            stats = log.wait_for('memory checker line', dirty_stats)
            progress = log.wait_for('disk checker progress line', diskseq_progress)
            say('memory: %s' % stats)
            say('disk:   %s' % boot)
            say('disk:   %s' % progress)

        self.migrate(6, 'src', 'dst', 'virsh migrate --live --undefinesource, then the XML '
                     'copied to dst by hand (virsh dumpxml | virsh define)')

        with Step(7, "Both hosts' view", 'virsh list --all on each host, and the guest\'s console'):
            show_hosts(self.hosts, name, 'dst')
            self.progress = check_checkers(self.logs['dst'], 0, self.progress)

        since = self.logs['src'].size()
        self.migrate(8, 'dst', 'src', 'the same, the other way', since, show=True)

    def migrate(self, number, frm, to, classic, since=0, show=False):
        """Step `number`: kvmmig migrates the guest from host `frm` to `to`;
        with `show`, each host's view and the checkers' verdict follow."""
        uris = {'src': self.src_uri, 'dst': self.dst_uri}
        title = ('And back, %s -> %s' if show else 'Live migration %s -> %s') % (frm, to)
        with Step(number, title, classic):
            self.progress = self.logs[frm].wait_for('disk checker progress line', diskseq_progress)
            kvmmig_migrate(self.name, uris[frm], uris[to], self.bandwidth)
            if show:
                show_hosts(self.hosts, self.name, to)
                self.progress = check_checkers(self.logs[to], since, self.progress)

    def clean_up(self):
        """Removes what the demo made, whatever step it reached."""
        errors = []
        if self.lun is not None:
            # Destroys and undefines the guest wherever it is, removes its
            # serial logs, wipes the LUN and gives it back to the testbed.
            r = subprocess.run([TESTBED, 'guest-rm', self.name], capture_output=True, text=True)
            if r.returncode != 0:
                errors.append(r.stderr.strip())
            else:
                say('removed guest %r, wiped LUN %d and gave it back' % (self.name, self.lun))
        for host in self.attached:
            try:
                self.store.detach(host, None)        # only the pools attach made
                say('detached the store from %s' % host.get_uri())
            except GLib.Error as e:
                errors.append(e.message)
        for host in (getattr(self, 'src', None), getattr(self, 'dst', None)):
            if host is not None:
                host.close()
        if self.hold is not None:
            self.hold.close()
        if self.brought_up:
            r = subprocess.run([TESTBED, 'down'], capture_output=True, text=True)
            if r.returncode != 0:
                errors.append(r.stderr.strip())
            else:
                say('brought the testbed down again, as it was')
        elif not errors:
            say('the testbed stays up, as it was')
        if errors:
            raise DemoFailed('cleaning up failed:\n' + '\n'.join(errors))


def main():
    parser = argparse.ArgumentParser(description='Live-migrate a guest on the testbed\'s iSCSI '
                                     'store from src to dst with kvmmig, and back.')
    parser.add_argument('--name', default='kvmmig-demo', help='the guest\'s name (kvmmig-demo)')
    parser.add_argument('--bandwidth', type=int, default=100,
                        help='the migrations\' bandwidth limit in MiB/s (100)')
    parser.add_argument('--prior', action='append', default=[], metavar='TITLE=SECONDS',
                        help='a step done before (tools/demo: packages, build), for the table')
    args = parser.parse_args()
    for prior in args.prior:
        title, _, seconds = prior.rpartition('=')
        PRIOR.append((title, float(seconds)))
    if os.geteuid() != 0:
        sys.exit('demo.py: run as root (the testbed needs it): sudo ./tools/demo')
    # SIGTERM and SIGHUP clean up as Ctrl-C does.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda s, f: signal.default_int_handler(s, f))

    print('libkvmmig demo: guest %r on the testbed\'s iSCSI store, live-migrated '
          'from src to dst and back' % args.name, flush=True)
    t0 = time.monotonic()
    demo = Demo(args.name, args.bandwidth)
    failure = None
    try:
        demo.run()
    except DemoFailed as e:
        failure = str(e)
    except GLib.Error as e:
        failure = e.message
    except KeyboardInterrupt:
        failure = 'interrupted'
    finally:
        # A second Ctrl-C must not leave the testbed half cleaned.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            with Step(9, 'Clean up', 'virsh destroy, virsh undefine; iscsiadm --logout on each host'):
                demo.clean_up()
        except DemoFailed as e:
            failure = (failure + '\n' if failure else '') + str(e)
    summary(time.monotonic() - t0)
    if failure:
        print('\ndemo FAILED: %s' % failure, file=sys.stderr, flush=True)
        sys.exit(1)
    print('\ndemo OK: %r migrated src -> dst -> src live, no page or disk record lost'
          % args.name, flush=True)


if __name__ == '__main__':
    main()
