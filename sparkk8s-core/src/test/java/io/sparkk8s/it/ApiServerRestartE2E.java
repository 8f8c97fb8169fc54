package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The API server is killed with SIGKILL and started again while 50 jobs run (issue 8, part 1):
 * every handle reaches the end the cluster gave its job, exactly once, and a submit made while the
 * server was down completes once it is back, with one driver.
 *
 * <p>Jobs run on KWOK nodes and the test writes their drivers' status, as a kubelet would, so each
 * job's end is known: some end before the kill, some right after the restart, some are deleted
 * after it, the rest end later. This disrupts the shared local cluster for a few seconds; it runs
 * in the disruptive group (see the e2e profile).
 */
@RealCluster
@Tag("disruptive")
class ApiServerRestartE2E {

  @Test
  void fiftyJobsSurviveAnApiServerKillAndEachEndsRightExactlyOnce(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    var restart = LocalCluster.requireRestartable(cluster);
    CoreV1Api core = new CoreV1Api(cluster.client());
    FaultKit.requireKwok(core);
    int jobs = 50;
    FaultKit.Transitions seen = new FaultKit.Transitions();
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(),
        Optional.empty())) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      List<SparkJobHandle> handles = FaultKit.runningKwokJobs(spark, core, ns, "restart", jobs, seen,
          Duration.ofSeconds(90));

      // What each job's end will be: exit codes, and five drivers deleted.
      Map<SparkJobHandle, JobState> expected = new LinkedHashMap<>();
      for (int i = 0; i < jobs; i++) {
        int code = i % 4 == 3 ? 1 + i % 5 : 0;
        expected.put(handles.get(i), code == 0 ? JobState.ended(JobPhase.SUCCEEDED, 0, "Completed", "")
            : JobState.ended(JobPhase.FAILED, code, "Error", ""));
      }
      List<SparkJobHandle> endBefore = handles.subList(0, 10);
      List<SparkJobHandle> endRightAfter = handles.subList(10, 30);
      List<SparkJobHandle> deletedAfter = handles.subList(30, 35);
      List<SparkJobHandle> endLater = handles.subList(35, jobs);
      deletedAfter.forEach(h -> expected.put(h,
          JobState.ended(JobPhase.FAILED, "DriverDeleted", "")));

      for (SparkJobHandle h : endBefore) {
        FaultKit.setDriver(core, ns.name(), h.name(), expected.get(h).exitCode().orElseThrow());
      }
      long killAt = System.nanoTime();
      CompletableFuture<String> restarted =
          CompletableFuture.supplyAsync(() -> LocalCluster.restartUnchecked(restart,
              "kube-apiserver", "--down", "3"));
      await("the API server to be down").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100)).until(() -> !LocalCluster.apiServerAnswers(core));
      long downAt = System.nanoTime();
      // A submit while there is no API server: it retries until the server is back.
      CompletableFuture<SparkJobHandle> duringOutage = CompletableFuture.supplyAsync(
          () -> spark.submit(FaultKit.kwokJob(ns, "submitted-in-outage")));
      String report = restarted.get();
      long backAt = System.nanoTime();
      for (SparkJobHandle h : endRightAfter) {
        FaultKit.setDriver(core, ns.name(), h.name(), expected.get(h).exitCode().orElseThrow());
      }
      for (SparkJobHandle h : deletedAfter) {
        core.deleteNamespacedPod(h.name(), ns.name()).gracePeriodSeconds(0).execute();
      }
      List<SparkJobHandle> firstWave = new ArrayList<>(endBefore);
      firstWave.addAll(endRightAfter);
      firstWave.addAll(deletedAfter);
      await("the handles of jobs that ended around the restart").atMost(Duration.ofSeconds(90))
          .until(() -> firstWave.stream().allMatch(h -> h.state().phase().isFinal()));
      long recoveryMs = (System.nanoTime() - backAt) / 1_000_000;
      assertThat(endLater).allSatisfy(h -> assertThat(h.state().phase()).isEqualTo(JobPhase.RUNNING));
      for (SparkJobHandle h : endLater) {
        FaultKit.setDriver(core, ns.name(), h.name(), expected.get(h).exitCode().orElseThrow());
      }
      SparkJobHandle late = duringOutage.get();
      FaultKit.setDriver(core, ns.name(), late.name(), 0);
      assertThat(late.awaitCompletion(Duration.ofSeconds(60)).phase()).isEqualTo(JobPhase.SUCCEEDED);
      for (SparkJobHandle h : handles) {
        JobState end = h.awaitCompletion(Duration.ofSeconds(90));
        JobState want = expected.get(h);
        assertThat(end.phase()).as("%s", h.name()).isEqualTo(want.phase());
        assertThat(end.reason()).as("%s", h.name()).isEqualTo(want.reason());
        assertThat(end.exitCode()).as("%s", h.name()).isEqualTo(want.exitCode());
      }
      await("listeners told of every end").atMost(Duration.ofSeconds(10))
          .until(() -> handles.stream().allMatch(h -> seen.intoFinal(h.name()) == 1));
      for (SparkJobHandle h : handles) {
        assertThat(seen.intoFinal(h.name())).as("%s: ends", h.name()).isEqualTo(1);
        assertThat(seen.startsRunning(h.name())).as("%s: starts", h.name()).isEqualTo(1);
      }
      long drivers = core.listNamespacedPod(ns.name()).labelSelector("spark-role=driver")
          .execute().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
          .count();
      Map<JobPhase, Long> ends = handles.stream().collect(Collectors.groupingBy(
          h -> h.state().phase(), Collectors.counting()));
      System.out.printf("[faults] API server killed: %d jobs in flight (+1 submitted during the "
          + "outage); injected SIGKILL of kube-apiserver (%s; unreachable from the test %d ms after "
          + "the kill); outcomes %s, all as expected, each "
          + "told once; jobs that ended around the restart caught up %d ms after it was back; "
          + "watch %s; retries %s; %d drivers left (the deleted five are gone)%n",
          jobs, report, (downAt - killAt) / 1_000_000, ends, recoveryMs, spark.diagnostics().watches().get(ns.name()),
          spark.diagnostics().apiCalls(), drivers);
      assertThat(drivers).as("one driver per job not deleted, plus the outage's submit")
          .isEqualTo(jobs - deletedAfter.size() + 1);
      assertThat((backAt - killAt) / 1_000_000).as("outage kept short").isLessThan(60_000);
    } finally {
      FaultKit.forceDeletePods(core, ns.name());
    }
  }
}
