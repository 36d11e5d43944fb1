// mainloop.js: what the GJS tests share (tests/gir/, tests/integration/):
// an asynchronous call run to its end on a main loop of its own.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';

// Calls start(callback) and runs a main loop until the callback comes;
// returns what finish(source, result) returns there, or throws what it
// throws. With timeoutSeconds, throws if nothing comes by then.
export function callAsync(start, finish, timeoutSeconds = 0) {
    const loop = GLib.MainLoop.new(null, false);
    let done = false;
    let value;
    let error = null;
    start((source, result) => {
        try {
            value = finish(source, result);
        } catch (e) {
            error = e;
        }
        done = true;
        loop.quit();
    });
    const timeout = timeoutSeconds > 0
        ? GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, timeoutSeconds, () => {
            loop.quit();
            return GLib.SOURCE_REMOVE;
        })
        : 0;
    if (!done)
        loop.run();
    if (done && timeout)
        GLib.source_remove(timeout);
    if (!done)
        throw new Error(`no answer within ${timeoutSeconds} s`);
    if (error)
        throw error;
    return value;
}
