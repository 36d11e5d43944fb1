# Kvmmig.py: PyGObject overrides for libkvmmig. Only what makes Python
# code idiomatic beyond what the GIR gives: hosts as context managers and
# iterables of their guests, and readable reprs.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

from ..module import get_introspection_module
from ..overrides import override

Kvmmig = get_introspection_module('Kvmmig')

__all__ = []


class Host(Kvmmig.Host):
    """A libvirt host.

    ``with Kvmmig.Host.new(uri) as host:`` opens the host (blocking) and
    closes it on leaving the block; ``for guest in host:`` lists its guests.
    """

    def __enter__(self):
        self.open(None)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()
        return False

    def __iter__(self):
        return iter(self.list_guests(None))

    def __repr__(self):
        state = 'open' if self.is_open() else 'closed'
        return '<Kvmmig.Host %s (%s)>' % (self.get_uri(), state)


Host = override(Host)
__all__.append('Host')


class Guest(Kvmmig.Guest):
    def __repr__(self):
        return '<Kvmmig.Guest %r on %s: %s>' % (
            self.get_name(), self.get_host_uri(),
            self.get_state().value_nick)


Guest = override(Guest)
__all__.append('Guest')
