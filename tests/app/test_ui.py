# test_ui.py: kvmmig-gtk on libvirt's test driver (no testbed: suite
# `app`), through AT-SPI under Xvfb and a private D-Bus session: two
# connections to test:///default given with --uri, the guest "test"
# selected, its pre-flight checks listed, and Migrate kept disabled because
# the destination is the same host (a failed check); Ctrl+N (a key event
# through AT-SPI) opens the Add Connection dialog.
#   test_ui.py      TAP; skips without Xvfb, dbus-run-session or pyatspi
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def skip(why):
    print('1..0 # SKIP ' + why, flush=True)
    sys.exit(0)


if os.environ.get('KVMMIG_APP_TEST_SESSION') != '1':
    for tool in ('Xvfb', 'dbus-run-session'):
        if not shutil.which(tool):
            skip('%s is not installed' % tool)

import display  # noqa: E402

display.in_private_session()

# The X server first: the accessibility bus and its registry, which D-Bus
# starts on demand, must know the display to type on it (XTEST).
xvfb = display.Xvfb()
os.environ['DISPLAY'] = xvfb.display
subprocess.run(['dbus-update-activation-environment', 'DISPLAY=' + xvfb.display], check=True)

try:
    import pyatspi
except ImportError:
    xvfb.stop()
    skip('pyatspi is not installed (Debian: python3-pyatspi)')

import a11y     # noqa: E402

n = 0
failed = False


def check(ok, what):
    global n, failed
    n += 1
    print('%s %d - %s' % ('ok' if ok else 'not ok', n, what), flush=True)
    failed |= not ok


proc = display.launch_app(['--uri', 'a=test:///default', '--uri', 'b=test:///default'],
                          xvfb.display, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
try:
    app = a11y.application('kvmmig-gtk')
    conns = a11y.find(app, 'list', 'Connections')
    try:
        a11y.wait_for('both connections', lambda: [r[:2] for r in a11y.row_labels(conns)]
                      == [['a', 'Connected'], ['b', 'Connected']])
        ok = True
    except a11y.Timeout:
        ok = False
    check(ok, 'the --uri connections are listed and connected: %s' % a11y.row_labels(conns))

    a11y.select_row(conns, 'a')
    guests = a11y.find(app, 'list', 'Guests')
    a11y.select_row(guests, 'test')
    checks = a11y.find(app, 'list', 'Pre-flight Checks')
    a11y.wait_for('the checks', lambda: checks.childCount >= 3)
    rows = a11y.row_labels(checks)
    for r in rows:
        print('#   check: ' + ' | '.join(r))
    check(any(r[-1] == 'Failed' and 'same host' in r[1] for r in rows),
          'the check "another host" fails, saying the destination is the same host')
    migrate = a11y.find(app, 'push button', 'Migrate')
    check(not a11y.sensitive(migrate), 'Migrate is disabled after a failed check')
    check(not a11y.find_all(app, 'push button', 'Cancel migration'),
          'no Cancel button while nothing runs')
    check(bool(a11y.find_all(app, 'label', 'No migration running')),
          'the sidebar says no migration runs')

    # Ctrl+N, as typed: AT-SPI's key events go through Xvfb's XTEST.
    reg = pyatspi.Registry
    reg.generateKeyboardEvent(37, None, pyatspi.KEY_PRESS)        # Control_L
    reg.generateKeyboardEvent(ord('n'), None, pyatspi.KEY_SYM)
    reg.generateKeyboardEvent(37, None, pyatspi.KEY_RELEASE)
    try:
        a11y.find(app, 'dialog', 'Add Connection', timeout=10)
        ok = True
    except a11y.Timeout:
        ok = False
    check(ok, 'Ctrl+N opens the Add Connection dialog')
except a11y.Timeout as e:
    check(False, str(e))
finally:
    proc.terminate()
    out = proc.communicate(timeout=10)[0]
    xvfb.stop()

bad = [line for line in out.splitlines() if 'Traceback' in line or 'CRITICAL' in line or 'WARNING' in line]
check(not bad, 'the app wrote no Python traceback, critical or warning')
for line in bad[:10]:
    print('#   ' + line)
print('1..%d' % n)
sys.exit(1 if failed else 0)
