#!/usr/bin/env bash
# Measures flakiness: runs the chosen E2E classes N times against a running cluster and prints how
# often each test passed. A test that fails once in ten is a bug to find, not a test to retry: this
# script never reruns a failure to make it pass, it counts.
#
#   scripts/e2e-rerun.sh [-n N] Class[#method] [Class ...]      e.g. -n 10 WatchExpiryE2E NodeLossE2E
#
# Cluster: SPARKK8S_IT_KUBECONFIG, else the local cluster's kubeconfig (scripts/local-k8s/up.sh must
# have run). Every run's failsafe reports are kept under target/e2e-rerun/<run>/; the summary
# lists, per test, passes of runs and the first line of each distinct failure.
#
# Runs hold a lock (SPARKK8S_E2E_LOCK, default /tmp/sparkk8s-e2e.lock): exclusive when a chosen
# class is tagged disruptive (it restarts parts of the cluster), shared otherwise, so that other E2E
# runs that take the same lock do not overlap with an API server restart.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs=10
if [ "${1:-}" = -n ]; then runs="${2:?-n needs a number}"; shift 2; fi
[ "$#" -gt 0 ] || { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
case "$runs" in ''|*[!0-9]*) echo "e2e-rerun: -n takes a whole number, not '$runs'" >&2; exit 2;; esac

kubeconfig="${SPARKK8S_IT_KUBECONFIG:-${SPARKK8S_STATE_DIR:-/var/lib/sparkk8s-local}/admin.kubeconfig}"
# The fleet's tests' second cluster: the local one's, when it runs (see scripts/local-k8s/up.sh).
second="${SPARKK8S_STATE_DIR:-/var/lib/sparkk8s-local}/second/admin.kubeconfig"
if [ -z "${SPARKK8S_IT_SECOND_KUBECONFIG:-}" ] && [ -r "$second" ]; then export SPARKK8S_IT_SECOND_KUBECONFIG="$second"; fi
# The local cluster's component logs, as scripts/test.sh gives them: tests that need the local
# cluster itself (node directories behind claims, PlatformE2E) skip without them.
if [ -z "${SPARKK8S_IT_KUBECONFIG:-}" ] && [ -z "${SPARKK8S_IT_CLUSTER_LOGS:-}" ]; then
  export SPARKK8S_IT_CLUSTER_LOGS="${SPARKK8S_STATE_DIR:-/var/lib/sparkk8s-local}/logs"
fi
[ -r "$kubeconfig" ] || { echo "e2e-rerun: no cluster: $kubeconfig is not readable (run scripts/local-k8s/up.sh, or set SPARKK8S_IT_KUBECONFIG)" >&2; exit 2; }

lock_mode=-s
module=
for c in "$@"; do
  file=$(find sparkk8s-*/src/test -name "${c%%#*}.java" | head -n 1)
  [ -n "$file" ] || { echo "e2e-rerun: no test class ${c%%#*}" >&2; exit 2; }
  grep -q '@Tag("disruptive")' "$file" && lock_mode=-x
  # The module whose failsafe runs the class: one per invocation.
  [ -z "$module" ] || [ "$module" = "${file%%/*}" ] \
    || { echo "e2e-rerun: ${c%%#*} is in ${file%%/*}, not $module: one module per run" >&2; exit 2; }
  module="${file%%/*}"
done
selection=$(IFS=,; echo "$*")
out="$module/target/e2e-rerun/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
lock="${SPARKK8S_E2E_LOCK:-/tmp/sparkk8s-e2e.lock}"

echo "e2e-rerun: $selection, $runs runs, cluster $kubeconfig, reports in $out"
mvn -B -q -pl "$module" -am test-compile -DskipTests >"$out/compile.log" 2>&1 \
  || { echo "e2e-rerun: compiling failed, see $out/compile.log" >&2; exit 1; }
# The tally of the first $1 runs; also printed when the loop is stopped early (Ctrl-C, a time limit).
summary() {
python3 - "$out" "$1" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
out, runs = sys.argv[1], int(sys.argv[2])
tally = {}
for i in range(1, runs + 1):
    seen = set()
    for f in glob.glob(os.path.join(out, f"run-{i}", "TEST-*.xml")):
        for case in ET.parse(f).getroot().iter("testcase"):
            name = case.get("classname").rsplit(".", 1)[-1] + "." + case.get("name")
            if name in seen:
                continue
            seen.add(name)
            t = tally.setdefault(name, {"passed": 0, "ran": 0, "skipped": 0, "failures": {}})
            bad = case.find("failure") if case.find("failure") is not None else case.find("error")
            if case.find("skipped") is not None:
                t["skipped"] += 1
                continue
            t["ran"] += 1
            if bad is None:
                t["passed"] += 1
            else:
                first = (bad.get("message") or bad.get("type") or "").strip().splitlines()
                key = first[0][:160] if first else bad.get("type", "?")
                t["failures"].setdefault(key, []).append(i)
print(f"\ne2e-rerun summary ({runs} runs):")
flaky = False
for name in sorted(tally):
    t = tally[name]
    mark = "  " if t["passed"] == runs else "  <-- "
    flaky |= t["passed"] != runs
    print(f"  {t['passed']:>3}/{runs} passed{mark}{name}" + (f" ({t['skipped']} skipped)" if t["skipped"] else ""))
    for msg, which in t["failures"].items():
        print(f"         runs {which}: {msg}")
if not tally:
    print("  no test ran: check the class names and the run logs")
    sys.exit(1)
# Runs with no report at all (the JVM died, the cluster was gone) count as failures of every test.
sys.exit(1 if flaky else 0)
PY
}
done_runs=0
trap 'echo "e2e-rerun: stopped after $done_runs runs"; summary "$done_runs"; exit 130' INT TERM
start=$SECONDS
for i in $(seq 1 "$runs"); do
  t0=$SECONDS
  rm -rf "$module/target/failsafe-reports"
  set +e
  flock "$lock_mode" "$lock" env SPARKK8S_IT_KUBECONFIG="$kubeconfig" \
    mvn -B -pl "$module" verify -Pe2e -Dsparkk8s.skipUnitTests=true \
      -Dit.test="$selection" -Dfailsafe.failIfNoSpecifiedTests=false >"$out/run-$i.log" 2>&1
  rc=$?
  set -e
  mkdir -p "$out/run-$i"
  cp "$module"/target/failsafe-reports/TEST-*.xml "$out/run-$i/" 2>/dev/null || true
  took=$((SECONDS - t0)); elapsed=$((SECONDS - start))
  left=$(( elapsed / i * (runs - i) ))
  done_runs=$i
  echo "e2e-rerun: run $i/$runs: $([ $rc = 0 ] && echo passed || echo "FAILED (exit $rc, $out/run-$i.log)") in ${took}s; about $((left / 60)) min $((left % 60)) s left"
done

summary "$runs"
