// testbed.js: what the GJS integration tests share (test-migration.js):
// running a command, and the testbed's addresses from
// `kvmmig-testbed env`, or a TAP "1..0 # SKIP" plan when there is no
// testbed. Imported as an ES module (`gjs -m`).
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import System from 'system';

export const decode = b => new TextDecoder().decode(b);

// Runs argv (searching PATH) and returns its standard output; throws with
// its standard error if it fails.
export function run(argv) {
    const [, out, err, status] = GLib.spawn_sync(null, argv, null,
        GLib.SpawnFlags.SEARCH_PATH, null);
    if (status !== 0)
        throw new Error(`${argv.join(' ')} failed: ${decode(err)}`);
    return decode(out);
}

// The testbed script ($KVMMIG_TESTBED) and its `env` as an object, e.g.
// env.KVMMIG_SRC_URI; without a testbed up, prints a TAP skip plan and
// exits 0.
export function testbedOrSkip() {
    const script = GLib.getenv('KVMMIG_TESTBED');
    const skip = why => {
        print(`1..0 # SKIP ${why}`);
        System.exit(0);
    };
    if (!script)
        skip('KVMMIG_TESTBED is not set: run through `meson test --suite integration`');
    try {
        run([script, 'status']);
    } catch (e) {
        skip('the testbed is not up (or this is not root): run `kvmmig-testbed up`');
    }
    const env = Object.fromEntries(run([script, 'env']).trim().split('\n')
        .map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).replace(/"/g, '')]));
    return {script, env};
}
