package io.sparkk8s.internal.kube;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One watch of the cluster's nodes per client, to tell when a driver's node is lost: its kubelet
 * stopped reporting and the node controller set the node's Ready condition to Unknown (after its
 * node-monitor grace period). The pod itself still says Running then, and would until it is
 * evicted minutes later; the handles of drivers on that node report {@code UNKNOWN} (reason
 * {@value #NODE_LOST}) instead, and go back to what the pod says when the node is Ready again.
 * A node marked Unknown right after this client itself could not reach the API server is held
 * for a while first: the control plane was away, not the node ({@link NodeHealth}).
 *
 * <p>Nodes are cluster-scoped: for credentials without the right to list them (HTTP 403) no node
 * watch is started ({@link #start} says why once), and jobs are followed from their pods alone.
 */
final class NodeWatch implements AutoCloseable {
  static final String NODE_LOST = io.sparkk8s.JobReasons.NODE_LOST;

  private final SharedInformerFactory factory;
  private final NodeHealth health;
  private final Consumer<String> changed;
  private final ScheduledExecutorService timers;

  /**
   * A node watch, unless the credentials may not list nodes (asked once with {@code api}: the
   * informer would retry a forbidden list every second, silently). {@code changed} is told, on
   * {@code timers} or a watch thread, the name of a node that was lost or came back.
   */
  static Optional<NodeWatch> start(ApiClient api, ApiClient watchClient, NodeHealth health,
      Consumer<String> changed, ScheduledExecutorService timers) {
    try {
      new CoreV1Api(api).listNode().limit(1).execute();
    } catch (ApiException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        Log.LOG.warn("These credentials may not list nodes (HTTP {}): a driver whose "
            + "node is lost is noticed only when Kubernetes evicts its pod", e.getCode());
        return Optional.empty();
      }
      // Unreachable now: the informer keeps trying.
    }
    return Optional.of(new NodeWatch(watchClient, health, changed, timers));
  }

  private NodeWatch(ApiClient watchClient, NodeHealth health, Consumer<String> changed,
      ScheduledExecutorService timers) {
    this.health = health;
    this.changed = changed;
    this.timers = timers;
    CoreV1Api core = new CoreV1Api(watchClient);
    this.factory = new SharedInformerFactory(watchClient);
    // Every failed call tells the node health this client could not reach the API server (a
    // refused connection too, which client-java's reflector keeps from its exception handler).
    io.kubernetes.client.util.CallGenerator calls = params -> core.listNode()
        .resourceVersion(params.resourceVersion)
        .timeoutSeconds(params.timeoutSeconds)
        .watch(params.watch)
        .buildCall(null);
    var informer = factory.sharedIndexInformerFor(
        new ReportingListerWatcher<V1Node, V1NodeList>(watchClient, calls, V1NodeList.class,
            new com.google.gson.reflect.TypeToken<io.kubernetes.client.util.Watch.Response<V1Node>>() {
            }.getType(), error -> health.failed(error, System.nanoTime())),
        V1Node.class, 0L, (type, error) -> Log.LOG.warn(
            "Watch of nodes failed ({}); listing again", String.valueOf(error)));
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(V1Node node) {
        update(node);
      }

      @Override
      public void onUpdate(V1Node oldNode, V1Node newNode) {
        update(newNode);
      }

      @Override
      public void onDelete(V1Node node, boolean finalStateUnknown) {
        String name = node.getMetadata().getName();
        if (health.deleted(name, System.nanoTime())) {
          changed.accept(name);
        }
      }
    });
    factory.startAllRegisteredInformers();
  }

  /** Why the node is lost (its Ready condition's reason and message), or empty if it is not. */
  Optional<String> lost(String nodeName) {
    return health.lost(nodeName, System.nanoTime());
  }

  private void update(V1Node node) {
    String name = node.getMetadata().getName();
    NodeHealth.Update u = health.update(node, System.nanoTime());
    if (u.changed()) {
      changed.accept(name);
    }
    u.recheckIn().ifPresent(in -> {
      Log.LOG.info("Node {} went Unknown within {} s of this client's own failure to "
          + "reach the API server: the control plane was away, not necessarily the node; its "
          + "drivers are reported lost only if it is still Unknown in {} s", name,
          NodeHealth.SETTLE.toSeconds(), in.toSeconds());
      try {
        timers.schedule(() -> changed.accept(name), in.toMillis() + 1, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        // The client is closing: nobody is told any more.
      }
    });
  }

  @Override
  public void close() {
    factory.stopAllRegisteredInformers();
  }
}
