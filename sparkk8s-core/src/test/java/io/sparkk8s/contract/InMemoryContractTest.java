package io.sparkk8s.contract;

import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.testing.InMemorySparkKubernetes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The contract against the test kit: what a user's unit test sees. */
class InMemoryContractTest extends SparkKubernetesContract {
  private InMemorySparkKubernetes spark;

  @BeforeEach
  void start() {
    spark = new InMemorySparkKubernetes();
  }

  @AfterEach
  void stop() {
    spark.close();
  }

  @Override
  protected SparkKubernetes spark() {
    return spark;
  }

  @Override
  protected String namespace() {
    return "contract";
  }

  @Override
  protected SparkJob job(String name, String label) {
    return SparkJob.builder().name(name).namespace(namespace()).serviceAccount("spark")
        .application(Application.jvm("org.example.Main", "local:///opt/app.jar"))
        .putLabel("contract", label).build();
  }

  @Override
  protected void run(SparkJobHandle handle) {
    spark.job(handle.name()).running();
  }

  @Override
  protected void end(SparkJobHandle handle, int exitCode) {
    if (exitCode == 0) {
      spark.job(handle.name()).succeed();
    } else {
      spark.job(handle.name()).fail(exitCode, "Error");
    }
  }

  @Override
  protected void stopDeleted(SparkJobHandle handle) {
    // The kit ends a killed job at once, as the real client does once the pod is gone.
  }
}
