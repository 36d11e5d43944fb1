#!/bin/bash
# SSH on the testbed: both hosts answer on their qemu+ssh:// URIs from the
# root namespace (keyfile in the URI, host keys checked against the
# testbed's known_hosts); from inside src's own namespaces, where its
# libvirtd runs, the same destination URI reaches dst with src's own key;
# `virsh migrate --p2p` over the SSH URIs both ways; host key checking is
# on (an empty known_hosts is refused) and root cannot log in with a
# password; every private key is mode 0600.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
source "$(dirname "$0")/lib.sh"
need_testbed
[[ -n ${KVMMIG_SRC_SSH_URI:-} ]] ||
    skip_all "this testbed has no SSH (brought up by an older kvmmig-testbed): bring it up afresh"
trap cleanup_guests EXIT

ssh_uri() { if [[ $1 == src ]]; then echo "$KVMMIG_SRC_SSH_URI"; else echo "$KVMMIG_DST_SSH_URI"; fi; }
key=$KVMMIG_SSH_CLIENT_DIR/id_ed25519

for h in src dst; do
    name=$(timeout 30 virsh -q -c "$(ssh_uri "$h")" hostname 2>&1 || true)
    check "virsh -c $(ssh_uri "$h") hostname: kvmmig-$h" test "$name" == "kvmmig-$h"
done

pid=$(cat "$KVMMIG_TESTBED_DIR/run/pids/libvirtd-src.pid")
name=$(nsenter -t "$pid" -m -n -u timeout 30 virsh -q -c "$KVMMIG_DST_SSH_URI" hostname 2>&1 || true)
check "from src's namespaces, the destination's SSH URI reaches kvmmig-dst" test "$name" == kvmmig-dst
check "  where the URI's keyfile is src's own key" \
    bash -c 'cmp -s <(nsenter -t "$1" -m cat "$2.pub") "$3/hosts/src/dot-ssh/id_ed25519.pub"' _ "$pid" "$key" "$KVMMIG_SSH_DIR"

out=$(timeout 20 ssh -o BatchMode=yes -o UserKnownHostsFile=/dev/null -i "$key" "root@$KVMMIG_DST_ADDR" true 2>&1) && rc=0 || rc=$?
diag "empty known_hosts: exit $rc: $out"
check "host key checking is on: with an empty known_hosts, ssh is refused" \
    bash -c '(($1 != 0)) && grep -q "Host key verification failed" <<<"$2"' _ "$rc" "$out"
out=$(timeout 20 ssh -o BatchMode=yes -o PubkeyAuthentication=no "root@$KVMMIG_DST_ADDR" true 2>&1) && rc=0 || rc=$?
diag "no key: exit $rc: $out"
check "root cannot log in without a key" \
    bash -c '(($1 != 0)) && grep -q "Permission denied (publickey)" <<<"$2"' _ "$rc" "$out"

keys=$(find "$KVMMIG_SSH_DIR" -type f \( -name id_ed25519 -o -name 'ssh_host_*_key' \))
check "$(wc -l <<<"$keys") private keys, each mode 0600 in a directory of mode 0700" \
    bash -c 'for k in $1; do [[ $(stat -c %a "$k") == 600 && $(stat -c %a "$(dirname "$k")") == 700 ]] || { echo "$k"; exit 1; }; done' _ "$keys"

g=ssh-tb-$$
check "guest $g started on src" new_guest "$g" --on src --workload idle
dlog=$(serial_log "$g" dst)
slog=$(serial_log "$g" src)
check "virsh migrate --p2p over the SSH URIs, src -> dst" \
    timeout 180 virsh -q -c "$KVMMIG_SRC_SSH_URI" migrate --live --p2p --persistent --undefinesource "$g" "$KVMMIG_DST_SSH_URI"
check "heartbeat on dst" wait_line "$dlog" '^KVMMIG-GUEST alive [0-9]+$' 20
n=$(nlines "$slog")
check "and back dst -> src" \
    timeout 180 virsh -q -c "$KVMMIG_DST_SSH_URI" migrate --live --p2p --persistent --undefinesource "$g" "$KVMMIG_SRC_SSH_URI"
check "heartbeat on src" wait_line "$slog" '^KVMMIG-GUEST alive [0-9]+$' 20 "$n"

done_testing
