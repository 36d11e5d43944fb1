# guests.py: a host's guests in a Gtk.ListView, straight from the host's
# live model (Kvmmig.Host:guests, kept current by libvirt's events: no
# polling): name, state and memory per row, one guest selectable.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

from gi.repository import GObject, Gtk, Kvmmig

STATE_NAMES = {
    Kvmmig.GuestState.UNKNOWN: 'unknown',
    Kvmmig.GuestState.RUNNING: 'running',
    Kvmmig.GuestState.BLOCKED: 'blocked',
    Kvmmig.GuestState.PAUSED: 'paused',
    Kvmmig.GuestState.SHUTDOWN: 'shutting down',
    Kvmmig.GuestState.SHUTOFF: 'shut off',
    Kvmmig.GuestState.CRASHED: 'crashed',
    Kvmmig.GuestState.PMSUSPENDED: 'suspended',
}


def state_name(state):
    return STATE_NAMES.get(state, str(state))


def memory_text(n):
    if n >= 1024 ** 3:
        return '%.1f GiB' % (n / 1024 ** 3)
    return '%d MiB' % (n // 1024 ** 2)


class GuestList(GObject.Object):
    """Drives a Gtk.ListView: set_host() swaps in a host's guest model;
    'selected' is the selected Kvmmig.Guest (or None)."""

    selected = GObject.Property(type=Kvmmig.Guest)

    def __init__(self, view):
        super().__init__()
        self.view = view
        self.selection = Gtk.SingleSelection(autoselect=False, can_unselect=True)
        self.selection.connect('notify::selected-item', self._on_selected)
        factory = Gtk.SignalListItemFactory()
        factory.connect('setup', self._setup)
        factory.connect('bind', self._bind)
        factory.connect('unbind', self._unbind)
        view.set_factory(factory)
        view.set_model(self.selection)
        self._watched = None

    def set_host(self, host):
        self.selection.set_model(host.get_guests() if host else None)
        self.selection.set_selected(Gtk.INVALID_LIST_POSITION)
        self._on_selected()

    def _on_selected(self, *args):
        guest = self.selection.get_selected_item()
        if self._watched:
            self._watched[0].disconnect(self._watched[1])
            self._watched = None
        if guest:
            # A state change of the selected guest updates what depends on it.
            self._watched = (guest, guest.connect('notify::state', lambda *a: self.notify('selected')))
        self.selected = guest

    def _setup(self, _factory, item):
        box = Gtk.Box(spacing=12, margin_top=6, margin_bottom=6, margin_start=6, margin_end=6)
        name = Gtk.Label(xalign=0, hexpand=True)
        state = Gtk.Label(xalign=0, width_chars=12)
        memory = Gtk.Label(xalign=1, width_chars=10)
        state.add_css_class('dim-label')
        memory.add_css_class('numeric')
        for w in (name, state, memory):
            box.append(w)
        item.set_child(box)

    def _bind(self, _factory, item):
        guest = item.get_item()
        box = item.get_child()
        name = box.get_first_child()
        state = name.get_next_sibling()
        memory = state.get_next_sibling()

        def update(*args):
            name.set_label(guest.props.name)
            state.set_label(state_name(guest.props.state))
            memory.set_label(memory_text(guest.props.memory))
            box.update_property([Gtk.AccessibleProperty.LABEL],
                                ['%s, %s' % (guest.props.name, state.get_label())])

        update()
        item._handlers = [guest.connect('notify::%s' % p, update)
                          for p in ('name', 'state', 'memory')]

    def _unbind(self, _factory, item):
        guest = item.get_item()
        for h in getattr(item, '_handlers', []):
            guest.disconnect(h)
        item._handlers = []
