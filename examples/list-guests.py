#!/usr/bin/python3
# list-guests.py: open a libvirt host and print its guests.
#   /usr/bin/python3 list-guests.py [URI]      (default: test:///default)
#   /usr/bin/python3 list-guests.py qemu+ssh://root@node1/system
import sys

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import Kvmmig

uri = sys.argv[1] if len(sys.argv) > 1 else 'test:///default'
with Kvmmig.Host.new(uri) as host:
    print('%s (%s):' % (uri, host.props.hostname))
    for guest in host:
        print('  %-20s %s  %-8s %5d MiB  %s' % (
            guest.props.name, guest.props.uuid, guest.props.state.value_nick,
            guest.props.memory // 2**20,
            'persistent' if guest.props.persistent else 'transient'))
