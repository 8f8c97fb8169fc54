package io.sparkk8s.internal.compile;

import io.kubernetes.client.common.KubernetesObject;
import java.util.List;
import java.util.Map;

/**
 * One concern of the driver's construction, as Spark's {@code KubernetesFeatureConfigStep}: it
 * extends the pod it is given (never replaces it, or earlier steps' work would be lost), and may
 * add Spark properties for the driver and extra objects. Steps are pure functions of the
 * {@link DriverContext}; the compiler folds them in order.
 */
public interface FeatureStep {
  /** Adds this step's concern to {@code pod} and returns it. */
  SparkPod configurePod(SparkPod pod, DriverContext ctx);

  /** Properties this step adds to the driver's {@code spark.properties}. */
  default Map<String, String> systemProperties(DriverContext ctx) {
    return Map.of();
  }

  /**
   * Objects created before the driver (Spark's {@code getAdditionalPreKubernetesResources}), made
   * owned by the driver once it exists.
   */
  default List<KubernetesObject> preResources(DriverContext ctx) {
    return List.of();
  }

  /** Objects created with the driver, owned by it. */
  default List<KubernetesObject> additionalResources(DriverContext ctx) {
    return List.of();
  }
}
