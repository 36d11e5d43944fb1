#!/bin/bash
# lun-take: a LUN for a guest defined outside `kvmmig-testbed guest` is
# booked as `guest` books one, is not handed out twice nor while a guest of
# either host has it as a disk, and `guest-rm` frees it.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
source "$(dirname "$0")/lib.sh"
need_testbed

a=tb-lun-a-$$
b=tb-lun-b-$$
own=tb-lun-own-$$
_guests+=("$a" "$b")
cleanup() {
    vsh src undefine "$own" >/dev/null 2>&1 || true
    cleanup_guests
}
trap cleanup EXIT

lun=$("$TB" lun-take "$a" || true)
check "lun-take $a prints a guest LUN ($lun)" bash -c '[[ $1 =~ ^([1-9]|1[0-2])$ ]]' _ "$lun"
check "the testbed's books give LUN $lun to $a" \
    bash -c '[[ $(cat "$1/run/luns/$2") == "$3" ]]' _ "$KVMMIG_TESTBED_DIR" "$lun" "$a"
check "guests lists $a, not defined, with LUN $lun" \
    bash -c '"$1" guests | grep -Eq "^$2 +- +\(not defined\) +$3 "' _ "$TB" "$a" "$lun"
check "lun-take $a again is refused" bash -c '! "$1" lun-take "$2"' _ "$TB" "$a"
check "lun-take --lun $lun for another name is refused" \
    bash -c '! "$1" lun-take "$2" --lun "$3"' _ "$TB" "$b" "$lun"
lun_b=$("$TB" lun-take "$b" || true)
check "lun-take $b gets another LUN ($lun_b)" bash -c '[[ -n $1 && $1 != "$2" ]]' _ "$lun_b" "$lun"

# A guest defined by hand (not in the books) on LUN 13: that LUN is in use.
vsh src define /dev/stdin >/dev/null <<EOF
<domain type='qemu'>
  <name>$own</name>
  <memory unit='MiB'>128</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='network' device='disk'>
      <driver name='qemu' type='raw' cache='none'/>
      <source protocol='iscsi' name='$KVMMIG_STORE_IQN/13'><host name='$KVMMIG_STORE_ADDR' port='3260'/></source>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
EOF
check "a LUN that a guest of src has as a disk is refused" \
    bash -c '! "$1" lun-take "$2-13" --lun 13' _ "$TB" "$a"
check "lun-take $a-13 booked nothing" test ! -e "$KVMMIG_TESTBED_DIR/run/guests/$a-13"

check "guest-rm $a" "$TB" guest-rm "$a"
check "LUN $lun is free again" test ! -e "$KVMMIG_TESTBED_DIR/run/luns/$lun"
check "guests no longer lists $a" bash -c '! "$1" guests | grep -q "^$2 "' _ "$TB" "$a"
check "guest-rm $b" "$TB" guest-rm "$b"
check "LUN $lun_b is free again" test ! -e "$KVMMIG_TESTBED_DIR/run/luns/$lun_b"

done_testing
