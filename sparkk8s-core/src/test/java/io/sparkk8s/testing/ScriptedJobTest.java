package io.sparkk8s.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle.JobListener;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.exception.SparkK8sException;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// A kit that stops ending jobs or logs must fail these tests, not hang the build.
@Timeout(30)
class ScriptedJobTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private final InMemorySparkKubernetes spark = new InMemorySparkKubernetes();
  private final List<String> told = new ArrayList<>();
  private SparkJobHandle handle;
  private ScriptedJob job;

  @BeforeEach
  void submit() {
    handle = spark.submit(SparkJob.builder().name("pi").namespace("jobs")
        .application(Application.jvm("org.apache.spark.examples.SparkPi",
            "local:///opt/spark/examples/jars/spark-examples.jar"))
        .sparkUser("ana").build());
    job = spark.onlyJob();
    handle.addListener((h, from, to) -> told.add(from.phase() + "->" + to));
  }

  @AfterEach
  void close() {
    spark.close();
  }

  @Test
  void listenersAreToldEveryChangeInOrderWithTheHandle() {
    List<SparkJobHandle> handles = new ArrayList<>();
    handle.addListener((h, from, to) -> handles.add(h));

    job.pending("ContainerCreating").running().executors(2).succeed();

    assertThat(told).containsExactly(
        "SUBMITTED->PENDING (ContainerCreating)",
        "PENDING->RUNNING",
        "RUNNING->RUNNING, 2 executors",
        "RUNNING->SUCCEEDED (Completed) exit 0");
    assertThat(handles).containsOnly(handle).hasSize(4);
    assertThat(job.handle()).isSameAs(handle);
  }

  @Test
  void aChangeToAnEqualStateTellsNobody() {
    job.pending("Unschedulable").pending("Unschedulable").running().running().executors(0);

    assertThat(told).containsExactly("SUBMITTED->PENDING (Unschedulable)", "PENDING->RUNNING");
  }

  @Test
  void pendingCarriesTheSchedulersMessage() {
    job.pending("Unschedulable", "0/3 nodes are available: 3 Insufficient memory.");

    assertThat(handle.state().phase()).isEqualTo(JobPhase.PENDING);
    assertThat(handle.state().reason()).isEqualTo("Unschedulable");
    assertThat(handle.state().message()).isEqualTo("0/3 nodes are available: 3 Insufficient memory.");
  }

  @Test
  void moreExecutorsThanSparkWouldAskForAreRefused() {
    // No instances set: Spark's default of 2.
    assertThatThrownBy(() -> job.running().executors(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 2 executors").hasMessageContaining("executor.instances");
    SparkJobHandle elastic = spark.submit(SparkJob.builder().name("elastic").namespace("jobs")
        .application(Application.jvm("org.apache.spark.examples.SparkPi",
            "local:///opt/spark/examples/jars/spark-examples.jar"))
        .dynamicAllocation(io.sparkk8s.spec.DynamicAllocation.between(0, 10)).build());
    ScriptedJob scripted = spark.job(elastic.name()).running().executors(10);
    assertThat(elastic.state().liveExecutors()).isEqualTo(10);
    assertThatThrownBy(() -> scripted.executors(50))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 10 executors").hasMessageContaining("maxExecutors");
  }

  @Test
  void aJobIsFoundByItsDescriptionNameAsWellAsItsDriverPodName() {
    assertThat(spark.job(handle.name())).isSameAs(job);
    assertThat(spark.job("pi")).isSameAs(job);
    assertThatThrownBy(() -> spark.job("nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no job with driver pod or name 'nope'");
  }

  @Test
  void succeedEndsWithExitCodeZeroAndReasonCompleted() {
    job.running().executors(2).succeed();

    assertThat(handle.state()).isEqualTo(JobState.ended(JobPhase.SUCCEEDED, 0, "Completed", ""));
    assertThat(handle.state().liveExecutors()).isZero();
    assertThat(handle.completion()).isCompletedWithValue(handle.state());
    assertThat(handle.awaitCompletion(Duration.ZERO)).isEqualTo(handle.state());
  }

  @Test
  void failCarriesExitCodeReasonAndMessage() {
    job.running().fail(137, "OOMKilled", "container exceeded its memory limit");

    JobState end = handle.awaitCompletion(Duration.ZERO);
    assertThat(end.phase()).isEqualTo(JobPhase.FAILED);
    assertThat(end.exitCode()).contains(137);
    assertThat(end.reason()).isEqualTo("OOMKilled");
    assertThat(end.message()).isEqualTo("container exceeded its memory limit");
  }

  @Test
  void failWithExitCodeZeroIsRefused() {
    assertThatThrownBy(() -> job.fail(0, "Error"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("succeed()");
    assertThat(handle.state().phase()).isEqualTo(JobPhase.SUBMITTED);
  }

  @Test
  void aChangeAfterTheEndIsABugInTheTestAndNamesTheState() {
    job.running().fail(1, "Error");

    assertThatThrownBy(job::succeed).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("FAILED (Error) exit 1");
    assertThatThrownBy(() -> job.executors(1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(job::running).isInstanceOf(IllegalStateException.class);
    assertThat(handle.state().reason()).isEqualTo("Error");
    assertThat(handle.completion().join().reason()).isEqualTo("Error");
  }

  @Test
  void aRunningJobCannotGoBackToPending() {
    job.running();

    assertThatThrownBy(() -> job.pending("ContainerCreating"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is RUNNING").hasMessageContaining("PENDING");
  }

  @Test
  void anUnknownJobMayGoAnywhere() {
    job.running().executors(2).unknown("NodeLost").pending("ContainerCreating").running();

    assertThat(told).containsExactly(
        "SUBMITTED->RUNNING",
        "RUNNING->RUNNING, 2 executors",
        "RUNNING->UNKNOWN (NodeLost), 2 executors",
        "UNKNOWN->PENDING (ContainerCreating), 2 executors",
        "PENDING->RUNNING, 2 executors");
  }

  @Test
  void theFutureCompletesOnceAfterTheListenersOnTheCallingThread() {
    List<String> order = new ArrayList<>();
    Thread test = Thread.currentThread();
    handle.addListener((h, from, to) -> order.add("listener on test thread: "
        + (Thread.currentThread() == test)));
    handle.completion().thenAccept(end -> order.add("completed " + end.phase()));

    job.running().succeed();

    assertThat(order).containsExactly("listener on test thread: true",
        "listener on test thread: true", "completed SUCCEEDED");
  }

  @Test
  void theCompletionFutureCannotBeCompletedByItsCaller() {
    handle.completion().complete(JobState.ended(JobPhase.SUCCEEDED, 0, "Completed", ""));
    handle.completion().cancel(true);

    assertThat(handle.completion()).isNotDone();
    job.fail(1, "Error");
    assertThat(handle.completion().join().phase()).isEqualTo(JobPhase.FAILED);
  }

  @Test
  void aListenerAddedAfterTheEndOrRemovedIsToldNothing() {
    List<JobState> late = new ArrayList<>();
    JobListener removed = (h, from, to) -> late.add(to);
    handle.addListener(removed);
    handle.removeListener(removed);
    job.running();
    job.succeed();
    handle.addListener((h, from, to) -> late.add(to));

    assertThat(late).isEmpty();
  }

  @Test
  void aFailingListenerDoesNotStopTheOthersAndFailsTheScriptAfterwards() {
    List<JobState> later = new ArrayList<>();
    handle.addListener((h, from, to) -> {
      throw new IllegalArgumentException("listener bug");
    });
    handle.addListener((h, from, to) -> later.add(to));

    assertThatThrownBy(job::succeed).hasMessage("listener bug");
    assertThat(told).hasSize(1);
    assertThat(later).hasSize(1);
    assertThat(handle.completion()).isCompleted();
    assertThat(handle.state().phase()).isEqualTo(JobPhase.SUCCEEDED);
  }

  @Test
  void awaitCompletionWaitsForAnEndScriptedOnAnotherThread() throws Exception {
    CompletableFuture<JobState> waiter =
        CompletableFuture.supplyAsync(() -> handle.awaitCompletion(LONG));

    job.running();
    assertThat(waiter).isNotDone();
    job.succeed();

    assertThat(waiter.get(30, TimeUnit.SECONDS).phase()).isEqualTo(JobPhase.SUCCEEDED);
  }

  @Test
  void awaitCompletionTimesOutWithTheLastState() {
    job.running();

    assertThatThrownBy(() -> handle.awaitCompletion(Duration.ofMillis(10)))
        .isInstanceOf(SparkK8sException.class)
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining(handle.name()).hasMessageContaining("RUNNING");
  }

  @Test
  void theDriverLogHasTheLinesSoFarAndEndsWithTheJob() throws IOException {
    job.running().appendLog("Pi is roughly 3.1416").appendLog("done");
    job.succeed();

    try (InputStream log = handle.driverLog()) {
      assertThat(new String(log.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("Pi is roughly 3.1416\ndone\n");
    }
  }

  @Test
  void theDriverLogFollowsUntilTheJobEnds() throws Exception {
    job.running().appendLog("first");
    InputStream log = handle.driverLog();
    CompletableFuture<String> all = CompletableFuture.supplyAsync(() -> readAll(log));

    job.appendLog("second");
    assertThat(all).isNotDone();
    job.fail(1, "Error");

    assertThat(all.get(30, TimeUnit.SECONDS)).isEqualTo("first\nsecond\n");
  }

  @Test
  void closingTheDriverLogStopsFollowing() throws Exception {
    job.running().appendLog("first");
    InputStream log = handle.driverLog();
    CompletableFuture<String> all = CompletableFuture.supplyAsync(() -> readAll(log));

    log.close();

    assertThat(all.get(30, TimeUnit.SECONDS)).isIn("", "first\n");
    assertThat(handle.state().phase()).isEqualTo(JobPhase.RUNNING);
  }

  @Test
  void appendingToTheLogOfAnEndedJobIsABugInTheTest() {
    job.succeed();

    assertThatThrownBy(() -> job.appendLog("late")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SUCCEEDED");
  }

  @Test
  void killEndsTheJobFailedKilledWithoutExitCodeAndDeletesTheDriver() {
    job.running().executors(2);

    handle.kill();

    assertThat(handle.state().phase()).isEqualTo(JobPhase.FAILED);
    assertThat(handle.state().reason()).isEqualTo("Killed");
    assertThat(handle.state().exitCode()).isEmpty();
    assertThat(handle.state().liveExecutors()).isZero();
    assertThat(told.get(told.size() - 1)).startsWith("RUNNING->FAILED (Killed)");
    assertThatThrownBy(() -> spark.attach("jobs", handle.name()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(handle::driverLog).isInstanceOf(NotFoundException.class);
    assertThat(spark.job(handle.name())).isSameAs(job);
  }

  @Test
  void killAfterTheEndDoesNothing() {
    job.succeed();

    handle.kill();

    assertThat(handle.state().phase()).isEqualTo(JobPhase.SUCCEEDED);
    assertThat(spark.attach("jobs", handle.name())).isSameAs(handle);
  }

  @Test
  void deleteKillsTheJobAndRemovesItFromTheCluster() {
    job.running();

    handle.delete(Duration.ofSeconds(5));

    assertThat(handle.state().reason()).isEqualTo("Killed");
    assertThatThrownBy(() -> spark.attach("jobs", handle.name()))
        .isInstanceOf(NotFoundException.class);
    assertThat(spark.list("jobs", "")).isEmpty();
    assertThat(spark.submitted()).hasSize(1);
  }

  @Test
  void deleteOfAnEndedJobKeepsItsEndAndRemovesIt() {
    job.fail(2, "Error");

    handle.delete(Duration.ofSeconds(5));

    assertThat(handle.state().reason()).isEqualTo("Error");
    assertThat(spark.list("jobs", "")).isEmpty();
  }

  @Test
  void deleteDriverIsSomeoneElseDeletingThePod() {
    job.running();

    job.deleteDriver();

    assertThat(handle.state().phase()).isEqualTo(JobPhase.FAILED);
    assertThat(handle.state().reason()).isEqualTo("DriverDeleted");
    assertThat(handle.state().exitCode()).isEmpty();
    assertThatThrownBy(() -> spark.attach("jobs", handle.name()))
        .isInstanceOf(NotFoundException.class);
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
