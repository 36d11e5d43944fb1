# cli_helpers.py: what test_cli.py, test_cli_evacuate.py and
# test_examples.py share on the testbed: guests named cli-*, made and
# removed by the testbed script; where a guest runs, asked of both hosts
# with virsh (not with the code under test); and a kvmmig command
# interrupted with Ctrl-C as it works.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import signal
import subprocess
import time

import testbed


def guest_name(base):
    return 'cli-%s-%d' % (base, os.getpid())


def make_guest(tb, name, on='src', workload='idle'):
    subprocess.run([tb.script, 'guest', name, '--on', on, '--workload', workload],
                   check=True, capture_output=True)


def remove_guest(tb, name):
    subprocess.run([tb.script, 'guest-rm', name], capture_output=True)


# The guest's state on the host at uri ('running', 'paused', ...), or None
# if the host has no guest of that name; raises if virsh fails otherwise.
domstate = testbed.domstate_at


def persistent(uri, name):
    proc = subprocess.run(['virsh', '-c', uri, 'dominfo', name],
                          capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        key, _, value = line.partition(':')
        if key.strip() == 'Persistent':
            return value.strip() == 'yes'
    return None


def where(tb, name):
    """'src' or 'dst' if the guest runs there (and only there), else a
    description of what was found."""
    src, dst = domstate(tb.src_uri, name), domstate(tb.dst_uri, name)
    if src == 'running' and dst is None:
        return 'src'
    if dst == 'running' and src is None:
        return 'dst'
    return 'src: %s, dst: %s' % (src, dst)


def interrupt_twice(test, argv, started, timeout, uri, names):
    """Runs argv (a kvmmig command), reads its output until it holds
    `started` (asserted on `test`, a TestCase, within 120 s), waits until
    the migration of one of `names` from the host at `uri` has sent memory
    (asserted, within 60 s), then sends the command SIGINT twice, half a
    second apart: the second must not kill it mid-abort. Waits `timeout` s
    at most for it to end; returns the process, all its output and its
    standard error."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = ''
    deadline = time.monotonic() + 120
    while started not in out and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        out += line
    test.assertIn(started, out)
    deadline = time.monotonic() + 60
    while not any(testbed.memory_processed(uri, n) > 0 for n in names):
        test.assertLess(time.monotonic(), deadline, 'no migration of %s sent memory' % names)
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)      # does not kill it mid-abort
    rest, err = proc.communicate(timeout=timeout)
    return proc, out + rest, err
