package io.sparkk8s.api;

import io.kubernetes.client.openapi.ApiException;
import io.sparkk8s.ApiRetryPolicy;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.exception.SparkK8sException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries API calls by an {@link ApiRetryPolicy}: on 429 (after the server's {@code Retry-After}
 * when it gives one), on 5xx and when the server cannot be reached (client-java's code 0), with
 * exponential backoff and jitter, within the policy's attempts and total time.
 *
 * <p>Creates are not idempotent: when an attempt's answer is lost (connection cut, 5xx) the object
 * may exist, and the retry then gets 409. {@link #create} settles that by reading the object and
 * taking it only when it is the caller's; otherwise it is someone else's and the conflict stands.
 * A 409 on the first attempt is a plain conflict, decided by the caller as before. The SDK's own
 * clients turn off OkHttp's silent retry of failed requests, so no attempt is made that this class
 * does not know of.
 */
public final class ApiRetry {
  private static final Logger LOG = LoggerFactory.getLogger(ApiRetry.class);

  /**
   * One call to the API server.
   *
   * @param <T> what the call returns
   */
  public interface Attempt<T> {
    /** Makes the call once. */
    T run() throws ApiException;
  }

  /** Waits; replaced in unit tests to record the waits instead of making them. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final ApiRetryPolicy policy;
  private final Sleeper sleeper;
  private final LongSupplier nanoTime;
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong serverErrors = new AtomicLong();
  private final AtomicLong unreachable = new AtomicLong();
  private final AtomicLong adopted = new AtomicLong();
  private final AtomicLong exhausted = new AtomicLong();
  private final Consumer<ApiException> failed;

  /** Retries as {@code policy} says. */
  public ApiRetry(ApiRetryPolicy policy) {
    this(policy, e -> { });
  }

  /**
   * Retries as {@code policy} says, telling {@code failed} of every answer that is retried (none,
   * 429, 5xx): the client uses it to notice a connection gone stale.
   */
  public ApiRetry(ApiRetryPolicy policy, Consumer<ApiException> failed) {
    this(policy, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000), System::nanoTime,
        failed);
  }

  ApiRetry(ApiRetryPolicy policy, Sleeper sleeper, LongSupplier nanoTime) {
    this(policy, sleeper, nanoTime, e -> { });
  }

  private ApiRetry(ApiRetryPolicy policy, Sleeper sleeper, LongSupplier nanoTime,
      Consumer<ApiException> failed) {
    this.failed = failed;
    this.policy = policy;
    this.sleeper = sleeper;
    this.nanoTime = nanoTime;
  }

  /** The policy calls are retried by. */
  public ApiRetryPolicy policy() {
    return policy;
  }

  /** What the retries of calls made through this did so far. */
  public io.sparkk8s.ClientDiagnostics.ApiCalls stats() {
    return new io.sparkk8s.ClientDiagnostics.ApiCalls(retries.get(), throttled.get(),
        serverErrors.get(), unreachable.get(), adopted.get(), exhausted.get());
  }

  /** Runs {@code attempt}, retrying what the policy allows; errors translated as {@link ApiErrors}. */
  public <T> T call(ApiErrors.Target target, Attempt<T> attempt) {
    return run(target, attempt, null);
  }

  /**
   * Runs a create. If an attempt after a lost answer gets 409, {@code existing} reads the object on
   * the server and returns it when it is the one this create made (empty when it is not): then the
   * create succeeded; otherwise {@link ConflictException}.
   */
  public <T> T create(ApiErrors.Target target, Attempt<T> attempt, Attempt<Optional<T>> existing) {
    return run(target, attempt, existing);
  }

  private <T> T run(ApiErrors.Target target, Attempt<T> attempt, Attempt<Optional<T>> existing) {
    long start = nanoTime.getAsLong();
    boolean maybeApplied = false;
    for (int n = 1; ; n++) {
      ApiException failure;
      try {
        return attempt.run();
      } catch (ApiException e) {
        failure = e;
      }
      int code = failure.getCode();
      if (code == 409 && maybeApplied && existing != null) {
        return adopt(target, existing, failure);
      }
      if (!retryable(code)) {
        throw ApiErrors.translate(target, failure);
      }
      count(code);
      failed.accept(failure);
      // A 429 was refused before it was handled; anything else may have been applied.
      maybeApplied |= code != 429;
      Duration wait = delay(n, retryAfter(failure));
      Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
      if (n >= policy.maxAttempts() || elapsed.plus(wait).compareTo(policy.maxElapsed()) > 0) {
        exhausted.incrementAndGet();
        LOG.warn("{} {} {}/{}: giving up after {} attempts in {} ms (last: HTTP {})",
            target.operation(), target.kind(), target.namespace(), target.name(), n,
            elapsed.toMillis(), code);
        throw ApiErrors.translate(target, failure);
      }
      LOG.info("{} {} {}/{}: HTTP {}{}; attempt {} in {} ms", target.operation(), target.kind(),
          target.namespace(), target.name(), code, code == 0 ? " (" + (failure.getCause() != null ? failure.getCause()
              : failure.getMessage()) + ")"
              : "", n + 1, wait.toMillis());
      retries.incrementAndGet();
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SparkK8sException("Interrupted while retrying " + target.operation() + " of "
            + target.kind() + " " + target.namespace() + "/" + target.name(), e);
      }
    }
  }

  private <T> T adopt(ApiErrors.Target target, Attempt<Optional<T>> existing, ApiException conflict) {
    Optional<T> ours;
    try {
      // The read is retried as any call; a read that fails leaves the create undecided: fail.
      ours = call(new ApiErrors.Target("get", target.kind(), target.namespace(), target.name()),
          existing);
    } catch (KubernetesApiException e) {
      throw new ConflictException(target.operation(), target.kind(), target.namespace(),
          target.name(), 409, null, "it exists after a retried create and could not be read to "
              + "tell whether it is this create's: " + e.getMessage(), e);
    }
    if (ours.isPresent()) {
      adopted.incrementAndGet();
      LOG.info("{} {}/{}: the create's answer was lost but it was applied; using that object",
          target.kind(), target.namespace(), target.name());
      return ours.get();
    }
    KubernetesApiException e = ApiErrors.translate(target, conflict);
    throw new ConflictException(target.operation(), target.kind(), target.namespace(),
        target.name(), 409, e.status().orElse(null),
        "it exists and is not the one this submit created (other application id or owner)", conflict);
  }

  /**
   * Whether an answer with HTTP {@code code} is retried: 429, a 5xx but 501, or none (0: the server
   * was not reached).
   */
  public static boolean retryable(int code) {
    return code == 0 || code == 429 || (code >= 500 && code != 501);
  }

  private void count(int code) {
    (code == 0 ? unreachable : code == 429 ? throttled : serverErrors).incrementAndGet();
  }

  /**
   * The wait before attempt {@code n + 1}: the server's Retry-After plus a little jitter so that
   * throttled clients do not come back together, else equal jitter on an exponential backoff.
   */
  Duration delay(int n, Optional<Duration> retryAfter) {
    long base = policy.initialBackoff().toMillis();
    long cap = policy.maxBackoff().toMillis();
    long backoff = Math.min(cap, base << Math.min(n - 1, 30));
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (retryAfter.isPresent()) {
      return retryAfter.get().plusMillis(random.nextLong(base / 2 + 1));
    }
    return Duration.ofMillis(backoff / 2 + random.nextLong(backoff / 2 + 1));
  }

  /** {@code Retry-After} in seconds (the API server sends only that form). */
  static Optional<Duration> retryAfter(ApiException e) {
    Map<String, List<String>> headers = e.getResponseHeaders();
    if (headers == null) {
      return Optional.empty();
    }
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (h.getKey() != null && h.getKey().equalsIgnoreCase("Retry-After")
          && h.getValue() != null && !h.getValue().isEmpty()) {
        try {
          long seconds = Long.parseLong(h.getValue().get(0).trim());
          return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException httpDate) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
