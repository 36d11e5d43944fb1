# test_gtk_app.py: kvmmig-gtk (app/) on the two-host testbed, driven as a
# user with a screen reader would drive it: through AT-SPI (pyatspi) only,
# under Xvfb and a private D-Bus session (its accessibility bus). It adds
# the testbed's two hosts in the Add Connection dialog, selects a running
# guest on src, reads the pre-flight checks, migrates it to dst while the
# progress moves, and sees it leave src's list for dst's; then it cancels
# a slow migration (5 MiB/s) of a second guest, which stays on src
# (virsh agrees). With the testbed's SASL host, the credentials dialog
# answers its daemon, and the password shows nowhere; that connection is
# removed again. Evacuate host moves the second guest to dst when it is
# src's only guest (the testbed is shared). Screenshots of the window (the app's hidden
# app.screenshot action, --screenshot-dir) go to OUTDIR: app-preflight.png,
# app-migrating.png, app-finished.png, app-cancelled.png.
#   test_gtk_app.py [OUTDIR]      TAP; skips without the testbed
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'integration'))

import testbed  # noqa: E402

TB = testbed.load()     # TAP "1..0 # SKIP ..." and exit without the testbed

import display  # noqa: E402

# A private session bus, with the accessibility bus it starts on demand.
display.in_private_session()

import a11y     # noqa: E402  (pyatspi connects to the session's bus)

tap = testbed.Tap()
OUTDIR = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else tempfile.mkdtemp(prefix='kvmmig-gtk-')
os.makedirs(OUTDIR, exist_ok=True)
APP_ID = 'org.kvmmig.Gtk'


def screenshot(name):
    """The window as DIR/name.png, through the app's app.screenshot action."""
    path = os.path.join(OUTDIR, name + '.png')
    if os.path.exists(path):
        os.unlink(path)
    subprocess.run(['gdbus', 'call', '--session', '--dest', APP_ID, '--object-path', '/org/kvmmig/Gtk',
                    '--method', 'org.gtk.Actions.Activate', 'screenshot', '[<"%s">]' % name, '{}'],
                   check=True, capture_output=True)
    a11y.wait_for('the screenshot ' + path, lambda: os.path.exists(path) and os.path.getsize(path) > 0,
                  timeout=10)
    print('# screenshot: ' + path, flush=True)


def add_connection(app, name, uri):
    a11y.click(a11y.find(app, 'push button', 'Add connection'))
    dialog = a11y.find(app, 'dialog', 'Add Connection')
    a11y.type_text(a11y.find(dialog, 'text', 'Connection name'), name)
    a11y.type_text(a11y.find(dialog, 'text', 'Connection URI'), uri)
    a11y.click(a11y.find(dialog, 'push button', 'Add'))


def row_of(listacc, label):
    for labels in a11y.row_labels(listacc):
        if label in labels:
            return labels
    return None


def status_text(app):
    # The label inside the panel named so (GTK 4.8 names a label by its text).
    return a11y.labels(a11y.find(app, 'panel', 'Migration status'))[0]


def wait_checks(app):
    """The pre-flight rows once the checks are done: [[title, message,
    status], ...] (the group's description says 'Checking…' until then)."""
    checks = a11y.find(app, 'list', 'Pre-flight Checks')
    a11y.wait_for('the pre-flight checks to finish',
                  lambda: checks.childCount > 0 and not a11y.find_all(
                      app, 'label', pred=lambda a: a11y.text(a) == 'Checking…'), timeout=60)
    return a11y.row_labels(checks)


def select_guest(app, conn, guest):
    a11y.select_row(a11y.find(app, 'list', 'Connections'), conn)
    guests = a11y.find(app, 'list', 'Guests')
    a11y.select_row(guests, guest)
    return guests


def set_value(app, name, value):
    spin = a11y.find(app, 'spin button', name)
    spin.queryValue().currentValue = value
    return a11y.wait_for('%s to read %s' % (name, value), lambda: a11y.text(spin) == str(value), timeout=5)


guest = TB.guest('gtk', workload='dirty:64:20')
slow = TB.guest('gtkslow', workload='dirty:64:20')
xvfb = display.Xvfb()
log_path = os.path.join(OUTDIR, 'kvmmig-gtk.log')
log = open(log_path, 'w')
proc = display.launch_app(['--screenshot-dir', OUTDIR], xvfb.display, stdout=log,
                          stderr=subprocess.STDOUT)
t0 = time.monotonic()
password = None
try:
    app = a11y.application('kvmmig-gtk')
    print('# the app is on the accessibility bus after %.1f s' % (time.monotonic() - t0), flush=True)

    # -- two connections, through the dialog ----------------------------
    add_connection(app, 'src', TB.src_uri)
    add_connection(app, 'dst', TB.dst_uri)
    conns = a11y.find(app, 'list', 'Connections')
    try:
        a11y.wait_for('both connections to say Connected', lambda: (
            row_of(conns, 'src') and 'Connected' in row_of(conns, 'src')
            and row_of(conns, 'dst') and 'Connected' in row_of(conns, 'dst')), timeout=60)
        ok = True
    except a11y.Timeout:
        ok = False
    tap.check(ok, 'src and dst added in the Add Connection dialog, both connected: %s'
              % a11y.row_labels(conns))

    # -- the guest, the destination, the pre-flight checks ---------------
    guests = select_guest(app, 'src', guest)
    row = row_of(guests, guest)
    tap.check(row is not None and 'running' in row, 'src lists %s as running: %s' % (guest, row))
    destination = a11y.find(app, 'combo box', 'Destination')
    tap.check('dst' in a11y.labels(destination), 'the destination offered is dst: %s'
              % a11y.labels(destination))
    rows = wait_checks(app)
    for r in rows:
        print('#   check: %s' % ' | '.join(r), flush=True)
    statuses = [r[-1] for r in rows]
    tap.check(len(rows) >= 3 and all(s in ('Passed', 'Warning', 'Failed', 'Skipped') for s in statuses),
              '%d pre-flight checks listed, each with its status' % len(rows))
    tap.check('Failed' not in statuses, 'no pre-flight check failed')
    screenshot('app-preflight')

    # -- migrate ----------------------------------------------------------
    set_value(app, 'Bandwidth limit', 40)
    migrate = a11y.find(app, 'push button', 'Migrate')
    a11y.wait_for('Migrate to be enabled', lambda: a11y.sensitive(migrate), timeout=30)
    a11y.click(migrate)
    bar = a11y.find(app, 'progress bar', 'Migration progress')
    seen_status, seen_values = [], []

    def watch():
        s, v = status_text(app), bar.queryValue().currentValue
        if s and (not seen_status or seen_status[-1] != s):
            seen_status.append(s)
        if not seen_values or seen_values[-1] != v:
            seen_values.append(v)
        # The picture once the chart has some history (a third of the way).
        if len(seen_values) >= 3 and v >= 0.3 and not s.startswith('Completed') \
                and not os.path.exists(os.path.join(OUTDIR, 'app-migrating.png')):
            screenshot('app-migrating')
        return s.startswith(('Completed:', 'Failed:', 'Cancelled:'))

    if os.path.exists(os.path.join(OUTDIR, 'app-migrating.png')):
        os.unlink(os.path.join(OUTDIR, 'app-migrating.png'))
    a11y.wait_for('the migration to end', watch, timeout=240, interval=0.05)
    final = status_text(app)
    print('# progress bar values seen: %s' % ', '.join('%.2f' % v for v in seen_values), flush=True)
    print('# %d status texts, the last: %s' % (len(seen_status), final), flush=True)
    tap.check(len(seen_values) >= 3 and len(seen_status) >= 3,
              'the progress moved while it migrated (%d bar values, %d status texts)'
              % (len(seen_values), len(seen_status)))
    tap.check(final.startswith('Completed:'), 'the outcome says it completed: %s' % final)
    if not os.path.exists(os.path.join(OUTDIR, 'app-migrating.png')):
        print('# no app-migrating.png: the migration was over too soon', flush=True)
    screenshot('app-finished')

    # The guest leaves src's live list and appears in dst's.
    try:
        a11y.wait_for('%s to leave src\'s list' % guest, lambda: row_of(guests, guest) is None, timeout=30)
        gone = True
    except a11y.Timeout:
        gone = False
    tap.check(gone, '%s is no longer in src\'s guest list' % guest)
    a11y.select_row(conns, 'dst')
    try:
        a11y.wait_for('%s running in dst\'s list' % guest, lambda: (
            row_of(a11y.find(app, 'list', 'Guests'), guest) or []).count('running'), timeout=30)
        there = True
    except a11y.Timeout:
        there = False
    tap.check(there, '%s is listed on dst, running' % guest)
    tap.check(testbed.domstate_at(TB.dst_uri, guest) == 'running'
              and testbed.domstate_at(TB.src_uri, guest) != 'running',
              'virsh: %s runs on dst (%s), not on src (%s)' % (
                  guest, testbed.domstate_at(TB.dst_uri, guest), testbed.domstate_at(TB.src_uri, guest)))

    # -- cancel a slow migration -------------------------------------------
    select_guest(app, 'src', slow)
    wait_checks(app)
    set_value(app, 'Bandwidth limit', 5)
    a11y.wait_for('Migrate to be enabled', lambda: a11y.sensitive(migrate), timeout=30)
    a11y.click(migrate)
    a11y.wait_for('the slow migration to move',
                  lambda: status_text(app).startswith('Migrating') and 'left' in status_text(app),
                  timeout=60)
    print('# before Cancel: %s' % status_text(app), flush=True)
    jobs = a11y.find_all(app, 'label', pred=lambda a: 'migration running' in a11y.text(a))
    jobs_text = a11y.text(jobs[0]) if jobs else None
    tap.check(jobs_text == '1 migration running: %s' % slow,
              'the sidebar counts the running job (the library\'s model): %s' % jobs_text)
    cancel = a11y.find(app, 'push button', 'Cancel migration')
    tap.check(a11y.sensitive(cancel), 'Cancel is enabled during the migration')
    a11y.click(cancel)
    a11y.wait_for('the migration to end', lambda: status_text(app).startswith(
        ('Completed:', 'Failed:', 'Cancelled:')), timeout=60)
    final = status_text(app)
    tap.check(final.startswith('Cancelled:') and 'source' in final, 'the outcome says cancelled: %s' % final)
    screenshot('app-cancelled')
    guests = a11y.find(app, 'list', 'Guests')
    tap.check('running' in (row_of(guests, slow) or []), '%s is still listed on src, running' % slow)
    tap.check(testbed.domstate_at(TB.src_uri, slow) == 'running'
              and testbed.domstate_at(TB.dst_uri, slow) is None,
              'virsh: %s runs on src, and dst has no such guest' % slow)
    tap.check(not a11y.sensitive(cancel), 'Cancel is disabled again')
    try:
        a11y.find(app, 'label', 'No migration running', timeout=10)
        ok = True
    except a11y.Timeout:
        ok = False
    tap.check(ok, 'the sidebar says no migration runs any more')

    # -- evacuate src: the slow guest moves to dst -------------------------
    # Only when it is src's one guest: the testbed is shared, and another
    # test's leftovers are not this test's to move.
    others = [r[0] for r in a11y.row_labels(guests) if r and r[0] != slow]
    if others:
        print('ok %d - Evacuate host # SKIP src has other guests: %s' % (tap.n + 1, others))
        tap.n += 1
    else:
        set_value(app, 'Bandwidth limit', 0)
        a11y.click(a11y.find(app, 'push button', 'Evacuate host'))
        confirm = a11y.find(app, 'dialog', 'Evacuate src?')
        a11y.click(a11y.find(confirm, 'push button', 'Evacuate'))
        evac = a11y.find(app, 'panel', 'Evacuation status')
        a11y.wait_for('the evacuation to end', lambda: a11y.labels(evac)[0].startswith(
            ('Evacuated', 'Evacuation stopped')), timeout=180)
        final = a11y.labels(evac)[0]
        tap.check(final.startswith('Evacuated: 1 guest moved'), 'Evacuate host: %s' % final)
        tap.check(testbed.domstate_at(TB.dst_uri, slow) == 'running'
                  and testbed.domstate_at(TB.src_uri, slow) != 'running',
                  'virsh: %s now runs on dst' % slow)

    # -- credentials: the testbed's SASL host asks, the dialog answers -----
    sasl_uri = TB.env.get('KVMMIG_SASL_URI')
    if sasl_uri:
        with open(TB.env['KVMMIG_SASL_PASSWORD_FILE']) as f:
            password = f.read().strip()
        add_connection(app, 'auth', sasl_uri)
        login = a11y.find(app, 'dialog', 'Log in to auth', timeout=60)
        for entry in a11y.find_all(login, 'text'):
            if not a11y.text(entry):
                a11y.type_text(entry, TB.env['KVMMIG_SASL_USER'])
        # A password entry (role "password text"): hidden as typed. (GTK 4.8
        # still hands its text to AT-SPI clients, so that is not checked.)
        secret = a11y.find(login, 'password text')
        tap.check(secret is not None, 'the dialog asks for the password in a password entry')
        a11y.type_text(secret, password)
        a11y.click(a11y.find(login, 'push button', 'Log In'))
        try:
            a11y.wait_for('auth to say Connected',
                          lambda: 'Connected' in (row_of(conns, 'auth') or []), timeout=60)
            ok = True
        except a11y.Timeout:
            ok = False
        tap.check(ok, 'the SASL host asked, the Log in dialog answered, and it connected: %s'
                  % row_of(conns, 'auth'))
        # ... and removed again (after a confirmation).
        a11y.click(a11y.find(app, 'push button', 'Remove connection auth'))
        confirm = a11y.find(app, 'dialog', 'Remove “auth”?')
        a11y.click(a11y.find(confirm, 'push button', 'Remove'))
        try:
            a11y.wait_for('auth to leave the sidebar', lambda: row_of(conns, 'auth') is None, timeout=10)
            ok = True
        except a11y.Timeout:
            ok = False
        tap.check(ok, 'the auth connection removed: %s' % a11y.row_labels(conns))
    else:
        password = None
        print('ok %d - the credentials dialog # SKIP the testbed has no SASL host' % (tap.n + 1))
        tap.n += 1
except a11y.Timeout as e:
    tap.check(False, str(e))
finally:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    xvfb.stop()
    log.close()
    for name in (guest, slow):
        try:
            TB.guest_rm(name)
        except subprocess.CalledProcessError as e:
            print('# guest-rm %s: %s' % (name, e), flush=True)

with open(log_path) as f:
    out = f.read()
bad = [line for line in out.splitlines()
       if 'Traceback' in line or 'CRITICAL' in line or 'Gtk-WARNING' in line]
tap.check(not bad, 'the app wrote no Python traceback, critical or GTK warning (%s)' % log_path)
if password:
    tap.check(password not in out, 'the password appears nowhere in what the app wrote')
for line in bad[:10]:
    print('#   ' + line)
print('# %.0f s in all' % (time.monotonic() - t0))
tap.done()
