package io.sparkk8s.internal.kube;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a pod read from the cluster says, read the same way by every part of the client: a label,
 * the application it belongs to, when it was created and when its containers finished, and the
 * SDK's own mark of an idle stop. Reads only: what a value means is for the part that asks.
 */
final class PodFacts {
  /** On the driver pod: set to {@code idle} just before the SDK deletes an idle server. */
  static final String STOPPED = "sparkk8s.io/stopped";
  /** The port of a driver's Spark UI and REST API, which the client reads through the proxy. */
  static final int UI_PORT = 4040;

  private PodFacts() {}

  /** The value of label {@code key} on {@code x}, or null. */
  static String label(KubernetesObject x, String key) {
    Map<String, String> labels = x.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  /** The application id Spark labels the pod with, or "" when it has none. */
  static String appIdOf(V1Pod pod) {
    return Objects.toString(label(pod, "spark-app-selector"), "");
  }

  /** When the last of the pod's containers finished, if any has. */
  static Optional<Instant> finishedAt(V1Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .map(V1ContainerStatus::getState)
        .filter(s -> s != null && s.getTerminated() != null
            && s.getTerminated().getFinishedAt() != null)
        .map(s -> s.getTerminated().getFinishedAt().toInstant())
        .max(Instant::compareTo);
  }

  /** When the pod was created, if the API server said. */
  static Optional<Instant> createdAt(V1Pod pod) {
    return Optional.ofNullable(pod.getMetadata().getCreationTimestamp())
        .map(OffsetDateTime::toInstant);
  }

  /** Whether the SDK stopped this driver for being idle. */
  static boolean stoppedIdle(V1Pod pod) {
    var a = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
    return a != null && "idle".equals(a.get(STOPPED));
  }
}
