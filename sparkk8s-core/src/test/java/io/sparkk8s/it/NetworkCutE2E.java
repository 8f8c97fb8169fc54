package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network between the SDK and the API server is cut for 30 s (issue 8, part 4): a proxy on
 * loopback drops every connection and refuses new ones, while jobs run and end on the cluster.
 */
@RealCluster
class NetworkCutE2E {
  static final Duration OUTAGE = Duration.ofSeconds(30);

  /**
   * No handle reports an end during the cut; afterwards each reaches the state the cluster gave
   * it, exactly once; a submit made during the cut completes after it; no thread is leaked.
   */
  @Test
  void aThirtySecondCutLeavesNoFalseEndNoLeakAndEveryJobRecovers(ClusterConnection cluster,
      TestNamespace ns, @TempDir Path dir) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    FaultKit.requireKwok(core);
    int jobs = 10;
    FaultKit.Transitions seen = new FaultKit.Transitions();
    try (FaultProxy proxy = FaultKit.proxyTo(cluster);
        SparkKubernetes spark = SparkKubernetes.fromKubeconfig(
            FaultKit.kubeconfigVia(cluster, proxy, dir), Optional.empty())) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      List<SparkJobHandle> handles = FaultKit.runningKwokJobs(spark, core, ns, "cut", jobs, seen,
          Duration.ofSeconds(60));
      int threadsBefore = FaultKit.nonProxyThreads().size();

      // The cut: nothing gets through for 30 s. Meanwhile half the jobs end on the cluster
      // (written straight to the API server, not through the proxy) and one job is submitted.
      long cutAt = System.nanoTime();
      proxy.cutFor(OUTAGE);
      List<SparkJobHandle> ending = handles.subList(0, jobs / 2);
      for (int i = 0; i < ending.size(); i++) {
        FaultKit.setDriver(core, ns.name(), ending.get(i).name(), i % 2 == 0 ? 0 : 3);
      }
      CompletableFuture<SparkJobHandle> lateSubmit = CompletableFuture.supplyAsync(
          () -> spark.submit(FaultKit.kwokJob(ns, "submitted-during-cut")));
      await("no handle ends while the API server is unreachable")
          .during(OUTAGE.minusSeconds(3)).atMost(OUTAGE)
          .until(() -> handles.stream().noneMatch(h -> h.state().phase().isFinal()));
      int threadsDuringCut = FaultKit.nonProxyThreads().size();

      await("proxy listening again").atMost(Duration.ofSeconds(10)).until(proxy::listening);
      long restoredAt = System.nanoTime();
      await("the ended jobs' handles to catch up").atMost(Duration.ofSeconds(60))
          .until(() -> ending.stream().allMatch(h -> h.state().phase().isFinal()));
      long recoveryMs = (System.nanoTime() - restoredAt) / 1_000_000;
      SparkJobHandle late = lateSubmit.get();
      long lateSubmitMs = (System.nanoTime() - cutAt) / 1_000_000;

      for (int i = 0; i < ending.size(); i++) {
        JobState end = ending.get(i).state();
        assertThat(end.phase()).isEqualTo(i % 2 == 0 ? JobPhase.SUCCEEDED : JobPhase.FAILED);
        assertThat(end.exitCode()).contains(i % 2 == 0 ? 0 : 3);
      }
      List<SparkJobHandle> running = handles.subList(jobs / 2, jobs);
      assertThat(running).allSatisfy(h -> assertThat(h.state().phase()).isEqualTo(JobPhase.RUNNING));
      // The rest end after the cut, as the cluster says.
      for (SparkJobHandle h : running) {
        FaultKit.setDriver(core, ns.name(), h.name(), 0);
      }
      FaultKit.setDriver(core, ns.name(), late.name(), null);
      FaultKit.setDriver(core, ns.name(), late.name(), 0);
      for (SparkJobHandle h : running) {
        assertThat(h.awaitCompletion(Duration.ofSeconds(60)).phase()).isEqualTo(JobPhase.SUCCEEDED);
      }
      assertThat(late.awaitCompletion(Duration.ofSeconds(60)).phase()).isEqualTo(JobPhase.SUCCEEDED);
      await("listeners told of every end").atMost(Duration.ofSeconds(10))
          .until(() -> handles.stream().allMatch(h -> seen.intoFinal(h.name()) == 1));
      for (SparkJobHandle h : handles) {
        assertThat(seen.startsRunning(h.name())).as("%s started running", h.name()).isEqualTo(1);
        assertThat(seen.intoFinal(h.name())).as("%s ended", h.name()).isEqualTo(1);
        JobPhase end = h.state().phase();
        assertThat(seen.phases(h.name())).as("%s: its path, nothing missed or repeated", h.name())
            .isIn(List.of(JobPhase.PENDING, JobPhase.RUNNING, end), List.of(JobPhase.RUNNING, end));
      }
      long drivers = core.listNamespacedPod(ns.name()).labelSelector("spark-role=driver").execute()
          .getItems().size();
      assertThat(drivers).as("one driver per submit, the one made during the cut included")
          .isEqualTo(jobs + 1);

      // Threads: OkHttp's idle workers end after a minute of idleness; none may stay beyond those.
      await("threads back to their number before the cut").atMost(Duration.ofSeconds(90))
          .until(() -> FaultKit.nonProxyThreads().size() <= threadsBefore + 2);
      int threadsAfter = FaultKit.nonProxyThreads().size();
      // Null once every job ended and the namespace went quiet: its watch is closed then.
      var watch = spark.diagnostics().watches().get(ns.name());
      var retries = spark.diagnostics().apiCalls();
      System.out.printf("[faults] network cut: %d jobs in flight; injected a %d s cut (%s); "
          + "no handle ended during it; %d jobs that ended during it caught up %d ms after it, "
          + "exactly once each; a submit made during it returned after %d ms; watch %s; "
          + "retries %s; threads %d before, %d during, %d after (%s)%n",
          jobs, OUTAGE.toSeconds(), proxy.stats(), ending.size(), recoveryMs, lateSubmitMs, watch,
          retries, threadsBefore, threadsDuringCut, threadsAfter,
          FaultKit.nonProxyThreads().stream().sorted().collect(Collectors.joining(",")));
      assertThat(lateSubmitMs).as("the submit waited out the cut")
          .isGreaterThanOrEqualTo(OUTAGE.toMillis() - 2000);
    } finally {
      FaultKit.forceDeletePods(core, ns.name());
    }
  }
}
