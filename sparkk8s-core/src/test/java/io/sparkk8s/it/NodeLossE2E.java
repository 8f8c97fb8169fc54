package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Executor;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kubelet of the node running a driver is stopped (issue 8, part 5): the pod keeps saying
 * Running, but once the node controller marks the node Unknown (its node-monitor grace period)
 * the handle reports {@code UNKNOWN} with reason {@code NodeLost} instead of Running forever, and
 * follows the pod again once the kubelet is back. Disrupts the local cluster's only real node for
 * about a minute; runs in the disruptive group.
 */
@RealCluster
@Tag("disruptive")
class NodeLossE2E {
  /** kube-controller-manager's default --node-monitor-grace-period in 1.34 (up.sh keeps it). */
  static final Duration GRACE = Duration.ofSeconds(50);

  @Test
  void aDriverWhoseKubeletStopsIsReportedLostThenFollowedAgain(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    var restart = LocalCluster.requireRestartable(cluster);
    CoreV1Api core = new CoreV1Api(cluster.client());
    boolean kubeletDown = false;
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle job = spark.submit(SparkJobLifecycleE2E.job(ns, "node-loss")
          .application(SparkJobLifecycleE2E.PI).addArgument("100000")
          .executor(Executor.builder().instances(1).memory("512m").coreRequest("100m").build())
          .build());
      FaultKit.Transitions seen = new FaultKit.Transitions();
      seen.watch(job);
      await("driver running").atMost(Duration.ofMinutes(3))
          .until(() -> job.state().phase() == JobPhase.RUNNING);
      String node = core.readNamespacedPod(job.name(), ns.name()).execute().getSpec().getNodeName();

      long killAt = System.nanoTime();
      LocalCluster.restart(restart, "kubelet", "--kill");
      kubeletDown = true;
      await("the handle to report the node lost").atMost(GRACE.plusSeconds(40))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> job.state().phase() != JobPhase.RUNNING);
      long lostAfterMs = (System.nanoTime() - killAt) / 1_000_000;
      JobState lost = job.state();
      String podPhase = core.readNamespacedPod(job.name(), ns.name()).execute().getStatus()
          .getPhase();

      long startAt = System.nanoTime();
      String started = LocalCluster.restart(restart, "kubelet", "--start");
      kubeletDown = false;
      await("the handle to follow the pod again").atMost(Duration.ofSeconds(90))
          .until(() -> job.state().phase() != JobPhase.UNKNOWN);
      long backAfterMs = (System.nanoTime() - startAt) / 1_000_000;
      JobState back = job.state();
      job.kill();
      JobState end = job.awaitCompletion(Duration.ofMinutes(2));
      System.out.printf("[faults] node loss: 1 job running on %s; injected SIGKILL of the kubelet, "
          + "restarted %s later (%s); observed: %s after %d ms (the pod said %s), %s %d ms after the "
          + "restart, then killed: %s; path %s%n", node, Duration.ofNanos(startAt - killAt),
          started, lost, lostAfterMs, podPhase, back, backAfterMs, end, seen.phases(job.name()));

      assertThat(podPhase).as("the pod itself still says").isEqualTo("Running");
      assertThat(lost.phase()).isEqualTo(JobPhase.UNKNOWN);
      assertThat(lost.reason()).isEqualTo("NodeLost");
      assertThat(lost.message()).contains(node);
      assertThat(lostAfterMs).as("reported within the grace period (plus the controller's period)")
          .isLessThan(GRACE.plusSeconds(25).toMillis());
      assertThat(back.phase()).isEqualTo(JobPhase.RUNNING);
      assertThat(end.phase()).isEqualTo(JobPhase.FAILED);
      assertThat(end.reason()).isEqualTo("Killed");
      assertThat(seen.phases(job.name())).endsWith(JobPhase.RUNNING, JobPhase.UNKNOWN,
          JobPhase.RUNNING, JobPhase.FAILED);
    } finally {
      if (kubeletDown) {
        System.out.println("[faults] cleanup: " + LocalCluster.restart(restart, "kubelet", "--start"));
      }
    }
  }
}
