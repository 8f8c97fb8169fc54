package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.internal.compile.ApplyManifest;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code CompiledJob.toYaml()} as a user without the client would use it: a real {@code kubectl}
 * (the one built from the same Kubernetes module as the local cluster) applies the file, the
 * commands in its header make the driver the owner of the rest, and deleting the driver leaves
 * nothing of the job behind: the garbage collector removes the Service and the ConfigMaps.
 *
 * <p>The driver is held Pending by a node selector no node matches: what is proven is the objects
 * and their ownership, not a Spark run (SparkPiSubmitE2E runs one).
 */
@RealCluster
class KubectlApplyE2E {

  @Test
  void appliedYamlIsAcceptedAndDeletingTheDriverDeletesTheRest(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    Path kubectl = kubectl();
    CoreV1Api core = new CoreV1Api(cluster.client());
    core.createNamespacedServiceAccount(ns.name(), new V1ServiceAccount()
        .metadata(new V1ObjectMeta().name("spark"))).execute();
    SparkJob job = SparkJob.builder().name("applied-pi").namespace(ns.name()).serviceAccount("spark")
        .application(Application.jvm("org.apache.spark.examples.SparkPi",
            "local:///opt/spark/examples/jars/spark-examples.jar"))
        .putNodeSelector("sparkk8s.io/kubectl-apply-e2e", "nowhere")
        // The key of Spark's authentication is drawn by the file's commands, never written in it.
        .sparkAuthentication(true).build();
    CompiledJob compiled = SparkCompiler.compile(job);
    String yaml = compiled.toYaml();
    Path file = Files.createTempFile("sparkk8s-apply-", ".yaml");
    try {
      Files.writeString(file, yaml);
      String applied = run(cluster, kubectl, List.of(kubectl.toString(), "apply", "-f", file.toString()));
      // kubectl reports each object as it creates it, in the file's order: the driver last.
      List<String> reported = applied.lines().map(l -> l.split(" ")[0]).toList();
      // Every object but the key's Secret, which a command of the header creates.
      assertThat(reported).hasSize(compiled.objects().size() - 1).noneMatch(r -> r.startsWith("secret/"));
      assertThat(yaml).doesNotContain("kind: Secret");
      assertThat(reported.get(reported.size() - 1)).isEqualTo("pod/" + compiled.driverPodName());
      System.out.println("[E2E] kubectl apply:\n" + applied);

      String script = ApplyManifest.ownershipScript(yaml);
      System.out.println("[E2E] ownership commands:\n" + script
          + run(cluster, kubectl, List.of("bash", "-euo", "pipefail", "-c", script)));
    } finally {
      Files.deleteIfExists(file);
    }

    String uid = core.readNamespacedPod(compiled.driverPodName(), ns.name()).execute()
        .getMetadata().getUid();
    List<KubernetesObject> dependents = new ArrayList<>(compiled.ownedResources());
    assertThat(dependents).extracting(KubernetesObject::getKind)
        .contains("Service", "ConfigMap", "Secret");
    String authSecret = dependents.stream().filter(o -> o.getKind().equals("Secret")).findFirst()
        .orElseThrow().getMetadata().getName();
    assertThat(new String(core.readNamespacedSecret(authSecret, ns.name()).execute().getData()
        .get("secret"), java.nio.charset.StandardCharsets.UTF_8)).matches("[0-9a-f]{64}");
    for (KubernetesObject o : dependents) {
      assertThat(owners(core, ns.name(), o)).as("owners of %s %s", o.getKind(),
              o.getMetadata().getName())
          .singleElement().satisfies(ref -> {
            assertThat(ref.getUid()).isEqualTo(uid);
            assertThat(ref.getKind()).isEqualTo("Pod");
            assertThat(ref.getController()).isTrue();
          });
    }

    run(cluster, kubectl, List.of(kubectl.toString(), "-n", ns.name(), "delete", "pod",
        compiled.driverPodName(), "--wait=true"));
    long deleted = System.nanoTime();
    await("the garbage collector removes what the driver owned").atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> dependents.stream().allMatch(o -> owners(core, ns.name(), o) == null));
    System.out.printf("[E2E] deleting the driver removed %d objects in %d ms%n", dependents.size(),
        (System.nanoTime() - deleted) / 1_000_000);
    assertThat(core.listNamespacedService(ns.name()).execute().getItems()).isEmpty();
    assertThat(core.listNamespacedConfigMap(ns.name()).execute().getItems())
        .extracting(cm -> cm.getMetadata().getName())
        .allMatch(name -> name.equals("kube-root-ca.crt"), "only the namespace's own CA ConfigMap");
  }

  /** The object's owner references as the API server has them; null once the object is gone. */
  private static List<V1OwnerReference> owners(CoreV1Api core, String namespace,
      KubernetesObject o) {
    try {
      V1ObjectMeta meta = switch (o.getKind()) {
        case "Service" -> core.readNamespacedService(o.getMetadata().getName(), namespace).execute()
            .getMetadata();
        case "ConfigMap" -> core.readNamespacedConfigMap(o.getMetadata().getName(), namespace)
            .execute().getMetadata();
        case "Secret" -> core.readNamespacedSecret(o.getMetadata().getName(), namespace)
            .execute().getMetadata();
        default -> throw new AssertionError("the test reads no " + o.getKind());
      };
      return meta.getOwnerReferences() == null ? List.of() : meta.getOwnerReferences();
    } catch (io.kubernetes.client.openapi.ApiException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw new AssertionError("reading " + o.getKind() + " " + o.getMetadata().getName()
          + ": HTTP " + e.getCode() + " " + e.getResponseBody(), e);
    }
  }

  /** Runs a command against the test cluster (its kubeconfig, kubectl first on the PATH). */
  private static String run(ClusterConnection cluster, Path kubectl, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("KUBECONFIG", cluster.kubeconfig().toAbsolutePath().toString());
    env.put("PATH", kubectl.getParent() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }

  /**
   * The kubectl to use: SPARKK8S_IT_KUBECTL, else the one the local cluster's build made (same
   * Kubernetes version as its API server), else one on the PATH. None is a failure, not a skip.
   */
  static Path kubectl() throws IOException, InterruptedException {
    String given = System.getenv("SPARKK8S_IT_KUBECTL");
    if (given != null && !given.isBlank()) {
      return Paths.get(given);
    }
    Optional<Path> lib = RealClusterExtension.findUpward(Paths.get("").toAbsolutePath(),
        "scripts/local-k8s/lib.sh");
    if (lib.isPresent()) {
      Process p = new ProcessBuilder("bash", "-c", ". \"$0\" && printf %s \"$BIN_DIR/kubectl\"",
          lib.get().toString()).redirectErrorStream(true).start();
      String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.isExecutable(Paths.get(path))) {
        return Paths.get(path);
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Paths.get(dir.isEmpty() ? "." : dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("no kubectl: set SPARKK8S_IT_KUBECTL, or build the local cluster"
        + " (scripts/local-k8s/up.sh builds kubectl beside the API server)");
  }
}
