# The second cluster ("cluster B"): an independent control plane with a real node (second-node.sh) and
# KWOK nodes, for the fleet tests that need two clusters, each with its own API server and kubeconfig.
# up.sh starts it (unless SPARKK8S_SECOND_CLUSTER=0) in the background once the one-node cluster's
# control plane is up, and a warm up.sh starts it when it is not healthy. Sourced after lib.sh,
# components.sh, setup.sh and second-node.sh, not run.
#
#   what                     where
#   etcd                     127.0.0.1:2479 (peer 2480, metrics 2482), data in $STATE_DIR/second/etcd
#   kube-apiserver           https://127.0.0.1:$SECOND_API_PORT (SPARKK8S_SECOND_API_PORT, default 6444)
#   kube-controller-manager  https://127.0.0.1:10357 (service accounts and their tokens, garbage collector, ...)
#   kube-scheduler           https://127.0.0.1:10359
#   KWOK                     127.0.0.1:10347; SPARKK8S_SECOND_KWOK_NODES fake nodes (default 1), kwok-b-node-N
#   node sparkk8s-node-b     containerd, kubelet, kube-proxy, CoreDNS (second-node.sh; SPARKK8S_SECOND_NODE=0: none)
#   PKI (own CA)             $STATE_DIR/second/pki
#   admin kubeconfig         $STATE_DIR/second/admin.kubeconfig, cluster and context sparkk8s-local-second
#
# Components second-<component>: pid files $RUN_DIR/second-*.pid, logs $LOG_DIR/second-*.log; restart.sh
# kills and starts them by those names. Services get 10.100.0.0/16, the real node's pods 10.91.0.0/16,
# KWOK's pods 10.90.0.0/16 (no container runs: KWOK marks a bound pod Running).
# shellcheck shell=bash

# Starts the second cluster from nothing: its PKI, then etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler and KWOK with its nodes. Needs $SECOND_DIR gone or empty.
start_second_cluster() {
  local t0=$SECONDS
  log "starting the second cluster (etcd, kube-apiserver :$SECOND_API_PORT, kube-controller-manager, kube-scheduler, KWOK with $SECOND_KWOK_NODES fake nodes)"
  mkdir -p "$SECOND_DIR" "$RUN_DIR" "$LOG_DIR"
  gen_control_plane_pki b
  [ "$SECOND_NODE" != 1 ] || gen_second_node_pki
  start_etcd b
  start_kube_apiserver b
  start_kube_controller_manager b
  start_kube_scheduler b
  wait_for 60 second-kube-controller-manager component_healthy second-kube-controller-manager
  wait_for 60 second-kube-scheduler component_healthy second-kube-scheduler
  if [ "$SECOND_KWOK_NODES" -gt 0 ]; then
    start_kwok b
    wait_for 30 second-kwok component_healthy second-kwok
    create_kwok_nodes b
  fi
  [ "$SECOND_NODE" != 1 ] || start_second_node
  # The namespaces' default ServiceAccount comes from the controller-manager: there once `default` has it.
  wait_for 60 "the second cluster's default ServiceAccount" kubectl_second -n default get serviceaccount default
  log "second cluster up in $((SECONDS - t0))s; kubeconfig: $SECOND_KUBECONFIG_PATH"
}

# Stops the second cluster's components (any that run), all at once with SIGKILL (its state goes next).
stop_second_cluster() {
  stop_second_node
  # shellcheck disable=SC2086 # component names are single words
  stop_components KILL $SECOND_COMPONENTS
}

# Whether every component the second cluster has is healthy and its KWOK nodes are Ready.
second_cluster_healthy() {
  local c
  for c in $SECOND_COMPONENTS; do
    [ "$c" = second-kwok ] && [ "$SECOND_KWOK_NODES" = 0 ] && [ ! -f "$RUN_DIR/second-kwok.pid" ] && continue
    pid_of "$c" >/dev/null && component_healthy "$c" >/dev/null 2>&1 || return 1
  done
  [ "$SECOND_KWOK_NODES" = 0 ] || [ "$(second_cluster_ready_nodes)" -ge "$SECOND_KWOK_NODES" ] || return 1
  [ "$SECOND_NODE" != 1 ] || second_node_healthy
}

# How many of the second cluster's KWOK nodes are Ready.
second_cluster_ready_nodes() {
  kubectl_second get nodes -l type=kwok --request-timeout=5s \
    -o 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null | grep -cx True || true
}

# Makes sure the second cluster is up (unless SPARKK8S_SECOND_CLUSTER=0): when some of it is down or
# unhealthy, it is stopped and started again from a clean slate (its objects are lost).
ensure_second_cluster() {
  [ "$SECOND_CLUSTER" != 0 ] || return 0
  second_cluster_healthy && return 0
  local c
  for c in $SECOND_COMPONENTS $SECOND_NODE_COMPONENTS; do
    if [ -f "$RUN_DIR/$c.pid" ]; then log "the second cluster is not all up and healthy: starting it from a clean slate"; break; fi
  done
  stop_second_cluster
  rm -rf "$SECOND_DIR"
  local f
  for f in "$LOG_DIR"/second-*.log; do [ -e "$f" ] && mv "$f" "$f.prev"; done
  start_second_cluster
}

# ensure_second_cluster in the background, beside the rest of up.sh's work (its log lines interleave
# with up.sh's); wait_second_cluster waits for it and fails when it failed.
ensure_second_cluster_bg() {
  ensure_second_cluster &
  SECOND_CLUSTER_JOB=$!
}
wait_second_cluster() {
  [ -n "${SECOND_CLUSTER_JOB:-}" ] || return 0
  local job="$SECOND_CLUSTER_JOB"
  SECOND_CLUSTER_JOB=
  wait "$job" || die "the second cluster did not come up; logs: $LOG_DIR/second-*.log"
}
# When up.sh fails, its background start of the second cluster ends with it (the next up.sh starts over).
stop_second_cluster_bg() {
  [ -n "${SECOND_CLUSTER_JOB:-}" ] && kill "$SECOND_CLUSTER_JOB" 2>/dev/null
  return 0
}
