package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.spec.RetryPolicy.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void factoriesSayWhichOutcomesAreRetried() {
    assertThat(RetryPolicy.never().retries(1, Outcome.APPLICATION_FAILURE)).isFalse();
    RetryPolicy onFailure = RetryPolicy.onFailure(3);
    assertThat(onFailure.retries(1, Outcome.APPLICATION_FAILURE)).isTrue();
    assertThat(onFailure.retries(2, Outcome.SUBMISSION_FAILURE)).isTrue();
    assertThat(onFailure.retries(3, Outcome.APPLICATION_FAILURE)).as("no attempt left").isFalse();
    assertThat(onFailure.retries(1, Outcome.SUCCESS)).isFalse();
    assertThat(RetryPolicy.always(2).retries(1, Outcome.SUCCESS)).isTrue();
    RetryPolicy submissions = RetryPolicy.onFailure(5).withRetryOn(Outcome.SUBMISSION_FAILURE);
    assertThat(submissions.retries(1, Outcome.SUBMISSION_FAILURE)).isTrue();
    assertThat(submissions.retries(1, Outcome.APPLICATION_FAILURE)).isFalse();
  }

  @Test
  void backoffGrowsExponentiallyUpToItsBound() {
    RetryPolicy p = RetryPolicy.onFailure(10).withJitter(0)
        .withInitialBackoff(Duration.ofSeconds(1)).withMaxBackoff(Duration.ofSeconds(10));
    assertThat(p.backoffAfter(1, "a")).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.backoffAfter(2, "a")).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.backoffAfter(3, "a")).isEqualTo(Duration.ofSeconds(4));
    assertThat(p.backoffAfter(4, "a")).isEqualTo(Duration.ofSeconds(8));
    assertThat(p.backoffAfter(5, "a")).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.backoffAfter(9, "a")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void jitterIsBoundedDeterministicPerSeedAndSpreadsJobs() {
    RetryPolicy p = RetryPolicy.onFailure(3).withInitialBackoff(Duration.ofSeconds(100))
        .withMaxBackoff(Duration.ofSeconds(1000)).withJitter(0.2);
    java.util.Set<Duration> seen = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      Duration d = p.backoffAfter(1, "spark-" + i);
      assertThat(d).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(120));
      assertThat(p.backoffAfter(1, "spark-" + i)).as("same seed, same wait").isEqualTo(d);
      seen.add(d);
    }
    assertThat(seen).as("different jobs wait differently").hasSizeGreaterThan(150);
    RetryPolicy capped = p.withMaxBackoff(Duration.ofSeconds(100));
    for (int i = 0; i < 50; i++) {
      assertThat(capped.backoffAfter(3, "x" + i)).isLessThanOrEqualTo(Duration.ofSeconds(100));
    }
  }

  @Test
  void aJobCarriesItsPolicyAndItsDerivedIdIsUnchangedWithoutOne() {
    SparkJob plain = BadInputTest.job().build();
    SparkJob retried = plain.withRetryPolicy(RetryPolicy.onFailure(3));
    assertThat(retried.retryPolicy()).contains(RetryPolicy.onFailure(3));
    assertThat(plain.toString()).doesNotContain("retryPolicy");
  }
}
