package io.sparkk8s.bench;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeSpec;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Taint;
import io.kubernetes.client.util.Config;
import io.sparkk8s.it.ClusterConnection;
import io.sparkk8s.it.SparkSubmit;
import io.sparkk8s.it.TestNamespace;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.Toleration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/**
 * The cluster a run uses, and everything the run creates in it: namespaces labelled
 * {@value #MANAGED_BY}, and KWOK fake nodes labelled {@value #NODE_LABEL} that the run's pods go
 * to (no containers, so thousands of drivers cost the API server, not the 2-core node). All of it
 * is deleted by {@link #close()}, and leftovers of an interrupted run by {@link #removeLeftovers()}.
 *
 * <pre>{@code
 * try (BenchCluster cluster = BenchCluster.connect(kubeconfig)) {
 *   cluster.addKwokNodes(3, 5000);
 *   TestNamespace ns = cluster.namespace("latency");
 *   SparkJob job = cluster.sparkPi(ns, "pi");
 * }
 * }</pre>
 */
final class BenchCluster implements AutoCloseable {
  static final String MANAGED_BY = "sparkk8s-bench";
  static final String NODE_LABEL = "sparkk8s.io/bench-node";
  static final String KWOK_TAINT_KEY = "kwok.x-k8s.io/node";
  static final Application PI = Application.jvm("org.apache.spark.examples.SparkPi",
      "local:///opt/spark/examples/jars/spark-examples.jar");

  final ClusterConnection connection;
  final CoreV1Api core;
  final String runId;
  private final List<String> namespaces = new CopyOnWriteArrayList<>();
  private final List<String> nodes = new CopyOnWriteArrayList<>();

  private BenchCluster(ClusterConnection connection, String runId) {
    this.connection = connection;
    this.core = new CoreV1Api(connection.client());
    this.runId = runId;
  }

  static BenchCluster connect(Path kubeconfig) {
    return new BenchCluster(new ClusterConnection("kubeconfig " + kubeconfig, kubeconfig, client(kubeconfig),
        Optional.empty()), Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36));
  }

  /** A client of its own (own connection pool), with a read timeout long enough for big lists. */
  static ApiClient client(Path kubeconfig) {
    try {
      ApiClient client = Config.fromConfig(kubeconfig.toString());
      client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(Duration.ofMinutes(5)).build());
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
    }
  }

  /** A new namespace with the driver's service account; deleted by {@link #close()}. */
  TestNamespace namespace(String purpose) throws ApiException {
    String name = ("sparkk8s-bench-" + runId + "-" + purpose).toLowerCase(Locale.ROOT);
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name)
        .putLabelsItem("app.kubernetes.io/managed-by", MANAGED_BY))).execute();
    namespaces.add(name);
    TestNamespace namespace = new TestNamespace(name);
    SparkSubmit.ensureDriverServiceAccount(connection, namespace);
    return namespace;
  }

  /**
   * Adds KWOK fake nodes for this run and waits until KWOK reports them Ready.
   *
   * @throws IllegalStateException when they do not become Ready (the cluster runs no KWOK)
   */
  List<String> addKwokNodes(int count, int podsEach) throws ApiException {
    List<String> added = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = "sparkk8s-bench-" + runId + "-" + (nodes.size() + 1);
      Map<String, Quantity> capacity = Map.of("cpu", new Quantity("1000"), "memory", new Quantity("4Ti"),
          "pods", new Quantity(Integer.toString(podsEach)));
      core.createNode(new V1Node()
          .metadata(new V1ObjectMeta().name(name)
              .putAnnotationsItem(KWOK_TAINT_KEY, "fake")
              .putAnnotationsItem("node.alpha.kubernetes.io/ttl", "0")
              .putLabelsItem(NODE_LABEL, runId)
              .putLabelsItem("kubernetes.io/hostname", name)
              .putLabelsItem("kubernetes.io/os", "linux")
              .putLabelsItem("kubernetes.io/arch", "amd64")
              .putLabelsItem("app.kubernetes.io/managed-by", MANAGED_BY))
          .spec(new V1NodeSpec().addTaintsItem(new V1Taint().key(KWOK_TAINT_KEY).value("fake").effect("NoSchedule")))
          .status(new V1NodeStatus().capacity(capacity).allocatable(capacity)))
          .execute();
      nodes.add(name);
      added.add(name);
    }
    try {
      Awaitility.await("KWOK fake nodes " + added + " Ready (the cluster needs a KWOK controller managing nodes"
              + " annotated " + KWOK_TAINT_KEY + "=fake)")
          .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
          .until(() -> added.stream().allMatch(this::ready));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return added;
  }

  List<String> nodes() {
    return List.copyOf(nodes);
  }

  private boolean ready(String node) {
    try {
      V1Node n = core.readNode(node).execute();
      return n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions()
          .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    } catch (ApiException e) {
      return false;
    }
  }

  /**
   * The job every part of the run submits: Spark's own SparkPi with the E2E tests' small
   * requests, its driver sent to this run's KWOK nodes.
   */
  SparkJob sparkPi(TestNamespace namespace, String name) {
    return SparkJob.builder().name(name).namespace(namespace.name()).application(PI).addArguments("1000")
        .serviceAccount(SparkSubmit.SERVICE_ACCOUNT)
        .driver(Driver.builder().memory("512m").coreRequest("100m").build())
        .executor(Executor.builder().instances(2).memory("512m").coreRequest("100m").build())
        .putNodeSelector(NODE_LABEL, runId)
        .addTolerations(Toleration.exists(KWOK_TAINT_KEY))
        .build();
  }

  /**
   * The same job for spark-submit: the E2E harness's defaults, two executors, and a driver pod
   * template with the same node selector and toleration.
   */
  SparkSubmit sparkSubmit(TestNamespace namespace, String appName, boolean waitAppCompletion) throws IOException {
    Path template = Files.createDirectories(Path.of("target", "bench")).resolve("driver-template-" + runId + ".yaml");
    Files.writeString(template, String.join("\n",
        "apiVersion: v1",
        "kind: Pod",
        "spec:",
        "  nodeSelector:",
        "    " + NODE_LABEL + ": \"" + runId + "\"",
        "  tolerations:",
        "  - key: " + KWOK_TAINT_KEY,
        "    operator: Exists",
        ""));
    return SparkSubmit.cluster(connection, namespace)
        // What bin/spark-submit gives its own JVM (SparkSubmitCommandBuilder's default memory).
        .jvmOption("-Xmx1g")
        .conf("spark.app.name", appName)
        .conf("spark.executor.instances", "2")
        .conf("spark.kubernetes.driver.podTemplateFile", template.toAbsolutePath().toString())
        .conf("spark.kubernetes.submission.waitAppCompletion", Boolean.toString(waitAppCompletion));
  }

  /** Deletes a namespace of this run and waits until it is gone. */
  void deleteNamespace(TestNamespace namespace, Duration timeout) {
    delete(namespace.name());
    awaitGone(List.of(namespace.name()), timeout);
    namespaces.remove(namespace.name());
  }

  private void delete(String namespace) {
    try {
      core.deleteNamespace(namespace).execute();
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        System.err.printf("[bench] cannot delete namespace %s: HTTP %d %s%n", namespace, e.getCode(),
            e.getResponseBody());
      }
    }
  }

  private void awaitGone(List<String> names, Duration timeout) {
    try {
      Awaitility.await("namespaces " + names + " deleted").atMost(timeout).pollInterval(Duration.ofSeconds(2))
          .until(() -> names.stream().noneMatch(this::namespaceExists));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      System.err.println("[bench] " + e.getMessage() + "; the cluster keeps deleting them");
    }
  }

  private boolean namespaceExists(String name) {
    try {
      core.readNamespace(name).execute();
      return true;
    } catch (ApiException e) {
      return e.getCode() != 404;
    }
  }

  /** Deletes the namespaces and KWOK nodes of earlier runs that did not clean up (killed runs). */
  void removeLeftovers() throws ApiException {
    List<String> old = new ArrayList<>();
    for (V1Namespace ns : core.listNamespace().labelSelector("app.kubernetes.io/managed-by=" + MANAGED_BY)
        .execute().getItems()) {
      old.add(ns.getMetadata().getName());
      delete(ns.getMetadata().getName());
    }
    if (!old.isEmpty()) {
      System.out.println("[bench] deleting namespaces left by an earlier run: " + old);
      awaitGone(old, Duration.ofMinutes(10));
    }
    for (V1Node node : core.listNode().labelSelector(NODE_LABEL).execute().getItems()) {
      System.out.println("[bench] deleting KWOK node left by an earlier run: " + node.getMetadata().getName());
      core.deleteNode(node.getMetadata().getName()).execute();
    }
  }

  /** Deletes every namespace of this run (waiting for them), then its KWOK nodes. */
  @Override
  public void close() {
    List<String> left = List.copyOf(namespaces);
    left.forEach(this::delete);
    awaitGone(left, Duration.ofMinutes(15));
    namespaces.clear();
    for (String node : nodes) {
      try {
        core.deleteNode(node).execute();
      } catch (ApiException e) {
        System.err.printf("[bench] cannot delete node %s: HTTP %d%n", node, e.getCode());
      }
    }
    nodes.clear();
  }
}
