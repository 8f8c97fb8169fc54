package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Toleration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scale-test setup works: KWOK's fake nodes (scripts/local-k8s/up.sh starts 2 unless SPARKK8S_KWOK_NODES=0) run
 * a thousand pods that need no containers. Skipped on clusters without KWOK nodes.
 */
@RealCluster
class KwokScaleE2E {

  static final String KWOK_NODES = "type=kwok";
  static final V1Toleration KWOK_TAINT =
      new V1Toleration().key("kwok.x-k8s.io/node").operator("Exists").effect("NoSchedule");

  @Test
  void aThousandPodsRunOnFakeNodes(ClusterConnection cluster, TestNamespace namespace) throws ApiException {
    CoreV1Api core = new CoreV1Api(cluster.client());
    assumeTrue(!core.listNode().labelSelector(KWOK_NODES).execute().getItems().isEmpty(),
        "no KWOK nodes (start the local cluster with SPARKK8S_KWOK_NODES=2)");
    int pods = 1000;
    for (int i = 0; i < pods; i++) {
      core.createNamespacedPod(namespace.name(), new V1Pod()
          .metadata(new V1ObjectMeta().name("fake-" + i).labels(Map.of("app", "kwok-scale")))
          .spec(new V1PodSpec()
              .overhead(null)
              .nodeSelector(Map.of("type", "kwok"))
              .tolerations(List.of(KWOK_TAINT))
              .addContainersItem(new V1Container().name("c").image("fake-image"))))
          .execute();
    }
    await("pods running on KWOK nodes").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
        .until(() -> core.listNamespacedPod(namespace.name()).fieldSelector("status.phase=Running")
            .execute().getItems().size() == pods);
    assertThat(core.listNamespacedPod(namespace.name()).execute().getItems())
        .allSatisfy(pod -> assertThat(pod.getSpec().getNodeName()).startsWith("kwok-node-"));
  }
}
