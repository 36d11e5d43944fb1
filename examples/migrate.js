// migrate.js: live-migrate a guest between two hosts, with a progress line,
// using the asynchronous API as a promise (async/await) and a main loop.
//   gjs -m migrate.js GUEST SOURCE-URI DESTINATION-URI [BANDWIDTH-MiB/s]
// such as qemu+ssh://root@node1/system qemu+ssh://root@node2/system (SSH
// keys) or qemu+tls://node1/system qemu+tls://node2/system (certificates),
// which authenticate and encrypt the connection; qemu+tcp:// has neither:
// only on a trusted, isolated network (such as the testbed's).
// Ctrl-C cancels the migration: the guest stays on its source, and the
// script exits with status 130 once it is back there.
import Gio from 'gi://Gio';
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

// run_async() without a callback returns a promise.
Gio._promisify(Kvmmig.MigrationJob.prototype, 'run_async', 'run_finish');

const loop = GLib.MainLoop.new(null, false);
const cancellable = new Gio.Cancellable();
let interrupted = false;
let status = 0;
// Ctrl-C (SIGINT = 2) cancels; leaving at once would abandon the
// migration, which goes on without this process.
const sigint = GLib.unix_signal_add(GLib.PRIORITY_HIGH, 2, () => {
    interrupted = true;
    cancellable.cancel();
    return GLib.SOURCE_CONTINUE;
});

async function migrate() {
    try {
        await job.run_async(cancellable);
        print(`migrated '${guest}' in ${(job.total_ms / 1000).toFixed(2)} s, downtime ${job.downtime_ms} ms`);
    } catch (e) {
        printerr(e.message);
        status = 1;
    }
    if (interrupted) {
        const where = job.guest_location === Kvmmig.GuestLocation.SOURCE ? 'source' : 'destination';
        printerr(`interrupted: the guest runs on the ${where}`);
        status = 130;
    }
    loop.quit();
}

migrate();
loop.run();
GLib.source_remove(sigint);
System.exit(status);
