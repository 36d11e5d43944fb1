# cli_helpers.py: what test_cli.py and test_examples.py share on the
# testbed: guests named cli-*, made and removed by the testbed script, and
# where a guest runs, asked of both hosts with virsh (not with the code
# under test).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import subprocess


def guest_name(base):
    return 'cli-%s-%d' % (base, os.getpid())


def make_guest(tb, name, on='src', workload='idle'):
    subprocess.run([tb.script, 'guest', name, '--on', on, '--workload', workload],
                   check=True, capture_output=True)


def remove_guest(tb, name):
    subprocess.run([tb.script, 'guest-rm', name], capture_output=True)


def domstate(uri, name):
    """The guest's state on the host at uri ('running', 'paused', ...), or
    None if the host has no guest of that name."""
    proc = subprocess.run(['virsh', '-c', uri, 'domstate', name],
                          capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else None


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
