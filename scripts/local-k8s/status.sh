#!/usr/bin/env bash
# Reports the health of each component of the local cluster. Exit 0 only when all are healthy.
#   status.sh           one line per component
#   status.sh --quiet   no output (used by up.sh to decide whether there is anything to do)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
quiet=false; [ "${1:-}" = --quiet ] && quiet=true
healthy=true
report() { # component ok|FAIL detail
  [ "$2" = ok ] || healthy=false
  $quiet || printf '%-24s %-5s %s\n' "$1" "$2" "$3"
}
probe() { # component check-command...
  local name="$1"; shift
  local pid; pid="$(pid_of "$name" || true)"
  if [ -z "$pid" ]; then report "$name" FAIL "not running"; return; fi
  if "$@" >/dev/null 2>&1; then report "$name" ok "pid $pid"; else report "$name" FAIL "pid $pid, health check failed: $*"; fi
}
CURL=(curl -fsS -m 3)
probe etcd "${CURL[@]}" http://127.0.0.1:2381/health
probe kube-apiserver "${CURL[@]}" --cacert "$PKI_DIR/ca.crt" "https://127.0.0.1:$API_PORT/readyz"
probe kube-controller-manager "${CURL[@]}" -k https://127.0.0.1:10257/healthz
probe kube-scheduler "${CURL[@]}" -k https://127.0.0.1:10259/healthz
probe containerd ctr --address "$CONTAINERD_SOCK" version
probe kubelet "${CURL[@]}" http://127.0.0.1:10248/healthz
probe kube-proxy "${CURL[@]}" http://127.0.0.1:10256/healthz
probe kube-router "${CURL[@]}" http://127.0.0.1:20244/healthz
if [ "$KWOK_NODES" -gt 0 ] || [ -f "$RUN_DIR/kwok.pid" ]; then probe kwok "${CURL[@]}" http://127.0.0.1:10247/healthz; fi
if [ -f "$KUBECONFIG_PATH" ] && [ -x "$BIN_DIR/kubectl" ]; then
  ready="$(kubectl_ get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null || true)"
  [ "$ready" = True ] && report "node/$NODE_NAME" ok Ready || report "node/$NODE_NAME" FAIL "Ready=${ready:-unknown}"
  dns="$(python3 "$LOCAL_K8S_DIR/dnsquery.py" "$CLUSTER_DNS_IP" "kubernetes.default.svc.$CLUSTER_DOMAIN" 2>/dev/null || true)"
  [ "$dns" = "$KUBERNETES_SVC_IP" ] && report coredns ok "kubernetes.default.svc -> $dns" || report coredns FAIL "kubernetes.default.svc does not resolve"
else
  report "node/$NODE_NAME" FAIL "no kubeconfig"; report coredns FAIL "no kubeconfig"
fi
if ! $quiet; then
  echo "kubeconfig: $KUBECONFIG_PATH"
  echo "logs:       $LOG_DIR"
fi
$healthy
