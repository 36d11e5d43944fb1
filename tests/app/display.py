# display.py: what the kvmmig-gtk tests share: a private X server (Xvfb,
# on the first free display it finds), a compiled GSettings schema, and
# the environment that runs the application from the source tree.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
APP_DIR = os.path.join(SOURCE_ROOT, 'app')


class Xvfb:
    """An Xvfb server for the life of the object; .display is ':N'."""

    def __init__(self):
        if not shutil.which('Xvfb'):
            raise FileNotFoundError('Xvfb is not installed (Debian: xvfb)')
        # One Xvfb starting at a time among these tests: two starting
        # together with -displayfd have been seen to pick the same number,
        # and one of them then failed its clients.
        lock = open(os.path.join(tempfile.gettempdir(), 'kvmmig-gtk-tests-xvfb.lock'), 'w')
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            self._start()
        finally:
            lock.close()

    def _start(self):
        r, w = os.pipe()
        self.proc = subprocess.Popen(
            ['Xvfb', '-displayfd', str(w), '-screen', '0', '1280x900x24', '-nolisten', 'tcp'],
            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(w)
        with os.fdopen(r) as f:
            number = f.readline().strip()
        if not number:
            self.proc.kill()
            raise RuntimeError('Xvfb did not start')
        self.display = ':' + number
        self._wait_ready(number)

    def _wait_ready(self, number, timeout=10):
        """Until a client can connect to the server's socket."""
        path = '/tmp/.X11-unix/X' + number
        deadline = time.monotonic() + timeout
        while True:
            with socket.socket(socket.AF_UNIX) as s:
                try:
                    s.connect(path)
                    return
                except OSError:
                    if time.monotonic() > deadline or self.proc.poll() is not None:
                        raise RuntimeError('Xvfb %s does not take connections' % self.display)
            time.sleep(0.05)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def schema_dir():
    """A directory with the compiled schema: GSETTINGS_SCHEMA_DIR when
    meson gives it (the build tree's app/data), else compiled here."""
    given = os.environ.get('GSETTINGS_SCHEMA_DIR')
    if given and os.path.exists(os.path.join(given, 'gschemas.compiled')):
        return given
    d = tempfile.mkdtemp(prefix='kvmmig-gtk-schemas-')
    subprocess.run(['glib-compile-schemas', '--strict', '--targetdir', d,
                    os.path.join(APP_DIR, 'data')], check=True)
    return d


def app_env(display):
    """The environment that runs `python3 -m kvmmig_gtk` from the source
    tree with no saved settings (memory backend)."""
    env = dict(os.environ)
    env['DISPLAY'] = display
    env['GSETTINGS_BACKEND'] = 'memory'
    env['GSETTINGS_SCHEMA_DIR'] = schema_dir()
    env['PYTHONPATH'] = APP_DIR + ':' + env.get('PYTHONPATH', '')
    env.pop('WAYLAND_DISPLAY', None)
    return env


def launch_app(args, display, **popen):
    """Starts `python3 -m kvmmig_gtk ARGS` on display. A start that ends
    within 3 s, GTK not initialised (seen about once in five starts on a
    fresh Xvfb here; the cause is not found), is tried once more, and the
    first attempt's last lines are printed as a TAP comment: the tests
    check the app, not Xvfb. A second such failure is returned as it is,
    and the test fails on it."""
    for attempt in (1, 2):
        proc = subprocess.Popen([sys.executable, '-m', 'kvmmig_gtk'] + list(args),
                                env=app_env(display), **popen)
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            return proc
        if attempt == 2:
            return proc
        out = proc.stdout.read() if proc.stdout is not None else ''
        log = popen.get('stdout')
        if hasattr(log, 'truncate'):        # a log file: the attempt's lines go
            log.flush()
            with open(log.name, errors='replace') as f:
                out = f.read()
            log.seek(0)
            log.truncate()
        print('# the app exited at start (exit %d), started again: %s'
              % (proc.returncode, ' | '.join(out.strip().splitlines()[-2:])), flush=True)
    return proc


def in_private_session():
    """Runs this test again inside dbus-run-session (a private session
    bus, with the accessibility bus it starts on demand) unless it already
    is there, passing its TAP through: what the daemons it starts print
    (at-spi2-registryd does) becomes TAP comments. Returns only inside."""
    if os.environ.get('KVMMIG_APP_TEST_SESSION') == '1':
        return
    env = dict(os.environ, KVMMIG_APP_TEST_SESSION='1')
    inner = subprocess.Popen(['dbus-run-session', '--', sys.executable] + sys.argv, env=env,
                             stdout=subprocess.PIPE, text=True)
    for line in inner.stdout:
        if not line.startswith(('ok ', 'not ok ', '1..', '#')):
            line = '# ' + line
        print(line, end='', flush=True)
    sys.exit(inner.wait())
