# How each component of the local cluster is started: one function per component, used by up.sh (first
# start) and restart.sh (after a kill), so both start it the same way. Sourced after lib.sh, not run. The
# configuration files they read (containerd.toml, kubelet-config.yaml, kube-proxy-config.yaml, kubeconfigs,
# certificates) are written by up.sh before the first start.
# shellcheck shell=bash

# The control plane's functions serve both clusters: they take the cluster, a (the default: the one-node
# cluster) or b (the second cluster, components named second-<component>), and read its directories and
# ports from CLUSTER_a / CLUSTER_b (lib.sh). start_second_<component> starts B's (restart.sh's names).
start_etcd() { # [cluster]
  local -n K="CLUSTER_${1:-a}"
  start_component "${K[prefix]}etcd" "$BIN_DIR/etcd" --name "${K[etcd_name]}" --data-dir "${K[dir]}/etcd" \
    --listen-client-urls "http://127.0.0.1:${K[etcd_client]}" --advertise-client-urls "http://127.0.0.1:${K[etcd_client]}" \
    --listen-peer-urls "http://127.0.0.1:${K[etcd_peer]}" --initial-advertise-peer-urls "http://127.0.0.1:${K[etcd_peer]}" \
    --initial-cluster "${K[etcd_name]}=http://127.0.0.1:${K[etcd_peer]}" --listen-metrics-urls "http://127.0.0.1:${K[etcd_metrics]}" \
    --unsafe-no-fsync --quota-backend-bytes 4294967296 --log-level warn
  wait_for 30 "${K[prefix]}etcd" component_healthy "${K[prefix]}etcd"
}

# PodSecurity is in the default admission plugin set; NodeRestriction is added as kubeadm does. Without
# a kubelet (the second cluster with SPARKK8S_SECOND_NODE=0), no kubelet client flags.
start_kube_apiserver() { # [cluster]
  local -n K="CLUSTER_${1:-a}"
  local kubelet_flags=()
  if [ "${K[kubelet]}" = true ]; then
    kubelet_flags=(--kubelet-client-certificate "${K[pki]}/apiserver-kubelet-client.crt" --kubelet-client-key "${K[pki]}/apiserver-kubelet-client.key"
      --kubelet-certificate-authority "${K[pki]}/ca.crt" --kubelet-preferred-address-types InternalIP)
  fi
  start_component "${K[prefix]}kube-apiserver" "$BIN_DIR/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:${K[etcd_client]}" --bind-address 0.0.0.0 --secure-port "${K[api_port]}" --advertise-address "$NODE_IP" \
    --service-cluster-ip-range "${K[service_cidr]}" --authorization-mode Node,RBAC \
    --enable-admission-plugins NodeRestriction --allow-privileged=true \
    --client-ca-file "${K[pki]}/ca.crt" --tls-cert-file "${K[pki]}/apiserver.crt" --tls-private-key-file "${K[pki]}/apiserver.key" \
    "${kubelet_flags[@]}" \
    --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file "${K[pki]}/sa.pub" --service-account-signing-key-file "${K[pki]}/sa.key" \
    --profiling=false --v=1
  wait_for 60 "${K[prefix]}kube-apiserver" component_healthy "${K[prefix]}kube-apiserver"
}

start_kube_controller_manager() { # [cluster]
  local -n K="CLUSTER_${1:-a}"
  start_component "${K[prefix]}kube-controller-manager" "$BIN_DIR/kube-controller-manager" \
    --kubeconfig "${K[dir]}/controller-manager.kubeconfig" \
    --authentication-kubeconfig "${K[dir]}/controller-manager.kubeconfig" \
    --authorization-kubeconfig "${K[dir]}/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "${K[kcm_port]}" --leader-elect=false --use-service-account-credentials=true \
    --root-ca-file "${K[pki]}/ca.crt" --service-account-private-key-file "${K[pki]}/sa.key" \
    --cluster-signing-cert-file "${K[pki]}/ca.crt" --cluster-signing-key-file "${K[pki]}/ca.key" \
    --service-cluster-ip-range "${K[service_cidr]}" --allocate-node-cidrs=false --v=1
}

start_kube_scheduler() { # [cluster]
  local -n K="CLUSTER_${1:-a}"
  start_component "${K[prefix]}kube-scheduler" "$BIN_DIR/kube-scheduler" \
    --kubeconfig "${K[dir]}/scheduler.kubeconfig" \
    --authentication-kubeconfig "${K[dir]}/scheduler.kubeconfig" \
    --authorization-kubeconfig "${K[dir]}/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "${K[scheduler_port]}" --leader-elect=false --v=1
}

start_containerd() {
  start_component containerd containerd --config "$STATE_DIR/containerd.toml"
  wait_for 30 containerd ctr --address "$CONTAINERD_SOCK" version
}

start_kubelet() {
  start_component kubelet "$BIN_DIR/kubelet" --config "$STATE_DIR/kubelet-config.yaml" \
    --kubeconfig "$STATE_DIR/kubelet.kubeconfig" --root-dir "$KUBELET_ROOT" \
    --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v=1
}

start_kube_proxy() {
  start_component kube-proxy "$BIN_DIR/kube-proxy" --config "$STATE_DIR/kube-proxy-config.yaml" --v=1
}

start_kwok() { # [cluster]
  local -n K="CLUSTER_${1:-a}"
  start_component "${K[prefix]}kwok" "$KWOK_BIN_DIR/kwok" --kubeconfig "${K[kubeconfig]}" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --manage-nodes-with-label-selector= --disregard-status-with-annotation-selector=kwok.x-k8s.io/status=custom \
    --disregard-status-with-label-selector= --cidr="${K[kwok_cidr]}" --node-ip="${K[kwok_node_ip]}" \
    --node-lease-duration-seconds=40 --server-address="${K[kwok_server]}"
}

# NetworkPolicy enforcement: kube-router's network policy controller alone (iptables filter chains and
# ipsets for the pods of this node); routing and services stay with the CNI bridge and kube-proxy.
start_kube_router() {
  start_component kube-router "$KUBE_ROUTER_BIN_DIR/kube-router" --kubeconfig "$KUBECONFIG_PATH" \
    --hostname-override "$NODE_NAME" --run-firewall=true --run-router=false --run-service-proxy=false \
    --run-loadbalancer=false --metrics-port 0 --health-port 20244 --v=1
  wait_for 30 kube-router curl -fsS -m 3 http://127.0.0.1:20244/healthz
}

start_second_etcd() { start_etcd b; }
start_second_kube_apiserver() { start_kube_apiserver b; }
start_second_kube_controller_manager() { start_kube_controller_manager b; }
start_second_kube_scheduler() { start_kube_scheduler b; }
start_second_kwok() { start_kwok b; }

# Whether a component answers its health check (status.sh, restart.sh and the start functions ask).
component_healthy() { # component
  local c="$1" curl_=(curl -fsS -m 3) cluster
  cluster="$(cluster_of "$c")"
  local -n K="CLUSTER_$cluster"
  case "$c" in
    second-containerd) ctr --address "$SECOND_CONTAINERD_SOCK" version; return ;;
    second-kubelet) in_second_node "${curl_[@]}" http://127.0.0.1:10248/healthz; return ;;
    second-kube-proxy) in_second_node "${curl_[@]}" http://127.0.0.1:10256/healthz; return ;;
  esac
  case "${c#second-}" in
    etcd) "${curl_[@]}" "http://127.0.0.1:${K[etcd_metrics]}/health" ;;
    kube-apiserver) "${curl_[@]}" --cacert "${K[pki]}/ca.crt" "https://127.0.0.1:${K[api_port]}/readyz" ;;
    kube-controller-manager) "${curl_[@]}" -k "https://127.0.0.1:${K[kcm_port]}/healthz" ;;
    kube-scheduler) "${curl_[@]}" -k "https://127.0.0.1:${K[scheduler_port]}/healthz" ;;
    kwok) "${curl_[@]}" "http://${K[kwok_server]}/healthz" ;;
    containerd) ctr --address "$CONTAINERD_SOCK" version ;;
    kubelet) "${curl_[@]}" http://127.0.0.1:10248/healthz ;;
    kube-proxy) "${curl_[@]}" http://127.0.0.1:10256/healthz ;;
    kube-router) "${curl_[@]}" http://127.0.0.1:20244/healthz ;;
    *) return 1 ;;
  esac
}
