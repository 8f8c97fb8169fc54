#!/usr/bin/env bash
# Records the README's main example (SparkPiLauncher) in a terminal and renders the recording as
# the SVG the README shows: src/site/resources/images/launcher.svg. Uses asciinema (PyPI) to run
# the launcher in a pseudo-terminal of 110x6 and svg-term-cli (npm) to draw it; both are
# installed under target/record on the first run. Needs the local cluster (started here when it
# is not up) and root, as scripts/local-k8s/up.sh does.
#
#   scripts/record-launcher.sh [slices]        (default 2000: long enough to watch the bar move)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
slices="${1:-2000}"
work="$PWD/target/record"
mkdir -p "$work" src/site/resources/images
if [ ! -x "$work/venv/bin/asciinema" ]; then
  echo "record-launcher: installing asciinema 2.4.0 into $work/venv" >&2
  python3 -m venv "$work/venv" && "$work/venv/bin/pip" install -q asciinema==2.4.0
fi
if [ ! -x "$work/node_modules/.bin/svg-term" ]; then
  echo "record-launcher: installing svg-term-cli 2.1.1 into $work" >&2
  (cd "$work" && npm install --silent --no-save --prefix "$work" svg-term-cli@2.1.1)
fi
kubeconfig="$(scripts/local-k8s/up.sh | tail -n 1)"
mvn -B -q install -DskipTests
mvn -B -q -pl sparkk8s-examples dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" >/dev/null
cp="$(cat "$work/classpath.txt")"
cmd="java -cp sparkk8s-examples/target/classes:$cp -Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
cmd="$cmd io.sparkk8s.examples.SparkPiLauncher default $slices"
echo "record-launcher: recording the launcher (SparkPi, $slices slices)" >&2
KUBECONFIG="$kubeconfig" "$work/venv/bin/asciinema" rec --overwrite --quiet --cols 110 --rows 6 \
  -c "$cmd" "$work/launcher.cast"
"$work/node_modules/.bin/svg-term" --in "$work/launcher.cast" \
  --out src/site/resources/images/launcher.svg --window --no-cursor --width 110 --height 6
echo "record-launcher: src/site/resources/images/launcher.svg ($(wc -c < src/site/resources/images/launcher.svg) bytes)" >&2
