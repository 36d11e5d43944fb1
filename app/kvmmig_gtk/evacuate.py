# evacuate.py: "Evacuate host": every running guest of a host migrated to
# the other open hosts (Kvmmig.Evacuation), with its aggregate progress in
# the window; cancelled by the window's Cancel like a migration.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

from gi.repository import Gio, GLib, GObject, Kvmmig


class Evacuation(GObject.Object):
    __gsignals__ = {'finished': (GObject.SignalFlags.RUN_LAST, None, (bool, str))}

    running = GObject.Property(type=bool, default=False)

    def __init__(self, source, destinations, options, bar, label):
        super().__init__()
        self.evac = Kvmmig.Evacuation.new(source, destinations)
        self.evac.set_bandwidth_limit(int(options.bandwidth))
        self.evac.set_allow_postcopy(options.postcopy)
        self.evac.set_tls(options.tls)
        self.bar, self.label = bar, label
        self.cancellable = Gio.Cancellable()

    def start(self):
        for prop in ('progress', 'guests-moved', 'guests-failed', 'guests-total', 'state'):
            self.evac.connect('notify::' + prop, self._update)
        self.running = True
        self.bar.set_fraction(0)
        self.label.set_label('Starting the evacuation…')
        self.evac.run_async(self.cancellable, self._on_done)

    def cancel(self):
        if self.running:
            self.label.set_label('Cancelling…')
            self.cancellable.cancel()

    def _update(self, *args):
        e = self.evac
        self.bar.set_fraction(max(0.0, min(1.0, e.get_progress())))
        self.bar.set_text('%d %%' % round(e.get_progress() * 100))
        self.label.set_label('%d of %d guests moved, %d failed' % (
            e.get_guests_moved(), e.get_guests_total(), e.get_guests_failed()))

    def _on_done(self, evac, result):
        self.running = False
        try:
            ok = evac.run_finish(result)
            message = ''
        except GLib.Error as e:
            ok, message = False, e.message
        self._update()
        moved = evac.get_guests_moved()
        text = ('Evacuated: %d %s moved.' % (moved, 'guest' if moved == 1 else 'guests')) if ok else \
            'Evacuation stopped: %s (%d moved, %d failed)' % (
                message or 'not every guest moved', evac.get_guests_moved(), evac.get_guests_failed())
        self.label.set_label(text)
        self.emit('finished', ok, text)
