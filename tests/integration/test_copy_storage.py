#!/usr/bin/python3
# test_copy_storage.py: live migration without shared storage (issue 18),
# on the testbed's local directory pools (`local`, /var/lib/libvirt/images,
# each host its own: tests/testbed/README.md).
#
# A guest on a local disk (`kvmmig-testbed guest --local-disk`) that writes
# disk records (diskseq) and checks its memory (dirty:64:20):
#
#  1. From Python, src -> dst with copy-storage ALL and remove-source-disks:
#     the check copy-storage names the disk and the new volume in dst's pool
#     `local`; the job reports disk figures (disk-bytes-total > 0, processed
#     reaching it); afterwards the guest runs on dst from dst's file, src has
#     neither the guest nor its file, the memory checker lost no page, the
#     records go on with no error; the guest, restarted on dst, finds every
#     record on dst's disk (gaps=0 bad=0, last >= the last acknowledged
#     before the migration).
#  2. From the CLI, dst -> src with --copy-storage-all: the same, with the
#     progress line showing the disk.
#  3. Bad input, each refused before anything is created on the
#     destination, the guest left running on its source: a pool named that
#     dst does not have (NO_STORAGE_POOL); a file already at the disk's path
#     on dst (VOLUME_EXISTS; with reuse-destination-disks the check passes);
#     no space in dst's pool (a 16 MiB tmpfs mounted over dst's images
#     directory, in dst's mount namespace only: NO_SPACE); a shareable disk
#     dst does not see (DISK_NOT_COPYABLE). Then copy-storage-pool naming a
#     directory pool of dst with another target path: the disk goes there
#     and the guest's running and persistent definitions on dst name its
#     new path; copied back into src's `local`, it takes its old path.
#  4. Cancels at random moments (seeded; the seed is printed) during the
#     disk copy and during the memory migration: the job ends CANCELLED, the
#     guest runs on src with its definition and file, dst has no guest and
#     no file left, and the records go on. The same after a failure: dst's
#     QEMU killed while the disk is mirrored (MIGRATION_FAILED).
#  5. With `tls`, over the testbed's TLS URIs, the disk stream (libvirt's
#     NBD connection, on its migration port range) is TLS after NBD's
#     STARTTLS, and the guest's disk records (their magic "KVMDSSEQ") never
#     cross the wire in clear; copied back without `tls`, the same capture
#     finds them: the check sees cleartext when it is there.
#  6. INCREMENTAL: a guest whose disk is a qcow2 overlay on a raw base
#     image is refused (DISK_NOT_COPYABLE) while dst lacks the base; with the
#     same base on dst, only the overlay is copied: dst gets a qcow2 on that
#     base, and a restart there finds every record.
#  7. The AUTO policy and a guest that writes its disk faster than it is
#     copied (diskwrite:25 against a 10 MiB/s link): the mirror does not
#     catch up, the policy switches it to synchronous writes (policy step
#     SYNC_DISK_WRITES), and the migration completes with every record; the
#     PRECOPY policy, which takes no such step, never gets to the memory
#     and ends at its completion timeout, the guest on src and nothing on
#     dst.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import random
import re
import shutil
import subprocess
import unittest

import gi
gi.require_version('Gio', '2.0')
gi.require_version('Kvmmig', '1.0')
from gi.repository import Gio, GLib, Kvmmig  # noqa: E402

import taprunner  # noqa: E402
import testbed  # noqa: E402
import test_tls  # noqa: E402  (its tcpdump capture and TLS record walk)

TB = testbed.load()
wait_until = testbed.wait_until
diskseq_progress = testbed.diskseq_progress
check_of = testbed.check_of
SRC, DST = TB.src_uri, TB.dst_uri
CLI = os.environ.get('KVMMIG_CLI', 'kvmmig')
FAULTS = testbed.Faults(TB)
POOL_DIR = '/var/lib/libvirt/images'
PID = os.getpid()


def local_dir(host):
    """A host's local pool directory, seen from the root namespace."""
    return TB.env.get('KVMMIG_%s_LOCAL_DIR' % host.upper(),
                      os.path.join(TB.env['KVMMIG_TESTBED_DIR'], 'run', 'hosts', host, 'lib',
                                   'images'))


def uri_of(host):
    return SRC if host == 'src' else DST


def other(host):
    return 'dst' if host == 'src' else 'src'


def virsh(host, *args, check=True):
    return testbed.sh('virsh', '-q', '-c', uri_of(host), *args, check=check)


def run_async(job, cancellable=None):
    """Runs job with run_async on a main loop of its own, so that its
    notifications (connected before) arrive: its error, or None."""
    loop = GLib.MainLoop()
    outcome = {}

    def done(job, result):
        try:
            job.run_finish(result)
        except GLib.Error as e:
            outcome['error'] = e
        loop.quit()

    job.run_async(cancellable, done)
    loop.run()
    return outcome.get('error')


def ns_of(host, *cmd):
    """Runs cmd in the mount namespace of the host's libvirtd."""
    return testbed.sh('nsenter', '-t', str(FAULTS.libvirtd_pid(host)), '-m', '--', *cmd)


class CopyStorageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = 'it-copy-%d' % PID
        subprocess.run([TB.script, 'guest', cls.name, '--on', 'src', '--memory', '256',
                        '--workload', 'dirty:64:20,diskseq', '--local-disk'],
                       check=True, capture_output=True)
        cls.file = cls.name + '.raw'
        cls.on = 'src'

    @classmethod
    def tearDownClass(cls):
        subprocess.run([TB.script, 'guest-rm', cls.name], capture_output=True)

    # -- what a user checks --------------------------------------------------

    def log(self, host):
        return TB.serial_log(self.name, host)

    def records_now(self, host):
        seq, errors = diskseq_progress(self.log(host))
        if seq >= 0:
            self.assertEqual(errors, 0, 'diskseq reports write errors on %s' % host)
        return seq

    def assert_records_go_on(self, host, after):
        self.assertTrue(wait_until(lambda: diskseq_progress(self.log(host))[0] > after + 2, 30),
                        'no new disk record on %s after %d' % (host, after))
        self.assertEqual(diskseq_progress(self.log(host))[1], 0)

    def assert_runs_on(self, host):
        self.assertEqual(testbed.domstate(TB, self.name, host), 'running')
        self.assertIsNone(testbed.domstate(TB, self.name, other(host)))
        self.assertTrue(os.path.exists(os.path.join(local_dir(host), self.file)))
        xml = virsh(host, 'dumpxml', self.name).stdout
        self.assertIn("<source file='%s/%s'" % (POOL_DIR, self.file), xml)

    def assert_nothing_on(self, host):
        self.assertIsNone(testbed.domstate(TB, self.name, host))
        self.assertFalse(os.path.exists(os.path.join(local_dir(host), self.file)),
                         '%s was left in %s' % (self.file, local_dir(host)))

    def assert_no_lost_pages(self, host):
        lost = testbed.lost_pages(lambda: self.log(host), self.log(other(host)))
        self.assertEqual(lost, 0, 'the memory checker lost %d pages' % lost)

    def assert_every_record_on_disk(self, host, last_before):
        """Restarts the guest on host: its diskseq scans host's disk."""
        boots = len(re.findall(r'KVMMIG-DISKSEQ boot ', self.log(host)))
        virsh(host, 'destroy', self.name)
        virsh(host, 'start', self.name)
        self.assertTrue(wait_until(lambda: len(re.findall(r'KVMMIG-DISKSEQ boot ',
                                                          self.log(host))) > boots, 120),
                        'the guest did not boot again on %s' % host)
        boot = re.findall(r'KVMMIG-DISKSEQ boot found=(\d+) last=(\d+) gaps=(\d+) bad=(\d+)',
                          self.log(host))[-1]
        found, last, gaps, bad = map(int, boot)
        print('# boot on %s: found=%d last=%d gaps=%d bad=%d (last acknowledged before the '
              'migration: %d)' % (host, found, last, gaps, bad, last_before), flush=True)
        self.assertEqual((gaps, bad), (0, 0))
        self.assertGreaterEqual(last, last_before)
        self.assertEqual(found, last)

    # -- tests -----------------------------------------------------------------

    def migrate_python(self, src, dst, **props):
        with Kvmmig.Host.new(uri_of(src)) as s, Kvmmig.Host.new(uri_of(dst)) as d:
            job = Kvmmig.MigrationJob.new(s, d, self.name)
            job.props.copy_storage = Kvmmig.StorageCopy.ALL
            job.props.bandwidth_limit = 100
            for key, value in props.items():
                job.set_property(key.replace('_', '-'), value)
            seen = {'disk_total': 0, 'disk_processed': 0}

            def on_notify(job, pspec):
                seen['disk_total'] = max(seen['disk_total'], job.props.disk_bytes_total)
                seen['disk_processed'] = max(seen['disk_processed'],
                                             job.props.disk_bytes_processed)

            job.connect('notify::disk-bytes-processed', on_notify)
            job.connect('notify::disk-bytes-total', on_notify)
            error = run_async(job)
            if error is not None:
                raise error
            return job, seen

    def test_1_python_copy_all(self):
        self.assertTrue(wait_until(lambda: self.records_now('src') > 3, 60))
        self.assert_runs_on('src')
        self.assert_nothing_on('dst')
        before = self.records_now('src')

        job, seen = self.migrate_python('src', 'dst', remove_source_disks=True)
        check = check_of(job, 'copy-storage')
        print('# copy-storage: %s' % check.props.message, flush=True)
        self.assertEqual(check.props.status, Kvmmig.CheckStatus.PASSED)
        self.assertIn("disk vda (%s/%s): copied to a new raw volume '%s' of pool 'local'"
                      % (POOL_DIR, self.file, self.file), check.props.message)
        self.assertEqual(job.props.state, Kvmmig.MigrationState.COMPLETED)
        # The disk is each host's own: no lock manager probe for it.
        locking = check_of(job, 'disk-locking')
        self.assertEqual(locking.props.status, Kvmmig.CheckStatus.PASSED)
        self.assertIn('no writable disk that both hosts share', locking.props.message)
        print('# disk figures: total %d, processed %d; downtime %d ms, total %d ms'
              % (seen['disk_total'], seen['disk_processed'], job.props.downtime_ms,
                 job.props.total_ms), flush=True)
        self.assertGreater(seen['disk_total'], 0)
        self.assertGreaterEqual(seen['disk_processed'], seen['disk_total'])

        self.assert_runs_on('dst')
        self.assert_nothing_on('src')     # remove-source-disks
        self.assert_no_lost_pages('dst')
        self.assert_records_go_on('dst', before)
        self.assert_every_record_on_disk('dst', before)

    def test_2_cli_copy_all(self):
        self.assertTrue(wait_until(lambda: self.records_now('dst') > 3, 60))
        before = self.records_now('dst')
        proc = subprocess.run([CLI, 'migrate', self.name, '--from', DST, '--to', SRC,
                               '--copy-storage-all', '--bandwidth', '100'],
                              capture_output=True, text=True, timeout=600)
        print('# kvmmig migrate: exit %d; %s' % (proc.returncode,
                                                 proc.stderr.strip().splitlines()[-1:]),
              flush=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout + proc.stderr, r'disk\s')
        self.assert_runs_on('src')
        # The source's copy stays without --remove-source-disks.
        self.assertTrue(os.path.exists(os.path.join(local_dir('dst'), self.file)))
        virsh('dst', 'vol-delete', '--pool', 'local', self.file)
        self.assert_no_lost_pages('src')
        self.assert_records_go_on('src', before)

    def refused(self, code, **props):
        """Runs a job src -> dst that must fail its checks with code."""
        with Kvmmig.Host.new(SRC) as s, Kvmmig.Host.new(DST) as d:
            job = Kvmmig.MigrationJob.new(s, d, self.name)
            job.props.copy_storage = Kvmmig.StorageCopy.ALL
            for key, value in props.items():
                job.set_property(key.replace('_', '-'), value)
            with self.assertRaises(GLib.Error) as cm:
                job.run(None)
            print('# %s: %s' % (Kvmmig.Error(code).value_nick, cm.exception.message),
                  flush=True)
            self.assertEqual(cm.exception.code, code)
            self.assertEqual(job.props.state, Kvmmig.MigrationState.FAILED)
            self.assertEqual(check_of(job, 'copy-storage').props.status,
                             Kvmmig.CheckStatus.FAILED)
            return cm.exception.message

    def test_3a_no_pool(self):
        self.assert_runs_on('src')
        msg = self.refused(Kvmmig.Error.NO_STORAGE_POOL, copy_storage_pool='nope')
        self.assertIn("no active storage pool 'nope'", msg)
        self.assert_runs_on('src')
        self.assert_nothing_on('dst')

    def test_3b_file_already_there(self):
        virsh('dst', 'vol-create-as', 'local', self.file, '64M', '--format', 'raw')
        try:
            msg = self.refused(Kvmmig.Error.VOLUME_EXISTS)
            self.assertIn('already has a file at %s/%s' % (POOL_DIR, self.file), msg)
            self.assert_runs_on('src')
            with Kvmmig.Host.new(SRC) as s, Kvmmig.Host.new(DST) as d:
                job = Kvmmig.MigrationJob.new(s, d, self.name)
                job.props.copy_storage = Kvmmig.StorageCopy.ALL
                job.props.reuse_destination_disks = True
                self.assertTrue(job.check(None))
                self.assertIn('copied over the file already at',
                              check_of(job, 'copy-storage').props.message)
        finally:
            virsh('dst', 'vol-delete', '--pool', 'local', self.file)
        self.assert_nothing_on('dst')

    def test_3c_no_space(self):
        # The guest's records fill less than 16 MiB: 32 MiB of data in the
        # second half of its disk (where diskseq, which writes from the
        # start, never reads) make it hold more. Random, not zeroes, which
        # the copy does not send: the cancels below need a disk copy that
        # takes a while.
        path = os.path.join(local_dir('src'), self.file)
        with open(path, 'r+b') as f:
            f.seek(32 * 1024 * 1024)
            f.write(os.urandom(32 * 1024 * 1024))
        ns_of('dst', 'mount', '-t', 'tmpfs', '-o', 'size=16M', 'kvmmig-small', POOL_DIR)
        try:
            virsh('dst', 'pool-refresh', 'local')
            msg = self.refused(Kvmmig.Error.NO_SPACE)
            m = re.search(r"pool 'local' of \S+ has ([\d.]+) MiB free; the disk holds "
                          r"([\d.]+) MiB", msg)
            self.assertIsNotNone(m, msg)
            self.assertLessEqual(float(m.group(1)), 16.0)
            self.assertGreaterEqual(float(m.group(2)), 32.0)
        finally:
            ns_of('dst', 'umount', POOL_DIR)
            virsh('dst', 'pool-refresh', 'local')
        self.assert_runs_on('src')
        self.assert_nothing_on('dst')

    def test_3d_disk_that_cannot_be_copied(self):
        shared = os.path.join(POOL_DIR, self.name + '-shareable.raw')
        virsh('src', 'vol-create-as', 'local', os.path.basename(shared), '8M', '--format', 'raw')
        xml = """<disk type='file' device='disk'>
  <driver name='qemu' type='raw' cache='none'/>
  <source file='%s'/>
  <target dev='vdb' bus='virtio'/>
  <shareable/>
</disk>""" % shared
        xml_path = '/tmp/kvmmig-copy-vdb-%d.xml' % PID
        with open(xml_path, 'w') as f:
            f.write(xml)
        try:
            virsh('src', 'attach-device', self.name, xml_path, '--live')
            msg = self.refused(Kvmmig.Error.DISK_NOT_COPYABLE)
            self.assertIn('disk vdb', msg)
            self.assertIn('shareable', msg)
        finally:
            virsh('src', 'detach-device', self.name, xml_path, '--live', check=False)
            wait_until(lambda: 'vdb' not in virsh('src', 'domblklist', self.name).stdout, 30)
            virsh('src', 'vol-delete', '--pool', 'local', os.path.basename(shared), check=False)
            os.unlink(xml_path)
        self.assert_runs_on('src')
        self.assert_nothing_on('dst')

    def test_3e_pool_with_another_path(self):
        """copy-storage-pool naming a directory pool with another target
        path: the disk is created there and the guest runs from it, its
        running and persistent definitions on dst naming the new path; and
        back to src's pool `local`, where the disk takes its old path."""
        other_dir = '/var/lib/libvirt/images-other'
        moved = os.path.join(other_dir, self.file)
        virsh('dst', 'pool-define-as', 'it-other', 'dir', '--target', other_dir)
        try:
            virsh('dst', 'pool-build', 'it-other')
            virsh('dst', 'pool-start', 'it-other')
            self.assertTrue(wait_until(lambda: self.records_now('src') > 3, 60))
            before = self.records_now('src')

            job, _ = self.migrate_python('src', 'dst', copy_storage_pool='it-other',
                                         remove_source_disks=True)
            check = check_of(job, 'copy-storage')
            print('# copy-storage: %s' % check.props.message, flush=True)
            self.assertIn("of pool 'it-other' there", check.props.message)
            self.assertIn('the guest runs there from %s' % moved, check.props.message)
            self.assertEqual(job.props.state, Kvmmig.MigrationState.COMPLETED)
            self.assertEqual(testbed.domstate(TB, self.name, 'dst'), 'running')
            self.assertIsNone(testbed.domstate(TB, self.name, 'src'))
            for flags in ((), ('--inactive',)):
                xml = virsh('dst', 'dumpxml', self.name, *flags).stdout
                self.assertIn("<source file='%s'" % moved, xml)
                self.assertNotIn("<source file='%s/%s'" % (POOL_DIR, self.file), xml)
            self.assertIn(moved, virsh('dst', 'vol-list', 'it-other').stdout)
            self.assertFalse(os.path.exists(os.path.join(local_dir('dst'), self.file)))
            self.assertFalse(os.path.exists(os.path.join(local_dir('src'), self.file)))
            self.assert_no_lost_pages('dst')
            self.assert_records_go_on('dst', before)

            before = self.records_now('dst')
            job, _ = self.migrate_python('dst', 'src', copy_storage_pool='local',
                                         remove_source_disks=True)
            self.assertEqual(job.props.state, Kvmmig.MigrationState.COMPLETED)
            self.assert_runs_on('src')
            self.assertIn("<source file='%s/%s'" % (POOL_DIR, self.file),
                          virsh('src', 'dumpxml', '--inactive', self.name).stdout)
            self.assertNotIn(self.file, virsh('dst', 'vol-list', 'it-other').stdout)
            self.assert_nothing_on('dst')
            self.assert_no_lost_pages('src')
            self.assert_records_go_on('src', before)
        finally:
            virsh('dst', 'pool-destroy', 'it-other', check=False)
            virsh('dst', 'pool-delete', 'it-other', check=False)
            virsh('dst', 'pool-undefine', 'it-other', check=False)

    def cancel_at(self, phase, seed):
        """Cancels a migration src -> dst at a random moment of phase
        ('disk': while the disk is mirrored; 'memory': once memory goes)."""
        rng = random.Random(seed)
        before = self.records_now('src')
        with Kvmmig.Host.new(SRC) as s, Kvmmig.Host.new(DST) as d:
            job = Kvmmig.MigrationJob.new(s, d, self.name)
            job.props.copy_storage = Kvmmig.StorageCopy.ALL
            job.props.bandwidth_limit = 10   # the disk's data (32 MiB) takes about 3 s
            cancellable = Gio.Cancellable()
            fraction = rng.uniform(0.1, 0.8)
            state = {'cancelled_at': None}

            def on_notify(job, pspec):
                if state['cancelled_at'] is not None:
                    return
                total = job.props.disk_bytes_total
                if phase == 'disk' and total > 0 and job.props.iteration == 0 and \
                        job.props.disk_bytes_processed >= fraction * total:
                    state['cancelled_at'] = 'disk %.0f %%' % (100.0 * job.props.disk_bytes_processed
                                                               / total)
                elif phase == 'memory' and job.props.iteration >= 1 and \
                        job.props.progress >= fraction * 0.9:
                    state['cancelled_at'] = 'memory pass %d, progress %.2f' % (
                        job.props.iteration, job.props.progress)
                if state['cancelled_at'] is not None:
                    cancellable.cancel()

            job.connect('notify', on_notify)
            outcome = {}
            error = run_async(job, cancellable)
            if error is not None:
                outcome['error'] = error
            print('# cancel %s (seed %d, aimed at %.0f %%): at %s; %s'
                  % (phase, seed, 100 * fraction, state['cancelled_at'], outcome.get('error')),
                  flush=True)
            self.assertIsNotNone(state['cancelled_at'], 'the %s phase was never seen' % phase)
            self.assertIn('error', outcome, 'the migration completed')
            self.assertTrue(outcome['error'].matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED))
            self.assertEqual(job.props.state, Kvmmig.MigrationState.CANCELLED)
            self.assertEqual(job.props.guest_location, Kvmmig.GuestLocation.SOURCE)
        self.assert_runs_on('src')
        self.assertTrue(wait_until(lambda: testbed.domstate(TB, self.name, 'dst') is None, 30))
        self.assert_nothing_on('dst')
        self.assert_records_go_on('src', before)

    def test_4c_destination_dies_during_disk_copy(self):
        """A failure, not a cancel: dst's QEMU killed while the disk is
        mirrored. The job fails, the guest stays on src, and the volume the
        job created on dst goes."""
        before = self.records_now('src')
        with Kvmmig.Host.new(SRC) as s, Kvmmig.Host.new(DST) as d:
            job = Kvmmig.MigrationJob.new(s, d, self.name)
            job.props.copy_storage = Kvmmig.StorageCopy.ALL
            job.props.bandwidth_limit = 10
            state = {'killed': None}
            outcome = {}

            def on_notify(job, pspec):
                if state['killed'] is None and job.props.disk_bytes_processed > 0 and \
                        job.props.iteration == 0:
                    pid = FAULTS.qemu_pid(self.name, 'dst')
                    if pid is not None:
                        FAULTS.kill(pid)
                        state['killed'] = '%d of %d disk bytes' % (
                            job.props.disk_bytes_processed, job.props.disk_bytes_total)

            job.connect('notify', on_notify)
            error = run_async(job)
            if error is not None:
                outcome['error'] = error
            print('# dst QEMU killed at %s: %s' % (state['killed'], outcome.get('error')),
                  flush=True)
            self.assertIsNotNone(state['killed'])
            self.assertIn('error', outcome)
            self.assertEqual(outcome['error'].code, Kvmmig.Error.MIGRATION_FAILED)
            self.assertEqual(job.props.guest_location, Kvmmig.GuestLocation.SOURCE)
        self.assert_runs_on('src')
        self.assertTrue(wait_until(lambda: testbed.domstate(TB, self.name, 'dst') is None, 30))
        self.assert_nothing_on('dst')
        self.assert_records_go_on('src', before)

    def test_4a_cancel_during_disk_copy(self):
        seed = int(os.environ.get('KVMMIG_TEST_SEED', PID))
        for i in range(2):
            self.cancel_at('disk', seed + i)

    def test_4b_cancel_during_memory(self):
        seed = int(os.environ.get('KVMMIG_TEST_SEED', PID))
        for i in range(2):
            self.cancel_at('memory', seed + 100 + i)
        self.assert_no_lost_pages('src')

    @unittest.skipUnless(shutil.which('tcpdump'), 'tcpdump is not installed (tests/install-deps)')
    @unittest.skipUnless(test_tls.TLS_ON, test_tls.NO_TLS)
    def test_5_disk_stream_under_tls(self):
        self.assertTrue(wait_until(lambda: self.records_now('src') > 3, 60))
        ports = 'portrange 49152-49215'   # libvirt's migration ports: its NBD server
        for host, src, dst, tls in (('dst', test_tls.SRC_TLS, test_tls.DST_TLS, True),
                                    ('src', DST, SRC, False)):
            cap = test_tls.Capture(host, ports)
            try:
                with Kvmmig.Host.new(src) as s, Kvmmig.Host.new(dst) as d:
                    job = Kvmmig.MigrationJob.new(s, d, self.name)
                    job.props.copy_storage = Kvmmig.StorageCopy.ALL
                    job.props.tls = tls
                    job.props.bandwidth_limit = 100
                    job.run(None)
            finally:
                cap.stop()
            self.assert_runs_on(host)
            virsh(other(host), 'vol-delete', '--pool', 'local', self.file)
            addr = TB.env['KVMMIG_%s_ADDR' % host.upper()]
            # The NBD connection: the one whose server (on host) greets
            # with NBD's magic; the bytes the source sent on it.
            nbd = [key for key, (stream, _) in cap.flows.items()
                   if key[0] == addr and stream.startswith(b'NBDMAGIC')]
            self.assertEqual(len(nbd), 1, 'NBD connections seen: %s' % list(cap.flows))
            server = nbd[0]
            sent = cap.flows[(server[2], server[3], server[0], server[1])][0]
            wire = b''.join(stream for key, (stream, _) in cap.flows.items() if key[2] == addr)
            start = sent.find(b'\x16\x03')
            covered, types, _ = test_tls.tls_walk(sent[start:]) if start >= 0 else (0, {}, b'')
            print('# %s copy to %s: NBD stream %d bytes, TLS from byte %d over %d bytes %s; '
                  'records in clear: %s' % ('TLS' if tls else 'plain', host, len(sent), start,
                                            covered, types, b'KVMDSSEQ' in wire), flush=True)
            self.assertGreater(len(sent), 16 * 1024, 'the disk stream is missing')
            if tls:
                self.assertGreaterEqual(start, 0, 'no TLS handshake on the NBD connection')
                self.assertLess(start, 512, 'TLS starts late: %r' % sent[:start])
                self.assertGreater(types.get(23, 0), 10)
                self.assertNotIn(b'KVMDSSEQ', wire)
            else:
                self.assertIn(b'KVMDSSEQ', sent)
            cap.remove()
        self.assert_records_go_on('src', self.records_now('src'))


class IncrementalCopyTest(unittest.TestCase):
    """copy-storage INCREMENTAL (test 6 of the header)."""

    def setUp(self):
        self.name = 'it-inc-%d' % PID
        self.base = 'it-inc-base-%d.raw' % PID
        self.top = self.name + '.qcow2'
        virsh('src', 'vol-create-as', 'local', self.base, '64M', '--format', 'raw')
        virsh('src', 'vol-create-as', 'local', self.top, '64M', '--format', 'qcow2',
              '--backing-vol', os.path.join(POOL_DIR, self.base), '--backing-vol-format', 'raw')
        xml = '/tmp/kvmmig-inc-%d.xml' % PID
        with open(xml, 'w') as f:
            f.write(testbed.file_disk_guest_xml(TB, self.name, os.path.join(POOL_DIR, self.top),
                                                memory=256, fmt='qcow2', workload='diskseq'))
        for host in ('src', 'dst'):
            path = os.path.join(TB.env['KVMMIG_%s_LOGDIR' % host.upper()],
                                self.name + '-serial.log')
            if os.path.exists(path):
                os.unlink(path)
        virsh('src', 'define', xml)
        os.unlink(xml)
        virsh('src', 'start', self.name)

    def tearDown(self):
        for host in ('src', 'dst'):
            virsh(host, 'destroy', self.name, check=False)
            virsh(host, 'undefine', self.name, check=False)
            for vol in (self.top, self.base):
                virsh(host, 'vol-delete', '--pool', 'local', vol, check=False)

    def log(self, host):
        return TB.serial_log(self.name, host)

    def run_job(self):
        """Runs an INCREMENTAL job src -> dst: (the job, its error or None)."""
        with Kvmmig.Host.new(SRC) as s, Kvmmig.Host.new(DST) as d:
            job = Kvmmig.MigrationJob.new(s, d, self.name)
            job.props.copy_storage = Kvmmig.StorageCopy.INCREMENTAL
            job.props.bandwidth_limit = 100
            try:
                job.run(None)
            except GLib.Error as e:
                return job, e
            return job, None

    def test_6_incremental(self):
        self.assertTrue(wait_until(lambda: diskseq_progress(self.log('src'))[0] > 3, 90),
                        'no disk record on src')

        # dst lacks the base image.
        job, error = self.run_job()
        self.assertIsNotNone(error)
        print('# without the base on dst: %s' % error.message, flush=True)
        self.assertEqual(error.code, Kvmmig.Error.DISK_NOT_COPYABLE)
        self.assertIn('backing image %s' % os.path.join(POOL_DIR, self.base), error.message)
        self.assertEqual(testbed.domstate(TB, self.name, 'src'), 'running')
        self.assertFalse(os.path.exists(os.path.join(local_dir('dst'), self.top)))

        # The same base on dst (both are empty: the same content).
        virsh('dst', 'vol-create-as', 'local', self.base, '64M', '--format', 'raw')
        before = diskseq_progress(self.log('src'))[0]
        job, error = self.run_job()
        self.assertIsNone(error)
        check = check_of(job, 'copy-storage')
        print('# copy-storage: %s' % check.props.message, flush=True)
        self.assertIn("copied to a new qcow2 volume '%s' of pool 'local' there" % self.top,
                      check.props.message)
        self.assertIn('on backing image %s' % os.path.join(POOL_DIR, self.base),
                      check.props.message)
        self.assertEqual(testbed.domstate(TB, self.name, 'dst'), 'running')
        self.assertIsNone(testbed.domstate(TB, self.name, 'src'))
        info = testbed.sh('qemu-img', 'info', '-U', '--output=json',
                          os.path.join(local_dir('dst'), self.top)).stdout
        self.assertIn('"format": "qcow2"', info)
        self.assertIn('"backing-filename": "%s"' % os.path.join(POOL_DIR, self.base), info)
        self.assertTrue(wait_until(lambda: diskseq_progress(self.log('dst'))[0] > before + 2,
                                   30))
        self.assertEqual(diskseq_progress(self.log('dst'))[1], 0)

        # A restart on dst reads dst's overlay over dst's base.
        last = diskseq_progress(self.log('dst'))[0]
        virsh('dst', 'destroy', self.name)
        virsh('dst', 'start', self.name)
        self.assertTrue(wait_until(lambda: len(re.findall(r'KVMMIG-DISKSEQ boot ',
                                                          self.log('dst'))) >= 1, 120))
        found, last_found, gaps, bad = map(int, re.findall(
            r'KVMMIG-DISKSEQ boot found=(\d+) last=(\d+) gaps=(\d+) bad=(\d+)',
            self.log('dst'))[-1])
        print('# boot on dst: found=%d last=%d gaps=%d bad=%d (last acknowledged %d)'
              % (found, last_found, gaps, bad, last), flush=True)
        self.assertEqual((gaps, bad), (0, 0))
        self.assertGreaterEqual(last_found, last)


class DiskPolicyTest(unittest.TestCase):
    """The AUTO policy's SYNC_DISK_WRITES step (test 7 of the header)."""

    @classmethod
    def setUpClass(cls):
        cls.name = 'it-dpol-%d' % PID
        cls.file = cls.name + '.raw'
        proc = subprocess.run([TB.script, 'guest', cls.name, '--on', 'src', '--memory', '128',
                               '--workload', 'diskseq,diskwrite:25', '--local-disk',
                               '--disk-size', '128'], capture_output=True, text=True)
        if proc.returncode != 0:
            raise AssertionError('kvmmig-testbed guest: %s' % proc.stderr.strip())

    @classmethod
    def tearDownClass(cls):
        subprocess.run([TB.script, 'guest-rm', cls.name], capture_output=True)

    def log(self, host):
        return TB.serial_log(self.name, host)

    def run_job(self, policy, timeout_ms=0):
        steps = []
        with Kvmmig.Host.new(SRC) as s, Kvmmig.Host.new(DST) as d:
            job = Kvmmig.MigrationJob.new(s, d, self.name)
            job.props.copy_storage = Kvmmig.StorageCopy.ALL
            job.props.policy = policy
            job.props.bandwidth_limit = 10
            if timeout_ms:
                job.props.completion_timeout_ms = timeout_ms
            job.connect('policy-step', lambda job, step: steps.append(step))
            error = run_async(job)
            for step in steps:
                print('# %s step at %.1f s: %s (%s)' % (
                    policy.value_nick, step.props.elapsed_ms / 1000.0, step.props.description,
                    'applied' if step.props.applied else 'not applied'), flush=True)
            return job, steps, error

    def rate(self, host):
        lines = re.findall(r'KVMMIG-DISKWRITE progress mib=\d+ rate=([\d.]+) errors=(\d+)',
                           self.log(host))
        return lines

    def test_7a_precopy_never_gets_to_the_memory(self):
        self.assertTrue(wait_until(lambda: len(self.rate('src')) >= 3, 60),
                        'the guest does not write its disk (diskwrite)')
        job, steps, error = self.run_job(Kvmmig.MigrationPolicy.PRECOPY, timeout_ms=25000)
        self.assertIsNotNone(error, 'the migration completed without help')
        print('# precopy: %s' % error.message, flush=True)
        self.assertEqual(error.code, Kvmmig.Error.TIMEOUT)
        self.assertEqual(job.props.iteration, 0, 'the memory started')
        self.assertNotIn(Kvmmig.PolicyAction.SYNC_DISK_WRITES, [s.props.action for s in steps])
        self.assertEqual(testbed.domstate(TB, self.name, 'src'), 'running')
        self.assertTrue(wait_until(lambda: testbed.domstate(TB, self.name, 'dst') is None, 30))
        self.assertFalse(os.path.exists(os.path.join(local_dir('dst'), self.file)))

    def test_7b_auto_switches_to_synchronous_writes(self):
        before = diskseq_progress(self.log('src'))[0]
        job, steps, error = self.run_job(Kvmmig.MigrationPolicy.AUTO)
        self.assertIsNone(error, error and error.message)
        sync = [s for s in steps if s.props.action == Kvmmig.PolicyAction.SYNC_DISK_WRITES]
        self.assertEqual(len(sync), 1)
        self.assertTrue(sync[0].props.applied)
        self.assertEqual(sync[0].props.value, 1)    # one disk, one mirror
        self.assertIn('not shrinking', sync[0].props.description)
        print('# auto: %.1f s, downtime %d ms' % (job.props.total_ms / 1000.0,
                                                 job.props.downtime_ms), flush=True)
        self.assertEqual(testbed.domstate(TB, self.name, 'dst'), 'running')
        self.assertIsNone(testbed.domstate(TB, self.name, 'src'))
        self.assertTrue(wait_until(lambda: diskseq_progress(self.log('dst'))[0] > before + 2,
                                   30))
        self.assertEqual(diskseq_progress(self.log('dst'))[1], 0)
        self.assertTrue(wait_until(lambda: len(self.rate('dst')) >= 2, 30))
        self.assertEqual([e for _, e in self.rate('dst')][-1], '0')


if __name__ == '__main__':
    taprunner.main()
