package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.JobPhase;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Retention;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A finished job's objects are kept for their retention, counted from the driver's end on the
 * server, then deleted; and not before. The client that submitted the job is closed before the
 * time is up: the next client to watch the namespace enforces it from what the pod says.
 */
@RealCluster
class RetentionE2E {
  static final Application EXIT = Application.jvm("io.sparkk8s.e2e.ExitWith",
      SparkJobLifecycleE2E.TEST_JAR);

  @Test
  void aFinishedJobIsKeptForItsTtlThenDeletedEvenAfterACallerRestart(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    Duration ttl = Duration.ofSeconds(40);
    SparkJob job = SparkJobLifecycleE2E.job(ns, "keep-a-while").application(EXIT).addArgument("0")
        .retention(Retention.deleteAfter(ttl)).build();
    SparkJobHandle h;
    try (SparkKubernetes first = SparkJobLifecycleE2E.connect(cluster)) {
      first.ensureDriverServiceAccount(ns.name(), "spark");
      h = first.submit(job);
      assertThat(h.awaitCompletion(Duration.ofMinutes(4)).phase()).isEqualTo(JobPhase.SUCCEEDED);
    }
    V1Pod driver = core.readNamespacedPod(h.name(), ns.name()).execute();
    Instant ended = driver.getStatus().getContainerStatuses().get(0).getState().getTerminated()
        .getFinishedAt().toInstant();
    Instant deleteAt = ended.plus(ttl);
    try (SparkKubernetes second = SparkJobLifecycleE2E.connect(cluster)) {
      assertThat(second.list(ns.name(), "")).extracting(SparkJobHandle::name)
          .containsExactly(h.name());
      // Kept until its time (less two seconds: the server's end time is whole seconds)...
      Duration left = Duration.between(Instant.now(), deleteAt).minusSeconds(2);
      System.out.println("[E2E] driver ended " + ended + ", to be deleted at " + deleteAt
          + "; checking it is kept for " + left);
      assertThat(left).as("time left of the TTL after the restart").isPositive();
      await("kept for its TTL").during(left).atMost(left.plusSeconds(10))
          .until(() -> objectsOf(core, ns, h) == 3);
      // ...then deleted with everything it owned.
      await("deleted after its TTL").atMost(Duration.ofSeconds(40))
          .until(() -> objectsOf(core, ns, h) == 0);
      Instant gone = Instant.now();
      System.out.println("[E2E] objects gone at " + gone + " (" + Duration.between(deleteAt, gone)
          + " after the TTL)");
      assertThat(gone).isAfterOrEqualTo(deleteAt.minusSeconds(1));
    }
  }

  @Test
  void deleteOnSuccessDeletesSuccessesAndKeepsFailures(ClusterConnection cluster, TestNamespace ns)
      throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJob.Builder base = SparkJobLifecycleE2E.job(ns, "x").application(EXIT)
          .retention(Retention.deleteOnSuccess());
      SparkJobHandle ok = spark.submit(base.name("succeeds").addArgument("0").build());
      SparkJobHandle bad = spark.submit(base.name("fails").arguments(java.util.List.of("3"))
          .build());
      assertThat(ok.awaitCompletion(Duration.ofMinutes(4)).phase()).isEqualTo(JobPhase.SUCCEEDED);
      assertThat(bad.awaitCompletion(Duration.ofMinutes(4)).phase()).isEqualTo(JobPhase.FAILED);
      await("success deleted").atMost(Duration.ofSeconds(40))
          .until(() -> objectsOf(core, ns, ok) == 0);
      await("failure kept").during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15))
          .until(() -> objectsOf(core, ns, bad) == 3);
      assertThat(ok.state().phase()).as("a deleted success stays a success")
          .isEqualTo(JobPhase.SUCCEEDED);
    }
  }

  /** The job's driver pod, Service and properties ConfigMap that exist (3 when all do). */
  static int objectsOf(CoreV1Api core, TestNamespace ns, SparkJobHandle h) throws ApiException {
    int pods = core.listNamespacedPod(ns.name()).labelSelector("spark-app-selector=" + h.appId())
        .execute().getItems().size();
    int services = core.listNamespacedService(ns.name())
        .labelSelector("spark-app-selector=" + h.appId()).execute().getItems().size();
    long configMaps = core.listNamespacedConfigMap(ns.name()).execute().getItems().stream()
        .filter(c -> c.getMetadata().getOwnerReferences() != null && c.getMetadata()
            .getOwnerReferences().stream().anyMatch(r -> r.getName().equals(h.name())))
        .filter(c -> c.getMetadata().getName().endsWith("-conf-map")
            && !c.getMetadata().getName().contains("podspec"))
        .count();
    return pods + services + (int) configMaps;
  }
}
