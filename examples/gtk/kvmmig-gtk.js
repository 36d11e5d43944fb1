// kvmmig-gtk.js: a small GTK 4 application on libkvmmig. It shows two hosts
// and their guests, live-migrates the selected guest from the source to the
// destination with a progress bar and a Cancel button, and ends with the
// total time and downtime, or with the error (which says where the guest
// runs). All libvirt work goes through the library's asynchronous API.
//
//   gjs -m kvmmig-gtk.js [--source URI] [--destination URI] [--bandwidth MiB/s]
//                        [--automate GUEST [--screenshot FILE.png] [--cancel-at F]]
//
// The URIs default to $KVMMIG_SRC_URI and $KVMMIG_DST_URI (the testbed's
// `kvmmig-testbed env`). --automate runs one migration of GUEST without a
// user (pressing Cancel once the progress reaches F with --cancel-at), saves
// the window to FILE.png, prints the status line and exits 0 if the
// migration completed, 1 if not. The integration test drives it so.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gdk from 'gi://Gdk?version=4.0';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Graphene from 'gi://Graphene';
import Gtk from 'gi://Gtk?version=4.0';
import Kvmmig from 'gi://Kvmmig?version=1.0';
import Pango from 'gi://Pango';
import System from 'system';

Gio._promisify(Kvmmig.Host.prototype, 'open_async', 'open_finish');
Gio._promisify(Kvmmig.Host.prototype, 'list_guests_async', 'list_guests_finish');
Gio._promisify(Kvmmig.MigrationJob.prototype, 'run_async', 'run_finish');

const USAGE = `Usage: gjs -m kvmmig-gtk.js [OPTION...]
  --source URI          source host (default: $KVMMIG_SRC_URI)
  --destination URI     destination host (default: $KVMMIG_DST_URI)
  --bandwidth MIB       bandwidth limit in MiB/s (default: 0, no limit)
  --automate GUEST      migrate GUEST without a user, then quit (0: completed)
  --screenshot FILE     with --automate: save the window to FILE (PNG) at the end
  --cancel-at F         with --automate: press Cancel once the progress reaches F (0-1)
  --timeout S           with --automate: cancel the migration after S seconds (600)`;

function parseArgs(argv) {
    const opts = {
        source: GLib.getenv('KVMMIG_SRC_URI') ?? '',
        destination: GLib.getenv('KVMMIG_DST_URI') ?? '',
        automate: null,
        screenshot: null,
        bandwidth: 0,
        cancelAt: null,
        timeout: 600,
    };
    const names = {
        '--source': 'source', '--destination': 'destination', '--automate': 'automate',
        '--screenshot': 'screenshot', '--timeout': 'timeout', '--bandwidth': 'bandwidth',
        '--cancel-at': 'cancelAt',
    };
    for (let i = 0; i < argv.length; i++) {
        let [flag, value] = argv[i].split(/=(.*)/s);
        if (flag === '--help' || flag === '-h') {
            print(USAGE);
            System.exit(0);
        }
        if (!(flag in names)) {
            printerr(`kvmmig-gtk: unknown option '${argv[i]}'\n${USAGE}`);
            System.exit(2);
        }
        if (value === undefined) {
            if (++i >= argv.length) {
                printerr(`kvmmig-gtk: ${flag} needs a value`);
                System.exit(2);
            }
            value = argv[i];
        }
        opts[names[flag]] = value;
    }
    const bad = why => {
        printerr(`kvmmig-gtk: ${why}`);
        System.exit(2);
    };
    opts.timeout = Number(opts.timeout);
    if (!(opts.timeout > 0))
        bad('--timeout needs a positive number of seconds');
    opts.bandwidth = Number(opts.bandwidth);
    if (!Number.isInteger(opts.bandwidth) || opts.bandwidth < 0)
        bad('--bandwidth needs a whole number of MiB/s (0: no limit)');
    if (opts.cancelAt !== null) {
        opts.cancelAt = Number(opts.cancelAt);
        if (!(opts.cancelAt >= 0 && opts.cancelAt < 1))
            bad('--cancel-at needs a fraction from 0 to 1');
    }
    if ((opts.screenshot || opts.cancelAt !== null) && !opts.automate)
        bad('--screenshot and --cancel-at go with --automate');
    return opts;
}

// -- Formatting -----------------------------------------------------------

const MiB = 1024 * 1024;
const GUEST_STATES = {
    [Kvmmig.GuestState.UNKNOWN]: 'unknown', [Kvmmig.GuestState.RUNNING]: 'running',
    [Kvmmig.GuestState.BLOCKED]: 'blocked', [Kvmmig.GuestState.PAUSED]: 'paused',
    [Kvmmig.GuestState.SHUTDOWN]: 'shutting down', [Kvmmig.GuestState.SHUTOFF]: 'shut off',
    [Kvmmig.GuestState.CRASHED]: 'crashed', [Kvmmig.GuestState.PMSUSPENDED]: 'suspended',
};
const JOB_STATES = {
    [Kvmmig.MigrationState.NEW]: 'Starting',
    [Kvmmig.MigrationState.CHECKING]: 'Pre-flight checks',
    [Kvmmig.MigrationState.MIGRATING]: 'Copying memory',
    [Kvmmig.MigrationState.SWITCHING_OVER]: 'Switching over',
    [Kvmmig.MigrationState.COMPLETED]: 'Completed',
    [Kvmmig.MigrationState.FAILED]: 'Failed',
    [Kvmmig.MigrationState.CANCELLED]: 'Cancelled',
};

const mib = bytes => `${(bytes / MiB).toFixed(bytes < 10 * MiB ? 1 : 0)} MiB`;
const seconds = ms => `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;

function hostLabel(host) {
    return host.get_hostname() ?? host.get_uri();
}

// -- One host: its URI, its guests ----------------------------------------

const HostPane = GObject.registerClass({
    Signals: {'selection-changed': {}},
}, class HostPane extends Gtk.Box {
    _init(title, uri) {
        super._init({orientation: Gtk.Orientation.VERTICAL, spacing: 6, hexpand: true});
        this.host = null;
        this._cancellable = null;

        this.append(new Gtk.Label({label: title, xalign: 0, css_classes: ['heading']}));
        const row = new Gtk.Box({spacing: 6});
        this.entry = new Gtk.Entry({text: uri, hexpand: true, placeholder_text: 'qemu+tcp://HOST/system'});
        this.entry.connect('activate', () => this.connectHost().catch(logError));
        this.button = new Gtk.Button({label: 'Connect'});
        this.button.connect('clicked', () => this.connectHost().catch(logError));
        row.append(this.entry);
        row.append(this.button);
        this.append(row);
        this.info = new Gtk.Label({label: 'Not connected', xalign: 0, css_classes: ['dim-label'],
            ellipsize: Pango.EllipsizeMode.END});
        this.append(this.info);

        this.store = new Gio.ListStore({item_type: Kvmmig.Guest});
        this.selection = new Gtk.SingleSelection({model: this.store, autoselect: false, can_unselect: true});
        this.selection.connect('notify::selected', () => this.emit('selection-changed'));
        const view = this.view = new Gtk.ColumnView({model: this.selection, show_column_separators: false,
            css_classes: ['data-table']});
        view.append_column(this._column('Guest', g => g.name, 1));
        view.append_column(this._column('State', g => GUEST_STATES[g.state] ?? String(g.state), 0));
        view.append_column(this._column('Memory', g => mib(g.memory), 0, 1));
        this.append(new Gtk.ScrolledWindow({child: view, vexpand: true, min_content_height: 150,
            hscrollbar_policy: Gtk.PolicyType.NEVER, has_frame: true}));
    }

    _column(title, text, expand, xalign = 0) {
        const factory = new Gtk.SignalListItemFactory();
        factory.connect('setup', (f, item) => {
            item.child = new Gtk.Label({xalign, margin_start: 6, margin_end: 6});
        });
        factory.connect('bind', (f, item) => {
            item.child.label = text(item.item);
        });
        return new Gtk.ColumnViewColumn({title, factory, expand: Boolean(expand)});
    }

    get uri() {
        return this.entry.text.trim();
    }

    get selectedGuest() {
        return this.selection.selected_item;
    }

    // Opens the host at the entry's URI (again if the URI changed), then
    // lists its guests. Returns whether it is open.
    async connectHost() {
        const uri = this.uri;
        if (this.host && this.host.get_uri() === uri && this.host.is_open())
            return this.refresh();
        this._cancellable?.cancel();
        const cancellable = this._cancellable = new Gio.Cancellable();
        if (this.host) {
            this.host.close();
            this.host = null;
        }
        this.store.remove_all();
        if (!uri) {
            this.info.label = 'Not connected: enter a libvirt URI';
            return false;
        }
        const host = Kvmmig.Host.new(uri);
        host.connect('closed', (h, reason) => {
            if (h === this.host && reason !== Kvmmig.CloseReason.CLIENT)
                this.info.label = `Connection to ${uri} lost; press Connect to open it again`;
        });
        this.info.label = `Connecting to ${uri}…`;
        try {
            await host.open_async(cancellable);
        } catch (e) {
            if (!cancellable.is_cancelled())
                this.info.label = e.message;
            return false;
        }
        if (cancellable.is_cancelled()) {     // another URI was asked for meanwhile
            host.close();
            return false;
        }
        this.host = host;
        return this.refresh();
    }

    // Lists the guests again, keeping the selected one selected.
    async refresh(select = null) {
        const host = this.host;
        if (!host)
            return false;
        const keep = select ?? this.selectedGuest?.name;
        let guests;
        try {
            guests = await host.list_guests_async(this._cancellable);
        } catch (e) {
            if (host === this.host)
                this.info.label = e.message;
            return false;
        }
        if (host !== this.host)
            return false;
        guests.sort((a, b) => a.name.localeCompare(b.name));
        this.store.splice(0, this.store.get_n_items(), guests);
        this.info.label = `${hostLabel(host)}: ${guests.length} guest${guests.length === 1 ? '' : 's'}`;
        this.select(keep);
        return true;
    }

    select(name) {
        const i = name ? [...Array(this.store.get_n_items()).keys()]
            .find(n => this.store.get_item(n).name === name) : undefined;
        this.selection.selected = i ?? Gtk.INVALID_LIST_POSITION;
        return i !== undefined;
    }
});

// -- The window ---------------------------------------------------------------

const MigrateWindow = GObject.registerClass(
class MigrateWindow extends Gtk.ApplicationWindow {
    _init(app, opts) {
        super._init({application: app, title: 'kvmmig — live migration',
            default_width: 960, default_height: 620});
        this.job = null;
        this.cancellable = null;
        this.succeeded = false;

        const header = new Gtk.HeaderBar();
        this.set_titlebar(header);

        const box = new Gtk.Box({orientation: Gtk.Orientation.VERTICAL, spacing: 12,
            margin_top: 12, margin_bottom: 12, margin_start: 12, margin_end: 12});
        this.set_child(box);

        const panes = new Gtk.Box({spacing: 12, vexpand: true, homogeneous: true});
        this.source = new HostPane('Source', opts.source);
        this.destination = new HostPane('Destination', opts.destination);
        panes.append(this.source);
        panes.append(this.destination);
        box.append(panes);
        for (const pane of [this.source, this.destination])
            pane.connect('selection-changed', () => this._updateButtons());

        const actions = new Gtk.Box({spacing: 6});
        this.migrateButton = new Gtk.Button({label: 'Migrate →', css_classes: ['suggested-action']});
        this.migrateButton.connect('clicked', () => this.migrate().catch(logError));
        this.cancelButton = new Gtk.Button({label: 'Cancel', css_classes: ['destructive-action'],
            sensitive: false});
        this.cancelButton.connect('clicked', () => this.cancellable?.cancel());
        this.swapButton = new Gtk.Button({label: 'Swap hosts',
            tooltip_text: 'Exchange source and destination, to migrate back'});
        this.swapButton.connect('clicked', () => this._swap());
        this.jobLabel = new Gtk.Label({label: 'Select a running guest on the source', xalign: 0,
            hexpand: true, ellipsize: Pango.EllipsizeMode.END});
        this.bandwidth = Gtk.SpinButton.new_with_range(0, 100000, 10);
        this.bandwidth.value = opts.bandwidth;
        this.bandwidth.tooltip_text = 'Bandwidth limit of the migration in MiB/s; 0: no limit';
        actions.append(this.migrateButton);
        actions.append(this.cancelButton);
        actions.append(this.jobLabel);
        actions.append(new Gtk.Label({label: 'Limit (MiB/s)'}));
        actions.append(this.bandwidth);
        actions.append(this.swapButton);
        box.append(actions);

        this.progress = new Gtk.ProgressBar({show_text: true, text: ' '});
        box.append(this.progress);
        this.details = new Gtk.Label({label: ' ', xalign: 0, css_classes: ['dim-label']});
        box.append(this.details);

        box.append(new Gtk.Label({label: 'Policy steps', xalign: 0, css_classes: ['heading']}));
        this.steps = new Gtk.Box({orientation: Gtk.Orientation.VERTICAL, spacing: 2});
        box.append(this.steps);
        this._resetSteps('None yet');

        this.status = new Gtk.Label({label: ' ', xalign: 0, wrap: true, selectable: true,
            css_classes: ['title-4']});
        box.append(this.status);

        this._updateButtons();
        this.set_focus(this.source.view);

        // Closing the window while a migration runs cancels it first (the
        // migration is peer-to-peer: it would go on without this program).
        this.connect('close-request', () => {
            if (!this.running)
                return false;
            this._closeWhenDone = true;
            this.cancellable.cancel();
            this.status.label = 'Cancelling the migration before closing…';
            return true;
        });
    }

    async connectHosts() {
        const [a, b] = await Promise.all([this.source.connectHost(), this.destination.connectHost()]);
        this._updateButtons();
        return a && b;
    }

    get running() {
        return this.cancellable !== null;
    }

    _updateButtons() {
        const guest = this.source.selectedGuest;
        const ready = !this.running && guest && this.source.host && this.destination.host;
        this.migrateButton.sensitive = Boolean(ready);
        this.cancelButton.sensitive = this.running;
        this.swapButton.sensitive = !this.running;
        this.bandwidth.sensitive = !this.running;
        for (const pane of [this.source, this.destination]) {
            pane.entry.sensitive = !this.running;
            pane.button.sensitive = !this.running;
        }
        if (!this.running && (guest || !this.job)) {
            this.jobLabel.label = guest ? `${guest.name}: ${hostLabel(this.source.host)} → ` +
                `${this.destination.host ? hostLabel(this.destination.host) : 'destination'}`
                : 'Select a running guest on the source';
        }
    }

    _swap() {
        const [a, b] = [this.source.uri, this.destination.uri];
        this.source.entry.text = b;
        this.destination.entry.text = a;
        this.connectHosts().catch(logError);
    }

    _clearSteps() {
        let child;
        while ((child = this.steps.get_first_child()))
            this.steps.remove(child);
    }

    _resetSteps(text) {
        this._clearSteps();
        this._addStep(text, true);
    }

    _addStep(text, dim = false) {
        this.steps.append(new Gtk.Label({label: text, xalign: 0, wrap: true,
            css_classes: dim ? ['dim-label'] : []}));
    }

    _showProgress(job) {
        // libkvmmig 0.1 posts samples without figures (all 0) while a
        // cancelled migration winds down: keep the last figures on screen.
        if (job.bytes_total > 0 || !this._figures) {
            const parts = [`${(100 * job.progress).toFixed(job.progress < 1 ? 1 : 0)} %`];
            if (job.bandwidth > 0)
                parts.push(`${mib(job.bandwidth)}/s`);
            if (job.iteration > 0)
                parts.push(`pass ${job.iteration}`);
            if (job.eta_ms >= 0 && job.state === Kvmmig.MigrationState.MIGRATING)
                parts.push(`ETA ${seconds(job.eta_ms)}`);
            this.progress.fraction = job.progress;
            this.progress.text = parts.join(' · ');
            if (job.bytes_total > 0) {
                this._figures = `sent ${mib(job.bytes_processed)}, ${mib(job.bytes_remaining)} left, ` +
                    `guest dirties ${mib(job.dirty_rate)}/s`;
            }
        }
        this.details.label = `${JOB_STATES[job.state]}: ${this._figures ?? 'no figures yet'}, ` +
            `${seconds(job.elapsed_ms)} elapsed`;
    }

    // Migrates the guest selected on the source to the destination. Returns
    // whether it completed; the status line says how it ended.
    async migrate() {
        const guest = this.source.selectedGuest;
        if (this.running || !guest)
            return false;
        const src = this.source.host, dst = this.destination.host;
        const name = guest.name;
        const job = this.job = Kvmmig.MigrationJob.new(src, dst, name);
        job.bandwidth_limit = this.bandwidth.get_value_as_int();
        this.cancellable = new Gio.Cancellable();
        this._updateButtons();
        this.jobLabel.label = `Migrating ${name}: ${hostLabel(src)} → ${hostLabel(dst)}`;
        this.status.label = ' ';
        this.status.remove_css_class('kvmmig-ok');
        this.status.remove_css_class('kvmmig-error');
        this.progress.fraction = 0;
        this.progress.text = 'Pre-flight checks…';
        this.details.label = ' ';
        this._resetSteps('None yet');
        this._figures = null;

        let steps = 0;
        let moved = false;
        const ids = [
            job.connect('progress', j => this._showProgress(j)),
            job.connect('notify::state', j => {
                moved ||= j.state === Kvmmig.MigrationState.MIGRATING;
                if (j.state === Kvmmig.MigrationState.CHECKING)
                    this.progress.text = 'Pre-flight checks…';
                else
                    this._showProgress(j);
            }),
            job.connect('policy-step', (j, step) => {
                if (steps++ === 0)
                    this._clearSteps();
                this._addStep(`${seconds(step.elapsed_ms)}, pass ${step.iteration}: ${step.description}` +
                    `${step.applied ? '' : ' (not applied)'}`);
            }),
        ];

        let error = null;
        try {
            await job.run_async(this.cancellable);
        } catch (e) {
            error = e;
        }
        ids.forEach(id => job.disconnect(id));
        this.cancellable = null;
        this.jobLabel.label = `${name}: ${hostLabel(src)} → ${hostLabel(dst)}` +
            (job.bandwidth_limit ? `, limit ${job.bandwidth_limit} MiB/s` : '');

        const ok = !error && job.state === Kvmmig.MigrationState.COMPLETED;
        let line;
        if (ok) {
            this._showProgress(job);
            line = `Completed: ${name} now runs on ${hostLabel(dst)}; ` +
                `total ${seconds(job.total_ms)}, downtime ${job.downtime_ms} ms`;
            if (steps === 0)
                this._resetSteps('None: the migration converged without help');
        } else {
            const what = job.state === Kvmmig.MigrationState.CANCELLED ? 'Cancelled' : 'Failed';
            line = `${what}: ${error ? error.message : JOB_STATES[job.state]}`;
            if (!moved && !/runs on/.test(line))
                line += ` (nothing was moved: ${name} stays on ${hostLabel(src)})`;
            if (steps === 0)
                this._resetSteps('None');
            this._showProgress(job);
            this.progress.text = `${what} at ${(100 * job.progress).toFixed(1)} %`;
        }
        this.status.label = line;
        this.status.add_css_class(ok ? 'kvmmig-ok' : 'kvmmig-error');
        this.succeeded = ok;

        // The lists as they are now; the migrated guest selected where it runs.
        await Promise.all([this.source.refresh(), this.destination.refresh(ok ? name : null)]);
        this._updateButtons();
        if (this._closeWhenDone)
            this.close();
        return ok;
    }

    // Renders the window as it is now into a PNG; returns [width, height].
    saveScreenshot(path) {
        const width = this.get_width(), height = this.get_height();
        const snapshot = new Gtk.Snapshot();
        new Gtk.WidgetPaintable({widget: this}).snapshot(snapshot, width, height);
        const node = snapshot.to_node();
        const viewport = new Graphene.Rect();
        viewport.init(0, 0, width, height);
        const texture = this.get_native().get_renderer().render_texture(node, viewport);
        if (!texture.save_to_png(path))
            throw new Error(`could not write ${path}`);
        return [texture.get_width(), texture.get_height()];
    }
});

// Calls func once the window has drawn a few frames (lists re-laid out).
function afterFrames(widget, n, func) {
    let left = n;
    widget.queue_draw();
    widget.add_tick_callback(() => {
        if (--left > 0)
            return GLib.SOURCE_CONTINUE;
        GLib.idle_add(GLib.PRIORITY_LOW, () => {
            func();
            return GLib.SOURCE_REMOVE;
        });
        return GLib.SOURCE_REMOVE;
    });
}

// -- Automation (for the integration test) -----------------------------

async function automate(app, win, opts) {
    let ok = false;
    const timer = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, opts.timeout, () => {
        printerr(`kvmmig-gtk: no result after ${opts.timeout} s, cancelling`);
        if (win.running)
            win.cancellable.cancel();
        else
            finish(false, `Failed: no result after ${opts.timeout} s`);
        return GLib.SOURCE_REMOVE;
    });
    let done = false;
    function finish(success, line) {
        if (done)
            return;
        done = true;
        GLib.source_remove(timer);
        if (line)
            win.status.label = line;
        afterFrames(win, 3, () => {
            print(`status: ${win.status.label}`);
            if (opts.screenshot) {
                try {
                    const [w, h] = win.saveScreenshot(opts.screenshot);
                    print(`screenshot: ${opts.screenshot} ${w}x${h} ` +
                        `(window ${win.get_width()}x${win.get_height()})`);
                } catch (e) {
                    printerr(`kvmmig-gtk: screenshot: ${e.message}`);
                    success = false;
                }
            }
            exitStatus = success ? 0 : 1;
            app.quit();
        });
    }

    try {
        if (!await win.connectHosts()) {
            finish(false, `Failed: could not open both hosts: ${win.source.info.label}; ${win.destination.info.label}`);
            return;
        }
        if (!win.source.select(opts.automate)) {
            finish(false, `Failed: no guest '${opts.automate}' on ${win.source.uri}`);
            return;
        }
        const migration = win.migrate();
        if (opts.cancelAt !== null) {
            // Press Cancel as a user would, once the bar reaches the mark.
            const id = win.progress.connect('notify::fraction', bar => {
                if (bar.fraction >= opts.cancelAt && win.cancelButton.sensitive) {
                    print(`pressing Cancel at ${(100 * bar.fraction).toFixed(1)} %`);
                    win.cancelButton.emit('clicked');
                    bar.disconnect(id);
                }
            });
        }
        ok = await migration;
        finish(ok, null);
    } catch (e) {
        finish(false, `Failed: ${e.message}`);
    }
}

// -- Main -------------------------------------------------------------------

let exitStatus = 0;
const opts = parseArgs(ARGV);
const app = new Gtk.Application({application_id: 'org.libkvmmig.GtkExample',
    flags: Gio.ApplicationFlags.NON_UNIQUE});
app.connect('startup', () => {
    const css = new Gtk.CssProvider();
    const rules = '.kvmmig-ok { color: #1c7b3a; } .kvmmig-error { color: #c01c28; }';
    if (css.load_from_string)       // GTK 4.12 and later
        css.load_from_string(rules);
    else
        css.load_from_data(rules);
    Gtk.StyleContext.add_provider_for_display(Gdk.Display.get_default(), css,
        Gtk.STYLE_PROVIDER_PRIORITY_APPLICATION);
});
app.connect('activate', () => {
    const win = new MigrateWindow(app, opts);
    win.present();
    if (opts.automate)
        automate(app, win, opts);
    else
        win.connectHosts().catch(logError);
});
const status = app.run([System.programInvocationName]);
System.exit(status || exitStatus);
