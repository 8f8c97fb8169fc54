package io.sparkk8s.conformance.reference;

import static java.util.Objects.requireNonNull;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Service;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Apache Spark's own cluster-mode {@code spark-submit} sends to the API server for one
 * submission, as client-java objects (see {@link SparkReference#submit}).
 *
 * <p>Objects are exactly as Spark sent them: the driver pod as passed to {@code create} (Spark
 * sets no namespace on it; the client's namespace applies), the others as passed to the last
 * server-side apply, so with the owner reference to the driver pod whose uid is
 * {@link SparkReference#DRIVER_POD_UID}.
 *
 * @param driverPod the driver pod, fully assembled as {@code Client.run} creates it: the driver
 *     container last among the containers, with the {@code SPARK_CONF_DIR} env var and the mount
 *     of the {@code spark-conf-volume-driver} ConfigMap volume
 * @param configMap the {@code spark-drv-<id>-conf-map} ConfigMap: keys {@code spark.properties},
 *     {@code spark.kubernetes.namespace} and the files of {@code SPARK_CONF_DIR}, if any
 * @param otherResources the other objects Spark applies, in its order: the driver's
 *     pre-resources (applied before the pod is created), then its other resources (the headless
 *     driver Service, and any Secret, ConfigMap or PersistentVolumeClaim); client-java typed
 *     ({@code V1Service}, ...), or {@code DynamicKubernetesObject} for a kind client-java lacks
 * @param sparkProperties the {@code spark.properties} key of the ConfigMap, parsed, sorted by key
 * @param resourceNamePrefix the random prefix Spark generated ({@code <app-name>-<uniqueID>}),
 *     to normalise names in comparisons
 * @param configMapName the ConfigMap's name. Spark picks it once per JVM, so within one
 *     {@link SparkReference} every submission has the same one.
 */
public record ReferenceSubmission(
    V1Pod driverPod,
    V1ConfigMap configMap,
    List<Object> otherResources,
    Map<String, String> sparkProperties,
    String resourceNamePrefix,
    String configMapName) {

  public ReferenceSubmission {
    requireNonNull(driverPod, "driverPod");
    requireNonNull(configMap, "configMap");
    otherResources = List.copyOf(otherResources);
    sparkProperties = Collections.unmodifiableMap(new TreeMap<>(sparkProperties));
    requireNonNull(resourceNamePrefix, "resourceNamePrefix");
    requireNonNull(configMapName, "configMapName");
  }

  /** The headless driver Service ({@code <prefix>-driver-svc}). */
  public V1Service driverService() {
    List<V1Service> services = resources(V1Service.class);
    if (services.size() != 1) {
      throw new IllegalStateException(
          "expected one Service among Spark's resources, found " + services.size());
    }
    return services.get(0);
  }

  /**
   * The container Spark built for the driver: the last one of the pod ({@code Client.run} appends
   * it after any other container of a pod template).
   */
  public V1Container driverContainer() {
    List<V1Container> containers = driverPod.getSpec().getContainers();
    return containers.get(containers.size() - 1);
  }

  /** The {@link #otherResources} of one type, in order. */
  public <T> List<T> resources(Class<T> type) {
    return otherResources.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
