#!/usr/bin/python3
# test_demo.py: the demo (tools/demo.py, which `sudo ./tools/demo` runs once
# the packages are installed and the library built) on the testbed that the
# suite has up and holds. It refuses a guest name that exists already and
# leaves that guest alone; then it runs whole: the test checks its exit
# status, that its output shows both migrations with kvmmig's policy steps,
# each host's view, the checkers' verdicts and the table of step times,
# and that it left the testbed as it found it: up, without its guest, its
# LUN booked or its storage pools.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import subprocess

import testbed

tb = testbed.load()
SRC, DST = tb.src_uri, tb.dst_uri
DEMO = os.path.join(os.environ['KVMMIG_SOURCE_ROOT'], 'tools', 'demo.py')
NAME = 'it-demo-%d' % os.getpid()

tap = testbed.Tap()
check = tap.check


def demo(timeout):
    r = subprocess.run(['/usr/bin/python3', DEMO, '--name', NAME], capture_output=True,
                       text=True, timeout=timeout)
    for line in (r.stdout + r.stderr).splitlines():
        print('# ' + line, flush=True)
    return r


def pool_defined(uri, pool):
    return testbed.sh('virsh', '-c', uri, 'pool-info', pool, check=False).returncode == 0


def booked():
    """The names in the testbed's books (guests and LUNs taken)."""
    return testbed.sh(tb.script, 'guests').stdout


# 1. A guest of that name exists: the demo refuses, and leaves it alone.
subprocess.run([tb.script, 'guest', NAME, '--on', 'src', '--no-wait'], check=True,
               capture_output=True)
try:
    r = demo(120)
    check(r.returncode == 1 and 'already has a guest %r' % NAME in r.stderr,
          'the demo refuses a guest name that exists (exit %d)' % r.returncode)
    check(testbed.domstate(tb, NAME, 'src') is not None and NAME in booked()
          and not pool_defined(SRC, NAME + '-store') and not pool_defined(DST, NAME + '-store'),
          'the guest that was there is still there, booked, and no pool was left')
finally:
    subprocess.run([tb.script, 'guest-rm', NAME], capture_output=True)

# 2. The demo, whole.
r = demo(600)
out = r.stdout
check(r.returncode == 0 and 'demo OK' in out, 'the demo ran (exit %d)' % r.returncode)

there, back = out.partition('[8/9]')[::2]
check("migrated '%s' to %s in" % (NAME, DST) in there and
      "migrated '%s' to %s in" % (NAME, SRC) in back,
      'kvmmig migrated the guest src -> dst, then dst -> src')
steps_there = re.findall(r'^policy \(.*', there, re.M)
steps_back = re.findall(r'^policy \(.*', back, re.M)
check(steps_there and steps_back,
      "kvmmig printed its policy's steps in both migrations (%d, %d)"
      % (len(steps_there), len(steps_back)))
check(re.search(r"^\s+src .*: no guest '%s'" % NAME, there, re.M) and
      re.search(r"^\s+dst .*: '%s' running, persistent" % NAME, there, re.M) and
      re.search(r"^\s+src .*: '%s' running, persistent" % NAME, back, re.M) and
      re.search(r"^\s+dst .*: no guest '%s'" % NAME, back, re.M),
      "each host's view: running and persistent on dst, gone from src; then the reverse")
check(len(re.findall(r'verdict: memory OK: total_bad=0', out)) == 2 and
      len(re.findall(r'verdict: disk OK: .* errors=0', out)) == 2,
      "the memory and disk checkers' verdicts after each migration")
rows = re.findall(r'^  (\d)\. .*?\s+(\d+\.\d) s$', out, re.M)
total = re.search(r'^  total\s+(\d+\.\d) s$', out, re.M)
check([int(number) for number, _ in rows] == list(range(1, 10)) and total is not None,
      'the table of step times, 9 steps and the total (%s s)' % (total.group(1) if total else '?'))

# 3. The testbed as the demo found it.
check(testbed.domstate(tb, NAME, 'src') is None and testbed.domstate(tb, NAME, 'dst') is None,
      'the guest is gone from both hosts')
check(NAME not in booked(), 'its LUN is back in the testbed\'s books (guests does not list it)')
check(not pool_defined(SRC, NAME + '-store') and not pool_defined(DST, NAME + '-store'),
      "the store's pools are gone from both hosts")
check(subprocess.run([tb.script, 'status'], capture_output=True).returncode == 0,
      'the testbed is still up')

tap.done()
