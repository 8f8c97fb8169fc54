#!/usr/bin/env bash
# Proves that two up.sh at once do not race (a test run and the README's main command, say): with
# the cluster down, it starts two up.sh together; both must succeed and print the same kubeconfig,
# the second having waited for the first, and exactly one of each component must run, each the one
# its pid file names. Leaves the cluster up and prints its kubeconfig path as the last line.
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
# By command line (a process name is cut at 15 characters): "<path>/<name> ..." or "<name> ...".
for c in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet; do
  check "one $c, the one its pid file names" bash -c \
    "[ \"\$(pgrep -fc -- '(^|/)$c( |\$)')\" = 1 ] && [ \"\$(pgrep -f -- '(^|/)$c( |\$)')\" = \"\$(cat '$RUN_DIR/$c.pid')\" ]"
done
check "the cluster is healthy" "$LOCAL_K8S_DIR/status.sh" --quiet
if [ "$failed" != 0 ]; then
  log "check-up-lock: the two runs' output: $out"
  die "check-up-lock: two up.sh at once raced"
fi
rm -rf "$out"
log "check-up-lock: two up.sh at once: one started the cluster, the other waited and reused it"
echo "$KUBECONFIG_PATH"
