package io.sparkk8s.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.ApiException;
import io.sparkk8s.ApiRetryPolicy;
import io.sparkk8s.exception.ClusterUnreachableException;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.ForbiddenException;
import io.sparkk8s.exception.KubernetesApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The retry rules, with the API server's answers scripted (its real behaviour is in
 * ThrottlingE2E) and a clock that moves by the waits instead of sleeping.
 */
class ApiRetryTest {
  final ApiErrors.Target target = new ApiErrors.Target("create", "Pod", "jobs", "pi-driver");
  final List<Duration> waits = new ArrayList<>();
  final AtomicLong now = new AtomicLong();

  ApiRetry retry(ApiRetryPolicy policy) {
    return new ApiRetry(policy, d -> {
      waits.add(d);
      now.addAndGet(d.toNanos());
    }, now::get);
  }

  /** Answers in order: an exception to throw, or a value to return. */
  static <T> ApiRetry.Attempt<T> answers(Object... script) {
    Deque<Object> left = new ArrayDeque<>(List.of(script));
    return () -> {
      Object next = left.removeFirst();
      if (next instanceof ApiException e) {
        throw e;
      }
      @SuppressWarnings("unchecked")
      T value = (T) next;
      return value;
    };
  }

  static ApiException http(int code) {
    return new ApiException(code, Map.of(), "{\"kind\":\"Status\",\"code\":" + code + "}");
  }

  static ApiException throttled(String retryAfter) {
    return new ApiException(429, Map.of("retry-after", List.of(retryAfter)), "Too many requests");
  }

  static ApiException cut() {
    return new ApiException(new IOException("unexpected end of stream"));
  }

  @Test
  void retriesThrottlingServerErrorsAndLostConnectionsThenReturns() {
    ApiRetry r = retry(ApiRetryPolicy.defaults());
    String out = r.call(target, answers(http(429), http(503), cut(), http(500), "ok"));
    assertThat(out).isEqualTo("ok");
    assertThat(r.stats()).isEqualTo(new io.sparkk8s.ClientDiagnostics.ApiCalls(4, 1, 2, 1, 0, 0));
  }

  @Test
  void honoursRetryAfterAndAddsOnlyALittleJitter() {
    ApiRetry r = retry(ApiRetryPolicy.defaults());
    r.call(target, answers(throttled("3"), "ok"));
    assertThat(waits).hasSize(1);
    assertThat(waits.get(0)).isBetween(Duration.ofSeconds(3), Duration.ofMillis(3100));
  }

  @Test
  void backoffDoublesWithJitterUpToTheCap() {
    ApiRetry r = retry(ApiRetryPolicy.defaults().withBackoff(Duration.ofMillis(100),
        Duration.ofMillis(800)).withMaxAttempts(7).withMaxElapsed(Duration.ofMinutes(1)));
    r.call(target, answers(http(503), http(503), http(503), http(503), http(503), http(503), "ok"));
    long[] ceilings = {100, 200, 400, 800, 800, 800};
    assertThat(waits).hasSize(6);
    for (int i = 0; i < 6; i++) {
      assertThat(waits.get(i).toMillis()).as("wait %d", i)
          .isBetween(ceilings[i] / 2, ceilings[i]);
    }
    // Jitter: the same script does not give the same waits every time.
    List<Duration> first = List.copyOf(waits);
    boolean differs = false;
    for (int run = 0; run < 20 && !differs; run++) {
      waits.clear();
      retry(ApiRetryPolicy.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(800))
          .withMaxAttempts(7)).call(target, answers(http(503), http(503), http(503), http(503),
              http(503), http(503), "ok"));
      differs = !waits.equals(first);
    }
    assertThat(differs).as("jittered waits").isTrue();
  }

  @Test
  void stopsAfterMaxAttemptsWithTheLastError() {
    ApiRetry r = retry(ApiRetryPolicy.defaults().withMaxAttempts(3));
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> r.call(target, () -> {
      calls.incrementAndGet();
      throw cut();
    })).isInstanceOf(ClusterUnreachableException.class);
    assertThat(calls).hasValue(3);
    assertThat(r.stats().exhausted()).isEqualTo(1);
  }

  @Test
  void stopsBeforeAWaitWouldPassMaxElapsed() {
    ApiRetry r = retry(ApiRetryPolicy.defaults().withMaxElapsed(Duration.ofSeconds(5)));
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> r.call(target, () -> {
      calls.incrementAndGet();
      throw throttled("2");
    })).isInstanceOf(KubernetesApiException.class).satisfies(e ->
        assertThat(((KubernetesApiException) e).code()).isEqualTo(429));
    // Waits of 2 s (+ jitter) fit twice in 5 s: three attempts, never more time than allowed.
    assertThat(calls).hasValue(3);
    assertThat(Duration.ofNanos(now.get())).isLessThanOrEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void neverRetriesWhatWillNotChange() {
    for (int code : new int[] {400, 401, 403, 404, 409, 422, 501}) {
      ApiRetry r = retry(ApiRetryPolicy.defaults());
      AtomicInteger calls = new AtomicInteger();
      assertThatThrownBy(() -> r.call(target, () -> {
        calls.incrementAndGet();
        throw http(code);
      })).isInstanceOf(KubernetesApiException.class);
      assertThat(calls).as("HTTP %d", code).hasValue(1);
    }
    assertThatThrownBy(() -> retry(ApiRetryPolicy.defaults()).call(target, answers(http(403))))
        .isInstanceOf(ForbiddenException.class);
  }

  @Test
  void aRetriedCreateThatFindsItsOwnObjectSucceedsOnce() {
    ApiRetry r = retry(ApiRetryPolicy.defaults());
    AtomicInteger reads = new AtomicInteger();
    String out = r.create(target, answers(cut(), http(409)), () -> {
      reads.incrementAndGet();
      return Optional.of("the driver the lost attempt made");
    });
    assertThat(out).isEqualTo("the driver the lost attempt made");
    assertThat(reads).hasValue(1);
    assertThat(r.stats().adopted()).isEqualTo(1);
  }

  @Test
  void aRetriedCreateThatFindsSomeoneElsesObjectIsAConflict() {
    ApiRetry r = retry(ApiRetryPolicy.defaults());
    assertThatThrownBy(() -> r.create(target, answers(http(504), http(409)), Optional::empty))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("not the one this submit created");
    assertThat(r.stats().adopted()).isZero();
  }

  @Test
  void aConflictAfterOnlyThrottlingIsAPlainConflict() {
    // A 429 was never applied, so a 409 after it is someone else's object: no read, no adoption.
    ApiRetry r = retry(ApiRetryPolicy.defaults());
    AtomicInteger reads = new AtomicInteger();
    assertThatThrownBy(() -> r.create(target, answers(throttled("0"), http(409)), () -> {
      reads.incrementAndGet();
      return Optional.of("x");
    })).isInstanceOf(ConflictException.class);
    assertThat(reads).hasValue(0);
  }

  @Test
  void noneMakesOneAttempt() {
    ApiRetry r = retry(ApiRetryPolicy.none());
    assertThatThrownBy(() -> r.call(target, answers(http(503), "ok")))
        .isInstanceOf(KubernetesApiException.class);
    assertThat(waits).isEmpty();
  }

  @Test
  void policyRejectsNonsenseNamingTheRule() {
    assertThatThrownBy(() -> ApiRetryPolicy.defaults().withMaxAttempts(0))
        .hasMessage("maxAttempts < 1: 0");
    assertThatThrownBy(() -> ApiRetryPolicy.defaults().withMaxElapsed(Duration.ofSeconds(-1)))
        .hasMessage("maxElapsed < 0: PT-1S");
    assertThatThrownBy(() -> ApiRetryPolicy.defaults().withBackoff(Duration.ofSeconds(2),
        Duration.ofSeconds(1))).hasMessage("maxBackoff < initialBackoff: PT1S < PT2S");
  }
}
