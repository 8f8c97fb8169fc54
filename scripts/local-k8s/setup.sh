# What up.sh writes and creates for a cluster before and after its components start, shared by both
# clusters (a: the one-node cluster, b: the second cluster; their settings are CLUSTER_a / CLUSTER_b in
# lib.sh): certificates, kubeconfigs and KWOK's fake nodes. Sourced after lib.sh, not run.
# shellcheck shell=bash

# A certificate signed by the cluster's CA (in its PKI directory): client only, or client and server
# when it has subject alternative names.
gen_cert() { # pki-dir name CN O [sans]
  local pki="$1" name="$2" cn="$3" o="$4" sans="${5:-}"
  local subj="/CN=$cn"; [ -n "$o" ] && subj="/O=$o$subj"
  openssl genrsa -out "$pki/$name.key" 2048 2>/dev/null
  openssl req -new -key "$pki/$name.key" -subj "$subj" -out "$pki/$name.csr" 2>/dev/null
  local ext="$pki/$name.ext"
  { echo "basicConstraints=CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=${sans:+serverAuth,}clientAuth"; [ -n "$sans" ] && echo "subjectAltName=$sans"; } >"$ext"
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 365 -extfile "$ext" -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.csr" "$ext"
}

# A kubeconfig for the cluster's API server (on 127.0.0.1 unless a server URL is given), cluster and
# context named as the cluster (sparkk8s-local, sparkk8s-local-second), with the client certificate
# <cert> of its PKI.
write_kubeconfig() { # cluster file user cert [server]
  local -n K="CLUSTER_$1"
  local file="$2" user="$3" cert="$4" server="${5:-https://127.0.0.1:${K[api_port]}}"
  cat >"$file" <<KC
apiVersion: v1
kind: Config
clusters:
- name: ${K[name]}
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 "${K[pki]}/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 "${K[pki]}/$cert.crt")
    client-key-data: $(base64 -w0 "${K[pki]}/$cert.key")
contexts:
- name: ${K[name]}
  context: {cluster: ${K[name]}, user: $user}
current-context: ${K[name]}
KC
}

# The control plane's PKI and kubeconfigs: a CA of its own, the API server's serving certificate, the
# admin's, the controller-manager's and the scheduler's client certificates and kubeconfigs, the
# service-account keys. Cluster a adds the kubelet's and kube-proxy's (up.sh).
gen_control_plane_pki() { # cluster
  local -n K="CLUSTER_$1"
  local pki="${K[pki]}"
  mkdir -p "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 3650 \
    -subj "/CN=${K[name]}-ca" 2>/dev/null
  gen_cert "$pki" apiserver kube-apiserver "" "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,DNS:localhost,DNS:$NODE_NAME,IP:127.0.0.1,IP:${K[kubernetes_svc_ip]},IP:$NODE_IP"
  gen_cert "$pki" admin sparkk8s-admin system:masters
  gen_cert "$pki" controller-manager system:kube-controller-manager ""
  gen_cert "$pki" scheduler system:kube-scheduler ""
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  write_kubeconfig "$1" "${K[kubeconfig]}" admin admin
  local c
  for c in controller-manager scheduler; do write_kubeconfig "$1" "${K[dir]}/$c.kubeconfig" "$c" "$c"; done
  chmod 600 "$pki"/*.key "${K[dir]}"/*.kubeconfig
}

# The cluster's KWOK nodes (kwok_nodes of them, <kwok_node_prefix>N): label type=kwok, taint
# kwok.x-k8s.io/node=fake:NoSchedule, room for 1000 pods; waits until KWOK reports them Ready.
create_kwok_nodes() { # cluster
  local -n K="CLUSTER_$1"
  local i node
  for i in $(seq 1 "${K[kwok_nodes]}"); do
    node="${K[kwok_node_prefix]}$i"
    cat <<NODE
apiVersion: v1
kind: Node
metadata:
  name: $node
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {type: kwok, kubernetes.io/hostname: $node, kubernetes.io/os: linux, kubernetes.io/arch: amd64}
spec:
  taints: [{key: kwok.x-k8s.io/node, value: fake, effect: NoSchedule}]
status:
  allocatable: {cpu: "64", memory: 512Gi, pods: "1000"}
  capacity: {cpu: "64", memory: 512Gi, pods: "1000"}
---
NODE
  done | "$BIN_DIR/kubectl" --kubeconfig "${K[kubeconfig]}" apply -f - >>"$LOG_DIR/${K[prefix]}up.log" 2>&1 \
    || die "creating the KWOK nodes of ${K[name]} failed, see $LOG_DIR/${K[prefix]}up.log"
  wait_for 60 "the KWOK nodes of ${K[name]} to be Ready" \
    "$BIN_DIR/kubectl" --kubeconfig "${K[kubeconfig]}" wait --for=condition=Ready node -l type=kwok --timeout=2s
}

# Imports into the cluster's containerd every image archive it does not have yet (a marker per
# archive; archives are named by the hash of their inputs, so a changed image is a new archive).
# Cluster a gets every image; b (the second cluster's node) the pause, CoreDNS and default Spark ones.
import_images() { # [cluster]
  local cluster="${1:-a}" a v
  local -n K="CLUSTER_$cluster"
  import_image() { # archive ref
    local archive="$1" ref="$2" marker
    local ctr=(ctr --address "${K[containerd_sock]}" -n k8s.io)
    marker="${K[containerd_root]}/sparkk8s-imported/$(basename "$archive")"
    if [ -f "$marker" ] && "${ctr[@]}" images ls -q | grep -qxF "$ref"; then return 0; fi
    "${ctr[@]}" images import --no-unpack=false "$archive" >>"$LOG_DIR/${K[prefix]}image-import.log" 2>&1 \
      || die "importing $archive into ${K[name]}'s containerd failed, see $LOG_DIR/${K[prefix]}image-import.log"
    mkdir -p "$(dirname "$marker")"; touch "$marker"
  }
  for a in "$IMAGE_CACHE_DIR"/archives/*.tar; do
    case "$(basename "$a")" in
      pause-*) import_image "$a" registry.k8s.io/pause:3.10 ;;
      coredns-*) import_image "$a" "sparkk8s.local/coredns:$COREDNS_VERSION" ;;
      spark_*)
        v="${a##*/spark_}"; v="${v%-*}"
        if [ "$cluster" = a ] || [ "$v" = "$SPARK_VERSION" ]; then import_image "$a" "docker.io/apache/spark:$v"; fi ;;
      jupyter-*) if [ "$cluster" = a ]; then import_image "$a" "sparkk8s.local/jupyter:$SPARK_VERSION"; fi ;;
    esac
  done
}

# A node's configuration files, for either cluster's node (a: sparkk8s-node, b: sparkk8s-node-b):
# containerd.toml, the CNI network (a bridge of its own), kubelet-config.yaml and
# kube-proxy-config.yaml in its node directory, from the node's settings in CLUSTER_a / CLUSTER_b.
write_node_config() { # cluster
  local -n K="CLUSTER_$1"
  local dir="${K[node_dir]}" pki="${K[pki]}"
  mkdir -p "${K[containerd_root]}" "${K[containerd_state]}" "${K[cni_conf_dir]}" "${K[cni_data_dir]}"
  [ -z "${K[runc_root]}" ] || mkdir -p "${K[runc_root]}"
  cat >"$dir/containerd.toml" <<TOML
version = 2
root = "${K[containerd_root]}"
state = "${K[containerd_state]}"
[grpc]
  address = "${K[containerd_sock]}"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.10"
  # Sandboxes (oom_score_adj -998) and Guaranteed pods (-997) ask for a lower OOM score than this
  # process may set without CAP_SYS_RESOURCE, which CI's sandboxed machines do not grant; cap them at ours.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false${K[runc_root]:+
        Root = \"${K[runc_root]}\"}
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "${K[cni_conf_dir]}"
TOML
  cat >"${K[cni_conf_dir]}/10-${K[cni_name]}.conflist" <<CNI
{
  "cniVersion": "0.4.0",
  "name": "${K[cni_name]}",
  "plugins": [
    {
      "type": "bridge", "bridge": "${K[bridge]}", "isGateway": true, "ipMasq": true, "hairpinMode": true,
      "ipam": {"type": "host-local", "dataDir": "${K[cni_data_dir]}", "ranges": [[{"subnet": "${K[pod_cidr]}"}]],
               "routes": [{"dst": "0.0.0.0/0"}]}
    },
    {"type": "portmap", "capabilities": {"portMappings": true}},
    {"type": "loopback"}
  ]
}
CNI
  cat >"$dir/kubelet-config.yaml" <<KCFG
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# cgroup v1 host (see versions.env): cgroupfs driver, and do not refuse v1 (needed from 1.35 on).
cgroupDriver: cgroupfs
failCgroupV1: false${K[cgroup_root]:+
cgroupRoot: ${K[cgroup_root]}}
containerRuntimeEndpoint: unix://${K[containerd_sock]}
address: ${K[node_ip]}
healthzBindAddress: 127.0.0.1
healthzPort: 10248
readOnlyPort: 0
tlsCertFile: $pki/kubelet.crt
tlsPrivateKeyFile: $pki/kubelet.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: Webhook}
clusterDNS: [${K[cluster_dns_ip]}]
clusterDomain: $CLUSTER_DOMAIN
failSwapOn: false
# The images are imported, not pulled: never garbage-collect them, and do not evict on a full CI disk.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
serializeImagePulls: false
maxPods: 110
# Container logs beside the components' logs, so a failed test's pods can be read after down.sh.
podLogsDir: ${K[pod_logs_dir]}
KCFG
  cat >"$dir/kube-proxy-config.yaml" <<KP
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $dir/kube-proxy.kubeconfig}
mode: iptables
clusterCIDR: ${K[pod_cidr]}
hostnameOverride: ${K[node_name]}
bindAddress: 0.0.0.0
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
conntrack: {maxPerCore: 0}
KP
}
