#!/bin/bash
# `virsh migrate --live --persistent --undefinesource` moves a guest from src
# to dst and it keeps running there: its heartbeat continues in dst's serial
# log, it is defined on dst and no longer on src.  Then back to src with a
# peer-to-peer migration (src's daemon is driven by dst's).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
source "$(dirname "$0")/lib.sh"
need_testbed
trap cleanup_guests EXIT

g=tb-migrate-$$
new_guest_on_src "$g" "guest $g started on src" --workload idle
before=$(last_line "$slog" '^KVMMIG-GUEST alive [0-9]+$')
before=${before##* }

secs=$(migrate "$g" src dst) || secs=""
check "live migration src -> dst (${secs:-failed} s)" test -n "$secs"
check "running on dst" bash -c '[[ $(timeout 30 virsh -q -c "$1" domstate "$2") == running ]]' _ "$KVMMIG_DST_URI" "$g"
check "persistent on dst" bash -c 'timeout 30 virsh -q -c "$1" dominfo "$2" | grep -Eq "^Persistent: +yes"' _ "$KVMMIG_DST_URI" "$g"
check "no longer defined on src" bash -c '! timeout 30 virsh -q -c "$1" dominfo "$2" >/dev/null 2>&1' _ "$KVMMIG_SRC_URI" "$g"
after=$(wait_line "$dlog" '^KVMMIG-GUEST alive [0-9]+$' 20 || true)
after=${after##* }
check "heartbeat continues in dst's log (src's last: ${before:-none}, dst's first: ${after:-none})" \
    test -n "$before" -a -n "$after" -a "${after:-0}" -ge "${before:-1}"
n=$(nlines "$dlog")
check "and keeps beating on dst" wait_line "$dlog" '^KVMMIG-GUEST alive [0-9]+$' 10 "$n"
check "guests says dst" bash -c '"$1" guests | grep -Eq "^$2 +dst +running"' _ "$TB" "$g"
stats=$(vsh dst domjobinfo --completed "$g" 2>/dev/null | grep -E 'Time elapsed:|downtime:|Data processed:' | tr -s ' ' | tr '\n' ';' || true)
diag "dst's completed job: $stats"

# Back, peer to peer: dst's libvirtd connects to src's itself.
n=$(nlines "$slog")
secs=$(migrate "$g" dst src --p2p) || secs=""
check "peer-to-peer live migration dst -> src (${secs:-failed} s)" test -n "$secs"
check "running on src again" bash -c '[[ $(timeout 30 virsh -q -c "$1" domstate "$2") == running ]]' _ "$KVMMIG_SRC_URI" "$g"
check "no longer defined on dst" bash -c '! timeout 30 virsh -q -c "$1" dominfo "$2" >/dev/null 2>&1' _ "$KVMMIG_DST_URI" "$g"
check "heartbeat continues in src's log" wait_line "$slog" '^KVMMIG-GUEST alive [0-9]+$' 20 "$n"

done_testing
