package io.sparkk8s.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.exception.ClusterUnreachableException;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.exception.SparkK8sException;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test kit as users use it: code that launches a job, tested without a cluster. */
@Timeout(30)
class NightlyReportTest {
  private static final LocalDate DAY = LocalDate.of(2025, 1, 31);

  /** A user's code: runs one day's report, retrying a submit the cluster did not answer. */
  static final class NightlyReport {
    static final SparkJob TEMPLATE = SparkJob.builder()
        .name("nightly-report")
        .namespace("reports")
        .application(Application.python("gs://acme-jobs/report.py"))
        .serviceAccount("spark")
        .sparkUser("reports")
        .build();

    private final SparkKubernetes spark;
    private final Duration timeout;

    NightlyReport(SparkKubernetes spark, Duration timeout) {
      this.spark = spark;
      this.timeout = timeout;
    }

    /** Runs the report of {@code day}; true when it succeeded. A run that overruns is killed. */
    boolean run(LocalDate day) {
      SparkJob job = TEMPLATE.withArguments(day.toString());
      SparkJobHandle handle;
      try {
        handle = spark.submit(job);
      } catch (ClusterUnreachableException e) {
        handle = spark.submit(job); // safe: a submit that did reach the cluster is attached to
      }
      try {
        return handle.awaitCompletion(timeout).phase() == JobPhase.SUCCEEDED;
      } catch (SparkK8sException e) {
        if (!(e.getCause() instanceof TimeoutException)) {
          throw e;
        }
        handle.kill();
        return false;
      }
    }
  }

  private final InMemorySparkKubernetes spark = new InMemorySparkKubernetes();
  private final NightlyReport report = new NightlyReport(spark, Duration.ofMinutes(1));

  // ---- with the test kit ------------------------------------------------------------------

  @Test
  void aSuccessfulRunSubmitsTheDaysJob() {
    spark.onSubmit(job -> job.pending("ContainerCreating").running().executors(2).succeed());

    assertThat(report.run(DAY)).isTrue();

    var driver = spark.onlyJob().compiled().driverPod();
    assertThat(driver.getMetadata().getNamespace()).isEqualTo("reports");
    assertThat(driver.getSpec().getServiceAccountName()).isEqualTo("spark");
    assertThat(driver.getSpec().getContainers().get(0).getArgs()).contains("2025-01-31");
  }

  @Test
  void aDriverKilledForMemoryIsAFailedRun() {
    spark.onSubmit(job -> job.running().fail(137, "OOMKilled"));

    assertThat(report.run(DAY)).isFalse();
  }

  @Test
  void aSubmitTheClusterDidNotAnswerIsRetriedOnce() {
    spark.failNextSubmit(0).onSubmit(ScriptedJob::succeed);

    assertThat(report.run(DAY)).isTrue();
    assertThat(spark.submitted()).hasSize(1);
  }

  @Test
  void aRetryAfterALostResponseRunsTheJobOnlyOnce() {
    spark.loseNextSubmitResponse().onSubmit(ScriptedJob::succeed);

    assertThat(report.run(DAY)).isTrue();
    assertThat(spark.submitted()).hasSize(1);
  }

  @Test
  void aClusterThatStaysUnreachableFailsTheRun() {
    spark.failNextSubmit(0).failNextSubmit(0);

    assertThatThrownBy(() -> report.run(DAY)).isInstanceOf(ClusterUnreachableException.class);
    assertThat(spark.submitted()).isEmpty();
  }

  @Test
  void aRunThatOverrunsIsKilled() {
    spark.onSubmit(ScriptedJob::running);
    NightlyReport impatient = new NightlyReport(spark, Duration.ofMillis(10));

    assertThat(impatient.run(DAY)).isFalse();

    SparkJobHandle handle = spark.onlyJob().handle();
    assertThat(handle.state().reason()).isEqualTo("Killed");
    assertThatThrownBy(() -> spark.attach("reports", handle.name()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void theJobCanBeScriptedFromTheTestThreadWhileTheReportWaits() throws Exception {
    CompletableFuture<ScriptedJob> submitted = new CompletableFuture<>();
    spark.onSubmit(submitted::complete);

    CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> report.run(DAY));
    ScriptedJob job = submitted.get(30, TimeUnit.SECONDS);
    job.running().appendLog("rows: 1204");
    assertThat(run).isNotDone();
    job.succeed();

    assertThat(run.get(30, TimeUnit.SECONDS)).isTrue();
  }

  // ---- with a Mockito mock: the interface allows it, but the mock knows nothing of Spark ----

  @Test
  void aMockOfTheInterfaceWorksForTheSameCode() {
    SparkKubernetes mockSpark = mock(SparkKubernetes.class);
    SparkJobHandle handle = mock(SparkJobHandle.class);
    when(mockSpark.submit(any(SparkJob.class)))
        .thenThrow(new ClusterUnreachableException("create", "Pod", "reports", "x", 0, null,
            "connect timed out", null))
        .thenReturn(handle);
    when(handle.awaitCompletion(any()))
        .thenReturn(JobState.ended(JobPhase.SUCCEEDED, 0, "Completed", ""));

    assertThat(new NightlyReport(mockSpark, Duration.ofMinutes(1)).run(DAY)).isTrue();

    verify(mockSpark, times(2)).submit(NightlyReport.TEMPLATE.withArguments("2025-01-31"));
  }
}
