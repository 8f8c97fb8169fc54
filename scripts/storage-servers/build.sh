#!/usr/bin/env bash
# Builds (once) the storage servers the sparkk8s-storage tests run against, from their Go modules, into
# $SPARKK8S_CACHE_DIR/bin (default ~/.cache/sparkk8s/bin):
#   fake-gcs-server  github.com/fsouza/fake-gcs-server  (the GCS JSON API)
#   versitygw        github.com/versity/versitygw       (an S3 gateway over a POSIX directory, SigV4 auth)
# MinIO publishes no semantic versions to the Go module proxy (its RELEASE.* tags are refused), so the S3
# server is versitygw: a real S3 implementation, built from source like the rest.
#
#   scripts/storage-servers/build.sh [fake-gcs-server|versitygw|all]
#
# Idempotent: a stamp keyed by the content of the module files skips the build next time. Prints, one per
# line, the path of each binary it was asked for. Needs Go >= 1.25 on PATH (or in /usr/local/go/bin).
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="${SPARKK8S_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sparkk8s}"
LOG_DIR="$CACHE_DIR/logs"
mkdir -p "$LOG_DIR"
log() { printf '%s [storage-servers] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || die "Go (>= 1.25) is needed to build the storage servers; install it or put it on PATH"

build() { # name main-package
  local name="$1" pkg="$2" mod="$DIR/gobuild/$1"
  local version; version="$(awk -v p="${pkg%%/cmd/*}" '$1==p {print $2} $1=="require" && $2==p {print $3}' "$mod/go.mod")"
  local out="$CACHE_DIR/bin/$name-$version"
  local stamp="$out/.stamp-$(cat "$mod/go.mod" "$mod/go.sum" | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    # One build at a time across concurrent test runs.
    exec 9>"$CACHE_DIR/bin/.$name.lock"
    flock 9
    if [ ! -f "$stamp" ]; then
      log "building $name $version (first time only, a few minutes), log: $LOG_DIR/build-$name.log"
      local tmp="$out.tmp"
      rm -rf "$tmp"; mkdir -p "$tmp"
      (cd "$mod" && CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "-s -w" -o "$tmp/$name" "$pkg") \
          >"$LOG_DIR/build-$name.log" 2>&1 || die "$name build failed, see $LOG_DIR/build-$name.log"
      rm -rf "$out"; mv "$tmp" "$out"; touch "$stamp"
    fi
    exec 9>&-
  fi
  echo "$out/$name"
}

mkdir -p "$CACHE_DIR/bin"
case "${1:-all}" in
  fake-gcs-server) build fake-gcs-server github.com/fsouza/fake-gcs-server ;;
  versitygw) build versitygw github.com/versity/versitygw/cmd/versitygw ;;
  all) build fake-gcs-server github.com/fsouza/fake-gcs-server; build versitygw github.com/versity/versitygw/cmd/versitygw ;;
  *) die "unknown server: $1" ;;
esac
