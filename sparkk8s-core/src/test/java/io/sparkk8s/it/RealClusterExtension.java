package io.sparkk8s.it;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * Gives integration tests a real cluster ({@link ClusterConnection}) and a namespace per test
 * ({@link TestNamespace}); use it through {@link RealCluster}.
 *
 * <p>The cluster is resolved once per JVM, the first way that works winning:
 *
 * <ol>
 *   <li>with {@code -D}{@value ApiServerCluster#PROPERTY}{@code =true}, only a bare control plane in
 *       containers ({@link ApiServerCluster}; the API-level tests, {@code @Tag("api-server")});
 *   <li>an explicit kubeconfig: system property {@value #KUBECONFIG_PROPERTY}, else environment variable
 *       {@value #KUBECONFIG_ENV} (GKE, PKS, minikube, ...: any cluster whose nodes can run {@code apache/spark});
 *   <li>k3s through Testcontainers, when a Docker daemon is reachable (contributors' machines); turn off with
 *       {@code -D}{@value #CONTAINERS_PROPERTY}{@code =false};
 *   <li>the local cluster of {@code scripts/local-k8s/up.sh} (Linux, root; up.sh is idempotent, so when
 *       {@code scripts/test.sh} has already started it this only finds it); turn off with
 *       {@code -D}{@value #LOCAL_PROPERTY}{@code =false}.
 * </ol>
 *
 * <p>When none is available every test of the class is aborted with the reasons, so it is reported as
 * skipped and never as passed. A failed test's namespace is kept and printed together with its pods,
 * their recent events and the cluster's log directory.
 */
public final class RealClusterExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  public static final String KUBECONFIG_PROPERTY = "sparkk8s.it.kubeconfig";
  public static final String KUBECONFIG_ENV = "SPARKK8S_IT_KUBECONFIG";
  public static final String CONTAINERS_PROPERTY = "sparkk8s.it.testcontainers";
  public static final String LOCAL_PROPERTY = "sparkk8s.it.localCluster";

  private static final Namespace STORE = Namespace.create(RealClusterExtension.class);
  private static final Duration LOCAL_UP_TIMEOUT = Duration.ofMinutes(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Either a cluster or why there is none; cached for the JVM in the root store. */
  private record Resolution(ClusterConnection cluster, String unavailableReason) {}

  @Override
  public void beforeAll(ExtensionContext context) {
    // Resolve (maybe start) the cluster once, up front, but abort per test (in beforeEach): an aborted
    // class is reported as "Tests run: 0", while aborted tests are reported as skipped, with the reason.
    context.getRoot().getStore(STORE)
        .getOrComputeIfAbsent(Resolution.class, key -> resolve(context), Resolution.class);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws ApiException {
    ClusterConnection cluster = cluster(context);
    String name = namespaceName(context.getRequiredTestMethod().getName());
    V1Namespace namespace = new V1Namespace()
        .metadata(new V1ObjectMeta().name(name).putLabelsItem("app.kubernetes.io/managed-by", "sparkk8s-it"));
    CoreV1Api core = new CoreV1Api(cluster.client());
    core.createNamespace(namespace).execute();
    ApiServerCluster.makeDefaultServiceAccount(core, name);
    context.getStore(STORE).put(TestNamespace.class, new TestNamespace(name));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestNamespace namespace = context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
    if (namespace == null) {
      return;
    }
    ClusterConnection cluster = cluster(context);
    CoreV1Api core = new CoreV1Api(cluster.client());
    if (context.getExecutionException().isPresent()) {
      System.err.println(failureReport(core, cluster, namespace, context.getDisplayName()));
      return;
    }
    try {
      core.deleteNamespace(namespace.name()).execute();
    } catch (ApiException e) {
      System.err.printf("[sparkk8s-it] could not delete namespace %s: HTTP %d %s%n", namespace, e.getCode(),
          e.getResponseBody());
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == ClusterConnection.class || type == TestNamespace.class || type == ApiClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == TestNamespace.class) {
      TestNamespace namespace = context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
      if (namespace == null) {
        throw new ParameterResolutionException("a TestNamespace exists only in test methods, not in " + context);
      }
      return namespace;
    }
    ClusterConnection cluster = cluster(context);
    return type == ApiClient.class ? cluster.client() : cluster;
  }

  private static ClusterConnection cluster(ExtensionContext context) {
    Resolution resolution = resolution(context);
    if (resolution.cluster() == null) {
      throw new TestAbortedException("no Kubernetes cluster for integration tests: " + resolution.unavailableReason());
    }
    return resolution.cluster();
  }

  private static Resolution resolution(ExtensionContext context) {
    Resolution resolution = context.getRoot().getStore(STORE)
        .getOrComputeIfAbsent(Resolution.class, key -> resolve(context), Resolution.class);
    if (resolution.cluster() == null) {
      throw new TestAbortedException("no Kubernetes cluster for integration tests: " + resolution.unavailableReason());
    }
    return resolution;
  }

  private static Resolution resolve(ExtensionContext context) {
    if (ApiServerCluster.requested()) {
      // The API-level run (failsafe execution "api-server"): a control plane in containers, or a failure.
      return new Resolution(ApiServerCluster.start(context), null);
    }
    List<String> reasons = new ArrayList<>();

    String explicit = System.getProperty(KUBECONFIG_PROPERTY, "");
    String source = "kubeconfig from -D" + KUBECONFIG_PROPERTY;
    if (explicit.isBlank()) {
      explicit = Optional.ofNullable(System.getenv(KUBECONFIG_ENV)).orElse("");
      source = "kubeconfig from " + KUBECONFIG_ENV;
    }
    if (!explicit.isBlank()) {
      // An explicit choice is never silently replaced by another cluster.
      Path path = Paths.get(explicit);
      if (!Files.isReadable(path)) {
        return new Resolution(null, source + " names " + path + ", which is not a readable file");
      }
      Optional<Path> logs = Optional.ofNullable(System.getenv("SPARKK8S_IT_CLUSTER_LOGS")).map(Paths::get);
      return new Resolution(connect(source, path, logs), null);
    }
    reasons.add("no kubeconfig given (-D" + KUBECONFIG_PROPERTY + " or " + KUBECONFIG_ENV + ")");

    if (Boolean.parseBoolean(System.getProperty(CONTAINERS_PROPERTY, "true"))) {
      Optional<ClusterConnection> k3s = K3sCluster.startIfDockerAvailable(context, reasons);
      if (k3s.isPresent()) {
        return new Resolution(k3s.get(), null);
      }
    } else {
      reasons.add("Testcontainers turned off by -D" + CONTAINERS_PROPERTY + "=false");
    }

    if (Boolean.parseBoolean(System.getProperty(LOCAL_PROPERTY, "true"))) {
      Optional<ClusterConnection> local = startLocalCluster(reasons);
      if (local.isPresent()) {
        return new Resolution(local.get(), null);
      }
    } else {
      reasons.add("local cluster turned off by -D" + LOCAL_PROPERTY + "=false");
    }
    return new Resolution(null, String.join("; ", reasons));
  }

  static ClusterConnection connect(String source, Path kubeconfig, Optional<Path> logs) {
    try {
      ApiClient client = Config.fromConfig(kubeconfig.toString());
      // Log reads and watches of a Spark run outlast the client's default 10 s read timeout.
      client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(Duration.ofMinutes(5)).build());
      return new ClusterConnection(source, kubeconfig, client, logs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
    }
  }

  private static Optional<ClusterConnection> startLocalCluster(List<String> reasons) {
    Optional<Path> upScript = findUpward(Paths.get("").toAbsolutePath(), "scripts/local-k8s/up.sh");
    if (upScript.isEmpty()) {
      reasons.add("scripts/local-k8s/up.sh not found above " + Paths.get("").toAbsolutePath());
      return Optional.empty();
    }
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      reasons.add("the local cluster (scripts/local-k8s/up.sh) needs Linux");
      return Optional.empty();
    }
    if (!isRoot()) {
      reasons.add("the local cluster (scripts/local-k8s/up.sh) runs containerd and the kubelet, so it needs root;"
          + " run scripts/test.sh as root");
      return Optional.empty();
    }
    Path logFile = Paths.get("target", "local-k8s-up.log").toAbsolutePath();
    try {
      Files.createDirectories(logFile.getParent());
      Process up = new ProcessBuilder("bash", upScript.get().toString())
          .redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .start();
      String stdout;
      try (InputStream in = up.getInputStream()) {
        stdout = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      if (!up.waitFor(LOCAL_UP_TIMEOUT.toMinutes(), TimeUnit.MINUTES) || up.exitValue() != 0) {
        up.destroyForcibly();
        reasons.add(upScript.get() + " failed (exit " + (up.isAlive() ? "timeout" : up.exitValue()) + "), see "
            + logFile);
        return Optional.empty();
      }
      String[] lines = stdout.split("\n");
      Path kubeconfig = Paths.get(lines[lines.length - 1].strip());
      Path logs = kubeconfig.resolveSibling("logs");
      return Optional.of(connect("local cluster of scripts/local-k8s/up.sh", kubeconfig, Optional.of(logs)));
    } catch (IOException e) {
      reasons.add("cannot run " + upScript.get() + ": " + e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reasons.add("interrupted while waiting for " + upScript.get());
      return Optional.empty();
    }
  }

  private static boolean isRoot() {
    try {
      Process id = new ProcessBuilder("id", "-u").start();
      String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return id.waitFor() == 0 && uid.equals("0");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static Optional<Path> findUpward(Path start, String relative) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** {@code it-<method>-<random>}, a valid DNS label of at most 63 characters. */
  static String namespaceName(String testMethod) {
    String base = testMethod.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
    String suffix = Integer.toString(RANDOM.nextInt(36 * 36 * 36 * 36 * 36), 36);
    int room = 63 - "it-".length() - 1 - suffix.length();
    if (base.length() > room) {
      base = base.substring(0, room).replaceAll("-$", "");
    }
    return "it-" + base + "-" + suffix;
  }

  private static String describe(V1ContainerState state) {
    if (state == null) {
      return "?";
    }
    if (state.getWaiting() != null) {
      return "waiting(" + state.getWaiting().getReason() + ": " + state.getWaiting().getMessage() + ")";
    }
    if (state.getTerminated() != null) {
      return "terminated(exit " + state.getTerminated().getExitCode() + ", " + state.getTerminated().getReason() + ")";
    }
    return "running";
  }

  private static String failureReport(CoreV1Api core, ClusterConnection cluster, TestNamespace namespace,
      String test) {
    StringBuilder report = new StringBuilder()
        .append("[sparkk8s-it] ").append(test).append(" failed; namespace ").append(namespace)
        .append(" is kept for inspection\n[sparkk8s-it] cluster: ").append(cluster).append('\n');
    cluster.logs().ifPresent(logs -> report.append("[sparkk8s-it] cluster component logs: ").append(logs).append('\n'));
    try {
      for (V1Pod pod : core.listNamespacedPod(namespace.name()).execute().getItems()) {
        report.append("[sparkk8s-it]   pod ").append(pod.getMetadata().getName()).append(' ')
            .append(pod.getStatus() == null ? "?" : pod.getStatus().getPhase());
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
          pod.getStatus().getContainerStatuses().forEach(s -> report.append(' ').append(s.getName()).append('=')
              .append(describe(s.getState())));
        }
        report.append('\n');
      }
      List<CoreV1Event> events = core.listNamespacedEvent(namespace.name()).execute().getItems();
      events.stream().skip(Math.max(0, events.size() - 30)).forEach(e -> report.append("[sparkk8s-it]   event ")
          .append(e.getInvolvedObject().getName()).append(' ').append(e.getReason()).append(": ")
          .append(e.getMessage()).append('\n'));
    } catch (ApiException e) {
      report.append("[sparkk8s-it]   (cannot list pods/events: HTTP ").append(e.getCode()).append(")\n");
    }
    return report.toString();
  }
}
