package io.sparkk8s;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a job (its current attempt) reached each step, as the API server recorded it, and the
 * durations between. Times are absent until the step happened (or when it never will: a driver
 * that never ran has no running time).
 *
 * <pre>{@code
 * JobMetrics m = handle.metrics();
 * m.timeToRunning().ifPresent(d -> log.info("{} waited {} to start", handle.name(), d));
 * }</pre>
 *
 * <p>Sources: submitted is the driver pod's {@code creationTimestamp}; scheduled the
 * {@code lastTransitionTime} of its {@code PodScheduled=True} condition; running the driver
 * container's {@code startedAt}; first executor the earliest {@code creationTimestamp} of the job's
 * executor pods; finished the driver container's {@code finishedAt}. The API server stores them in
 * whole seconds.
 */
public final class JobMetrics {
  private static final JobMetrics NONE = new JobMetrics(null, null, null, null, null);

  private final Instant submitted;
  private final Instant scheduled;
  private final Instant running;
  private final Instant firstExecutor;
  private final Instant finished;

  private JobMetrics(Instant submitted, Instant scheduled, Instant running, Instant firstExecutor,
      Instant finished) {
    this.submitted = submitted;
    this.scheduled = scheduled;
    this.running = running;
    this.firstExecutor = firstExecutor;
    this.finished = finished;
  }

  /** Nothing known yet. */
  public static JobMetrics none() {
    return NONE;
  }

  /** Metrics with these times; {@code null} for a step not reached. */
  public static JobMetrics of(Instant submitted, Instant scheduled, Instant running,
      Instant firstExecutor, Instant finished) {
    return new JobMetrics(submitted, scheduled, running, firstExecutor, finished);
  }

  /** When the driver pod was created. */
  public Optional<Instant> submittedAt() {
    return Optional.ofNullable(submitted);
  }

  /** When the scheduler bound the driver pod to a node. */
  public Optional<Instant> driverScheduledAt() {
    return Optional.ofNullable(scheduled);
  }

  /** When the driver container started. */
  public Optional<Instant> driverRunningAt() {
    return Optional.ofNullable(running);
  }

  /** When the first executor pod was created. */
  public Optional<Instant> firstExecutorAt() {
    return Optional.ofNullable(firstExecutor);
  }

  /** When the driver container ended. */
  public Optional<Instant> finishedAt() {
    return Optional.ofNullable(finished);
  }

  /** From submitted to scheduled: the wait for a node. */
  public Optional<Duration> timeToScheduled() {
    return between(submitted, scheduled);
  }

  /** From submitted to the driver running: scheduling, image pull and container start. */
  public Optional<Duration> timeToRunning() {
    return between(submitted, running);
  }

  /** From submitted to the first executor pod. */
  public Optional<Duration> timeToFirstExecutor() {
    return between(submitted, firstExecutor);
  }

  /** From the driver running to its end: the application's own run time. */
  public Optional<Duration> runTime() {
    return between(running, finished);
  }

  /** From submitted to the end. */
  public Optional<Duration> totalTime() {
    return between(submitted, finished);
  }

  private static Optional<Duration> between(Instant from, Instant to) {
    return from == null || to == null ? Optional.empty() : Optional.of(Duration.between(from, to));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobMetrics m && Objects.equals(submitted, m.submitted)
        && Objects.equals(scheduled, m.scheduled) && Objects.equals(running, m.running)
        && Objects.equals(firstExecutor, m.firstExecutor) && Objects.equals(finished, m.finished);
  }

  @Override
  public int hashCode() {
    return Objects.hash(submitted, scheduled, running, firstExecutor, finished);
  }

  @Override
  public String toString() {
    return "JobMetrics{submitted=" + submitted + ", toScheduled=" + timeToScheduled().orElse(null)
        + ", toRunning=" + timeToRunning().orElse(null) + ", toFirstExecutor="
        + timeToFirstExecutor().orElse(null) + ", runTime=" + runTime().orElse(null)
        + ", total=" + totalTime().orElse(null) + "}";
  }
}
