# test_static.py: kvmmig-gtk's files checked without running it (suite
# `app`, seconds): the desktop file (desktop-file-validate), the AppStream
# metainfo (appstreamcli validate --no-net), the GSettings schema
# (glib-compile-schemas --strict --dry-run), every Python file compiles,
# and, under Xvfb, every .ui file loads in Gtk.Builder (the window's
# template through its class). TAP; a tool that is missing is a SKIP that
# says so.
#   test_static.py BUILD_DATA_DIR   (the build tree's app/data: the
#                                    configured .desktop and metainfo)
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import glob
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import display  # noqa: E402

build_data = sys.argv[1]
n = 0
failed = False


def result(ok, what, skip=None):
    global n, failed
    n += 1
    if skip:
        print('ok %d - %s # SKIP %s' % (n, what, skip), flush=True)
        return
    print('%s %d - %s' % ('ok' if ok else 'not ok', n, what), flush=True)
    failed |= not ok


def tool(what, cmd):
    if not shutil.which(cmd[0]):
        result(True, what, skip='%s is not installed' % cmd[0])
        return
    r = subprocess.run(cmd, capture_output=True, text=True)
    out = (r.stdout + r.stderr).strip()
    if out:
        print('# ' + out.replace('\n', '\n# '))
    result(r.returncode == 0, what)


tool('desktop-file-validate org.kvmmig.Gtk.desktop',
     ['desktop-file-validate', os.path.join(build_data, 'org.kvmmig.Gtk.desktop')])
tool('appstreamcli validate --no-net org.kvmmig.Gtk.metainfo.xml',
     ['appstreamcli', 'validate', '--no-net', '--pedantic',
      os.path.join(build_data, 'org.kvmmig.Gtk.metainfo.xml')])
tool('glib-compile-schemas --strict --dry-run',
     ['glib-compile-schemas', '--strict', '--dry-run', os.path.join(display.APP_DIR, 'data')])

sources = sorted(glob.glob(os.path.join(display.APP_DIR, 'kvmmig_gtk', '*.py')))
bad = []
for path in sources + [os.path.join(display.APP_DIR, 'kvmmig-gtk.in')]:
    try:
        with open(path) as f:
            compile(f.read(), path, 'exec')   # what py_compile does, writing nothing
    except SyntaxError as e:
        bad.append(str(e))
if bad:
    print('# ' + '\n# '.join(bad))
result(not bad and len(sources) >= 10, 'the %d Python files of kvmmig_gtk and the launcher compile' % len(sources))

# Every source file says what it is for, and its licence.
unsaid = [os.path.basename(p) for p in sources
          if 'SPDX-License-Identifier:' not in open(p).read()
          or not open(p).readline().startswith(('# ' + os.path.basename(p) + ':', '# kvmmig_gtk:'))]
result(not unsaid, 'each Python file opens with what it is for and its SPDX line'
       + (': not ' + ', '.join(unsaid) if unsaid else ''))

# The .ui files, in GTK itself (under Xvfb).
ui_files = sorted(glob.glob(os.path.join(display.APP_DIR, 'ui', '*.ui')))
try:
    xvfb = display.Xvfb()
except (FileNotFoundError, RuntimeError) as e:
    result(True, 'the .ui files load in Gtk.Builder', skip=str(e))
else:
    env = display.app_env(xvfb.display)
    env['GTK_A11Y'] = 'none'   # no accessibility bus here
    script = r'''
import sys
import kvmmig_gtk
from gi.repository import Adw, Gtk
Adw.init()
from kvmmig_gtk.window import Window   # the template (window.ui)
for path in sys.argv[1:]:
    if path.endswith('/window.ui'):
        app = Adw.Application(application_id='org.kvmmig.GtkTest')
        app.register(None)
        from kvmmig_gtk.connections import ConnectionStore
        Window(app, ConnectionStore())
    else:
        Gtk.Builder.new_from_file(path)
    print('loaded', path)
'''
    r = subprocess.run([sys.executable, '-c', script] + ui_files, env=env,
                       capture_output=True, text=True, timeout=60)
    xvfb.stop()
    out = (r.stdout + r.stderr).strip()
    if out:
        print('# ' + out.replace('\n', '\n# '))
    result(r.returncode == 0 and out.count('loaded ') == len(ui_files) and 'Gtk-WARNING' not in out
           and 'Gtk-CRITICAL' not in out,
           'the %d .ui files load in Gtk.Builder with no warning' % len(ui_files))

print('1..%d' % n)
sys.exit(1 if failed else 0)
