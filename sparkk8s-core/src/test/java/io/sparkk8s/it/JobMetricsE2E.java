package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.JobCounts;
import io.sparkk8s.JobMetrics;
import io.sparkk8s.JobPhase;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Executor;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The handle's metrics are the API server's timestamps of the driver and executor pods, and the
 * client counts jobs by outcome.
 */
@RealCluster
class JobMetricsE2E {

  @Test
  void metricsAreThePodTimestampsAndOutcomesAreCounted(ClusterConnection cluster, TestNamespace ns)
      throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle pi = spark.submit(SparkJobLifecycleE2E.job(ns, "timed")
          .application(SparkJobLifecycleE2E.PI).addArguments("2", "200000")
          .executor(Executor.builder().instances(1).memory("512m").coreRequest("100m").build())
          .build());
      SparkJobHandle failing = spark.submit(SparkJobLifecycleE2E.job(ns, "fails")
          .application(Application.jvm("io.sparkk8s.e2e.ExitWith", SparkJobLifecycleE2E.TEST_JAR))
          .addArgument("4").build());
      // Executor pods go when the driver stops: note their creation times while they exist.
      await("an executor").atMost(Duration.ofMinutes(4)).until(() -> !core.listNamespacedPod(
          ns.name()).labelSelector("spark-role=executor,spark-app-selector=" + pi.appId())
          .execute().getItems().isEmpty());
      Instant firstExecutor = core.listNamespacedPod(ns.name())
          .labelSelector("spark-role=executor,spark-app-selector=" + pi.appId()).execute()
          .getItems().stream().map(p -> p.getMetadata().getCreationTimestamp().toInstant())
          .min(Comparator.naturalOrder()).orElseThrow();
      assertThat(pi.awaitCompletion(Duration.ofMinutes(5)).phase()).isEqualTo(JobPhase.SUCCEEDED);
      assertThat(failing.awaitCompletion(Duration.ofMinutes(5)).phase())
          .isEqualTo(JobPhase.FAILED);

      V1Pod driver = core.readNamespacedPod(pi.name(), ns.name()).execute();
      V1ContainerStateTerminated t = driver.getStatus().getContainerStatuses().get(0).getState()
          .getTerminated();
      Instant scheduled = driver.getStatus().getConditions().stream()
          .filter(c -> c.getType().equals("PodScheduled")).findFirst().orElseThrow()
          .getLastTransitionTime().toInstant();
      JobMetrics m = pi.metrics();
      System.out.println("[E2E] " + pi.name() + ": " + m);
      assertThat(m.submittedAt()).contains(driver.getMetadata().getCreationTimestamp().toInstant());
      assertThat(m.driverScheduledAt()).contains(scheduled);
      assertThat(m.driverRunningAt()).contains(t.getStartedAt().toInstant());
      assertThat(m.firstExecutorAt()).contains(firstExecutor);
      assertThat(m.finishedAt()).contains(t.getFinishedAt().toInstant());
      assertThat(m.totalTime()).contains(Duration.between(
          driver.getMetadata().getCreationTimestamp().toInstant(), t.getFinishedAt().toInstant()));
      assertThat(m.timeToRunning().orElseThrow()).isLessThanOrEqualTo(m.totalTime().orElseThrow());
      assertThat(m.runTime().orElseThrow()).isPositive();

      JobCounts counts = spark.jobCounts();
      System.out.println("[E2E] counts: " + counts);
      assertThat(counts.submitted()).isEqualTo(2);
      assertThat(counts.succeeded()).isEqualTo(1);
      assertThat(counts.failed()).isEqualTo(1);
      assertThat(counts.failedByReason()).containsEntry("Error", 1L);
      List<SparkJobHandle> listed = spark.list(ns.name(), "");
      assertThat(listed).hasSize(2);
    }
  }
}
