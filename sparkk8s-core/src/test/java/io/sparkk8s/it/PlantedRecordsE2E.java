package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.AuthenticationV1TokenRequest;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1HostPathVolumeSource;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1TokenRequestSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;
import io.sparkk8s.ApiRetryPolicy;
import io.sparkk8s.JobPhase;
import io.sparkk8s.RecordKey;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.internal.kube.Attempts;
import io.sparkk8s.spec.RetryPolicy;
import io.sparkk8s.spec.SparkJob;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: records are data, never orders. Whoever holds the Role the SDK gives Spark drivers
 * (create pods and ConfigMaps in one namespace) plants retry records and bait driver pods: records
 * whose attempts are a hostPath {@code /} pod and a Secret in another namespace, records with
 * forged tags, pods labelled as attempt 0, 01, 999999 or {@code x}, a pending "attempt" with a
 * one-second start timeout. A scheduler that only lists and attaches, with or without a record
 * key, creates and deletes nothing: every object of both namespaces is the same before and after.
 * A job sealed with the key continues its retries in another client holding it, creating exactly
 * the attempt the SDK describes, while forged attempt labels never move its sequence and a sealed
 * record tampered with is followed read only.
 */
@RealCluster
class PlantedRecordsE2E {
  static final String IMAGE = "apache/spark:4.1.1";
  static final RecordKey KEY = RecordKey.of(randomBytes());
  /** Properties text of a policy that retries everything at once, as the SDK would write it. */
  static final String EAGER_POLICY = String.join("\n", "maxAttempts=3",
      "retryOn=SUBMISSION_FAILURE,APPLICATION_FAILURE", "initialBackoff=PT1S", "multiplier=1.0",
      "maxBackoff=PT1S", "jitter=0.0");

  @Test
  void plantedRecordsAndBaitPodsMakeListAndAttachCreateAndDeleteNothing(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    CoreV1Api admin = new CoreV1Api(cluster.client());
    String victim = victimNamespace(admin);
    try (SparkKubernetes setup = SparkJobLifecycleE2E.connect(cluster)) {
      setup.ensureDriverServiceAccount(ns.name(), "spark");
      CoreV1Api driver = new CoreV1Api(asDriver(cluster, ns));
      assertThatThrownBy(() -> driver.createNamespacedConfigMap(victim, new V1ConfigMap()
          .metadata(new V1ObjectMeta().name("probe"))).execute())
          .as("the driver's Role reaches no other namespace").isInstanceOf(ApiException.class)
          .satisfies(e -> assertThat(((ApiException) e).getCode()).isEqualTo(403));

      // A: attempt 1 "failed", its record's next attempts reach another namespace and the host.
      plantRecord(driver, ns, "spark-planted-a", Map.of("ended-1", "phase=FAILED\nreason=Error"
          + "\nmessage=\nendedAt=2026-01-01T00:00:00Z"), Map.of(),
          List.of(pod(ns.name(), "planted-a-driver")), List.of(rootPod(victim, "a-root"),
              secret(victim, "a-secret")), List.of(rootPod(ns.name(), "a-root-here")));
      driver.createNamespacedPod(ns.name(), bait("bait-a-1", "spark-planted-a", "1",
          "spark-planted-a", false)).execute();
      // B: forged attempt numbers; its attempt 1 is the other namespace's root pod.
      plantRecord(driver, ns, "spark-planted-b", Map.of(), Map.of(),
          List.of(rootPod(victim, "b-root"), secret(victim, "b-secret")), List.of(), List.of());
      // (The API server refuses "-1" as a label value; AttemptNumbersTest covers it.)
      for (String n : List.of("0", "01", "999999", "x")) {
        String name = "bait-b-" + n;
        // Attempt 0 as the job's own first attempt; the others with ids of their own.
        driver.createNamespacedPod(ns.name(), bait(name, "spark-planted-b", n,
            n.equals("0") ? "spark-planted-b" : name, false)).execute();
      }
      // C: a forged tag. D: an "attempt" pending, with a start timeout of a second.
      plantRecord(driver, ns, "spark-planted-c", Map.of(),
          Map.of("sparkk8s.io/record-hmac", "v1:" + "A".repeat(43)),
          List.of(pod(ns.name(), "c-driver")), List.of(rootPod(victim, "c-root")), List.of());
      driver.createNamespacedPod(ns.name(), bait("bait-c-1", "spark-planted-c", "1",
          "spark-planted-c", false)).execute();
      plantRecord(driver, ns, "spark-planted-d", Map.of("startTimeout", "PT1S"), Map.of(),
          List.of(pod(ns.name(), "d-driver")), List.of(rootPod(victim, "d-root")), List.of());
      driver.createNamespacedPod(ns.name(), bait("bait-d-1", "spark-planted-d", "1",
          "spark-planted-d", true)).execute();
      // E: the very record the SDK writes for a real job, unsealed, and its attempt 1 "failed".
      SparkJob real = SparkJobLifecycleE2E.job(ns, "real").application(RetentionE2E.EXIT)
          .addArgument("1").retryPolicy(RetryPolicy.onFailure(3).withInitialBackoff(Duration.ofSeconds(1)))
          .build();
      String realId = io.sparkk8s.SparkCompiler.compile(real).appId();
      V1ConfigMap sdkShaped = Attempts.record(real, realId, "real-planted",
          real.retryPolicy().orElseThrow());
      driver.createNamespacedConfigMap(ns.name(), sdkShaped).execute();
      driver.createNamespacedPod(ns.name(), bait(Attempts.compile(real, realId, 1).driver()
          .getMetadata().getName(), realId, "1", realId, false)).execute();

      await("bait pods ended or pending").atMost(Duration.ofMinutes(2)).until(() ->
          admin.listNamespacedPod(ns.name()).labelSelector("spark-role=driver").execute()
              .getItems().stream().allMatch(p -> p.getMetadata().getName().equals("bait-d-1")
                  ? "Pending".equals(p.getStatus().getPhase())
                  : "Failed".equals(p.getStatus().getPhase())));
      Set<String> before = objects(cluster.client(), ns.name(), victim);
      System.out.println("[E2E] planted, before list/attach: " + before.size() + " objects");

      try (SparkKubernetes scheduler = SparkJobLifecycleE2E.connect(cluster);
          SparkKubernetes keyed = withKey(cluster, KEY)) {
        for (SparkKubernetes client : List.of(scheduler, keyed)) {
          List<SparkJobHandle> found = client.list(ns.name(), null);
          assertThat(found).extracting(SparkJobHandle::name).contains("bait-a-1", "bait-b-0",
              "bait-b-x", "bait-c-1", "bait-d-1");
          assertThat(found).allSatisfy(h -> {
            assertThat(h.attempt()).as("attempt of %s", h.name()).isEqualTo(1);
            assertThat(h.attempts()).as("attempts of %s", h.name())
                .allSatisfy(a -> assertThat(a.number()).isEqualTo(1));
          });
          for (V1Pod p : admin.listNamespacedPod(ns.name()).labelSelector("spark-role=driver")
              .execute().getItems()) {
            SparkJobHandle h = client.attach(ns.name(), p.getMetadata().getName());
            assertThat(h.name()).isEqualTo(p.getMetadata().getName());
          }
          client.list(victim, null);
        }
        assertThat(scheduler.attach(ns.name(), "bait-a-1").state().phase())
            .as("reported from its pod").isEqualTo(JobPhase.FAILED);
        // Backoffs of a second, a start timeout of a second: any retry, kill or deletion they
        // could cause happens well within this window.
        await("nothing created or deleted in " + ns.name() + " or " + victim)
            .during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(40))
            .until(() -> objects(cluster.client(), ns.name(), victim).equals(before));
        assertThat(scheduler.attach(ns.name(), "bait-d-1").state().phase())
            .as("a pending bait is never killed").isIn(JobPhase.SUBMITTED, JobPhase.PENDING);
      }
      Set<String> after = objects(cluster.client(), ns.name(), victim);
      System.out.println("[E2E] after list/attach by two schedulers: " + after.size()
          + " objects, the same " + after.equals(before));
      assertThat(after).containsExactlyInAnyOrderElementsOf(before);
    } finally {
      admin.deleteNamespace(victim).execute();
    }
  }

  @Test
  void aSealedJobContinuesExactlyAsDescribedWhileForgedLabelsAndTamperingAreIgnored(
      ClusterConnection cluster, TestNamespace ns) throws Exception {
    CoreV1Api admin = new CoreV1Api(cluster.client());
    String victim = victimNamespace(admin);
    try {
      SparkJob genuine = failing(ns, "genuine");
      SparkJob tampered = failing(ns, "tampered");
      String genuineId;
      String tamperedId;
      // The submitting client seals both records with the key, and is gone before attempt 1 ends.
      try (SparkKubernetes first = withKey(cluster, KEY)) {
        first.ensureDriverServiceAccount(ns.name(), "spark");
        genuineId = first.submit(genuine).appId();
        tamperedId = first.submit(tampered).appId();
      }
      CoreV1Api driver = new CoreV1Api(asDriver(cluster, ns));
      // The driver's Role may not update ConfigMaps: it deletes the record and creates it again
      // with attempt 2 reaching the other namespace and the host, keeping the tag.
      V1ConfigMap record = driver.listNamespacedConfigMap(ns.name())
          .labelSelector(Attempts.JOB_LABEL + "=" + tamperedId).execute().getItems().get(0);
      driver.deleteNamespacedConfigMap(record.getMetadata().getName(), ns.name()).execute();
      record.getMetadata().resourceVersion(null).uid(null).creationTimestamp(null)
          .managedFields(null);
      record.getData().put("attempt-2.json", json(List.of(rootPod(victim, "t-root"),
          secret(victim, "t-secret"))));
      driver.createNamespacedConfigMap(ns.name(), record).execute();
      // Pods claiming to be attempts of the genuine job.
      for (String n : List.of("0", "01", "999999", "x", "2")) {
        driver.createNamespacedPod(ns.name(), bait("forged-" + n, genuineId, n, "forged-app-" + n,
            false)).execute();
      }
      await("forged pods ended").atMost(Duration.ofMinutes(2)).until(() ->
          admin.listNamespacedPod(ns.name()).labelSelector("spark-role=driver").execute()
              .getItems().stream().filter(p -> p.getMetadata().getName().startsWith("forged-"))
              .allMatch(p -> "Failed".equals(p.getStatus().getPhase())));
      Set<String> before = objects(cluster.client(), ns.name(), victim);

      try (SparkKubernetes second = withKey(cluster, KEY)) {
        List<SparkJobHandle> found = second.list(ns.name(), null);
        SparkJobHandle g = second.attach(ns.name(),
            Attempts.compile(genuine, genuineId, 1).driver().getMetadata().getName());
        assertThat(found).contains(g);
        SparkJobHandle t = second.attach(ns.name(),
            Attempts.compile(tampered, tamperedId, 1).driver().getMetadata().getName());
        assertThat(g.awaitCompletion(Duration.ofMinutes(5)).phase()).isEqualTo(JobPhase.FAILED);
        assertThat(g.attempt()).as("attempts of the genuine job").isEqualTo(2);
        assertThat(t.awaitCompletion(Duration.ofMinutes(3)).phase()).isEqualTo(JobPhase.FAILED);
        assertThat(t.attempt()).as("the tampered job is never retried").isEqualTo(1);
        Set<String> settled = objects(cluster.client(), ns.name(), victim);
        await("nothing more created or deleted").during(Duration.ofSeconds(15))
            .atMost(Duration.ofSeconds(30))
            .until(() -> objects(cluster.client(), ns.name(), victim).equals(settled));
      }
      Set<String> after = objects(cluster.client(), ns.name(), victim);
      Set<String> created = new TreeSet<>(after);
      created.removeAll(before);
      Set<String> deleted = new TreeSet<>(before);
      deleted.removeAll(after);
      Attempts.Objects second = Attempts.compile(genuine, genuineId, 2);
      Set<String> described = Stream.concat(Stream.of((KubernetesObject) second.driver()),
              Stream.concat(second.pre().stream(), second.owned().stream()))
          .map(o -> o.getKind() + " " + ns.name() + "/" + o.getMetadata().getName())
          .collect(Collectors.toCollection(TreeSet::new));
      System.out.println("[E2E] created by the second client: " + created + "; deleted: "
          + deleted + "; attempt 2 as described: " + described);
      assertThat(deleted).isEmpty();
      assertThat(created).extracting(s -> s.substring(0, s.lastIndexOf(' ')))
          .containsExactlyInAnyOrderElementsOf(described);
    } finally {
      admin.deleteNamespace(victim).execute();
    }
  }

  // ---- what the driver's Role can plant -----------------------------------------------------

  static SparkJob failing(TestNamespace ns, String name) {
    return SparkJobLifecycleE2E.job(ns, name).application(RetentionE2E.EXIT).addArgument("1")
        .retryPolicy(RetryPolicy.onFailure(2).withInitialBackoff(Duration.ofSeconds(5))
            .withJitter(0.0))
        .build();
  }

  private static void plantRecord(CoreV1Api driver, TestNamespace ns, String jobId,
      Map<String, String> extraData, Map<String, String> annotations, List<KubernetesObject> first,
      List<KubernetesObject> second, List<KubernetesObject> third) throws ApiException {
    Map<String, String> data = new HashMap<>(extraData);
    data.put("policy", EAGER_POLICY);
    List<List<KubernetesObject>> attempts = List.of(first, second, third);
    for (int n = 1; n <= 3; n++) {
      if (!attempts.get(n - 1).isEmpty()) {
        data.put("attempt-" + n + ".json", json(attempts.get(n - 1)));
      }
    }
    driver.createNamespacedConfigMap(ns.name(), new V1ConfigMap()
        .metadata(new V1ObjectMeta().name(jobId + "-attempts").annotations(annotations)
            .putLabelsItem(Attempts.JOB_LABEL, jobId)
            .putLabelsItem("app.kubernetes.io/managed-by", "sparkk8s"))
        .data(data)).execute();
  }

  private static String json(List<KubernetesObject> objects) {
    return objects.stream().map(JSON::serialize).collect(Collectors.joining(",", "[", "]"));
  }

  /** A pod mounting the node's root, as a record may describe it. */
  static V1Pod rootPod(String namespace, String name) {
    return pod(namespace, name).spec(new V1PodSpec().overhead(null)
        .containers(List.of(new V1Container().name("c").image(IMAGE)
            .command(List.of("sh", "-c", "cat /host/etc/shadow"))
            .volumeMounts(List.of(new V1VolumeMount().name("host").mountPath("/host")))))
        .volumes(List.of(new V1Volume().name("host")
            .hostPath(new V1HostPathVolumeSource().path("/")))));
  }

  static V1Pod pod(String namespace, String name) {
    return new V1Pod().apiVersion("v1").kind("Pod").metadata(new V1ObjectMeta().name(name)
        .namespace(namespace).putLabelsItem("spark-role", "driver")
        .putLabelsItem("spark-app-selector", name));
  }

  static V1Secret secret(String namespace, String name) {
    return new V1Secret().apiVersion("v1").kind("Secret").metadata(new V1ObjectMeta().name(name)
        .namespace(namespace)).putStringDataItem("token", "planted");
  }

  /**
   * A driver pod labelled as attempt {@code attempt} of {@code jobId}: it fails at once, or with
   * {@code pending} waits for a node that does not exist. Meets the restricted Pod Security level.
   */
  static V1Pod bait(String name, String jobId, String attempt, String appId, boolean pending) {
    // overhead(null): client-java's empty default is refused without a RuntimeClass.
    V1PodSpec spec = new V1PodSpec().overhead(null).restartPolicy("Never")
        .containers(List.of(new V1Container()
        .name("spark-kubernetes-driver").image(IMAGE).imagePullPolicy("Never")
        .command(List.of("sh", "-c", "exit 1"))
        .resources(new V1ResourceRequirements().requests(Map.of("cpu", new Quantity("10m"),
            "memory", new Quantity("16Mi"))))
        .securityContext(new V1SecurityContext().runAsNonRoot(true).runAsUser(185L)
            .allowPrivilegeEscalation(false)
            .capabilities(new V1Capabilities().drop(List.of("ALL")))
            .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))));
    if (pending) {
      spec.putNodeSelectorItem("sparkk8s.io/no-such-node", "true");
    }
    return new V1Pod().metadata(new V1ObjectMeta().name(name)
            .putLabelsItem("spark-role", "driver").putLabelsItem(Attempts.JOB_LABEL, jobId)
            .putLabelsItem(Attempts.ATTEMPT_LABEL, attempt)
            .putLabelsItem("spark-app-selector", appId))
        .spec(spec);
  }

  // ---- clients and snapshots -----------------------------------------------------------------

  /** A client with the rights of the driver ServiceAccount {@code spark} and nothing else. */
  static ApiClient asDriver(ClusterConnection cluster, TestNamespace ns) throws Exception {
    String token = new CoreV1Api(cluster.client()).createNamespacedServiceAccountToken("spark",
        ns.name(), new AuthenticationV1TokenRequest().spec(new V1TokenRequestSpec()
            .expirationSeconds(3600L).audiences(List.of()))).execute().getStatus().getToken();
    try (Reader r = Files.newBufferedReader(cluster.kubeconfig(), StandardCharsets.UTF_8)) {
      // The cluster and its CA from the kubeconfig; the token instead of the admin's certificate.
      return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(r))
          .setAuthentication(new AccessTokenAuthentication(token)).build();
    }
  }

  static SparkKubernetes withKey(ClusterConnection cluster, RecordKey key) {
    return SparkKubernetes.fromKubeconfig(cluster.kubeconfig(), Optional.empty(),
        Duration.ofMinutes(1), ApiRetryPolicy.defaults(), key);
  }

  static String victimNamespace(CoreV1Api admin) throws ApiException {
    String name = "it-victim-" + Long.toString(new SecureRandom().nextLong() & 0xffffffL, 36);
    admin.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name)
        .putLabelsItem("app.kubernetes.io/managed-by", "sparkk8s-it"))).execute();
    return name;
  }

  /** Every object of the kinds anyone could make the SDK create, as "Kind ns/name uid". */
  static Set<String> objects(ApiClient client, String... namespaces) throws ApiException {
    CoreV1Api core = new CoreV1Api(client);
    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(client);
    Set<String> out = new HashSet<>();
    for (String ns : namespaces) {
      List<KubernetesObject> all = new ArrayList<>();
      all.addAll(core.listNamespacedPod(ns).execute().getItems());
      all.addAll(core.listNamespacedConfigMap(ns).execute().getItems());
      all.addAll(core.listNamespacedSecret(ns).execute().getItems());
      all.addAll(core.listNamespacedService(ns).execute().getItems());
      all.addAll(core.listNamespacedPersistentVolumeClaim(ns).execute().getItems());
      all.addAll(core.listNamespacedServiceAccount(ns).execute().getItems());
      all.addAll(rbac.listNamespacedRole(ns).execute().getItems());
      all.addAll(rbac.listNamespacedRoleBinding(ns).execute().getItems());
      for (KubernetesObject o : all) {
        String kind = o.getClass().getSimpleName().replaceFirst("^V1", "");
        out.add(kind + " " + ns + "/" + o.getMetadata().getName() + " "
            + o.getMetadata().getUid());
      }
    }
    return out;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
