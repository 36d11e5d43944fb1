#!/usr/bin/python3
# test_tls.py: TLS on the testbed, through the library (issue 8, "Security").
#
#  1. A migration with the job's `tls` option, over the testbed's qemu+tls://
#     URIs, succeeds, and the stream really is TLS: tcpdump on the
#     destination's veth records it (on a migration port of the test's own),
#     and it is TLS records from its first byte (a ClientHello) to its last,
#     with none of the markers of a plain QEMU migration stream in it
#     ("QEVM" and its version, the RAM block "pc.ram", the guest's own
#     "KVMMIG-GUEST" strings). A plain migration back, captured the same way,
#     shows all three: the check does see cleartext when it is there. Then
#     the kvmmig command migrates over TLS with --json.
#  2. With a certificate of another CA on the destination, for QEMU's
#     migration stream only and then for its libvirtd too, the migration
#     fails closed: KVMMIG_ERROR_MIGRATION_FAILED naming the certificate
#     problem, the guest running (not paused) on the source and absent on the
#     destination; a new connection to the destination over TLS is refused;
#     `kvmmig-testbed tls-fix dst`, and the migration succeeds.
#  3. TLS asked for where the destination has no certificates
#     (`tls-break dst --missing`; on a testbed without TLS, its plain hosts):
#     KVMMIG_ERROR_MIGRATION_FAILED, the guest stays on the source.
#  4. No credential leaks: every migration above runs in a child process
#     with G_MESSAGES_DEBUG=all and LIBVIRT_DEBUG unset; nothing the child
#     or the kvmmig command printed, no error message, and neither host's
#     libvirtd.log nor the guests' QEMU logs holds a line of any private key
#     the testbed issued, the key files' contents in base64, or a PEM
#     "PRIVATE KEY" header.
#
# Needs the testbed with TLS (a fresh `kvmmig-testbed up`, or `tls-setup`);
# without it, only test 3 runs, against the plain hosts.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import base64
import fcntl
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import unittest

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig  # noqa: E402

HERE = os.path.abspath(__file__)


# -- the child: one library call, everything it prints captured ---------------

def _nick(enum_type, value):
    try:
        return enum_type(value).value_nick
    except (ValueError, TypeError):
        return str(value)


def child_main(spec):
    """Runs spec['action'] ('migrate' or 'open') and prints one line
    'RESULT {json}' on stdout (GLib prints debug messages there too)."""
    out = {'ok': False, 'error': None}

    def error_of(e):
        code = _nick(Kvmmig.Error, e.code) if e.domain == 'kvmmig-error-quark' else e.code
        return {'domain': e.domain, 'code': code, 'message': e.message}

    try:
        if spec['action'] == 'open':
            host = Kvmmig.Host.new(spec['uri'])
            host.open(None)
            out['ok'] = True
            host.close()
        else:
            src = Kvmmig.Host.new(spec['src'])
            dst = Kvmmig.Host.new(spec['dst'])
            src.open(None)
            dst.open(None)
            if spec.get('ready'):
                # Connections are open: the parent may now change things.
                open(spec['ready'], 'w').close()
                deadline = time.monotonic() + 120
                while not os.path.exists(spec['go']) and time.monotonic() < deadline:
                    time.sleep(0.1)
            job = Kvmmig.MigrationJob.new(src, dst, spec['guest'])
            job.props.tls = spec.get('tls', False)
            if spec.get('migration_uri'):
                job.props.migration_uri = spec['migration_uri']
            if spec.get('bandwidth'):
                job.props.bandwidth_limit = spec['bandwidth']
            try:
                out['ok'] = job.run(None)
            finally:
                out['state'] = _nick(Kvmmig.MigrationState, job.props.state)
                out['location'] = _nick(Kvmmig.GuestLocation, job.props.guest_location)
                out['bytes_processed'] = job.props.bytes_processed
                src.close()
                dst.close()
    except GLib.Error as e:
        out['error'] = error_of(e)
    print('RESULT ' + json.dumps(out), flush=True)
    return 0


if __name__ == '__main__' and sys.argv[1:2] == ['--child']:
    sys.exit(child_main(json.loads(sys.argv[2])))


import taprunner  # noqa: E402
import testbed  # noqa: E402

TB = testbed.load()
ENV = TB.env
TLS_ON = ENV.get('KVMMIG_TLS') == 'on'
NO_TLS = ('TLS is not on on this testbed (it was brought up by an older kvmmig-testbed): '
          'run `kvmmig-testbed tls-setup`, which restarts each libvirtd that has no guest, '
          'or bring the testbed up afresh')
SRC, DST = ENV['KVMMIG_SRC_URI'], ENV['KVMMIG_DST_URI']
SRC_TLS, DST_TLS = ENV.get('KVMMIG_SRC_TLS_URI'), ENV.get('KVMMIG_DST_TLS_URI')
TLS_DIR = ENV.get('KVMMIG_TLS_DIR', '')
# A migration port of this test's own, outside libvirt's 49152-49215, so that
# the capture holds this test's stream and no one else's.
PORT = 49400 + os.getpid() % 500

# Everything the children and the kvmmig command printed, for test 4.
OUTPUTS = []
# Lines of every private key the testbed issued while this test ran.
SECRETS = {}


def log(msg):
    for line in str(msg).splitlines():
        print('# ' + line, flush=True)


def sh(*cmd, check=True, timeout=180):
    return subprocess.run(list(cmd), capture_output=True, text=True, check=check,
                          timeout=timeout)


def tb(*args, check=True):
    r = sh(TB.script, *args, check=False)
    if check and r.returncode != 0:
        raise AssertionError('kvmmig-testbed %s failed (%d): %s%s' % (
            ' '.join(args), r.returncode, r.stdout, r.stderr))
    return r


def child_env():
    env = dict(os.environ)
    env['G_MESSAGES_DEBUG'] = 'all'
    for var in ('LIBVIRT_DEBUG', 'LIBVIRT_LOG_OUTPUTS', 'LIBVIRT_LOG_FILTERS'):
        env.pop(var, None)
    return env


def run_child(label, spec, between=None):
    """Runs the library in a child process (see child_main); `between()`
    runs once the child has opened both hosts and before its job starts.
    Returns the child's result; keeps what it printed in OUTPUTS."""
    with tempfile.TemporaryDirectory() as tmp:
        if between:
            spec = dict(spec, ready=os.path.join(tmp, 'ready'), go=os.path.join(tmp, 'go'))
        out_path, err_path = os.path.join(tmp, 'stdout'), os.path.join(tmp, 'stderr')
        with open(out_path, 'w') as out, open(err_path, 'w') as err:
            p = subprocess.Popen([sys.executable, HERE, '--child', json.dumps(spec)],
                                 stdout=out, stderr=err, env=child_env())
            if between:
                deadline = time.monotonic() + 120
                while not os.path.exists(spec['ready']):
                    if p.poll() is not None or time.monotonic() > deadline:
                        break
                    time.sleep(0.1)
                try:
                    between()
                finally:
                    open(spec['go'], 'w').close()
            rc = p.wait(timeout=600)
        with open(out_path, errors='replace') as f:
            stdout = f.read()
        with open(err_path, errors='replace') as f:
            stderr = f.read()
    OUTPUTS.append((label, stdout + stderr))
    results = [line[7:] for line in stdout.splitlines() if line.startswith('RESULT ')]
    if rc != 0 or len(results) != 1:
        raise AssertionError('child %s exited %d without a result:\n%s\n%s' % (
            label, rc, stdout[-3000:], stderr[-3000:]))
    result = json.loads(results[0])
    if result.get('error'):
        OUTPUTS.append((label + ' (error message)', result['error']['message']))
    n_debug = sum(1 for line in (stdout + stderr).splitlines() if 'DEBUG' in line)
    log('%s: %s (%d debug lines)' % (label, json.dumps(result), n_debug))
    return result


def migrate(label, guest, src, dst, tls=True, **kw):
    return run_child(label, dict(action='migrate', src=src, dst=dst, guest=guest, tls=tls, **kw))


def domstate(name, host):
    return testbed.domstate_at(SRC if host == 'src' else DST, name)


def collect_secrets():
    """Remembers every private key under the testbed's TLS directory now
    (tls-break and tls-fix replace them)."""
    for root, _, files in os.walk(TLS_DIR):
        for f in files:
            path = os.path.join(root, f)
            if not f.endswith('key.pem') or os.path.islink(path):
                continue
            with open(path, 'rb') as fh:
                data = fh.read()
            markers = set()
            for line in data.decode('ascii', 'replace').splitlines():
                if len(line) >= 40 and not line.startswith('-----'):
                    markers.add(line)
            b64 = base64.b64encode(data).decode()
            markers.update({b64[:60], b64[len(b64) // 2:len(b64) // 2 + 60]})
            SECRETS.setdefault(path, set()).update(markers)


def leaks(text):
    """The keys whose material appears in text."""
    found = [path for path, markers in SECRETS.items() if any(m in text for m in markers)]
    if 'PRIVATE KEY' in text:
        found.append('a PEM "PRIVATE KEY" header')
    return found


# -- a packet capture of one migration stream ---------------------------------

class Capture:
    """tcpdump on a host's veth in the root namespace, of the TCP stream on
    `port` of that host (`port` may be a pcap expression, such as
    'portrange 49152-49215 or port 49400', for test_copy_storage.py)."""

    def __init__(self, host, port):
        self.dir = tempfile.mkdtemp(prefix='kvmmig-tls-')
        self.path = os.path.join(self.dir, 'migration.pcap')
        addr = ENV['KVMMIG_%s_ADDR' % host.upper()]
        self.proc = subprocess.Popen(
            ['tcpdump', '-i', 'kvmmig0-' + host, '-n', '-s', '0', '-B', '32768', '-U', '-Z', 'root',
             '-w', self.path, 'tcp and host %s and (%s)' % (
                 addr, port if isinstance(port, str) else 'port %d' % port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        said = ''
        while 'listening on' not in said:         # "listening on kvmmig0-dst, link-type ..."
            line = self.proc.stderr.readline()
            if not line:
                raise AssertionError('tcpdump did not start: ' + said)
            said += line

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        self.stats = self.proc.stderr.read()
        self.proc.wait(timeout=30)
        m = [int(w.split()[0]) for w in self.stats.splitlines() if 'dropped by kernel' in w]
        self.dropped = m[0] if m else -1
        self.flows = read_pcap(self.path)
        return self

    def remove(self):
        for f in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, f))
        os.rmdir(self.dir)


def read_pcap(path):
    """{(src, sport, dst, dport): (bytes of the stream in order, gaps)}"""
    with open(path, 'rb') as f:
        data = f.read()
    magic = data[:4]
    endian = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    linktype = struct.unpack(endian + 'I', data[20:24])[0]
    if linktype != 1:
        raise AssertionError('unexpected link type %d in %s' % (linktype, path))
    segments = {}
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(endian + 'I', data[off + 8:off + 12])[0]
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if pkt[12:14] != b'\x08\x00':
            continue
        ip = pkt[14:]
        ihl = (ip[0] & 0x0f) * 4
        if ip[9] != 6:
            continue
        total = struct.unpack('>H', ip[2:4])[0] or len(ip)
        tcp = ip[ihl:total]
        sport, dport, seq = struct.unpack('>HHI', tcp[:8])
        doff = (tcp[12] >> 4) * 4
        key = ('.'.join(map(str, ip[12:16])), sport, '.'.join(map(str, ip[16:20])), dport)
        segments.setdefault(key, []).append((seq, tcp[13], tcp[doff:]))
    flows = {}
    for key, segs in segments.items():
        syn = [seq for seq, flags, _ in segs if flags & 0x02]
        isn = (syn[0] + 1) if syn else min(seq for seq, _, _ in segs)
        ordered = sorted(((seq - isn) % 2**32, payload) for seq, _, payload in segs if payload)
        stream, gaps = bytearray(), 0
        for rel, payload in ordered:
            if rel > len(stream):
                gaps += 1
                stream += b'\0' * (rel - len(stream))
            if rel + len(payload) > len(stream):
                stream += payload[len(stream) - rel:]
        flows[key] = (bytes(stream), gaps)
    return flows


def tls_walk(stream):
    """Walks TLS records from the start of a stream: (bytes covered by
    well-formed records, {content type: count}, first bytes not a record)."""
    i, types = 0, {}
    while i + 5 <= len(stream):
        ctype, major, minor = stream[i], stream[i + 1], stream[i + 2]
        length = struct.unpack('>H', stream[i + 3:i + 5])[0]
        if ctype not in (20, 21, 22, 23) or major != 3 or minor > 4 or length > 16384 + 2048:
            return i, types, stream[i:i + 16]
        types[ctype] = types.get(ctype, 0) + 1
        i += 5 + length
    return min(i, len(stream)), types, b''


# The plain stream's markers: QEMU's file magic and version 3, the RAM block's
# name, and strings of the guest's own programs (in its memory).
MARKERS = (b'QEVM\x00\x00\x00\x03', b'pc.ram', b'KVMMIG-GUEST')


class TlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # One run of this test at a time (it breaks the destination's
        # certificates); the lock is in the testbed's state, gone with it.
        cls.lock = open(os.path.join(ENV['KVMMIG_TESTBED_DIR'], 'run', 'tls-test.lock'), 'w')
        fcntl.flock(cls.lock, fcntl.LOCK_EX)
        if TLS_ON:
            collect_secrets()

    @classmethod
    def tearDownClass(cls):
        cls.lock.close()

    def setUp(self):
        self.guests = []

    def tearDown(self):
        if TLS_ON and os.path.exists(os.path.join(TLS_DIR, 'broken-dst')):
            tb('tls-fix', 'dst', check=False)
            collect_secrets()
        for name in self.guests:
            tb('guest-rm', name, check=False)

    def guest(self, base):
        name = 'tls-%s-%d' % (base, os.getpid())
        self.guests.append(name)
        tb('guest', name, '--on', 'src')
        return name

    def break_dst(self, *args):
        tb('tls-break', 'dst', *args)
        collect_secrets()

    def assert_on_source(self, name, result, expect_in_message):
        self.assertFalse(result['ok'])
        err = result['error']
        self.assertEqual(err['domain'], 'kvmmig-error-quark')
        self.assertEqual(err['code'], 'migration-failed', err['message'])
        for words in expect_in_message:
            self.assertIn(words, err['message'])
        self.assertIn('the guest runs on the source', err['message'])
        self.assertEqual(result['location'], 'source')
        self.assertEqual(result['state'], 'failed')
        self.assertEqual(domstate(name, 'src'), 'running')       # and not paused
        self.assertIsNone(domstate(name, 'dst'))                 # not even defined there
        beat = TB.last_heartbeat(name, 'src')
        self.assertGreater(TB.wait_heartbeat(name, 'src', beat), beat)

    def assert_moved(self, name, result, to='dst'):
        self.assertTrue(result['ok'], result)
        self.assertEqual(result['location'], 'destination')
        self.assertEqual(domstate(name, to), 'running')
        self.assertIsNone(domstate(name, 'src' if to == 'dst' else 'dst'))
        beat = TB.last_heartbeat(name, 'src' if to == 'dst' else 'dst')
        self.assertGreater(TB.wait_heartbeat(name, to, beat), beat)

    @unittest.skipUnless(TLS_ON, NO_TLS)
    @unittest.skipUnless(shutil.which('tcpdump'), 'tcpdump is not installed (tests/install-deps)')
    def test_1_tls_migration_is_encrypted(self):
        name = self.guest('enc')

        # Over TLS, captured on dst's veth.
        cap = Capture('dst', PORT)
        try:
            r = migrate('tls src->dst', name, SRC_TLS, DST_TLS, tls=True, bandwidth=40,
                        migration_uri='tcp://%s:%d' % (ENV['KVMMIG_DST_ADDR'], PORT))
        finally:
            cap.stop()
        self.assert_moved(name, r)
        log('capture: %s' % ' '.join(cap.stats.split()))
        self.assertTrue(cap.flows, 'tcpdump saw no migration stream on port %d' % PORT)
        to_dst = {k: v for k, v in cap.flows.items() if k[3] == PORT}
        from_dst = {k: v for k, v in cap.flows.items() if k[1] == PORT}
        self.assertTrue(to_dst and from_dst)
        sent = 0
        for key, (stream, gaps) in to_dst.items():
            covered, types, bad = tls_walk(stream)
            log('%s:%d -> %s:%d: %d bytes, %d gaps, TLS records over %d bytes %s%s' % (
                key + (len(stream), gaps, covered, types, ' then %r' % bad if bad else '')))
            # A TLS handshake record holding a ClientHello, from the first byte.
            self.assertEqual(stream[:2], b'\x16\x03')
            self.assertEqual(stream[5], 1)
            self.assertGreater(types.get(23, 0), 100)       # application data
            if cap.dropped == 0 and gaps == 0:
                self.assertEqual(covered, len(stream), 'bytes outside TLS records')
            sent += len(stream)
        for key, (stream, gaps) in from_dst.items():
            self.assertEqual(stream[:2], b'\x16\x03')
            self.assertEqual(stream[5], 2)                  # ServerHello
        self.assertGreater(sent, r['bytes_processed'] // 2)
        for key, (stream, _) in cap.flows.items():
            for m in MARKERS:
                self.assertNotIn(m, stream, 'cleartext %r in the TLS stream %s' % (m, key))
        cap.remove()

        # Back without TLS, captured the same way on src's veth: the same
        # analysis finds the plain stream's markers.
        cap = Capture('src', PORT + 1)
        try:
            r = migrate('plain dst->src', name, DST, SRC, tls=False, bandwidth=40,
                        migration_uri='tcp://%s:%d' % (ENV['KVMMIG_SRC_ADDR'], PORT + 1))
        finally:
            cap.stop()
        self.assert_moved(name, r, to='src')
        plain = b''.join(stream for k, (stream, _) in cap.flows.items() if k[3] == PORT + 1)
        self.assertTrue(plain.startswith(b'QEVM\x00\x00\x00\x03'))
        for m in MARKERS:
            self.assertIn(m, plain, 'the plain stream should show %r' % m)
        self.assertEqual(tls_walk(plain)[0], 0)
        cap.remove()

        # The kvmmig command, over TLS, with --json.
        cli = os.environ.get('KVMMIG_CLI')
        if not cli or not os.path.exists(cli):
            log('KVMMIG_CLI not set: kvmmig --tls --json not run')
            return
        p = subprocess.run([cli, 'migrate', name, '--from', SRC_TLS, '--to', DST_TLS, '--tls',
                            '--json'], capture_output=True, text=True, env=child_env(),
                           timeout=300)
        OUTPUTS.append(('kvmmig migrate --tls --json', p.stdout + p.stderr))
        self.assertEqual(p.returncode, 0, p.stdout[-2000:] + p.stderr[-2000:])
        last = json.loads([line for line in p.stdout.splitlines() if line.startswith('{')][-1])
        log('kvmmig migrate --tls --json: %s' % json.dumps(last))
        self.assertEqual(last['type'], 'result')
        self.assertEqual(domstate(name, 'dst'), 'running')
        self.assertEqual(leaks(p.stdout + p.stderr), [])

    @unittest.skipUnless(TLS_ON, NO_TLS)
    def test_2_wrong_certificate_fails_closed(self):
        name = self.guest('bad')

        # dst's QEMU has a certificate of another CA (and trusts only that
        # CA); libvirt's TLS connections are fine.
        self.break_dst('--only', 'migration')
        r = migrate('tls, dst migration certificate of another CA', name, SRC_TLS, DST_TLS)
        self.assert_on_source(name, r, ['certificate'])

        # dst's libvirtd too, while the job's connections, opened before,
        # stay up: the source's daemon cannot connect to dst peer to peer.
        r = run_child('tls, dst libvirtd certificate of another CA',
                      dict(action='migrate', src=SRC_TLS, dst=DST_TLS, guest=name, tls=True),
                      between=lambda: self.break_dst())
        self.assert_on_source(name, r, ['certificate'])
        # And a new connection to dst over TLS is refused.
        r = run_child('open dst over TLS, certificate of another CA',
                      dict(action='open', uri=DST_TLS))
        self.assertFalse(r['ok'])
        self.assertIn(r['error']['code'], ('auth-failed', 'host-unreachable'))
        self.assertIn('certificate', r['error']['message'])

        # Fixed, it migrates.
        tb('tls-fix', 'dst')
        collect_secrets()
        r = migrate('tls after tls-fix', name, SRC_TLS, DST_TLS)
        self.assert_moved(name, r)

    def test_3_tls_without_certificates(self):
        name = self.guest('none')
        if TLS_ON:
            # dst's QEMU has no certificates; everything else is as usual.
            self.break_dst('--missing')
            r = migrate('tls, no certificates on dst', name, SRC_TLS, DST_TLS)
            self.assert_on_source(name, r, ['ca-cert.pem'])
            tb('tls-fix', 'dst')
            collect_secrets()
            r = migrate('tls after tls-fix', name, SRC_TLS, DST_TLS)
            self.assert_moved(name, r)
        else:
            # A testbed without TLS: QEMU has no certificates on either host.
            r = migrate('tls on the plain testbed', name, SRC, DST)
            self.assert_on_source(name, r, ['ca-cert.pem'])
            if SRC_TLS:
                r = run_child('open src over TLS on the plain testbed',
                              dict(action='open', uri=SRC_TLS))
                self.assertFalse(r['ok'])

    def test_4_no_credentials_in_outputs(self):
        if not TLS_ON:
            self.skipTest(NO_TLS)
        self.assertTrue(SECRETS)
        log('%d key files, %d outputs checked' % (len(SECRETS), len(OUTPUTS)))
        for label, text in OUTPUTS:
            self.assertEqual(leaks(text), [], 'key material in the output of ' + label)
        # What the daemons and the guests' QEMUs logged.
        for host in ('src', 'dst'):
            logdir = ENV['KVMMIG_%s_LOGDIR' % host.upper()]
            files = [os.path.join(os.path.dirname(logdir), 'libvirtd.log')]
            files += [os.path.join(logdir, f) for f in os.listdir(logdir)
                      if f.startswith('tls-') and f.endswith('.log')]
            for path in files:
                if os.path.exists(path):
                    with open(path, errors='replace') as f:
                        self.assertEqual(leaks(f.read()), [], 'key material in ' + path)


if __name__ == '__main__':
    taprunner.main()
