# preflight.py: the pre-flight checks of a migration shown before it
# starts: a job made only to check (Kvmmig.MigrationJob.check_async), each
# of its Kvmmig.Check as a row: a status icon and word, the title and the
# message.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

from gi.repository import Adw, Gio, GLib, Gtk, Kvmmig

STATUS = {
    Kvmmig.CheckStatus.PASSED: ('Passed', 'emblem-ok-symbolic', 'success'),
    Kvmmig.CheckStatus.WARNING: ('Warning', 'dialog-warning-symbolic', 'warning'),
    Kvmmig.CheckStatus.FAILED: ('Failed', 'dialog-error-symbolic', 'error'),
    Kvmmig.CheckStatus.SKIPPED: ('Skipped', 'action-unavailable-symbolic', 'dim-label'),
}


class Preflight:
    """Fills an Adw.PreferencesGroup with the checks of one job."""

    def __init__(self, group):
        self.group = group
        self.rows = []
        self.cancellable = None
        self.passed = False
        self.failed = False      # checked, and a check failed

    def clear(self, description):
        if self.cancellable:
            self.cancellable.cancel()
            self.cancellable = None
        for row in self.rows:
            self.group.remove(row)
        self.rows = []
        self.passed = False
        self.failed = False
        self.group.set_description(description)

    def run(self, job, done=None):
        """Checks job (a fresh Kvmmig.MigrationJob), shows its checks, then
        calls done(passed, error_or_None)."""
        self.clear('Checking…')
        self.cancellable = cancellable = Gio.Cancellable()

        def finished(j, result):
            if cancellable.is_cancelled():
                return
            self.cancellable = None
            error = None
            try:
                self.passed = j.check_finish(result)
            except GLib.Error as e:
                error = e
                self.passed = False
            self.failed = not self.passed
            checks = j.get_checks() or []
            for check in checks:
                self._add(check)
            if error and not checks:
                self.group.set_description(error.message)
            elif self.passed:
                self.group.set_description('%d checks: the migration can start.' % len(checks))
            else:
                self.group.set_description('The migration cannot start: %s'
                                           % (error.message if error else 'a check failed'))
            if done:
                done(self.passed, error)

        job.check_async(cancellable, finished)

    def _add(self, check):
        word, icon, css = STATUS.get(check.props.status, ('Unknown', 'dialog-question-symbolic', 'dim-label'))
        row = Adw.ActionRow(title=GLib.markup_escape_text(check.props.title or check.props.id),
                            subtitle=GLib.markup_escape_text(check.props.message or ''))
        image = Gtk.Image(icon_name=icon)
        image.add_css_class(css)
        image.update_property([Gtk.AccessibleProperty.LABEL], [word])
        row.add_prefix(image)
        status = Gtk.Label(label=word)
        status.add_css_class(css)
        row.add_suffix(status)
        row.update_property([Gtk.AccessibleProperty.DESCRIPTION], ['%s: %s' % (word, check.props.message or '')])
        self.group.add(row)
        self.rows.append(row)
