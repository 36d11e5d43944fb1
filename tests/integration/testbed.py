# testbed.py: the testbed for the Python integration tests: its addresses
# (from `kvmmig-testbed env`), guests made and removed by the testbed
# script, serial logs. Skips the whole program (TAP "1..0 # SKIP") when
# the testbed is not there.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
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
