# Shared settings of scripts/local-k8s/*.sh. Sourced, not run.
# shellcheck shell=bash
set -euo pipefail

LOCAL_K8S_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
. "$LOCAL_K8S_DIR/versions.env"

# Build outputs that survive `down.sh` (binaries, images): outside the repository.
CACHE_DIR="${SPARKK8S_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sparkk8s}"
# Cluster state (etcd data, certificates, containerd root, logs); `down.sh` removes all but the logs.
STATE_DIR="${SPARKK8S_STATE_DIR:-/var/lib/sparkk8s-local}"
LOG_DIR="$STATE_DIR/logs"
RUN_DIR="$STATE_DIR/run"
PKI_DIR="$STATE_DIR/pki"
KUBECONFIG_PATH="$STATE_DIR/admin.kubeconfig"
BIN_DIR="$CACHE_DIR/bin/k8s-$K8S_VERSION-etcd-$ETCD_VERSION"
COREDNS_BIN_DIR="$CACHE_DIR/bin/coredns-$COREDNS_VERSION"
KWOK_BIN_DIR="$CACHE_DIR/bin/kwok-$KWOK_VERSION"
KUBE_ROUTER_BIN_DIR="$CACHE_DIR/bin/kube-router-$KUBE_ROUTER_VERSION"
# The names of the ipsets kube-router's network policy controller makes (down.sh removes them).
KUBE_ROUTER_IPSETS='^(KUBE-(SRC|DST)-|kube-router-)'
# Fake KWOK nodes beside the real one (default 2; 0: no KWOK). They carry the taint kwok.x-k8s.io/node=fake:NoSchedule,
# so only pods that tolerate it (scale tests) land there; those pods get no containers.
KWOK_NODES="${SPARKK8S_KWOK_NODES:-2}"
IMAGE_CACHE_DIR="$CACHE_DIR/images"

# Podman beside the cluster (podman.sh; check-down.sh runs a container on it): its own
# containers.conf, the socket of its Docker-compatible API, and the images ApiServerCluster runs.
PODMAN_DIR="${SPARKK8S_PODMAN_DIR:-/var/lib/sparkk8s-podman}"
PODMAN_CONF="$PODMAN_DIR/containers.conf"
PODMAN_RUN_DIR="/run/sparkk8s-podman"
PODMAN_SOCK="$PODMAN_RUN_DIR/podman.sock"
API_SERVER_IMAGE="registry.k8s.io/kube-apiserver:$K8S_VERSION"
ETCD_IMAGE="registry.k8s.io/etcd:${ETCD_VERSION#v}-0"

API_PORT="${SPARKK8S_API_PORT:-6443}"
SERVICE_CIDR="10.96.0.0/16"
KUBERNETES_SVC_IP="10.96.0.1"
CLUSTER_DNS_IP="10.96.0.10"
POD_CIDR="10.88.0.0/16"
CLUSTER_DOMAIN="cluster.local"
NODE_NAME="sparkk8s-node"

log() { printf '%s [local-k8s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { phase_end; log "ERROR: $*"; log "logs: $LOG_DIR"; exit 1; }

# The first start's long phases in their order, each with the minutes it takes on a fresh 2-core
# machine (measured 2026-12-04: 5, 1, 1.5, 1, 1, 0.5 and 1 min on a quiet machine; the Kubernetes
# build took 9.5 min with a Maven build beside it). phase_start numbers a phase and adds up what
# is left, so a person watching a cold start sees what is built, how far along and how long is
# left; a cached phase is skipped silently, so "left" is an upper bound.
COLD_PHASES="kube:7 coredns:1 kube-router:2 kwok:2 debian-base:1 spark-image:2 spark-connectors:1 jupyter-image:1"

# Logs "[k/n] <what> (first time only; ~m min, at most r min left in all), log: <file>" and then a
# line a minute until phase_end.
phase_start() { # id what log-file
  local id="$1" what="$2" file="$3" k=0 n=0 est=0 left=0 p
  for p in $COLD_PHASES; do
    n=$((n + 1))
    if [ "${p%%:*}" = "$id" ]; then k=$n; est=${p#*:}; fi
    if [ "$k" -gt 0 ]; then left=$((left + ${p#*:})); fi
  done
  log "[$k/$n] $what (first time only; ~$est min on 2 cores, at most $left min left in all), log: $file"
  heartbeat "[$k/$n]" "$est" 9>&- &
  HEARTBEAT_PID=$!
}

phase_end() {
  if [ -n "${HEARTBEAT_PID:-}" ]; then
    kill "$HEARTBEAT_PID" 2>/dev/null || true
    wait "$HEARTBEAT_PID" 2>/dev/null || true
    HEARTBEAT_PID=
  fi
}

# A line a minute while a phase runs. Its sleep is killed with it, so nothing holds the caller's
# output open once the phase ends.
heartbeat() { # phase minutes
  local phase="$1" est="$2" m=0 s=
  trap '[ -n "$s" ] && kill "$s" 2>/dev/null; exit 0' TERM
  while true; do
    sleep 60 & s=$!
    wait "$s"
    m=$((m + 1))
    log "$phase still running: $m min so far, ~$est expected"
  done
}

# Content hash of files/strings, used to key caches.
content_hash() { cat "$@" | sha256sum | cut -c1-16; }

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (starts containerd, kubelet, iptables)"; }

# /run/netns as a shared mount of its own, made before containerd puts a pod's network namespace
# there. Podman (scripts/local-k8s/podman.sh) bind-mounts the directory onto itself when it is not
# a mount yet; done while pods run, that hides their namespaces' mounts under the new one, where
# down.sh can neither unmount nor remove them. Not done while namespaces are mounted there.
share_netns_dir() {
  mkdir -p /run/netns
  if mountpoint -q /run/netns; then
    mount --make-shared /run/netns
  elif compgen -G '/run/netns/*' >/dev/null; then
    log "network namespaces are mounted under /run/netns already: leaving it as it is"
  else
    mount --bind /run/netns /run/netns && mount --make-shared /run/netns
  fi
}

# Installs the Debian packages the harness needs, when some are missing.
ensure_debian_packages() {
  local missing=()
  for p in $DEBIAN_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq >"$LOG_DIR/apt.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 \
      || die "apt-get install failed, see $LOG_DIR/apt.log"
  fi
}

ensure_go() {
  command -v go >/dev/null || die "Go (>= 1.24) is needed to build the Kubernetes components; install it (https://go.dev/dl) or put it on PATH"
}

NODE_IP="10.255.255.1"            # added to lo by up.sh: a stable, host-local address for the node and API server
CONTAINERD_ROOT="$CACHE_DIR/containerd-root"   # persistent: keeps imported images across down/up
CONTAINERD_STATE="$STATE_DIR/containerd-state"
CONTAINERD_SOCK="$RUN_DIR/containerd.sock"
KUBELET_ROOT="$STATE_DIR/kubelet"
CNI_CONF_DIR="$STATE_DIR/cni/net.d"
CNI_DATA_DIR="$STATE_DIR/cni/ipam"
CNI_BIN_DIR="/usr/lib/cni"
COMPONENTS="etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy"

# ---------------------------------------------------------------- the two clusters
# Cluster A is the one-node cluster above. Cluster B, "the second cluster" (SPARKK8S_SECOND_CLUSTER,
# default 1; 0: none), is an independent control plane with KWOK nodes only, for the fleet tests that
# need two API servers: its own etcd, CA, kube-apiserver, kube-controller-manager, kube-scheduler and
# KWOK, under $STATE_DIR/second, its components named second-<component>. No kubelet, containerd,
# kube-proxy or CoreDNS: its pods never run containers, KWOK marks them Running.
SECOND_CLUSTER="${SPARKK8S_SECOND_CLUSTER:-1}"
SECOND_DIR="$STATE_DIR/second"
SECOND_KUBECONFIG_PATH="$SECOND_DIR/admin.kubeconfig"
SECOND_API_PORT="${SPARKK8S_SECOND_API_PORT:-6444}"
SECOND_KWOK_NODES="${SPARKK8S_SECOND_KWOK_NODES:-1}"
SECOND_COMPONENTS="second-etcd second-kube-apiserver second-kube-controller-manager second-kube-scheduler second-kwok"
# The second cluster's real node (second-node.sh; SPARKK8S_SECOND_NODE, default 1; 0: KWOK nodes only):
# containerd, kubelet and kube-proxy in network namespace $SECOND_NETNS, so real pods run on B too.
SECOND_NODE="${SPARKK8S_SECOND_NODE:-1}"
[ "$SECOND_CLUSTER" != 0 ] || SECOND_NODE=0
SECOND_NODE_NAME="sparkk8s-node-b"
SECOND_NETNS="sparkk8s-b"
SECOND_NODE_LINK="sk8sb0"
SECOND_NODE_GATEWAY="10.255.254.1"   # the host's end of the veth pair
SECOND_NODE_IP="10.255.254.2"        # the node's end (its InternalIP)
SECOND_POD_CIDR="10.91.0.0/16"
SECOND_CLUSTER_DNS_IP="10.100.0.10"
SECOND_NODE_DIR="$SECOND_DIR/node"
SECOND_CONTAINERD_ROOT="$CACHE_DIR/containerd-root-second"   # persistent, as A's: keeps imported images
SECOND_CONTAINERD_SOCK="$RUN_DIR/second-containerd.sock"
SECOND_RUNC_ROOT="/run/sparkk8s-second-runc"
SECOND_CGROUP="sparkk8s-second"
SECOND_NODE_COMPONENTS="second-containerd second-kubelet second-kube-proxy"
# What the start functions of components.sh and the health checks read, per cluster (a or b): the
# component-name prefix, directories, ports and addresses.
declare -gA CLUSTER_a=(
  [prefix]="" [name]=sparkk8s-local [dir]="$STATE_DIR" [pki]="$PKI_DIR" [kubeconfig]="$KUBECONFIG_PATH"
  [etcd_name]=sparkk8s [etcd_client]=2379 [etcd_peer]=2380 [etcd_metrics]=2381
  [api_port]="$API_PORT" [service_cidr]="$SERVICE_CIDR" [kubernetes_svc_ip]="$KUBERNETES_SVC_IP" [kubelet]=true
  [kcm_port]=10257 [scheduler_port]=10259
  [kwok_nodes]="$KWOK_NODES" [kwok_node_prefix]=kwok-node- [kwok_server]=127.0.0.1:10247
  [kwok_cidr]=10.89.0.0/16 [kwok_node_ip]=10.255.255.2
  [containerd_sock]="$CONTAINERD_SOCK" [containerd_root]="$CONTAINERD_ROOT"
  [node_name]="$NODE_NAME" [node_ip]="$NODE_IP" [node_dir]="$STATE_DIR" [containerd_state]="$CONTAINERD_STATE"
  [cni_name]=sparkk8s [cni_conf_dir]="$CNI_CONF_DIR" [cni_data_dir]="$CNI_DATA_DIR" [bridge]=sk8s0
  [pod_cidr]="$POD_CIDR" [cluster_dns_ip]="$CLUSTER_DNS_IP" [pod_logs_dir]="$LOG_DIR/pods" [cgroup_root]="" [runc_root]=""
)
declare -gA CLUSTER_b=(
  [prefix]=second- [name]=sparkk8s-local-second [dir]="$SECOND_DIR" [pki]="$SECOND_DIR/pki" [kubeconfig]="$SECOND_KUBECONFIG_PATH"
  [etcd_name]=sparkk8s-second [etcd_client]=2479 [etcd_peer]=2480 [etcd_metrics]=2482
  [api_port]="$SECOND_API_PORT" [service_cidr]=10.100.0.0/16 [kubernetes_svc_ip]=10.100.0.1 [kubelet]="$([ "$SECOND_NODE" = 1 ] && echo true || echo false)"
  [kcm_port]=10357 [scheduler_port]=10359
  [kwok_nodes]="$SECOND_KWOK_NODES" [kwok_node_prefix]=kwok-b-node- [kwok_server]=127.0.0.1:10347
  [kwok_cidr]=10.90.0.0/16 [kwok_node_ip]=10.255.255.3
  [containerd_sock]="$SECOND_CONTAINERD_SOCK" [containerd_root]="$SECOND_CONTAINERD_ROOT"
  [node_name]="$SECOND_NODE_NAME" [node_ip]="$SECOND_NODE_IP" [node_dir]="$SECOND_NODE_DIR"
  [containerd_state]="$SECOND_NODE_DIR/containerd-state" [cni_name]=sparkk8s-second
  [cni_conf_dir]="$SECOND_NODE_DIR/cni/net.d" [cni_data_dir]="$SECOND_NODE_DIR/cni/ipam" [bridge]=sk8s1
  [pod_cidr]="$SECOND_POD_CIDR" [cluster_dns_ip]="$SECOND_CLUSTER_DNS_IP" [pod_logs_dir]="$LOG_DIR/second-pods"
  [cgroup_root]="/$SECOND_CGROUP" [runc_root]="$SECOND_RUNC_ROOT"
)
# The cluster (a or b) a component name belongs to: second-* is B's.
cluster_of() { case "$1" in second-*) echo b ;; *) echo a ;; esac; }

export PATH="$BIN_DIR:$PATH"

kubectl_() { "$BIN_DIR/kubectl" --kubeconfig "$KUBECONFIG_PATH" "$@"; }
kubectl_second() { "$BIN_DIR/kubectl" --kubeconfig "$SECOND_KUBECONFIG_PATH" "$@"; }
ctr_second() { ctr --address "$SECOND_CONTAINERD_SOCK" -n k8s.io "$@"; }
# Runs a command in the second cluster's node's network namespace (second-node.sh).
in_second_node() { nsenter --net="/run/netns/$SECOND_NETNS" "$@"; }
# A node's Ready condition as its cluster's API server reports it (True, False, Unknown; empty when
# it cannot be read).
node_ready() { # kubectl-function node
  "$1" get node "$2" --request-timeout=5s -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null || true
}

pid_of() { local f="$RUN_DIR/$1.pid"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }

# One up.sh or down.sh at a time on this machine (a test run, the README's main command and a
# benchmark may each start the cluster): two at once raced on the components and their pid files and
# left processes down.sh could not find. The lock is held on fd 9 for the script's life; a component
# started here closes it (it outlives the script). down.sh run by up.sh holds it already.
UP_LOCK="${SPARKK8S_UP_LOCK:-/run/sparkk8s-local-up.lock}"
take_cluster_lock() {
  [ "${SPARKK8S_CLUSTER_LOCKED:-}" = "$$" ] && return 0
  [ -n "${SPARKK8S_CLUSTER_LOCKED:-}" ] && kill -0 "$SPARKK8S_CLUSTER_LOCKED" 2>/dev/null && return 0
  exec 9>"$UP_LOCK"
  if ! flock -n 9; then
    log "another up.sh or down.sh of the local cluster is running; waiting for it ($UP_LOCK)"
    flock 9
  fi
  export SPARKK8S_CLUSTER_LOCKED=$$
}

# Starts a component in its own session, logging to $LOG_DIR/<name>.log; its pid goes to $RUN_DIR/<name>.pid.
start_component() { # name command...
  local name="$1"; shift
  setsid "$@" </dev/null >>"$LOG_DIR/$name.log" 2>&1 9>&- &
  echo $! >"$RUN_DIR/$name.pid"
}

# Stops a component started by start_component: SIGTERM (or the signal given), SIGKILL after 10 s.
stop_component() { # name [signal]
  local pid; pid="$(pid_of "$1" || true)"
  [ -n "$pid" ] || { rm -f "$RUN_DIR/$1.pid"; return 0; }
  kill "-${2:-TERM}" "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$RUN_DIR/$1.pid"
}

# Stops several components at once: the signal to all, SIGKILL after 10 s to those still alive. For
# components whose order does not matter, as the second cluster's, whose state goes with them (SIGKILL
# at once: SIGTERM makes its API server drain its clients' watches for up to a minute).
stop_components() { # signal name...
  local sig="$1" c pid pids=(); shift
  for c in "$@"; do
    pid="$(pid_of "$c" || true)"
    if [ -n "$pid" ]; then kill "-$sig" "$pid" 2>/dev/null || true; pids+=("$pid"); fi
  done
  for _ in $(seq 1 40); do
    local alive=false
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    $alive || break
    sleep 0.25
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for c in "$@"; do rm -f "$RUN_DIR/$c.pid"; done
}

# A node's pods, through its containerd: every task killed with SIGKILL and deleted, every container
# deleted (down.sh for the first node, stop_second_node for the second's). Run with its kubelet stopped,
# so that nothing starts them again.
kill_node_pods() { # containerd-socket
  local ctr=(ctr --address "$1" -n k8s.io) t c
  [ -S "$1" ] || return 0
  for t in $("${ctr[@]}" tasks ls -q 2>/dev/null); do "${ctr[@]}" tasks kill -s SIGKILL "$t" >/dev/null 2>&1 || true; done
  sleep 1
  for t in $("${ctr[@]}" tasks ls -q 2>/dev/null); do "${ctr[@]}" tasks delete -f "$t" >/dev/null 2>&1 || true; done
  for c in $("${ctr[@]}" containers ls -q 2>/dev/null); do "${ctr[@]}" containers delete "$c" >/dev/null 2>&1 || true; done
}

# The containerd-shim-runc-v2 processes of one containerd: they outlive it by design, so they are ended
# once it has stopped.
kill_shims() { # containerd-socket
  local p
  for p in $(pgrep -f "containerd-shim-runc-v2 .*-address $1" 2>/dev/null || true); do kill -KILL "$p" 2>/dev/null || true; done
}

# Unmounts everything mounted under the given directories (pod volumes, rootfs overlays, netns bind
# mounts), deepest first, lazily when busy; three passes, as a mount may appear under another.
unmount_under() { # dir...
  local m d prefixes=""
  for d in "$@"; do prefixes="$prefixes $d/"; done
  for _ in 1 2 3; do
    { awk -v p="$prefixes" 'BEGIN {n = split(p, ps, " ")} {for (i = 1; i <= n; i++) if (index($2, ps[i]) == 1) {print $2; break}}' /proc/self/mounts || true; } |
      sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  done
}

# Polls a command until it succeeds or the timeout (seconds) passes.
wait_for() { # timeout description command...
  local timeout="$1" what="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "timed out after ${timeout}s waiting for $what"
    sleep 0.5
  done
}
