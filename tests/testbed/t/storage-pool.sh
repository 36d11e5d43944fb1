#!/bin/bash
# The store's LUNs are visible from both hosts through an iscsi-direct
# libvirt storage pool (defined, listed, removed again), and the shared
# directory holds file volumes that both hosts see.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
source "$(dirname "$0")/lib.sh"
need_testbed

pool=tb-store-$$
dpool=tb-shared-$$
vol=tb-vol-$$.raw

cleanup() {
    local rc=$? h
    for h in src dst; do
        vsh "$h" pool-destroy "$pool" >/dev/null 2>&1 || true
        vsh "$h" pool-undefine "$pool" >/dev/null 2>&1 || true
        vsh "$h" pool-destroy "$dpool" >/dev/null 2>&1 || true
        vsh "$h" pool-undefine "$dpool" >/dev/null 2>&1 || true
    done
    rm -f "$KVMMIG_SHARED_DIR/$vol"
    exit "$rc"
}
trap cleanup EXIT

in_set() {
    local v=$1 x
    shift
    for x in "$@"; do [[ $v == "$x" ]] && return 0; done
    return 1
}

xml=$(mktemp)
trap 'rm -f "$xml"; cleanup' EXIT
host=${KVMMIG_STORE_PORTAL%:*}
port=${KVMMIG_STORE_PORTAL##*:}

for h in src dst; do
    cat >"$xml" <<XML
<pool type='iscsi-direct'>
  <name>$pool</name>
  <source>
    <host name='$host' port='$port'/>
    <device path='$KVMMIG_STORE_IQN'/>
    <initiator><iqn name='iqn.2026-11.org.libkvmmig:test-$h'/></initiator>
  </source>
</pool>
XML
    check "$h: define an iscsi-direct pool on $KVMMIG_STORE_PORTAL" vsh "$h" pool-define "$xml"
    check "$h: start it" vsh "$h" pool-start "$pool"
    vols=$(vsh "$h" vol-list "$pool" 2>/dev/null | awk '{ print $1 }' | sort -V || true)
    diag "$h: volumes: $(tr '\n' ' ' <<<"$vols")"
    missing=""
    for lun in $KVMMIG_STORE_LUNS; do
        grep -qx "unit:0:0:$lun" <<<"$vols" || missing+=" $lun"
    done
    check "$h: every LUN ($KVMMIG_STORE_LUNS) is a volume (missing:${missing:- none})" test -z "$missing"
    cap1=$(vsh "$h" vol-info --bytes --pool "$pool" unit:0:0:1 | awk '/^Capacity:/ { print $2 }')
    cap13=$(vsh "$h" vol-info --bytes --pool "$pool" unit:0:0:13 | awk '/^Capacity:/ { print $2 }')
    # libvirt 11.3's iscsi-direct backend takes READ CAPACITY's last LBA for
    # the number of blocks, so a volume reports one 512-byte block less than
    # the LUN has; accept both, so that a fixed libvirt passes too.
    check "$h: LUN 1 is 64 MiB ($cap1 bytes; libvirt reports one block less)" \
        in_set "$cap1" $((64 * 1024 * 1024)) $((64 * 1024 * 1024 - 512))
    check "$h: LUN 13 is 1 GiB ($cap13 bytes; libvirt reports one block less)" \
        in_set "$cap13" $((1024 * 1024 * 1024)) $((1024 * 1024 * 1024 - 512))
    check "$h: stop the pool" vsh "$h" pool-destroy "$pool"
    check "$h: undefine it" vsh "$h" pool-undefine "$pool"
    check "$h: it is gone" bash -c '! timeout 30 virsh -q -c "$1" pool-info "$2" >/dev/null 2>&1' _ "$(uri "$h")" "$pool"
done

# The shared directory: a dir pool on each host, a volume made on src is
# seen on dst.
for h in src dst; do
    check "$h: dir pool on the shared directory $KVMMIG_SHARED_DIR" \
        vsh "$h" pool-create-as "$dpool" dir --target "$KVMMIG_SHARED_DIR"
done
check "src: create a 1 MiB raw volume in it" vsh src vol-create-as "$dpool" "$vol" 1M --format raw
check "dst: sees the volume after a refresh" bash -c \
    'timeout 30 virsh -q -c "$1" pool-refresh "$2" >/dev/null && timeout 30 virsh -q -c "$1" vol-info --pool "$2" "$3"' \
    _ "$KVMMIG_DST_URI" "$dpool" "$vol"
check "dst: delete the volume" vsh dst vol-delete --pool "$dpool" "$vol"
check "src: no longer sees it after a refresh" bash -c \
    'timeout 30 virsh -q -c "$1" pool-refresh "$2" >/dev/null && ! timeout 30 virsh -q -c "$1" vol-info --pool "$2" "$3" >/dev/null 2>&1' \
    _ "$KVMMIG_SRC_URI" "$dpool" "$vol"
for h in src dst; do
    check "$h: stop the transient dir pool" vsh "$h" pool-destroy "$dpool"
done

done_testing
