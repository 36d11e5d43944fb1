#!/usr/bin/python3
# migrate.py: live-migrate a guest between two hosts, with a progress line.
#   /usr/bin/python3 migrate.py GUEST SOURCE-URI DESTINATION-URI [BANDWIDTH-MiB/s]
# such as qemu+ssh://root@node1/system qemu+ssh://root@node2/system (SSH
# keys) or qemu+tls://node1/system qemu+tls://node2/system (certificates),
# which authenticate and encrypt the connection; qemu+tcp:// has neither:
# only on a trusted, isolated network (such as the testbed's).
# Ctrl-C cancels the migration (run_interruptible): the guest stays on its
# source, and the script exits with status 130 once it is back there.
import sys

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig

MiB = 1024 * 1024
guest, source_uri, dest_uri = sys.argv[1:4]

with Kvmmig.Host.new(source_uri) as src, Kvmmig.Host.new(dest_uri) as dst:
    job = Kvmmig.MigrationJob.new(src, dst, guest)
    if len(sys.argv) > 4:
        job.props.bandwidth_limit = int(sys.argv[4])

    job.connect('progress', lambda j: print(
        '\r%5.1f %%  sent %6.1f MiB  left %6.1f MiB  %6.1f MiB/s  pass %d   ' % (
            100 * j.props.progress, j.props.bytes_processed / MiB,
            j.props.bytes_remaining / MiB, j.props.bandwidth / MiB,
            j.props.iteration), end='', flush=True))
    job.connect('policy-step', lambda j, step: print('\n  policy:', step.props.description))

    try:
        job.run_interruptible()
    except KeyboardInterrupt:
        print('\ninterrupted: the migration %s; the guest runs on the %s' % (
            job.props.state.value_nick, job.props.guest_location.value_nick), file=sys.stderr)
        sys.exit(130)
    except GLib.Error as e:
        sys.exit('\n' + e.message)
    print('\nmigrated %r in %.2f s, downtime %d ms' % (
        guest, job.props.total_ms / 1000, job.props.downtime_ms))
