# The second cluster's real node, sparkk8s-node-b: containerd, kubelet and kube-proxy of cluster B,
# run from this host's binaries inside a network namespace of their own, so Spark jobs and a History
# Server run on B as on A (the fleet's storage-per-cloud test). second.sh starts it (unless
# SPARKK8S_SECOND_NODE=0) once B's control plane is up. Sourced after lib.sh, components.sh, setup.sh.
#
#   what                 where
#   network namespace    $SECOND_NETNS, reached from the host over a veth pair: host $SECOND_NODE_GATEWAY
#                        ($SECOND_NODE_LINK) to node $SECOND_NODE_IP (eth0); B's pods 10.91.0.0/16 on
#                        bridge sk8s1 inside it, routed from the host through the node address
#   containerd           socket $SECOND_CONTAINERD_SOCK, images in $SECOND_CONTAINERD_ROOT (kept across
#                        down/up), runc state in $SECOND_RUNC_ROOT
#   kubelet              root $SECOND_NODE_DIR/kubelet, pods' cgroups under /$SECOND_CGROUP, logs of
#                        containers in $LOG_DIR/second-pods, API server https://$NODE_IP:$SECOND_API_PORT
#   kube-proxy           iptables mode, its chains in the namespace's own iptables
#   CoreDNS              a Deployment of cluster B, Service IP $SECOND_CLUSTER_DNS_IP
#
# Why a namespace and not a second set of processes beside A's: two kube-proxies in one network
# namespace fight over the same KUBE-* chains, and two kubelets over one containerd remove each other's
# sandboxes. In their own namespace each node has its own iptables, ports and bridge; the mount
# namespace is the host's, so the kubelet's volume mounts are seen by its containerd.
# shellcheck shell=bash

# The namespace, its veth pair and the host's route to B's pods.
second_node_network() {
  share_netns_dir
  [ -e "/run/netns/$SECOND_NETNS" ] || ip netns add "$SECOND_NETNS"
  if ! ip link show "$SECOND_NODE_LINK" >/dev/null 2>&1; then
    ip link add "$SECOND_NODE_LINK" type veth peer name eth0 netns "$SECOND_NETNS"
  fi
  ip addr replace "$SECOND_NODE_GATEWAY/30" dev "$SECOND_NODE_LINK"
  ip link set "$SECOND_NODE_LINK" up
  in_second_node ip addr replace "$SECOND_NODE_IP/30" dev eth0
  in_second_node ip link set lo up
  in_second_node ip link set eth0 up
  in_second_node ip route replace default via "$SECOND_NODE_GATEWAY"
  ip route replace "$SECOND_POD_CIDR" via "$SECOND_NODE_IP" dev "$SECOND_NODE_LINK"
  in_second_node sysctl -qw net.ipv4.ip_forward=1
  in_second_node sysctl -qw net.bridge.bridge-nf-call-iptables=1
}

# The pods' cgroup parent in every cgroup v1 hierarchy (the kubelet refuses a root that is missing);
# cpuset's starts empty, so it gets its parent's CPUs and memory nodes.
second_node_cgroups() {
  local d
  for d in /sys/fs/cgroup/*/; do
    case "$d" in */unified/) continue ;; esac
    mountpoint -q "$d" || continue
    mkdir -p "$d$SECOND_CGROUP"
  done
  if [ -d "/sys/fs/cgroup/cpuset/$SECOND_CGROUP" ]; then
    cat /sys/fs/cgroup/cpuset/cpuset.cpus >"/sys/fs/cgroup/cpuset/$SECOND_CGROUP/cpuset.cpus"
    cat /sys/fs/cgroup/cpuset/cpuset.mems >"/sys/fs/cgroup/cpuset/$SECOND_CGROUP/cpuset.mems"
  fi
}

# The node's certificates (kubelet, kube-proxy) and the API server's client certificate for the
# kubelet, from B's CA; kubeconfigs that reach B's API server at the node address of the host.
gen_second_node_pki() {
  local pki="${CLUSTER_b[pki]}" c
  mkdir -p "$SECOND_NODE_DIR"
  gen_cert "$pki" apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  gen_cert "$pki" kube-proxy system:kube-proxy ""
  gen_cert "$pki" kubelet "system:node:$SECOND_NODE_NAME" system:nodes "DNS:$SECOND_NODE_NAME,IP:$SECOND_NODE_IP,IP:127.0.0.1"
  for c in kube-proxy kubelet; do
    write_kubeconfig b "$SECOND_NODE_DIR/$c.kubeconfig" "$c" "$c" "https://$NODE_IP:$SECOND_API_PORT"
  done
  chmod 600 "$pki"/*.key "$SECOND_NODE_DIR"/*.kubeconfig
}

start_second_containerd() {
  start_component second-containerd nsenter --net="/run/netns/$SECOND_NETNS" containerd --config "$SECOND_NODE_DIR/containerd.toml"
  wait_for 30 second-containerd ctr --address "$SECOND_CONTAINERD_SOCK" version
}

start_second_kubelet() {
  start_component second-kubelet nsenter --net="/run/netns/$SECOND_NETNS" "$BIN_DIR/kubelet" \
    --config "$SECOND_NODE_DIR/kubelet-config.yaml" --kubeconfig "$SECOND_NODE_DIR/kubelet.kubeconfig" \
    --root-dir "$SECOND_NODE_DIR/kubelet" --hostname-override "$SECOND_NODE_NAME" --node-ip "$SECOND_NODE_IP" --v=1
}

start_second_kube_proxy() {
  start_component second-kube-proxy nsenter --net="/run/netns/$SECOND_NETNS" "$BIN_DIR/kube-proxy" \
    --config "$SECOND_NODE_DIR/kube-proxy-config.yaml" --v=1
}

# Whether CoreDNS of cluster B answers for kubernetes.default.svc, asked from inside the node.
second_dns_answer() {
  in_second_node python3 "$LOCAL_K8S_DIR/dnsquery.py" "$SECOND_CLUSTER_DNS_IP" "kubernetes.default.svc.$CLUSTER_DOMAIN" 2>/dev/null
}

# The node from nothing (B's control plane up, $SECOND_NODE_DIR gone): network, cgroups, certificates,
# containerd with B's images, kubelet, kube-proxy, CoreDNS.
start_second_node() {
  local t0=$SECONDS
  log "starting the second cluster's node $SECOND_NODE_NAME (containerd, kubelet, kube-proxy in network namespace $SECOND_NETNS)"
  second_node_network
  second_node_cgroups
  mkdir -p "$SECOND_NODE_DIR/kubelet"
  write_node_config b
  start_second_containerd
  import_images b
  start_second_kubelet
  start_second_kube_proxy
  wait_for 120 "node $SECOND_NODE_NAME Ready" kubectl_second wait --for=condition=Ready "node/$SECOND_NODE_NAME" --timeout=2s
  sed -e "s#@COREDNS_IMAGE@#sparkk8s.local/coredns:$COREDNS_VERSION#" -e "s#@CLUSTER_DNS_IP@#$SECOND_CLUSTER_DNS_IP#" \
    -e "s#@CLUSTER_DOMAIN@#$CLUSTER_DOMAIN#g" "$LOCAL_K8S_DIR/manifests/coredns.yaml" | kubectl_second apply -f - >>"$LOG_DIR/second-up.log" 2>&1 \
    || die "applying CoreDNS to the second cluster failed, see $LOG_DIR/second-up.log"
  wait_for 120 "the second cluster's CoreDNS" second_dns_answer
  log "node $SECOND_NODE_NAME Ready, kubernetes.default.svc resolves to $(second_dns_answer), in $((SECONDS - t0))s"
}

# Stops the node and removes what it made: every pod container, the components, their mounts, the
# network namespace (with its bridge, veth pair and iptables), the cgroups.
stop_second_node() {
  local c ns netns=()
  stop_component second-kubelet KILL
  # The pods' network namespaces, from their sandboxes' specs: killed tasks never run CNI's teardown.
  if [ -S "$SECOND_CONTAINERD_SOCK" ]; then
    for c in $(ctr_second containers ls -q 2>/dev/null); do
      for ns in $(ctr_second containers info "$c" 2>/dev/null | grep -o '/var/run/netns/cni-[0-9a-f-]*' | sort -u); do netns+=("$ns"); done
    done
  fi
  kill_node_pods "$SECOND_CONTAINERD_SOCK"
  stop_component second-kube-proxy KILL
  stop_component second-containerd
  kill_shims "$SECOND_CONTAINERD_SOCK"
  unmount_under "$SECOND_DIR" "$SECOND_CONTAINERD_ROOT"
  for ns in "${netns[@]}"; do
    umount "$ns" 2>/dev/null || umount -l "$ns" 2>/dev/null || true
    rm -f "$ns" 2>/dev/null || true
  done
  if [ -e "/run/netns/$SECOND_NETNS" ]; then
    ip netns del "$SECOND_NETNS" 2>/dev/null || { umount -l "/run/netns/$SECOND_NETNS" 2>/dev/null; rm -f "/run/netns/$SECOND_NETNS"; }
  fi
  ip link del "$SECOND_NODE_LINK" 2>/dev/null || true
  ip route del "$SECOND_POD_CIDR" 2>/dev/null || true
  local d
  for d in /sys/fs/cgroup/*/"$SECOND_CGROUP"; do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  rm -rf "$SECOND_RUNC_ROOT"
}

# Whether the node's components are healthy and it is Ready.
second_node_healthy() {
  local c
  for c in $SECOND_NODE_COMPONENTS; do
    pid_of "$c" >/dev/null && component_healthy "$c" >/dev/null 2>&1 || return 1
  done
  [ "$(node_ready kubectl_second "$SECOND_NODE_NAME")" = True ]
}
