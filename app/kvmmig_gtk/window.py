# window.py: the main window (ui/window.ui): the connections in the
# sidebar, the selected host's guests, the migration options, destination
# and pre-flight checks, and the migration or evacuation under way; its
# actions (win.check, win.migrate, win.cancel, win.evacuate) are enabled
# only when they can work.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

from gi.repository import Adw, Gio, GLib, GObject, Gtk, Kvmmig

from kvmmig_gtk import credentials, screenshot, ui_file
from kvmmig_gtk.chart import MigrationChart
from kvmmig_gtk.evacuate import Evacuation
from kvmmig_gtk.guests import GuestList
from kvmmig_gtk.migrate import Migration, Options
from kvmmig_gtk.preflight import Preflight


@Gtk.Template(filename=ui_file('window.ui'))
class Window(Adw.ApplicationWindow):
    __gtype_name__ = 'KvmmigWindow'

    toasts = Gtk.Template.Child()
    leaflet = Gtk.Template.Child()
    connection_list = Gtk.Template.Child()
    window_title = Gtk.Template.Child()
    empty_page = Gtk.Template.Child()
    host_page = Gtk.Template.Child()
    guest_view = Gtk.Template.Child()
    destination_row = Gtk.Template.Child()
    policy_row = Gtk.Template.Child()
    postcopy_switch = Gtk.Template.Child()
    bandwidth_spin = Gtk.Template.Child()
    downtime_spin = Gtk.Template.Child()
    tls_switch = Gtk.Template.Child()
    storage_row = Gtk.Template.Child()
    checks_group = Gtk.Template.Child()
    migration_box = Gtk.Template.Child()
    migration_title = Gtk.Template.Child()
    chart_frame = Gtk.Template.Child()
    progress_bar = Gtk.Template.Child()
    progress_label = Gtk.Template.Child()
    steps_list = Gtk.Template.Child()
    evacuation_box = Gtk.Template.Child()
    evacuation_bar = Gtk.Template.Child()
    evacuation_label = Gtk.Template.Child()
    jobs_label = Gtk.Template.Child()

    def __init__(self, app, store):
        super().__init__(application=app)
        self.store = store
        self.current = None          # the Connection shown
        self.operation = None        # the Migration or Evacuation running
        self.destinations = []       # the Connections the destination row lists
        self._conn_handlers = []

        self.chart = MigrationChart()
        self.chart_frame.set_child(self.chart)
        self.guests = GuestList(self.guest_view)
        self.guests.connect('notify::selected', lambda *a: self._selection_changed())
        self.preflight = Preflight(self.checks_group)

        self.destination_model = Gtk.StringList()
        self.destination_row.set_model(self.destination_model)
        self.destination_row.connect('notify::selected', lambda *a: self._selection_changed())

        self.connection_list.bind_model(store.model, self._connection_row)
        self.connection_list.connect('row-selected', self._on_row_selected)
        store.model.connect('items-changed', lambda *a: self._refresh_destinations())

        # The migrations running in this process (this window's, an
        # evacuation's), from the library's live model.
        self.running_jobs = Kvmmig.MigrationJob.get_running_jobs()
        self.running_jobs.connect('items-changed', lambda *a: self._update_jobs_label())
        self._update_jobs_label()

        for name, callback in (('check', self._on_check), ('migrate', self._on_migrate),
                               ('cancel', self._on_cancel), ('evacuate', self._on_evacuate),
                               ('remove-connection', self._on_remove)):
            action = Gio.SimpleAction.new(name, None)
            action.connect('activate', callback)
            self.add_action(action)
        self._update_actions()

    def _update_jobs_label(self):
        n = self.running_jobs.get_n_items()
        if n == 0:
            self.jobs_label.set_label('No migration running')
        else:
            names = ', '.join(self.running_jobs.get_item(i).props.guest_name for i in range(n))
            self.jobs_label.set_label('%d %s running: %s' % (
                n, 'migration' if n == 1 else 'migrations', names))

    # -- connections ---------------------------------------------------------

    def _connection_row(self, conn):
        row = Adw.ActionRow(title=GLib.markup_escape_text(conn.name), use_markup=True)
        conn.bind_property('status', row, 'subtitle', GObject.BindingFlags.SYNC_CREATE,
                          lambda _b, s: GLib.markup_escape_text(s))
        remove = Gtk.Button(icon_name='user-trash-symbolic', valign=Gtk.Align.CENTER,
                            tooltip_text='Remove this connection')
        remove.add_css_class('flat')
        remove.update_property([Gtk.AccessibleProperty.LABEL], ['Remove connection %s' % conn.name])
        remove.connect('clicked', lambda *a: self.confirm_remove(conn))
        row.add_suffix(remove)
        row.update_property([Gtk.AccessibleProperty.LABEL], [conn.name])
        row.conn = conn
        if not getattr(conn, 'handlers_attached', False):
            conn.handlers_attached = True
            conn.connect('authenticate', self._on_authenticate)
            conn.connect('notify::is-open', lambda *a: self._on_connection_changed(conn))
            conn.open(on_error=lambda c, e: self.toast('%s: %s' % (c.name, e.message)))
        return row

    def _on_authenticate(self, conn, request):
        return credentials.ask(self, conn.name, request)

    def _on_connection_changed(self, conn):
        self._refresh_destinations()
        if conn is self.current:
            self._show(conn)

    def _on_row_selected(self, _list, row):
        self._show(row.conn if row else None)

    def select_connection(self, name):
        for i, conn in enumerate(self.store.model):
            if conn.name == name:
                self.connection_list.select_row(self.connection_list.get_row_at_index(i))

    def confirm_remove(self, conn):
        if self.operation is not None:
            self.toast('A migration is running: remove the connection once it ends')
            return
        dialog = Adw.MessageDialog(transient_for=self, modal=True,
                                   heading='Remove “%s”?' % conn.name,
                                   body='The connection to %s is closed and forgotten.' % conn.uri)
        dialog.add_response('cancel', '_Cancel')
        dialog.add_response('remove', '_Remove')
        dialog.set_response_appearance('remove', Adw.ResponseAppearance.DESTRUCTIVE)
        dialog.set_close_response('cancel')
        dialog.connect('response', lambda _d, r: r == 'remove' and self._remove(conn))
        dialog.present()

    def _remove(self, conn):
        if self.current is conn:
            self._show(None)
        self.store.remove(conn)

    def _on_remove(self, *args):
        if self.current:
            self.confirm_remove(self.current)

    def _show(self, conn):
        self.current = conn
        self.host_page.set_visible(conn is not None)
        self.empty_page.set_visible(conn is None)
        if conn is None:
            self.window_title.set_title('KVM Migration')
            self.window_title.set_subtitle('')
            self.guests.set_host(None)
        else:
            self.window_title.set_title(conn.name)
            self.window_title.set_subtitle(conn.uri)
            self.guests.set_host(conn.host if conn.is_open else None)
            self.leaflet.navigate(Adw.NavigationDirection.FORWARD)
        self._refresh_destinations()

    def _refresh_destinations(self):
        others = [c for c in self.store.model if c is not self.current]
        keep = self.destination_row.get_selected()
        keep = self.destinations[keep] if keep < len(self.destinations) else None
        self.destinations = others
        self.destination_model.splice(0, self.destination_model.get_n_items(),
                                      ['%s%s' % (c.name, '' if c.is_open else ' (not connected)')
                                       for c in others])
        if keep in others:
            self.destination_row.set_selected(others.index(keep))
        self._selection_changed()

    # -- selection and pre-flight -------------------------------------------

    def _destination(self):
        i = self.destination_row.get_selected()
        return self.destinations[i] if i < len(self.destinations) else None

    def _can_migrate(self):
        guest = self.guests.selected
        dst = self._destination()
        return (self.operation is None and self.current is not None and self.current.is_open
                and guest is not None and guest.props.state == Kvmmig.GuestState.RUNNING
                and dst is not None and dst.is_open and dst.host is not self.current.host)

    def _selection_changed(self):
        if self.operation is None:
            guest = self.guests.selected
            if not self._can_migrate():
                if guest is None:
                    why = 'Select a running guest and a destination.'
                elif guest.props.state != Kvmmig.GuestState.RUNNING:
                    why = '%s is not running.' % guest.props.name
                else:
                    why = 'Choose another open connection as the destination.'
                self.preflight.clear(why)
            else:
                self._on_check()
        self._update_actions()

    def _options(self):
        return Options(policy=self.policy_row.get_selected(),
                       postcopy=self.postcopy_switch.get_active(),
                       bandwidth=self.bandwidth_spin.get_value_as_int(),
                       downtime=self.downtime_spin.get_value_as_int(),
                       tls=self.tls_switch.get_active(),
                       storage=self.storage_row.get_selected())

    def _on_check(self, *args):
        if not self._can_migrate():
            return
        job = self._options().make_job(self.current.host, self._destination().host,
                                       self.guests.selected.props.name)
        self.preflight.run(job, lambda *a: self._update_actions())
        self._update_actions()

    def _update_actions(self):
        busy = self.operation is not None
        self.lookup_action('check').set_enabled(self._can_migrate())
        # Not after the checks said no (it would fail the same way).
        self.lookup_action('migrate').set_enabled(self._can_migrate() and not self.preflight.failed)
        self.lookup_action('cancel').set_enabled(busy)
        self.lookup_action('remove-connection').set_enabled(self.current is not None and not busy)
        self.lookup_action('evacuate').set_enabled(
            not busy and self.current is not None and self.current.is_open
            and any(c.is_open for c in self.store.model if c is not self.current))

    # -- migrate, cancel, evacuate -----------------------------------------

    def _on_migrate(self, *args):
        if not self._can_migrate() or self.preflight.failed:
            return
        src, dst, guest = self.current, self._destination(), self.guests.selected.props.name
        job = self._options().make_job(src.host, dst.host, guest)
        self.migration_title.set_label('Migrating %s from %s to %s' % (guest, src.name, dst.name))
        self.migration_box.set_visible(True)
        self.operation = Migration(job, self.chart, self.progress_bar, self.progress_label,
                                   self.steps_list)
        self.operation.connect('finished', self._on_migration_finished)
        self.operation.start()
        self._update_actions()

    def _on_migration_finished(self, _migration, state, text):
        self.operation = None
        self.toast(text)
        self._update_actions()
        self._selection_changed()

    def _on_cancel(self, *args):
        if self.operation:
            self.operation.cancel()

    def _on_evacuate(self, *args):
        if self.operation or not self.current or not self.current.is_open:
            return
        src = self.current
        dsts = [c for c in self.store.model if c is not src and c.is_open]
        dialog = Adw.MessageDialog(
            transient_for=self, modal=True, heading='Evacuate %s?' % src.name,
            body='Every running guest of %s is migrated to %s.' % (
                src.name, ', '.join(c.name for c in dsts)))
        dialog.add_response('cancel', '_Cancel')
        dialog.add_response('evacuate', '_Evacuate')
        dialog.set_response_appearance('evacuate', Adw.ResponseAppearance.DESTRUCTIVE)
        dialog.set_close_response('cancel')

        def on_response(_d, response):
            if response != 'evacuate':
                return
            self.evacuation_box.set_visible(True)
            self.operation = Evacuation(src.host, [c.host for c in dsts], self._options(),
                                        self.evacuation_bar, self.evacuation_label)
            self.operation.connect('finished', self._on_evacuation_finished)
            self.operation.start()
            self._update_actions()

        dialog.connect('response', on_response)
        dialog.present()

    def _on_evacuation_finished(self, _evac, ok, text):
        self.operation = None
        self.toast(text)
        self._update_actions()
        self._selection_changed()

    # -- add connection, toasts, screenshots ------------------------------

    def add_connection_dialog(self):
        builder = Gtk.Builder.new_from_file(ui_file('add-connection.ui'))
        dialog = builder.get_object('dialog')
        dialog.set_transient_for(self)
        name_entry = builder.get_object('name_entry')
        uri_entry = builder.get_object('uri_entry')

        def on_response(_d, response):
            if response != 'add':
                return
            try:
                self.store.add(name_entry.get_text(), uri_entry.get_text())
            except ValueError as e:
                self.toast(str(e))
                return
            self.select_connection(name_entry.get_text().strip())

        dialog.connect('response', on_response)
        dialog.present()

    def toast(self, text):
        self.toasts.add_toast(Adw.Toast(title=GLib.markup_escape_text(text), timeout=8))

    def screenshot(self, path):
        """Saves the window as it is drawn now to path (PNG)."""
        return screenshot.save_png(self, path)
