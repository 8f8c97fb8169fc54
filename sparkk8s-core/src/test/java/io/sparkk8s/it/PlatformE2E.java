package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1HostPathVolumeSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1PersistentVolume;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeSpec;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.kubernetes.client.util.PatchUtils;
import io.sparkk8s.DeployResult;
import io.sparkk8s.PlatformStatus;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.DynamicAllocation;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.HistoryServer;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.NfsStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A team platform on the real cluster, in a namespace that enforces the {@code restricted} Pod
 * Security level: Jupyter (the local image, JupyterLab + PySpark 4.1.1) whose in-pod driver runs
 * executors on the cluster, and Spark's History Server reading the event logs the notebook's
 * sessions write to a shared claim. Then a teardown that keeps the notebooks and a redeploy that
 * finds them again. The cluster has no dynamic provisioner, so the test provides the volumes (a
 * directory of the node each) that a StorageClass would.
 */
@RealCluster
class PlatformE2E {
  static final String JUPYTER_IMAGE = "sparkk8s.local/jupyter:4.1.1";

  @Test
  void aNotebookRunsSparkOnTheClusterTheHistoryServerSeesItAndNotebooksSurviveATeardown(
      ClusterConnection cluster, TestNamespace ns) throws Exception {
    Assumptions.assumeTrue(cluster.logs().isPresent(),
        "backs the claims with directories of the node: needs the local cluster of scripts/local-k8s");
    ApiClient client = cluster.client();
    CoreV1Api core = new CoreV1Api(client);
    enforceRestricted(client, ns.name());
    Path root = Paths.get("/var/lib/sparkk8s-e2e", ns.name());
    String logsPv = "e2e-logs-" + ns.name();
    String notebooksPv = "e2e-notebooks-" + ns.name();
    EventLog logs = EventLog.to(NfsStorage.claim("shared-logs").withName("logs"));
    SparkPlatform platform = SparkPlatform.builder().name("team").namespace(ns.name())
        .addNotebook(NotebookEnvironment.jupyter("lab").withImage(JUPYTER_IMAGE)
            .withRunAsUser(185).withRunAsGroup(185).withResources("100m", "1536Mi")
            .withNotebookVolumeSize("1Gi")
            .withExecutor(Executor.builder().memory("512m").coreRequest("100m").build())
            .withDynamicAllocation(DynamicAllocation.builder().minExecutors(0).maxExecutors(2)
                .executorIdleTimeout("5s").build())
            .withEventLog(logs))
        .historyServer(HistoryServer.builder().eventLog(logs).cpuRequest("100m").memory("512m")
            .putSparkConf("spark.history.fs.update.interval", "2s").build())
        .build();
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty())) {
      volume(core, root.resolve("logs"), logsPv, ns.name(), "shared-logs", "ReadWriteMany");
      core.createNamespacedPersistentVolumeClaim(ns.name(), new V1PersistentVolumeClaim()
          .metadata(new V1ObjectMeta().name("shared-logs"))
          .spec(new V1PersistentVolumeClaimSpec().accessModes(List.of("ReadWriteMany"))
              .storageClassName("").volumeName(logsPv).resources(new V1VolumeResourceRequirements()
                  .requests(Map.of("storage", Quantity.fromString("1Gi")))))).execute();
      // What a StorageClass would provision for the claim the SDK makes for the notebooks.
      volume(core, root.resolve("notebooks"), notebooksPv, ns.name(), "team-lab-notebooks",
          "ReadWriteOnce");

      long t0 = System.nanoTime();
      DeployResult first = spark.deploy(platform);
      PlatformStatus ready = spark.awaitReady(platform, Duration.ofMinutes(4));
      System.out.printf("[E2E] deployed %d objects, ready in %d s: %s%n", first.created().size(),
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), ready);
      assertThat(first.created()).contains("Deployment/team-lab", "Deployment/team-history",
          "Service/team-lab", "Service/team-lab-driver", "Role/team-lab-spark",
          "PersistentVolumeClaim/team-lab-notebooks", "Secret/team-lab-token");
      assertThat(ready.component("lab").orElseThrow().url()).isEqualTo(
          "http://team-lab." + ns.name() + ".svc:8888");

      DeployResult again = spark.deploy(platform);
      assertThat(again.noChange()).as("a second deploy of the same description: %s", again).isTrue();

      // Authentication: the token is required, and it appears in no ConfigMap and no pod spec.
      String token = spark.notebookToken(platform, "lab");
      assertThat(token).hasSizeGreaterThanOrEqualTo(32);
      assertThat(ServiceProxy.get(client, ns.name(), "team-lab:8888", "/api/status", Map.of()).code())
          .as("Jupyter without a token").isIn(401, 403);
      assertThat(ServiceProxy.get(client, ns.name(), "team-lab:8888", "/api/status", Map.of("token", token))
          .code()).as("Jupyter with the token").isEqualTo(200);
      for (V1ConfigMap cm : core.listNamespacedConfigMap(ns.name()).execute().getItems()) {
        assertThat(String.valueOf(cm.getData())).doesNotContain(token);
      }
      V1Pod notebookPod = pod(core, ns.name(), "lab");
      for (V1EnvVar e : notebookPod.getSpec().getContainers().get(0).getEnv()) {
        assertThat(String.valueOf(e.getValue())).doesNotContain(token);
      }
      assertThat(String.join(" ", notebookPod.getSpec().getContainers().get(0).getCommand()))
          .doesNotContain(token);
      // Spark's own authentication: a key the deployer drew, read from a mounted file only.
      String authKey = new String(core.readNamespacedSecret("team-lab-spark-auth", ns.name())
          .execute().getData().get("secret"), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(authKey).matches("[0-9a-f]{64}");
      for (V1ConfigMap cm : core.listNamespacedConfigMap(ns.name()).execute().getItems()) {
        assertThat(String.valueOf(cm.getData())).doesNotContain(authKey);
      }

      // A cell run through Jupyter's REST and kernel websocket API: the in-pod driver asks the
      // cluster for executors (dynamic allocation scales them up under load), runs the job, and
      // releases them once idle while the session lives on.
      JupyterClient jupyter = new JupyterClient(client, ns.name(), "team-lab:8888", token);
      String kernel = jupyter.startKernel();
      java.util.concurrent.atomic.AtomicInteger maxExecutors = new java.util.concurrent.atomic.AtomicInteger();
      var sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      java.util.Set<String> executorEnv = java.util.concurrent.ConcurrentHashMap.newKeySet();
      sampler.scheduleAtFixedRate(() -> {
        try {
          for (V1Pod e : core.listNamespacedPod(ns.name()).labelSelector("spark-role=executor")
              .execute().getItems()) {
            var env = e.getSpec().getContainers().get(0).getEnv();
            if (env != null) {
              env.forEach(v -> executorEnv.add(v.getName() + "=" + v.getValue()));
            }
          }
          maxExecutors.accumulateAndGet(executorPods(core, ns.name()), Math::max);
        } catch (ApiException e) {
          // next sample
        }
      }, 0, 500, TimeUnit.MILLISECONDS);
      JupyterClient.Execution cell;
      try {
        cell = jupyter.execute(kernel, String.join("\n",
            "import time",
            "from pyspark.sql import SparkSession",
            "s = SparkSession.builder.appName('notebook-e2e').getOrCreate()",
            "sc = s.sparkContext",
            "print('APP', sc.applicationId)",
            "print('AUTH', sc.getConf().get('spark.authenticate'))",
            "print('RESULT', sc.parallelize(range(1000), 8).map(lambda x: (time.sleep(0.02), x)[1]).sum())"),
            Duration.ofMinutes(5));
      } catch (Exception e) {
        // The notebook server's own log says why a request was refused.
        String log = core.readNamespacedPodLog(notebookPod.getMetadata().getName(), ns.name())
            .tailLines(40).execute();
        throw new AssertionError("the cell failed; notebook server log:\n" + log, e);
      } finally {
        sampler.shutdownNow();
      }
      assertThat(cell.error()).as("cell error; output: %s", cell.output()).isEmpty();
      assertThat(cell.output()).contains("RESULT 499500").contains("AUTH true");
      // The executors proved the key (they registered and ran the job) without holding it.
      assertThat(executorEnv).as("executor variables").isNotEmpty()
          .noneMatch(v -> v.startsWith("_SPARK_AUTH_SECRET") || v.contains(authKey));
      Matcher app = Pattern.compile("APP (\\S+)").matcher(cell.output());
      assertThat(app.find()).isTrue();
      String appId = app.group(1);
      assertThat(maxExecutors.get()).as("executor pods at the peak of the cell").isEqualTo(2);

      // The platform's NetworkPolicies, enforced by the local cluster's kube-router: while the
      // session's driver listens in the notebook pod, another pod of the namespace reaches the
      // notebook's page (its token guards it) but neither the driver's RPC port, which only the
      // notebook's executors may use (they just did), nor the History Server's UI.
      String historyIp = pod(core, ns.name(), "history").getStatus().getPodIP();
      Map<String, String> toNotebook = NetworkPolicyE2E.probe(core, ns.name(), "stranger",
          Map.of("role", "other"), notebookPod.getStatus().getPodIP(), 10, 0, 8888, 7078);
      Map<String, String> toHistory = NetworkPolicyE2E.probe(core, ns.name(), "stranger-history",
          Map.of("role", "other"), historyIp, 10, 0, 18080);
      System.out.printf("[E2E] from another pod: notebook %s, History Server %s%n", toNotebook,
          toHistory);
      assertThat(toNotebook).containsEntry("8888", "open").containsEntry("7078", "refused");
      assertThat(toHistory).containsEntry("18080", "refused");
      long idleFrom = System.nanoTime();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
          .until(() -> executorPods(core, ns.name()) == 0);
      System.out.printf("[E2E] notebook session %s: RESULT 499500 on up to %d executors, released"
              + " %d s after the cell while the session lives%n", appId, maxExecutors.get(),
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - idleFrom));
      assertThat(jupyter.execute(kernel, "s.stop()", Duration.ofMinutes(1)).error()).isEmpty();

      // Spark's History Server lists it, with an executor that ran on the cluster.
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
          assertThat(ServiceProxy.get(client, ns.name(), "team-history:18080", "/api/v1/applications",
              Map.of()).body()).contains(appId));
      String executors = ServiceProxy.get(client, ns.name(), "team-history:18080",
          "/api/v1/applications/" + appId + "/allexecutors", Map.of()).body();
      assertThat(executors).as("executors of %s", appId).contains("\"id\" : \"1\"");
      System.out.printf("[E2E] History Server lists %s with its executors%n", appId);

      // Teardown keeps the notebooks; a redeploy mounts them again.
      jupyter.putTextFile("kept.txt", "kept-across-teardown");
      spark.teardown(platform);
      AppsV1Api apps = new AppsV1Api(client);
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
        assertThat(apps.listNamespacedDeployment(ns.name()).execute().getItems()).isEmpty();
        assertThat(core.listNamespacedPod(ns.name()).labelSelector("app.kubernetes.io/instance=team")
            .execute().getItems()).isEmpty();
      });
      assertThat(core.readNamespacedPersistentVolumeClaim("team-lab-notebooks", ns.name()).execute()
          .getStatus().getPhase()).as("the notebooks' claim after teardown").isEqualTo("Bound");
      assertThat(core.listNamespacedSecret(ns.name()).labelSelector("app.kubernetes.io/instance=team")
          .execute().getItems()).isEmpty();

      spark.deploy(platform);
      spark.awaitReady(platform, Duration.ofMinutes(3));
      JupyterClient afterRedeploy = new JupyterClient(client, ns.name(), "team-lab:8888",
          spark.notebookToken(platform, "lab"));
      assertThat(afterRedeploy.getTextFile("kept.txt")).isEqualTo("kept-across-teardown");
      System.out.println("[E2E] redeploy after teardown found the notebooks' volume as it was");
    } finally {
      try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty())) {
        spark.teardownAndDeleteClaims(platform);
      }
      for (String pv : List.of(logsPv, notebooksPv)) {
        try {
          core.deletePersistentVolume(pv).execute();
        } catch (ApiException ignored) {
          // not created
        }
      }
      deleteTree(root);
    }
  }

  static void volume(CoreV1Api core, Path dir, String pv, String ns, String claim,
      String accessMode) throws IOException, ApiException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    core.createPersistentVolume(new V1PersistentVolume().metadata(new V1ObjectMeta().name(pv))
        .spec(new V1PersistentVolumeSpec().capacity(Map.of("storage", Quantity.fromString("1Gi")))
            .accessModes(List.of(accessMode)).persistentVolumeReclaimPolicy("Retain")
            .hostPath(new V1HostPathVolumeSource().path(dir.toString()).type("Directory"))
            .claimRef(new V1ObjectReference().namespace(ns).name(claim)))).execute();
  }

  private static void enforceRestricted(ApiClient client, String ns) throws ApiException {
    String patch = "{\"metadata\":{\"labels\":{\"pod-security.kubernetes.io/enforce\":\"restricted\","
        + "\"pod-security.kubernetes.io/enforce-version\":\"latest\"}}}";
    CoreV1Api core = new CoreV1Api(client);
    PatchUtils.patch(io.kubernetes.client.openapi.models.V1Namespace.class,
        () -> core.patchNamespace(ns, new V1Patch(patch)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
  }

  private static int executorPods(CoreV1Api core, String ns) throws ApiException {
    return (int) core.listNamespacedPod(ns).labelSelector("spark-role=executor").execute().getItems()
        .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).count();
  }

  private static V1Pod pod(CoreV1Api core, String ns, String component) throws ApiException {
    List<V1Pod> pods = core.listNamespacedPod(ns)
        .labelSelector("app.kubernetes.io/instance=team,sparkk8s.io/platform-component=" + component)
        .execute().getItems();
    return pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .findFirst().orElseThrow();
  }

  static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      try (var walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
