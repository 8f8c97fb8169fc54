package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.sparkk8s.spec.NetworkIsolation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkPolicyStepTest {
  final NetworkPolicyStep step = new NetworkPolicyStep();

  static List<String> ports(List<V1NetworkPolicyPort> ports) {
    return ports.stream().map(p -> p.getProtocol() + "/" + p.getPort().getIntValue()).toList();
  }

  @Test
  void noPolicyUnlessTheJobAsks() {
    assertThat(step.additionalResources(DriverContext.of(Jobs.pi().build()))).isEmpty();
  }

  @Test
  void theJobsPodsReachEachOtherOnSparksPortsOnlyAndResolveNames() {
    var ctx = DriverContext.of(Jobs.pi().networkIsolation(NetworkIsolation.strict()).build());
    var objects = step.additionalResources(ctx);
    assertThat(objects).extracting(o -> o.getMetadata().getName()).containsExactly(
        ctx.names().resourcePrefix() + "-network", ctx.names().resourcePrefix() + "-driver-api");
    V1NetworkPolicy all = (V1NetworkPolicy) objects.get(0);
    String appId = ctx.names().appId();
    assertThat(all.getApiVersion()).isEqualTo("networking.k8s.io/v1");
    assertThat(all.getSpec().getPodSelector().getMatchLabels())
        .containsExactly(Map.entry("spark-app-selector", appId));
    assertThat(all.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");

    // Ingress: only from the job's own pods, on driver RPC and the block managers; no UI rule.
    assertThat(all.getSpec().getIngress()).singleElement().satisfies(in -> {
      assertThat(in.getFrom()).singleElement().satisfies(f -> assertThat(f.getPodSelector()
          .getMatchLabels()).containsExactly(Map.entry("spark-app-selector", appId)));
      assertThat(ports(in.getPorts())).containsExactly("TCP/7078", "TCP/7079");
    });
    // Egress: to the job's own pods on the same ports, and DNS.
    assertThat(all.getSpec().getEgress()).hasSize(2);
    assertThat(ports(all.getSpec().getEgress().get(0).getPorts())).containsExactly("TCP/7078", "TCP/7079");
    assertThat(all.getSpec().getEgress().get(0).getTo()).singleElement()
        .satisfies(t -> assertThat(t.getIpBlock()).isNull());
    assertThat(all.getSpec().getEgress().get(1).getTo()).isNullOrEmpty();
    assertThat(ports(all.getSpec().getEgress().get(1).getPorts())).containsExactly("UDP/53", "TCP/53");

    // The API server: only the driver, only its ports.
    V1NetworkPolicy driver = (V1NetworkPolicy) objects.get(1);
    assertThat(driver.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("spark-role", "driver").containsEntry("spark-app-selector", appId);
    assertThat(driver.getSpec().getPolicyTypes()).containsExactly("Egress");
    assertThat(driver.getSpec().getIngress()).isNullOrEmpty();
    assertThat(driver.getSpec().getEgress()).singleElement().satisfies(e ->
        assertThat(ports(e.getPorts())).containsExactly("TCP/443", "TCP/6443"));
  }

  /**
   * An executor binds its block manager to a random port unless {@code spark.blockManager.port} is
   * set (the policy would then refuse every shuffle fetch between executors, as
   * {@code NetworkPolicyE2E} saw on an enforcing network): an isolated job gets the port its policy
   * names; a job without isolation keeps Spark's default; a port the caller set stays.
   */
  @Test
  void anIsolatedJobsExecutorsServeBlocksOnThePortItsPolicyAllows() {
    var isolated = DriverContext.of(Jobs.pi().networkIsolation(NetworkIsolation.strict()).build());
    assertThat(isolated.conf()).containsEntry("spark.blockManager.port", "7079");
    assertThat(ports(((V1NetworkPolicy) step.additionalResources(isolated).get(0)).getSpec()
        .getIngress().get(0).getPorts())).contains("TCP/7079");

    assertThat(DriverContext.of(Jobs.pi().build()).conf()).doesNotContainKey("spark.blockManager.port");

    var own = DriverContext.of(Jobs.pi().putSparkConf("spark.blockManager.port", "7200")
        .networkIsolation(NetworkIsolation.strict()).build());
    assertThat(own.conf()).containsEntry("spark.blockManager.port", "7200");
    assertThat(ports(((V1NetworkPolicy) step.additionalResources(own).get(0)).getSpec()
        .getIngress().get(0).getPorts())).containsExactly("TCP/7078", "TCP/7200");
  }

  @Test
  void customPortsUiClientsEgressRangesAndTheApiServerRange() {
    var ctx = DriverContext.of(Jobs.pi().putSparkConf("spark.driver.port", "7000")
        .putSparkConf("spark.blockManager.port", "7100").putSparkConf("spark.ui.port", "4141")
        .networkIsolation(NetworkIsolation.strict().withUiClients(Map.of("app", "gateway"))
            .withEgressCidrs("10.20.0.0/16", "fd00::/8").withApiServerCidr("10.0.0.1/32"))
        .build());
    var objects = step.additionalResources(ctx);
    V1NetworkPolicy all = (V1NetworkPolicy) objects.get(0);
    assertThat(ports(all.getSpec().getIngress().get(0).getPorts())).containsExactly("TCP/7000", "TCP/7100");
    assertThat(all.getSpec().getIngress().get(1)).satisfies(ui -> {
      assertThat(ui.getFrom()).singleElement().satisfies(f ->
          assertThat(f.getPodSelector().getMatchLabels()).containsExactly(Map.entry("app", "gateway")));
      assertThat(ports(ui.getPorts())).containsExactly("TCP/4141");
    });
    assertThat(all.getSpec().getEgress().get(2).getTo()).extracting(t -> t.getIpBlock().getCidr())
        .containsExactly("10.20.0.0/16", "fd00::/8");
    V1NetworkPolicy driver = (V1NetworkPolicy) objects.get(1);
    assertThat(driver.getSpec().getEgress().get(0).getTo()).singleElement()
        .satisfies(t -> assertThat(t.getIpBlock().getCidr()).isEqualTo("10.0.0.1/32"));
  }

  @Test
  void thePoliciesAreCompiledOwnedWithTheJobsNamespace() {
    var compiled = io.sparkk8s.SparkCompiler.compile(Jobs.pi()
        .networkIsolation(NetworkIsolation.strict()).build());
    assertThat(compiled.ownedResources()).filteredOn(o -> o.getKind().equals("NetworkPolicy"))
        .hasSize(2).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("jobs"));
    assertThat(compiled.toYaml()).contains("kind: NetworkPolicy");
  }
}
