#!/bin/bash
# check-nothing-left.sh: exits 0 if nothing of the testbed is left on this
# machine (namespaces, links, processes, mounts, state), else lists it and
# exits 1.  Used after `kvmmig-testbed down`.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail

TB=${KVMMIG_TESTBED:-$(cd "$(dirname "$0")/.." && pwd)/kvmmig-testbed}
eval "$("$TB" env 2>/dev/null)"
left=0

netns=$(ip netns list 2>/dev/null | awk '{ print $1 }' | grep -x -E 'src|dst|store|auth' || true)
if [[ -n $netns ]]; then echo "left: network namespaces: $(tr '\n' ' ' <<<"$netns")"; left=1; fi

links=$(ip -br link show 2>/dev/null | awk '{ print $1 }' | grep -E '^kvmmig0' || true)
if [[ -n $links ]]; then echo "left: links: $(tr '\n' ' ' <<<"$links")"; left=1; fi

# Processes: libvirtd, virtlockd, tgtd, QEMU or sshd started for the testbed (their
# command lines name its state directory or target), and any of these or a
# virt-ssh-helper in another network namespace (an sshd's session); the
# cluster's corosync and Pacemaker daemons (pacemakerd, pacemaker-based...)
# and a kvmmig-reaper in another network namespace.
mynet=$(readlink /proc/self/ns/net)
for f in /proc/[0-9]*/comm; do
    comm=$(cat "$f" 2>/dev/null) || continue
    [[ $comm == libvirtd || $comm == virtlockd || $comm == tgtd || $comm == qemu-system-x86 || $comm == sshd ||
       $comm == virt-ssh-helper || $comm == corosync || $comm == pacemaker* || $comm == kvmmig-reaper ]] || continue
    pid=${f#/proc/}
    pid=${pid%/comm}
    # A zombie has ended; the machine's PID 1 reaps it when it will.
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    [[ ${stat%% *} != [ZX] ]] || continue
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
    if [[ $cmd == *"$KVMMIG_TESTBED_DIR"* || $cmd == *"$KVMMIG_STORE_IQN"* || $cmd == *"tgtd -f -C 7751"* ||
          $(readlink "/proc/$pid/ns/net" 2>/dev/null) != "$mynet" ]]; then
        echo "left: process $pid: ${cmd:0:160}"
        left=1
    fi
done

mounts=$(findmnt -rn -o TARGET | grep -E "^$KVMMIG_TESTBED_DIR|^/run/netns/(src|dst|store|auth)$" || true)
if [[ -n $mounts ]]; then echo "left: mounts: $(tr '\n' ' ' <<<"$mounts")"; left=1; fi

for d in "$KVMMIG_TESTBED_DIR/run" "$KVMMIG_SHARED_DIR" /etc/ssh/ssh_config.d/kvmmig-testbed.conf; do
    if [[ -e $d ]]; then echo "left: $d"; left=1; fi
done

# The cluster's agent directory (KVMMIG_OCF_DIR) is mounted only in the
# nodes' namespaces, never in this one.
if [[ -n ${KVMMIG_OCF_PROVIDER_DIR:-} ]] && mountpoint -q "$KVMMIG_OCF_PROVIDER_DIR" 2>/dev/null; then
    echo "left: mount $KVMMIG_OCF_PROVIDER_DIR"
    left=1
fi

if ((left)); then
    exit 1
fi
echo "nothing of the testbed is left (no netns src/dst/store/auth, no kvmmig0 link, no process (cluster daemons included), no mount, no run state, no ssh_config drop-in)"
