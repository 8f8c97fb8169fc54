package io.sparkk8s.it;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Records the executor pods ({@code spark-role=executor}) of a namespace that were seen running, by polling
 * the API server while a Spark application runs. Close it when the application is done.
 */
final class ExecutorPods implements AutoCloseable {

  private final CoreV1Api core;
  private final String namespace;
  private final Set<String> seenRunning = new ConcurrentSkipListSet<>();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "executor-pod-poller");
    thread.setDaemon(true);
    return thread;
  });

  private ExecutorPods(ApiClient client, TestNamespace namespace) {
    this.core = new CoreV1Api(client);
    this.namespace = namespace.name();
  }

  static ExecutorPods watch(ApiClient client, TestNamespace namespace) {
    ExecutorPods pods = new ExecutorPods(client, namespace);
    pods.poller.scheduleWithFixedDelay(pods::poll, 0, 250, TimeUnit.MILLISECONDS);
    return pods;
  }

  private void poll() {
    try {
      for (V1Pod pod : current()) {
        if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
          seenRunning.add(pod.getMetadata().getName());
        }
      }
    } catch (ApiException | RuntimeException e) {
      // A missed poll only delays what we see; the next one retries.
    }
  }

  /** The executor pods that exist now. */
  List<V1Pod> current() throws ApiException {
    return core.listNamespacedPod(namespace).labelSelector("spark-role=executor").execute().getItems();
  }

  /** Names of the executor pods seen in phase Running so far. */
  Set<String> seenRunning() {
    return Set.copyOf(seenRunning);
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
