#!/usr/bin/env bash
# Builds (once) the Kubernetes components, etcd, CoreDNS, kube-router and (when asked for) KWOK from their Go modules
# into $CACHE_DIR/bin.
# Idempotent: a stamp keyed by the content of the Go module files skips the build next time.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$LOG_DIR"
ensure_go

build_kube() {
  local mod="$LOCAL_K8S_DIR/gobuild/kube"
  local stamp="$BIN_DIR/.stamp-$(echo "$K8S_VERSION" | content_hash "$mod/go.mod" "$mod/go.sum" -)"
  [ -f "$stamp" ] && return 0
  phase_start kube "building kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy, kubectl $K8S_VERSION and etcd $ETCD_VERSION" "$LOG_DIR/build-kube.log"
  local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  local ld="-s -w"
  # Without these the binaries report v0.0.0, and the API server refuses an emulation version outside its range.
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  local tmp="$BIN_DIR.tmp"
  rm -rf "$tmp"; mkdir -p "$tmp"
  (cd "$mod" && CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "$ld" -o "$tmp/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy \
      k8s.io/kubernetes/cmd/kubectl) >"$LOG_DIR/build-kube.log" 2>&1 || die "kube build failed, see $LOG_DIR/build-kube.log"
  (cd "$mod" && CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3) \
      >>"$LOG_DIR/build-kube.log" 2>&1 || die "etcd build failed, see $LOG_DIR/build-kube.log"
  rm -rf "$BIN_DIR"; mv "$tmp" "$BIN_DIR"; touch "$stamp"
  phase_end
}

build_coredns() {
  local mod="$LOCAL_K8S_DIR/gobuild/coredns"
  local stamp="$COREDNS_BIN_DIR/.stamp-$(content_hash "$mod/go.mod" "$mod/go.sum" "$mod/main.go")"
  [ -f "$stamp" ] && return 0
  phase_start coredns "building CoreDNS $COREDNS_VERSION" "$LOG_DIR/build-coredns.log"
  local tmp="$COREDNS_BIN_DIR.tmp"
  rm -rf "$tmp"; mkdir -p "$tmp"
  (cd "$mod" && CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "-s -w" -o "$tmp/coredns" .) \
      >"$LOG_DIR/build-coredns.log" 2>&1 || die "CoreDNS build failed, see $LOG_DIR/build-coredns.log"
  rm -rf "$COREDNS_BIN_DIR"; mv "$tmp" "$COREDNS_BIN_DIR"; touch "$stamp"
  phase_end
}

# A Go command from one of gobuild/'s modules, into its own directory under the cache.
build_module_command() { # name version gobuild-module bin-dir package
  local name="$1" version="$2" mod="$LOCAL_K8S_DIR/gobuild/$3" dir="$4" package="$5"
  local stamp="$dir/.stamp-$(content_hash "$mod/go.mod" "$mod/go.sum")"
  [ -f "$stamp" ] && return 0
  phase_start "$3" "building $name $version" "$LOG_DIR/build-$3.log"
  local tmp="$dir.tmp"
  rm -rf "$tmp"; mkdir -p "$tmp"
  (cd "$mod" && CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "-s -w" -o "$tmp/$3" "$package") \
      >"$LOG_DIR/build-$3.log" 2>&1 || die "$name build failed, see $LOG_DIR/build-$3.log"
  rm -rf "$dir"; mv "$tmp" "$dir"; touch "$stamp"
  phase_end
}

build_kwok() {
  build_module_command KWOK "$KWOK_VERSION" kwok "$KWOK_BIN_DIR" sigs.k8s.io/kwok/cmd/kwok
}

# Only the network policy controller of kube-router runs (components.sh start_kube_router).
build_kube_router() {
  build_module_command kube-router "$KUBE_ROUTER_VERSION" kube-router "$KUBE_ROUTER_BIN_DIR" \
    github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
}

case "${1:-all}" in
  kube) build_kube ;;
  coredns) build_coredns ;;
  kwok) build_kwok ;;
  kube-router) build_kube_router ;;
  all) build_kube; build_coredns; build_kube_router; if [ "$KWOK_NODES" -gt 0 ]; then build_kwok; fi ;;
esac
