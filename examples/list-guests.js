// list-guests.js: open a libvirt host and print its guests.
//   gjs -m list-guests.js [URI]      (default: test:///default)
//   gjs -m list-guests.js qemu+tls://node1/system
import Kvmmig from 'gi://Kvmmig?version=1.0';
import System from 'system';

const uri = ARGV[0] ?? 'test:///default';
const host = Kvmmig.Host.new(uri);
host.open(null);
print(`${uri} (${host.hostname}):`);
for (const g of host.list_guests(null)) {
    const state = Object.keys(Kvmmig.GuestState).find(k => Kvmmig.GuestState[k] === g.state);
    print(`  ${g.name.padEnd(20)} ${g.uuid}  ${state.toLowerCase().padEnd(8)} ` +
          `${String(g.memory / 2 ** 20).padStart(5)} MiB  ${g.persistent ? 'persistent' : 'transient'}`);
}
System.exit(0);
