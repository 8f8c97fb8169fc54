#!/usr/bin/env bash
# Proves that down.sh removes what the local cluster made and nothing else. With the cluster up, it
# makes what another network stack on this host would have: a CNI chain commented as Podman's
# network with a jump to it from POSTROUTING, a KUBE-* chain that was there before up.sh, and a
# bridge; and, when scripts/local-k8s/podman.sh has set Podman up, a Podman container with a
# published port. Then it runs down.sh and checks that those are intact (the container still
# answers through its port) and that none of the cluster's
# chains (KUBE-* of its kubelet and kube-proxy, CNI-* of its network "sparkk8s"), its bridge sk8s0
# or its node address is left, nor any process, pid file, state or listening port of the second
# cluster (second-*, $STATE_DIR/second), nor its node's pods, network namespace, link or cgroups.
# It removes what it made and leaves both clusters down
# (scripts/test.sh starts them again, warm, in about 40 s). Exit 0 when every check passed.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_root

FOREIGN_CNI="CNI-sparkk8sCheckForeign0"     # 26 characters, as the CNI plugins name theirs
FOREIGN_KUBE="KUBE-CHECK-FOREIGN"
FOREIGN_BRIDGE="sk8schk0"
COMMENT='name: "podman" id: "check-down"'

cleanup() {
  iptables -t nat -D POSTROUTING -s 10.254.0.0/24 -m comment --comment "$COMMENT" -j "$FOREIGN_CNI" 2>/dev/null || true
  iptables -t nat -F "$FOREIGN_CNI" 2>/dev/null || true
  iptables -t nat -X "$FOREIGN_CNI" 2>/dev/null || true
  iptables -t filter -X "$FOREIGN_KUBE" 2>/dev/null || true
  ip link del "$FOREIGN_BRIDGE" 2>/dev/null || true
  if [ -n "$PODMAN_CHECK" ]; then podman rm -f "$PODMAN_CHECK" >/dev/null 2>&1 || true; fi
}
PODMAN_CHECK=""
trap cleanup EXIT

"$LOCAL_K8S_DIR/status.sh" --quiet || die "check-down.sh needs the clusters up (scripts/local-k8s/up.sh)"
ours_cni() { iptables -t nat -S | grep -cF 'name: \"sparkk8s\"' || true; }
[ "$(ours_cni)" -gt 0 ] || die "the running cluster has no CNI rule of its network: nothing to prove"

cleanup
iptables -t nat -N "$FOREIGN_CNI"
iptables -t nat -A "$FOREIGN_CNI" -d 10.254.0.0/24 -m comment --comment "$COMMENT" -j ACCEPT
iptables -t nat -A POSTROUTING -s 10.254.0.0/24 -m comment --comment "$COMMENT" -j "$FOREIGN_CNI"
iptables -t filter -N "$FOREIGN_KUBE"
# As if it had been there before up.sh started the kubelet.
echo "iptables filter $FOREIGN_KUBE" >>"$STATE_DIR/iptables-chains-before"
ip link add "$FOREIGN_BRIDGE" type bridge
# A Podman container on podman.sh's network, answering on a published port (etcd's version).
podman_answers() { curl -sf -m 3 "http://127.0.0.1:$podman_port/version" | grep -q etcdserver; }
if command -v podman >/dev/null 2>&1 && [ -r "$PODMAN_CONF" ] &&
    CONTAINERS_CONF="$PODMAN_CONF" podman image exists "$ETCD_IMAGE" 2>/dev/null; then
  export CONTAINERS_CONF="$PODMAN_CONF"
  PODMAN_CHECK="sparkk8s-check-down"
  podman rm -f "$PODMAN_CHECK" >/dev/null 2>&1 || true
  podman run -d --name "$PODMAN_CHECK" -p 127.0.0.1::2379 "$ETCD_IMAGE" etcd \
    --listen-client-urls http://0.0.0.0:2379 --advertise-client-urls http://127.0.0.1:2379 >/dev/null
  podman_port="$(podman port "$PODMAN_CHECK" 2379/tcp | sed 's/.*://')"
  podman_netns="$(podman inspect --format '{{.NetworkSettings.SandboxKey}}' "$PODMAN_CHECK")"
  for _ in $(seq 1 50); do podman_answers && break; sleep 0.2; done
  podman_answers || die "check-down: the Podman container does not answer on 127.0.0.1:$podman_port before down.sh"
else
  log "check-down: no Podman set up by podman.sh here: down.sh is checked without a Podman container beside it"
fi

# The second cluster's processes, to find none of them alive after down.sh.
second_pids=""
for c in $SECOND_COMPONENTS $SECOND_NODE_COMPONENTS; do second_pids="$second_pids $(pid_of "$c" || true)"; done
# Its node's pods (their shims), to find none alive after down.sh.
second_shims="$(pgrep -f "containerd-shim-runc-v2 .*-address $SECOND_CONTAINERD_SOCK" 2>/dev/null | tr '\n' ' ' || true)"
second_ports="${CLUSTER_b[etcd_client]} ${CLUSTER_b[etcd_peer]} ${CLUSTER_b[etcd_metrics]} $SECOND_API_PORT ${CLUSTER_b[kcm_port]} ${CLUSTER_b[scheduler_port]} ${CLUSTER_b[kwok_server]##*:}"

log "check-down: running down.sh beside a foreign CNI chain, a KUBE-* chain older than the cluster and a bridge"
"$LOCAL_K8S_DIR/down.sh"

failed=0
check() { # description command...
  local what="$1"; shift
  if "$@" >/dev/null 2>&1; then log "check-down: ok   $what"; else log "check-down: FAIL $what"; failed=1; fi
}
check "the foreign CNI chain keeps its rule" \
  bash -c "iptables -t nat -S '$FOREIGN_CNI' | grep -qF -- '-j ACCEPT'"
check "POSTROUTING still jumps to the foreign CNI chain" \
  bash -c "iptables -t nat -S POSTROUTING | grep -qF -- '-j $FOREIGN_CNI'"
check "the KUBE-* chain older than the cluster is there" iptables -t filter -S "$FOREIGN_KUBE"
check "the foreign bridge is there" ip link show "$FOREIGN_BRIDGE"
if [ -n "$PODMAN_CHECK" ]; then
  check "the Podman container still answers on its published port $podman_port" podman_answers
  check "the Podman container's network namespace $podman_netns is there" test -e "$podman_netns"
fi
check "no CNI rule of the cluster's network is left" test "$(ours_cni)" = 0
check "no KUBE-* chain of the cluster is left" bash -c "! iptables-save | grep '^:KUBE-' | grep -v '^:$FOREIGN_KUBE '"
check "no rule jumps to a KUBE-* chain of the cluster" bash -c "! iptables-save | grep -E -- '-j KUBE-' | grep -v -- '-j $FOREIGN_KUBE'"
check "no ipset of kube-router is left" bash -c "! ipset list -n | grep -E '$KUBE_ROUTER_IPSETS'"
check "the cluster's bridge sk8s0 is gone" bash -c "! ip link show sk8s0 2>/dev/null"
check "the node address $NODE_IP is gone from lo" bash -c "! ip -o addr show dev lo | grep -qF ' $NODE_IP/'"
# By the pids it had, and by command line: each of its components names a file under $SECOND_DIR.
no_second_process() {
  local p; for p in $second_pids; do ! kill -0 "$p" 2>/dev/null || return 1; done
  ! pgrep -f -- "$SECOND_DIR/"
}
check "no process of the second cluster is left (pids:${second_pids:- none})" no_second_process
no_second_shim() { local p; for p in $second_shims; do ! kill -0 "$p" 2>/dev/null || return 1; done; }
check "no pod of the second cluster's node is left (shims:${second_shims:- none})" no_second_shim
check "the second node's network namespace $SECOND_NETNS is gone" test ! -e "/run/netns/$SECOND_NETNS"
check "the second node's link $SECOND_NODE_LINK and route to $SECOND_POD_CIDR are gone" \
  bash -c "! ip link show '$SECOND_NODE_LINK' 2>/dev/null && ! ip route show '$SECOND_POD_CIDR' | grep -q ."
check "the second node's cgroups /$SECOND_CGROUP are gone" bash -c "! ls -d /sys/fs/cgroup/*/'$SECOND_CGROUP' 2>/dev/null | grep -q ."
check "no mount of the second node's image store is left" bash -c "! grep -qF ' $SECOND_CONTAINERD_ROOT/' /proc/self/mounts"
check "no pid file of the second cluster is left" bash -c "! ls '$RUN_DIR'/second-*.pid 2>/dev/null | grep -q ."
check "the second cluster's state $SECOND_DIR is gone" test ! -e "$SECOND_DIR"
no_second_listener() { local p; for p in $second_ports; do ! ss -Hltn "sport = :$p" | grep -q . || return 1; done; }
check "nothing listens on the second cluster's ports ($second_ports)" no_second_listener
[ "$failed" = 0 ] || die "check-down: down.sh removed something that was not the cluster's, or left something that was"
log "check-down: down.sh removed the cluster's chains, bridge and address, and nothing else"
