#!/bin/bash
# The dirty workload (128 MiB rewritten at 100 MiB/s, each page checked
# before each rewrite) finds no bad page across a pre-copy live migration
# src -> dst, nor across a post-copy one back (bandwidth capped below the
# dirty rate, so that pre-copy cannot finish and post-copy must take over).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
source "$(dirname "$0")/lib.sh"
need_testbed
trap cleanup_guests EXIT

g=tb-dirty-$$
mib=128
rate=100
new_guest_on_src "$g" "guest $g started on src with dirty:$mib:$rate" \
    --memory 256 --workload "dirty:$mib:$rate"
ready=$(wait_line "$slog" '^KVMMIG-DIRTY ready ' 60 || true)
check "working set filled: $ready" test -n "$ready"
check "first pass done on src" wait_line "$slog" '^KVMMIG-DIRTY stats .*passes=[1-9]' 30

# verdict LOG: the last stats line, and whether the run is clean.
clean() {
    local log=$1 line bad
    line=$(last_line "$log" '^KVMMIG-DIRTY stats ')
    bad=$(count_lines "$log" '^KVMMIG-DIRTY bad')
    diag "$(basename "$log"): $line; bad-page lines: $bad"
    [[ -n $line && $(field "$line" total_bad) == 0 && $bad == 0 ]]
}

secs=$(migrate "$g" src dst) || secs=""
check "pre-copy live migration src -> dst (${secs:-failed} s)" test -n "$secs"
diag "$(vsh dst domjobinfo --completed "$g" 2>/dev/null | grep -E 'Time elapsed:|downtime:|Data processed:|Iteration:' | tr -s ' ' | tr '\n' ';' || true)"
check "two full passes checked on dst after the migration" wait_passes "$dlog" 2 0
check "no bad page on src before the migration" clean "$slog"
check "no bad page on dst: 0 stale or lost pages across pre-copy" clean "$dlog"

n=$(nlines "$slog")
events=$(mktemp)
timeout 120 virsh -q -c "$KVMMIG_DST_URI" event --domain "$g" --event lifecycle --loop >"$events" 2>&1 &
evpid=$!
sleep 0.5   # virsh event shows nothing once it listens: a moment for it to register
secs=$(migrate "$g" dst src --postcopy --postcopy-after-precopy --bandwidth 50) || secs=""
check "post-copy live migration dst -> src at 50 MiB/s (${secs:-failed} s)" test -n "$secs"
wait_line "$events" '[Pp]ost-copy' 10 >/dev/null || true
kill "$evpid" 2>/dev/null || true
wait "$evpid" 2>/dev/null || true
diag "dst's lifecycle events: $(tr '\n' ';' <"$events")"
check "the migration did switch to post-copy (dst saw 'Suspended Post-copy')" grep -qi 'post-copy' "$events"
rm -f "$events"
check "two full passes checked on src after the migration" wait_passes "$slog" 2 "$n"
check "no bad page on src: 0 stale or lost pages across post-copy" clean "$slog"

done_testing
