# connections.py: the connections the application knows: those saved in
# GSettings (org.kvmmig.Gtk connections, a name and a URI each) and those
# given for this session only (--uri NAME=URI), as one Gio.ListModel of
# Connection objects; each opens its Kvmmig.Host asynchronously and says
# how far it got (status).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

from gi.repository import Gio, GLib, GObject, Kvmmig

from kvmmig_gtk import APP_ID


class Connection(GObject.Object):
    """A named libvirt host: its Kvmmig.Host once open."""

    __gsignals__ = {
        # The host's daemon asks for credentials: the window shows the
        # dialog (credentials.py) and answers the request.
        'authenticate': (GObject.SignalFlags.RUN_LAST, bool, (Kvmmig.AuthRequest,)),
    }

    name = GObject.Property(type=str, default='')
    uri = GObject.Property(type=str, default='')
    saved = GObject.Property(type=bool, default=False)
    # 'Opening…', 'Connected', 'Closed', or the error's message.
    status = GObject.Property(type=str, default='Not connected')
    is_open = GObject.Property(type=bool, default=False)
    host = GObject.Property(type=Kvmmig.Host)

    def __init__(self, name, uri, saved):
        super().__init__(name=name, uri=uri, saved=saved)
        self._cancellable = None

    def open(self, on_error=None):
        if self.is_open or self._cancellable:
            return
        host = Kvmmig.Host.new(self.uri)
        host.connect('authenticate', lambda _h, req: self.emit('authenticate', req))
        host.connect('closed', self._on_closed)
        self._cancellable = Gio.Cancellable()
        self.status = 'Opening…'

        def done(h, result):
            self._cancellable = None
            try:
                h.open_finish(result)
            except GLib.Error as e:
                self.status = e.message
                if on_error:
                    on_error(self, e)
                return
            self.host = h
            self.is_open = True
            self.status = 'Connected'

        host.open_async(self._cancellable, done)

    def _on_closed(self, host, *args):
        if host is self.host:
            self.is_open = False
            self.status = 'Connection closed'

    def close(self):
        if self._cancellable:
            self._cancellable.cancel()
        if self.host:
            host, self.host = self.host, None
            self.is_open = False
            host.close()


class ConnectionStore(GObject.Object):
    """The connections, a Gio.ListStore of Connection (model)."""

    def __init__(self):
        super().__init__()
        self.model = Gio.ListStore(item_type=Connection)
        source = Gio.SettingsSchemaSource.get_default()
        # Without the schema (run from the source tree with no
        # GSETTINGS_SCHEMA_DIR), nothing is saved: the session's only.
        self.settings = Gio.Settings.new(APP_ID) \
            if source and source.lookup(APP_ID, True) else None
        if self.settings:
            for name, uri in self.settings.get_value('connections').unpack():
                self.model.append(Connection(name, uri, True))

    @property
    def can_save(self):
        return self.settings is not None

    def find(self, name):
        for conn in self.model:
            if conn.name == name:
                return conn
        return None

    def add(self, name, uri, save=True):
        """Adds a connection (saved unless save is False) and returns it;
        raises ValueError if the name is taken or empty."""
        name, uri = name.strip(), uri.strip()
        if not name or not uri:
            raise ValueError('A connection needs a name and a URI')
        if self.find(name):
            raise ValueError('There is already a connection named “%s”' % name)
        conn = Connection(name, uri, bool(save and self.settings))
        self.model.append(conn)
        self._save()
        return conn

    def remove(self, conn):
        found, pos = self.model.find(conn)
        if found:
            self.model.remove(pos)
            conn.close()
            self._save()

    def _save(self):
        if not self.settings:
            return
        saved = [(c.name, c.uri) for c in self.model if c.saved]
        self.settings.set_value('connections', GLib.Variant('a(ss)', saved))
