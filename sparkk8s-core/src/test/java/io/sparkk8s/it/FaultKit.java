package io.sparkk8s.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.Toleration;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the fault E2E tests share: jobs whose driver lands on a KWOK node (no container runs; the
 * test writes the driver's status as a kubelet would, so each job's path is known), kubeconfigs
 * that go through a {@link FaultProxy}, and a recorder of every transition each handle reports.
 */
final class FaultKit {
  /** KWOK leaves the status of pods with this annotation to the test (see up.sh). */
  static final String CUSTOM_STATUS = "kwok.x-k8s.io/status";
  static final String DRIVER_CONTAINER = "spark-kubernetes-driver";

  private FaultKit() {}

  static void requireKwok(CoreV1Api core) throws ApiException {
    assumeTrue(!core.listNode().labelSelector(KwokScaleE2E.KWOK_NODES).execute().getItems()
        .isEmpty(), "no KWOK nodes (start the local cluster with SPARKK8S_KWOK_NODES=2)");
    // A disruptive test before this one (an API server outage) leaves the node controller marking
    // nodes Unknown and Ready again for a while after it ends; a new client cannot tell that from
    // a lost node, so tests start once every KWOK node is Ready and untainted.
    org.awaitility.Awaitility.await("every KWOK node Ready, not tainted unreachable")
        .atMost(java.time.Duration.ofMinutes(2)).pollInterval(java.time.Duration.ofMillis(500))
        .until(() -> core.listNode().labelSelector(KwokScaleE2E.KWOK_NODES).execute().getItems()
            .stream().allMatch(n -> n.getStatus() != null && n.getStatus().getConditions() != null
                && n.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
                    && "True".equals(c.getStatus()))
                && (n.getSpec().getTaints() == null || n.getSpec().getTaints().stream()
                    .noneMatch(t -> t.getKey().startsWith("node.kubernetes.io/")))));
  }

  /**
   * Another namespace for the same test: the test's own name, shortened to fit a DNS label with
   * its random part and {@code suffix} kept (the test creates and deletes it).
   */
  static TestNamespace derivedNamespace(TestNamespace base, String suffix) {
    String name = base.name();
    int dash = name.lastIndexOf('-');
    String random = name.substring(dash + 1);
    String head = name.substring(0, dash);
    int room = 63 - random.length() - suffix.length() - 2;
    if (head.length() > room) {
      head = head.substring(0, room).replaceAll("-+$", "");
    }
    return new TestNamespace(head + "-" + random + "-" + suffix);
  }

  /** A job whose driver goes to a KWOK node and whose status only the test writes. */
  static SparkJob kwokJob(TestNamespace ns, String name) {
    return SparkJob.builder().name(name).namespace(ns.name()).serviceAccount("spark")
        .application(Application.jvm("io.sparkk8s.e2e.ExitWith",
            SparkJobLifecycleE2E.TEST_JAR))
        .driver(Driver.builder().memory("512m").coreRequest("100m").build())
        .putNodeSelector("type", "kwok")
        .addToleration(Toleration.exists("kwok.x-k8s.io/node"))
        .putAnnotation(CUSTOM_STATUS, "custom")
        .build();
  }

  /**
   * Submits {@code count} KWOK jobs ({@code prefix-0}, ...), each followed by {@code seen}, writes
   * their drivers Running, and returns once every handle says RUNNING (within {@code within}).
   */
  static List<SparkJobHandle> runningKwokJobs(SparkKubernetes spark, CoreV1Api core,
      TestNamespace ns, String prefix, int count, Transitions seen, Duration within)
      throws ApiException {
    List<SparkJobHandle> handles = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SparkJobHandle h = spark.submit(kwokJob(ns, prefix + "-" + i));
      seen.watch(h);
      handles.add(h);
    }
    for (SparkJobHandle h : handles) {
      setDriver(core, ns.name(), h.name(), null);
    }
    await("every job running").atMost(within)
        .until(() -> handles.stream().allMatch(h -> h.state().phase() == JobPhase.RUNNING));
    return handles;
  }

  /** Writes the driver's status as a kubelet would: running, or ended with {@code exitCode}. */
  static void setDriver(CoreV1Api core, String ns, String pod, Integer exitCode)
      throws ApiException {
    V1Pod p = core.readNamespacedPod(pod, ns).execute();
    OffsetDateTime now = OffsetDateTime.now();
    V1ContainerState state = exitCode == null
        ? new V1ContainerState().running(new V1ContainerStateRunning().startedAt(now))
        : new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(exitCode)
            .reason(exitCode == 0 ? "Completed" : "Error").startedAt(now).finishedAt(now));
    V1PodStatus status = (p.getStatus() == null ? new V1PodStatus() : p.getStatus())
        .phase(exitCode == null ? "Running" : exitCode == 0 ? "Succeeded" : "Failed")
        .containerStatuses(List.of(new V1ContainerStatus().name(DRIVER_CONTAINER)
            .image(p.getSpec().getContainers().get(0).getImage()).imageID("")
            .ready(exitCode == null).restartCount(0).state(state)));
    p.setStatus(status);
    // Written unconditionally, as the pod's kubelet would own its status: with the resource
    // version just read, the scheduler's or KWOK's own status write in between made this a 409
    // Conflict ("the object has been modified"; BoundedClientE2E failed so in a clean-clone run).
    p.getMetadata().setResourceVersion(null);
    core.replaceNamespacedPodStatus(pod, ns, p).execute();
  }

  /**
   * Deletes the namespace's pods at once: a pod bound to a KWOK node whose status the test owns
   * would otherwise wait for a kubelet that never confirms, and keep the namespace terminating.
   */
  static void forceDeletePods(CoreV1Api core, String ns) {
    try {
      core.deleteCollectionNamespacedPod(ns).gracePeriodSeconds(0).execute();
    } catch (ApiException e) {
      System.err.println("[faults] could not delete the pods of " + ns + ": HTTP " + e.getCode());
    }
  }

  /** A copy of the cluster's kubeconfig whose server is the proxy's port on 127.0.0.1. */
  static Path kubeconfigVia(ClusterConnection cluster, FaultProxy proxy, Path dir)
      throws IOException {
    URI server = URI.create(cluster.apiServer());
    String text = Files.readString(cluster.kubeconfig(), StandardCharsets.UTF_8);
    String original = "server: " + server.getScheme() + "://" + server.getHost() + ":"
        + server.getPort();
    if (!text.contains(original)) {
      throw new IllegalStateException("kubeconfig " + cluster.kubeconfig() + " has no '"
          + original + "'");
    }
    Path out = dir.resolve("via-proxy.kubeconfig");
    Files.writeString(out, text.replace(original, "server: https://127.0.0.1:" + proxy.port()));
    return out;
  }

  static FaultProxy proxyTo(ClusterConnection cluster) throws IOException {
    URI server = URI.create(cluster.apiServer());
    if (!server.getHost().equals("127.0.0.1") && !server.getHost().equals("localhost")) {
      // The proxy listens on 127.0.0.1, which the server's certificate must name.
      assumeTrue(false, "fault proxy needs an API server on loopback, not " + server);
    }
    return new FaultProxy(server.getHost(), server.getPort());
  }

  /** Threads that are not the proxy's (the SDK's, OkHttp's, the JVM's). */
  static List<String> nonProxyThreads() {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && !t.getName().startsWith(FaultProxy.THREAD_PREFIX)) {
        names.add(t.getName());
      }
    }
    return names;
  }

  /** Every transition each handle reported, in order. */
  static final class Transitions {
    private final Map<String, List<JobState>> seen = new ConcurrentHashMap<>();

    void watch(SparkJobHandle h) {
      seen.putIfAbsent(h.name(), java.util.Collections.synchronizedList(new ArrayList<>()));
      h.addListener((job, from, to) -> seen.get(job.name()).add(to));
    }

    List<JobState> of(String name) {
      synchronized (seen.get(name)) {
        return List.copyOf(seen.get(name));
      }
    }

    long into(String name, JobPhase phase) {
      return of(name).stream().filter(s -> s.phase() == phase).count();
    }

    long intoFinal(String name) {
      return of(name).stream().filter(s -> s.phase().isFinal()).count();
    }

    /** The phases a handle went through, each run of equal phases once. */
    List<JobPhase> phases(String name) {
      List<JobPhase> out = new ArrayList<>();
      for (JobState s : of(name)) {
        if (out.isEmpty() || out.get(out.size() - 1) != s.phase()) {
          out.add(s.phase());
        }
      }
      return out;
    }

    /** Transitions into RUNNING (not counting later executor-count changes while running). */
    long startsRunning(String name) {
      List<JobState> states = of(name);
      long n = 0;
      JobPhase before = null;
      for (JobState s : states) {
        if (s.phase() == JobPhase.RUNNING && before != JobPhase.RUNNING) {
          n++;
        }
        before = s.phase();
      }
      return n;
    }
  }
}
