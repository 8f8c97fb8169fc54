#!/usr/bin/env bash
# Runs the benchmark suite (issue 7): compile cost, submit latency and throughput beside
# spark-submit and the raw client-java floor, tracking scale on KWOK nodes. See
# src/site/markdown/benchmarks.md.
#
#   scripts/bench.sh            full run; writes src/site/resources/benchmarks/{results.md,results.csv,chart.svg}
#                               and the results section of src/site/markdown/benchmarks.md
#   scripts/bench.sh --quick    smoke run with small numbers; writes sparkk8s-core/target/bench/quick/
#   scripts/bench.sh --soak     the soak alone (issue 17): one client, 20,000 jobs in waves of 1,000 over 200
#                               namespaces, retention deleting them; heap, threads and handles over time. Writes
#                               src/site/resources/benchmarks/{soak.md,soak.csv,soak.svg} and the page's soak
#                               section (--soak=JOBS/NAMESPACES/WAVE for other sizes, --quick for a smoke run)
#   extra arguments:            --sizes=1000,5000  --threads=16,64  --skip=compile,placement,latency,throughput,tracking
#                               --heavy-after=HH:MM (hold the 5,000+ job sizes until then, UTC; shared clusters)
#
# Cluster: SPARKK8S_BENCH_KUBECONFIG (any cluster with a KWOK controller managing nodes annotated
# kwok.x-k8s.io/node=fake and the apache/spark image), else the local cluster of
# scripts/local-k8s/up.sh (started if needed; Linux, root). The benchmark heap is -Xmx6g unless
# SPARKK8S_BENCH_XMX says otherwise. Never part of the test suites.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${SPARKK8S_BENCH_KUBECONFIG:-}" ]; then
  if ! kubeconfig="$(scripts/local-k8s/up.sh | tail -n 1)"; then
    echo "scripts/bench.sh: the local cluster did not come up; give SPARKK8S_BENCH_KUBECONFIG instead" >&2
    exit 1
  fi
  export SPARKK8S_BENCH_KUBECONFIG="$kubeconfig"
fi

args="${*:---full}"
# test-compile resolves Spark's jars for spark-submit (target/spark-oracle) and builds the suite.
exec mvn -B -q -pl sparkk8s-core -Pbench -Dbench.args="$args" -Dbench.xmx="${SPARKK8S_BENCH_XMX:-6g}" \
  test-compile exec:exec@bench
