package io.sparkk8s.internal.kube;

import io.kubernetes.client.PodLogs;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.SparkProgress;
import io.sparkk8s.api.ApiErrors;
import io.sparkk8s.api.ApiRetry;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.exception.SparkK8sException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A job's driver pod through the API server: read it, delete it, wait until the job's pods and
 * services are gone, stream its log, list its events, read its progress. Every call goes through
 * the client's {@link ApiRetry}, its errors as the SDK's exceptions.
 */
final class DriverPods {
  private final CoreV1Api core;
  /** The streams client: logs are long-lived like watches. */
  private final ApiClient watchApi;
  private final ApiRetry retry;
  private final JobObjects objects;
  /** Forgets the handle of an application id: a job whose pods are gone is no longer followed. */
  private final Consumer<String> forget;

  DriverPods(CoreV1Api core, ApiClient watchApi, ApiRetry retry, JobObjects objects,
      Consumer<String> forget) {
    this.core = core;
    this.watchApi = watchApi;
    this.retry = retry;
    this.objects = objects;
    this.forget = forget;
  }

  V1Pod get(String ns, String name) {
    return retry.call(new ApiErrors.Target("get", "Pod", ns, name),
        () -> core.readNamespacedPod(name, ns).execute());
  }

  /** Deletes the driver (and by ownership the job's other objects); gone already is fine. */
  void delete(String ns, String name, boolean foreground) {
    try {
      retry.call(new ApiErrors.Target("delete", "Pod", ns, name), () -> core.deleteNamespacedPod(name, ns)
          .body(new V1DeleteOptions().propagationPolicy(foreground ? "Foreground" : "Background"))
          .execute());
    } catch (NotFoundException gone) {
      Log.LOG.debug("Driver {}/{} already gone", ns, name);
    }
  }

  /** Waits until no pod and no service of the application is left, then forgets its handle. */
  void awaitGone(String ns, String appId, String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String selector = "spark-app-selector=" + appId;
    while (true) {
      int pods = retry.call(new ApiErrors.Target("list", "Pod", ns, appId),
          () -> core.listNamespacedPod(ns).labelSelector(selector).execute().getItems().size());
      int services = retry.call(new ApiErrors.Target("list", "Service", ns, appId),
          () -> core.listNamespacedService(ns).labelSelector(selector).execute().getItems().size());
      if (pods == 0 && services == 0) {
        forget.accept(appId);
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new SparkK8sException("Job " + ns + "/" + name + " still has " + pods
            + " pods and " + services + " services after " + timeout);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SparkK8sException("Interrupted while deleting " + name, e);
      }
    }
  }

  InputStream streamLog(String ns, String name) {
    return retry.call(new ApiErrors.Target("log", "Pod", ns, name), () -> {
      try {
        return new PodLogs(watchApi).streamNamespacedPodLog(ns, name,
            io.sparkk8s.internal.compile.BasicDriverStep.CONTAINER_NAME);
      } catch (IOException e) {
        throw new ApiException(e);
      }
    });
  }

  /** A running driver's progress from its REST API; empty when it does not answer. */
  Optional<SparkProgress> progress(String ns, String name, String appId) {
    return new ProgressReader(path -> objects.send("GET", path, null), Clock.systemUTC())
        .read(ns, name, appId);
  }

  /**
   * The pod's events, oldest first, as "Reason: message (xN)"; a failed read is added to
   * {@code unavailable} instead.
   */
  List<String> events(String ns, String name, List<String> unavailable) {
    try {
      List<CoreV1Event> items = core.listNamespacedEvent(ns)
          .fieldSelector("involvedObject.kind=Pod,involvedObject.name=" + name).execute()
          .getItems();
      return items.stream()
          // Oldest first by the second each was first recorded (the scheduler's events carry a
          // microsecond eventTime, the kubelet's whole seconds), the scheduler's first in a tie.
          .sorted(Comparator.comparing((CoreV1Event e) -> firstSeen(e).truncatedTo(ChronoUnit.SECONDS))
              .thenComparing(e -> !"Scheduled".equals(e.getReason())))
          .map(e -> e.getReason() + ": " + e.getMessage()
              + (e.getCount() != null && e.getCount() > 1 ? " (x" + e.getCount() + ")" : ""))
          .toList();
    } catch (ApiException e) {
      unavailable.add("the driver pod's events: HTTP " + e.getCode());
      return List.of();
    }
  }

  private static OffsetDateTime firstSeen(CoreV1Event e) {
    if (e.getEventTime() != null) {
      return e.getEventTime();
    }
    if (e.getFirstTimestamp() != null) {
      return e.getFirstTimestamp();
    }
    return e.getMetadata().getCreationTimestamp() != null ? e.getMetadata().getCreationTimestamp()
        : OffsetDateTime.MIN;
  }
}
