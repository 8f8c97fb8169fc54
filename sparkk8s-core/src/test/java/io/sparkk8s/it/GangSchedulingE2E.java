package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1ResourceQuotaSpec;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.sparkk8s.ApiRetryPolicy;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.api.ApiErrors;
import io.sparkk8s.api.ApiRetry;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.spec.GangScheduling;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Volcano gang scheduling against the real API server: the PodGroup is created before the driver,
 * then owned by it, so Kubernetes' garbage collector deletes it with the job; a driver the API
 * server refuses takes its PodGroup with it; each retry attempt has its own. No Volcano scheduler runs here (the Go module proxy
 * refuses {@code volcano.sh/volcano} and {@code github.com/apache/yunikorn-k8shim}, so neither
 * scheduler can be built on this machine): the driver, addressed to scheduler {@code volcano},
 * stays unscheduled, which also shows that the default scheduler leaves it alone.
 *
 * <p>The {@code podgroups.scheduling.volcano.sh} API must be served. Volcano's installer registers
 * it; where it is absent, this test registers a minimal CustomResourceDefinition of the same
 * group, version, kind and plural (no schema beyond preserving fields: only the API server reads
 * it here) and leaves it in place for later runs.
 */
@RealCluster
class GangSchedulingE2E {
  static final String CRD = "podgroups.scheduling.volcano.sh";

  /** Called by each test (not {@code @BeforeAll}: without a cluster, tests report skipped). */
  static void podGroupsAreServed(ClusterConnection cluster) throws Exception {
    ApiextensionsV1Api ext = new ApiextensionsV1Api(cluster.client());
    try {
      ext.readCustomResourceDefinition(CRD).execute();
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      String crd = """
          {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "podgroups.scheduling.volcano.sh",
                        "labels": {"app.kubernetes.io/managed-by": "sparkk8s-e2e"}},
           "spec": {"group": "scheduling.volcano.sh", "scope": "Namespaced",
                    "names": {"kind": "PodGroup", "plural": "podgroups", "singular": "podgroup",
                              "listKind": "PodGroupList"},
                    "versions": [{"name": "v1beta1", "served": true, "storage": true,
                                  "subresources": {"status": {}},
                                  "schema": {"openAPIV3Schema": {"type": "object",
                                      "x-kubernetes-preserve-unknown-fields": true}}}]}}
          """;
      // As JSON: the typed model would send empty maps that a structural schema forbids.
      var created = new DynamicKubernetesApi("apiextensions.k8s.io", "v1",
          "customresourcedefinitions", cluster.client())
          .create(new DynamicKubernetesObject(JsonParser.parseString(crd).getAsJsonObject()));
      if (!created.isSuccess() && created.getHttpStatusCode() != 409) {
        throw new IllegalStateException("cannot register " + CRD + ": " + created.getStatus());
      }
    }
    await("PodGroup API established").atMost(Duration.ofSeconds(60)).until(() ->
        ext.readCustomResourceDefinition(CRD).execute().getStatus().getConditions() != null
            && ext.readCustomResourceDefinition(CRD).execute().getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("Established")
                    && c.getStatus().equals("True")));
  }

  static JsonObject podGroup(CustomObjectsApi custom, String ns, String name) throws ApiException {
    Object o = custom.getNamespacedCustomObject("scheduling.volcano.sh", "v1beta1", ns, "podgroups",
        name).execute();
    return JsonParser.parseString(JSON.serialize(o)).getAsJsonObject();
  }

  static boolean podGroupExists(CustomObjectsApi custom, String ns, String name) throws ApiException {
    try {
      podGroup(custom, ns, name);
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  @Test
  void thePodGroupIsOwnedByTheDriverAndGoesWithTheJob(ClusterConnection cluster, TestNamespace ns)
      throws Exception {
    podGroupsAreServed(cluster);
    CoreV1Api core = new CoreV1Api(cluster.client());
    CustomObjectsApi custom = new CustomObjectsApi(cluster.client());
    SparkJob job = SparkJobLifecycleE2E.job(ns, "gang").application(SparkJobLifecycleE2E.PI)
        .gangScheduling(GangScheduling.volcano().withQueue("default")).build();
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle h = spark.submit(job);
      String group = h.appId() + "-podgroup";
      V1Pod driver = core.readNamespacedPod(h.name(), ns.name()).execute();
      JsonObject pg = podGroup(custom, ns.name(), group);
      System.out.println("[E2E] PodGroup " + pg.getAsJsonObject("metadata").get("name")
          + " spec " + pg.get("spec") + " owners " + pg.getAsJsonObject("metadata")
          .get("ownerReferences"));
      // Created before the driver, as Spark's pre-resources are...
      assertThat(java.time.OffsetDateTime.parse(pg.getAsJsonObject("metadata")
          .get("creationTimestamp").getAsString()))
          .isBeforeOrEqualTo(driver.getMetadata().getCreationTimestamp());
      // ...then owned by it.
      var owner = pg.getAsJsonObject("metadata").getAsJsonArray("ownerReferences").get(0)
          .getAsJsonObject();
      assertThat(owner.get("kind").getAsString()).isEqualTo("Pod");
      assertThat(owner.get("uid").getAsString()).isEqualTo(driver.getMetadata().getUid());
      assertThat(owner.get("controller").getAsBoolean()).isTrue();
      var spec = pg.getAsJsonObject("spec");
      assertThat(spec.get("minMember").getAsInt()).isEqualTo(3);
      assertThat(spec.get("queue").getAsString()).isEqualTo("default");
      // 512m + 384m overhead, for the driver and each of the two executors; 100m CPU each.
      assertThat(new Quantity(spec.getAsJsonObject("minResources").get("memory").getAsString()))
          .isEqualTo(new Quantity((3 * 896) + "Mi"));
      assertThat(new Quantity(spec.getAsJsonObject("minResources").get("cpu").getAsString()))
          .isEqualTo(new Quantity("300m"));
      assertThat(driver.getMetadata().getAnnotations())
          .containsEntry("scheduling.k8s.io/group-name", group);
      assertThat(driver.getSpec().getSchedulerName()).isEqualTo("volcano");
      // Addressed to Volcano, which does not run here: the default scheduler leaves it alone.
      await("driver left to Volcano").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
          .until(() -> core.readNamespacedPod(h.name(), ns.name()).execute().getSpec()
              .getNodeName() == null);

      h.delete(Duration.ofMinutes(1));
      await("PodGroup collected with its driver").atMost(Duration.ofSeconds(60))
          .until(() -> !podGroupExists(custom, ns.name(), group));
    }
  }

  @Test
  void eachRetryAttemptHasItsOwnPodGroup(ClusterConnection cluster, TestNamespace ns)
      throws Exception {
    podGroupsAreServed(cluster);
    CoreV1Api core = new CoreV1Api(cluster.client());
    CustomObjectsApi custom = new CustomObjectsApi(cluster.client());
    // No Volcano here: attempt 1 never starts, ends StartTimeout (a submission failure, retried)
    // and its objects are deleted; attempt 2 comes with its own PodGroup.
    SparkJob job = SparkJobLifecycleE2E.job(ns, "gang-retried").application(SparkJobLifecycleE2E.PI)
        .gangScheduling(GangScheduling.volcano())
        .startTimeout(Duration.ofSeconds(8))
        .retryPolicy(io.sparkk8s.spec.RetryPolicy.onFailure(2)
            .withInitialBackoff(Duration.ofSeconds(1))).build();
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle h = spark.submit(job);
      String first = h.appId() + "-podgroup";
      assertThat(podGroupExists(custom, ns.name(), first)).isTrue();
      await("attempt 2").atMost(Duration.ofSeconds(90)).until(() -> h.attempt() == 2);
      String second = h.appId() + "-podgroup";
      assertThat(second).isNotEqualTo(first);
      await("attempt 2's PodGroup, owned by its driver").atMost(Duration.ofSeconds(30))
          .until(() -> podGroupExists(custom, ns.name(), second)
              && podGroup(custom, ns.name(), second).getAsJsonObject("metadata")
                  .has("ownerReferences"));
      V1Pod driver2 = core.readNamespacedPod(h.name(), ns.name()).execute();
      assertThat(podGroup(custom, ns.name(), second).getAsJsonObject("metadata")
          .getAsJsonArray("ownerReferences").get(0).getAsJsonObject().get("uid").getAsString())
          .isEqualTo(driver2.getMetadata().getUid());
      await("attempt 1's PodGroup gone with its driver").atMost(Duration.ofSeconds(60))
          .until(() -> !podGroupExists(custom, ns.name(), first));
      System.out.println("[E2E] attempts " + h.attempts() + "; PodGroups " + first + " (gone), "
          + second);
      h.kill();
      h.delete(Duration.ofMinutes(1));
      await("attempt 2's PodGroup gone").atMost(Duration.ofSeconds(60))
          .until(() -> !podGroupExists(custom, ns.name(), second));
    }
  }

  @Test
  void aDriverTheApiServerRefusesTakesItsPodGroupWithIt(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    podGroupsAreServed(cluster);
    CoreV1Api core = new CoreV1Api(cluster.client());
    CustomObjectsApi custom = new CustomObjectsApi(cluster.client());
    // A quota of no pods: the PodGroup is accepted, the driver refused (403 exceeded quota).
    core.createNamespacedResourceQuota(ns.name(), new V1ResourceQuota()
        .metadata(new V1ObjectMeta().name("no-pods"))
        .spec(new V1ResourceQuotaSpec().hard(Map.of("pods", new Quantity("0"))))).execute();
    await("quota in force").atMost(Duration.ofSeconds(30)).until(() ->
        core.readNamespacedResourceQuota("no-pods", ns.name()).execute().getStatus() != null
            && core.readNamespacedResourceQuota("no-pods", ns.name()).execute().getStatus()
                .getHard() != null);
    SparkJob job = SparkJobLifecycleE2E.job(ns, "refused").application(SparkJobLifecycleE2E.PI)
        .gangScheduling(GangScheduling.volcano()).build();
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      String group = io.sparkk8s.SparkCompiler.compile(job).appId() + "-podgroup";
      // Watch the PodGroups, so the test sees that one was made, not only that none is left.
      List<String> seen = new CopyOnWriteArrayList<>();
      // A CRD just registered is Established before the API server's watch cache for it is
      // ready: a watch then gets 429 "storage is (re)initializing" with a Retry-After. The watch
      // is opened through the SDK's own retry code, which waits as the server says.
      Watch<Object> watch = new ApiRetry(ApiRetryPolicy.defaults()).call(
          new ApiErrors.Target("watch", "PodGroup", ns.name(), ""),
          () -> Watch.createWatch(cluster.client(), custom.listNamespacedCustomObject(
              "scheduling.volcano.sh", "v1beta1", ns.name(), "podgroups").watch(true)
              .timeoutSeconds(30).buildCall(null),
              new TypeToken<Watch.Response<Object>>() { }.getType()));
      Thread watcher = new Thread(() -> {
        try (watch) {
          for (Watch.Response<Object> event : watch) {
            seen.add(event.type);
          }
        } catch (Exception e) {
          seen.add("closed: " + e);
        }
      }, "podgroup-watch");
      watcher.setDaemon(true);
      watcher.start();

      assertThatThrownBy(() -> spark.submit(job)).isInstanceOf(KubernetesApiException.class)
          .hasMessageContaining("exceeded quota");
      assertThat(podGroupExists(custom, ns.name(), group)).as("PodGroup left behind").isFalse();
      await("the PodGroup's creation and deletion watched").atMost(Duration.ofSeconds(20))
          .until(() -> seen.contains("DELETED"));
      System.out.println("[E2E] PodGroup events while the driver was refused: " + seen);
      assertThat(seen).containsSubsequence("ADDED", "DELETED");
    }
  }
}
