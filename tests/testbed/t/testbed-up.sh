#!/bin/bash
# testbed-up: first test of the integration suite (priority 1000).  Brings
# the testbed up unless it already runs, and records in a marker file that
# the suite brought it up, so that testbed-down (priority -1000) takes down
# only what the suite itself brought up.  Exit 77 (skip) when not root.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

TB=${KVMMIG_TESTBED:?KVMMIG_TESTBED must point at tests/testbed/kvmmig-testbed}
MARKER=${KVMMIG_TESTBED_MARKER:?KVMMIG_TESTBED_MARKER must name the marker file}

if [[ $(id -u) != 0 ]]; then
    cat >&2 <<MSG
************************************************************************
* SKIPPING THE INTEGRATION SUITE: not running as root.
* The two-host testbed creates network namespaces and starts libvirtd,
* QEMU and tgtd; it needs root.  Run, as root:
*     meson test -C BUILDDIR --suite integration
* (or bring it up by hand: $TB up)
************************************************************************
MSG
    exit 77
fi

eval "$("$TB" env 2>/dev/null)"
up_id_file=$KVMMIG_TESTBED_DIR/run/up.id

if "$TB" status >/dev/null 2>&1; then
    if [[ -f $MARKER && $(cat "$MARKER") == "$(cat "$up_id_file")" ]]; then
        echo "testbed is up, brought up by an earlier run of this suite: the suite still owns it"
    else
        rm -f "$MARKER"
        echo "testbed was already up (not brought up by this suite): using it, and leaving it up afterwards"
    fi
else
    rm -f "$MARKER"
    start=$(date +%s.%N)
    "$TB" up
    cp "$up_id_file" "$MARKER"
    awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "testbed up in %.1fs (the suite brought it up; testbed-down will take it down)\n", b - a }'
fi

# up is idempotent: a second run is a no-op that says so.
out=$("$TB" up)
echo "$out"
if [[ $out != *"already up"* ]]; then
    echo "FAIL: a second 'up' did not report 'already up'" >&2
    exit 1
fi
"$TB" status
