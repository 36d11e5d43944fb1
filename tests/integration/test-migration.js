// test-migration.js: a live migration on the testbed through the typelib,
// from GJS with the asynchronous API. Run as `gjs -m`; reports TAP.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import Kvmmig from 'gi://Kvmmig?version=1.0';
import System from 'system';

import {callAsync} from '../common/mainloop.js';
import {run, testbedOrSkip} from './testbed.js';

const {script, env} = testbedOrSkip();

const lastBeat = (name, logdir) => {
    let text = '';
    try {
        text = new TextDecoder().decode(GLib.file_get_contents(`${logdir}/${name}-serial.log`)[1]);
    } catch (e) {}
    const beats = [...text.matchAll(/KVMMIG-GUEST alive (\d+)/g)];
    return beats.length ? Number(beats[beats.length - 1][1]) : -1;
};

print('TAP version 13');
print('1..1');
const name = `it-js-idle-${new Date().getTime() % 100000}`;
run([script, 'guest', name, '--on', 'src', '--workload', 'idle']);
let failure = null;
try {
    const src = Kvmmig.Host.new(env.KVMMIG_SRC_URI);
    const dst = Kvmmig.Host.new(env.KVMMIG_DST_URI);
    src.open(null);
    dst.open(null);
    const job = Kvmmig.MigrationJob.new(src, dst, name);
    const progress = [];
    job.connect('progress', j => progress.push(j.progress));

    const ok = callAsync(cb => job.run_async(null, cb), (j, result) => j.run_finish(result));
    if (!ok || job.state !== Kvmmig.MigrationState.COMPLETED)
        throw new Error(`job ended in state ${job.state}`);
    const guest = dst.lookup_guest(name, null);
    if (guest.state !== Kvmmig.GuestState.RUNNING || !guest.persistent)
        throw new Error('not running and defined on the destination');
    let onSource = true;
    try {
        src.lookup_guest(name, null);
    } catch (e) {
        onSource = !e.matches(Kvmmig.error_quark(), Kvmmig.Error.GUEST_NOT_FOUND);
    }
    if (onSource)
        throw new Error('still on the source');
    if (progress.some((p, i) => i > 0 && p < progress[i - 1]))
        throw new Error('progress went backwards');
    const before = lastBeat(name, env.KVMMIG_SRC_LOGDIR);
    let after = -1;
    for (let i = 0; i < 60 && after <= before; i++) {
        GLib.usleep(250000);
        after = lastBeat(name, env.KVMMIG_DST_LOGDIR);
    }
    if (after <= before)
        throw new Error(`heartbeat stopped: ${before} on src, ${after} on dst`);
    print(`ok 1 - idle guest migrated from GJS (${job.total_ms} ms, downtime ${job.downtime_ms} ms)`);
} catch (e) {
    print('not ok 1 - idle guest migrated from GJS');
    print(`# ${e}`);
    failure = e;
} finally {
    run([script, 'guest-rm', name]);
}
System.exit(failure ? 1 : 0);
