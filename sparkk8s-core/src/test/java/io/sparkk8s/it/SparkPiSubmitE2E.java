package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Spark's own spark-submit, in cluster mode against the real cluster, runs SparkPi with two executors. */
@RealCluster
class SparkPiSubmitE2E {

  @Test
  void sparkSubmitRunsSparkPiOnTwoExecutors(ClusterConnection cluster, TestNamespace namespace) throws Exception {
    SparkSubmit.ensureDriverServiceAccount(cluster, namespace);
    CoreV1Api core = new CoreV1Api(cluster.client());
    String driverPod = "spark-pi-driver";

    SparkSubmit.Result submit;
    try (ExecutorPods executors = ExecutorPods.watch(cluster.client(), namespace)) {
      submit = SparkSubmit.cluster(cluster, namespace)
          .conf("spark.app.name", "spark-pi")
          .conf("spark.kubernetes.driver.pod.name", driverPod)
          .conf("spark.executor.instances", "2")
          .timeout(Duration.ofMinutes(10))
          // 4 x 5M points: the estimate's standard error is ~0.0004, far inside PiEstimate's bound.
          .run("org.apache.spark.examples.SparkPi", "local:///opt/spark/examples/jars/spark-examples.jar",
              "4", "5000000");

      assertThat(submit.exitCode()).as("spark-submit exit code; output in %s", submit.log()).isZero();
      await("driver pod to succeed").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
          .until(() -> phase(core, namespace, driverPod), p -> p.equals("Succeeded") || p.equals("Failed"));
      String driverLog = core.readNamespacedPodLog(driverPod, namespace.name()).execute();
      assertThat(phase(core, namespace, driverPod)).as("driver phase; log:%n%s", driverLog).isEqualTo("Succeeded");
      PiEstimate.assertNearPi(driverLog);

      assertThat(executors.seenRunning()).as("executor pods seen running").hasSize(2)
          .allSatisfy(name -> assertThat(name).contains("-exec-"));
      // Spark deletes its executor pods when the application stops.
      await("executor pods to be deleted").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
          .until(() -> executors.current().isEmpty());
    }
  }

  static String phase(CoreV1Api core, TestNamespace namespace, String pod) throws ApiException {
    var status = core.readNamespacedPod(pod, namespace.name()).execute().getStatus();
    return status == null || status.getPhase() == null ? "" : status.getPhase();
  }
}
