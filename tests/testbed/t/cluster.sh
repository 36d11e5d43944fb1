#!/bin/bash
# The two-node Corosync + Pacemaker cluster on the testbed (`kvmmig-testbed
# cluster-up`): both nodes online, a DC, the properties cluster-up sets, the
# PATH resource agents get; an ocf:heartbeat:Dummy moved with crm_resource
# --move and back with --clear, and away from a node in standby and back;
# then a testbed guest managed by ocf:heartbeat:VirtualDomain (XML in the
# shared directory, allow-migrate=true) starts on kvmmig-src, and
# crm_resource --move live-migrates it to kvmmig-dst (running there, gone
# from src, its heartbeat goes on, Pacemaker ran migrate_to/migrate_from);
# --clear migrates it back.  Brings the cluster up if it is not, and then
# down again at the end; removes its resources and guest either way.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck disable=SC2016,SC2317 # bash -c '...' takes its arguments as $1...; functions run through check, wait_until and the trap
source "$(dirname "$0")/lib.sh"
need_testbed
for c in corosync pacemakerd crm_mon crm_resource crm_attribute cibadmin crm_node crm_verify; do
    command -v "$c" >/dev/null ||
        skip_all "$c is not installed: run tests/testbed/install-deps (Corosync, Pacemaker, resource-agents)"
done
[[ -x /usr/lib/ocf/resource.d/heartbeat/VirtualDomain ]] ||
    skip_all "resource-agents is not installed: run tests/testbed/install-deps"

SRC_NODE=$KVMMIG_CLUSTER_SRC_NODE
DST_NODE=$KVMMIG_CLUSTER_DST_NODE
ours=0
probe_dir=""
resources=()
constraints=()

# cx NODE COMMAND...: COMMAND in cluster node NODE (src or dst).
cx() {
    local h=$1
    shift
    timeout 60 "$TB" cluster-exec "$h" -- "$@"
}

# wait_until SECS COMMAND...: polls COMMAND every 0.5 s until it succeeds.
wait_until() {
    local secs=$1 i
    shift
    for ((i = 0; i < secs * 2; i++)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.5
    done
    "$@" >&2 || true
    return 1
}

# located RESOURCE: the nodes it runs on, one a line, as src's node sees it.
located() { cx src crm_resource --locate --resource "$1" --quiet 2>/dev/null | sort; }

# runs_only_on RESOURCE NODE
runs_only_on() { [[ $(located "$1") == "$2" ]]; }

# settled: no action pending or running in the cluster (crm_resource --wait).
settled() { cx src crm_resource --wait --timeout 170 >&2; }

# dom_running URI NAME
dom_running() { [[ $(virsh -q -c "$1" domstate "$2" 2>/dev/null) == running ]]; }

mon_xml() { cx "${1:-src}" crm_mon -1 --output-as=xml; }

node_online() {
    mon_xml "$1" | grep -Eq "<node name=\"$2\" [^>]*online=\"true\""
}

node_standby() {
    mon_xml src | grep -Eq "<node name=\"$1\" [^>]*standby=\"$2\""
}

# add_primitive XML: a resource, remembered for cleanup.
add_primitive() {
    local id
    id=$(sed -n 's/^<primitive id="\([^"]*\)".*/\1/p' <<<"$1")
    resources+=("$id")
    cx src cibadmin --create -o resources --xml-text "$1"
}

# prefer RESOURCE NODE: a location constraint, score 100 (cleared moves go
# back there), remembered for cleanup.
prefer() {
    local id="$1-prefers-$2"
    constraints+=("$id")
    cx src cibadmin --create -o constraints \
        --xml-text "<rsc_location id=\"$id\" rsc=\"$1\" node=\"$2\" score=\"100\"/>"
}

# remove_resource ID: stopped (waits), then deleted with its constraints;
# forgotten for cleanup.
remove_resource() {
    local id=$1 c r left=()
    for r in "${resources[@]}"; do [[ $r == "$id" ]] || left+=("$r"); done
    resources=("${left[@]}")
    cx src crm_resource --resource "$id" --clear >/dev/null 2>&1 || true
    cx src crm_resource --resource "$id" --meta --set-parameter target-role --parameter-value Stopped >/dev/null 2>&1 || true
    wait_until 120 bash -c '[[ -z $("$1" cluster-exec src -- crm_resource --locate --resource "$2" --quiet 2>/dev/null) ]]' _ "$TB" "$id" ||
        diag "resource $id did not stop in 120 s"
    for c in "${constraints[@]}"; do
        [[ $c == "$id-prefers-"* ]] || continue
        cx src cibadmin --delete -o constraints --xml-text "<rsc_location id=\"$c\"/>" >/dev/null 2>&1 || true
    done
    cx src cibadmin --delete -o resources --xml-text "<primitive id=\"$id\"/>" >/dev/null 2>&1 ||
        diag "could not delete resource $id"
}

cleanup() {
    local rc=$? r g
    trap - EXIT
    if ((rc != 0 || _tap_failed != 0)); then
        diag "--- crm_mon on src:"
        diag "$(cx src crm_mon -1 2>&1 || true)"
        dump_diagnostics
    fi
    while ((${#resources[@]})); do
        remove_resource "${resources[0]}"
    done
    for g in "${_guests[@]}"; do
        "$TB" guest-rm "$g" >/dev/null 2>&1 || diag "could not remove guest $g"
    done
    if ((ours)); then
        "$TB" cluster-down >&2 || { diag "cluster-down failed"; rc=1; }
    fi
    [[ -z $probe_dir ]] || rm -rf "$probe_dir"
    exit "$rc"
}
trap cleanup EXIT

# --- the cluster ----------------------------------------------------------
if [[ $KVMMIG_CLUSTER == up ]] && "$TB" cluster-exec src -- crm_mon -1 >/dev/null 2>&1; then
    diag "the cluster is up already: using it, and leaving it up"
else
    # Ours: with a probe agent (ocf:kvmmig:pathprobe) and a `kvmmig` of
    # our own, unless the caller gave KVMMIG_OCF_DIR or KVMMIG_CLI.
    if [[ -z ${KVMMIG_OCF_DIR:-} && -z ${KVMMIG_CLI:-} ]]; then
        probe_dir=$(mktemp -d /tmp/kvmmig-cluster-test.XXXXXX)
        chmod 755 "$probe_dir"
        mkdir "$probe_dir/ocf"
        cat >"$probe_dir/ocf/pathprobe" <<'EOF'
#!/bin/sh
# pathprobe: an OCF agent of t/cluster.sh that writes, at start, its PATH
# and which `kvmmig` it finds to the file of its parameter `out`.
state=/run/resource-agents/pathprobe-$OCF_RESOURCE_INSTANCE.state
case $1 in
meta-data)
    cat <<'XML'
<?xml version="1.0"?>
<resource-agent name="pathprobe" version="1">
<version>1.1</version>
<longdesc lang="en">Writes its PATH and which kvmmig it finds at start.</longdesc>
<shortdesc lang="en">PATH probe</shortdesc>
<parameters><parameter name="out" required="1"><longdesc lang="en">output file</longdesc>
<shortdesc lang="en">output file</shortdesc><content type="string"/></parameter></parameters>
<actions><action name="start" timeout="20s"/><action name="stop" timeout="20s"/>
<action name="monitor" timeout="20s" interval="10s"/><action name="meta-data" timeout="5s"/></actions>
</resource-agent>
XML
    exit 0 ;;
start)
    { echo "PATH=$PATH"; echo "kvmmig=$(command -v kvmmig)"; echo "kvmmig says: $(kvmmig)"; } >"$OCF_RESKEY_out"
    touch "$state"; exit 0 ;;
stop) rm -f "$state"; exit 0 ;;
monitor) if [ -f "$state" ]; then exit 0; else exit 7; fi ;;
*) exit 3 ;;
esac
EOF
        printf '#!/bin/sh\necho pathprobe-kvmmig\n' >"$probe_dir/kvmmig"
        chmod 755 "$probe_dir/ocf/pathprobe" "$probe_dir/kvmmig"
        export KVMMIG_OCF_DIR=$probe_dir/ocf KVMMIG_CLI=$probe_dir/kvmmig
    fi
    ours=1
    if "$TB" cluster-up >&2; then ok "cluster-up"; else not_ok "cluster-up"; bail "cluster-up failed"; fi
    eval "$("$TB" env 2>/dev/null)"
fi

check "kvmmig-testbed env says the cluster is up" test "$KVMMIG_CLUSTER" = up
for h in src dst; do
    check "crm_mon on $h: $SRC_NODE and $DST_NODE online" \
        bash -c 'x=$("$1" cluster-exec "$2" -- crm_mon -1 --output-as=xml) &&
            grep -Eq "<node name=\"$3\" [^>]*online=\"true\"" <<<"$x" &&
            grep -Eq "<node name=\"$4\" [^>]*online=\"true\"" <<<"$x" &&
            grep -Eq "<current_dc present=\"true\"[^>]* with_quorum=\"true\"" <<<"$x"' \
        _ "$TB" "$h" "$SRC_NODE" "$DST_NODE"
done
check "crm_node -l: nodes 1 $SRC_NODE and 2 $DST_NODE, members" \
    bash -c 'x=$("$1" cluster-exec src -- crm_node -l) && echo "$x" >&2 &&
        grep -Eq "^1 $2 member" <<<"$x" && grep -Eq "^2 $3 member" <<<"$x"' _ "$TB" "$SRC_NODE" "$DST_NODE"
check "each node's own hostname (uname -n in dst: $DST_NODE)" test "$(cx dst uname -n)" = "$DST_NODE"
check "stonith-enabled=false" bash -c '[[ $("$1" cluster-exec src -- crm_attribute --type crm_config --name stonith-enabled --query --quiet) == false ]]' _ "$TB"
check "no-quorum-policy=stop" bash -c '[[ $("$1" cluster-exec src -- crm_attribute --type crm_config --name no-quorum-policy --query --quiet) == stop ]]' _ "$TB"
check "crm_verify -L: the live configuration is valid" cx src crm_verify -L
check "two_node quorum (corosync-quorumtool on src)" bash -c '"$1" cluster-exec src -- corosync-quorumtool -s | grep -Eq "Flags: .*2Node"' _ "$TB"
check "qemu:///system in node dst is dst's libvirtd" bash -c '[[ $("$1" cluster-exec dst -- virsh -c qemu:///system hostname) == "$2" ]]' _ "$TB" "$DST_NODE"
check "node src resolves $DST_NODE to $KVMMIG_DST_ADDR" bash -c '"$1" cluster-exec src -- getent hosts "$2" | grep -q "^$3 "' _ "$TB" "$DST_NODE" "$KVMMIG_DST_ADDR"

# The environment Pacemaker gives the agents: pacemaker-execd's, which
# runs them.
for h in src dst; do
    check "$h: pacemaker-execd's PATH starts with $KVMMIG_CLUSTER_BIN" \
        bash -c 'for p in $(ip netns pids "$1"); do
                [[ $(cat /proc/$p/comm 2>/dev/null) == pacemaker-execd ]] || continue
                tr "\0" "\n" </proc/$p/environ | grep -q "^PATH=$2:" && exit 0
            done; exit 1' _ "$h" "$KVMMIG_CLUSTER_BIN"
done
if [[ -n $probe_dir ]]; then
    add_primitive "<primitive id=\"tb-probe\" class=\"ocf\" provider=\"kvmmig\" type=\"pathprobe\">
        <instance_attributes id=\"tb-probe-ia\"><nvpair id=\"tb-probe-out\" name=\"out\" value=\"$probe_dir/out\"/></instance_attributes>
        <operations><op id=\"tb-probe-mon\" name=\"monitor\" interval=\"10s\"/></operations></primitive>" >/dev/null
    check "ocf:kvmmig:pathprobe (KVMMIG_OCF_DIR) started" wait_until 60 test -s "$probe_dir/out"
    diag "$(cat "$probe_dir/out" 2>/dev/null)"
    check "the agent's PATH starts with $KVMMIG_CLUSTER_BIN" grep -q "^PATH=$KVMMIG_CLUSTER_BIN:" "$probe_dir/out"
    check "the agent's kvmmig is $KVMMIG_CLUSTER_BIN/kvmmig, i.e. KVMMIG_CLI" \
        grep -qx "kvmmig says: pathprobe-kvmmig" "$probe_dir/out"
    remove_resource tb-probe
else
    skip_test "ocf:kvmmig:pathprobe" "the cluster was up already or KVMMIG_OCF_DIR/KVMMIG_CLI were given"
fi

# --- ocf:heartbeat:Dummy: move, clear, standby ------------------------------
dum=tb-dummy-$$
add_primitive "<primitive id=\"$dum\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">
    <operations><op id=\"$dum-mon\" name=\"monitor\" interval=\"10s\"/></operations></primitive>" >/dev/null
prefer "$dum" "$SRC_NODE" >/dev/null
check "Dummy $dum starts on $SRC_NODE (its preference)" wait_until 60 runs_only_on "$dum" "$SRC_NODE"
check "crm_resource --move --node $DST_NODE" cx src crm_resource --resource "$dum" --move --node "$DST_NODE"
check "Dummy runs on $DST_NODE only" wait_until 60 runs_only_on "$dum" "$DST_NODE"
check "crm_resource --clear" cx src crm_resource --resource "$dum" --clear
check "Dummy back on $SRC_NODE (the move's constraint is gone)" wait_until 60 runs_only_on "$dum" "$SRC_NODE"
check "standby on for $SRC_NODE" cx src crm_attribute --node "$SRC_NODE" --name standby --update on
check "$SRC_NODE is in standby" wait_until 30 node_standby "$SRC_NODE" true
check "Dummy moved away to $DST_NODE" wait_until 60 runs_only_on "$dum" "$DST_NODE"
check "standby off for $SRC_NODE" cx src crm_attribute --node "$SRC_NODE" --name standby --update off
check "$SRC_NODE online, not in standby" wait_until 30 node_standby "$SRC_NODE" false
check "Dummy back on $SRC_NODE" wait_until 60 runs_only_on "$dum" "$SRC_NODE"
remove_resource "$dum"
check "Dummy $dum stopped and deleted" bash -c '! "$1" cluster-exec src -- crm_resource --resource "$2" --query-xml >/dev/null 2>&1' _ "$TB" "$dum"

# --- ocf:heartbeat:VirtualDomain: a testbed guest, live-migrated -------------
g=tb-cluster-$$
_guests+=("$g")
xml=$("$TB" guest "$g" --xml-only --workload idle) || bail "guest $g --xml-only failed"
check "guest $g's XML in the shared directory ($xml), defined nowhere" \
    bash -c '[[ $1 == "$2/"* && -s $1 ]] && ! virsh -q -c "$3" dominfo "$4" >/dev/null 2>&1 &&
        ! virsh -q -c "$5" dominfo "$4" >/dev/null 2>&1' _ "$xml" "$KVMMIG_CLUSTER_DOMAINS_DIR" "$KVMMIG_SRC_URI" "$g" "$KVMMIG_DST_URI"
vd=vm-$g
add_primitive "<primitive id=\"$vd\" class=\"ocf\" provider=\"heartbeat\" type=\"VirtualDomain\">
    <instance_attributes id=\"$vd-ia\">
      <nvpair id=\"$vd-config\" name=\"config\" value=\"$xml\"/>
      <nvpair id=\"$vd-hv\" name=\"hypervisor\" value=\"qemu:///system\"/>
      <nvpair id=\"$vd-transport\" name=\"migration_transport\" value=\"tcp\"/>
    </instance_attributes>
    <meta_attributes id=\"$vd-meta\"><nvpair id=\"$vd-allow-migrate\" name=\"allow-migrate\" value=\"true\"/></meta_attributes>
    <operations>
      <op id=\"$vd-start\" name=\"start\" interval=\"0\" timeout=\"120s\"/>
      <op id=\"$vd-stop\" name=\"stop\" interval=\"0\" timeout=\"120s\"/>
      <op id=\"$vd-mon\" name=\"monitor\" interval=\"10s\" timeout=\"30s\"/>
      <op id=\"$vd-mto\" name=\"migrate_to\" interval=\"0\" timeout=\"180s\"/>
      <op id=\"$vd-mfrom\" name=\"migrate_from\" interval=\"0\" timeout=\"60s\"/>
    </operations></primitive>" >/dev/null
prefer "$vd" "$SRC_NODE" >/dev/null
check "VirtualDomain $vd starts on $SRC_NODE" wait_until 120 runs_only_on "$vd" "$SRC_NODE"
check "the cluster settles (crm_resource --wait)" settled
check "virsh on src: $g running" wait_until 30 dom_running "$KVMMIG_SRC_URI" "$g"
slog=$(serial_log "$g" src)
dlog=$(serial_log "$g" dst)
check "guest $g alive on src" wait_line "$slog" '^KVMMIG-GUEST alive [0-9]+$' 60
before=$(last_line "$slog" '^KVMMIG-GUEST alive [0-9]+$')
before=${before##* }

check "crm_resource --move --node $DST_NODE" cx src crm_resource --resource "$vd" --move --node "$DST_NODE"
check "VirtualDomain runs on $DST_NODE only" wait_until 180 runs_only_on "$vd" "$DST_NODE"
check "the cluster settles (crm_resource --wait)" settled
check "virsh on dst: $g running" wait_until 30 dom_running "$KVMMIG_DST_URI" "$g"
check "virsh on src: $g not running (gone)" bash -c '! virsh -q -c "$1" domstate "$2" 2>/dev/null | grep -qx running' _ "$KVMMIG_SRC_URI" "$g"
after=$(wait_line "$dlog" '^KVMMIG-GUEST alive [0-9]+$' 30 || true)
after=${after##* }
check "heartbeat goes on in dst's log, no reboot (src's last: ${before:-none}, dst's first: ${after:-none})" \
    test -n "$before" -a -n "$after" -a "${after:-0}" -ge "${before:-1}"
# A live migration, not a stop and a start: src's QEMU ended with
# reason=migrated (libvirt's log of the guest there), and the nodes ran
# migrate_to and migrate_from (their Pacemaker logs).
check "src's QEMU of $g ended migrated (libvirt's log: reason=migrated)" \
    grep -q 'shutting down, reason=migrated' "$KVMMIG_SRC_LOGDIR/$g.log"
ops=$(grep -h -E "(migrate_to|migrate_from).*$vd|$vd.*(migrate_to|migrate_from)" \
    "$KVMMIG_CLUSTER_DIR"/nodes/*/log-pacemaker/pacemaker.log | grep -E 'Result of' || true)
diag "$ops"
check "Pacemaker ran migrate_to on $SRC_NODE and migrate_from on $DST_NODE, both ok" \
    bash -c 'grep -Eq "migrate_to .*$2.* on $3: ok" <<<"$1" && grep -Eq "migrate_from .*$2.* on $4: ok" <<<"$1"' \
    _ "$ops" "$vd" "$SRC_NODE" "$DST_NODE"
check "no failed actions" bash -c '! "$1" cluster-exec src -- crm_mon -1 --output-as=xml | grep -q "<failure "' _ "$TB"

n=$(nlines "$slog")
check "crm_resource --clear: back to $SRC_NODE (its preference), live" cx src crm_resource --resource "$vd" --clear
check "VirtualDomain runs on $SRC_NODE only" wait_until 180 runs_only_on "$vd" "$SRC_NODE"
check "the cluster settles (crm_resource --wait)" settled
check "virsh on src: $g running, dst: not" bash -c '[[ $(virsh -q -c "$1" domstate "$3") == running ]] &&
    ! virsh -q -c "$2" domstate "$3" 2>/dev/null | grep -qx running' _ "$KVMMIG_SRC_URI" "$KVMMIG_DST_URI" "$g"
check "heartbeat goes on in src's log" wait_line "$slog" '^KVMMIG-GUEST alive [0-9]+$' 30 "$n"

remove_resource "$vd"
check "VirtualDomain stopped and deleted: $g on neither host" \
    bash -c '! virsh -q -c "$1" dominfo "$3" >/dev/null 2>&1 && ! virsh -q -c "$2" dominfo "$3" >/dev/null 2>&1 &&
        ! "$4" cluster-exec src -- crm_resource --resource "$5" --query-xml >/dev/null 2>&1' \
    _ "$KVMMIG_SRC_URI" "$KVMMIG_DST_URI" "$g" "$TB" "$vd"

if ((ours)); then
    ours=0
    check "cluster-down" "$TB" cluster-down
    check "no corosync or Pacemaker daemon left in src or dst" \
        bash -c '! for h in src dst; do ip netns pids $h; done | xargs -r -I{} cat /proc/{}/comm 2>/dev/null |
            grep -Eq "^(corosync|pacemaker)"'
    eval "$("$TB" env 2>/dev/null)"
    check "env says the cluster is down" test "$KVMMIG_CLUSTER" = down
fi

done_testing
