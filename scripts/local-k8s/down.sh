#!/usr/bin/env bash
# Stops the local cluster, and the second cluster (second-* components, its node's network namespace,
# $STATE_DIR/second), and leaves no process, mount, network interface or iptables rule of them behind.
# Keeps the build cache (binaries, images, containerd's image store) so the next up.sh is a warm start,
# and keeps the logs ($LOG_DIR) unless --purge-logs is given.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$LOCAL_K8S_DIR/second.sh"
. "$LOCAL_K8S_DIR/second-node.sh"
need_root
take_cluster_lock

stop() { stop_component "$@"; }

# The second cluster first: its node (pods, components, mounts, network namespace, cgroups), then its
# control plane all at once with SIGKILL: they need nothing of the one-node cluster, and their state is
# removed below.
stop_second_cluster
stop kwok
stop kube-router
# kubelet first so it does not restart what we remove; then every pod container and sandbox.
stop kubelet
kill_node_pods "$CONTAINERD_SOCK"
for c in kube-proxy kube-scheduler kube-controller-manager kube-apiserver etcd containerd; do stop "$c"; done
kill_shims "$CONTAINERD_SOCK"
# Mounts under our directories: pod volumes, rootfs overlays, netns bind mounts.
unmount_under "$STATE_DIR" "$CONTAINERD_ROOT"
# Network namespaces containerd created for our pods (their bind mounts are under /var/run/netns;
# Podman's are named netns-*). A namespace mounted before /run/netns was bind-mounted onto itself
# (Podman does that on its first container; up.sh now does it before containerd starts) is hidden
# under that mount, where neither umount nor rm reaches it: then the directory's own mount goes
# first, when no Podman container needs it.
remove_pod_netns() {
  local ns left=0
  for ns in /var/run/netns/cni-*; do
    [ -e "$ns" ] || continue
    umount "$ns" 2>/dev/null || umount -l "$ns" 2>/dev/null || true
    rm -f "$ns" 2>/dev/null || left=$((left + 1))
  done
  return "$left"
}
if ! remove_pod_netns && mountpoint -q /run/netns; then
  if command -v podman >/dev/null 2>&1 && [ -n "$(podman ps -q 2>/dev/null || true)" ]; then
    log "pod network namespaces are hidden under /run/netns's own mount, which Podman's running containers use: left"
  else
    umount -l /run/netns 2>/dev/null || true
    remove_pod_netns || log "could not remove every pod network namespace under /run/netns"
  fi
fi

# kube-proxy's, the kubelet's and our CNI network's iptables chains, and nothing else: the chains of
# other CNI networks (Podman's, kind's), of other Kubernetes on this host and of the host are left
# as they are. Rules are deleted by number, read from iptables' own listing (no eval of its output).
# Deletes, in every chain of the table, the rules that jump to one of the given chains, then the chains.
drop_chains() { # iptables-command table chain...
  local ipt="$1" table="$2" chain n; shift 2
  [ "$#" -gt 0 ] || return 0
  local ours=" $* "
  for chain in $("$ipt" -t "$table" -S 2>/dev/null | awk '/^-[PN] / {print $2}' || true); do
    for n in $("$ipt" -t "$table" -L "$chain" -n --line-numbers 2>/dev/null |
        awk -v ours="$ours" 'NR > 2 && index(ours, " " $2 " ") {print $1}' | sort -rn || true); do
      "$ipt" -t "$table" -D "$chain" "$n" 2>/dev/null || true
    done
  done
  for chain in "$@"; do "$ipt" -t "$table" -F "$chain" 2>/dev/null || true; done
  for chain in "$@"; do "$ipt" -t "$table" -X "$chain" 2>/dev/null || true; done
}
# KUBE-* chains are ours unless up.sh found them before it started the kubelet (iptables-chains-before);
# without that list (a state from before it existed) only the kubelet's and kube-proxy's canaries and
# kube-proxy's own chains (kube-proxy --cleanup) go. CNI chains are ours when a rule of theirs, or a
# rule jumping to them, carries our network's name in the comment the CNI plugins write.
if [ -x "$BIN_DIR/kube-proxy" ]; then "$BIN_DIR/kube-proxy" --cleanup >/dev/null 2>&1 || true; fi
before="$STATE_DIR/iptables-chains-before"
for ipt in iptables ip6tables; do
  command -v "$ipt" >/dev/null || continue
  for table in nat filter mangle; do
    rules="$("$ipt" -t "$table" -S 2>/dev/null || true)"
    kube=""
    for chain in $(awk '/^-N KUBE-/ {print $2}' <<<"$rules"); do
      if [ -r "$before" ]; then
        grep -qx "$ipt $table $chain" "$before" || kube="$kube $chain"
      else
        case "$chain" in KUBE-KUBELET-CANARY|KUBE-PROXY-CANARY|KUBE-FIREWALL|KUBE-IPTABLES-HINT) kube="$kube $chain" ;; esac
      fi
    done
    cni="$(grep -F 'name: \"sparkk8s\"' <<<"$rules" |
      awk '{ if ($2 ~ /^CNI-/ && $2 !~ /^CNI-HOSTPORT-/) print $2;
             for (i = 1; i < NF; i++) if ($i == "-j" && $(i+1) ~ /^CNI-/ && $(i+1) !~ /^CNI-HOSTPORT-/) print $(i+1) }' |
      sort -u | tr '\n' ' ' || true)"
    # shellcheck disable=SC2086 # chain names are single words
    drop_chains "$ipt" "$table" $kube $cni
  done
done
# kube-router's ipsets (its chains, which used them, are gone above), unless they were there before it.
ipsets_before="$STATE_DIR/ipsets-before"
for set in $(ipset list -n 2>/dev/null | grep -E "$KUBE_ROUTER_IPSETS" || true); do
  if [ -r "$ipsets_before" ] && grep -qx "$set" "$ipsets_before"; then continue; fi
  ipset destroy "$set" 2>/dev/null || true
done
ip link del sk8s0 2>/dev/null || true
for v in $(ip -o link show type veth 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^veth' || true); do
  ip link show "$v" 2>/dev/null | grep -q "master sk8s0" && ip link del "$v" 2>/dev/null || true
done
ip addr del "$NODE_IP/32" dev lo 2>/dev/null || true

# The kubelet links every container log into /var/log/containers; drop the links into our logs.
for l in /var/log/containers/*.log; do
  [ -L "$l" ] && case "$(readlink "$l")" in "$LOG_DIR"/*) rm -f "$l" ;; esac
done

# State, except the logs (the tests print their location on failure).
if [ -d "$STATE_DIR" ]; then
  find "$STATE_DIR" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} + 2>/dev/null || true
fi
[ "${1:-}" = --purge-logs ] && rm -rf "$LOG_DIR"
left="$(awk -v s="$STATE_DIR" '$2 ~ "^"s {print $2}' /proc/self/mounts | wc -l)"
[ "$left" = 0 ] || { log "WARNING: $left mounts under $STATE_DIR remain"; exit 1; }
log "cluster stopped; logs kept in $LOG_DIR"
