#!/usr/bin/env bash
# A Docker-compatible API from Podman, and the two images kindcontainer's ApiServerContainer runs,
# for the E2E suite's "api-server" run (io.sparkk8s.it.ApiServerCluster): Testcontainers on a machine
# with no Docker daemon and no container registry.
#
#   scripts/local-k8s/podman.sh      (root, Debian; after up.sh has built the Kubernetes binaries)
#
# What it does, each step skipped when already done:
#   1. installs Debian's podman (4.3) if missing;
#   2. writes its own containers.conf ($PODMAN_CONF, passed as CONTAINERS_CONF to the
#      service, nothing under /etc is changed): no default ulimits (Podman's default nofile limit is
#      refused here) and a default network, sparkk8s-podman, on $PODMAN_SUBNET, apart from the
#      cluster's pod range ($POD_CIDR, which is Podman's own default subnet) and its services
#      ($SERVICE_CIDR), and named apart from the cluster's CNI network "sparkk8s", whose iptables
#      chains down.sh finds by that name;
#   3. builds registry.k8s.io/kube-apiserver:$K8S_VERSION and registry.k8s.io/etcd:<etcd>-0 from the
#      static binaries up.sh built ($BIN_DIR), as no registry can be reached;
#   4. removes containers a killed test run left (Testcontainers' reaper, Ryuk, has no image here);
#   5. starts `podman system service` on $PODMAN_SOCK (root only, mode 0600) unless it answers
#      already. It keeps running for the next test run (down.sh leaves it, as it leaves everything
#      of Podman's); stop it with: kill "$(cat /run/sparkk8s-podman/service.pid)".
# Prints, on standard output, the lines scripts/test.sh reads:
#   DOCKER_HOST=unix://...   API_SERVER_IMAGE=...   ETCD_IMAGE=...
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_root

PODMAN_SUBNET="${SPARKK8S_PODMAN_SUBNET:-10.213.0.0/24}"
mkdir -p "$PODMAN_DIR" "$PODMAN_RUN_DIR" "$LOG_DIR"
started=$(date +%s)

if ! command -v podman >/dev/null 2>&1; then
  log "podman: installing Debian's podman (about a minute)"
  apt-get update -qq >"$LOG_DIR/apt-podman.log" 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman >>"$LOG_DIR/apt-podman.log" 2>&1 \
    || die "apt-get install podman failed, see $LOG_DIR/apt-podman.log"
fi

cat > "$PODMAN_CONF.new" <<EOF
# Written by scripts/local-k8s/podman.sh; used through CONTAINERS_CONF by the service it starts.
[containers]
default_ulimits = []

[network]
default_network = "sparkk8s-podman"
default_subnet = "$PODMAN_SUBNET"
EOF
conf_changed=true
if cmp -s "$PODMAN_CONF.new" "$PODMAN_CONF"; then conf_changed=false; fi
mv "$PODMAN_CONF.new" "$PODMAN_CONF"
export CONTAINERS_CONF="$PODMAN_CONF"

# The images: a static binary on PATH is all ApiServerContainer needs (it runs no shell in them).
image_from_binary() {
  local image="$1" binary="$2" root old_id
  [ -x "$binary" ] || die "podman: $binary is missing: run scripts/local-k8s/up.sh first"
  if podman image exists "$image" &&
      [ "$(podman image inspect --format '{{index .Config.Labels "io.sparkk8s.binary"}}' "$image" 2>/dev/null)" = \
        "$(content_hash "$binary")" ]; then
    return
  fi
  log "podman: building $image from $binary"
  old_id="$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
  root="$(mktemp -d)"
  mkdir -p "$root/usr/local/bin" "$root/tmp" "$root/etc/kubernetes/pki" "$root/var/lib/etcd"
  cp "$binary" "$root/usr/local/bin/"
  tar -C "$root" -c . | podman import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    --change "LABEL io.sparkk8s.binary=$(content_hash "$binary")" - "$image" >>"$LOG_DIR/podman.log" 2>&1 \
    || { rm -rf "$root"; die "podman: could not import $image, see $LOG_DIR/podman.log"; }
  rm -rf "$root"
  # The image it replaces, now without a name (if no container uses it).
  [ -z "$old_id" ] || podman rmi "$old_id" >>"$LOG_DIR/podman.log" 2>&1 || true
}
image_from_binary "$API_SERVER_IMAGE" "$BIN_DIR/kube-apiserver"
image_from_binary "$ETCD_IMAGE" "$BIN_DIR/etcd"

leftovers="$(podman ps -aq --filter label=org.testcontainers=true 2>/dev/null || true)"
if [ -n "$leftovers" ]; then
  log "podman: removing $(echo "$leftovers" | wc -l) container(s) a previous test run left"
  # shellcheck disable=SC2086 # container ids
  podman rm -f $leftovers >>"$LOG_DIR/podman.log" 2>&1 || true
fi

answers() { curl -sf -m 5 --unix-socket "$PODMAN_SOCK" http://d/_ping >/dev/null 2>&1; }
# A service started by an older podman.sh from a directory since removed (a clean clone that CI
# deleted) answers _ping but cannot start a container: conmon fails with "Failed to get working
# directory" and the API answers 500 "write child: broken pipe". The service is started from /, and
# one running anywhere else is restarted.
restart_reason=""
if [ -f "$PODMAN_RUN_DIR/service.pid" ]; then
  service_pid="$(cat "$PODMAN_RUN_DIR/service.pid")"
  if [ "$conf_changed" = true ]; then
    restart_reason="its containers.conf changed"
  elif kill -0 "$service_pid" 2>/dev/null && [ "$(readlink "/proc/$service_pid/cwd" 2>/dev/null)" != "/" ]; then
    restart_reason="its working directory is $(readlink "/proc/$service_pid/cwd" 2>/dev/null || echo unknown), not /"
  fi
  if [ -n "$restart_reason" ]; then
    log "podman: restarting the service: $restart_reason"
    kill "$service_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$PODMAN_SOCK"
  fi
fi
if ! answers; then
  log "podman: starting the Docker-compatible API on $PODMAN_SOCK"
  rm -f "$PODMAN_SOCK"
  (cd / && exec setsid podman system service --time=0 "unix://$PODMAN_SOCK" >>"$LOG_DIR/podman-service.log" 2>&1 < /dev/null) &
  echo $! > "$PODMAN_RUN_DIR/service.pid"
  for _ in $(seq 1 50); do answers && break; sleep 0.2; done
  answers || die "podman: the service did not answer on $PODMAN_SOCK, see $LOG_DIR/podman-service.log"
fi
log "podman: ready in $(( $(date +%s) - started )) s ($(podman --version), images $API_SERVER_IMAGE and $ETCD_IMAGE)"
echo "DOCKER_HOST=unix://$PODMAN_SOCK"
echo "API_SERVER_IMAGE=$API_SERVER_IMAGE"
echo "ETCD_IMAGE=$ETCD_IMAGE"
