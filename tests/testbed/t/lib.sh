# shellcheck shell=bash disable=SC2034
# lib.sh: TAP helpers for the testbed's own tests (sourced by t/*.sh).
#
# The tests run from meson (suite `integration`), which passes the testbed
# script's absolute path in KVMMIG_TESTBED; run by hand they find it next to
# this directory.  A test that needs the testbed and finds it down skips with
# a TAP plan "1..0 # SKIP ..." (meson shows SKIP; under protocol 'tap' meson
# 1.0 treats a non-zero exit, 77 included, as an error).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

set -euo pipefail

# Everything that is not TAP goes to stderr, and stderr becomes TAP comments
# (meson may merge the two streams: --no-stdsplit).
# diag writes to fd 3, the real stdout, also from inside check.
exec 3>&1
exec 2> >(sed -u 's/^/# /')

TB=${KVMMIG_TESTBED:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/kvmmig-testbed}
TB_SRCDIR=$(dirname "$TB")
_tap_n=0
_tap_failed=0
_guests=()

diag() {
    local l
    while IFS= read -r l; do echo "# $l" >&3; done <<<"$*"
}

ok() {
    _tap_n=$((_tap_n + 1))
    echo "ok $_tap_n - $*"
}

not_ok() {
    _tap_n=$((_tap_n + 1))
    _tap_failed=1
    echo "not ok $_tap_n - $*"
}

# check DESCRIPTION COMMAND...: one TAP test from a command's exit status.
check() {
    local desc=$1
    shift
    if "$@" >&2; then ok "$desc"; else not_ok "$desc"; fi
}

skip_test() {
    _tap_n=$((_tap_n + 1))
    echo "ok $_tap_n - $1 # SKIP $2"
}

skip_all() {
    echo "1..0 # SKIP $*"
    echo "SKIPPED: $*" >&2
    exit 0
}

bail() {
    echo "Bail out! $*"
    dump_diagnostics
    exit 1
}

done_testing() {
    echo "1..$_tap_n"
    exit "$_tap_failed"
}

need_root() {
    [[ $(id -u) == 0 ]] ||
        skip_all "needs root: the testbed runs namespaces, libvirtd and tgtd (run the integration suite as root)"
}

# need_testbed: skip unless the testbed is up; then load its env.
need_testbed() {
    need_root
    if ! "$TB" status >/dev/null 2>&1; then
        skip_all "the testbed is down: run '$TB up' as root, or the whole integration suite ('meson test --suite integration'), which brings it up and down"
    fi
    eval "$("$TB" env 2>/dev/null)"
    # Hold the testbed while this test runs: `down` waits for holders.
    mkdir -p "$KVMMIG_TESTBED_DIR"
    exec 8>>"$KVMMIG_TESTBED_USERS_LOCK"
    flock -s -w 600 8 || bail "could not take a shared lock on $KVMMIG_TESTBED_USERS_LOCK"
    if ! "$TB" status >/dev/null 2>&1; then
        skip_all "the testbed went down: run '$TB up' as root, or the whole integration suite"
    fi
}

uri() {
    case "$1" in
        src) echo "$KVMMIG_SRC_URI" ;;
        dst) echo "$KVMMIG_DST_URI" ;;
        *) echo "bad host $1" >&2; return 1 ;;
    esac
}

vsh() {
    local h=$1
    shift
    timeout 120 virsh -q -c "$(uri "$h")" "$@"
}

serial_log() { "$TB" serial-log "$1" --on "$2"; }

nlines() { if [[ -f $1 ]]; then wc -l <"$1"; else echo 0; fi; }

# wait_line FILE REGEX TIMEOUT [FROM_LINE]: prints the first line (CR removed)
# after line FROM_LINE that matches REGEX; fails after TIMEOUT seconds.
wait_line() {
    local file=$1 re=$2 secs=$3 from=${4:-0} i line
    for ((i = 0; i < secs * 5; i++)); do
        if [[ -f $file ]]; then
            line=$(tail -n "+$((from + 1))" "$file" | tr -d '\r' | grep -a -E -m 1 -- "$re" || true)
            if [[ -n $line ]]; then
                echo "$line"
                return 0
            fi
        fi
        sleep 0.2
    done
    diag "no line matching /$re/ in $file after line $from within ${secs}s"
    return 1
}

# wait_passes LOG N FROM: waits until the stats in LOG after line FROM
# report N more completed passes than the first stats line there.
wait_passes() {
    local log=$1 more=$2 from=$3 first p0 i line p
    first=$(wait_line "$log" '^KVMMIG-DIRTY stats ' 30 "$from") || return 1
    p0=$(field "$first" passes)
    for ((i = 0; i < 300; i++)); do
        line=$(last_line "$log" '^KVMMIG-DIRTY stats ')
        p=$(field "$line" passes)
        if ((p >= p0 + more)); then return 0; fi
        sleep 0.2
    done
    return 1
}

# last_line FILE REGEX: the last matching line (CR removed), or nothing.
last_line() {
    [[ -f $1 ]] || return 0
    tr -d '\r' <"$1" | grep -a -E -- "$2" | tail -n 1 || true
}

# count_lines FILE REGEX
count_lines() {
    [[ -f $1 ]] || { echo 0; return 0; }
    tr -d '\r' <"$1" | grep -a -c -E -- "$2" || true
}

# field LINE KEY: the value of KEY=VALUE in LINE.
field() {
    local w
    for w in $1; do
        if [[ $w == "$2="* ]]; then
            echo "${w#*=}"
            return 0
        fi
    done
    return 1
}

# new_guest NAME ARGS...: kvmmig-testbed guest, remembered for cleanup.
new_guest() {
    local name=$1
    shift
    _guests+=("$name")
    "$TB" guest "$name" "$@"
}

# new_guest_on_src NAME DESCRIPTION ARGS...: one TAP test, new_guest NAME
# --on src ARGS...; sets slog and dlog to NAME's serial logs on src and dst.
new_guest_on_src() {
    local name=$1 desc=$2
    shift 2
    check "$desc" new_guest "$name" --on src "$@"
    slog=$(serial_log "$name" src)
    dlog=$(serial_log "$name" dst)
}

domain_on() {
    # domain_on NAME HOST: NAME is defined on HOST
    vsh "$2" dominfo "$1" >/dev/null 2>&1
}

dump_diagnostics() {
    local g h log
    for g in "${_guests[@]}"; do
        for h in src dst; do
            log=$(serial_log "$g" "$h" 2>/dev/null) || continue
            if [[ -f $log ]]; then
                diag "--- last lines of $g's serial log on $h ($log):"
                diag "$(tail -n 15 "$log" | tr -d '\r')"
            fi
            log="$(dirname "$log")/$g.log"
            if [[ -f $log ]]; then
                diag "--- last lines of libvirt's log of $g on $h:"
                diag "$(tail -n 8 "$log")"
            fi
        done
    done
}

cleanup_guests() {
    local rc=$? g
    if ((rc != 0 || _tap_failed != 0)); then dump_diagnostics; fi
    for g in "${_guests[@]}"; do
        "$TB" guest-rm "$g" >/dev/null 2>&1 || diag "could not remove guest $g"
    done
    exit "$rc"
}

# migrate NAME FROM TO [virsh migrate options...]: prints wall seconds.
migrate() {
    local name=$1 from=$2 to=$3 t0 t1
    shift 3
    t0=$(date +%s.%N)
    if ! timeout 180 virsh -q -c "$(uri "$from")" migrate --live --persistent --undefinesource \
            "$@" "$name" "$(uri "$to")" >&2; then
        return 1
    fi
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }'
}
