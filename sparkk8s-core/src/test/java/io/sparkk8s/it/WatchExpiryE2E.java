package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.JobPhase;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The informer's watch expires (issue 8, part 2): its resourceVersion is compacted away in etcd
 * and no longer in the API server's watch cache, so resuming it gets 410 Gone and the SDK must
 * list again, missing no transition and repeating none.
 *
 * <p>Compaction alone is not enough on Kubernetes 1.34: watches are served from the API server's
 * watch cache, which keeps its own window of events whatever etcd compacted (a watch from a
 * compacted revision still succeeds). And client-java resumes a watch from its resourceVersion
 * only when the watch ended cleanly or could not connect; after a broken connection it lists
 * first. So the API server is stopped gracefully (SIGTERM, as in a rolling upgrade: it ends its
 * watches) and restarted (restart.sh), which rebuilds its cache from etcd's current revision,
 * while the proxy refuses the SDK's reconnection; meanwhile jobs end and etcd is compacted. The
 * SDK's next watch is then from a revision nobody has any more. This disrupts the shared local
 * cluster for a few seconds; it runs in the disruptive group (see the e2e profile).
 */
@RealCluster
@Tag("disruptive")
class WatchExpiryE2E {

  @Test
  void anExpiredWatchIsRelistedWithEveryTransitionSeenExactlyOnce(ClusterConnection cluster,
      TestNamespace ns, @TempDir Path dir) throws Exception {
    Path restart = LocalCluster.requireRestartable(cluster);
    CoreV1Api core = new CoreV1Api(cluster.client());
    FaultKit.requireKwok(core);
    int jobs = 6;
    FaultKit.Transitions seen = new FaultKit.Transitions();
    try (FaultProxy proxy = FaultKit.proxyTo(cluster);
        SparkKubernetes spark = SparkKubernetes.fromKubeconfig(
            FaultKit.kubeconfigVia(cluster, proxy, dir), Optional.empty())) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      List<SparkJobHandle> handles = new ArrayList<>();
      for (int i = 0; i < jobs; i++) {
        SparkJobHandle h = spark.submit(FaultKit.kwokJob(ns, "expiry-" + i));
        seen.watch(h);
        handles.add(h);
        FaultKit.setDriver(core, ns.name(), h.name(), null);
      }
      await("every job running").atMost(Duration.ofSeconds(60))
          .until(() -> handles.stream().allMatch(h -> h.state().phase() == JobPhase.RUNNING));
      var before = spark.diagnostics().watches().get(ns.name());

      // The API server stops as in a rolling upgrade (SIGTERM) while the proxy lets no new
      // connection through: the SDK's watch ends and cannot be resumed. Half the jobs end, etcd
      // forgets the history, and the restarted API server has rebuilt its watch cache: the SDK's
      // watch then resumes from a resourceVersion that exists nowhere.
      long cutAt = System.nanoTime();
      proxy.stopAccepting();
      String restarted = LocalCluster.restart(restart, "kube-apiserver", "--graceful");
      proxy.down();
      List<SparkJobHandle> ending = handles.subList(0, jobs / 2);
      for (int i = 0; i < ending.size(); i++) {
        FaultKit.setDriver(core, ns.name(), ending.get(i).name(), i == 1 ? 7 : 0);
      }
      long compactedAt = LocalCluster.compactEtcd();
      assertThat(handles).as("no end seen while cut off")
          .noneMatch(h -> h.state().phase().isFinal());
      proxy.up();
      long upAt = System.nanoTime();

      await("the ended jobs' handles to catch up").atMost(Duration.ofSeconds(60))
          .until(() -> ending.stream().allMatch(h -> h.state().phase().isFinal()));
      long recoveryMs = (System.nanoTime() - upAt) / 1_000_000;
      var after = spark.diagnostics().watches().get(ns.name());
      for (int i = 0; i < ending.size(); i++) {
        assertThat(ending.get(i).state().exitCode()).contains(i == 1 ? 7 : 0);
      }
      List<SparkJobHandle> running = handles.subList(jobs / 2, jobs);
      assertThat(running).allSatisfy(h -> assertThat(h.state().phase()).isEqualTo(JobPhase.RUNNING));
      for (SparkJobHandle h : running) {
        FaultKit.setDriver(core, ns.name(), h.name(), 0);
      }
      for (SparkJobHandle h : running) {
        assertThat(h.awaitCompletion(Duration.ofSeconds(60)).phase()).isEqualTo(JobPhase.SUCCEEDED);
      }
      await("listeners told of every end").atMost(Duration.ofSeconds(10))
          .until(() -> handles.stream().allMatch(h -> seen.intoFinal(h.name()) == 1));
      System.out.printf("[faults] watch expiry: %d jobs in flight; injected: SDK cut off, %d ended "
          + "meanwhile, etcd compacted at revision %d, %s, cut lasted %d ms; observed: watch "
          + "%s -> %s (410s: %d, relists: %d); ended jobs caught up %d ms after reconnecting; "
          + "transitions per job: %s%n", jobs, ending.size(), compactedAt, restarted,
          (upAt - cutAt) / 1_000_000, before, after, after.expired() - before.expired(),
          after.lists() - before.lists(), recoveryMs,
          handles.stream().map(h -> h.name().replaceAll("-[0-9a-f]+-driver$", "") + "="
              + seen.of(h.name()).stream().map(s -> s.phase().name()).toList()).toList());

      assertThat(after.expired() - before.expired()).as("watches that got 410 Gone").isPositive();
      assertThat(after.lists() - before.lists()).as("relists").isPositive();
      // Each refused reconnection is a failure told to the node health: a node the node
      // controller marks Unknown as the API server comes back is then held, not reported lost
      // (client-java's reflector keeps refused connections to itself; CI once saw failures=0
      // and a driver RUNNING -> UNKNOWN -> RUNNING here).
      assertThat(after.failures() - before.failures()).as("failed calls seen during the cut")
          .isPositive();
      for (SparkJobHandle h : handles) {
        assertThat(seen.startsRunning(h.name())).as("%s: into RUNNING", h.name()).isEqualTo(1);
        assertThat(seen.intoFinal(h.name())).as("%s: into its end", h.name()).isEqualTo(1);
        JobPhase end = h.state().phase();
        assertThat(seen.phases(h.name())).as("%s: its path, nothing missed or repeated", h.name())
            .isIn(List.of(JobPhase.PENDING, JobPhase.RUNNING, end), List.of(JobPhase.RUNNING, end));
      }
    } finally {
      FaultKit.forceDeletePods(core, ns.name());
    }
  }
}
