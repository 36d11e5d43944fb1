# kvmmig_gtk: the kvmmig-gtk application (GTK 4, libadwaita) on libkvmmig,
# through its typelib Kvmmig-1.0. See doc/app.md.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os

import gi

gi.require_version('Gtk', '4.0')
gi.require_version('Adw', '1')
gi.require_version('Kvmmig', '1.0')

APP_ID = 'org.kvmmig.Gtk'

# The .ui files: next to the package, installed (datadir/kvmmig-gtk/ui) as
# in the source tree (app/ui), or where KVMMIG_GTK_UI_DIR says.
UI_DIR = os.environ.get('KVMMIG_GTK_UI_DIR') or \
    os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'ui')


def ui_file(name):
    return os.path.join(UI_DIR, name)
