#!/usr/bin/python3
# test_bad_input.py: the bad-input table of issue 8 through the typelib,
# from Python, against two test-driver hosts: each case must raise a
# GLib.Error in the Kvmmig error domain with the expected code and a
# message that says where, and leave both hosts as they were. The same
# table in C is tests/unit/test-bad-input.c.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import unittest

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig  # noqa: E402

import taprunner  # noqa: E402

E = Kvmmig.Error
HOST_A = 'test:///default'
HOST_B = 'test://' + os.path.realpath(os.path.join(os.path.dirname(__file__), '..', 'data',
                                                   'test-host-b.xml'))

# A is test:///default (guest "test"); B has "twin" (the UUID of A's
# "test") and "other" (128 MiB; A reports 3 MiB free).
A = Kvmmig.Host.new(HOST_A)
A.open(None)
B = Kvmmig.Host.new(HOST_B)
B.open(None)
# Names and URIs below are data: nothing reaches a shell.

def job(src, dst, name, **props):
    j = Kvmmig.MigrationJob.new(src, dst, name)
    for key, value in props.items():
        j.set_property(key.replace('_', '-'), value)
    return j


def open_uri(uri):
    return lambda: Kvmmig.Host.new(uri).open(None)


def lookup(name):
    return lambda: A.lookup_guest(name, None)


def check(src, dst, name, **props):
    return lambda: job(src, dst, name, **props).check(None)


def run_twice():
    j = job(B, A, 'other')
    try:
        j.run(None)
    except GLib.Error:
        pass
    j.run(None)


def run_closed_source():
    s = Kvmmig.Host.new(HOST_B)
    s.open(None)
    j = job(s, A, 'other')
    s.close()
    j.run(None)


def run_unopened_destination():
    job(B, Kvmmig.Host.new(HOST_A), 'other').run(None)


def evacuate_self():
    A.evacuate([A], None)


def evacuate_closed():
    Kvmmig.Host.new(HOST_A).evacuate([B], None)


CASES = [
    ('blank URI ("" is libvirt\'s default)', open_uri('   '), E.INVALID_ARGUMENT),
    ('URI with spaces', open_uri('not a uri'), E.INVALID_ARGUMENT),
    ('unterminated IPv6 URI', open_uri('qemu+tcp://[broken/system'), E.INVALID_ARGUMENT),
    ('unknown transport', open_uri('qemu+nosuch://127.0.0.1/system'), E.INVALID_ARGUMENT),
    ('URI with a quote', open_uri("qemu+tcp://a'b/system"), E.INVALID_ARGUMENT),
    ('URI with a shell command', open_uri('qemu+tcp://$(reboot)/system'), E.INVALID_ARGUMENT),
    ('URI with unicode host', open_uri('qemu+tcp://hôst/system'), E.INVALID_ARGUMENT),
    ('port out of range', open_uri('qemu+tcp://127.0.0.1:99999/system'), E.INVALID_ARGUMENT),
    ('nothing listening', open_uri('qemu+tcp://127.0.0.1:1/system'), E.HOST_UNREACHABLE),
    ('empty guest name', lookup(''), E.INVALID_ARGUMENT),
    ('unknown guest', lookup('no-such-guest'), E.GUEST_NOT_FOUND),
    ('name with spaces', lookup('my guest'), E.GUEST_NOT_FOUND),
    ('name with quotes', lookup('a\'b"c'), E.GUEST_NOT_FOUND),
    ('name with XML', lookup('<domain>&amp;</domain>'), E.GUEST_NOT_FOUND),
    ('name in unicode', lookup('gäst-名前-🚀'), E.GUEST_NOT_FOUND),
    ('name with a shell command', lookup('$(rm -rf /); `reboot`'), E.GUEST_NOT_FOUND),
    ('very long name', lookup('x' * 5000), E.GUEST_NOT_FOUND),
    ('job: empty guest name', check(B, A, ''), E.INVALID_ARGUMENT),
    ('job: unknown guest', check(B, A, 'no-such-guest'), E.GUEST_NOT_FOUND),
    ('job: name with a newline', check(B, A, 'a\nb'), E.INVALID_ARGUMENT),
    ('job: name with a tab', check(B, A, 'a\tb'), E.INVALID_ARGUMENT),
    ('job: name too long', check(B, A, 'x' * 5000), E.INVALID_ARGUMENT),
    ('job: name with quotes', check(B, A, 'a\'b"c'), E.GUEST_NOT_FOUND),
    ('job: name with XML', check(B, A, ']]><x/>'), E.GUEST_NOT_FOUND),
    ('job: name in unicode', check(B, A, 'gäst-名前'), E.GUEST_NOT_FOUND),
    ('job: UUID already on the destination', check(A, B, 'test'), E.GUEST_EXISTS),
    ('job: no memory on the destination', check(B, A, 'other'), E.INSUFFICIENT_MEMORY),
    ('job: same host', check(A, A, 'test'), E.SAME_HOST),
    ('negative bandwidth', check(B, A, 'other', bandwidth_limit=-5), E.INVALID_ARGUMENT),
    ('absurd bandwidth', check(B, A, 'other', bandwidth_limit=2**31 - 1), E.INVALID_ARGUMENT),
    ('zero downtime', check(B, A, 'other', max_downtime_ms=0), E.INVALID_ARGUMENT),
    ('negative downtime', check(B, A, 'other', max_downtime_ms=-300), E.INVALID_ARGUMENT),
    ('absurd downtime', check(B, A, 'other', max_downtime_ms=86400000), E.INVALID_ARGUMENT),
    ('negative timeout', check(B, A, 'other', completion_timeout_ms=-2), E.INVALID_ARGUMENT),
    ('very negative timeout', check(B, A, 'other', completion_timeout_ms=-2**31), E.INVALID_ARGUMENT),
    ('negative parallel connections', check(B, A, 'other', parallel_connections=-1), E.INVALID_ARGUMENT),
    ('absurd parallel connections', check(B, A, 'other', parallel_connections=100000), E.INVALID_ARGUMENT),
    ('negative post-copy recovery', check(B, A, 'other', postcopy_recovery_timeout_ms=-1),
     E.INVALID_ARGUMENT),
    ('zstd without parallel connections',
     check(B, A, 'other', compression=Kvmmig.Compression.ZSTD), E.INVALID_ARGUMENT),
    ('xbzrle with parallel connections',
     check(B, A, 'other', compression=Kvmmig.Compression.XBZRLE, parallel_connections=4),
     E.INVALID_ARGUMENT),
    ('post-copy policy with compression',
     check(B, A, 'other', policy=Kvmmig.MigrationPolicy.POSTCOPY,
           compression=Kvmmig.Compression.XBZRLE), E.INVALID_ARGUMENT),
    ('migration URI not a URI', check(B, A, 'other', migration_uri='not a uri'), E.INVALID_ARGUMENT),
    ('migration URI of another scheme', check(B, A, 'other', migration_uri='ftp://10.0.0.1'),
     E.INVALID_ARGUMENT),
    ('migration URI with a shell command',
     check(B, A, 'other', migration_uri='tcp://$(reboot):49152'), E.INVALID_ARGUMENT),
    ('job run twice', run_twice, E.INVALID_ARGUMENT),
    ('job whose source was closed', run_closed_source, E.NOT_OPEN),
    ('job whose destination was never opened', run_unopened_destination, E.NOT_OPEN),
    ('evacuation to itself', evacuate_self, E.SAME_HOST),
    ('evacuation of a closed host', evacuate_closed, E.NOT_OPEN),
]


def snapshot():
    return [(h.get_uri(), g.props.name, g.props.uuid, int(g.props.state), g.props.persistent)
            for h in (A, B) for g in h.list_guests(None)]


class BadInputTest(unittest.TestCase):
    pass


def make_test(what, action, code):
    def test(self):
        before = snapshot()
        with self.assertRaises(GLib.Error) as cm:
            action()
        e = cm.exception
        print('# %s -> %s' % (what, e.message))
        self.assertEqual(e.domain, 'kvmmig-error-quark')
        self.assertEqual(e.code, code, e.message)
        self.assertTrue(e.message)
        if what != 'empty URI':
            self.assertTrue('://' in e.message or 'test:' in e.message, e.message)
        self.assertEqual(snapshot(), before)
    return test


assert len(CASES) >= 40
for i, (what, action, code) in enumerate(CASES):
    setattr(BadInputTest, 'test_%02d' % (i + 1), make_test(what, action, code))


if __name__ == '__main__':
    taprunner.main()
