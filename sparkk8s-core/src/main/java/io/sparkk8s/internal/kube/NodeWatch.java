package io.sparkk8s.internal.kube;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1NodeList;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One watch of the cluster's nodes per client, to tell when a driver's node is lost: its kubelet
 * stopped reporting and the node controller set the node's Ready condition to Unknown (after its
 * node-monitor grace period). The pod itself still says Running then, and would until it is
 * evicted minutes later; the handles of drivers on that node report {@code UNKNOWN} (reason
 * {@value #NODE_LOST}) instead, and go back to what the pod says when the node is Ready again.
 *
 * <p>Nodes are cluster-scoped: for credentials without the right to list them (HTTP 403) no node
 * watch is started ({@link #start} says why once), and jobs are followed from their pods alone.
 */
final class NodeWatch implements AutoCloseable {
  static final String NODE_LOST = "NodeLost";

  private final SharedInformerFactory factory;
  private final Map<String, String> lost = new ConcurrentHashMap<>();

  /**
   * A node watch, unless the credentials may not list nodes (asked once with {@code api}: the
   * informer would retry a forbidden list every second, silently).
   */
  static Optional<NodeWatch> start(ApiClient api, ApiClient watchClient, Consumer<String> changed) {
    try {
      new CoreV1Api(api).listNode().limit(1).execute();
    } catch (ApiException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        KubeSparkClient.LOG.warn("These credentials may not list nodes (HTTP {}): a driver whose "
            + "node is lost is noticed only when Kubernetes evicts its pod", e.getCode());
        return Optional.empty();
      }
      // Unreachable now: the informer keeps trying.
    }
    return Optional.of(new NodeWatch(watchClient, changed));
  }

  /** {@code changed} is told the name of a node that was lost or came back. */
  private NodeWatch(ApiClient watchClient, Consumer<String> changed) {
    CoreV1Api core = new CoreV1Api(watchClient);
    this.factory = new SharedInformerFactory(watchClient);
    var informer = factory.sharedIndexInformerFor(
        params -> core.listNode()
            .resourceVersion(params.resourceVersion)
            .timeoutSeconds(params.timeoutSeconds)
            .watch(params.watch)
            .buildCall(null),
        V1Node.class, V1NodeList.class, 0L, (type, error) ->
            KubeSparkClient.LOG.warn("Watch of nodes failed ({}); listing again", String.valueOf(error)));
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(V1Node node) {
        update(node, changed);
      }

      @Override
      public void onUpdate(V1Node oldNode, V1Node newNode) {
        update(newNode, changed);
      }

      @Override
      public void onDelete(V1Node node, boolean finalStateUnknown) {
        String name = node.getMetadata().getName();
        if (lost.put(name, "the node was deleted") == null) {
          changed.accept(name);
        }
      }
    });
    factory.startAllRegisteredInformers();
  }

  /** Why the node is lost (its Ready condition's reason and message), or empty if it is not. */
  Optional<String> lost(String nodeName) {
    return nodeName == null ? Optional.empty() : Optional.ofNullable(lost.get(nodeName));
  }

  private void update(V1Node node, Consumer<String> changed) {
    String name = node.getMetadata().getName();
    Optional<V1NodeCondition> ready = node.getStatus() == null
        || node.getStatus().getConditions() == null ? Optional.empty()
        : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
            .findFirst();
    // Only Unknown means the kubelet is gone; Ready=False is a kubelet reporting a problem, and
    // its pods' own status stays trustworthy.
    boolean isLost = ready.isPresent() && "Unknown".equals(ready.get().getStatus());
    if (isLost) {
      String why = "node " + name + " stopped reporting (Ready=Unknown"
          + (ready.get().getReason() == null ? "" : ", " + ready.get().getReason()) + ")"
          + (ready.get().getMessage() == null ? "" : ": " + ready.get().getMessage());
      if (!why.equals(lost.put(name, why))) {
        changed.accept(name);
      }
    } else if (lost.remove(name) != null) {
      changed.accept(name);
    }
  }

  @Override
  public void close() {
    factory.stopAllRegisteredInformers();
  }
}
