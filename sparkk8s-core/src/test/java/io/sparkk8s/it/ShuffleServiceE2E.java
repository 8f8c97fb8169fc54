package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.CreateOptions;
import io.kubernetes.client.util.generic.options.PatchOptions;
import io.sparkk8s.DeployResult;
import io.sparkk8s.PlatformStatus;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.internal.compile.Manifests;
import io.sparkk8s.internal.compile.PlatformCompiler;
import io.sparkk8s.spec.CelebornShuffle;
import io.sparkk8s.spec.HostPathShuffleService;
import io.sparkk8s.spec.SparkPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The shuffle services on the real cluster. Spark's external shuffle service from the official
 * {@code apache/spark:4.1.1} image as a hostPath DaemonSet: running and accepting connections in a
 * {@code privileged} namespace, refused with the reason in a {@code restricted} one. Apache
 * Celeborn cannot run here (no registry is reachable and no Celeborn server artifacts are
 * mirrored), so its objects are proven with the API server's server-side dry run, Pod Security
 * admission included, and its StatefulSets go through a real deploy, status and teardown with pods
 * that never start.
 */
@RealCluster
class ShuffleServiceE2E {
  static final String SPARK_IMAGE = "apache/spark:4.1.1";

  @Test
  void theHostPathDaemonSetRunsSparksShuffleServiceInAPrivilegedNamespace(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    ApiClient client = cluster.client();
    CoreV1Api core = new CoreV1Api(client);
    enforce(client, ns.name(), "privileged");
    String dir = "/var/lib/sparkk8s-e2e/" + ns.name() + "/shuffle";
    SparkPlatform platform = SparkPlatform.builder().name("ess").namespace(ns.name())
        .shuffleService(HostPathShuffleService.builder().hostDirectory(dir).allowHostPath(true)
            .memory("256m").cpuRequest("50m").build())
        .build();
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty())) {
      DeployResult first = spark.deploy(platform);
      assertThat(first.created()).containsExactly("DaemonSet/ess-shuffle-service");
      PlatformStatus ready = spark.awaitReady(platform, Duration.ofMinutes(3));
      System.out.println("[E2E] " + ready);
      assertThat(ready.component("shuffle-service").orElseThrow().ready()).isTrue();
      assertThat(spark.deploy(platform).noChange()).isTrue();

      V1Pod service = core.listNamespacedPod(ns.name())
          .labelSelector("sparkk8s.io/platform-component=shuffle-service").execute().getItems().get(0);
      String ip = service.getStatus().getPodIP();
      String log = core.readNamespacedPodLog(service.getMetadata().getName(), ns.name())
          .container("shuffle-service").execute();
      assertThat(log).contains("shuffle service on port 7337");

      // A TCP connection from another pod to the service pod's IP, and a port nothing listens on
      // as the control that this probe can fail.
      assertThat(probe(client, ns.name(), "probe-7337", ip, 7337)).isEqualTo("Succeeded");
      assertThat(probe(client, ns.name(), "probe-7338", ip, 7338)).isEqualTo("Failed");

      Path local = Paths.get(dir);
      if (Files.isDirectory(local)) {
        // The node is this machine: the init container handed the directory to the Spark uid.
        assertThat(Files.getAttribute(local, "unix:uid")).isEqualTo(185);
        System.out.println("[E2E] " + dir + " is owned by uid " + Files.getAttribute(local, "unix:uid"));
      }

      spark.teardown(platform);
      await().atMost(Duration.ofMinutes(1)).until(() -> new AppsV1Api(client)
          .listNamespacedDaemonSet(ns.name()).execute().getItems().isEmpty());
    } finally {
      // The host directory (empty: no executor registered) outlives the DaemonSet, as it should.
      Path local = Paths.get(dir);
      if (Files.isDirectory(local)) {
        Files.deleteIfExists(local);
        Files.deleteIfExists(local.getParent());
      }
    }
  }

  @Test
  void theHostPathDaemonSetIsRefusedWithTheReasonInARestrictedNamespace(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    ApiClient client = cluster.client();
    enforce(client, ns.name(), "restricted");
    SparkPlatform platform = SparkPlatform.builder().name("ess").namespace(ns.name())
        .shuffleService(HostPathShuffleService.builder().hostDirectory("/var/lib/sparkk8s-e2e/"
            + ns.name() + "/shuffle").allowHostPath(true).build())
        .build();
    AppsV1Api apps = new AppsV1Api(client);
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty())) {
      assertThatThrownBy(() -> spark.deploy(platform))
          .satisfies(e -> System.out.println("[E2E] deploy refused: " + e.getMessage()))
          .isInstanceOf(KubernetesApiException.class)
          .hasMessageContaining("DaemonSet ess-shuffle-service would be refused")
          .hasMessageContaining("pod-security.kubernetes.io/enforce=privileged")
          .hasMessageContaining("hostPath");
      assertThat(apps.listNamespacedDaemonSet(ns.name()).execute().getItems())
          .as("nothing is created when the preflight fails").isEmpty();

      // Why the preflight exists: the API server accepts the DaemonSet itself (Pod Security is
      // enforced on pods), and its controller then fails to create every pod. Status says why.
      V1DaemonSet ds = (V1DaemonSet) PlatformCompiler.compile(platform).applied().get(0);
      apps.createNamespacedDaemonSet(ns.name(), JSON.deserialize(Manifests.pruned(ds).toString(),
          V1DaemonSet.class)).execute();
      await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(
          spark.status(platform).component("shuffle-service").orElseThrow().detail())
          .startsWith("FailedCreate:").contains("violates PodSecurity").contains("hostPath"));
      System.out.println("[E2E] " + spark.status(platform));
    }
  }

  @Test
  void aCelebornPlatformPassesServerSideDryRunInARestrictedNamespaceAndDeploysAndTearsDown(
      ClusterConnection cluster, TestNamespace ns) throws Exception {
    ApiClient client = cluster.client();
    enforce(client, ns.name(), "restricted");
    SparkPlatform platform = SparkPlatform.builder().name("team").namespace(ns.name())
        .shuffleService(CelebornShuffle.builder().masterReplicas(3).workerReplicas(2)
            .workerDisks(2).workerDiskSize("1Gi").build())
        .build();
    List<KubernetesObject> objects = PlatformCompiler.compile(platform).applied();
    assertThat(objects).extracting(KubernetesObject::getKind)
        .containsExactlyInAnyOrder("ConfigMap", "Service", "StatefulSet", "Service", "StatefulSet");

    // 1. Every object through server-side apply with dryRun=All: schema, defaulting, validation
    //    and admission, nothing stored. And the pods the StatefulSets would create, as the
    //    StatefulSet controller would (claim volumes added), through Pod Security.
    for (KubernetesObject o : objects) {
      PatchOptions options = new PatchOptions();
      options.setFieldManager("sparkk8s");
      options.setForce(true);
      options.setDryRun("All");
      var r = api(client, o.getKind()).patch(ns.name(), o.getMetadata().getName(),
          V1Patch.PATCH_FORMAT_APPLY_YAML, new V1Patch(Manifests.pruned(o).toString()), options);
      assertThat(r.isSuccess()).as("dry run of %s/%s: %s", o.getKind(), o.getMetadata().getName(),
          r.getStatus() == null ? "" : r.getStatus().getMessage()).isTrue();
    }
    for (KubernetesObject o : objects) {
      if (o instanceof V1StatefulSet sts) {
        var r = dryRunPod(client, ns.name(), podOf(sts));
        assertThat(r.isSuccess()).as("Pod Security for the pods of %s: %s", sts.getMetadata().getName(),
            r.getStatus() == null ? "" : r.getStatus().getMessage()).isTrue();
      }
    }
    // The control: the same dry run refuses a pod the restricted level forbids.
    V1DaemonSet hostPath = (V1DaemonSet) PlatformCompiler.compile(platform
        .withShuffleService(HostPathShuffleService.builder().hostDirectory("/var/tmp/x")
            .allowHostPath(true).build())).applied().get(0);
    var refused = dryRunPod(client, ns.name(), new V1Pod().apiVersion("v1").kind("Pod")
        .metadata(new V1ObjectMeta().name("control").namespace(ns.name()))
        .spec(hostPath.getSpec().getTemplate().getSpec()));
    assertThat(refused.getHttpStatusCode()).isEqualTo(403);
    AppsV1Api apps = new AppsV1Api(client);
    assertThat(apps.listNamespacedStatefulSet(ns.name()).execute().getItems())
        .as("a dry run stores nothing").isEmpty();

    // 2. A real deploy (its own preflight passes), status and teardown. No Celeborn image exists
    //    here, so the pods never become ready: status must say so, not pretend.
    CoreV1Api core = new CoreV1Api(client);
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty())) {
      DeployResult first = spark.deploy(platform);
      assertThat(first.created()).containsExactlyInAnyOrder("ConfigMap/team-celeborn-conf",
          "Service/team-celeborn-master", "StatefulSet/team-celeborn-master",
          "Service/team-celeborn-worker", "StatefulSet/team-celeborn-worker");
      assertThat(spark.deploy(platform).noChange()).isTrue();
      await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(core
          .listNamespacedPersistentVolumeClaim(ns.name()).labelSelector("app.kubernetes.io/instance=team")
          .execute().getItems()).hasSize(3 + 2 * 2));
      PlatformStatus status = spark.status(platform);
      System.out.println("[E2E] " + status);
      assertThat(status.ready()).isFalse();
      assertThat(status.component("celeborn-master").orElseThrow().detail()).isNotEqualTo("ready");
      assertThat(status.component("celeborn-master").orElseThrow().url())
          .isEqualTo("tcp://team-celeborn-master." + ns.name() + ".svc:9097");

      // Dropping the service prunes its objects; claims stay (teardown never deletes them).
      DeployResult pruned = spark.deploy(platform.withShuffleService(
          io.sparkk8s.spec.ShuffleTracking.defaults()));
      assertThat(pruned.deleted()).contains("StatefulSet/team-celeborn-master",
          "StatefulSet/team-celeborn-worker", "Service/team-celeborn-master", "ConfigMap/team-celeborn-conf");
      assertThat(core.listNamespacedPersistentVolumeClaim(ns.name()).execute().getItems()).hasSize(7);
      spark.teardownAndDeleteClaims(platform);
      await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(core
          .listNamespacedPersistentVolumeClaim(ns.name()).execute().getItems())
          .allSatisfy(c -> assertThat(c.getMetadata().getDeletionTimestamp()).isNotNull()));
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Runs a pod that opens a TCP connection to {@code ip:port}; returns its final phase. */
  private static String probe(ApiClient client, String ns, String name, String ip, int port) {
    CoreV1Api core = new CoreV1Api(client);
    // Pruned: the typed model would send empty maps, such as an overhead the API server refuses.
    V1Pod pod = new V1Pod().apiVersion("v1").kind("Pod").metadata(new V1ObjectMeta().name(name).namespace(ns))
        .spec(new V1PodSpec().restartPolicy("Never").enableServiceLinks(false)
            .automountServiceAccountToken(false)
            .securityContext(new V1PodSecurityContext().runAsNonRoot(true).runAsUser(185L)
                .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
            .addContainersItem(new V1Container().name("probe").image(SPARK_IMAGE)
                .imagePullPolicy("IfNotPresent")
                .command(List.of("bash", "-c", "timeout 10 bash -c 'exec 3<>/dev/tcp/" + ip + "/" + port
                    + "' && echo connected"))
                .securityContext(new V1SecurityContext().allowPrivilegeEscalation(false)
                    .capabilities(new V1Capabilities().drop(List.of("ALL"))))));
    var created = api(client, "Pod").create(ns, new DynamicKubernetesObject(Manifests.pruned(pod)),
        new CreateOptions());
    assertThat(created.isSuccess()).as("probe pod %s: %s", name,
        created.getStatus() == null ? "" : created.getStatus().getMessage()).isTrue();
    String[] phase = new String[1];
    await().atMost(Duration.ofMinutes(2)).until(() -> {
      phase[0] = core.readNamespacedPod(name, ns).execute().getStatus().getPhase();
      return "Succeeded".equals(phase[0]) || "Failed".equals(phase[0]);
    });
    return phase[0];
  }

  private static V1Pod podOf(V1StatefulSet sts) {
    V1Pod pod = JSON.deserialize(JSON.serialize(new V1Pod().apiVersion("v1").kind("Pod")
        .metadata(new V1ObjectMeta().name(sts.getMetadata().getName() + "-0")
            .namespace(sts.getMetadata().getNamespace())
            .labels(sts.getSpec().getTemplate().getMetadata().getLabels()))
        .spec(sts.getSpec().getTemplate().getSpec())), V1Pod.class);
    List<V1Volume> claims = new ArrayList<>();
    sts.getSpec().getVolumeClaimTemplates().forEach(c -> claims.add(new V1Volume()
        .name(c.getMetadata().getName()).persistentVolumeClaim(new V1PersistentVolumeClaimVolumeSource()
            .claimName(c.getMetadata().getName() + "-" + pod.getMetadata().getName()))));
    claims.forEach(pod.getSpec()::addVolumesItem);
    return pod;
  }

  private static io.kubernetes.client.util.generic.KubernetesApiResponse<DynamicKubernetesObject> dryRunPod(
      ApiClient client, String ns, V1Pod pod) {
    CreateOptions options = new CreateOptions();
    options.setDryRun("All");
    return api(client, "Pod").create(ns, new DynamicKubernetesObject(Manifests.pruned(pod)), options);
  }

  private static DynamicKubernetesApi api(ApiClient client, String kind) {
    return switch (kind) {
      case "StatefulSet" -> new DynamicKubernetesApi("apps", "v1", "statefulsets", client);
      case "DaemonSet" -> new DynamicKubernetesApi("apps", "v1", "daemonsets", client);
      case "Service" -> new DynamicKubernetesApi("", "v1", "services", client);
      case "ConfigMap" -> new DynamicKubernetesApi("", "v1", "configmaps", client);
      case "Pod" -> new DynamicKubernetesApi("", "v1", "pods", client);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static void enforce(ApiClient client, String ns, String level) throws ApiException {
    String patch = "{\"metadata\":{\"labels\":{\"pod-security.kubernetes.io/enforce\":\"" + level
        + "\",\"pod-security.kubernetes.io/enforce-version\":\"latest\"}}}";
    CoreV1Api core = new CoreV1Api(client);
    PatchUtils.patch(V1Namespace.class,
        () -> core.patchNamespace(ns, new V1Patch(patch)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
  }
}
