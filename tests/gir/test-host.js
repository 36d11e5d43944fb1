// test-host.js: KvmmigHost through the typelib from GJS, against libvirt's
// built-in test driver. Run as `gjs -m`; reports TAP.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Kvmmig from 'gi://Kvmmig?version=1.0';
import System from 'system';

import {callAsync} from '../common/mainloop.js';

const URI = 'test:///default';
const tests = [];
const test = (name, fn) => tests.push([name, fn]);

function assert(cond, what) {
    if (!cond)
        throw new Error(`assertion failed: ${what}`);
}

test('list guests (sync)', () => {
    const host = Kvmmig.Host.new(URI);
    assert(!host.is_open, 'closed before open');
    host.open(null);
    assert(host.is_open, 'open after open');
    const names = host.list_guests(null).map(g => g.name);
    assert(JSON.stringify(names) === '["test"]', `guests are ${names}`);
});

test('list guests (async, main loop)', () => {
    const host = Kvmmig.Host.new(URI);
    callAsync(cb => host.open_async(null, cb), (h, res) => h.open_finish(res), 30);
    const guests = callAsync(cb => host.list_guests_async(null, cb),
        (h, res) => h.list_guests_finish(res), 30);
    assert(guests && guests.length === 1, 'one guest');
    assert(guests[0].state === Kvmmig.GuestState.RUNNING, 'running');
});

test('errors are Kvmmig.Error', () => {
    const host = Kvmmig.Host.new(URI);
    try {
        host.query_info(null);
        assert(false, 'query_info on a closed host must throw');
    } catch (e) {
        assert(e.matches(Kvmmig.error_quark(), Kvmmig.Error.NOT_OPEN),
            `NOT_OPEN, got ${e}`);
        assert(e.message.includes(URI), 'message names the URI');
    }
});

test('host info', () => {
    const host = Kvmmig.Host.new(URI);
    host.open(null);
    const info = host.query_info(null);
    assert(info.hypervisor === 'TEST', `hypervisor ${info.hypervisor}`);
    assert(info.cpus === 16, `cpus ${info.cpus}`);
});

test('closed signal', () => {
    const host = Kvmmig.Host.new(URI);
    host.open(null);
    const reasons = [];
    host.connect('closed', (h, reason) => reasons.push(reason));
    host.close();
    assert(reasons.length === 1 && reasons[0] === Kvmmig.CloseReason.CLIENT,
        `reasons ${reasons}`);
});

print('TAP version 13');
print(`1..${tests.length}`);
let failed = 0;
tests.forEach(([name, fn], i) => {
    try {
        fn();
        print(`ok ${i + 1} - ${name}`);
    } catch (e) {
        failed++;
        print(`not ok ${i + 1} - ${name}`);
        for (const line of `${e}\n${e.stack ?? ''}`.split('\n'))
            print(`# ${line}`);
    }
});
System.exit(failed ? 1 : 0);
