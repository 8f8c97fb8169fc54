package io.sparkk8s;

import io.sparkk8s.exception.ConflictException;
import java.time.Duration;
import java.util.Objects;

/**
 * How the SDK retries its calls to the API server when the server throttles them (HTTP 429, whose
 * {@code Retry-After} is honoured), fails them (5xx) or cannot be reached: exponential backoff with
 * jitter, bounded by a number of attempts and a total time, whichever comes first. Other errors
 * (400, 403, 404, 409, 422, ...) are never retried.
 *
 * <pre>{@code
 * ApiRetryPolicy patient = ApiRetryPolicy.defaults().withMaxElapsed(Duration.ofMinutes(5));
 * SparkKubernetes spark = SparkKubernetes.fromKubeconfig(kubeconfig, Optional.empty(),
 *     Duration.ofMinutes(1), patient);
 * }</pre>
 *
 * <p>A retried create never makes a second object: when a create whose answer was lost (connection
 * cut, 5xx) is retried and the server says the object exists, the SDK reads it and takes it only
 * if it is the one it created (same application id or owner), else throws {@link
 * ConflictException}.
 */
public final class ApiRetryPolicy {
  // 16 attempts: with the shortest waits equal jitter can draw (half of 0.2, 0.4 ... 10 s), 10
  // attempts could be spent in 21 s; 16 take at least 51 s, so the 60 s bound is what ends a
  // retry and an outage of up to 50 s is always ridden out (NetworkCutE2E cuts for 30 s).
  private static final ApiRetryPolicy DEFAULTS = new ApiRetryPolicy(16, Duration.ofSeconds(60),
      Duration.ofMillis(200), Duration.ofSeconds(10));
  private static final ApiRetryPolicy NONE = new ApiRetryPolicy(1, Duration.ZERO,
      Duration.ofMillis(200), Duration.ofSeconds(10));

  private final int maxAttempts;
  private final Duration maxElapsed;
  private final Duration initialBackoff;
  private final Duration maxBackoff;

  private ApiRetryPolicy(int maxAttempts, Duration maxElapsed, Duration initialBackoff,
      Duration maxBackoff) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts < 1: " + maxAttempts);
    }
    if (Objects.requireNonNull(maxElapsed, "maxElapsed").isNegative()) {
      throw new IllegalArgumentException("maxElapsed < 0: " + maxElapsed);
    }
    if (Objects.requireNonNull(initialBackoff, "initialBackoff").isNegative()
        || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff <= 0: " + initialBackoff);
    }
    if (Objects.requireNonNull(maxBackoff, "maxBackoff").compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff < initialBackoff: " + maxBackoff + " < "
          + initialBackoff);
    }
    this.maxAttempts = maxAttempts;
    this.maxElapsed = maxElapsed;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
  }

  /**
   * The default: up to 16 attempts within 60 s (at least 51 s of waits), waits from 200 ms doubling up to 10 s, each
   * between half and all of that (jitter), or the server's {@code Retry-After}.
   */
  public static ApiRetryPolicy defaults() {
    return DEFAULTS;
  }

  /** One attempt: every error reaches the caller at once. */
  public static ApiRetryPolicy none() {
    return NONE;
  }

  /** A copy making at most {@code attempts} attempts (the first call included). */
  public ApiRetryPolicy withMaxAttempts(int attempts) {
    return new ApiRetryPolicy(attempts, maxElapsed, initialBackoff, maxBackoff);
  }

  /** A copy that starts no new attempt once {@code elapsed} has passed since the first. */
  public ApiRetryPolicy withMaxElapsed(Duration elapsed) {
    return new ApiRetryPolicy(maxAttempts, elapsed, initialBackoff, maxBackoff);
  }

  /** A copy whose waits start at {@code initial} and double up to {@code max}. */
  public ApiRetryPolicy withBackoff(Duration initial, Duration max) {
    return new ApiRetryPolicy(maxAttempts, maxElapsed, initial, max);
  }

  /** The most attempts a call makes, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** How long after the first attempt no further attempt starts. */
  public Duration maxElapsed() {
    return maxElapsed;
  }

  /** The first wait, doubled after each attempt (before jitter). */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The longest wait between attempts (before jitter). */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiRetryPolicy p && maxAttempts == p.maxAttempts
        && maxElapsed.equals(p.maxElapsed) && initialBackoff.equals(p.initialBackoff)
        && maxBackoff.equals(p.maxBackoff);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, maxElapsed, initialBackoff, maxBackoff);
  }

  @Override
  public String toString() {
    return "ApiRetryPolicy{maxAttempts=" + maxAttempts + ", maxElapsed=" + maxElapsed
        + ", backoff=" + initialBackoff + ".." + maxBackoff + "}";
  }
}
