#!/usr/bin/python3
# test_store_examples.py: runs the classic-workflow example, in C
# (examples/classic-workflow.c) and in Python (examples/classic-workflow.py),
# on the testbed: each attaches the testbed's iSCSI target to src and dst,
# defines a guest on a LUN on src, starts it and migrates it to dst. The
# test checks what each printed and where the guest is afterwards (running
# and defined on dst, gone from src), then removes the guest, frees the LUN
# and removes the store's pools.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import subprocess
import sys

import testbed

tb = testbed.load()
SRC, DST = tb.src_uri, tb.dst_uri
PID = os.getpid()


def virsh(uri, *args):
    return subprocess.run(['virsh', '-q', '-c', uri] + list(args),
                          capture_output=True, text=True)


def guests_using(lun):
    """Names of the guests of src and dst that have LUN `lun` as a disk."""
    needle = "name='%s/%d'" % (tb.env['KVMMIG_STORE_IQN'], lun)
    users = []
    for uri in (SRC, DST):
        for name in virsh(uri, 'list', '--all', '--name').stdout.split():
            if needle in virsh(uri, 'dumpxml', name).stdout:
                users.append(name)
    return users


def reserve_lun(reserved):
    """Takes a LUN from the testbed that no guest of either host uses (see
    tests/integration/test-shared-store-live.c); its reservations go to
    `reserved`, for guest-rm."""
    for attempt in range(8):
        owner = 'st-exlun%d-%d-%d' % (attempt, len(reserved), PID)
        reserved.append(owner)
        subprocess.run([tb.script, 'guest', owner, '--on', 'src', '--workload', 'idle',
                        '--no-wait'], check=True, capture_output=True)
        xml = virsh(SRC, 'dumpxml', owner).stdout
        lun = int(re.search(r"<source protocol='iscsi' name='[^']*/(\d+)'", xml).group(1))
        virsh(SRC, 'destroy', owner)
        virsh(SRC, 'undefine', owner)
        users = guests_using(lun)
        if not users:
            return lun
        print('# LUN %d is a disk of %s (left by another test); taking another'
              % (lun, ', '.join(users)), flush=True)
    raise RuntimeError('no LUN of the testbed is free of guests')


def clean(name, reserved):
    for uri in (SRC, DST):
        virsh(uri, 'destroy', name)
        virsh(uri, 'undefine', name)
        virsh(uri, 'pool-destroy', name + '-store')
        virsh(uri, 'pool-undefine', name + '-store')
    for owner in reserved:
        subprocess.run([tb.script, 'guest-rm', owner], capture_output=True)


examples = [
    ('C', [os.environ['KVMMIG_EXAMPLE_CLASSIC_C']]),
    ('Python', ['/usr/bin/python3',
                os.path.join(os.environ['KVMMIG_SOURCE_ROOT'], 'examples', 'classic-workflow.py')]),
]

print('1..%d' % (len(examples) * 3), flush=True)
n = 0
failed = False
for lang, command in examples:
    name = 'st-ex%s-%d' % (lang.lower(), PID)
    reserved = []
    try:
        lun = reserve_lun(reserved)
        args = command + [SRC, DST, tb.env['KVMMIG_STORE_PORTAL'], tb.env['KVMMIG_STORE_IQN'],
                          'unit:0:0:%d' % lun, name, tb.env['KVMMIG_GUEST_KERNEL'],
                          tb.env['KVMMIG_GUEST_INITRD'], 'qemu']
        r = subprocess.run(args, capture_output=True, text=True, timeout=600)
        for line in (r.stdout + r.stderr).splitlines():
            print('# %s: %s' % (lang, line.split('\r')[-1]), flush=True)

        n += 1
        ok = r.returncode == 0 and 'all 2 hosts see the same' in r.stdout and \
            "migrated '%s'" % name in r.stdout.replace('"', "'")
        print('%s %d - %s example: store attached and checked, guest on LUN %d defined, '
              'started, migrated (exit %d)' % ('ok' if ok else 'not ok', n, lang, lun,
                                              r.returncode), flush=True)
        failed |= not ok

        n += 1
        state = virsh(DST, 'domstate', name).stdout.strip()
        info = virsh(DST, 'dominfo', name).stdout
        ok = state == 'running' and re.search(r'Persistent:\s+yes', info) is not None
        print('%s %d - %s example: the guest runs on dst and is defined there (%s)'
              % ('ok' if ok else 'not ok', n, lang, state or 'absent'), flush=True)
        failed |= not ok

        n += 1
        ok = testbed.domstate_at(SRC, name) is None
        print('%s %d - %s example: the guest is gone from src' % ('ok' if ok else 'not ok',
                                                                  n, lang), flush=True)
        failed |= not ok
    finally:
        clean(name, reserved)

sys.exit(1 if failed else 0)
