package io.sparkk8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.FailureReport.Category;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.testing.InMemorySparkKubernetes;
import io.sparkk8s.testing.ScriptedJob;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureReportTest {
  private static final JobState ERROR = JobState.ended(JobPhase.FAILED, 1, JobReasons.ERROR, "");

  @Test
  void aJvmDriverExceptionAndItsRootCauseAreParsedFromTheLog() {
    List<String> log = List.of(
        "25/12/03 10:00:01 INFO SparkContext: Running Spark version 4.1.1",
        "Exception in thread \"main\" org.apache.spark.SparkException: Job aborted due to stage failure",
        "\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2898)",
        "Caused by: java.io.FileNotFoundException: gs://bucket/in/part-0001 (No such file)",
        "\t... 12 more",
        "Caused by: java.net.UnknownHostException: storage.googleapis.com",
        "25/12/03 10:00:09 INFO ShutdownHookManager: Shutdown hook called");
    FailureReport r = FailureReport.of(ERROR, log, List.of("Started: Started container"), List.of());
    assertThat(r.category()).isEqualTo(Category.DRIVER_EXCEPTION);
    assertThat(r.exception()).contains("org.apache.spark.SparkException");
    assertThat(r.exceptionMessage()).contains("Job aborted due to stage failure");
    assertThat(r.rootCause()).contains("java.net.UnknownHostException: storage.googleapis.com");
    assertThat(r.logTail()).isEqualTo(log);
    assertThat(r.toString()).startsWith("FAILED (driver exception): org.apache.spark.SparkException:"
        + " Job aborted due to stage failure\n  reason Error, exit code 1\n  root cause:"
        + " java.net.UnknownHostException: storage.googleapis.com\n  events: Started: Started container");
  }

  @Test
  void aPythonTracebackNamesItsErrorNotTheFramesAbove() {
    List<String> log = List.of("Traceback (most recent call last):",
        "  File \"/opt/app/etl.py\", line 12, in <module>",
        "    raise ValueError(\"no rows for 2026-12-03\")",
        "ValueError: no rows for 2026-12-03");
    FailureReport r = FailureReport.of(ERROR, log, List.of(), List.of());
    assertThat(r.category()).isEqualTo(Category.DRIVER_EXCEPTION);
    assertThat(r.exception()).contains("ValueError");
    assertThat(r.exceptionMessage()).contains("no rows for 2026-12-03");
  }

  @Test
  void kubernetesReasonsDecideTheCategoryBeforeTheLog() {
    assertThat(FailureReport.of(JobState.ended(JobPhase.FAILED, 137, JobReasons.OOM_KILLED, ""),
        List.of(), List.of(), List.of()).category()).isEqualTo(Category.OUT_OF_MEMORY);
    assertThat(FailureReport.of(JobState.ended(JobPhase.FAILED, JobReasons.IMAGE_PULL_BACK_OFF,
        ""), List.of(), List.of(), List.of()).category()).isEqualTo(Category.IMAGE_PULL);
    assertThat(FailureReport.of(JobState.ended(JobPhase.FAILED, JobReasons.START_TIMEOUT, ""),
        List.of(), List.of(), List.of()).category()).isEqualTo(Category.START_TIMEOUT);
    assertThat(FailureReport.of(ERROR, List.of("Exception in thread \"main\""
        + " java.lang.OutOfMemoryError: Java heap space"), List.of(), List.of()).category())
        .isEqualTo(Category.OUT_OF_MEMORY);
    FailureReport plain = FailureReport.of(ERROR, List.of("bye"), List.of(), List.of());
    assertThat(plain.category()).isEqualTo(Category.EXIT_CODE);
    assertThat(plain.exception()).isEmpty();
  }

  @Test
  void aMainClassSparkCannotLoadIsAClassNotFound() {
    FailureReport r = FailureReport.of(JobState.ended(JobPhase.FAILED, 101, JobReasons.ERROR, ""),
        List.of("25/12/03 10:00:01 WARN NativeCodeLoader: Unable to load native-hadoop library",
            "25/12/03 10:00:01 ERROR SparkSubmit: Failed to load class com.example.NoSuchMain.",
            "25/12/03 10:00:01 INFO ShutdownHookManager: Shutdown hook called"),
        List.of(), List.of());
    assertThat(r.category()).isEqualTo(Category.DRIVER_EXCEPTION);
    assertThat(r.exception()).contains("java.lang.ClassNotFoundException");
    assertThat(r.exceptionMessage()).contains("com.example.NoSuchMain");
  }

  @Test
  void anExecutorTheKernelKilledMakesTheFailureOneOfMemory() {
    FailureReport r = FailureReport.of(ERROR, List.of(
        "25/12/03 10:02:11 ERROR TaskSchedulerImpl: Lost executor 1 on 10.88.0.7: The executor with"
            + " id 1 exited with exit code 137(SIGKILL, possible container OOM).",
        "Exception in thread \"main\" org.apache.spark.SparkException: Job aborted due to stage"
            + " failure: ExecutorLostFailure (executor 1 exited caused by one of the running tasks)"
            + " Reason: ",
        "The executor with id 1 exited with exit code 137(SIGKILL, possible container OOM).",
        "The API gave the following container statuses:",
        "Driver stacktrace:",
        "\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2935)"),
        List.of(), List.of());
    assertThat(r.category()).isEqualTo(Category.OUT_OF_MEMORY);
    assertThat(r.exception()).contains("org.apache.spark.SparkException");
    // The reason Spark gives on the line after "Reason:" is part of the message.
    assertThat(r.exceptionMessage()).hasValueSatisfying(m -> assertThat(m)
        .endsWith("Reason: The executor with id 1 exited with exit code 137(SIGKILL, possible"
            + " container OOM)."));
  }

  @Test
  void onlyTheLastLinesAreKept() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      text.append("line ").append(i).append('\n');
    }
    List<String> last = FailureReport.lastLines(new ByteArrayInputStream(
        text.toString().getBytes(StandardCharsets.UTF_8)), 2_000);
    assertThat(last).hasSize(2_000).startsWith("line 3000").endsWith("line 4999");
    List<String> big = new ArrayList<>(last);
    assertThat(FailureReport.of(ERROR, big, List.of(), List.of()).logTail())
        .hasSize(FailureReport.LOG_LINES).endsWith("line 4999");
  }

  @Test
  void theTestKitsHandleReportsFromItsScriptedLog() {
    try (InMemorySparkKubernetes spark = new InMemorySparkKubernetes()) {
      SparkJobHandle h = spark.submit(SparkJob.builder().name("etl").namespace("jobs")
          .application(Application.jvm("a.B", "local:///opt/app.jar")).build());
      assertThat(h.failureReport()).isEmpty();
      ScriptedJob job = spark.onlyJob();
      job.running().appendLog("Exception in thread \"main\" java.lang.IllegalStateException: boom")
          .fail(1, JobReasons.ERROR);
      FailureReport r = h.failureReport().orElseThrow();
      assertThat(r.category()).isEqualTo(Category.DRIVER_EXCEPTION);
      assertThat(r.exception()).contains("java.lang.IllegalStateException");
      assertThat(r.exceptionMessage()).contains("boom");
    }
  }
}
