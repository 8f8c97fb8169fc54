package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.sparkk8s.JobMetrics;
import io.sparkk8s.internal.compile.BasicDriverStep;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** The pure reading of {@link JobMetrics} from pods: the API server's own timestamps. */
public final class Timings {
  private Timings() {}

  /** A job's metrics from its driver pod and the earliest executor creation seen (or null). */
  public static JobMetrics of(V1Pod driver, Instant firstExecutor) {
    Instant scheduled = null;
    if (driver.getStatus() != null && driver.getStatus().getConditions() != null) {
      for (V1PodCondition c : driver.getStatus().getConditions()) {
        if ("PodScheduled".equals(c.getType()) && "True".equals(c.getStatus())) {
          scheduled = instant(c.getLastTransitionTime());
        }
      }
    }
    Instant running = null;
    Instant finished = null;
    Optional<V1ContainerState> state = driverState(driver);
    if (state.isPresent()) {
      V1ContainerState s = state.get();
      if (s.getRunning() != null) {
        running = instant(s.getRunning().getStartedAt());
      } else if (s.getTerminated() != null) {
        running = instant(s.getTerminated().getStartedAt());
        finished = instant(s.getTerminated().getFinishedAt());
      }
    }
    return JobMetrics.of(instant(driver.getMetadata().getCreationTimestamp()), scheduled, running,
        firstExecutor, finished);
  }

  /** What is known now combined with a newer reading: times once known stay; executors' min. */
  public static JobMetrics merge(JobMetrics known, JobMetrics newer) {
    return JobMetrics.of(
        newer.submittedAt().or(known::submittedAt).orElse(null),
        newer.driverScheduledAt().or(known::driverScheduledAt).orElse(null),
        newer.driverRunningAt().or(known::driverRunningAt).orElse(null),
        min(known.firstExecutorAt(), newer.firstExecutorAt()),
        newer.finishedAt().or(known::finishedAt).orElse(null));
  }

  static Instant creation(V1Pod pod) {
    return instant(pod.getMetadata().getCreationTimestamp());
  }

  private static Instant min(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b.orElse(null);
    }
    return b.isEmpty() || a.get().isBefore(b.get()) ? a.get() : b.get();
  }

  private static Optional<V1ContainerState> driverState(V1Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    var statuses = pod.getStatus().getContainerStatuses();
    return statuses.stream().filter(s -> BasicDriverStep.CONTAINER_NAME.equals(s.getName()))
        .findFirst().or(() -> statuses.stream().findFirst()).map(V1ContainerStatus::getState);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
