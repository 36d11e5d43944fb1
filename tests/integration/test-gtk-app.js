// test-gtk-app.js: the GTK 4 example (examples/gtk/kvmmig-gtk.js) on the
// testbed, under Xvfb, driven by its --automate mode: one migration src to
// dst that completes, then one back that its Cancel button cancels. Each
// run saves a screenshot of the window's final state in the build tree.
// Run as `gjs -m test-gtk-app.js APP.js OUTDIR`; reports TAP.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gdk from 'gi://Gdk?version=4.0';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Kvmmig from 'gi://Kvmmig?version=1.0';
import System from 'system';

import {decode, run, testbedOrSkip} from './testbed.js';

const [app, outdir] = ARGV;
const {script, env} = testbedOrSkip();

let n = 0, failed = 0;
function check(what, func) {
    n++;
    try {
        const note = func();
        print(`ok ${n} - ${what}${note ? ` (${note})` : ''}`);
    } catch (e) {
        failed++;
        print(`not ok ${n} - ${what}`);
        for (const line of String(e.message ?? e).split('\n'))
            print(`# ${line}`);
    }
}

// Runs the app under Xvfb; returns {status, out, err}.
function runApp(args) {
    const xvfbRun = GLib.find_program_in_path('xvfb-run');
    if (!xvfbRun)
        throw new Error('xvfb-run not found: install xvfb and xauth (tests/install-deps)');
    const launcher = new Gio.SubprocessLauncher({
        flags: Gio.SubprocessFlags.STDOUT_PIPE | Gio.SubprocessFlags.STDERR_PIPE,
    });
    launcher.setenv('GTK_A11Y', 'none', true);     // no session bus under Xvfb
    const proc = launcher.spawnv([xvfbRun, '-a', '-s', '-screen 0 1280x1024x24',
        'gjs', '-m', app, '--source', env.KVMMIG_SRC_URI, '--destination', env.KVMMIG_DST_URI,
        '--timeout', '240', ...args]);
    const [, out, err] = proc.communicate_utf8(null, null);
    return {status: proc.get_exit_status(), out: out ?? '', err: err ?? ''};
}

const field = (out, key) => out.split('\n').find(l => l.startsWith(`${key}: `))?.slice(key.length + 2);

// The PNG at path: a valid image of the size of the window the app reported.
function checkScreenshot(path, result) {
    const shot = field(result.out, 'screenshot');
    if (!shot)
        throw new Error(`the app printed no screenshot line:\n${result.out}${result.err}`);
    const m = shot.match(/^(.*) (\d+)x(\d+) \(window (\d+)x(\d+)\)$/);
    if (!m || m[1] !== path)
        throw new Error(`unexpected screenshot line: ${shot}`);
    const [windowW, windowH] = [Number(m[4]), Number(m[5])];
    const bytes = GLib.file_get_contents(path)[1];
    const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b))
        throw new Error(`${path} is not a PNG`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const [w, h] = [view.getUint32(16), view.getUint32(20)];
    const texture = Gdk.Texture.new_from_filename(path);     // decodes it all
    if (texture.get_width() !== w || texture.get_height() !== h)
        throw new Error(`${path}: header says ${w}x${h}, image is ${texture.get_width()}x${texture.get_height()}`);
    if (w !== windowW || h !== windowH)
        throw new Error(`${path} is ${w}x${h}, the window ${windowW}x${windowH}`);
    if (w < 400 || h < 300)
        throw new Error(`${path} is ${w}x${h}: too small to be the window`);
    return `${path}, ${w}x${h}`;
}

function where(name) {
    const found = {};
    for (const [key, uri] of [['src', env.KVMMIG_SRC_URI], ['dst', env.KVMMIG_DST_URI]]) {
        const host = Kvmmig.Host.new(uri);
        host.open(null);
        try {
            found[key] = host.lookup_guest(name, null);
        } catch (e) {
            if (!e.matches(Kvmmig.error_quark(), Kvmmig.Error.GUEST_NOT_FOUND))
                throw e;
        } finally {
            host.close();
        }
    }
    return found;
}

print('TAP version 13');
print('1..8');
const name = `gtk-app-${new Date().getTime() % 100000}`;
const done = `${outdir}/gtk-migration.png`;
const cancelled = `${outdir}/gtk-cancel.png`;
GLib.unlink(done);
GLib.unlink(cancelled);
run([script, 'guest', name, '--on', 'src', '--workload', 'idle']);
try {
    // 1. A migration src -> dst that completes.
    const result = runApp(['--automate', name, '--screenshot', done]);
    const status = field(result.out, 'status') ?? '';
    print(`# app: status ${result.status}, ${status}`);
    check('the app exits 0 after migrating', () => {
        if (result.status !== 0)
            throw new Error(`exit status ${result.status}\n${result.out}${result.err}`);
    });
    check('its status line says the migration completed, with the downtime', () => {
        if (!/^Completed: .*total [\d.]+ s, downtime \d+ ms$/.test(status))
            throw new Error(`status line: '${status}'`);
        if (!status.includes(name))
            throw new Error(`status line does not name ${name}: '${status}'`);
    });
    check('the guest runs on dst, defined there, and is gone from src', () => {
        const found = where(name);
        if (found.src)
            throw new Error('still on src');
        if (!found.dst || found.dst.state !== Kvmmig.GuestState.RUNNING || !found.dst.persistent)
            throw new Error(`on dst: ${found.dst ? `state ${found.dst.state}, persistent ${found.dst.persistent}` : 'missing'}`);
    });
    check('the screenshot of the finished state is a PNG of the window\'s size',
        () => checkScreenshot(done, result));
    print(`# screenshot: ${done}`);

    // 2. Back dst -> src, slowed down, and cancelled with the Cancel button.
    const back = runApp(['--source', env.KVMMIG_DST_URI, '--destination', env.KVMMIG_SRC_URI,
        '--bandwidth', '10', '--cancel-at', '0.2', '--automate', name, '--screenshot', cancelled]);
    const backStatus = field(back.out, 'status') ?? '';
    print(`# app: status ${back.status}, ${backStatus}`);
    check('the Cancel button cancels a migration: exit 1', () => {
        if (!back.out.includes('pressing Cancel'))
            throw new Error(`Cancel was not pressed\n${back.out}${back.err}`);
        if (back.status !== 1)
            throw new Error(`exit status ${back.status}\n${back.out}${back.err}`);
    });
    check('its status line says it was cancelled and where the guest runs', () => {
        if (!/^Cancelled: .*the guest runs on the source/.test(backStatus))
            throw new Error(`status line: '${backStatus}'`);
    });
    check('the guest still runs on dst, and not on src', () => {
        const found = where(name);
        if (found.src)
            throw new Error(`on src too (state ${found.src.state})`);
        if (!found.dst || found.dst.state !== Kvmmig.GuestState.RUNNING)
            throw new Error(`on dst: ${found.dst ? `state ${found.dst.state}` : 'missing'}`);
    });
    check('the screenshot of the cancelled state is a PNG of the window\'s size',
        () => checkScreenshot(cancelled, back));
    print(`# screenshot: ${cancelled}`);
} finally {
    run([script, 'guest-rm', name]);
}
System.exit(failed ? 1 : 0);
