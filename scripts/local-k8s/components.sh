# How each component of the local cluster is started: one function per component, used by up.sh (first
# start) and restart.sh (after a kill), so both start it the same way. Sourced after lib.sh, not run. The
# configuration files they read (containerd.toml, kubelet-config.yaml, kube-proxy-config.yaml, kubeconfigs,
# certificates) are written by up.sh before the first start.
# shellcheck shell=bash

start_etcd() {
  start_component etcd "$BIN_DIR/etcd" --name sparkk8s --data-dir "$STATE_DIR/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster sparkk8s=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
    --unsafe-no-fsync --quota-backend-bytes 4294967296 --log-level warn
  wait_for 30 etcd curl -fsS http://127.0.0.1:2381/health
}

# PodSecurity is in the default admission plugin set; NodeRestriction is added as kubeadm does.
start_kube_apiserver() {
  start_component kube-apiserver "$BIN_DIR/kube-apiserver" \
    --etcd-servers http://127.0.0.1:2379 --bind-address 0.0.0.0 --secure-port "$API_PORT" --advertise-address "$NODE_IP" \
    --service-cluster-ip-range "$SERVICE_CIDR" --authorization-mode Node,RBAC \
    --enable-admission-plugins NodeRestriction --allow-privileged=true \
    --client-ca-file "$PKI_DIR/ca.crt" --tls-cert-file "$PKI_DIR/apiserver.crt" --tls-private-key-file "$PKI_DIR/apiserver.key" \
    --kubelet-client-certificate "$PKI_DIR/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI_DIR/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$PKI_DIR/ca.crt" --kubelet-preferred-address-types InternalIP \
    --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file "$PKI_DIR/sa.pub" --service-account-signing-key-file "$PKI_DIR/sa.key" \
    --profiling=false --v=1
  wait_for 60 kube-apiserver curl -fsS --cacert "$PKI_DIR/ca.crt" "https://127.0.0.1:$API_PORT/readyz"
}

start_kube_controller_manager() {
  start_component kube-controller-manager "$BIN_DIR/kube-controller-manager" \
    --kubeconfig "$STATE_DIR/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$STATE_DIR/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$STATE_DIR/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
    --root-ca-file "$PKI_DIR/ca.crt" --service-account-private-key-file "$PKI_DIR/sa.key" \
    --cluster-signing-cert-file "$PKI_DIR/ca.crt" --cluster-signing-key-file "$PKI_DIR/ca.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --allocate-node-cidrs=false --v=1
}

start_kube_scheduler() {
  start_component kube-scheduler "$BIN_DIR/kube-scheduler" \
    --kubeconfig "$STATE_DIR/scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE_DIR/scheduler.kubeconfig" \
    --authorization-kubeconfig "$STATE_DIR/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --v=1
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

start_kwok() {
  start_component kwok "$KWOK_BIN_DIR/kwok" --kubeconfig "$KUBECONFIG_PATH" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --manage-nodes-with-label-selector= --disregard-status-with-annotation-selector=kwok.x-k8s.io/status=custom \
    --disregard-status-with-label-selector= --cidr=10.89.0.0/16 --node-ip=10.255.255.2 \
    --node-lease-duration-seconds=40 --server-address=127.0.0.1:10247
}

# NetworkPolicy enforcement: kube-router's network policy controller alone (iptables filter chains and
# ipsets for the pods of this node); routing and services stay with the CNI bridge and kube-proxy.
start_kube_router() {
  start_component kube-router "$KUBE_ROUTER_BIN_DIR/kube-router" --kubeconfig "$KUBECONFIG_PATH" \
    --hostname-override "$NODE_NAME" --run-firewall=true --run-router=false --run-service-proxy=false \
    --run-loadbalancer=false --metrics-port 0 --health-port 20244 --v=1
  wait_for 30 kube-router curl -fsS -m 3 http://127.0.0.1:20244/healthz
}
