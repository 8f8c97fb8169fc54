package io.sparkk8s;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known of a job at one moment: its phase, why it is there, the driver's exit code and
 * termination message once it ended, and how many executor pods are alive.
 *
 * <pre>{@code
 * JobState s = handle.state();
 * if (s.phase() == JobPhase.FAILED) log.error("{} ({}): exit {}", s.reason(), s.message(), s.exitCode());
 * }</pre>
 */
public final class JobState {
  private final JobPhase phase;
  private final String reason;
  private final Integer exitCode;
  private final String message;
  private final int liveExecutors;
  private final Instant observedAt;

  private JobState(JobPhase phase, String reason, Integer exitCode, String message,
      int liveExecutors, Instant observedAt) {
    this.phase = Objects.requireNonNull(phase, "phase");
    this.reason = reason == null ? "" : reason;
    this.exitCode = exitCode;
    this.message = message == null ? "" : message;
    if (liveExecutors < 0) {
      throw new IllegalArgumentException("liveExecutors < 0: " + liveExecutors);
    }
    this.liveExecutors = liveExecutors;
    this.observedAt = Objects.requireNonNull(observedAt, "observedAt");
  }

  /** A state in {@code phase} with a reason and no exit code. */
  public static JobState of(JobPhase phase, String reason) {
    return new JobState(phase, reason, null, null, 0, Instant.now());
  }

  /** A final state with the driver's exit code, reason and termination message. */
  public static JobState ended(JobPhase phase, int exitCode, String reason, String message) {
    if (!phase.isFinal()) {
      throw new IllegalArgumentException("not a final phase: " + phase);
    }
    return new JobState(phase, reason, exitCode, message, 0, Instant.now());
  }

  /** A final state without an exit code (the driver never ran, or was deleted). */
  public static JobState ended(JobPhase phase, String reason, String message) {
    return new JobState(phase, reason, null, message, 0, Instant.now());
  }

  /** The final state of a job whose driver {@link SparkJobHandle#kill()} deleted. */
  public static JobState killed() {
    return ended(JobPhase.FAILED, JobReasons.KILLED,
        "the driver was deleted by SparkJobHandle.kill()");
  }

  /** The final state of a job whose driver pod was deleted, not by its handle, before it ended. */
  public static JobState driverDeleted() {
    return ended(JobPhase.FAILED, JobReasons.DRIVER_DELETED,
        "the driver pod was deleted before it ended");
  }

  /**
   * This state, updated with a newer observation, as a handle's state moves: a final state never
   * changes; a job does not go back from {@code RUNNING} to {@code PENDING} or {@code SUBMITTED}
   * (an observation out of order keeps the phase and takes its count of live executors); from
   * {@code UNKNOWN} any phase follows.
   */
  public JobState updatedWith(JobState observed) {
    if (phase.isFinal()) {
      return this;
    }
    if (rank(observed.phase) < rank(phase) && phase != JobPhase.UNKNOWN) {
      return withLiveExecutors(observed.liveExecutors);
    }
    return observed;
  }

  private static int rank(JobPhase p) {
    return switch (p) {
      case SUBMITTED -> 0;
      case PENDING -> 1;
      case RUNNING, UNKNOWN -> 2;
      case SUCCEEDED, FAILED -> 3;
    };
  }

  /** A copy with another count of live executors. */
  public JobState withLiveExecutors(int count) {
    return new JobState(phase, reason, exitCode, message, count, observedAt);
  }

  /** A copy with another termination message. */
  public JobState withMessage(String newMessage) {
    return new JobState(phase, reason, exitCode, newMessage, liveExecutors, observedAt);
  }

  public JobPhase phase() {
    return phase;
  }

  /**
   * Why, in one word: the SDK's own ({@link JobReasons#START_TIMEOUT}, {@link JobReasons#KILLED},
   * {@link JobReasons#NODE_LOST}, ...) or Kubernetes' ({@code Unschedulable},
   * {@link JobReasons#OOM_KILLED}, {@link JobReasons#ERROR}, {@link JobReasons#COMPLETED}, ...);
   * compare with the constants of {@link JobReasons}. Empty when nothing more is known.
   */
  public String reason() {
    return reason;
  }

  /** The driver container's exit code, once it terminated. */
  public Optional<Integer> exitCode() {
    return Optional.ofNullable(exitCode);
  }

  /** The driver's termination message or the scheduler's explanation; empty when none. */
  public String message() {
    return message;
  }

  /** Executor pods of the job that are not finished. */
  public int liveExecutors() {
    return liveExecutors;
  }

  /** When this state was observed. */
  public Instant observedAt() {
    return observedAt;
  }

  /** Equal when phase, reason, exit code, message and executors are; the time is ignored. */
  @Override
  public boolean equals(Object o) {
    return o instanceof JobState s && phase == s.phase && reason.equals(s.reason)
        && Objects.equals(exitCode, s.exitCode) && message.equals(s.message)
        && liveExecutors == s.liveExecutors;
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, reason, exitCode, message, liveExecutors);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(phase.name());
    if (!reason.isEmpty()) {
      sb.append(" (").append(reason).append(')');
    }
    if (exitCode != null) {
      sb.append(" exit ").append(exitCode);
    }
    if (liveExecutors > 0) {
      sb.append(", ").append(liveExecutors).append(" executors");
    }
    if (!message.isEmpty()) {
      sb.append(": ").append(message);
    }
    return sb.toString();
  }
}
