#!/bin/bash
# testbed-down: last test of the integration suite (priority -1000).  Takes
# the testbed down if, and only if, this suite brought it up (the marker
# written by testbed-up names the current up), then checks that nothing of it
# is left: no namespace, no process, no mount, no link.  Exit 77 (skip) when
# not root, or when the testbed is not the suite's to take down.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

TB=${KVMMIG_TESTBED:?KVMMIG_TESTBED must point at tests/testbed/kvmmig-testbed}
MARKER=${KVMMIG_TESTBED_MARKER:?KVMMIG_TESTBED_MARKER must name the marker file}

if [[ $(id -u) != 0 ]]; then
    echo "SKIPPING: not root; the integration suite needs root (see testbed-up)" >&2
    exit 77
fi

eval "$("$TB" env 2>/dev/null)"
up_id_file=$KVMMIG_TESTBED_DIR/run/up.id

if [[ ! -f $MARKER ]]; then
    echo "the testbed was not brought up by this suite: leaving it as it is" >&2
    exit 77
fi
if [[ ! -f $up_id_file || $(cat "$MARKER") != "$(cat "$up_id_file")" ]]; then
    rm -f "$MARKER"
    echo "the testbed the suite brought up is gone or was replaced: leaving it as it is" >&2
    exit 77
fi

start=$(date +%s.%N)
"$TB" down
rm -f "$MARKER"
awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "testbed down in %.1fs\n", b - a }'

# Nothing of it is left.
bash "$(dirname "$0")/check-nothing-left.sh"
