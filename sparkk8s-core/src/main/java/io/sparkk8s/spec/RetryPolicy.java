package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.immutables.value.Value;

/**
 * When a job is run again, how often, and after how long. Each attempt is a new driver with its own
 * objects, named deterministically from the job and its attempt number, so a caller that restarts
 * between attempts finds them on the cluster and continues the count and the backoff.
 *
 * <pre>{@code
 * SparkJob nightly = job.withRetryPolicy(RetryPolicy.onFailure(3)
 *     .withInitialBackoff(Duration.ofSeconds(30))
 *     .withMaxBackoff(Duration.ofMinutes(10)));
 * RetryPolicy submissionsOnly = RetryPolicy.onFailure(5).withRetryOn(Outcome.SUBMISSION_FAILURE);
 * }</pre>
 *
 * <p>The wait before attempt {@code n + 1} is {@code initialBackoff * multiplier^(n-1)}, at most
 * {@link #maxBackoff()}, spread by {@link #jitter()}, and counted from the moment attempt {@code n}
 * ended as the API server recorded it. The jitter is drawn from the attempt's application id, so a
 * restarted caller computes the same wait while different jobs are spread apart.
 */
@Value.Immutable
public abstract class RetryPolicy {
  /** The most attempts a policy may allow; each attempt's objects are recorded for a restart. */
  public static final int MAX_ATTEMPTS = 20;

  /** How an attempt ended, as far as retrying is concerned. */
  public enum Outcome {
    /** The driver exited with code 0. Retried only by {@link #always(int)}. */
    SUCCESS,
    /**
     * The job never got to run its code: the API server refused or failed to create its objects
     * (quota exceeded, forbidden, unreachable, server error), or the driver was not running within
     * {@link SparkJob#startTimeout()}.
     */
    SUBMISSION_FAILURE,
    /**
     * The driver ran and failed: a non-zero exit, OOMKilled, evicted, or its pod deleted by someone
     * else. A job killed through its handle is never retried.
     */
    APPLICATION_FAILURE
  }

  RetryPolicy() {}

  /** A builder; prefer the factories. */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link RetryPolicy}. */
  public static final class Builder extends ImmutableRetryPolicy.Builder {
    Builder() {}
  }

  /** One attempt, never retried (what a job without a policy does). */
  public static RetryPolicy never() {
    return Never.POLICY;
  }

  /** One instance of {@link #never()} (a service following 10,000 jobs made 10,000 equal ones). */
  private static final class Never {
    static final RetryPolicy POLICY = builder().maxAttempts(1).build();
  }

  /** Up to {@code maxAttempts} attempts in all, retrying submission and application failures. */
  public static RetryPolicy onFailure(int maxAttempts) {
    return builder().maxAttempts(maxAttempts)
        .retryOn(EnumSet.of(Outcome.SUBMISSION_FAILURE, Outcome.APPLICATION_FAILURE)).build();
  }

  /**
   * Runs the job {@code maxAttempts} times in all, whatever each attempt's outcome (a job that
   * runs a fixed number of times); the job's end is its last attempt's.
   */
  public static RetryPolicy always(int maxAttempts) {
    return builder().maxAttempts(maxAttempts).retryOn(EnumSet.allOf(Outcome.class)).build();
  }

  /** Attempts in all, the first included; 1 means no retry. */
  public abstract int maxAttempts();

  /** The outcomes after which another attempt is made (while attempts remain). */
  public abstract Set<Outcome> retryOn();

  /** The wait before the second attempt; 10 seconds unless set. */
  @Value.Default
  public Duration initialBackoff() {
    return Duration.ofSeconds(10);
  }

  /** Each further wait is the previous one times this; 2 unless set. */
  @Value.Default
  public double multiplier() {
    return 2.0;
  }

  /** The longest wait, jitter included; 5 minutes unless set. */
  @Value.Default
  public Duration maxBackoff() {
    return Duration.ofMinutes(5);
  }

  /**
   * How far a wait is spread, as a fraction of it: 0.2 (the default) draws it from 80% to 120% of
   * the computed value. 0 makes every wait exact.
   */
  @Value.Default
  public double jitter() {
    return 0.2;
  }

  /** A copy retrying after exactly these outcomes. */
  public abstract RetryPolicy withRetryOn(Outcome... outcomes);

  /** A copy with another first wait. */
  public abstract RetryPolicy withInitialBackoff(Duration initialBackoff);

  /** A copy with another growth factor. */
  public abstract RetryPolicy withMultiplier(double multiplier);

  /** A copy with another longest wait. */
  public abstract RetryPolicy withMaxBackoff(Duration maxBackoff);

  /** A copy with another spread. */
  public abstract RetryPolicy withJitter(double jitter);

  /** Whether attempt number {@code attempt} (from 1), ended with {@code outcome}, is retried. */
  public boolean retries(int attempt, Outcome outcome) {
    return attempt < maxAttempts() && retryOn().contains(outcome);
  }

  /**
   * The wait between the end of attempt {@code attempt} (from 1) and the start of the next one.
   * {@code seed} chooses the jitter (the SDK passes the ended attempt's application id), so the
   * same seed always gives the same wait.
   */
  public Duration backoffAfter(int attempt, String seed) {
    double base = initialBackoff().toMillis() * Math.pow(multiplier(), Math.max(0, attempt - 1));
    double capped = Math.min(base, maxBackoff().toMillis());
    // A uniform draw in [-1, 1) from the seed: FNV-1a over its bytes, then a 53-bit fraction.
    long h = 0xcbf29ce484222325L;
    for (byte b : (seed + "#" + attempt).getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    double unit = (h >>> 11) * 0x1.0p-53 * 2 - 1;
    double spread = capped * (1 + jitter() * unit);
    return Duration.ofMillis(Math.round(Math.max(0, Math.min(spread, maxBackoff().toMillis()))));
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("RetryPolicy");
    c.require(maxAttempts() >= 1 && maxAttempts() <= MAX_ATTEMPTS, "retryPolicy.maxAttempts",
        maxAttempts(), "must be from 1 to " + MAX_ATTEMPTS);
    c.require(!initialBackoff().isNegative(), "retryPolicy.initialBackoff", initialBackoff(),
        "must not be negative");
    c.require(!maxBackoff().isNegative() && maxBackoff().compareTo(initialBackoff()) >= 0,
        "retryPolicy.maxBackoff", maxBackoff(),
        "must be at least initialBackoff (" + initialBackoff() + ")");
    c.require(maxBackoff().compareTo(Duration.ofDays(1)) <= 0, "retryPolicy.maxBackoff",
        maxBackoff(), "must be at most one day");
    c.require(multiplier() >= 1 && multiplier() <= 100, "retryPolicy.multiplier", multiplier(),
        "must be from 1 to 100");
    c.require(jitter() >= 0 && jitter() <= 1, "retryPolicy.jitter", jitter(),
        "must be a fraction from 0 to 1");
    c.throwIfAny();
  }
}
