#!/bin/bash
# TLS on the testbed: both libvirtds answer on their qemu+tls:// URIs from the
# root namespace; their listener presents the host's certificate (CN, DNS
# name and IP address of the host, issued by the testbed's CA); every private
# key is mode 0600 in a directory only its owner can enter; `virsh migrate
# --p2p --tls` over the TLS URIs moves a guest src -> dst, src's daemon
# connecting to dst with its own certificate and QEMU encrypting the stream;
# after `tls-break dst --only migration` the migration back fails and the
# guest keeps running on dst; after `tls-fix dst` it succeeds.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
source "$(dirname "$0")/lib.sh"
need_testbed
[[ ${KVMMIG_TLS:-off} == on ]] ||
    skip_all "TLS is not on on this testbed (brought up by an older kvmmig-testbed): run '$TB tls-setup', or bring it up afresh"
on_exit() {
    local rc=$?
    [[ ! -f $KVMMIG_TLS_DIR/broken-dst ]] || "$TB" tls-fix dst >&2 || true
    (exit "$rc")
    cleanup_guests
}
trap on_exit EXIT

tls_uri() { if [[ $1 == src ]]; then echo "$KVMMIG_SRC_TLS_URI"; else echo "$KVMMIG_DST_TLS_URI"; fi; }
client=$KVMMIG_TLS_CLIENT_DIR
ca=$client/cacert.pem

for h in src dst; do
    check "libvirtd on $h answers on $(tls_uri "$h")" \
        bash -c 'timeout 60 virsh -q -c "$1" version >/dev/null' _ "$(tls_uri "$h")"
    addr=$(eval echo "\$KVMMIG_${h^^}_ADDR")
    hello=$(timeout 20 gnutls-cli --x509cafile "$ca" --x509certfile "$client/clientcert.pem" \
        --x509keyfile "$client/clientkey.pem" --port 16514 "$addr" </dev/null 2>&1 || true)
    diag "$(grep -m 1 ' - subject ' <<<"$hello" | cut -c1-160)"
    check "$h's TLS listener presents CN=kvmmig-$h, trusted by the testbed's CA" \
        bash -c 'grep -q "subject .CN=kvmmig-$1," <<<"$2" && grep -q "The certificate is trusted" <<<"$2"' _ "$h" "$hello"
    for cert in "$KVMMIG_TLS_DIR/hosts/$h/pki/libvirt/servercert.pem" "$KVMMIG_TLS_DIR/hosts/$h/pki/qemu/server-cert.pem"; do
        info=$(certtool -i --infile "$cert")
        check "$(basename "$(dirname "$cert")")/$(basename "$cert") of $h names kvmmig-$h and $addr, for server and client" \
            bash -c 'grep -q "DNSname: kvmmig-$1\$" <<<"$2" && grep -q "IPAddress: $3\$" <<<"$2" &&
                     grep -q "TLS WWW Server" <<<"$2" && grep -q "TLS WWW Client" <<<"$2"' _ "$h" "$info" "$addr"
        check "  and is issued by the testbed's CA" \
            bash -c 'certtool --verify --load-ca-certificate "$1" --infile "$2" 2>/dev/null | grep -q "Chain verification output: Verified"' _ "$ca" "$cert"
    done
done

keys=$(find "$KVMMIG_TLS_DIR" -name '*key.pem' -type f)
n=$(wc -l <<<"$keys")
check "$n private keys, each mode 0600 in a directory of mode 0700" \
    bash -c 'for k in $1; do [[ $(stat -c %a "$k") == 600 && $(stat -c %a "$(dirname "$k")") == 700 ]] || { echo "$k"; exit 1; }; done' _ "$keys"
check "QEMU's keys belong to libvirt-qemu, the others to root" \
    bash -c 'for k in $1; do o=$(stat -c %U "$k"); if [[ $k == */qemu/* ]]; then [[ $o == libvirt-qemu ]]; else [[ $o == root ]]; fi || { echo "$k: $o"; exit 1; }; done' _ "$keys"
check "status shows TLS answering on both hosts" \
    bash -c '[[ $("$1" status | grep -c "^tls: .* answers on qemu+tls://") == 2 ]]' _ "$TB"

g=tls-tb-$$
check "guest $g started on src" new_guest "$g" --on src --workload idle
dlog=$(serial_log "$g" dst)
slog=$(serial_log "$g" src)
check "virsh migrate --p2p --tls over the TLS URIs, src -> dst" \
    timeout 180 virsh -q -c "$KVMMIG_SRC_TLS_URI" migrate --live --p2p --tls --persistent --undefinesource "$g" "$KVMMIG_DST_TLS_URI"
check "running on dst" bash -c '[[ $(virsh -q -c "$1" domstate "$2") == running ]]' _ "$KVMMIG_DST_URI" "$g"
check "heartbeat on dst" wait_line "$dlog" '^KVMMIG-GUEST alive [0-9]+$' 20

check "tls-break dst --only migration" "$TB" tls-break dst --only migration
err=$(timeout 180 virsh -q -c "$KVMMIG_DST_TLS_URI" migrate --live --p2p --tls --persistent --undefinesource "$g" "$KVMMIG_SRC_TLS_URI" 2>&1) && rc=0 || rc=$?
diag "virsh: $err"
check "then the migration back fails, naming the certificate" \
    bash -c '(($1 != 0)) && grep -qi certificate <<<"$2"' _ "$rc" "$err"
check "and the guest keeps running on dst" bash -c '[[ $(virsh -q -c "$1" domstate "$2") == running ]]' _ "$KVMMIG_DST_URI" "$g"
check "and is not on src" bash -c '! virsh -q -c "$1" dominfo "$2" >/dev/null 2>&1' _ "$KVMMIG_SRC_URI" "$g"
n=$(nlines "$dlog")
check "  with its heartbeat going on" wait_line "$dlog" '^KVMMIG-GUEST alive [0-9]+$' 10 "$n"

check "tls-fix dst" "$TB" tls-fix dst
n=$(nlines "$slog")
check "then it migrates back dst -> src over TLS" \
    timeout 180 virsh -q -c "$KVMMIG_DST_TLS_URI" migrate --live --p2p --tls --persistent --undefinesource "$g" "$KVMMIG_SRC_TLS_URI"
check "heartbeat on src" wait_line "$slog" '^KVMMIG-GUEST alive [0-9]+$' 20 "$n"

done_testing
