#!/bin/bash
# Entrypoint of the locally built apache/spark image. Written for sparkk8s from the documented contract
# of the official image (apache/spark-docker, entrypoint.sh.template), not copied from it:
#   driver ARGS   -> spark-submit in client mode inside the driver pod, bound to the pod IP
#   executor      -> KubernetesExecutorBackend with the SPARK_EXECUTOR_* / SPARK_DRIVER_URL env Spark sets
#   anything else -> run as given (history server, shuffle service, a shell)
# Both Spark roles run under tini so signals reach the JVM and zombies are reaped.
set -eo pipefail

: "${SPARK_HOME:=/opt/spark}"

# Random UIDs (OpenShift-style security contexts) have no passwd entry; Hadoop's UserGroupInformation
# needs one, so give the process a synthetic entry through libnss_wrapper when it is missing.
ensure_passwd_entry() {
  local uid gid lib
  uid="$(id -u)"; gid="$(id -g)"
  getent passwd "$uid" >/dev/null 2>&1 && return 0
  for lib in /usr/lib/*/libnss_wrapper.so /usr/lib/libnss_wrapper.so; do
    [ -s "$lib" ] || continue
    export NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP LD_PRELOAD="$lib"
    NSS_WRAPPER_PASSWD="$(mktemp)"; NSS_WRAPPER_GROUP="$(mktemp)"
    echo "spark:x:$uid:$gid:${SPARK_USER_NAME:-anonymous uid}:$SPARK_HOME:/bin/false" >"$NSS_WRAPPER_PASSWD"
    echo "spark:x:$gid:" >"$NSS_WRAPPER_GROUP"
    return 0
  done
}

# When the pod runs as root, drop to the image's spark user like the official image does.
as_spark_user() {
  if [ "$(id -u)" = 0 ]; then echo gosu spark; fi
}

JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"

classpath="${SPARK_CLASSPATH:+$SPARK_CLASSPATH:}$SPARK_HOME/jars/*"
[ -n "${SPARK_EXTRA_CLASSPATH:-}" ] && classpath="$classpath:$SPARK_EXTRA_CLASSPATH"
if [ -n "${HADOOP_HOME:-}" ] && [ -z "${SPARK_DIST_CLASSPATH:-}" ]; then
  SPARK_DIST_CLASSPATH="$("$HADOOP_HOME/bin/hadoop" classpath)"
  export SPARK_DIST_CLASSPATH
fi
[ -n "${HADOOP_CONF_DIR+x}" ] && classpath="$HADOOP_CONF_DIR:$classpath"
# Spark mounts the driver's/executors' spark.properties at SPARK_CONF_DIR; it must come first.
classpath="${SPARK_CONF_DIR:-$SPARK_HOME/conf}:$classpath"
# SPARK-43540: files fetched into the working directory are on the executor's classpath.
classpath="$classpath:$PWD"

[ -n "${PYSPARK_PYTHON+x}" ] && export PYSPARK_PYTHON
[ -n "${PYSPARK_DRIVER_PYTHON+x}" ] && export PYSPARK_DRIVER_PYTHON

java_opts=()
for name in "${!SPARK_JAVA_OPT_@}"; do
  java_opts+=("${!name}")
done

role="${1:-}"
case "$role" in
  driver)
    shift
    ensure_passwd_entry
    exec $(as_spark_user) /usr/bin/tini -s -- "$SPARK_HOME/bin/spark-submit" \
      --conf "spark.driver.bindAddress=$SPARK_DRIVER_BIND_ADDRESS" \
      --conf "spark.executorEnv.SPARK_DRIVER_POD_IP=$SPARK_DRIVER_BIND_ADDRESS" \
      --deploy-mode client "$@"
    ;;
  executor)
    shift
    ensure_passwd_entry
    exec $(as_spark_user) /usr/bin/tini -s -- "$JAVA_HOME/bin/java" "${java_opts[@]}" \
      -Xms"$SPARK_EXECUTOR_MEMORY" -Xmx"$SPARK_EXECUTOR_MEMORY" \
      -cp "$classpath:${SPARK_DIST_CLASSPATH:-}" \
      org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend \
      --driver-url "$SPARK_DRIVER_URL" \
      --executor-id "$SPARK_EXECUTOR_ID" \
      --cores "$SPARK_EXECUTOR_CORES" \
      --app-id "$SPARK_APPLICATION_ID" \
      --hostname "$SPARK_EXECUTOR_POD_IP" \
      --resourceProfileId "$SPARK_RESOURCE_PROFILE_ID" \
      --podName "$SPARK_EXECUTOR_POD_NAME"
    ;;
  *)
    ensure_passwd_entry
    exec "$@"
    ;;
esac
