package io.sparkk8s.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.JobAttempt;
import io.sparkk8s.JobMetrics;
import io.sparkk8s.JobPhase;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkUi;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.internal.kube.Attempts;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Retention;
import io.sparkk8s.spec.RetryPolicy;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test kit models retries, retention, metrics, counts and the Spark UI as the client does. */
@Timeout(30)
class PoliciesInTheTestKitTest {
  private final InMemorySparkKubernetes spark = new InMemorySparkKubernetes();

  static SparkJob.Builder job(String name) {
    return SparkJob.builder().name(name).namespace("jobs")
        .application(Application.jvm("a.B", "local:///opt/a.jar"));
  }

  @AfterEach
  void close() {
    spark.close();
  }

  @Test
  void aRetriedJobMovesThroughItsAttemptsAndEndsOnce() {
    SparkJob flaky = job("flaky").retryPolicy(RetryPolicy.onFailure(3)
        .withInitialBackoff(Duration.ofSeconds(10)).withJitter(0)).build();
    SparkJobHandle h = spark.submit(flaky);
    ScriptedJob job = spark.onlyJob();
    List<String> seen = new ArrayList<>();
    h.addListener((x, from, to) -> seen.add(x.attempt() + ":" + to.phase()
        + (to.reason().isEmpty() ? "" : "(" + to.reason() + ")")));
    String first = h.name();

    job.running().fail(1, "Error");
    assertThat(job.betweenAttempts()).isTrue();
    assertThat(job.backoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(h.completion()).isNotDone();
    assertThatThrownBy(job::running).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nextAttempt()");
    job.nextAttempt().running().fail(1, "Error");
    assertThat(job.backoff()).isEqualTo(Duration.ofSeconds(20));
    job.nextAttempt().running().succeed();

    assertThat(h.completion()).isCompletedWithValueMatching(s -> s.phase() == JobPhase.SUCCEEDED);
    assertThat(h.attempt()).isEqualTo(3);
    assertThat(h.name()).as("named as the real client names attempt 3").isNotEqualTo(first)
        .isEqualTo(Attempts.compile(flaky, h.attempts().get(0).appId(), 3).driver().getMetadata()
            .getName());
    assertThat(h.attempts()).extracting(JobAttempt::number).containsExactly(1, 2, 3);
    assertThat(h.attempts()).extracting(a -> a.state().phase())
        .containsExactly(JobPhase.FAILED, JobPhase.FAILED, JobPhase.SUCCEEDED);
    assertThat(seen).containsExactly("1:RUNNING", "1:PENDING(RetryBackoff)", "2:SUBMITTED",
        "2:RUNNING", "2:PENDING(RetryBackoff)", "3:SUBMITTED", "3:RUNNING",
        "3:SUCCEEDED(Completed)");
  }

  @Test
  void aKillBetweenAttemptsEndsTheJob() {
    SparkJobHandle h = spark.submit(job("k").retryPolicy(RetryPolicy.onFailure(3)).build());
    spark.onlyJob().running().fail(1, "Error");
    h.kill();
    assertThat(h.state().reason()).isEqualTo("Killed");
    assertThat(h.completion()).isDone();
  }

  @Test
  void retentionDeletesSuccessesAtOnceAndOthersWhenTheirTimeIsUp() {
    SparkJobHandle ok = spark.submit(job("ok").retention(Retention.deleteOnSuccess()).build());
    SparkJobHandle bad = spark.submit(job("bad").retention(Retention.builder()
        .afterFailure(Duration.ofMinutes(5)).build()).build());
    spark.job(ok.name()).running().succeed();
    ScriptedJob failing = spark.job(bad.name()).running().fail(2, "Error");
    assertThatThrownBy(() -> spark.attach("jobs", ok.name())).isInstanceOf(NotFoundException.class);
    Instant due = failing.retentionExpires().orElseThrow();
    assertThat(spark.deleteExpired(due.minusSeconds(1))).isEmpty();
    assertThat(spark.attach("jobs", bad.name())).isSameAs(bad);
    assertThat(spark.deleteExpired(due)).containsExactly(failing);
    assertThatThrownBy(() -> spark.attach("jobs", bad.name()))
        .isInstanceOf(NotFoundException.class);
    assertThat(bad.state().phase()).isEqualTo(JobPhase.FAILED);
  }

  @Test
  void metricsCountsAndUi() {
    SparkJobHandle h = spark.submit(job("m").historyServerUrl("https://hs.example.com").build());
    ScriptedJob job = spark.onlyJob();
    assertThatThrownBy(h::sparkUi).isInstanceOf(IllegalStateException.class);
    job.pending("ContainerCreating").running();
    try (SparkUi ui = h.sparkUi()) {
      assertThat(ui.live()).isTrue();
    }
    job.executors(2).succeed();
    JobMetrics m = h.metrics();
    assertThat(m.submittedAt()).isPresent();
    assertThat(m.driverRunningAt()).isPresent();
    assertThat(m.firstExecutorAt()).isPresent();
    assertThat(m.totalTime()).isPresent();
    assertThat(h.sparkUi().url()).hasToString("https://hs.example.com/history/" + h.appId() + "/");
    assertThat(spark.jobCounts().succeeded()).isEqualTo(1);
    assertThat(spark.jobCounts().submitted()).isEqualTo(1);
  }
}
