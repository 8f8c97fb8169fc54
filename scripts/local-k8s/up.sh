#!/usr/bin/env bash
# Brings up a one-node Kubernetes cluster on this machine from components built from source, with no
# container registry and no Docker: etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
# containerd + runc, kubelet, kube-proxy, CoreDNS and kube-router (NetworkPolicy enforcement only);
# then the second cluster (second.sh): another control plane (own etcd, CA, kube-apiserver on :6444,
# kube-controller-manager, kube-scheduler) with a real node of its own in a network namespace
# (second-node.sh) and KWOK nodes, for the tests that need two clusters.
# Idempotent: when the one-node cluster is already healthy it only brings the images up to date and
# starts the second cluster if that is not healthy. Prints the one-node cluster's kubeconfig path on
# stdout as its last line; the second cluster's is $STATE_DIR/second/admin.kubeconfig.
#
# Environment: SPARKK8S_CACHE_DIR (build cache, default ~/.cache/sparkk8s), SPARKK8S_STATE_DIR
# (default /var/lib/sparkk8s-local; logs in its logs/), SPARKK8S_API_PORT (default 6443),
# SPARKK8S_KWOK_NODES (fake KWOK nodes for scale tests, default 2; 0 turns KWOK off), SPARKK8S_IMAGES ("all": pause, CoreDNS, Spark, Jupyter (default); "spark": no Jupyter; "cluster": neither),
# SPARKK8S_SECOND_CLUSTER (default 1; 0: no second cluster), SPARKK8S_SECOND_API_PORT (default 6444),
# SPARKK8S_SECOND_KWOK_NODES (the second cluster's fake nodes kwok-b-node-N, default 1), SPARKK8S_SECOND_NODE
# (default 1; 0: the second cluster has KWOK nodes only).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$LOCAL_K8S_DIR/components.sh"
. "$LOCAL_K8S_DIR/setup.sh"
. "$LOCAL_K8S_DIR/second.sh"
. "$LOCAL_K8S_DIR/second-node.sh"
need_root
take_cluster_lock
trap stop_second_cluster_bg EXIT
mkdir -p "$LOG_DIR"
START=$SECONDS

build_images() {
  {
    case "${SPARKK8S_IMAGES:-all}" in
      cluster) "$LOCAL_K8S_DIR/build-images.sh" cluster ;;
      spark) "$LOCAL_K8S_DIR/build-images.sh" spark-only ;;
      *) "$LOCAL_K8S_DIR/build-images.sh" all ;;
    esac
  } >&2
}

if "$LOCAL_K8S_DIR/status.sh" --quiet --cluster a 2>/dev/null; then
  log "cluster already up; bringing its images up to date"
  ensure_second_cluster_bg
  build_images
  import_images
  wait_second_cluster
  [ "$SECOND_NODE" != 1 ] || import_images b
  echo "$KUBECONFIG_PATH"
  exit 0
fi
# Something is half up (or left over): start from a clean slate.
"$LOCAL_K8S_DIR/down.sh" --keep-logs >/dev/null 2>&1 || true
mkdir -p "$LOG_DIR" "$RUN_DIR" "$PKI_DIR"
# The previous run's logs stay one run longer, as *.prev.
for f in "$LOG_DIR"/*.log; do [ -e "$f" ] && case "$f" in */build-*|*/apt.log) ;; *) mv "$f" "$f.prev";; esac; done
if [ -d "$LOG_DIR/pods" ]; then rm -rf "$LOG_DIR/pods.prev"; mv "$LOG_DIR/pods" "$LOG_DIR/pods.prev"; fi

ensure_debian_packages
"$LOCAL_K8S_DIR/build-components.sh" all
build_images

# ---------------------------------------------------------------- host networking
sysctl -qw net.ipv4.ip_forward=1
sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || die "br_netfilter is not available (net.bridge.bridge-nf-call-iptables)"
sysctl -qw net.bridge.bridge-nf-call-ip6tables=1 2>/dev/null || true
ip addr show dev lo | grep -q " $NODE_IP/32" || ip addr add "$NODE_IP/32" dev lo

# ---------------------------------------------------------------- PKI
log "generating certificates"
gen_control_plane_pki a
gen_cert "$PKI_DIR" apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
gen_cert "$PKI_DIR" kube-proxy system:kube-proxy ""
gen_cert "$PKI_DIR" kubelet "system:node:$NODE_NAME" system:nodes "DNS:$NODE_NAME,IP:$NODE_IP,IP:127.0.0.1"
for c in kube-proxy kubelet; do write_kubeconfig a "$STATE_DIR/$c.kubeconfig" "$c" "$c"; done
chmod 600 "$PKI_DIR"/*.key "$STATE_DIR"/*.kubeconfig "$KUBECONFIG_PATH"

# ---------------------------------------------------------------- control plane
log "starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler"
start_etcd

start_kube_apiserver

start_kube_controller_manager
start_kube_scheduler
# /run/netns made a shared mount once, before the second cluster's node (started in the background)
# and containerd both put namespaces there: two at once would stack two bind mounts.
share_netns_dir
# The second cluster starts beside the rest (node, CoreDNS, KWOK), which mostly waits.
ensure_second_cluster_bg

# ---------------------------------------------------------------- node: containerd, CNI, kubelet, kube-proxy
mkdir -p "$KUBELET_ROOT"
write_node_config a
log "starting containerd"
start_containerd

log "importing images into containerd"
import_images

log "starting kubelet and kube-proxy"
# The iptables chains that exist before our kubelet and kube-proxy make theirs: down.sh removes only
# KUBE-* chains that are not in this list (another Kubernetes on this host keeps its own). Kept from
# the first attempt, so a retried up.sh does not count our chains as someone else's.
if [ ! -e "$STATE_DIR/iptables-chains-before" ]; then
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null || continue
    for table in nat filter mangle; do
      "$ipt" -t "$table" -S 2>/dev/null | awk -v i="$ipt" -v t="$table" '/^-N / {print i, t, $2}' || true
    done
  done >"$STATE_DIR/iptables-chains-before"
fi
start_kubelet
start_kube_proxy

wait_for 120 "node $NODE_NAME Ready" kubectl_ wait --for=condition=Ready "node/$NODE_NAME" --timeout=2s

# ---------------------------------------------------------------- NetworkPolicy enforcement
# The ipsets that exist before kube-router makes its own: down.sh destroys only the others.
[ -e "$STATE_DIR/ipsets-before" ] || { ipset list -n 2>/dev/null || true; } >"$STATE_DIR/ipsets-before"
log "starting kube-router's network policy controller (NetworkPolicies are enforced)"
start_kube_router

# ---------------------------------------------------------------- CoreDNS
log "deploying CoreDNS"
sed -e "s#@COREDNS_IMAGE@#sparkk8s.local/coredns:$COREDNS_VERSION#" -e "s#@CLUSTER_DNS_IP@#$CLUSTER_DNS_IP#" \
  -e "s#@CLUSTER_DOMAIN@#$CLUSTER_DOMAIN#g" "$LOCAL_K8S_DIR/manifests/coredns.yaml" | kubectl_ apply -f - >>"$LOG_DIR/up.log" 2>&1 \
  || die "applying CoreDNS failed, see $LOG_DIR/up.log"
wait_for 120 "CoreDNS rollout" kubectl_ -n kube-system rollout status deployment/coredns --timeout=2s
# DNS as a pod sees it: through the kube-dns Service (kube-proxy) to CoreDNS (CNI).
dns_check() {
  local out; out="$(dig_kubernetes 2>/dev/null)" && [ -n "$out" ]
}
dig_kubernetes() { python3 "$LOCAL_K8S_DIR/dnsquery.py" "$CLUSTER_DNS_IP" "kubernetes.default.svc.$CLUSTER_DOMAIN"; }
wait_for 60 "DNS to resolve kubernetes.default.svc" dns_check
log "kubernetes.default.svc.$CLUSTER_DOMAIN resolves to $(dig_kubernetes)"

# ---------------------------------------------------------------- KWOK fake nodes (optional)
if [ "$KWOK_NODES" -gt 0 ]; then
  log "starting KWOK with $KWOK_NODES fake nodes"
  start_kwok
  create_kwok_nodes a
fi
log "cluster up in $((SECONDS - START))s; logs: $LOG_DIR"
wait_second_cluster
[ "$SECOND_CLUSTER" = 0 ] || log "both clusters up in $((SECONDS - START))s"
echo "$KUBECONFIG_PATH"
