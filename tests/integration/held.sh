#!/bin/sh
# held.sh: runs an integration test while holding the testbed (a shared lock
# that makes `kvmmig-testbed down` wait), so that the suite's own down/up
# test cannot pull the testbed from under it. Without root or a testbed the
# test runs as it is, and skips itself saying why.
if [ "$(id -u)" = 0 ] && [ -n "${KVMMIG_TESTBED:-}" ]; then
    exec "$KVMMIG_TESTBED" hold -- "$@"
fi
exec "$@"
