package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.PatchUtils;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.OnConflict;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Submitting a job again (OnConflict.REPLACE) while the garbage collector has not yet deleted the
 * previous driver's objects: the new driver must get objects of its own, not the old ones, which
 * the collector deletes under it. A finalizer holds the old ConfigMap in deletion for a few
 * seconds, so the race the collector makes by chance happens every time.
 */
@RealCluster
class ResubmitE2E {
  private static final String HOLD = "sparkk8s.io/test-hold";

  @Test
  void aResubmittedJobGetsItsOwnObjectsNotThePreviousDriversLeftovers(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    SparkJob job = SparkJobLifecycleE2E.job(ns, "again").application(SparkJobLifecycleE2E.PI)
        .addArguments("2").build();
    CompiledJob compiled = SparkCompiler.compile(job);
    String confMap = compiled.configMap().getMetadata().getName();
    ScheduledExecutorService gc = Executors.newSingleThreadScheduledExecutor();
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle first = spark.submit(job);
      assertThat(first.awaitCompletion(Duration.ofMinutes(4)).phase()).isEqualTo(JobPhase.SUCCEEDED);
      String oldUid = core.readNamespacedPod(compiled.driverPodName(), ns.name()).execute()
          .getMetadata().getUid();
      patchFinalizers(cluster, ns.name(), confMap, "[\"" + HOLD + "\"]");

      // The collector "finishes" 10 s into the resubmission.
      long start = System.nanoTime();
      gc.schedule(() -> {
        patchFinalizers(cluster, ns.name(), confMap, "null");
        return null;
      }, 10, TimeUnit.SECONDS);
      SparkJobHandle again = spark.submit(job, OnConflict.REPLACE);
      double seconds = (System.nanoTime() - start) / 1e9;

      V1Pod driver = core.readNamespacedPod(compiled.driverPodName(), ns.name()).execute();
      assertThat(driver.getMetadata().getUid()).isNotEqualTo(oldUid);
      V1ConfigMap cm = core.readNamespacedConfigMap(confMap, ns.name()).execute();
      assertThat(cm.getMetadata().getDeletionTimestamp()).as("the ConfigMap being deleted").isNull();
      assertThat(cm.getMetadata().getOwnerReferences())
          .as("owner of %s after the resubmission", confMap)
          .anySatisfy(r -> assertThat(r.getUid()).isEqualTo(driver.getMetadata().getUid()));
      JobState end = again.awaitCompletion(Duration.ofMinutes(4));
      System.out.printf("[E2E] resubmitted over a ConfigMap held in deletion: submit waited %.1f s"
          + " for it, the new driver owns a new one, the job ended %s%n", seconds, end);
      assertThat(end.phase()).isEqualTo(JobPhase.SUCCEEDED);
    } finally {
      gc.shutdownNow();
      try {
        patchFinalizers(cluster, ns.name(), confMap, "null"); // never leave the namespace stuck
      } catch (ApiException gone) {
        // already gone
      }
    }
  }

  private static void patchFinalizers(ClusterConnection cluster, String ns, String name,
      String finalizers) throws ApiException {
    CoreV1Api core = new CoreV1Api(cluster.client());
    PatchUtils.patch(V1ConfigMap.class, () -> core.patchNamespacedConfigMap(name, ns,
            new V1Patch("{\"metadata\":{\"finalizers\":" + finalizers + "}}")).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, cluster.client());
  }
}
