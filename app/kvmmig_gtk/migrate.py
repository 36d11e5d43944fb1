# migrate.py: one migration, as the window shows it: the options applied
# to a fresh Kvmmig.MigrationJob, then while it runs the chart, the
# progress bar and its text, the policy's steps (the last few) and Cancel
# (a Gio.Cancellable); at the end the outcome.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import time

from gi.repository import Gio, GLib, GObject, Gtk, Kvmmig

POLICIES = [Kvmmig.MigrationPolicy.AUTO, Kvmmig.MigrationPolicy.PRECOPY,
            Kvmmig.MigrationPolicy.POSTCOPY]
STORAGE = [Kvmmig.StorageCopy.NONE, Kvmmig.StorageCopy.ALL,
           Kvmmig.StorageCopy.INCREMENTAL]
STATE_WORDS = {
    Kvmmig.MigrationState.NEW: 'Starting',
    Kvmmig.MigrationState.CHECKING: 'Checking',
    Kvmmig.MigrationState.MIGRATING: 'Migrating',
    Kvmmig.MigrationState.SWITCHING_OVER: 'Switching over',
    Kvmmig.MigrationState.COMPLETED: 'Completed',
    Kvmmig.MigrationState.FAILED: 'Failed',
    Kvmmig.MigrationState.CANCELLED: 'Cancelled',
    Kvmmig.MigrationState.POSTCOPY_PAUSED: 'Post-copy paused',
}
MAX_STEPS = 8


class Options:
    """The migration options as the window's widgets hold them."""

    def __init__(self, policy=0, postcopy=False, bandwidth=0, downtime=0, tls=False, storage=0):
        self.policy, self.postcopy, self.bandwidth = policy, postcopy, bandwidth
        self.downtime, self.tls, self.storage = downtime, tls, storage

    def make_job(self, src, dst, guest_name):
        job = Kvmmig.MigrationJob.new(src, dst, guest_name)
        job.props.policy = POLICIES[self.policy]
        job.props.allow_postcopy = self.postcopy
        job.props.bandwidth_limit = int(self.bandwidth)
        if self.downtime > 0:
            job.props.max_downtime_ms = int(self.downtime)
        job.props.tls = self.tls
        job.props.copy_storage = STORAGE[self.storage]
        return job


def _mib(n):
    return n / (1024 * 1024)


class Migration(GObject.Object):
    """Runs job and shows it in the widgets of the window's migration box;
    emits 'finished' (state, message) at the end."""

    __gsignals__ = {'finished': (GObject.SignalFlags.RUN_LAST, None, (int, str))}

    running = GObject.Property(type=bool, default=False)

    def __init__(self, job, chart, bar, label, steps_list):
        super().__init__()
        self.job, self.chart, self.bar, self.label = job, chart, bar, label
        self.steps_list = steps_list
        self.cancellable = Gio.Cancellable()
        self.t0 = time.monotonic()

    def start(self):
        self.chart.clear()
        while (row := self.steps_list.get_row_at_index(0)):
            self.steps_list.remove(row)
        self.bar.set_fraction(0)
        self.bar.set_text('0 %')
        self.label.set_label('Starting the migration of %s…' % self.job.props.guest_name)
        self.job.connect('progress', self._on_progress)
        self.job.connect('policy-step', self._on_step)
        self.job.connect('notify::state', self._on_progress)
        self.running = True
        self.job.run_async(self.cancellable, self._on_done)

    def cancel(self):
        if self.running:
            self.label.set_label('Cancelling…')
            self.cancellable.cancel()

    def _on_progress(self, job, *args):
        p = job.props
        fraction = max(0.0, min(1.0, p.progress))
        self.bar.set_fraction(fraction)
        self.bar.set_text('%d %%' % round(fraction * 100))
        if p.bytes_total:   # nothing to draw before the first figures
            self.chart.add(time.monotonic() - self.t0, p.bytes_remaining, p.dirty_rate)
        words = [STATE_WORDS.get(p.state, str(p.state))]
        if p.bytes_total:
            words.append('%.0f of %.0f MiB left' % (_mib(p.bytes_remaining), _mib(p.bytes_total)))
        if p.bandwidth:
            words.append('%.1f MiB/s' % _mib(p.bandwidth))
        words.append('dirty %.1f MiB/s' % _mib(p.dirty_rate))
        if p.iteration:
            words.append('pass %d' % p.iteration)
        if p.eta_ms > 0:
            words.append('about %d s to go' % max(1, p.eta_ms // 1000))
        self.label.set_label(', '.join(words))

    def _on_step(self, _job, step):
        row = Gtk.Label(label=step.props.description, xalign=0, wrap=True,
                        margin_top=6, margin_bottom=6, margin_start=12, margin_end=12)
        self.steps_list.append(row)
        # The last MAX_STEPS only: a long migration takes many.
        while self.steps_list.get_row_at_index(MAX_STEPS) is not None:
            self.steps_list.remove(self.steps_list.get_row_at_index(0))

    def _on_done(self, job, result):
        self.running = False
        message = None
        try:
            job.run_finish(result)
        except GLib.Error as e:
            message = e.message
        state = job.props.state
        name = job.props.guest_name
        if state == Kvmmig.MigrationState.COMPLETED and message is None:
            self.bar.set_fraction(1)
            self.bar.set_text('100 %')
            total = job.props.total_ms
            downtime = job.props.downtime_ms
            text = 'Completed: %s runs on the destination (%.1f s, downtime %d ms).' % (
                name, total / 1000, downtime)
        elif state == Kvmmig.MigrationState.CANCELLED or self.cancellable.is_cancelled():
            text = 'Cancelled: %s runs on the source.' % name
            state = Kvmmig.MigrationState.CANCELLED
        else:
            text = 'Failed: %s' % (message or 'the migration did not complete')
            state = Kvmmig.MigrationState.FAILED
        self.label.set_label(text)
        self.emit('finished', int(state), text)
