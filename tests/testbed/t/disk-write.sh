#!/bin/bash
# disk-write: the workload diskwrite (issue 18: migration without shared
# storage needs a guest that writes its disk fast).  A guest on src with a
# 128 MiB local disk and `diskseq,diskwrite:20`: within 30 s diskwrite is
# ready on the second half of vda and reports progress at 15..25 MiB/s on
# average over at least 5 s without errors, diskseq goes on writing without
# errors beside it, the host's file gains at least 40 MiB of allocation
# (du), the blocks are where they belong, and guest-rm deletes the file.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
source "$(dirname "$0")/lib.sh"
need_testbed
trap cleanup_guests EXIT

g=tb-diskwrite-$$
check "guest refuses diskwrite:501 (MIBPS is 1..500)" bash -c '! "$1" guest "$2" --workload diskwrite:501 2>/dev/null' _ "$TB" "$g"
check "guest refuses diskwrite:0" bash -c '! "$1" guest "$2" --workload diskwrite:0 2>/dev/null' _ "$TB" "$g"

t0=$SECONDS
# --no-wait: the allocation is measured before the guest has booted.
new_guest_on_src "$g" "guest $g started on src, 128 MiB local disk, diskseq,diskwrite:20" \
    --local-disk --disk-size 128 --workload diskseq,diskwrite:20 --no-wait
file=$KVMMIG_SRC_LOCAL_DIR/$g.raw
check "src has $g.raw, 128 MiB" bash -c '[[ $(stat -c %s "$1") == $((128 << 20)) ]]' _ "$file"
du0=$(du -k "$file" | cut -f1)

ready=$(wait_line "$slog" '^KVMMIG-DISKWRITE ready ' $((30 - (SECONDS - t0))) || true)
diag "$ready"
check "diskwrite ready within 30 s: region_mib=64 offset_mib=64 on an empty region" \
    bash -c '[[ $1 == *" region_mib=64 offset_mib=64 "*" valid=0 bad=0 "* ]]' _ "$ready"
p1=$(wait_line "$slog" '^KVMMIG-DISKWRITE progress ' $((30 - (SECONDS - t0))) || true)
check "a progress line within 30 s: $p1" test -n "$p1"
from=$(grep -a -n -F -- "$p1" "$slog" | head -n 1 | cut -d: -f1 || echo 0)
up1=$(field "$p1" up || echo 0)
p2=$(wait_line "$slog" "^KVMMIG-DISKWRITE progress .* up=($((up1 + 6))|$((up1 + 7))|$((up1 + 8)))\$" 20 "$from" || true)
lines=$(tail -n "+$((from + 1))" "$slog" | tr -d '\r' | grep -a -E '^KVMMIG-DISKWRITE progress ' |
    awk -v last="$p2" '{ print } $0 == last { exit }')
diag "$lines"
n=$(grep -c . <<<"$lines" || true)
avg=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^rate=/) { s += substr($i, 6); n++ } }
    END { if (n) printf "%.1f", s / n; else print 0 }' <<<"$lines")
check "$n progress periods (>= 5), over $(( $(field "$p2" up || echo 0) - up1 )) s" test "$n" -ge 5 -a -n "$p2"
check "average rate $avg MiB/s is within 15..25" awk -v r="$avg" 'BEGIN { exit !(r >= 15 && r <= 25) }'
check "MiB written in the window match ($(field "$p1" mib) -> $(field "$p2" mib))" \
    awk -v a="$(field "$p1" mib)" -v b="$(field "$p2" mib)" -v n="$n" 'BEGIN { exit !(b - a >= 15 * n - 3 && b - a <= 25 * n + 3) }'
check "diskwrite: errors=0, no error line" \
    test "$(field "$p2" errors)" == 0 -a "$(count_lines "$slog" '^KVMMIG-DISKWRITE error')" == 0

ds1=$(last_line "$slog" '^KVMMIG-DISKSEQ progress ')
ds2=$(wait_line "$slog" '^KVMMIG-DISKSEQ progress ' 10 "$(nlines "$slog")" || true)
diag "diskseq: $ds1 ... $ds2"
check "diskseq goes on beside it (seq $(field "$ds1" seq) -> $(field "$ds2" seq)), errors=0" \
    test -n "$ds1" -a "$(field "$ds2" seq || echo 0)" -gt "$(field "$ds1" seq || echo 0)" -a "$(field "$ds2" errors)" == 0
check "diskseq: no error line" test "$(count_lines "$slog" '^KVMMIG-DISKSEQ error')" == 0
check "no workload exited" test "$(count_lines "$slog" '^KVMMIG-GUEST (exit|error) ')" == 0

du1=$(du -k "$file" | cut -f1)
check "the file's allocation grew by $(((du1 - du0) / 1024)) MiB (>= 40)" test $((du1 - du0)) -ge $((40 * 1024))
dwhalf=$(tail -c $((64 << 20)) "$file" | { LC_ALL=C grep -a -o KVMDWRIT || true; } | wc -l)
dwfirst=$(head -c $((64 << 20)) "$file" | { LC_ALL=C grep -a -o KVMDWRIT || true; } | wc -l)
check "diskwrite's blocks are in the second half ($dwhalf >= 640), none in the first ($dwfirst)" \
    test "$dwhalf" -ge 640 -a "$dwfirst" == 0
check "diskseq's records are in the file's first half" \
    bash -c 'head -c $((64 << 20)) "$1" | LC_ALL=C grep -a -q KVMDSSEQ' _ "$file"

check "guest-rm $g" "$TB" guest-rm "$g"
check "$g.raw is gone from src" test ! -e "$file"
check "guests no longer lists $g" bash -c '! "$1" guests | grep -q "^$2 "' _ "$TB" "$g"
diag "took $((SECONDS - t0)) s from the guest's start"

done_testing
