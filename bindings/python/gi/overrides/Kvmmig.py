# Kvmmig.py: PyGObject overrides for libkvmmig. Only what makes Python
# code idiomatic beyond what the GIR gives: hosts as context managers and
# iterables of their guests, readable reprs, and Ctrl-C that cancels a
# migration or an evacuation instead of abandoning it
# (run_interruptible()).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import signal
import threading

from gi.repository import Gio, GLib

from ..module import get_introspection_module
from ..overrides import override

Kvmmig = get_introspection_module('Kvmmig')

__all__ = []


class Host(Kvmmig.Host):
    """A libvirt host.

    ``with Kvmmig.Host.new(uri) as host:`` opens the host (blocking) and
    closes it on leaving the block; ``for guest in host:`` lists its guests.
    """

    def __enter__(self):
        self.open(None)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()
        return False

    def __iter__(self):
        return iter(self.list_guests(None))

    def __repr__(self):
        state = 'open' if self.is_open() else 'closed'
        return '<Kvmmig.Host %s (%s)>' % (self.get_uri(), state)


Host = override(Host)
__all__.append('Host')


class Guest(Kvmmig.Guest):
    def __repr__(self):
        return '<Kvmmig.Guest %r on %s: %s>' % (
            self.get_name(), self.get_host_uri(),
            self.get_state().value_nick)


Guest = override(Guest)
__all__.append('Guest')


def _run_interruptible(runner, cancellable):
    """Runs runner (a MigrationJob or an Evacuation) with run_async on a
    main loop of the thread-default context, Ctrl-C cancelling it: see
    MigrationJob.run_interruptible."""
    on_main_thread = threading.current_thread() is threading.main_thread()
    own = Gio.Cancellable()
    if cancellable is not None:
        cancellable.connect(lambda c: own.cancel())
    context = GLib.MainContext.get_thread_default() or GLib.MainContext.default()
    loop = GLib.MainLoop.new(context, False)
    outcome = {}
    interrupted = []

    def on_sigint(signum, frame):
        # Absorbed until the run ended: leaving now would abandon the
        # migration, which goes on without this process.
        interrupted.append(signum)
        own.cancel()

    def done(obj, result):
        try:
            outcome['ok'] = obj.run_finish(result)
        except GLib.Error as e:
            outcome['error'] = e
        loop.quit()

    previous = signal.signal(signal.SIGINT, on_sigint) if on_main_thread else None
    try:
        runner.run_async(own, done)
        # PyGObject wakes the loop on a signal, so that on_sigint runs at once.
        while 'ok' not in outcome and 'error' not in outcome:
            loop.run()
    finally:
        if on_main_thread:
            signal.signal(signal.SIGINT, previous)
    if interrupted:
        raise KeyboardInterrupt()
    if 'error' in outcome:
        raise outcome['error']
    return outcome['ok']


class MigrationJob(Kvmmig.MigrationJob):
    def run_interruptible(self, cancellable=None):
        """Runs the job as run() does, blocking, but with Ctrl-C: a SIGINT
        (on the main thread) cancels the job, and once the job ended
        KeyboardInterrupt is raised. A cancelled migration leaves the guest
        running on its source; one cancelled too late to stop (the switch
        to the destination under way) completes, and the job's
        guest_location says where the guest runs. The job's signals are
        emitted on the calling thread's default main context, which runs
        meanwhile. Returns True as run() does, or raises its GLib.Error."""
        return _run_interruptible(self, cancellable)

    def __repr__(self):
        return '<Kvmmig.MigrationJob %r: %s>' % (self.props.guest_name,
                                                 self.props.state.value_nick)


MigrationJob = override(MigrationJob)
__all__.append('MigrationJob')


class Evacuation(Kvmmig.Evacuation):
    def run_interruptible(self, cancellable=None):
        """Runs the evacuation as run() does, with Ctrl-C cancelling it:
        the migration under way is cancelled (its guest stays on the
        source), no other starts, and KeyboardInterrupt is raised once it
        ended. See MigrationJob.run_interruptible."""
        return _run_interruptible(self, cancellable)


Evacuation = override(Evacuation)
__all__.append('Evacuation')
