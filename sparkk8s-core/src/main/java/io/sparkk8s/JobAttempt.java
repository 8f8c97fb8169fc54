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

  /** Whether the attempt has ended. */
  public boolean ended() {
    return state.phase().isFinal();
  }
}
