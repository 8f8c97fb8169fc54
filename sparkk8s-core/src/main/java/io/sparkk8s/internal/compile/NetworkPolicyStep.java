package io.sparkk8s.internal.compile;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1IPBlock;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyEgressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPeer;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1NetworkPolicySpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.sparkk8s.conf.ConfValues;
import io.sparkk8s.spec.NetworkIsolation;
import io.sparkk8s.spec.StorageExpansion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The job's NetworkPolicies when it asks for {@link NetworkIsolation}: one over all its pods
 * (selected by {@code spark-app-selector}, which Spark puts on the driver and every executor)
 * allowing Spark's ports among them, the UI from the named pods and DNS; one over the driver alone
 * allowing the API server. Policies add up, so each pod gets exactly the union. Created after the
 * driver and owned by it, like the Service and ConfigMaps.
 */
public final class NetworkPolicyStep implements FeatureStep {
  /** Ports the API server listens on: 443 behind most managed clusters, 6443 for kubeadm and k3s. */
  static final List<Integer> API_SERVER_PORTS = List.of(443, 6443);

  @Override
  public SparkPod configurePod(SparkPod pod, DriverContext ctx) {
    return pod;
  }

  @Override
  public List<KubernetesObject> additionalResources(DriverContext ctx) {
    return ctx.job().networkIsolation().map(n -> policies(ctx, n)).orElse(List.of());
  }

  static List<KubernetesObject> policies(DriverContext ctx, NetworkIsolation n) {
    String appId = ctx.names().appId();
    Map<String, String> app = Map.of("spark-app-selector", appId);
    V1LabelSelector appPods = new V1LabelSelector().matchLabels(app);
    List<V1NetworkPolicyPort> sparkPorts = sparkPorts(ctx);

    V1NetworkPolicySpec all = new V1NetworkPolicySpec().podSelector(appPods)
        .policyTypes(List.of("Ingress", "Egress"))
        .addIngressItem(new V1NetworkPolicyIngressRule()
            .addFromItem(new V1NetworkPolicyPeer().podSelector(appPods)).ports(sparkPorts))
        .addEgressItem(new V1NetworkPolicyEgressRule()
            .addToItem(new V1NetworkPolicyPeer().podSelector(appPods)).ports(sparkPorts))
        // DNS anywhere: cluster DNS may be a Service, a node-local cache or an upstream resolver.
        .addEgressItem(new V1NetworkPolicyEgressRule()
            .addPortsItem(port("UDP", 53)).addPortsItem(port("TCP", 53)));
    if (!n.uiClients().isEmpty()) {
      // The UI runs in the driver only; executors have no listener on this port.
      all.addIngressItem(new V1NetworkPolicyIngressRule()
          .addFromItem(new V1NetworkPolicyPeer().podSelector(
              new V1LabelSelector().matchLabels(n.uiClients())))
          .addPortsItem(port("TCP", ctx.uiPort())));
    }
    if (!n.egressCidrs().isEmpty()) {
      V1NetworkPolicyEgressRule out = new V1NetworkPolicyEgressRule();
      n.egressCidrs().forEach(cidr -> out.addToItem(new V1NetworkPolicyPeer()
          .ipBlock(new V1IPBlock().cidr(cidr))));
      all.addEgressItem(out);
    }

    V1NetworkPolicyEgressRule api = new V1NetworkPolicyEgressRule();
    API_SERVER_PORTS.forEach(p -> api.addPortsItem(port("TCP", p)));
    n.apiServerCidr().ifPresent(cidr -> api.addToItem(new V1NetworkPolicyPeer()
        .ipBlock(new V1IPBlock().cidr(cidr))));
    V1NetworkPolicySpec driver = new V1NetworkPolicySpec()
        .podSelector(new V1LabelSelector().putMatchLabelsItem("spark-app-selector", appId)
            .putMatchLabelsItem("spark-role", "driver"))
        .policyTypes(List.of("Egress"))
        .addEgressItem(api);

    String prefix = ctx.names().resourcePrefix();
    return List.of(policy(new V1ObjectMeta().name(prefix + "-network").labels(app), all),
        policy(new V1ObjectMeta().name(prefix + "-driver-api").labels(app), driver));
  }

  /**
   * Spark's listening ports: the driver's RPC and block manager ports, and the executors' block
   * manager port ({@code spark.blockManager.port}: unset, an executor binds a random port, so the
   * compiler sets 7079 for an isolated job, see {@link StorageExpansion}). {@code build()} refuses
   * a port of 0 (random), which no policy could name.
   */
  static List<V1NetworkPolicyPort> sparkPorts(DriverContext ctx) {
    int executorBlockManager = ConfValues.intConf(ctx.conf(),
        StorageExpansion.EXECUTOR_BLOCK_MANAGER_PORT, ConfValues.DEFAULT_BLOCK_MANAGER_PORT);
    TreeSet<Integer> ports = new TreeSet<>(List.of(ctx.driverPort(), ctx.blockManagerPort(),
        executorBlockManager));
    List<V1NetworkPolicyPort> out = new ArrayList<>();
    ports.forEach(p -> out.add(port("TCP", p)));
    return out;
  }

  static V1NetworkPolicyPort port(String protocol, int port) {
    return new V1NetworkPolicyPort().protocol(protocol).port(new IntOrString(port));
  }

  /** A NetworkPolicy object: a job's here, a platform's in {@link PlatformPolicies}. */
  static V1NetworkPolicy policy(V1ObjectMeta meta, V1NetworkPolicySpec spec) {
    return new V1NetworkPolicy().apiVersion("networking.k8s.io/v1").kind("NetworkPolicy")
        .metadata(meta).spec(spec);
  }
}
