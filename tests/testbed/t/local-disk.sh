#!/bin/bash
# local-disk: each migration host has its own, unshared dir pool `local`
# (running, autostart); `guest --local-disk` gives a guest a raw volume
# there (qcow2 with --disk-format) on the host it starts on, diskseq writes
# its records into that host's file only, and `guest-rm` deletes the
# guest's volumes from the pools of both hosts.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
source "$(dirname "$0")/lib.sh"
need_testbed
trap cleanup_guests EXIT

g=tb-local-$$
q=tb-localq-$$

check "env: KVMMIG_LOCAL_POOL=local, KVMMIG_LOCAL_POOL_DIR=/var/lib/libvirt/images" \
    test "${KVMMIG_LOCAL_POOL:-}:${KVMMIG_LOCAL_POOL_DIR:-}" == local:/var/lib/libvirt/images
check "env: KVMMIG_SRC_LOCAL_DIR and KVMMIG_DST_LOCAL_DIR are two directories" bash -c \
    '[[ -d $1 && -d $2 && $1 != "$2" ]]' _ "${KVMMIG_SRC_LOCAL_DIR:-}" "${KVMMIG_DST_LOCAL_DIR:-}"
for h in src dst; do
    info=$(vsh "$h" pool-info "$KVMMIG_LOCAL_POOL" 2>/dev/null | tr -s ' ' || true)
    check "$h: pool $KVMMIG_LOCAL_POOL is running and autostarts" \
        bash -c 'grep -qx "State: running" <<<"$1" && grep -qx "Autostart: yes" <<<"$1"' _ "$info"
    check "$h: its target is $KVMMIG_LOCAL_POOL_DIR" bash -c \
        'timeout 30 virsh -q -c "$1" pool-dumpxml "$2" | grep -q "<path>$3</path>"' \
        _ "$(uri "$h")" "$KVMMIG_LOCAL_POOL" "$KVMMIG_LOCAL_POOL_DIR"
done

# A raw local disk on src, with diskseq.
new_guest_on_src "$g" "guest $g started on src with a local disk and diskseq" --local-disk --workload diskseq
check "src has $g.raw, 64 MiB" bash -c '[[ $(stat -c %s "$1") == $((64 * 1024 * 1024)) ]]' \
    _ "$KVMMIG_SRC_LOCAL_DIR/$g.raw"
check "dst has no $g.raw" test ! -e "$KVMMIG_DST_LOCAL_DIR/$g.raw"
check "it is a volume of src's pool" vsh src vol-info --pool "$KVMMIG_LOCAL_POOL" "$g.raw"
check "vda is the file $KVMMIG_LOCAL_POOL_DIR/$g.raw" bash -c \
    'timeout 30 virsh -q -c "$1" domblklist "$2" | grep -Eq "^ *vda +$3/$2.raw$"' \
    _ "$KVMMIG_SRC_URI" "$g" "$KVMMIG_LOCAL_POOL_DIR"
check "guests lists $g with a local disk, no LUN" bash -c \
    '"$1" guests | grep -Eq "^$2 +src +running +- +diskseq \(local disk $2.raw\)"' _ "$TB" "$g"
boot=$(wait_line "$slog" '^KVMMIG-DISKSEQ boot ' 30 || true)
check "diskseq starts on an empty disk: $boot" test "$(field "$boot" found)" == 0 -a "$(field "$boot" gaps)" == 0
p=$(wait_line "$slog" '^KVMMIG-DISKSEQ progress seq=([5-9]|[1-9][0-9]+) ' 30 || true)
check "records are being written: $p" test -n "$p"
check "no write error" test "$(count_lines "$slog" '^KVMMIG-DISKSEQ error')" == 0
seq=$(field "$p" seq || echo 0)
recs=$(LC_ALL=C grep -a -o KVMDSSEQ "$KVMMIG_SRC_LOCAL_DIR/$g.raw" | wc -l)
check "src's file holds them ($recs records, seq $seq acknowledged)" test "$recs" -ge "${seq:-1}" -a "$recs" -gt 0
check "wait-alive sees a fresh heartbeat" "$TB" wait-alive "$g" --on src --timeout 10

# A qcow2 local disk on dst.
check "guest $q started on dst with a 32 MiB qcow2 local disk" \
    new_guest "$q" --on dst --local-disk --disk-format qcow2 --disk-size 32 --workload diskseq
check "dst has $q.qcow2, a qcow2 image" bash -c '[[ $(head -c 4 "$1") == QFI* ]]' _ "$KVMMIG_DST_LOCAL_DIR/$q.qcow2"
check "src has no $q.qcow2" test ! -e "$KVMMIG_SRC_LOCAL_DIR/$q.qcow2"
check "diskseq writes on it" wait_line "$(serial_log "$q" dst)" '^KVMMIG-DISKSEQ progress seq=[2-9]' 30

# A copy of $g's disk on dst too (what --copy-storage-all leaves): guest-rm
# deletes both.
check "dst: a volume $g.raw made by hand" \
    vsh dst vol-create-as "$KVMMIG_LOCAL_POOL" "$g.raw" 1M --format raw
check "guest-rm $g" "$TB" guest-rm "$g"
check "$g.raw is gone from src" test ! -e "$KVMMIG_SRC_LOCAL_DIR/$g.raw"
check "$g.raw is gone from dst" test ! -e "$KVMMIG_DST_LOCAL_DIR/$g.raw"
check "src's pool no longer lists it" bash -c '! timeout 30 virsh -q -c "$1" vol-info --pool "$2" "$3" >/dev/null 2>&1' \
    _ "$KVMMIG_SRC_URI" "$KVMMIG_LOCAL_POOL" "$g.raw"
check "guests no longer lists $g" bash -c '! "$1" guests | grep -q "^$2 "' _ "$TB" "$g"
check "guest-rm $q" "$TB" guest-rm "$q"
check "$q.qcow2 is gone from dst" test ! -e "$KVMMIG_DST_LOCAL_DIR/$q.qcow2"

done_testing
