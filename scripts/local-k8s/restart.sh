#!/usr/bin/env bash
# Kills one component of the local cluster with SIGKILL, as a crash would, and starts it again exactly as
# up.sh does (the start functions of components.sh), then waits until it is healthy. For fault tests.
#
#   restart.sh <component>                 kill, start again at once, wait until healthy
#   restart.sh <component> --down SECONDS  kill, leave it down SECONDS, start again, wait until healthy
#   restart.sh <component> --kill          kill only (start it again with --start)
#   restart.sh <component> --start         start a component that is not running, wait until healthy
#   restart.sh <component> --graceful      SIGTERM instead of SIGKILL (a rolling upgrade's stop), then as above
#
# Components: etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy kube-router kwok,
# and the second cluster's second-etcd second-kube-apiserver second-kube-controller-manager second-kube-scheduler
# second-kwok (its API server's health: https://127.0.0.1:$SPARKK8S_SECOND_API_PORT/readyz, default port 6444),
# and its node's second-containerd second-kubelet second-kube-proxy.
# Prints one line on stdout: "<component> down <ms> ms, healthy <ms> ms after the kill".
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$LOCAL_K8S_DIR/components.sh"
. "$LOCAL_K8S_DIR/second-node.sh"
need_root

component="${1:-}"
mode="${2:-restart}"
down_seconds=0
signal=KILL
case "$mode" in
  restart) ;;
  --down) mode=restart; down_seconds="${3:?--down needs SECONDS}" ;;
  --graceful) mode=restart; signal=TERM ;;
  --kill|--start) ;;
  *) die "usage: restart.sh <component> [--down SECONDS | --graceful | --kill | --start]" ;;
esac

healthy() { # component
  component_healthy "$1" || return 1
  if [ "$1" = kubelet ]; then
    [ "$(node_ready kubectl_ "$NODE_NAME")" = True ]
  elif [ "$1" = second-kubelet ]; then
    [ "$(node_ready kubectl_second "$SECOND_NODE_NAME")" = True ]
  fi
}
ALL="etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy kube-router kwok $SECOND_COMPONENTS $SECOND_NODE_COMPONENTS"
case " $ALL " in
  *" $component "*) ;;
  *) die "unknown component '$component' (one of: $ALL)" ;;
esac
start_fn="start_${component//-/_}"

now_ms() { date +%s%3N; }
kill_it() {
  local pid; pid="$(pid_of "$component")" || die "$component is not running (no live pid in $RUN_DIR/$component.pid)"
  kill -"$signal" "$pid"
  # A graceful stop may drain requests for up to a minute (the API server's --shutdown-timeout).
  local limit=10; [ "$signal" = TERM ] && limit=90
  local deadline=$((SECONDS + limit))
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "$component (pid $pid) still alive ${limit} s after SIG$signal"
    sleep 0.1
  done
  log "$component (pid $pid) stopped with SIG$signal"
}
start_it() {
  pid_of "$component" >/dev/null && die "$component is already running"
  "$start_fn"
  wait_for 120 "$component to be healthy" healthy "$component"
  log "$component started again (pid $(pid_of "$component")) and healthy"
}

case "$mode" in
  --kill) kill_it; echo "$component killed" ;;
  --start) t0=$(now_ms); start_it; echo "$component healthy $(( $(now_ms) - t0 )) ms after the start" ;;
  restart)
    t0=$(now_ms)
    kill_it
    [ "$down_seconds" -gt 0 ] && sleep "$down_seconds"
    t1=$(now_ms)
    start_it
    echo "$component SIG$signal, down $(( t1 - t0 )) ms before the start, healthy $(( $(now_ms) - t0 )) ms after the signal"
    ;;
esac
