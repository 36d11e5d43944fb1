#!/bin/bash
# The diskseq workload (sequence-numbered O_DIRECT|O_SYNC records on the
# iSCSI LUN) loses nothing across a live migration: after migrating src ->
# dst, a hard power-off and a new boot on dst scan the disk and find every
# record, without gap, up to at least the last one reported written.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
source "$(dirname "$0")/lib.sh"
need_testbed
trap cleanup_guests EXIT

g=tb-diskseq-$$
new_guest_on_src "$g" "guest $g started on src with diskseq" --workload diskseq
boot=$(wait_line "$slog" '^KVMMIG-DISKSEQ boot ' 60 || true)
check "first boot scan on a fresh LUN: $boot" test "$(field "$boot" found)" == 0 -a "$(field "$boot" gaps)" == 0
check "records are being written" wait_line "$slog" '^KVMMIG-DISKSEQ progress seq=([5-9]|[1-9][0-9]+) ' 30

secs=$(migrate "$g" src dst) || secs=""
check "live migration src -> dst (${secs:-failed} s)" test -n "$secs"
last_src=$(field "$(last_line "$slog" '^KVMMIG-DISKSEQ progress ')" seq)
p=$(wait_line "$dlog" '^KVMMIG-DISKSEQ progress ' 20 || true)
check "writing continues on dst (src's last seq=$last_src, dst: $p)" \
    test -n "$p" -a "$(field "$p" seq)" -gt "${last_src:-0}"
check "no write error" test "$(count_lines "$dlog" '^KVMMIG-DISKSEQ error')" == 0

# Hard power-off on dst once it has written a record more, then a fresh
# boot there scans the disk.
wait_line "$dlog" '^KVMMIG-DISKSEQ progress ' 20 "$(nlines "$dlog")" >/dev/null || true
vsh dst destroy "$g" >/dev/null
last=$(field "$(last_line "$dlog" '^KVMMIG-DISKSEQ progress ')" seq)
n=$(nlines "$dlog")
check "start $g again on dst" vsh dst start "$g"
boot=$(wait_line "$dlog" '^KVMMIG-DISKSEQ boot ' 60 "$n" || true)
diag "last record reported written before the power-off: $last; scan: $boot"
check "boot scan: no gap" test "$(field "$boot" gaps)" == 0
check "boot scan: no torn or misplaced record" test "$(field "$boot" bad)" == 0
check "boot scan: every record found (found == last)" test "$(field "$boot" found)" == "$(field "$boot" last)"
check "boot scan: nothing acknowledged was lost (last >= $last)" test "$(field "$boot" last)" -ge "${last:-999999999}"
check "second boot counted" test "$(field "$boot" boot)" == 2
check "and it continues after the last record" wait_line "$dlog" "^KVMMIG-DISKSEQ progress .*boot=2 " 20 "$n"

done_testing
