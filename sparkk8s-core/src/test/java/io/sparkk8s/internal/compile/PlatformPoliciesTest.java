package io.sparkk8s.internal.compile;

import static io.sparkk8s.internal.compile.PlatformCompilerTest.find;
import static io.sparkk8s.internal.compile.PlatformCompilerTest.platform;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Yaml;
import io.sparkk8s.spec.Exposure;
import io.sparkk8s.spec.HistoryServer;
import io.sparkk8s.spec.NotebookEnvironment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of a platform's NetworkPolicies, which {@code PlatformE2E} sees enforced. */
class PlatformPoliciesTest {
  static List<Integer> ports(List<V1NetworkPolicyPort> ports) {
    return ports.stream().map(p -> p.getPort().getIntValue()).toList();
  }

  @Test
  void aNotebooksDriverPortsAdmitOnlyItsOwnExecutorsAndItsPageEveryone() {
    var out = PlatformCompiler.compile(platform()).applied();
    V1NetworkPolicy driver = find(out, V1NetworkPolicy.class, "team-lab-network");
    Map<String, String> notebookPod = find(out, V1Deployment.class, "team-lab").getSpec()
        .getSelector().getMatchLabels();
    assertThat(driver.getSpec().getPodSelector().getMatchLabels()).isEqualTo(notebookPod);
    assertThat(driver.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(driver.getSpec().getIngress()).hasSize(2);
    Map<String, String> executors = Map.of("app.kubernetes.io/instance", "team",
        "sparkk8s.io/platform-component", "lab-executor");
    assertThat(driver.getSpec().getIngress().get(0).getFrom()).singleElement()
        .satisfies(f -> assertThat(f.getPodSelector().getMatchLabels()).isEqualTo(executors));
    assertThat(ports(driver.getSpec().getIngress().get(0).getPorts()))
        .containsExactly(NotebookEnvironment.DRIVER_PORT, NotebookEnvironment.BLOCK_MANAGER_PORT);
    // The page, from anywhere (its token guards it); the Spark UI (4040) from nowhere.
    assertThat(driver.getSpec().getIngress().get(1).getFrom()).isNullOrEmpty();
    assertThat(ports(driver.getSpec().getIngress().get(1).getPorts()))
        .containsExactly(NotebookEnvironment.PORT);

    V1NetworkPolicy blocks = find(out, V1NetworkPolicy.class, "team-lab-executors");
    assertThat(blocks.getSpec().getPodSelector().getMatchLabels()).isEqualTo(executors);
    assertThat(blocks.getSpec().getIngress()).singleElement().satisfies(in -> {
      assertThat(in.getFrom()).extracting(f -> f.getPodSelector().getMatchLabels())
          .containsExactly(notebookPod, executors);
      assertThat(ports(in.getPorts())).containsExactly(NotebookEnvironment.BLOCK_MANAGER_PORT);
    });

    // The executors carry the labels the policies select, and serve blocks on the port they name.
    V1ConfigMap conf = find(out, V1ConfigMap.class, "team-lab-spark-conf");
    V1Pod template = Yaml.loadAs(conf.getData().get("executor-template.yaml"), V1Pod.class);
    assertThat(template.getMetadata().getLabels()).isEqualTo(executors);
    assertThat(conf.getData().get("spark-defaults.conf"))
        .contains("spark.blockManager.port=" + NotebookEnvironment.BLOCK_MANAGER_PORT);
  }

  @Test
  void theHistoryServersUiAdmitsOnlyTheNamedClientsUnlessExposedWithoutALoginOnPurpose() {
    V1NetworkPolicy none = find(PlatformCompiler.compile(platform()).applied(),
        V1NetworkPolicy.class, "team-history-network");
    assertThat(none.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("sparkk8s.io/platform-component", "history");
    assertThat(none.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(none.getSpec().getIngress()).as("no rule: nothing admitted").isNullOrEmpty();

    HistoryServer h = platform().historyServer().orElseThrow();
    V1NetworkPolicy named = find(PlatformCompiler.compile(platform().withHistoryServer(
            h.withUiClients(Map.of("app", "gateway")))).applied(),
        V1NetworkPolicy.class, "team-history-network");
    assertThat(named.getSpec().getIngress()).singleElement().satisfies(in -> {
      assertThat(in.getFrom()).singleElement().satisfies(f ->
          assertThat(f.getPodSelector().getMatchLabels()).isEqualTo(Map.of("app", "gateway")));
      assertThat(ports(in.getPorts())).containsExactly(HistoryServer.PORT);
    });

    V1NetworkPolicy open = find(PlatformCompiler.compile(platform().withHistoryServer(
            h.withUnauthenticatedExposure(Exposure.NODE_PORT))).applied(),
        V1NetworkPolicy.class, "team-history-network");
    assertThat(open.getSpec().getIngress()).singleElement().satisfies(in -> {
      assertThat(in.getFrom()).isNullOrEmpty();
      assertThat(ports(in.getPorts())).containsExactly(HistoryServer.PORT);
    });
  }

  @Test
  void noPolicyWhenThePlatformTurnsThemOff() {
    var out = PlatformCompiler.compile(platform().withNetworkPolicies(false)).applied();
    assertThat(out).noneMatch(o -> o instanceof V1NetworkPolicy);
    assertThat(out).hasSize(10);
  }
}
