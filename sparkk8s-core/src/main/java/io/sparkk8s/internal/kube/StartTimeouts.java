package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.api.ApiErrors;
import io.sparkk8s.api.ApiRetry;
import io.sparkk8s.exception.KubernetesApiException;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * {@code SparkJob.startTimeout}: a job whose driver is not running when its timeout is due ends
 * FAILED ({@link io.sparkk8s.JobReasons#START_TIMEOUT}) with what Kubernetes last said, and its
 * driver is deleted (by ownership, the rest of its objects). Runs on a {@link Timers} worker.
 */
final class StartTimeouts {
  private static final Logger LOG = Log.LOG;
  private final CoreV1Api core;
  private final ApiRetry retry;
  private final DriverDeletion deleteDriver;

  /** Deletes a driver pod (namespace, name, in the foreground or not). */
  interface DriverDeletion {
    void delete(String namespace, String name, boolean foreground);
  }

  StartTimeouts(CoreV1Api core, ApiRetry retry, DriverDeletion deleteDriver) {
    this.core = core;
    this.retry = retry;
    this.deleteDriver = deleteDriver;
  }

  /**
   * Ends a job whose driver is not running after its start timeout: FAILED with reason
   * StartTimeout, what Kubernetes last said (the pending reason and the pod's latest events), and
   * its objects deleted (the driver, and by ownership everything else).
   */
  void enforce(KubeJobHandle handle, int attempt, Duration timeout) {
    JobState last = handle.state();
    String driver = handle.name();
    if (handle.attempt() != attempt || handle.isWaiting()
        || last.phase() != JobPhase.SUBMITTED && last.phase() != JobPhase.PENDING) {
      return;
    }
    StringBuilder why = new StringBuilder("the driver was not running after ").append(timeout);
    if (!last.reason().isEmpty()) {
      why.append(": ").append(last.reason());
    }
    if (!last.message().isEmpty()) {
      why.append(" (").append(last.message()).append(')');
    }
    try {
      String events = lastEvents(handle.namespace(), driver, 3);
      if (!events.isEmpty()) {
        why.append("; events: ").append(events);
      }
    } catch (KubernetesApiException e) {
      LOG.debug("Cannot read the events of {}", handle.name(), e);
    }
    if (handle.failIfNotStarted(attempt,
        JobState.ended(JobPhase.FAILED, io.sparkk8s.JobReasons.START_TIMEOUT, why.toString()))) {
      LOG.warn("{}/{}: {}", handle.namespace(), driver, why);
      deleteDriver.delete(handle.namespace(), driver, false);
    }
  }

  /** The latest events about a pod, oldest first, as "Reason: message" joined by " | ". */
  private String lastEvents(String ns, String pod, int count) {
    var events = retry.call(new ApiErrors.Target("list", "Event", ns, pod), () -> core.listNamespacedEvent(ns)
        .fieldSelector("involvedObject.name=" + pod).execute().getItems());
    return events.stream()
        .sorted(java.util.Comparator.comparing(e -> String.valueOf(e.getLastTimestamp() != null
            ? e.getLastTimestamp() : e.getEventTime())))
        .skip(Math.max(0, events.size() - count))
        .map(e -> e.getReason() + ": " + e.getMessage())
        .collect(java.util.stream.Collectors.joining(" | "));
  }
}
