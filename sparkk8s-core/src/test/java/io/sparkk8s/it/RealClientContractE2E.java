package io.sparkk8s.it;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.contract.SparkKubernetesContract;
import io.sparkk8s.spec.SparkJob;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract of {@link SparkKubernetesContract} against the real client on the local cluster:
 * drivers on KWOK nodes whose status the test writes as their kubelet would, so each step is the
 * test's to take, as with the test kit.
 */
@RealCluster
class RealClientContractE2E extends SparkKubernetesContract {
  private SparkKubernetes spark;
  private CoreV1Api core;
  private TestNamespace ns;

  @BeforeEach
  void connect(ClusterConnection cluster, TestNamespace namespace) throws Exception {
    core = new CoreV1Api(cluster.client());
    FaultKit.requireKwok(core);
    ns = namespace;
    spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty());
    spark.ensureDriverServiceAccount(ns.name(), "spark");
  }

  @AfterEach
  void close() {
    if (spark != null) {
      spark.close();
    }
    if (ns != null) {
      FaultKit.forceDeletePods(core, ns.name());
    }
  }

  @Override
  protected SparkKubernetes spark() {
    return spark;
  }

  @Override
  protected String namespace() {
    return ns.name();
  }

  @Override
  protected SparkJob job(String name, String label) {
    return SparkJob.builder().from(FaultKit.kwokJob(ns, name)).putLabel("contract", label)
        .build();
  }

  @Override
  protected void run(SparkJobHandle handle) throws Exception {
    FaultKit.setDriver(core, ns.name(), handle.name(), null);
  }

  @Override
  protected void end(SparkJobHandle handle, int exitCode) throws Exception {
    FaultKit.setDriver(core, ns.name(), handle.name(), exitCode);
  }

  /**
   * KWOK, told to leave these pods' status to the test, never confirms a graceful deletion; a
   * kubelet would stop the container and the pod would go. The test deletes it at once instead.
   */
  @Override
  protected void stopDeleted(SparkJobHandle handle) throws Exception {
    core.deleteNamespacedPod(handle.name(), ns.name()).gracePeriodSeconds(0).execute();
  }
}
