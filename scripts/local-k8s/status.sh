#!/usr/bin/env bash
# Reports the health of each component of the local clusters. Exit 0 only when all are healthy.
#   status.sh              one line per component of the one-node cluster, then of the second cluster
#   status.sh --quiet      no output (used by up.sh to decide whether there is anything to do)
#   status.sh --cluster a  only the one-node cluster (--cluster b: only the second cluster)
# The second cluster (second-* components) counts when it is on (SPARKK8S_SECOND_CLUSTER, default 1) or
# when some of it runs.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$LOCAL_K8S_DIR/components.sh"
. "$LOCAL_K8S_DIR/second.sh"
. "$LOCAL_K8S_DIR/second-node.sh"
quiet=false
clusters="a b"
while [ $# -gt 0 ]; do
  case "$1" in
    --quiet) quiet=true ;;
    --cluster) clusters="${2:?--cluster needs a or b}"; shift ;;
    *) die "usage: status.sh [--quiet] [--cluster a|b]" ;;
  esac
  shift
done
healthy=true
report() { # component ok|FAIL detail
  [ "$2" = ok ] || healthy=false
  $quiet || printf '%-32s %-5s %s\n' "$1" "$2" "$3"
}
probe() { # component
  local name="$1"
  local pid; pid="$(pid_of "$name" || true)"
  if [ -z "$pid" ]; then report "$name" FAIL "not running"; return; fi
  if component_healthy "$name" >/dev/null 2>&1; then report "$name" ok "pid $pid"; else report "$name" FAIL "pid $pid, health check failed"; fi
}

status_a() {
  local c
  for c in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy kube-router; do probe "$c"; done
  if [ "$KWOK_NODES" -gt 0 ] || [ -f "$RUN_DIR/kwok.pid" ]; then probe kwok; fi
  if [ -f "$KUBECONFIG_PATH" ] && [ -x "$BIN_DIR/kubectl" ]; then
    ready="$(node_ready kubectl_ "$NODE_NAME")"
    [ "$ready" = True ] && report "node/$NODE_NAME" ok Ready || report "node/$NODE_NAME" FAIL "Ready=${ready:-unknown}"
    dns="$(python3 "$LOCAL_K8S_DIR/dnsquery.py" "$CLUSTER_DNS_IP" "kubernetes.default.svc.$CLUSTER_DOMAIN" 2>/dev/null || true)"
    [ "$dns" = "$KUBERNETES_SVC_IP" ] && report coredns ok "kubernetes.default.svc -> $dns" || report coredns FAIL "kubernetes.default.svc does not resolve"
  else
    report "node/$NODE_NAME" FAIL "no kubeconfig"; report coredns FAIL "no kubeconfig"
  fi
}

status_b() {
  local c running=false
  for c in $SECOND_COMPONENTS; do [ -f "$RUN_DIR/$c.pid" ] && running=true; done
  [ "$SECOND_CLUSTER" != 0 ] || $running || return 0
  for c in $SECOND_COMPONENTS; do
    [ "$c" = second-kwok ] && [ "$SECOND_KWOK_NODES" = 0 ] && [ ! -f "$RUN_DIR/$c.pid" ] && continue
    probe "$c"
  done
  if [ "$SECOND_KWOK_NODES" -gt 0 ]; then
    local ready=0
    [ -f "$SECOND_KUBECONFIG_PATH" ] && [ -x "$BIN_DIR/kubectl" ] && ready="$(second_cluster_ready_nodes)"
    if [ "$ready" -ge "$SECOND_KWOK_NODES" ]; then report second-nodes ok "$ready KWOK nodes Ready"
    else report second-nodes FAIL "$ready of $SECOND_KWOK_NODES KWOK nodes Ready"; fi
  fi
  [ "$SECOND_NODE" = 1 ] || return 0
  for c in $SECOND_NODE_COMPONENTS; do probe "$c"; done
  local b_ready=""
  [ -f "$SECOND_KUBECONFIG_PATH" ] && [ -x "$BIN_DIR/kubectl" ] && b_ready="$(node_ready kubectl_second "$SECOND_NODE_NAME")"
  [ "$b_ready" = True ] && report "second-node/$SECOND_NODE_NAME" ok Ready || report "second-node/$SECOND_NODE_NAME" FAIL "Ready=${b_ready:-unknown}"
  local dns; dns="$(second_dns_answer || true)"
  [ "$dns" = "${CLUSTER_b[kubernetes_svc_ip]}" ] && report second-coredns ok "kubernetes.default.svc -> $dns" \
    || report second-coredns FAIL "kubernetes.default.svc does not resolve"
}

for c in $clusters; do
  case "$c" in
    a) status_a ;;
    b) status_b ;;
    *) die "unknown cluster '$c' (a or b)" ;;
  esac
done
if ! $quiet; then
  case " $clusters " in *" a "*) echo "kubeconfig:        $KUBECONFIG_PATH" ;; esac
  case " $clusters " in *" b "*) [ "$SECOND_CLUSTER" != 0 ] && echo "second kubeconfig: $SECOND_KUBECONFIG_PATH" ;; esac
  echo "logs:              $LOG_DIR"
fi
$healthy
