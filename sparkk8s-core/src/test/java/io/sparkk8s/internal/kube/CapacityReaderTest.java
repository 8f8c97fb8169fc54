package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1NodeSpec;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1ResourceQuotaStatus;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1Taint;
import io.sparkk8s.ClusterCapacity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Nodes, pods and quotas as the API server lists them, made into room. */
class CapacityReaderTest {

  private static V1Node node(String name, String ready, boolean unschedulable, V1Taint... taints) {
    return new V1Node().metadata(new V1ObjectMeta().name(name).labels(Map.of("n", name)))
        .spec(new V1NodeSpec().unschedulable(unschedulable).taints(List.of(taints)))
        .status(new V1NodeStatus().allocatable(Map.of("cpu", Quantity.fromString("4"),
            "memory", Quantity.fromString("16Gi"), "pods", Quantity.fromString("110")))
            .conditions(List.of(new V1NodeCondition().type("Ready").status(ready))));
  }

  private static V1Pod pod(String node, String cpu, String memory) {
    return new V1Pod().metadata(new V1ObjectMeta().name("p"))
        .spec(new V1PodSpec().overhead(null).nodeName(node).containers(List.of(new V1Container()
            .name("c").resources(new V1ResourceRequirements().requests(Map.of(
                "cpu", Quantity.fromString(cpu), "memory", Quantity.fromString(memory)))))));
  }

  @Test
  void readyScheduledNodesLessWhatTheirPodsRequest() {
    ClusterCapacity c = CapacityReader.of(
        List.of(node("ok", "True", false), node("notready", "False", false),
            node("cordoned", "True", true),
            node("tainted", "True", false, new V1Taint().key("gpu").value("yes").effect("NoSchedule"),
                new V1Taint().key("soft").effect("PreferNoSchedule"))),
        List.of(pod("ok", "1500m", "2Gi"), pod("ok", "500m", "1Gi"), pod(null, "250m", "1Gi")),
        List.of(), Instant.EPOCH);
    assertThat(c.nodes()).extracting(ClusterCapacity.NodeRoom::name)
        .containsExactly("ok", "tainted");
    ClusterCapacity.NodeRoom ok = c.nodes().get(0);
    assertThat(ok.freeCpuMillis()).isEqualTo(2000);
    assertThat(ok.freeMemoryBytes()).isEqualTo(13L << 30);
    assertThat(c.nodes().get(1).taints()).containsExactly(
        new ClusterCapacity.Taint("gpu", "yes", "NoSchedule"));
    assertThat(c.pendingPods()).isEqualTo(1);
    // 2 on "ok" less the pending pod's 250m (one driver's worth).
    assertThat(c.driversThatFit("ns", Map.of(), List.of(), 1000, 1L << 30, 0, 0)).isEqualTo(1);
  }

  @Test
  void theLeastEveryQuotaOfANamespaceLeaves() {
    V1ResourceQuota cpu = new V1ResourceQuota().metadata(new V1ObjectMeta().name("q1")
        .namespace("team")).status(new V1ResourceQuotaStatus()
            .hard(Map.of("requests.cpu", Quantity.fromString("10"), "pods", Quantity.fromString("20")))
            .used(Map.of("requests.cpu", Quantity.fromString("7500m"), "pods", Quantity.fromString("3"))));
    V1ResourceQuota pods = new V1ResourceQuota().metadata(new V1ObjectMeta().name("q2")
        .namespace("team")).status(new V1ResourceQuotaStatus()
            .hard(Map.of("count/pods", Quantity.fromString("5")))
            .used(Map.of("count/pods", Quantity.fromString("4"))));
    ClusterCapacity c = CapacityReader.of(List.of(), List.of(), List.of(cpu, pods), Instant.EPOCH);
    assertThat(c.quotas().get("team")).isEqualTo(new ClusterCapacity.QuotaRoom(2500,
        Long.MAX_VALUE, 1));
  }
}
