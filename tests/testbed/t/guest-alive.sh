#!/bin/bash
# A guest starts on src, logs that it is alive, keeps beating; a guest also
# starts on dst; `virsh shutdown` (ACPI power button) powers a guest off.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
source "$(dirname "$0")/lib.sh"
need_testbed
trap cleanup_guests EXIT

g=tb-alive-$$
g2=tb-alive-dst-$$

t0=$(date +%s.%N)
check "guest $g defined and started on src" new_guest "$g" --on src --workload idle
diag "boot to first heartbeat: $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s"

check "virsh list on src shows $g running" \
    bash -c '[[ $(timeout 30 virsh -q -c "$1" domstate "$2") == running ]]' _ "$KVMMIG_SRC_URI" "$g"
check "$g is not defined on dst" bash -c '! timeout 30 virsh -q -c "$1" dominfo "$2" >/dev/null 2>&1' _ "$KVMMIG_DST_URI" "$g"

log=$(serial_log "$g" src)
check "the serial log is in KVMMIG_SRC_LOGDIR" test "$log" == "$KVMMIG_SRC_LOGDIR/$g-serial.log"
boot=$(wait_line "$log" '^KVMMIG-GUEST boot ' 30 || true)
check "boot line: $boot" test -n "$boot"
check "boot line names the workload" test "$(field "$boot" workload)" == idle
check "ready line" wait_line "$log" '^KVMMIG-GUEST ready ' 30

a1=$(wait_line "$log" '^KVMMIG-GUEST alive [0-9]+$' 30 || true)
n=$(nlines "$log")
a2=$(wait_line "$log" '^KVMMIG-GUEST alive [0-9]+$' 10 "$n" || true)
s1=${a1##* }
s2=${a2##* }
check "heartbeat advances ($a1 -> $a2)" test -n "$s1" -a -n "$s2" -a "${s2:-0}" -gt "${s1:-0}"

check "wait-alive returns a fresh heartbeat" "$TB" wait-alive "$g" --on src --timeout 10

check "guest $g2 defined and started on dst" new_guest "$g2" --on dst --workload idle
check "$g2 logs in KVMMIG_DST_LOGDIR" test -f "$KVMMIG_DST_LOGDIR/$g2-serial.log"

check "guests lists $g on src and $g2 on dst" bash -c \
    'out=$("$1" guests); grep -Eq "^$2 +src +running" <<<"$out" && grep -Eq "^$3 +dst +running" <<<"$out"' \
    _ "$TB" "$g" "$g2"

# ACPI shutdown: the power button reaches kvmmig-powerd, which powers off.
n=$(nlines "$log")
vsh src shutdown "$g" >/dev/null
check "the guest logs the ACPI power button" wait_line "$log" '^KVMMIG-GUEST poweroff reason=acpi-power-button' 30 "$n"
off=0
for ((i = 0; i < 150; i++)); do
    if [[ $(vsh src domstate "$g" 2>/dev/null) == "shut off" ]]; then off=1; break; fi
    sleep 0.2
done
check "virsh shutdown powers the guest off" test "$off" == 1

check "guest-rm removes $g2" "$TB" guest-rm "$g2"
check "$g2 is gone from dst" bash -c '! timeout 30 virsh -q -c "$1" dominfo "$2" >/dev/null 2>&1' _ "$KVMMIG_DST_URI" "$g2"

done_testing
