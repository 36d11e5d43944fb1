// migrate.js: live-migrate a guest between two hosts, with a progress line,
// using the asynchronous API and a main loop.
//   gjs -m migrate.js GUEST SOURCE-URI DESTINATION-URI [BANDWIDTH-MiB/s]
// such as qemu+ssh://root@node1/system qemu+ssh://root@node2/system (SSH
// keys) or qemu+tls://node1/system qemu+tls://node2/system (certificates),
// which authenticate and encrypt the connection; qemu+tcp:// has neither:
// only on a trusted, isolated network (such as the testbed's).
import GLib from 'gi://GLib';
import Kvmmig from 'gi://Kvmmig?version=1.0';
import System from 'system';

const [guest, sourceUri, destUri, bandwidth] = ARGV;
const MiB = 1024 * 1024;
const src = Kvmmig.Host.new(sourceUri);
const dst = Kvmmig.Host.new(destUri);
src.open(null);
dst.open(null);

const job = Kvmmig.MigrationJob.new(src, dst, guest);
if (bandwidth)
    job.bandwidth_limit = Number(bandwidth);
job.connect('progress', j => {
    const line = `${(100 * j.progress).toFixed(1)} %  sent ${(j.bytes_processed / MiB).toFixed(1)} MiB  ` +
        `left ${(j.bytes_remaining / MiB).toFixed(1)} MiB  pass ${j.iteration}`;
    print(line);
});
job.connect('policy-step', (j, step) => print(`  policy: ${step.description}`));

const loop = GLib.MainLoop.new(null, false);
let status = 0;
job.run_async(null, (j, result) => {
    try {
        j.run_finish(result);
        print(`migrated '${guest}' in ${(j.total_ms / 1000).toFixed(2)} s, downtime ${j.downtime_ms} ms`);
    } catch (e) {
        printerr(e.message);
        status = 1;
    }
    loop.quit();
});
loop.run();
System.exit(status);
