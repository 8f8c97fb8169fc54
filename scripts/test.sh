#!/usr/bin/env bash
# Runs every test of the project: unit, bad-input and Spark conformance suites; then, when a real
# cluster is given, the E2E suite against it.
#
#   scripts/test.sh [extra mvn arguments]
#
# E2E cluster: SPARKK8S_IT_KUBECONFIG (any cluster: GKE, PKS, minikube, ...); else, as root on Linux,
# the local cluster of scripts/local-k8s/up.sh, started here (cold ~15 min on 2 cores, warm ~25 s;
# SPARKK8S_LOCAL_CLUSTER=false turns it off). Without either, only the suites that need no cluster
# run; no E2E test is reported as passed without a cluster. The cluster is left running for the next
# run; scripts/local-k8s/down.sh stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mvn -B verify "$@"

logs=""
local_default=false
if [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ]; then local_default=true; fi
if [ -z "${SPARKK8S_IT_KUBECONFIG:-}" ] && [ "${SPARKK8S_LOCAL_CLUSTER:-$local_default}" = true ]; then
  logs="${SPARKK8S_STATE_DIR:-/var/lib/sparkk8s-local}/logs"
  if ! kubeconfig="$(scripts/local-k8s/up.sh | tail -n 1)"; then
    echo "scripts/test.sh: the local cluster did not come up; its logs: $logs" >&2
    scripts/local-k8s/status.sh >&2 || true
    exit 1
  fi
  export SPARKK8S_IT_KUBECONFIG="$kubeconfig" SPARKK8S_IT_CLUSTER_LOGS="$logs"
fi

if [ -n "${SPARKK8S_IT_KUBECONFIG:-}" ]; then
  # The suites above already ran: this run is failsafe's *E2E classes only (-Dtest is surefire's filter).
  if ! mvn -B verify -Pe2e -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false "$@"; then
    [ -n "$logs" ] && echo "scripts/test.sh: E2E tests failed; cluster logs: $logs" >&2
    exit 1
  fi
fi
