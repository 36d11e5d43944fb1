# application.py: the Adw.Application: command-line options (--uri
# NAME=URI for connections of this session only, --screenshot-dir DIR for
# the app.screenshot action), the application's actions and their
# keyboard shortcuts, and the main window.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import sys

from gi.repository import Adw, Gio, GLib, Gtk

from kvmmig_gtk import APP_ID
from kvmmig_gtk.connections import ConnectionStore

ACCELS = {
    'app.add-connection': ['<Control>n'],
    'app.quit': ['<Control>q'],
    'win.check': ['<Control>k'],
    'win.migrate': ['<Control>m'],
    'win.cancel': ['Escape', '<Control>period'],
    'win.evacuate': ['<Control>e'],
    'win.remove-connection': ['<Control>Delete'],
}


class Application(Adw.Application):
    def __init__(self):
        super().__init__(application_id=APP_ID, flags=Gio.ApplicationFlags.DEFAULT_FLAGS)
        self.session_uris = []
        self.screenshot_dir = None
        self.window = None
        self.add_main_option('uri', 0, GLib.OptionFlags.NONE, GLib.OptionArg.STRING_ARRAY,
                             'Add a connection for this session only (not saved)', 'NAME=URI')
        self.add_main_option('screenshot-dir', 0, GLib.OptionFlags.HIDDEN, GLib.OptionArg.STRING,
                             'Where the app.screenshot action saves PNGs', 'DIR')

    def do_handle_local_options(self, options):
        options = options.end().unpack()
        for spec in options.get('uri', []):
            name, sep, uri = spec.partition('=')
            if not sep or not name or not uri:
                print('kvmmig-gtk: --uri wants NAME=URI, not “%s”' % spec, file=sys.stderr)
                return 2
            self.session_uris.append((name, uri))
        if 'screenshot-dir' in options:
            self.screenshot_dir = options['screenshot-dir']
        return -1

    def do_startup(self):
        Adw.Application.do_startup(self)
        # Light or dark as the system prefers.
        Adw.StyleManager.get_default().set_color_scheme(Adw.ColorScheme.DEFAULT)
        self.store = ConnectionStore()
        for name, uri in self.session_uris:
            try:
                self.store.add(name, uri, save=False)
            except ValueError as e:
                print('kvmmig-gtk: %s' % e, file=sys.stderr)

        for name, callback, ptype in (
                ('add-connection', lambda *a: self.window.add_connection_dialog(), None),
                ('quit', lambda *a: self.quit(), None),
                ('about', self._about, None),
                ('screenshot', self._screenshot, GLib.VariantType.new('s'))):
            action = Gio.SimpleAction.new(name, ptype)
            action.connect('activate', callback)
            self.add_action(action)
        for action, accels in ACCELS.items():
            self.set_accels_for_action(action, accels)

    def do_activate(self):
        if not self.window:
            from kvmmig_gtk.window import Window
            self.window = Window(self, self.store)
            if not self.store.can_save:
                self.window.toast('No settings schema: connections are not saved')
        self.window.present()

    def _about(self, *args):
        Adw.AboutWindow(transient_for=self.window, application_name='KVM Migration',
                        application_icon=APP_ID, license_type=Gtk.License.LGPL_2_1).present()

    def _screenshot(self, _action, param):
        """app.screenshot('NAME'): the window as DIR/NAME.png (--screenshot-dir)."""
        if not self.screenshot_dir or not self.window:
            return
        name = os.path.basename(param.get_string())
        self.window.screenshot(os.path.join(self.screenshot_dir, name + '.png'))


def main(argv):
    GLib.set_prgname('kvmmig-gtk')
    GLib.set_application_name('KVM Migration')
    return Application().run(argv)
