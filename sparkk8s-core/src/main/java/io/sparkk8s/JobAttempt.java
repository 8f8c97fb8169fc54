package io.sparkk8s;

import io.sparkk8s.spec.RetryPolicy;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt of a job: a driver with its own objects, named from the job and the attempt number.
 * A job without a {@link RetryPolicy} has one attempt.
 *
 * <pre>{@code
 * for (JobAttempt a : handle.attempts()) {
 *   log.info("attempt {} ({}): {}", a.number(), a.driverPodName(), a.state());
 * }
 * }</pre>
 *
 * @param number the attempt's number, from 1
 * @param appId the attempt's {@code spark.app.id} ({@code spark-app-selector} label)
 * @param driverPodName the attempt's driver pod
 * @param state its final state once it ended, else the latest known
 * @param outcome how the attempt counts for the policy, once it ended (empty for a kill)
 * @param endedAt when the attempt ended, as the API server recorded it, once it ended
 */
public record JobAttempt(int number, String appId, String driverPodName, JobState state,
    Optional<RetryPolicy.Outcome> outcome, Optional<Instant> endedAt) {

  public JobAttempt {
    if (number < 1) {
      throw new IllegalArgumentException("number < 1: " + number);
    }
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(driverPodName, "driverPodName");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(endedAt, "endedAt");
  }

  /**
   * The application id of attempt {@code number} of the job {@code jobId}: the job's own for the
   * first (a job with a retry policy names its first attempt as it would without one), then
   * {@code <jobId>-<number>}, cut to stay a label value of at most 63 characters.
   */
  public static String appIdOf(String jobId, int number) {
    if (number == 1) {
      return jobId;
    }
    String suffix = "-" + number;
    String head = jobId.length() + suffix.length() <= 63 ? jobId
        : jobId.substring(0, 63 - suffix.length()).replaceAll("-+$", "");
    return head + suffix;
  }

  /**
   * How an attempt that ended in {@code end} counts for its {@link RetryPolicy}: a success; a
   * submission failure (the driver could not be created, or did not start within its start
   * timeout); any other end an application failure; empty for a kill, which is never retried.
   */
  public static Optional<RetryPolicy.Outcome> outcomeOf(JobState end) {
    if (end.phase() == JobPhase.SUCCEEDED) {
      return Optional.of(RetryPolicy.Outcome.SUCCESS);
    }
    return switch (end.reason()) {
      case JobReasons.KILLED -> Optional.empty();
      case JobReasons.SUBMISSION_FAILED, JobReasons.START_TIMEOUT ->
          Optional.of(RetryPolicy.Outcome.SUBMISSION_FAILURE);
      default -> Optional.of(RetryPolicy.Outcome.APPLICATION_FAILURE);
    };
  }

  /** Whether the attempt has ended. */
  public boolean ended() {
    return state.phase().isFinal();
  }
}
