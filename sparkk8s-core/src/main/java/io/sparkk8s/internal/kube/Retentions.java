package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.spec.Retention;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Retention on the cluster: the policy is written on the driver pod as annotations, so whichever
 * client watches the namespace later (after a restart, or another process) reads and enforces it;
 * the time counts from the driver's end as the kubelet reported it.
 */
public final class Retentions {
  /** Seconds a succeeded job is kept; absent keeps it. */
  public static final String AFTER_SUCCESS = "sparkk8s.io/retain-after-success";
  /** Seconds a failed job is kept; absent keeps it. */
  public static final String AFTER_FAILURE = "sparkk8s.io/retain-after-failure";

  private Retentions() {}

  /** On the driver pod: the History Server of the job, for its UI after the end. */
  public static final String HISTORY_SERVER = "sparkk8s.io/history-server";

  /** Writes the job's retention and History Server on the driver pod. */
  public static V1Pod annotate(V1Pod driver, io.sparkk8s.spec.SparkJob job) {
    job.historyServerUrl().ifPresent(u -> driver.getMetadata().putAnnotationsItem(HISTORY_SERVER,
        u));
    return annotate(driver, job.retention());
  }

  /** Writes {@code retention} on the driver pod. */
  public static V1Pod annotate(V1Pod driver, Optional<Retention> retention) {
    retention.ifPresent(r -> {
      r.afterSuccess().ifPresent(d -> driver.getMetadata().putAnnotationsItem(AFTER_SUCCESS,
          d.toString()));
      r.afterFailure().ifPresent(d -> driver.getMetadata().putAnnotationsItem(AFTER_FAILURE,
          d.toString()));
    });
    return driver;
  }

  /** The retention written on a driver pod, if any. */
  public static Optional<Retention> of(V1Pod driver) {
    Map<String, String> a = driver.getMetadata().getAnnotations();
    if (a == null || !a.containsKey(AFTER_SUCCESS) && !a.containsKey(AFTER_FAILURE)) {
      return Optional.empty();
    }
    Retention.Builder b = Retention.builder();
    try {
      Optional.ofNullable(a.get(AFTER_SUCCESS)).map(Duration::parse).ifPresent(b::afterSuccess);
      Optional.ofNullable(a.get(AFTER_FAILURE)).map(Duration::parse).ifPresent(b::afterFailure);
    } catch (RuntimeException e) {
      // Someone edited the annotation into nonsense: keeping is the safe reading.
      return Optional.empty();
    }
    return Optional.of(b.build());
  }

  /**
   * When a finished driver's job is to be deleted: its end (the kubelet's time; the pod's creation
   * when it never ran) plus the retention of its outcome. Empty while it runs, or when kept.
   */
  public static Optional<Instant> deleteAt(V1Pod driver) {
    JobState state = DriverStates.fromPod(driver);
    if (!state.phase().isFinal()) {
      return Optional.empty();
    }
    Optional<Duration> keep = of(driver).flatMap(r -> r.after(state.phase() == JobPhase.SUCCEEDED));
    Instant ended = PodFacts.finishedAt(driver).or(() -> PodFacts.createdAt(driver))
        .orElseGet(Instant::now);
    return keep.map(ended::plus);
  }
}
