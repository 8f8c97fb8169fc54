package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.JobAttempt;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.RetryPolicy;
import io.sparkk8s.spec.RetryPolicy.Outcome;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttemptsTest {
  static final SparkJob JOB = SparkJob.builder().name("flaky").namespace("jobs")
      .application(Application.jvm("a.B", "local:///opt/a.jar"))
      .startTimeout(Duration.ofMinutes(3))
      .retryPolicy(RetryPolicy.onFailure(3).withInitialBackoff(Duration.ofSeconds(7))).build();

  @Test
  void theFirstAttemptIsTheJobAsWithoutAPolicyAndLaterOnesAreNamedFromIt() {
    CompiledJob plain = SparkCompiler.compile(JOB);
    String jobId = plain.appId();
    Attempts.Objects first = Attempts.compile(JOB, jobId, 1);
    Attempts.Objects third = Attempts.compile(JOB, jobId, 3);
    assertThat(first.appId()).isEqualTo(jobId);
    assertThat(first.driverName()).isEqualTo(plain.driverPodName());
    assertThat(third.appId()).isEqualTo(jobId + "-3");
    assertThat(third.driverName()).startsWith("flaky-").endsWith("-driver")
        .isNotEqualTo(first.driverName());
    assertThat(Attempts.compile(JOB, jobId, 3).driverName()).as("deterministic")
        .isEqualTo(third.driverName());
    assertThat(third.driver().getMetadata().getLabels())
        .containsEntry(Attempts.JOB_LABEL, jobId).containsEntry(Attempts.ATTEMPT_LABEL, "3")
        .containsEntry("spark-app-selector", jobId + "-3");
  }

  @Test
  void attemptIdsStayLabelValues() {
    String longId = "a".repeat(62) + "b";
    assertThat(JobAttempt.appIdOf(longId, 12)).hasSize(63).endsWith("-12");
    assertThat(JobAttempt.appIdOf("spark-abc", 1)).isEqualTo("spark-abc");
  }

  @Test
  void outcomesSeparateSubmissionFromApplicationFailuresAndKillsAreNeverRetried() {
    assertThat(JobAttempt.outcomeOf(JobState.ended(JobPhase.SUCCEEDED, 0, "Completed", "")))
        .contains(Outcome.SUCCESS);
    assertThat(JobAttempt.outcomeOf(JobState.ended(JobPhase.FAILED, 1, "Error", "")))
        .contains(Outcome.APPLICATION_FAILURE);
    assertThat(JobAttempt.outcomeOf(JobState.ended(JobPhase.FAILED, "OOMKilled", "")))
        .contains(Outcome.APPLICATION_FAILURE);
    assertThat(JobAttempt.outcomeOf(JobState.ended(JobPhase.FAILED, "StartTimeout", "")))
        .contains(Outcome.SUBMISSION_FAILURE);
    assertThat(JobAttempt.outcomeOf(JobState.ended(JobPhase.FAILED, io.sparkk8s.JobReasons.SUBMISSION_FAILED,
        "exceeded quota"))).contains(Outcome.SUBMISSION_FAILURE);
    assertThat(JobAttempt.outcomeOf(JobState.killed())).isEmpty();
  }

  @Test
  void theRecordGivesBackThePolicyTheAttemptsAndTheirEnds() {
    String jobId = SparkCompiler.compile(JOB).appId();
    V1ConfigMap record = Attempts.record(JOB, jobId, "flaky-x", JOB.retryPolicy().orElseThrow());
    assertThat(record.getMetadata().getName()).isEqualTo("flaky-x-attempts");
    assertThat(Attempts.policyOf(record)).isEqualTo(JOB.retryPolicy().orElseThrow());
    assertThat(Attempts.startTimeoutOf(record)).contains(Duration.ofMinutes(3));
    for (int n = 1; n <= 3; n++) {
      Attempts.Objects compiled = Attempts.compile(JOB, jobId, n);
      Attempts.Objects stored = Attempts.fromRecord(record, jobId, n).orElseThrow();
      assertThat(stored.appId()).isEqualTo(compiled.appId());
      assertThat(stored.driverName()).isEqualTo(compiled.driverName());
      assertThat(stored.driver().getSpec()).isEqualTo(compiled.driver().getSpec());
      assertThat(stored.owned()).hasSameSizeAs(compiled.owned());
    }
    assertThat(Attempts.fromRecord(record, jobId, 4)).isEmpty();

    Instant at = Instant.parse("2026-11-23T22:00:00Z");
    Map<String, String> data = new HashMap<>(record.getData());
    data.putAll(Attempts.endEntry(2, JobState.ended(JobPhase.FAILED, 1, "Error", "a|b\nc"), at));
    record.setData(data);
    assertThat(AttemptNumbers.lastEnded(3, n -> Attempts.ended(record, n).isPresent()))
        .isEqualTo(2);
    Attempts.Ended e = Attempts.ended(record, 2).orElseThrow();
    assertThat(e.endedAt()).isEqualTo(at);
    assertThat(e.state()).isEqualTo(JobState.ended(JobPhase.FAILED, 1, "Error", "a|b\nc"));
    assertThat(Attempts.ended(record, 1)).isEmpty();
  }

  @Test
  void eachAttemptOfAVolcanoJobHasItsOwnPodGroupCreatedBeforeItsDriver() {
    SparkJob gang = JOB.withGangScheduling(io.sparkk8s.spec.GangScheduling.volcano());
    String jobId = SparkCompiler.compile(gang).appId();
    V1ConfigMap record = Attempts.record(gang, jobId, "flaky-x", gang.retryPolicy().orElseThrow());
    for (int n = 1; n <= 3; n++) {
      Attempts.Objects compiled = Attempts.compile(gang, jobId, n);
      Attempts.Objects stored = Attempts.fromRecord(record, jobId, n).orElseThrow();
      assertThat(compiled.pre()).singleElement().satisfies(pg -> assertThat(
          pg.getMetadata().getName()).isEqualTo(compiled.appId() + "-podgroup"));
      assertThat(stored.pre()).isEqualTo(compiled.pre());
      assertThat(stored.driver().getMetadata().getAnnotations())
          .containsEntry("scheduling.k8s.io/group-name", compiled.appId() + "-podgroup");
      assertThat(stored.owned()).hasSameSizeAs(compiled.owned());
    }
  }

  @Test
  void theRecordHoldsNoSecretValues() {
    SparkJob withSecret = JOB.withSparkConf(Map.of("spark.eventLog.enabled", "true"));
    String jobId = SparkCompiler.compile(withSecret).appId();
    V1ConfigMap record = Attempts.record(withSecret, jobId, "p", withSecret.retryPolicy().get());
    assertThat(record.getData().values()).noneMatch(v -> v.contains("\"kind\":\"Secret\""));
  }
}
