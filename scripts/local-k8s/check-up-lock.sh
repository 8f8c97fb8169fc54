#!/usr/bin/env bash
# Proves that two up.sh at once do not race (a test run and the README's main command, say): with
# the cluster down, it starts two up.sh together; both must succeed and print the same kubeconfig,
# the second having waited for the first, and exactly one of each component must run per cluster
# (the one-node cluster's and the second cluster's second-*, its node's too), each the one its pid
# file names.
# Leaves both clusters up and prints the one-node cluster's kubeconfig path as the last line.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_root

"$LOCAL_K8S_DIR/status.sh" --quiet 2>/dev/null && die "check-up-lock.sh needs the cluster down (scripts/local-k8s/down.sh)"
out="$(mktemp -d)"
log "check-up-lock: starting two up.sh at once"
"$LOCAL_K8S_DIR/up.sh" >"$out/a.out" 2>"$out/a.err" & a=$!
"$LOCAL_K8S_DIR/up.sh" >"$out/b.out" 2>"$out/b.err" & b=$!
ra=0; rb=0
wait "$a" || ra=$?
wait "$b" || rb=$?

failed=0
check() { # description command...
  local what="$1"; shift
  if "$@" >/dev/null 2>&1; then log "check-up-lock: ok   $what"; else log "check-up-lock: FAIL $what"; failed=1; fi
}
check "the first up.sh succeeded (exit $ra)" test "$ra" = 0
check "the second up.sh succeeded (exit $rb)" test "$rb" = 0
check "both printed the same kubeconfig" bash -c "[ -s '$out/a.out' ] && [ \"\$(tail -n 1 '$out/a.out')\" = \"\$(tail -n 1 '$out/b.out')\" ]"
check "one of them waited for the other" bash -c "grep -qh 'waiting for it' '$out/a.err' '$out/b.err'"
# By command line (a process name is cut at 15 characters): "<path>/<name> ..." or "<name> ...". With the
# second cluster, two of its binaries run (<name> and second-<name>): the processes must be exactly those
# of the pid files.
same_pids() { # binary component...
  local binary="$1" c; shift
  [ "$(pgrep -f -- "(^|/)$binary( |\$)" | sort)" = "$(for c in "$@"; do cat "$RUN_DIR/$c.pid"; done | sort)" ]
}
second_all="$SECOND_COMPONENTS"
[ "$SECOND_NODE" != 1 ] || second_all="$second_all $SECOND_NODE_COMPONENTS"
for c in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy kwok; do
  names=()
  [ "$c" = kwok ] && [ "$KWOK_NODES" = 0 ] || names+=("$c")
  if [ "$SECOND_CLUSTER" != 0 ] && [[ " $second_all " == *" second-$c "* ]] &&
      { [ "$c" != kwok ] || [ "$SECOND_KWOK_NODES" != 0 ]; }; then
    names+=("second-$c")
  fi
  check "one $c per cluster (${names[*]}), each the one its pid file names" same_pids "$c" "${names[@]}"
done
check "the clusters are healthy" "$LOCAL_K8S_DIR/status.sh" --quiet
if [ "$failed" != 0 ]; then
  log "check-up-lock: the two runs' output: $out"
  die "check-up-lock: two up.sh at once raced"
fi
rm -rf "$out"
log "check-up-lock: two up.sh at once: one started the cluster, the other waited and reused it"
echo "$KUBECONFIG_PATH"
