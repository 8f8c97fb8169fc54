#!/usr/bin/env bash
# Runs every test of the project in one Maven build: unit, bad-input and Spark conformance suites
# (surefire), then, when a real cluster is given, the E2E suite against it (failsafe, profile e2e);
# installs the artifacts and the BOM, then builds two consumer projects from them
# (scripts/consumer-check.sh) and the site.
#
#   scripts/test.sh [extra mvn arguments]
#
# E2E cluster: SPARKK8S_IT_KUBECONFIG (any cluster: GKE, PKS, minikube, ...); else, as root on Linux,
# the local cluster of scripts/local-k8s/up.sh, started here first (cold ~15 min on 2 cores, warm
# ~30 s; SPARKK8S_LOCAL_CLUSTER=false turns it off). Without either, only the suites that need no
# cluster run; no E2E test is reported as passed without a cluster. The cluster is left running for
# the next run; scripts/local-k8s/down.sh stops it.
#
# Second cluster (the fleet tests need two, each with its own API server): with the local cluster,
# up.sh also starts "cluster B", a control plane with a real node of its own (sparkk8s-node-b, in a
# network namespace; SPARKK8S_SECOND_NODE=0 leaves it out) and KWOK nodes (kube-apiserver on
# 127.0.0.1:6444, SPARKK8S_SECOND_API_PORT; SPARKK8S_SECOND_KWOK_NODES fake nodes kwok-b-node-N, default 1), and this
# script exports its admin kubeconfig as SPARKK8S_IT_SECOND_KUBECONFIG
# (<state dir>/second/admin.kubeconfig) unless it is set already. SPARKK8S_SECOND_CLUSTER=0 turns the
# second cluster off (then this script does not set the variable).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

logs=""
api_server_args=()
local_default=false
if [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ]; then local_default=true; fi
if [ -z "${SPARKK8S_IT_KUBECONFIG:-}" ] && [ "${SPARKK8S_LOCAL_CLUSTER:-$local_default}" = true ]; then
  logs="${SPARKK8S_STATE_DIR:-/var/lib/sparkk8s-local}/logs"
  echo "scripts/test.sh: starting the local cluster (scripts/local-k8s/up.sh) for the E2E suite" >&2
  cluster_failed() {
    echo "scripts/test.sh: $1; logs: $logs" >&2
    scripts/local-k8s/status.sh >&2 || true
    exit 1
  }
  scripts/local-k8s/up.sh >/dev/null || cluster_failed "the local cluster did not come up"
  # The API-level E2E tests (tag "api-server") run once more on a bare control plane in containers,
  # kindcontainer's through Testcontainers, on Podman's Docker-compatible API
  # (scripts/local-k8s/podman.sh: installs Podman, builds the images from the cluster's binaries,
  # starts the API; a few seconds when done before). SPARKK8S_API_SERVER_CONTAINER=false turns it off.
  if [ "${SPARKK8S_API_SERVER_CONTAINER:-true}" = true ]; then
    podman_env="$(scripts/local-k8s/podman.sh)" || cluster_failed "Podman's Docker API or its images did not come up"
    export DOCKER_HOST="$(sed -n 's/^DOCKER_HOST=//p' <<<"$podman_env")" TESTCONTAINERS_RYUK_DISABLED=true
    api_server_args=(-Dsparkk8s.it.apiServerSkip=false
      "-Dsparkk8s.it.apiServerImage=$(sed -n 's/^API_SERVER_IMAGE=//p' <<<"$podman_env")"
      "-Dsparkk8s.it.etcdImage=$(sed -n 's/^ETCD_IMAGE=//p' <<<"$podman_env")")
  fi
  # Before the suite: down.sh must remove the cluster's chains, bridge and address and nothing else
  # (a Podman container among what it must leave), and every process and file of the second cluster
  # (check-down.sh), and two up.sh at once must not race (check-up-lock.sh, whose warm start is the
  # suite's clusters): about 60 s in all.
  scripts/local-k8s/check-down.sh || cluster_failed "down.sh did not pass its check"
  kubeconfig="$(scripts/local-k8s/check-up-lock.sh | tail -n 1)" || cluster_failed "two up.sh at once did not bring the cluster up"
  export SPARKK8S_IT_KUBECONFIG="$kubeconfig" SPARKK8S_IT_CLUSTER_LOGS="$logs"
  if [ "${SPARKK8S_SECOND_CLUSTER:-1}" != 0 ]; then
    export SPARKK8S_IT_SECOND_KUBECONFIG="${SPARKK8S_IT_SECOND_KUBECONFIG:-${SPARKK8S_STATE_DIR:-/var/lib/sparkk8s-local}/second/admin.kubeconfig}"
  fi
fi

if [ -z "${SPARKK8S_IT_KUBECONFIG:-}" ]; then
  echo "scripts/test.sh: no cluster (SPARKK8S_IT_KUBECONFIG unset, local cluster off): the E2E suite does not run" >&2
  mvn -B install "$@"
elif ! mvn -B install -Pe2e "${api_server_args[@]}" "$@"; then
  echo "scripts/test.sh: tests failed; the E2E cluster: $SPARKK8S_IT_KUBECONFIG${SPARKK8S_IT_SECOND_KUBECONFIG:+, the second: $SPARKK8S_IT_SECOND_KUBECONFIG}${logs:+, their logs: $logs}" >&2
  exit 1
fi

# Projects outside the reactor, with and without the BOM, must build and run against what was just
# installed and resolve every library at the version the tests ran on.
if ! scripts/consumer-check.sh; then
  echo "scripts/test.sh: a consumer project did not build against the installed artifacts, or resolved untested versions" >&2
  exit 1
fi

# The site (src/site: every page, the benchmarks chart) must build too, so it cannot break silently.
if ! mvn -B -q -N site; then
  echo "scripts/test.sh: the site (mvn -N site) did not build" >&2
  exit 1
fi
# The reference of every public type: each module's Javadoc (its -javadoc.jar, doclint-clean) in
# the site's apidocs/, linked from the API reference page.
for module in sparkk8s-core sparkk8s-storage; do
  javadoc_jar="$(ls "$PWD/$module"/target/"$module"-*-javadoc.jar)"
  rm -rf "target/site/apidocs/$module" && mkdir -p "target/site/apidocs/$module"
  (cd "target/site/apidocs/$module" && jar xf "$javadoc_jar")
  [ -f "target/site/apidocs/$module/index.html" ] || { echo "scripts/test.sh: no Javadoc of $module in the site" >&2; exit 1; }
done
echo "scripts/test.sh: every test passed and the site built: target/site/index.html" >&2
