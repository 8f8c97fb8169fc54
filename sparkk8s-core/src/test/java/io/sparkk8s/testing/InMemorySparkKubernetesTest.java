package io.sparkk8s.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.JobPhase;
import io.sparkk8s.OnConflict;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.exception.ClusterUnreachableException;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.ForbiddenException;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(30)
class InMemorySparkKubernetesTest {
  private static final SparkJob PI = SparkJob.builder().name("pi").namespace("jobs")
      .application(Application.jvm("org.apache.spark.examples.SparkPi",
          "local:///opt/spark/examples/jars/spark-examples.jar"))
      .sparkUser("ana").build();

  private final InMemorySparkKubernetes spark = new InMemorySparkKubernetes();

  // ---- submit -----------------------------------------------------------------------------

  @Test
  void submitCompilesTheJobAsTheRealClientAndRecordsIt() {
    SparkJobHandle handle = spark.submit(PI);

    var expected = SparkCompiler.compile(PI);
    assertThat(handle.namespace()).isEqualTo("jobs");
    assertThat(handle.name()).isEqualTo(expected.driverPodName());
    assertThat(handle.appId()).isEqualTo(expected.appId());
    assertThat(handle.state().phase()).isEqualTo(JobPhase.SUBMITTED);
    assertThat(spark.submitted()).singleElement()
        .satisfies(c -> assertThat(c.toYaml()).isEqualTo(expected.toYaml()));
    assertThat(spark.onlyJob().handle()).isSameAs(handle);
    assertThat(spark.job(expected.driverPodName()).handle()).isSameAs(handle);
  }

  @Test
  void scriptedProgressIsReportedOnlyWhileTheJobRuns() {
    SparkJobHandle handle = spark.submit(PI);
    io.sparkk8s.SparkProgress half = new io.sparkk8s.SparkProgress(java.time.Instant.now(), 1, 0,
        0, 1, 0, 0, 2, 200, 0, 400, 2, 0, 0, 0);
    spark.onlyJob().progress(half);
    assertThat(handle.progress()).as("not running yet").isEmpty();
    spark.onlyJob().running();
    assertThat(handle.progress()).contains(half);
    spark.onlyJob().succeed();
    assertThat(handle.progress()).as("ended").isEmpty();
  }

  @Test
  void progressListenersAreToldNewFiguresWhileTheJobRunsAndNothingAfterItsEnd() {
    SparkJobHandle handle = spark.submit(PI);
    List<String> told = new java.util.ArrayList<>();
    handle.addListener((j, from, to) -> told.add(to.phase().toString()));
    handle.addProgressListener((j, p) -> told.add(p.completedTasks() + "/" + p.totalTasks()));
    java.time.Instant t = java.time.Instant.now();
    spark.onlyJob().progress(progress(t, 0, 400));
    assertThat(told).as("not running yet: nothing read").isEmpty();
    spark.onlyJob().running();
    assertThat(told).containsExactly("RUNNING", "0/400");
    spark.onlyJob().progress(progress(t.plusSeconds(2), 0, 400)); // same figures, read later
    spark.onlyJob().progress(progress(t.plusSeconds(4), 200, 400));
    spark.onlyJob().progress(progress(t.plusSeconds(6), 400, 400));
    spark.onlyJob().succeed();
    spark.onlyJob().progress(progress(t.plusSeconds(8), 401, 401)); // after the end: not told
    assertThat(told).containsExactly("RUNNING", "0/400", "200/400", "400/400", "SUCCEEDED");
  }

  private static io.sparkk8s.SparkProgress progress(java.time.Instant at, long done, long total) {
    return new io.sparkk8s.SparkProgress(at, 1, 0, 0, 1, 0, 0, 2, done, 0, total, 2, 0, 0, 0);
  }

  @Test
  void aRetriedSubmitAttachesToTheSameJobEvenAfterItEnded() {
    SparkJobHandle first = spark.submit(PI);
    spark.onlyJob().running().succeed();

    SparkJobHandle again = spark.submit(PI, OnConflict.ATTACH);

    assertThat(again).isSameAs(first);
    assertThat(again.state().phase()).isEqualTo(JobPhase.SUCCEEDED);
    assertThat(spark.submitted()).hasSize(1);
  }

  @Test
  void aNewAppIdIsANewJob() {
    SparkJobHandle first = spark.submit(PI);
    SparkJobHandle second = spark.submit(PI.withAppId(SparkJob.newAppId()));

    assertThat(second.name()).isNotEqualTo(first.name());
    assertThat(spark.jobs()).extracting(ScriptedJob::handle).containsExactly(first, second);
  }

  @Test
  void onConflictFailRefusesAnExistingDriver() {
    SparkJobHandle first = spark.submit(PI);

    assertThatThrownBy(() -> spark.submit(PI, OnConflict.FAIL))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.code()).isEqualTo(409);
          assertThat(e.kind()).isEqualTo("Pod");
          assertThat(e.namespace()).isEqualTo("jobs");
          assertThat(e.name()).isEqualTo(first.name());
          assertThat(e.status()).hasValueSatisfying(s -> assertThat(s.getReason())
              .isEqualTo("AlreadyExists"));
        })
        .hasMessageContaining("OnConflict.REPLACE");
    assertThat(spark.submitted()).hasSize(1);
  }

  @Test
  void onConflictReplaceDeletesTheOldDriverBeforeSubmitting() {
    SparkJobHandle old = spark.submit(PI);
    spark.onlyJob().running();
    List<String> seenByOldListener = new ArrayList<>();
    old.addListener((h, from, to) -> {
      try {
        spark.attach("jobs", h.name());
        seenByOldListener.add("driver still there");
      } catch (NotFoundException e) {
        seenByOldListener.add("driver gone");
      }
    });

    SparkJobHandle replacement = spark.submit(PI, OnConflict.REPLACE);

    assertThat(old.state().phase()).isEqualTo(JobPhase.FAILED);
    assertThat(old.state().reason()).isEqualTo("DriverDeleted");
    assertThat(old.state().exitCode()).isEmpty();
    assertThat(seenByOldListener).containsExactly("driver gone");
    assertThat(replacement).isNotSameAs(old);
    assertThat(replacement.name()).isEqualTo(old.name());
    assertThat(replacement.state().phase()).isEqualTo(JobPhase.SUBMITTED);
    assertThat(spark.attach("jobs", old.name())).isSameAs(replacement);
    assertThat(spark.job(old.name()).handle()).isSameAs(replacement);
    assertThat(spark.submitted()).hasSize(2);
  }

  @Test
  void replacingAnEndedJobKeepsItsEnd() {
    SparkJobHandle old = spark.submit(PI);
    spark.onlyJob().succeed();

    spark.submit(PI, OnConflict.REPLACE);

    assertThat(old.state().reason()).isEqualTo("Completed");
  }

  @Test
  void concurrentSubmitsOfOneJobCreateItOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Callable<SparkJobHandle>> submits = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        submits.add(() -> {
          start.await();
          return spark.submit(PI);
        });
      }
      List<Future<SparkJobHandle>> handles = new ArrayList<>();
      for (Callable<SparkJobHandle> s : submits) {
        handles.add(pool.submit(s));
      }
      start.countDown();
      for (Future<SparkJobHandle> h : handles) {
        assertThat(h.get(30, TimeUnit.SECONDS)).isSameAs(spark.onlyJob().handle());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- attach and list --------------------------------------------------------------------

  @Test
  void attachGivesTheSameHandleOrNotFound() {
    SparkJobHandle handle = spark.submit(PI);

    assertThat(spark.attach("jobs", handle.name())).isSameAs(handle);
    assertThatThrownBy(() -> spark.attach("other", handle.name()))
        .isInstanceOfSatisfying(NotFoundException.class, e -> {
          assertThat(e.code()).isEqualTo(404);
          assertThat(e.namespace()).isEqualTo("other");
          assertThat(e.name()).isEqualTo(handle.name());
        });
  }

  @ParameterizedTest(name = "\"{0}\" selects {1}")
  @CsvSource(delimiter = '|', value = {
      "''                                      | a b c",
      "team=data                               | a b",
      "team==data                              | a b",
      "team!=data                              | c",
      "tier                                    | a",
      "!tier                                   | b c",
      "team=data,!tier                         | b",
      "team in (data, web), tier notin (gold)  | b c",
      "spark-role=driver                       | a b c",
      "spark-role=executor                     | ''",
      "team=ops                                | ''",
  })
  void listSelectsDriversByTheirLabels(String selector, String expected) {
    Map<String, SparkJobHandle> byName = new HashMap<>();
    byName.put("a", spark.submit(PI.withName("a").withLabels(Map.of("team", "data", "tier", "gold"))));
    byName.put("b", spark.submit(PI.withName("b").withLabels(Map.of("team", "data"))));
    byName.put("c", spark.submit(PI.withName("c").withLabels(Map.of("team", "web"))));
    spark.submit(PI.withName("d").withNamespace("other").withLabels(Map.of("team", "data")));

    List<SparkJobHandle> want = expected.isBlank() ? List.of()
        : Arrays.stream(expected.split(" ")).map(byName::get).toList();
    assertThat(spark.list("jobs", selector)).containsExactlyElementsOf(want);
  }

  @Test
  void listIsPerNamespaceAndLeavesDeletedDriversOut() {
    SparkJobHandle a = spark.submit(PI.withName("a"));
    SparkJobHandle b = spark.submit(PI.withName("b"));
    SparkJobHandle other = spark.submit(PI.withName("c").withNamespace("other"));

    a.kill();

    assertThat(spark.list("jobs", null)).containsExactly(b);
    assertThat(spark.list("other", "")).containsExactly(other);
  }

  @Test
  void aMalformedSelectorIsRefusedAsTheApiServerWould() {
    assertThatThrownBy(() -> spark.list("jobs", "team in (data"))
        .isInstanceOfSatisfying(KubernetesApiException.class,
            e -> assertThat(e.code()).isEqualTo(400));
    assertThatThrownBy(() -> spark.list("jobs", "team=data,,tier"))
        .isInstanceOf(KubernetesApiException.class).hasMessageContaining("unable to parse");
    assertThatThrownBy(() -> spark.list("jobs", "=data")).isInstanceOf(KubernetesApiException.class);
  }

  // ---- service accounts and close ---------------------------------------------------------

  @Test
  void ensuredServiceAccountsAreRecordedOnce() {
    spark.ensureDriverServiceAccount("jobs", "spark");
    spark.ensureDriverServiceAccount("etl", "spark");
    spark.ensureDriverServiceAccount("jobs", "spark");

    assertThat(spark.serviceAccounts()).containsExactly("jobs/spark", "etl/spark");
  }

  @Test
  void aClosedClientRefusesCallsButCanStillBeInspected() {
    SparkJobHandle handle = spark.submit(PI);
    spark.close();
    spark.close();

    assertThat(spark.isClosed()).isTrue();
    assertThatThrownBy(() -> spark.submit(PI)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> spark.attach("jobs", handle.name()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> spark.list("jobs", "")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> spark.ensureDriverServiceAccount("jobs", "spark"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(spark.submitted()).hasSize(1);
    spark.onlyJob().running().succeed();
    assertThat(handle.awaitCompletion(Duration.ZERO).phase()).isEqualTo(JobPhase.SUCCEEDED);
  }

  // ---- failures ---------------------------------------------------------------------------

  @Test
  void failNextSubmitThrowsWhatTheRealClientThrowsForThatAnswer() {
    String driver = SparkCompiler.compile(PI).driverPodName();
    spark.failNextSubmit(0).failNextSubmit(403).failNextSubmit(503);

    assertThatThrownBy(() -> spark.submit(PI))
        .isInstanceOfSatisfying(ClusterUnreachableException.class, e -> {
          assertThat(e.code()).isZero();
          assertThat(e.operation()).isEqualTo("create");
          assertThat(e.name()).isEqualTo(driver);
        });
    assertThatThrownBy(() -> spark.submit(PI))
        .isInstanceOfSatisfying(ForbiddenException.class, e -> assertThat(e.code()).isEqualTo(403));
    assertThatThrownBy(() -> spark.submit(PI))
        .isExactlyInstanceOf(KubernetesApiException.class)
        .hasMessageContaining("HTTP 503").hasMessageContaining(driver);
    assertThat(spark.submitted()).isEmpty();

    assertThat(spark.submit(PI).name()).isEqualTo(driver);
    assertThat(spark.submitted()).hasSize(1);
  }

  @Test
  void failNextSubmitCanThrowAGivenException() {
    var error = new ForbiddenException("create", "Pod", "jobs", "x", 403, null, "quota", null);
    spark.failNextSubmit(error);

    assertThatThrownBy(() -> spark.submit(PI)).isSameAs(error);
    assertThat(spark.submitted()).isEmpty();
  }

  @Test
  void failNextSubmitRefusesAnswersThatAreNotFailures() {
    assertThatThrownBy(() -> spark.failNextSubmit(200)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> spark.failNextSubmit(409)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("submit the job twice");
  }

  @Test
  void aLostResponseLeavesTheJobCreatedAndARetryAttachesToIt() {
    spark.loseNextSubmitResponse();

    assertThatThrownBy(() -> spark.submit(PI)).isInstanceOf(ClusterUnreachableException.class);
    assertThat(spark.submitted()).hasSize(1);

    SparkJobHandle retried = spark.submit(PI);
    assertThat(retried).isSameAs(spark.onlyJob().handle());
  }

  // ---- scripting and inspection -----------------------------------------------------------

  @Test
  void onSubmitScriptsEveryCreatedJobButNotAnAttach() {
    List<String> scripted = new ArrayList<>();
    spark.onSubmit(job -> {
      scripted.add(job.compiled().driverPodName());
      job.running();
    });

    SparkJobHandle handle = spark.submit(PI);
    spark.submit(PI);

    assertThat(scripted).containsExactly(handle.name());
    assertThat(handle.state().phase()).isEqualTo(JobPhase.RUNNING);
  }

  @Test
  void jobAndOnlyJobSayWhatWasSubmitted() {
    assertThatThrownBy(spark::onlyJob).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("found 0");
    spark.submit(PI.withName("a"));
    spark.submit(PI.withName("b"));

    assertThatThrownBy(spark::onlyJob).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("found 2").hasMessageContaining("jobs/a-");
    assertThatThrownBy(() -> spark.job("nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nope'").hasMessageContaining("jobs/b-");
  }

  @Test
  void aPlatformDeploysOnceThenReportsNoChangeAndKeepsItsTokenAcrossTeardown() {
    var platform = io.sparkk8s.spec.SparkPlatform.builder().name("team").namespace("data")
        .addNotebook(io.sparkk8s.spec.NotebookEnvironment.jupyter("lab")).build();
    try (InMemorySparkKubernetes spark = new InMemorySparkKubernetes()) {
      var first = spark.deploy(platform);
      assertThat(first.created()).contains("Deployment/team-lab", "Secret/team-lab-token",
          "PersistentVolumeClaim/team-lab-notebooks");
      assertThat(spark.deploy(platform).noChange()).isTrue();
      assertThat(spark.status(platform).ready()).isTrue();
      String token = spark.notebookToken(platform, "lab");

      spark.teardown(platform);
      assertThat(spark.status(platform).component("lab").orElseThrow().detail()).isEqualTo("not deployed");
      var redeploy = spark.deploy(platform);
      assertThat(redeploy.unchanged()).contains("PersistentVolumeClaim/team-lab-notebooks");
      assertThat(spark.notebookToken(platform, "lab")).isEqualTo(token);
      assertThat(spark.platforms()).containsExactly(platform);
    }
  }

  @Test
  void aDryRunReportsWhatADeployWouldDoAndRecordsNothing() {
    var platform = io.sparkk8s.spec.SparkPlatform.builder().name("team").namespace("data")
        .addNotebook(io.sparkk8s.spec.NotebookEnvironment.zeppelin("zep")).build();
    try (InMemorySparkKubernetes spark = new InMemorySparkKubernetes()) {
      var dry = spark.deploy(platform, io.sparkk8s.DeployOptions.dryRun());
      assertThat(dry.dryRun()).isTrue();
      assertThat(dry.created()).contains("Deployment/team-zep", "Secret/team-zep-login",
          "PersistentVolumeClaim/team-zep-notebooks");
      assertThat(spark.platforms()).isEmpty();
      assertThat(spark.status(platform).ready()).isFalse();

      var real = spark.deploy(platform);
      assertThat(real.dryRun()).isFalse();
      assertThat(real.created()).isEqualTo(dry.created());
      assertThat(spark.deploy(platform, io.sparkk8s.DeployOptions.dryRun()).noChange()).isTrue();
    }
  }

  @Test
  void zeppelinCredentialsNameTheUserAndKeepThePasswordAcrossRedeploys() {
    var platform = io.sparkk8s.spec.SparkPlatform.builder().name("team").namespace("data")
        .addNotebook(io.sparkk8s.spec.NotebookEnvironment.zeppelin("zep"))
        .addNotebook(io.sparkk8s.spec.NotebookEnvironment.jupyter("lab")).build();
    try (InMemorySparkKubernetes spark = new InMemorySparkKubernetes()) {
      spark.deploy(platform);
      var zep = spark.notebookCredentials(platform, "zep");
      var lab = spark.notebookCredentials(platform, "lab");

      assertThat(zep.kind()).isEqualTo(io.sparkk8s.spec.NotebookEnvironment.Kind.ZEPPELIN);
      assertThat(zep.user()).hasValue("admin");
      assertThat(zep.secret()).hasSizeGreaterThanOrEqualTo(32);
      assertThat(zep.toString()).doesNotContain(zep.secret());
      assertThat(lab.user()).isEmpty();
      assertThat(spark.deploy(platform).noChange()).isTrue();
      assertThat(spark.notebookCredentials(platform, "zep").secret()).isEqualTo(zep.secret());
      assertThatThrownBy(() -> spark.notebookCredentials(platform, "nope"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nope'");
    }
  }

  @Test
  void aPlatformsShuffleServiceIsDeployedAndReportedLikeItsOtherServices() {
    var platform = io.sparkk8s.spec.SparkPlatform.builder().name("team").namespace("data")
        .shuffleService(io.sparkk8s.spec.CelebornShuffle.defaults()).build();
    try (InMemorySparkKubernetes spark = new InMemorySparkKubernetes()) {
      assertThat(spark.deploy(platform).created()).contains("StatefulSet/team-celeborn-master",
          "StatefulSet/team-celeborn-worker", "ConfigMap/team-celeborn-conf");
      assertThat(spark.status(platform).components()).extracting(c -> c.name() + " " + c.url())
          .containsExactly("celeborn-master tcp://team-celeborn-master.data.svc:9097",
              "celeborn-worker tcp://team-celeborn-worker.data.svc:9091");
      assertThat(spark.deploy(platform.withShuffleService(io.sparkk8s.spec.ShuffleTracking.defaults()))
          .deleted()).contains("StatefulSet/team-celeborn-master", "Service/team-celeborn-worker");
    }
  }
}
