package io.sparkk8s.internal.compile;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;

/**
 * A pod under construction and its main container, kept apart until the end as Spark's own
 * {@code SparkPod} does, so every step can reach the container directly.
 */
public record SparkPod(V1Pod pod, V1Container container) {
  /** An empty pod with metadata and spec, and an empty container: the fold's start. */
  public static SparkPod initial() {
    return new SparkPod(new V1Pod().metadata(new V1ObjectMeta()).spec(new V1PodSpec()),
        new V1Container());
  }
}
