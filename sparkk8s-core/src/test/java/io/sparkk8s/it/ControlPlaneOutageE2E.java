package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.sparkk8s.ApiRetryPolicy;
import io.sparkk8s.JobPhase;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.api.ApiErrors;
import io.sparkk8s.api.ApiRetry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The API server is down for longer than the node controller's grace period (issue 15): when it
 * is back, the node controller has seen no kubelet for that long and marks every node's Ready
 * condition Unknown as soon as it looks, until each kubelet reports again seconds later (the
 * test holds the KWOK nodes' kubelet back a few seconds, and marks the nodes itself when the
 * controller has not yet looked by then). The pods never
 * stopped, so no job may be reported {@code UNKNOWN (NodeLost)}: the client saw the outage itself
 * and holds such nodes for a while ({@code NodeHealth}). {@link NodeLossE2E} shows that a node
 * that is really lost is still reported. Disrupts the local cluster for about 80 s; runs in the
 * disruptive group.
 */
@RealCluster
@Tag("disruptive")
class ControlPlaneOutageE2E {
  /** Longer than the node controller's grace period ({@link NodeLossE2E#GRACE}). */
  static final int OUTAGE_SECONDS = (int) NodeLossE2E.GRACE.toSeconds() + 20;
  /** How long after the API server the KWOK nodes' kubelet is back: a kubelet's backoff. */
  static final Duration KUBELET_BACK = Duration.ofSeconds(15);

  @Test
  void anApiServerOutageLongerThanTheNodeGracePeriodReportsNoJobLost(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    var restart = LocalCluster.requireRestartable(cluster);
    CoreV1Api core = new CoreV1Api(cluster.client());
    FaultKit.requireKwok(core);
    int jobs = 4;
    FaultKit.Transitions seen = new FaultKit.Transitions();
    boolean kwokDown = false;
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(),
        Optional.empty())) {
      // The test's own calls retry as the SDK's do while the API server is down.
      ApiRetry client = new ApiRetry(ApiRetryPolicy.defaults());
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      List<SparkJobHandle> handles = FaultKit.runningKwokJobs(spark, core, ns, "outage", jobs, seen,
          Duration.ofSeconds(60));
      // The test writes the drivers' status itself; their nodes are the scheduler's choice.
      Set<String> nodes = new TreeSet<>();
      await("every driver bound to a node").atMost(Duration.ofSeconds(60)).until(() -> {
        nodes.clear();
        for (SparkJobHandle h : handles) {
          String node = core.readNamespacedPod(h.name(), ns.name()).execute().getSpec()
              .getNodeName();
          if (node == null) {
            return false;
          }
          nodes.add(node);
        }
        return true;
      });

      long killAt = System.nanoTime();
      CompletableFuture<String> restarted = CompletableFuture.supplyAsync(() ->
          LocalCluster.restartUnchecked(restart, "kube-apiserver", "--down",
              String.valueOf(OUTAGE_SECONDS)));
      await("the API server to be down").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100)).until(() -> !LocalCluster.apiServerAnswers(core));
      // The KWOK nodes' "kubelet" goes quiet with the API server and comes back at most
      // KUBELET_BACK after it, as a real kubelet backing off would. Whether the node controller
      // marks the nodes Unknown before that is a race it sometimes loses (its caches may relist
      // late after an outage, or its first updates conflict): when it has not by then, the test
      // marks them as the controller does, so that every run has the case under test.
      LocalCluster.restart(restart, "kwok", "--kill");
      kwokDown = true;
      String report = restarted.get();
      long backAt = System.nanoTime();
      Map<String, String> unknownSeen = new LinkedHashMap<>();
      boolean byController = true;
      try {
        await("the node controller to mark the jobs' nodes Unknown").atMost(KUBELET_BACK)
            .pollInterval(Duration.ofMillis(250)).until(() -> allUnknown(client, core, nodes,
                unknownSeen));
      } catch (ConditionTimeoutException notYet) {
        byController = false;
        for (String node : nodes) {
          markUnknown(client, core, node);
        }
        assertThat(allUnknown(client, core, nodes, unknownSeen)).as("marked Unknown").isTrue();
      }
      long unknownAfterMs = (System.nanoTime() - backAt) / 1_000_000;
      String kwokBack = LocalCluster.restart(restart, "kwok", "--start");
      kwokDown = false;

      Map<String, String> readySince = new LinkedHashMap<>();
      await("the jobs' nodes Ready again").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250)).until(() -> {
            for (String node : nodes) {
              V1NodeCondition ready = readyOf(client, core, node);
              // Only the status: KWOK writes back the lastTransitionTime it first gave the node.
              if (!"True".equals(ready.getStatus())) {
                return false;
              }
              readySince.put(node, String.valueOf(ready.getLastHeartbeatTime()));
            }
            return true;
          });
      long readyAfterMs = (System.nanoTime() - backAt) / 1_000_000;
      // The client holds a node it saw go Unknown for NodeHealth's settle time after its last
      // failed contact: the jobs stay RUNNING through all of it, and after.
      await("jobs running through the client's hold").during(Duration.ofSeconds(65))
          .atMost(Duration.ofSeconds(70)).pollInterval(Duration.ofMillis(250))
          .until(() -> handles.stream().allMatch(h -> h.state().phase() == JobPhase.RUNNING));

      for (SparkJobHandle h : handles) {
        FaultKit.setDriver(core, ns.name(), h.name(), 0);
      }
      for (SparkJobHandle h : handles) {
        assertThat(h.awaitCompletion(Duration.ofSeconds(60)).phase())
            .isEqualTo(JobPhase.SUCCEEDED);
      }
      System.out.printf("[faults] control plane outage: %d jobs on %s; injected %s, KWOK killed "
          + "with it and started once the nodes were Unknown (%s); the nodes were Unknown %d ms "
          + "after, by %s (%s) and Ready again %d ms after the API server was back (heartbeats %s); outage %d "
          + "ms; paths %s%n", jobs, nodes, report, kwokBack, unknownAfterMs,
          byController ? "the node controller" : "the test, as the controller would", unknownSeen,
          readyAfterMs, readySince, (backAt - killAt) / 1_000_000,
          handles.stream().map(h -> seen.phases(h.name())).toList());
      assertThat((backAt - killAt) / 1_000_000).as("outage longer than the grace period")
          .isGreaterThan(NodeLossE2E.GRACE.toMillis());
      for (SparkJobHandle h : handles) {
        assertThat(seen.into(h.name(), JobPhase.UNKNOWN)).as("%s: never UNKNOWN", h.name())
            .isZero();
        assertThat(seen.phases(h.name())).as("%s: its path", h.name())
            .isIn(List.of(JobPhase.PENDING, JobPhase.RUNNING, JobPhase.SUCCEEDED),
                List.of(JobPhase.RUNNING, JobPhase.SUCCEEDED));
      }
    } finally {
      if (kwokDown) {
        System.out.println("[faults] cleanup: " + LocalCluster.restart(restart, "kwok", "--start"));
      }
      FaultKit.forceDeletePods(core, ns.name());
    }
  }

  private static boolean allUnknown(ApiRetry client, CoreV1Api core, Set<String> nodes,
      Map<String, String> seen) {
    for (String node : nodes) {
      V1NodeCondition ready = readyOf(client, core, node);
      if (!"Unknown".equals(ready.getStatus())) {
        return false;
      }
      seen.put(node, ready.getReason());
    }
    return true;
  }

  /** Sets the node's Ready condition as the node controller does for a silent kubelet. */
  private static void markUnknown(ApiRetry client, CoreV1Api core, String node) {
    await("node " + node + " marked Unknown").atMost(Duration.ofSeconds(30)).until(() -> {
      V1Node n = client.call(new ApiErrors.Target("get", "Node", "", node),
          () -> core.readNode(node).execute());
      for (V1NodeCondition c : n.getStatus().getConditions()) {
        if (c.getType().equals("Ready")) {
          c.status("Unknown").reason("NodeStatusUnknown")
              .message("Kubelet stopped posting node status.")
              .lastTransitionTime(OffsetDateTime.now());
        }
      }
      try {
        client.call(new ApiErrors.Target("update", "Node", "", node),
            () -> core.replaceNodeStatus(node, n).execute());
        return true;
      } catch (io.sparkk8s.exception.ConflictException raced) {
        return false; // the controller or KWOK wrote it meanwhile: read it again
      }
    });
  }

  private static V1NodeCondition readyOf(ApiRetry client, CoreV1Api core, String node) {
    V1Node n = client.call(new ApiErrors.Target("get", "Node", "", node),
        () -> core.readNode(node).execute());
    return n.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
        .findFirst().orElseThrow();
  }
}
