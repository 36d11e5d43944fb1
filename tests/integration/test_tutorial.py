#!/usr/bin/python3
# test_tutorial.py: runs the documentation's code on the testbed.
#
# 1. doc/tutorial.md: every ```python block and every `<!-- hidden python`
#    comment, in order (the hidden ones reserve the LUN with the testbed,
#    report what virsh sees, and free the LUN), as one program under
#    /usr/bin/python3. The test checks that it ran to its end, that the
#    guest then ran on dst and was defined there and gone from src, that its
#    disk records survived the migration and a restart on dst, and that
#    nothing of it is left: no guest, no pool, no LUN reservation.
# 2. README.md: its first ```python block (the 20-line example), saved as a
#    script and run as the README says, on a testbed guest from src to dst.
#
# What a run leaves behind after a failure is removed here too. Guest and
# store names start with tut-.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import subprocess
import tempfile
import time

import testbed

tb = testbed.load()
ROOT = os.environ['KVMMIG_SOURCE_ROOT']
PYTHON = '/usr/bin/python3'


def python_blocks(path):
    """The Python code of a Markdown file, in order: its ```python blocks,
    and the HTML comments that start with the line `<!-- hidden python`
    (code that runs but is not shown on the page)."""
    with open(path) as f:
        text = f.read()
    return [m.group(1) or m.group(2) for m in re.finditer(
        r'^```python\n(.*?)^```[ \t]*$|^<!-- hidden python\n(.*?)^-->[ \t]*$', text,
        re.MULTILINE | re.DOTALL)]


def virsh(uri, *args):
    return subprocess.run(['virsh', '-q', '-c', uri] + list(args),
                          capture_output=True, text=True)


def leftovers(pid):
    """What a tutorial program of that pid left on the testbed."""
    name, store, placeholder = 'tut-%d' % pid, 'tut-store-%d' % pid, 'tut-lun-%d' % pid
    found = []
    for label, uri in (('src', tb.src_uri), ('dst', tb.dst_uri)):
        for guest in (name, placeholder):
            if virsh(uri, 'dominfo', guest).returncode == 0:
                found.append('guest %s on %s' % (guest, label))
        if virsh(uri, 'pool-info', store).returncode == 0:
            found.append('pool %s on %s' % (store, label))
    luns = os.path.join(tb.env['KVMMIG_TESTBED_DIR'], 'run', 'luns')
    for lun in sorted(os.listdir(luns)) if os.path.isdir(luns) else []:
        with open(os.path.join(luns, lun)) as f:
            if f.read().strip() == placeholder:
                found.append('LUN %s reserved for %s' % (lun, placeholder))
    return found


def clean(pid):
    """Removes what a tutorial program of that pid left. A host whose daemon
    does not answer (another test's fault injection) is waited for, up to
    two minutes."""
    name, store, placeholder = 'tut-%d' % pid, 'tut-store-%d' % pid, 'tut-lun-%d' % pid
    for uri in (tb.src_uri, tb.dst_uri):
        deadline = time.monotonic() + 120
        while virsh(uri, 'version').returncode != 0 and time.monotonic() < deadline:
            time.sleep(2)
        virsh(uri, 'destroy', name)
        virsh(uri, 'undefine', name)
        virsh(uri, 'pool-destroy', store)
        virsh(uri, 'pool-undefine', store)
    subprocess.run([tb.script, 'guest-rm', placeholder], capture_output=True)


tap = testbed.Tap()
check = tap.check


print('1..8', flush=True)

# -- 1. the tutorial -----------------------------------------------------------

blocks = python_blocks(os.path.join(ROOT, 'doc', 'tutorial.md'))
with tempfile.NamedTemporaryFile('w', prefix='tut-', suffix='.py', delete=False) as f:
    f.write('\n\n'.join(blocks))
    program = f.name

proc = subprocess.Popen([PYTHON, program], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                        text=True, cwd=ROOT)
try:
    out, _ = proc.communicate(timeout=600)
except subprocess.TimeoutExpired:
    proc.kill()
    out, _ = proc.communicate()
    out += '\n(killed after 600 s)'
for line in out.splitlines():
    print('# ' + line.split('\r')[-1], flush=True)

checks = dict(re.findall(r'^TUTORIAL-CHECK (\S+) ?(.*)$', out, re.MULTILINE))
check(proc.returncode == 0 and 'done' in checks,
      'the %d Python blocks of doc/tutorial.md run as one program to their end (exit %s)'
      % (len(blocks), proc.returncode))

states = {m[0]: (m[1], m[2]) for m in re.findall(
    r'^TUTORIAL-CHECK after-migration (\w+) state=(\S+) persistent=(\S+)', out, re.MULTILINE)}
check(states.get('dst') == ('running', 'yes') and states.get('src') == ('absent', 'no'),
      'after the migration the guest runs on dst, defined there, and src has no trace of it '
      '(virsh: %s)' % states)

m = re.search(r'found=(\d+) last=(\d+) gaps=(\d+) bad=(\d+) acknowledged=(\d+)',
              checks.get('diskseq', ''))
check(m is not None and int(m.group(3)) == 0 and int(m.group(4)) == 0 and
      int(m.group(2)) >= int(m.group(5)) > 0 and int(m.group(1)) == int(m.group(2)),
      'the disk records written on src then dst are all there after a restart on dst (%s)'
      % checks.get('diskseq', 'not reported'))

check(re.search(r'=running\b', checks.get('back-model', '')) is not None,
      "moved back asynchronously, the guest runs in src's live guest model (%s)"
      % checks.get('back-model', 'not reported'))

left = leftovers(proc.pid)
check(not left, 'the tutorial removed what it made (left: %s)' % (', '.join(left) or 'nothing'))
clean(proc.pid)
os.unlink(program)

# -- 2. the README's example ---------------------------------------------------

readme_blocks = python_blocks(os.path.join(ROOT, 'README.md'))
example = readme_blocks[0] if readme_blocks else ''
check(0 < len(example.splitlines()) <= 20,
      "the README's Python example is at most 20 lines (%d)" % len(example.splitlines()))

guest = 'tut-readme-%d' % os.getpid()
with tempfile.NamedTemporaryFile('w', prefix='tut-readme-', suffix='.py', delete=False) as f:
    f.write(example)
    script = f.name
try:
    subprocess.run([tb.script, 'guest', guest, '--on', 'src'], check=True, capture_output=True)
    r = subprocess.run([PYTHON, script, guest, tb.src_uri, tb.dst_uri],
                       capture_output=True, text=True, timeout=300)
    for line in (r.stdout + r.stderr).splitlines():
        print('# README: ' + line.split('\r')[-1], flush=True)
    check(r.returncode == 0 and 'done in' in r.stdout and 'CRITICAL' not in r.stderr,
          "the README's example migrates a guest (exit %d)" % r.returncode)
    state = virsh(tb.dst_uri, 'domstate', guest).stdout.strip()
    check(state == 'running' and testbed.domstate_at(tb.src_uri, guest) is None,
          "after the README's example the guest runs on dst only (dst: %s)" % (state or 'absent'))
finally:
    subprocess.run([tb.script, 'guest-rm', guest], capture_output=True)
    os.unlink(script)

tap.done(plan=False)
