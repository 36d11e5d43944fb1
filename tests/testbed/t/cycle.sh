#!/bin/bash
# down and up leave nothing behind, and up recovers from a crash.  Runs near
# the end of the integration suite (priority -999, before testbed-down), and
# only when the suite itself brought the testbed up (the marker written by
# testbed-up names the current up): it must not take down a testbed someone
# else is using.  Run it by hand, as root, with the testbed up:
#     KVMMIG_TESTBED_OWNED=1 tests/testbed/t/cycle.sh
#
# SPDX-License-Identifier: LGPL-2.1-or-later
source "$(dirname "$0")/lib.sh"
need_testbed
exec 8>&-   # this test takes the testbed down itself: do not hold it

marker=${KVMMIG_TESTBED_MARKER:-}
if [[ ${KVMMIG_TESTBED_OWNED:-} != 1 ]]; then
    [[ -n $marker && -f $marker && $(cat "$marker") == "$(cat "$KVMMIG_TESTBED_DIR/run/up.id")" ]] ||
        skip_all "the testbed was not brought up by this suite, so this test will not take it down (run by hand: KVMMIG_TESTBED_OWNED=1 $0)"
fi

# Guests someone else made mean someone is using the testbed: leave it alone.
others=$("$TB" guests 2>/dev/null | awk 'NR > 1 { print $1 "@" $2 }' | tr '\n' ' ')
if [[ -n ${others// /} ]]; then
    skip_all "guests exist on the testbed ($others): someone is using it, so this test will not take it down"
fi

# The marker follows the testbed this test brings up, so that testbed-down
# still takes it down afterwards.
remark() {
    if [[ -n $marker && -f $KVMMIG_TESTBED_DIR/run/up.id ]]; then
        cp "$KVMMIG_TESTBED_DIR/run/up.id" "$marker"
    fi
}
trap 'rc=$?; remark; exit $rc' EXIT

timed() {
    local t0 rc=0
    t0=$(date +%s.%N)
    "$@" >&2 || rc=$?
    diag "$* took $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s"
    return "$rc"
}

# A guest running, so that down has QEMU to stop too.
g=tb-cycle-$$
check "a guest runs before down" "$TB" guest "$g" --on src

check "down" timed "$TB" down
check "nothing is left (netns, links, processes, mounts, state)" bash "$TB_SRCDIR/t/check-nothing-left.sh"
check "ip netns list names none of src, dst, store, auth" bash -c '! ip netns list | grep -Eq "^(src|dst|store|auth)( |$)"'
check "no QEMU of the guest is running" bash -c '! pgrep -f "guest=$1" >/dev/null' _ "$g"
check "status says down (exit 3)" bash -c '"$1" status >/dev/null; [[ $? == 3 ]]' _ "$TB"
check "down again is a no-op" bash -c '"$1" down | grep -q "already down"' _ "$TB"

check "up" timed "$TB" up
check "status says up" "$TB" status
check "no guest survived the cycle" bash -c '! "$1" guests | grep -q "^$2 "' _ "$TB" "$g"

# A crash: libvirtd on src and tgtd die hard (killed by their recorded pids).
pid_src=$(cat "$KVMMIG_TESTBED_DIR/run/pids/libvirtd-src.pid")
pid_tgt=$(cat "$KVMMIG_TESTBED_DIR/run/pids/tgtd.pid")
check "kill -9 libvirtd (src, pid $pid_src) and tgtd (pid $pid_tgt)" kill -KILL "$pid_src" "$pid_tgt"
for ((i = 0; i < 50; i++)); do   # until status sees them gone, 10 s at most
    "$TB" status >/dev/null 2>&1 && rc=0 || rc=$?
    ((rc == 3)) && break
    sleep 0.2
done
check "status sees the testbed broken (exit 3)" bash -c '"$1" status >/dev/null; [[ $? == 3 ]]' _ "$TB"
check "up cleans what the crash left and comes up again" timed "$TB" up
check "status says up" "$TB" status
check "the killed pids are not reused as ours" bash -c \
    '[[ $(cat "$1/run/pids/libvirtd-src.pid") != "$2" && $(cat "$1/run/pids/tgtd.pid") != "$3" ]]' \
    _ "$KVMMIG_TESTBED_DIR" "$pid_src" "$pid_tgt"

done_testing
