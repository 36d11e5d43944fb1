#!/bin/bash
# SASL on the testbed: host `auth` runs a libvirtd whose TCP listener
# requires SASL (DIGEST-MD5, a sasldb user made with saslpasswd2). virsh
# without credentials is refused, with a wrong password too, and with the
# testbed's libvirt authentication file (LIBVIRT_AUTH_FILE) it connects;
# the password is in a file of mode 0600 and not in `env`; the machine's own
# /etc/sasl2/libvirt.conf is untouched, the daemon reads its own.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
source "$(dirname "$0")/lib.sh"
need_testbed
[[ -n ${KVMMIG_SASL_URI:-} ]] ||
    skip_all "this testbed has no SASL host (brought up by an older kvmmig-testbed): bring it up afresh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# No credentials from anywhere: no auth file, no client configuration, no tty.
nocreds() {
    env -u LIBVIRT_AUTH_FILE XDG_CONFIG_HOME="$tmp/config" HOME="$tmp" \
        timeout 30 virsh -q -c "$KVMMIG_SASL_URI" "$@" </dev/null
}

out=$(nocreds list 2>&1) && rc=0 || rc=$?
diag "without credentials: exit $rc: $out"
check "virsh -c $KVMMIG_SASL_URI list without credentials fails, for want of authentication" \
    bash -c '(($1 != 0)) && grep -qi "auth" <<<"$2"' _ "$rc" "$out"

sed "s/^password=.*/password=not-the-password/" "$KVMMIG_SASL_AUTH_FILE" >"$tmp/wrong.conf"
chmod 600 "$tmp/wrong.conf"
out=$(env LIBVIRT_AUTH_FILE="$tmp/wrong.conf" XDG_CONFIG_HOME="$tmp/config" HOME="$tmp" \
    timeout 30 virsh -q -c "$KVMMIG_SASL_URI" list </dev/null 2>&1) && rc=0 || rc=$?
diag "wrong password: exit $rc: $out"
check "with a wrong password it fails too, without asking for anything" \
    bash -c '(($1 != 0)) && grep -q "authentication failed" <<<"$2" && ! grep -q "Please enter" <<<"$2"' _ "$rc" "$out"

check "with the testbed's auth file (LIBVIRT_AUTH_FILE) virsh list works" \
    env LIBVIRT_AUTH_FILE="$KVMMIG_SASL_AUTH_FILE" timeout 30 virsh -q -c "$KVMMIG_SASL_URI" list
host=$(LIBVIRT_AUTH_FILE=$KVMMIG_SASL_AUTH_FILE timeout 30 virsh -q -c "$KVMMIG_SASL_URI" hostname 2>&1 || true)
check "  and it is host auth (hostname $host)" test "$host" == kvmmig-auth
check "the auth file names user $KVMMIG_SASL_USER" grep -qx "authname=$KVMMIG_SASL_USER" "$KVMMIG_SASL_AUTH_FILE"

pw=$(cat "$KVMMIG_SASL_PASSWORD_FILE")
check "the password file is mode 0600, the auth file too" \
    bash -c '[[ $(stat -c %a "$1") == 600 && $(stat -c %a "$2") == 600 ]]' _ "$KVMMIG_SASL_PASSWORD_FILE" "$KVMMIG_SASL_AUTH_FILE"
check "env does not print the password" bash -c '[[ -n $2 ]] && ! "$1" env 2>&1 | grep -qF -- "$2"' _ "$TB" "$pw"

pid=$(cat "$KVMMIG_TESTBED_DIR/run/pids/libvirtd-auth.pid")
check "auth's libvirtd reads its own /etc/sasl2/libvirt.conf (mech_list: digest-md5)" \
    bash -c 'nsenter -t "$1" -m cat /etc/sasl2/libvirt.conf | grep -qx "mech_list: digest-md5"' _ "$pid"
check "the machine's /etc/sasl2 has no testbed configuration" \
    bash -c '! grep -rqs "kvmmig" /etc/sasl2/'
check "auth's libvirtd.conf says auth_tcp = \"sasl\"" \
    grep -qx 'auth_tcp = "sasl"' "$KVMMIG_TESTBED_DIR/run/hosts/auth/etc/libvirtd.conf"

done_testing
