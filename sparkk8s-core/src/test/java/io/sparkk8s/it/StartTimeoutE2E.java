package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.ImagePullPolicy;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A driver that can never start ends FAILED instead of pending forever, and its objects are
 * deleted: one asking more CPU than the node has within its start timeout (reason StartTimeout,
 * with Kubernetes' reason and events); one whose image is not there at once (reason
 * ErrImageNeverPull).
 */
@RealCluster
class StartTimeoutE2E {

  @Test
  void unschedulableAndMissingImageEndWithinTheirStartTimeout(ClusterConnection cluster,
      TestNamespace ns) {
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle huge = spark.submit(never(ns, "too-big")
          .driver(Driver.builder().coreRequest("64").memory("512m").build()).build());
      SparkJobHandle missing = spark.submit(never(ns, "no-image")
          .image("sparkk8s.local/no-such-image:1").imagePullPolicy(ImagePullPolicy.NEVER).build());

      JobState h = huge.awaitCompletion(Duration.ofMinutes(2));
      JobState m = missing.awaitCompletion(Duration.ofMinutes(2));
      System.out.println("[E2E] unschedulable: " + h + "\n[E2E] missing image: " + m);
      assertThat(h.phase()).isEqualTo(JobPhase.FAILED);
      assertThat(h.reason()).isEqualTo("StartTimeout");
      assertThat(h.message()).contains("Unschedulable").contains("Insufficient cpu")
          .contains("FailedScheduling");
      // An image the kubelet may not pull ends the job at once, with the kubelet's reason,
      // before the start timeout (FailureReasonsE2E covers a registry that refuses the pull).
      assertThat(m.phase()).isEqualTo(JobPhase.FAILED);
      assertThat(m.reason()).isEqualTo("ErrImageNeverPull");

      CoreV1Api core = new CoreV1Api(cluster.client());
      for (SparkJobHandle j : new SparkJobHandle[] {huge, missing}) {
        await("objects of " + j.name() + " deleted").atMost(Duration.ofMinutes(2))
            .until(() -> core.listNamespacedPod(ns.name())
                .labelSelector("spark-app-selector=" + j.appId()).execute().getItems().isEmpty());
      }
    }
  }

  private static SparkJob.Builder never(TestNamespace ns, String name) {
    return SparkJobLifecycleE2E.job(ns, name).application(SparkJobLifecycleE2E.PI)
        .startTimeout(Duration.ofSeconds(20));
  }
}
