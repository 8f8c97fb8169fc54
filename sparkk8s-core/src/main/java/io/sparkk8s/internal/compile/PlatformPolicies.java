package io.sparkk8s.internal.compile;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPeer;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1NetworkPolicySpec;
import io.sparkk8s.spec.Exposure;
import io.sparkk8s.spec.HistoryServer;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.SparkPlatform;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A platform's NetworkPolicies ({@link SparkPlatform#networkPolicies()}), ingress only. A
 * notebook's pod runs a Spark driver: its RPC and block manager ports admit only the notebook's
 * own executors, and its Spark UI nobody (port-forward still works); its HTTP port admits every
 * client, since the notebook's login guards it. The executors' block managers admit the notebook
 * and each other. The History Server's UI admits the pods named by
 * {@link HistoryServer#uiClients()}, or everyone when it is exposed without a login on purpose.
 */
final class PlatformPolicies {
  private PlatformPolicies() {}

  /** The component label of a notebook's executors, which its executor template carries. */
  static String executorComponent(NotebookEnvironment nb) {
    return nb.name() + "-executor";
  }

  /**
   * The two policies of a notebook: over its pod (the Deployment's {@code podSelector}), and over
   * its executors.
   */
  static void notebook(SparkPlatform p, NotebookEnvironment nb, String name,
      Map<String, String> labels, Map<String, String> podSelector, List<KubernetesObject> applied) {
    V1LabelSelector notebook = new V1LabelSelector().matchLabels(podSelector);
    V1LabelSelector executors = new V1LabelSelector().matchLabels(
        p.names().selector(executorComponent(nb)));
    V1NetworkPolicySpec driver = new V1NetworkPolicySpec().podSelector(notebook)
        .policyTypes(List.of("Ingress"))
        .addIngressItem(new V1NetworkPolicyIngressRule()
            .addFromItem(new V1NetworkPolicyPeer().podSelector(executors))
            .ports(List.of(tcp(NotebookEnvironment.DRIVER_PORT),
                tcp(NotebookEnvironment.BLOCK_MANAGER_PORT))))
        // The notebook's own page: its token or password guards it, and an ingress, a
        // LoadBalancer or a port-forward may be in front of it.
        .addIngressItem(new V1NetworkPolicyIngressRule().addPortsItem(tcp(nb.port())));
    V1NetworkPolicySpec blocks = new V1NetworkPolicySpec().podSelector(executors)
        .policyTypes(List.of("Ingress"))
        .addIngressItem(new V1NetworkPolicyIngressRule()
            .addFromItem(new V1NetworkPolicyPeer().podSelector(notebook))
            .addFromItem(new V1NetworkPolicyPeer().podSelector(executors))
            .addPortsItem(tcp(NotebookEnvironment.BLOCK_MANAGER_PORT)));
    applied.add(policy(name + "-network", p.namespace(), labels, driver));
    applied.add(policy(name + "-executors", p.namespace(), labels, blocks));
  }

  /** The History Server's policy, over its pod (the Deployment's {@code podSelector}). */
  static void historyServer(SparkPlatform p, HistoryServer h, String name,
      Map<String, String> labels, Map<String, String> podSelector, List<KubernetesObject> applied) {
    V1NetworkPolicySpec spec = new V1NetworkPolicySpec()
        .podSelector(new V1LabelSelector().matchLabels(podSelector))
        .policyTypes(List.of("Ingress"));
    if (h.exposure() != Exposure.CLUSTER_IP) {
      // Exposed without a login on purpose (allowUnauthenticatedExposure): from anywhere.
      spec.addIngressItem(new V1NetworkPolicyIngressRule().addPortsItem(tcp(HistoryServer.PORT)));
    } else if (!h.uiClients().isEmpty()) {
      spec.addIngressItem(new V1NetworkPolicyIngressRule()
          .addFromItem(new V1NetworkPolicyPeer().podSelector(
              new V1LabelSelector().matchLabels(new TreeMap<>(h.uiClients()))))
          .addPortsItem(tcp(HistoryServer.PORT)));
    }
    applied.add(policy(name + "-network", p.namespace(), labels, spec));
  }

  private static V1NetworkPolicyPort tcp(int port) {
    return NetworkPolicyStep.port("TCP", port);
  }

  private static V1NetworkPolicy policy(String name, String ns, Map<String, String> labels,
      V1NetworkPolicySpec spec) {
    return NetworkPolicyStep.policy(PlatformObjects.meta(name, ns, labels), spec);
  }
}
