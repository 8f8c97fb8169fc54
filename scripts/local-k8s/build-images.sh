#!/usr/bin/env bash
# Builds the cluster's container images without Docker or a registry and writes them as image archives
# under $IMAGE_CACHE_DIR; up.sh imports them into containerd. Every piece is cached by the content of
# its inputs, so a second run does nothing.
#
#   base     Debian bookworm root filesystem (debootstrap) + JRE 17 + Python 3 + tini + gosu + nss_wrapper
#   spark    base + Spark (jars, bin, python libs from the pyspark sdist on PyPI, which is a full Spark
#            distribution built with -Pkubernetes minus the examples jar) + SparkPi compiled from Spark's
#            source + the E2E tests' programs (spark/tests-src -> /opt/spark/tests/jars/sparkk8s-e2e.jar)
#            + our entrypoint. One image per version of $SPARK_VERSIONS (the default $SPARK_VERSION and
#            the older line the SDK supports), tagged docker.io/apache/spark:<version>, uid 185. A version
#            with images/connectors/spark-<version>.xml gets one more layer: the S3A and Cloud Storage
#            connectors that pom lists, from Maven Central, in /opt/spark/jars.
#   pause    the pod sandbox image (a static Go binary)
#   coredns  CoreDNS built by build-components.sh
#   jupyter  base + JupyterLab + PySpark in a venv, tagged sparkk8s.local/jupyter:$SPARK_VERSION
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$LOG_DIR" "$IMAGE_CACHE_DIR"/{layers,archives,downloads,work}
# One build at a time: two runs at once (two test runs, or a benchmark and a test run) would build in
# the same work directories and break each other's layers.
exec 8>"$IMAGE_CACHE_DIR/.build.lock"
if ! flock -n 8; then
  log "another image build is running; waiting for it"
  flock 8
fi
IMG_DIR="$LOCAL_K8S_DIR/images"
MIRROR="${SPARKK8S_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BASE_PACKAGES="openjdk-17-jre-headless,python3,python3-venv,tini,gosu,procps,libnss-wrapper,netbase,ca-certificates"

PAUSE_IMAGE="registry.k8s.io/pause:3.10"
COREDNS_IMAGE="sparkk8s.local/coredns:$COREDNS_VERSION"
JUPYTER_IMAGE="sparkk8s.local/jupyter:$SPARK_VERSION"

# Makes a layer tarball from a directory: numeric owners, fixed mtimes off, sorted, so equal trees give equal tars.
make_layer() { # dir out [tar options...]
  local dir="$1" out="$2"; shift 2
  tar --sort=name --numeric-owner --mtime=@0 "$@" -C "$dir" -cf "$out.tmp" . && mv "$out.tmp" "$out"
}

base_layer() {
  local key; key="$(echo "$MIRROR $BASE_PACKAGES bookworm v1" | content_hash /dev/stdin)"
  BASE_LAYER="$IMAGE_CACHE_DIR/layers/base-$key.tar"
  [ -f "$BASE_LAYER" ] && return 0
  phase_start debian-base "building the Debian base layer with debootstrap" "$LOG_DIR/build-image-base.log"
  local root="$IMAGE_CACHE_DIR/work/base-rootfs"
  rm -rf "$root"
  nice -n 10 debootstrap --variant=minbase --include="$BASE_PACKAGES" bookworm "$root" "$MIRROR" \
    >"$LOG_DIR/build-image-base.log" 2>&1 || die "debootstrap failed, see $LOG_DIR/build-image-base.log"
  chroot "$root" groupadd --system --gid 185 spark
  chroot "$root" useradd --system --uid 185 --gid spark -d /nonexistent -s /usr/sbin/nologin spark
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/* "$root"/dev/* "$root"/proc/* "$root"/sys/*
  : >"$root/etc/resolv.conf"; echo sparkk8s >"$root/etc/hostname"
  make_layer "$root" "$BASE_LAYER"
  rm -rf "$root"
  phase_end
}

pyspark_sdist() { # version
  local version="${1:-$SPARK_VERSION}"
  PYSPARK_SDIST="$IMAGE_CACHE_DIR/downloads/pyspark-$version.tar.gz"
  [ -f "$PYSPARK_SDIST" ] && return 0
  log "downloading pyspark $version (the Spark distribution) from PyPI"
  python3 -m pip download --quiet --no-deps --no-binary :all: "pyspark==$version" -d "$IMAGE_CACHE_DIR/downloads" \
    >>"$LOG_DIR/build-image-spark.log" 2>&1 || die "pip download pyspark failed, see $LOG_DIR/build-image-spark.log"
}

spark_layer() { # version
  local SPARK_VERSION="$1" SCALA_BINARY_VERSION
  # Spark 3.x is built with Scala 2.12 by default, 4.x with 2.13 only.
  case "$SPARK_VERSION" in 3.*) SCALA_BINARY_VERSION=2.12 ;; *) SCALA_BINARY_VERSION=2.13 ;; esac
  pyspark_sdist "$SPARK_VERSION"
  local key; key="$({ find "$IMG_DIR/spark" -type f | sort | xargs cat; cat "$PYSPARK_SDIST" "$0"; } | content_hash /dev/stdin)"
  SPARK_LAYER="$IMAGE_CACHE_DIR/layers/spark-$SPARK_VERSION-$key.tar"
  [ -f "$SPARK_LAYER" ] && return 0
  phase_start spark-image "building the Spark $SPARK_VERSION layer" "$LOG_DIR/build-image-spark.log"
  local work="$IMAGE_CACHE_DIR/work/spark" root
  rm -rf "$work"; mkdir -p "$work/src"; root="$work/root"
  tar -xzf "$PYSPARK_SDIST" -C "$work/src" --strip-components=1
  local s="$work/src" h="$root/opt/spark"
  mkdir -p "$h/python" "$h/examples/jars" "$h/examples/src/main/python" "$h/work-dir" "$h/conf"
  cp -a "$s/deps/jars" "$s/deps/bin" "$s/deps/sbin" "$s/deps/data" "$h/"
  cp -a "$s/lib" "$h/python/lib"
  cp -a "$s/pyspark" "$h/python/pyspark"
  cp -a "$s/deps/examples/." "$h/examples/src/main/python/"
  echo "Spark $SPARK_VERSION (from pyspark $SPARK_VERSION on PyPI; built locally by sparkk8s scripts/local-k8s)" >"$h/RELEASE"
  # SparkPi from Spark's source, compiled by the Scala compiler that Spark itself ships in jars/.
  local cp; cp="$(ls "$s"/deps/jars/*.jar | tr '\n' ':')"
  mkdir -p "$work/classes"
  java -cp "$cp" scala.tools.nsc.Main -nowarn -classpath "$cp" -d "$work/classes" \
    "$IMG_DIR/spark/examples-src/SparkPi.scala" >>"$LOG_DIR/build-image-spark.log" 2>&1 \
    || die "compiling SparkPi failed, see $LOG_DIR/build-image-spark.log"
  local jarname="spark-examples_${SCALA_BINARY_VERSION}-$SPARK_VERSION.jar"
  jar --create --file "$h/examples/jars/$jarname" --date=1980-01-01T00:00:02Z -C "$work/classes" .
  ln -s "$jarname" "$h/examples/jars/spark-examples.jar"
  # The E2E tests' own programs (images/spark/tests-src), at /opt/spark/tests/jars/sparkk8s-e2e.jar.
  if [ -d "$IMG_DIR/spark/tests-src" ]; then
    mkdir -p "$work/test-classes" "$h/tests/jars"
    javac --release 17 -nowarn -cp "$cp" -d "$work/test-classes" $(find "$IMG_DIR/spark/tests-src" -name '*.java' | sort) \
      >>"$LOG_DIR/build-image-spark.log" 2>&1 || die "compiling images/spark/tests-src failed, see $LOG_DIR/build-image-spark.log"
    jar --create --file "$h/tests/jars/sparkk8s-e2e.jar" --date=1980-01-01T00:00:02Z -C "$work/test-classes" .
  fi
  install -m 0755 "$IMG_DIR/spark/entrypoint.sh" "$root/opt/entrypoint.sh"
  chmod g+w "$h/work-dir"
  # /opt/spark belongs to the spark user as in the official image; / and /opt stay root's.
  chown -R 185:185 "$h"
  make_layer "$root" "$SPARK_LAYER"
  rm -rf "$work"
  find "$IMAGE_CACHE_DIR/layers" -name "spark-$SPARK_VERSION-*.tar" ! -path "$SPARK_LAYER" -delete
  phase_end
}

# The storage connectors of images/connectors/spark-<version>.xml, copied by Maven with what they bring
# (checksums checked) into /opt/spark/jars. Sets CONNECTORS_LAYER, or empties it for a version with none.
connectors_layer() { # version
  local pom="$IMG_DIR/connectors/spark-$1.xml"
  CONNECTORS_LAYER=
  [ -f "$pom" ] || return 0
  local key; key="$(content_hash "$pom" "$0")"
  CONNECTORS_LAYER="$IMAGE_CACHE_DIR/layers/connectors-$1-$key.tar"
  [ -f "$CONNECTORS_LAYER" ] && return 0
  phase_start spark-connectors "adding the S3A and Cloud Storage connectors to Spark $1 (Maven Central)" \
    "$LOG_DIR/build-image-connectors.log"
  local work="$IMAGE_CACHE_DIR/work/connectors"; rm -rf "$work"; mkdir -p "$work/root/opt/spark/jars"
  cp "$pom" "$work/pom.xml"
  mvn -B -C -f "$work/pom.xml" dependency:copy-dependencies -DoutputDirectory="$work/root/opt/spark/jars" \
    >"$LOG_DIR/build-image-connectors.log" 2>&1 \
    || die "copying the connectors of $pom failed, see $LOG_DIR/build-image-connectors.log"
  chown -R 185:185 "$work/root/opt/spark"
  make_layer "$work/root" "$CONNECTORS_LAYER"
  rm -rf "$work"
  find "$IMAGE_CACHE_DIR/layers" -name "connectors-$1-*.tar" ! -path "$CONNECTORS_LAYER" -delete
  phase_end
}

pause_layer() {
  local mod="$LOCAL_K8S_DIR/gobuild/pause" key
  key="$(content_hash "$mod/main.go" "$mod/go.mod")"
  PAUSE_LAYER="$IMAGE_CACHE_DIR/layers/pause-$key.tar"
  [ -f "$PAUSE_LAYER" ] && return 0
  local work="$IMAGE_CACHE_DIR/work/pause"; rm -rf "$work"; mkdir -p "$work"
  (cd "$mod" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/pause" .) >"$LOG_DIR/build-image-pause.log" 2>&1 \
    || die "pause build failed, see $LOG_DIR/build-image-pause.log"
  make_layer "$work" "$PAUSE_LAYER"
  rm -rf "$work"
}

coredns_layer() {
  "$LOCAL_K8S_DIR/build-components.sh" coredns
  local key; key="$(content_hash "$COREDNS_BIN_DIR/coredns")"
  COREDNS_LAYER="$IMAGE_CACHE_DIR/layers/coredns-$key.tar"
  [ -f "$COREDNS_LAYER" ] && return 0
  local work="$IMAGE_CACHE_DIR/work/coredns"; rm -rf "$work"; mkdir -p "$work"
  cp "$COREDNS_BIN_DIR/coredns" "$work/coredns"
  make_layer "$work" "$COREDNS_LAYER"
  rm -rf "$work"
}

jupyter_layer() {
  base_layer; pyspark_sdist
  local key; key="$(content_hash "$BASE_LAYER" "$PYSPARK_SDIST" "$IMG_DIR/jupyter/requirements.txt")"
  JUPYTER_LAYER="$IMAGE_CACHE_DIR/layers/jupyter-$key.tar"
  [ -f "$JUPYTER_LAYER" ] && return 0
  phase_start jupyter-image "building the Jupyter layer (JupyterLab + PySpark from PyPI)" "$LOG_DIR/build-image-jupyter.log"
  # pip runs inside a chroot of the base image so the venv's paths and compiled wheels match the image.
  local work="$IMAGE_CACHE_DIR/work/jupyter"; rm -rf "$work"; mkdir -p "$work/root"
  tar -xf "$BASE_LAYER" -C "$work/root"
  cp /etc/resolv.conf "$work/root/etc/resolv.conf"
  cp "$PYSPARK_SDIST" "$IMG_DIR/jupyter/requirements.txt" "$work/root/tmp/"
  # The host's CA bundle: PyPI may be reached through a TLS-intercepting proxy the host trusts.
  cp /etc/ssl/certs/ca-certificates.crt "$work/root/tmp/host-ca.crt"
  mount -t proc proc "$work/root/proc"
  (env -u PIP_FIND_LINKS PIP_CERT=/tmp/host-ca.crt SSL_CERT_FILE=/tmp/host-ca.crt REQUESTS_CA_BUNDLE=/tmp/host-ca.crt \
    chroot "$work/root" /bin/sh -ec "python3 -m venv /opt/jupyter && /opt/jupyter/bin/pip install --no-cache-dir -q -r /tmp/requirements.txt /tmp/$(basename "$PYSPARK_SDIST")") \
    >"$LOG_DIR/build-image-jupyter.log" 2>&1 || { umount "$work/root/proc"; die "jupyter pip install failed, see $LOG_DIR/build-image-jupyter.log"; }
  umount "$work/root/proc"
  mkdir -p "$work/layer/opt" "$work/layer/home/jovyan"
  mv "$work/root/opt/jupyter" "$work/layer/opt/jupyter"
  chown -R 185:185 "$work/layer/opt/jupyter" "$work/layer/home/jovyan"
  make_layer "$work/layer" "$JUPYTER_LAYER"
  rm -rf "$work"
  find "$IMAGE_CACHE_DIR/layers" -name "jupyter-*.tar" ! -path "$JUPYTER_LAYER" -delete
  phase_end
}

# Writes the image archive for a set of layers unless one with the same inputs exists; prints its path.
archive() { # name tag layers... -- mkimage args...
  local name="$1" tag="$2"; shift 2
  local layers=() args=()
  while [ "$1" != "--" ]; do layers+=("$1"); shift; done; shift; args=("$@")
  local key; key="$(printf '%s\n' "$tag" "${layers[@]}" "${args[@]}" | cat - "$IMG_DIR/mkimage.py" | content_hash /dev/stdin)"
  local out="$IMAGE_CACHE_DIR/archives/$name-$key.tar"
  if [ ! -f "$out" ]; then
    local largs=(); for l in "${layers[@]}"; do largs+=(--layer "$l"); done
    python3 "$IMG_DIR/mkimage.py" --tag "$tag" "${largs[@]}" "${args[@]}" --out "$out" >/dev/null
    # Archives of older inputs are no longer needed.
    find "$IMAGE_CACHE_DIR/archives" -name "$name-*.tar" ! -path "$out" -delete
  fi
  echo "$out"
}

# One archive per Spark version, spark_<version>-<key>.tar (up.sh reads the version from the name).
build_spark()   { base_layer; local v
  for v in $SPARK_VERSIONS; do
    spark_layer "$v"; connectors_layer "$v"
    archive "spark_$v" "docker.io/apache/spark:$v" "$BASE_LAYER" "$SPARK_LAYER" $CONNECTORS_LAYER -- --entrypoint /opt/entrypoint.sh \
      --env SPARK_HOME=/opt/spark --env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 --user 185 --workdir /opt/spark/work-dir
  done
  # Archives of the one-version layout (spark-<key>.tar) are no longer imported.
  find "$IMAGE_CACHE_DIR/archives" -name "spark-*.tar" -delete; }
build_pause()   { pause_layer; archive pause "$PAUSE_IMAGE" "$PAUSE_LAYER" -- --entrypoint /pause --user 65535; }
build_coredns() { coredns_layer; archive coredns "$COREDNS_IMAGE" "$COREDNS_LAYER" -- --entrypoint /coredns; }
build_jupyter() { jupyter_layer; archive jupyter "$JUPYTER_IMAGE" "$BASE_LAYER" "$JUPYTER_LAYER" -- \
    --entrypoint /opt/jupyter/bin/jupyter --cmd=lab --cmd=--ip=0.0.0.0 --cmd=--no-browser --cmd=--ServerApp.token= \
    --env PATH=/opt/jupyter/bin:/usr/local/bin:/usr/bin:/bin --env HOME=/home/jovyan \
    --env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 --user 185 --workdir /home/jovyan; }

case "${1:-all}" in
  spark) build_spark ;; pause) build_pause ;; coredns) build_coredns ;; jupyter) build_jupyter ;;
  cluster) build_pause; build_coredns ;;
  spark-only) build_pause; build_coredns; build_spark ;;
  all) build_pause; build_coredns; build_spark; build_jupyter ;;
  *) die "unknown image ${1}" ;;
esac
