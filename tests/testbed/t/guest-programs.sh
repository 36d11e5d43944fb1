#!/bin/bash
# Self-test of the guest's checkers, run natively on this machine (no guest,
# no root, no testbed needed): the dirty checker reports a page corrupted on
# purpose (debug build, in index and in random page order) and a stale page
# written back from outside the process (production build, through
# /proc/PID/mem), and only those; its random order differs each pass and
# covers every page; its bursts alternate periods at RATE and at 0; the
# disk sequence checker finds every record after a restart, and counts the
# gaps and torn records made on purpose in its file; the disk writer keeps
# its rate, writes only the second half of its file, never a diskseq magic,
# and finds its own blocks (and one damaged on purpose) after a restart.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
source "$(dirname "$0")/lib.sh"

command -v gcc >/dev/null || skip_all "gcc is not installed (run tools/install-deps)"
work=$(mktemp -d)
pids=()
cleanup() {
    local rc=$? p
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT

src=$TB_SRCDIR/guest
cflags=(-static -O2 -Wall -Wextra -Werror)
check "kvmmig-dirty builds" gcc "${cflags[@]}" -o "$work/dirty" "$src/kvmmig-dirty.c"
check "kvmmig-dirty builds with -DKVMMIG_DIRTY_DEBUG" gcc "${cflags[@]}" -DKVMMIG_DIRTY_DEBUG -o "$work/dirty-debug" "$src/kvmmig-dirty.c"
check "kvmmig-diskseq builds" gcc "${cflags[@]}" -o "$work/diskseq" "$src/kvmmig-diskseq.c"
check "kvmmig-diskwrite builds" gcc "${cflags[@]}" -o "$work/diskwrite" "$src/kvmmig-diskwrite.c"
check "kvmmig-heartbeat builds" gcc "${cflags[@]}" -o "$work/heartbeat" "$src/kvmmig-heartbeat.c"
check "kvmmig-powerd builds" gcc "${cflags[@]}" -o "$work/powerd" "$src/kvmmig-powerd.c"

# 1. Clean run: 16 MiB as fast as it goes, no bad page.
timeout 3 "$work/dirty" 16 >"$work/clean.log" || true
check "clean run: ready line" grep -q '^KVMMIG-DIRTY ready mib=16 pages=4096 ' "$work/clean.log"
last=$(last_line "$work/clean.log" '^KVMMIG-DIRTY stats ')
diag "clean run: $last"
check "clean run: passes made, no bad page" \
    test "$(field "$last" passes)" -gt 2 -a "$(field "$last" total_bad)" == 0 -a "$(count_lines "$work/clean.log" 'bad page')" == 0

# 2. Rate limit: 16 MiB at 8 MiB/s.
timeout 3.5 "$work/dirty" 16 8 >"$work/rate.log" || true
last=$(last_line "$work/rate.log" '^KVMMIG-DIRTY stats ')
diag "rate-limited run: $last"
check "rate limit: about 8 MiB/s ($(field "$last" mibps))" \
    awk -v r="$(field "$last" mibps)" 'BEGIN { exit !(r > 6 && r < 10) }'

# 3. Debug build: page 1234 corrupted after pass 2 (when its generation is 3),
#    in index order (as fast as it goes) and in random order (64 MiB/s).
seq16=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
for order in sequential random; do
    log=$work/debug-$order.log
    if [[ $order == random ]]; then args=(64 random); else args=(); fi
    KVMMIG_DIRTY_CORRUPT=1234:2 KVMMIG_DIRTY_SHOW_ORDER=16 timeout 3 "$work/dirty-debug" 16 "${args[@]}" >"$log" || true
    diag "$(grep -E 'ready|debug|bad' "$log" | head -n 8)"
    check "debug corruption ($order): ready line says order=$order burst=none" \
        grep -q "^KVMMIG-DIRTY ready mib=16 pages=4096 .* order=$order burst=none\$" "$log"
    check "debug corruption ($order): exactly one bad-page line" test "$(count_lines "$log" '^KVMMIG-DIRTY bad ')" == 1
    check "debug corruption ($order): the right page, generation and extent" \
        grep -q '^KVMMIG-DIRTY bad page=1234 expected_gen=3 found_gen=3 words=1 pass=3$' "$log"
    last=$(last_line "$log" '^KVMMIG-DIRTY stats ')
    check "debug corruption ($order): total_bad=1 and later periods clean" \
        test "$(field "$last" total_bad)" == 1 -a "$(field "$last" bad)" == 0 -a "$(field "$last" passes)" -gt 3
    check "debug corruption ($order): every pass rewrote every page once" \
        test "$(count_lines "$log" '^KVMMIG-DIRTY debug pass-coverage ')" == 0
    mapfile -t firsts < <(tr -d '\r' <"$log" | sed -n 's/^KVMMIG-DIRTY debug order pass=[123] pages=//p')
    diag "first pages of passes 1-3 ($order): ${firsts[*]}"
    if [[ $order == sequential ]]; then
        check "debug order (sequential): passes 1-3 start 0,1,...,15" \
            test "${#firsts[@]}" == 3 -a "${firsts[0]-}" == $seq16 -a "${firsts[1]-}" == $seq16 -a "${firsts[2]-}" == $seq16
    else
        check "debug order (random): passes 1-3 start differently, not 0,1,...,15" \
            test "${#firsts[@]}" == 3 -a "${firsts[0]-}" != $seq16 -a "${firsts[0]-}" != "${firsts[1]-}" \
            -a "${firsts[1]-}" != "${firsts[2]-}" -a "${firsts[0]-}" != "${firsts[2]-}"
    fi
done

# 3b. Bursts: 16 MiB at 8 MiB/s, on 2 s then off 2 s; stats once a second
#     (periods 1-2 on, 3-4 off, 5-6 on, 7-8 off, 9 on).
timeout 9.5 "$work/dirty" 16 8 burst=2000/2000 >"$work/burst.log" || true
rates=$(tr -d '\r' <"$work/burst.log" | sed -n 's/^KVMMIG-DIRTY stats .* mibps=\([0-9.]*\)$/\1/p' | tr '\n' ' ')
diag "bursts 2000/2000 at 8 MiB/s, mibps a second: $rates"
check "bursts: ready line says order=sequential burst=2000/2000" \
    grep -q '^KVMMIG-DIRTY ready mib=16 .* rate=8 .* order=sequential burst=2000/2000$' "$work/burst.log"
check "bursts: stats keep coming in the pauses (8 or more lines in 9.5 s)" \
    test "$(count_lines "$work/burst.log" '^KVMMIG-DIRTY stats ')" -ge 8
check "bursts: 3 or more periods at about 8 MiB/s and 3 or more at 0" \
    awk -v rates="$rates" 'BEGIN { n = split(rates, r, " "); for (i = 1; i <= n; i++) { on += r[i] > 6 && r[i] < 10; off += r[i] < 1 }
        exit !(on >= 3 && off >= 3) }'
last=$(last_line "$work/burst.log" '^KVMMIG-DIRTY stats ')
check "bursts: no bad page" test "$(field "$last" total_bad)" == 0 -a "$(count_lines "$work/burst.log" 'bad page')" == 0

# 3c. Random order in bursts: 64 MiB/s for 250 ms of each second, 16 MiB/s
#     a period on average.
timeout 3.5 "$work/dirty" 16 64 random burst=250/750 >"$work/rburst.log" || true
last=$(last_line "$work/rburst.log" '^KVMMIG-DIRTY stats ')
diag "random bursts: $last"
check "random bursts: ready line says order=random burst=250/750" \
    grep -q '^KVMMIG-DIRTY ready mib=16 .* rate=64 .* order=random burst=250/750$' "$work/rburst.log"
check "random bursts: passes made, no bad page" \
    test "$(field "$last" passes)" -gt 0 -a "$(field "$last" total_bad)" == 0 -a "$(count_lines "$work/rburst.log" 'bad page')" == 0
check "random bursts: about 16 MiB/s a period ($(field "$last" mibps))" \
    awk -v r="$(field "$last" mibps)" 'BEGIN { exit !(r > 12 && r < 20) }'
check "kvmmig-dirty refuses a bad burst" bash -c '! "$1" 16 8 burst=0/100 2>/dev/null' _ "$work/dirty"

# 4. Production build, stale page put back from outside: what a migration
#    that loses a dirty page looks like.  Needs ptrace rights over the process.
"$work/dirty" 4 2 >"$work/stale.log" &
pid=$!
pids+=("$pid")
ready=$(wait_line "$work/stale.log" '^KVMMIG-DIRTY ready ' 10 || true)
addr=$(field "$ready" addr)
page=300
if [[ -n $addr ]] && dd if="/proc/$pid/mem" of="$work/page.old" bs=4096 count=1 \
        skip=$(((addr / 4096) + page)) status=none 2>/dev/null; then
    # Once pass 1 has rewritten the page (4 MiB at 2 MiB/s: 2 s a pass), put the old copy back.
    wait_line "$work/stale.log" '^KVMMIG-DIRTY stats .*passes=[1-9]' 10 >/dev/null || true
    dd if="$work/page.old" of="/proc/$pid/mem" bs=4096 count=1 \
        seek=$(((addr / 4096) + page)) conv=notrunc status=none
    bad=$(wait_line "$work/stale.log" '^KVMMIG-DIRTY bad ' 10 || true)
    diag "stale page: $bad"
    check "stale page: reported, the right page" test "$(field "$bad" page)" == "$page"
    check "stale page: holds an older generation ($(field "$bad" found_gen) < $(field "$bad" expected_gen))" \
        test "$(field "$bad" found_gen)" -lt "$(field "$bad" expected_gen)"
    # Every page checked again: two more passes after the report.
    wait_passes "$work/stale.log" 2 "$(nlines "$work/stale.log")" || true
    check "stale page: only that one" test "$(count_lines "$work/stale.log" '^KVMMIG-DIRTY bad ')" == 1
else
    skip_test "stale page written back through /proc/PID/mem" "no ptrace rights over the process here"
fi
kill "$pid" 2>/dev/null || true

# 5. diskseq on a file: restart continuity, then gaps and a torn record.
img=$work/disk.img
truncate -s 8M "$img"
timeout 1.5 "$work/diskseq" --rate 40 "$img" >"$work/ds1.log" || true
check "diskseq: first run on an empty file" grep -q '^KVMMIG-DISKSEQ boot found=0 last=0 gaps=0 bad=0 boot=1 ' "$work/ds1.log"
written=$(field "$(last_line "$work/ds1.log" '^KVMMIG-DISKSEQ progress ')" seq)
timeout 1.5 "$work/diskseq" --rate 40 "$img" >"$work/ds2.log" || true
b=$(last_line "$work/ds2.log" '^KVMMIG-DISKSEQ boot ')
diag "after restart: $b (last reported written: $written)"
check "diskseq: restart finds every record, no gap" \
    test "$(field "$b" gaps)" == 0 -a "$(field "$b" bad)" == 0 -a "$(field "$b" found)" == "$(field "$b" last)"
check "diskseq: nothing reported written is missing" test "$(field "$b" last)" -ge "${written:-999999}"
check "diskseq: boot counter 2" test "$(field "$b" boot)" == 2
# Lose slots 10 and 11, tear slot 20 (one byte), then scan.
dd if=/dev/zero of="$img" bs=512 seek=10 count=2 conv=notrunc status=none
printf 'X' | dd of="$img" bs=1 seek=$((20 * 512 + 100)) conv=notrunc status=none
timeout 1 "$work/diskseq" --rate 40 "$img" >"$work/ds3.log" || true
b=$(last_line "$work/ds3.log" '^KVMMIG-DISKSEQ boot ')
diag "after damage: $b"
check "diskseq: two gaps and one torn record" test "$(field "$b" gaps)" == 2 -a "$(field "$b" bad)" == 1
check "diskseq: gap lines name slots 10 and 11" \
    bash -c 'grep -q "^KVMMIG-DISKSEQ gap slot=10$" "$1" && grep -q "^KVMMIG-DISKSEQ gap slot=11$" "$1"' _ "$work/ds3.log"
check "diskseq: the torn record is slot 20" grep -q '^KVMMIG-DISKSEQ badrec slot=20 reason=checksum ' "$work/ds3.log"

# 6. diskwrite on a 16 MiB file: 20 MiB/s on the second half (8 MiB).
img=$work/dw.img
truncate -s 16M "$img"
timeout 3.5 "$work/diskwrite" 20 "$img" >"$work/dw1.log" || true
r=$(last_line "$work/dw1.log" '^KVMMIG-DISKWRITE ready ')
diag "diskwrite: $r"
check "diskwrite: ready, region 8 MiB at 8 MiB, empty" \
    bash -c '[[ $1 == *" region_mib=8 offset_mib=8 block_kib=64 blocks=128 "*" valid=0 bad=0 empty=128 gen=1 "* ]]' _ "$r"
p=$(last_line "$work/dw1.log" '^KVMMIG-DISKWRITE progress ')
diag "diskwrite: $p"
check "diskwrite: about 20 MiB/s, no error ($p)" \
    awk -v r="$(field "$p" rate)" -v m="$(field "$p" mib)" -v e="$(field "$p" errors)" \
    'BEGIN { exit !(r > 17 && r < 23 && m >= 50 && m <= 75 && e == 0) }'
check "diskwrite: the first half is untouched" cmp -n $((8 << 20)) "$img" /dev/zero
check "diskwrite: 128 blocks starting with the magic KVMDWRIT" \
    test "$(od -An -v -w65536 -c "$img" | awk '$1 $2 $3 $4 $5 $6 $7 $8 == "KVMDWRIT"' | wc -l)" == 128
check "diskwrite: no 512-byte sector starts with diskseq's magic" \
    bash -c '! od -An -v -w512 -tx8 "$1" | awk "{ print \$1 }" | grep -qx 51455353444d564b' _ "$img"
timeout 1 "$work/diskseq" --rate 40 "$img" >"$work/dw-ds.log" || true
check "diskseq beside it finds an empty disk" grep -q '^KVMMIG-DISKSEQ boot found=0 last=0 gaps=0 bad=0 ' "$work/dw-ds.log"
# Tear block 5 (one byte in its payload), then restart.
printf 'X' | dd of="$img" bs=1 seek=$(((8 << 20) + 5 * 65536 + 1000)) conv=notrunc status=none
timeout 1.5 "$work/diskwrite" --mib 4 20 "$img" >"$work/dw2.log" || true
r=$(last_line "$work/dw2.log" '^KVMMIG-DISKWRITE ready ')
diag "diskwrite after damage, --mib 4: $r"
check "diskwrite: restart checks the blocks, finds the torn one" \
    bash -c '[[ $1 == *" region_mib=4 offset_mib=8 "*" valid=63 bad=1 empty=0 "* ]]' _ "$r"
check "diskwrite: badblock line for block 5" grep -q '^KVMMIG-DISKWRITE badblock index=5 reason=checksum ' "$work/dw2.log"
check "diskwrite: bad MIBPS is refused" bash -c '! "$1" 0 "$2" 2>/dev/null' _ "$work/diskwrite" "$img"

# 7. heartbeat: a line at start, then one on each second boundary.
timeout 3.5 "$work/heartbeat" >"$work/hb.log" || true
diag "heartbeat: $(grep -c . "$work/hb.log") lines in 3.5 s"
check "heartbeat: 3 to 5 lines in 3.5 s" bash -c 'n=$(grep -c "^KVMMIG-GUEST alive [0-9]*$" "$1"); ((n >= 3 && n <= 5))' _ "$work/hb.log"

done_testing
