package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.AuthorizationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ResourceAttributes;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SubjectAccessReview;
import io.kubernetes.client.openapi.models.V1SubjectAccessReviewSpec;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.storage.SecretEnv;
import io.sparkk8s.storage.SecretVolume;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Least privilege on the real cluster: the driver ServiceAccount that
 * {@code SparkKubernetes.ensureDriverServiceAccount} makes can do what Spark's driver does and
 * nothing else (SubjectAccessReviews, as the API server's authorizer answers them); the SDK's pods
 * run in a namespace that enforces the {@code restricted} Pod Security level; a Secret's value
 * given through {@code SecretEnv} and {@code SecretVolume} reaches no ConfigMap, pod spec or log.
 */
@RealCluster
class LeastPrivilegeE2E {

  /** One row of the table: may {@code verb} on {@code resource} in {@code namespace}? */
  record Access(String verb, String resource, String subresource, String namespace, boolean expected) {
    @Override
    public String toString() {
      return String.format("%-16s %-30s %-22s %s", verb,
          resource + (subresource == null ? "" : "/" + subresource),
          namespace == null ? "(cluster)" : namespace, expected ? "allowed" : "denied");
    }
  }

  @Tag("api-server")
  @Test
  void theDriverServiceAccountCanDoWhatSparkNeedsAndNothingElse(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    String other = "default";
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
    }
    List<Access> table = new ArrayList<>();
    for (String verb : List.of("create", "get", "list", "watch", "delete", "deletecollection", "patch")) {
      table.add(new Access(verb, "pods", null, ns.name(), true));
    }
    for (String resource : List.of("services", "configmaps", "persistentvolumeclaims")) {
      for (String verb : List.of("create", "get", "list", "watch", "delete", "deletecollection")) {
        table.add(new Access(verb, resource, null, ns.name(), true));
      }
      table.add(new Access("update", resource, null, ns.name(), false));
      table.add(new Access("patch", resource, null, ns.name(), false));
    }
    table.add(new Access("update", "pods", null, ns.name(), false));
    // Never: Secrets, other namespaces, cluster-scoped objects, RBAC, identities, exec.
    for (String verb : List.of("get", "list", "watch", "create")) {
      table.add(new Access(verb, "secrets", null, ns.name(), false));
    }
    table.add(new Access("create", "pods", "exec", ns.name(), false));
    table.add(new Access("get", "pods", "log", ns.name(), false));
    table.add(new Access("create", "serviceaccounts", "token", ns.name(), false));
    table.add(new Access("create", "serviceaccounts", null, ns.name(), false));
    table.add(new Access("create", "roles", null, ns.name(), false));
    table.add(new Access("create", "rolebindings", null, ns.name(), false));
    table.add(new Access("update", "roles", null, ns.name(), false));
    table.add(new Access("create", "pods", null, other, false));
    table.add(new Access("list", "pods", null, other, false));
    table.add(new Access("list", "configmaps", null, other, false));
    table.add(new Access("get", "secrets", null, other, false));
    table.add(new Access("list", "pods", null, null, false));
    table.add(new Access("list", "nodes", null, null, false));
    table.add(new Access("list", "namespaces", null, null, false));
    table.add(new Access("create", "namespaces", null, null, false));
    table.add(new Access("create", "persistentvolumes", null, null, false));
    table.add(new Access("create", "clusterroles", null, null, false));
    table.add(new Access("create", "clusterrolebindings", null, null, false));

    AuthorizationV1Api authz = new AuthorizationV1Api(cluster.client());
    String user = "system:serviceaccount:" + ns.name() + ":spark";
    // The API server's RBAC authorizer reads Roles and RoleBindings from its watch cache, so a
    // binding just created takes effect a moment later (a driver starts seconds after it). Wait
    // for that once, bounded, then judge every row of the table once.
    long ensured = System.nanoTime();
    await("the driver Role's binding takes effect").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50)).until(() -> allowed(authz, user, ns.name(), table.get(0)));
    System.out.printf("[E2E] the binding took effect %d ms after ensureDriverServiceAccount%n",
        (System.nanoTime() - ensured) / 1_000_000);
    List<String> wrong = new ArrayList<>();
    StringBuilder printed = new StringBuilder("[E2E] least privilege of " + user + ":\n");
    for (Access a : table) {
      boolean allowed = allowed(authz, user, ns.name(), a);
      printed.append(String.format("    %s -> %s%s%n", a, allowed ? "allowed" : "denied",
          allowed == a.expected() ? "" : "   <-- WRONG"));
      if (allowed != a.expected()) {
        wrong.add(a + " but was " + (allowed ? "allowed" : "denied"));
      }
    }
    System.out.print(printed);
    assertThat(table).hasSizeGreaterThan(40);
    assertThat(wrong).as("rows where the ServiceAccount's rights differ from the table").isEmpty();
  }

  @Test
  void aSecretsValueReachesNoConfigMapPodSpecOrLogAndThePodsPassRestricted(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    V1Namespace n = core.readNamespace(ns.name()).execute();
    n.getMetadata().putLabelsItem("pod-security.kubernetes.io/enforce", "restricted")
        .putLabelsItem("pod-security.kubernetes.io/enforce-version", "latest");
    core.replaceNamespace(ns.name(), n).execute();
    String value = "sparkk8s-leak-canary-" + UUID.randomUUID();
    core.createNamespacedSecret(ns.name(), new V1Secret().metadata(new V1ObjectMeta().name("canary"))
        .putStringDataItem("token", value)).execute();

    // Everything the SDK logs while the job runs, wherever slf4j-simple writes it (System.err).
    ByteArrayOutputStream sdkLog = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(new Tee(originalErr, sdkLog), true, StandardCharsets.UTF_8));
    WatchedRun run;
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      run = WatchedRun.of(core, ns, spark.submit(onePi(ns, "canary")
          .addSecretEnv(SecretEnv.of("CANARY_TOKEN", "canary", "token"))
          .addSecretVolume(SecretVolume.of("canary", "/var/secrets/canary"))
          .build()));
    } finally {
      System.setErr(originalErr);
    }
    List<String> configMaps = core.listNamespacedConfigMap(ns.name()).execute().getItems().stream()
        .map(JSON::serialize).toList();
    String log = sdkLog.toString(StandardCharsets.UTF_8);
    JobState end = run.end();
    String driverLog = run.driverLog();
    Map<String, String> podsSeen = run.pods();
    System.out.printf("[E2E] secret leak: job %s; checked %d pod specs (%s), %d ConfigMaps,"
            + " %d chars of SDK log and %d chars of driver log for the canary value%n", end,
        podsSeen.size(), podsSeen.keySet(), configMaps.size(), log.length(), driverLog.length());

    // The job ran in the restricted namespace (every pod passed admission) with the Secret
    // resolved: a missing key or mount would have stopped the containers from starting.
    assertThat(end.phase()).as("final state; driver log:%n%s", driverLog).isEqualTo(JobPhase.SUCCEEDED);
    assertThat(podsSeen.keySet()).anyMatch(k -> k.endsWith("-driver")).anyMatch(k -> k.contains("-exec-"));
    assertThat(podsSeen.values()).allSatisfy(spec -> {
      assertThat(spec).doesNotContain(value);
      assertThat(spec).contains("\"secretKeyRef\"").contains("canary");
    });
    assertThat(configMaps).isNotEmpty().allSatisfy(cm -> assertThat(cm).doesNotContain(value));
    assertThat(log).doesNotContain(value);
    assertThat(driverLog).doesNotContain(value);
  }

  /**
   * Executors run user code and never call the API in cluster mode: an executor pod of a real
   * SparkPi has no API token mounted and runs as the namespace's {@code default} account, which
   * may neither list nor create pods, while its driver (account {@code spark}) may.
   */
  @Test
  void anExecutorOfARealSparkPiHasNoTokenAndItsAccountCannotTouchPods(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    Map<String, V1Pod> executors = new ConcurrentHashMap<>();
    V1Pod driver;
    JobState end;
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle job = spark.submit(SparkJobLifecycleE2E.job(ns, "no-token")
          .application(SparkJobLifecycleE2E.PI).addArguments("2", "2000000")
          .executor(Executor.builder().instances(1).memory("512m").coreRequest("100m").build())
          .build());
      await("an executor pod").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250))
          .until(() -> {
            for (V1Pod p : core.listNamespacedPod(ns.name()).labelSelector("spark-role=executor")
                .execute().getItems()) {
              executors.put(p.getMetadata().getName(), p);
            }
            return !executors.isEmpty() || job.state().phase().isFinal();
          });
      driver = core.listNamespacedPod(ns.name()).labelSelector("spark-role=driver").execute()
          .getItems().get(0);
      end = job.awaitCompletion(Duration.ofMinutes(6));
    }
    assertThat(end.phase()).isEqualTo(JobPhase.SUCCEEDED);
    assertThat(executors).isNotEmpty();
    AuthorizationV1Api authz = new AuthorizationV1Api(cluster.client());
    for (V1Pod executor : executors.values()) {
      var spec = executor.getSpec();
      System.out.printf("[E2E] executor %s: serviceAccountName=%s automountServiceAccountToken=%s"
              + " volumes=%s%n", executor.getMetadata().getName(), spec.getServiceAccountName(),
          spec.getAutomountServiceAccountToken(),
          spec.getVolumes() == null ? List.of() : spec.getVolumes().stream().map(v -> v.getName()).toList());
      assertThat(spec.getAutomountServiceAccountToken()).isFalse();
      assertThat(spec.getServiceAccountName()).isEqualTo("default");
      assertThat(spec.getVolumes() == null ? List.<io.kubernetes.client.openapi.models.V1Volume>of()
          : spec.getVolumes()).noneMatch(v -> v.getProjected() != null
              && v.getProjected().getSources().stream().anyMatch(src -> src.getServiceAccountToken() != null));
      assertThat(spec.getContainers()).allSatisfy(c -> assertThat(c.getVolumeMounts() == null
          ? List.<String>of() : c.getVolumeMounts().stream().map(m -> m.getMountPath()).toList())
          .noneMatch(path -> path.startsWith("/var/run/secrets/kubernetes.io")));
      String account = "system:serviceaccount:" + ns.name() + ":" + spec.getServiceAccountName();
      for (String verb : List.of("list", "create", "delete", "watch")) {
        assertThat(allowed(authz, account, ns.name(), verb, "pods")).as(account + " " + verb + " pods")
            .isFalse();
      }
    }
    // The control: the driver does hold a token, and its account may create pods.
    assertThat(driver.getSpec().getServiceAccountName()).isEqualTo("spark");
    assertThat(driver.getSpec().getAutomountServiceAccountToken()).isNotEqualTo(Boolean.FALSE);
    assertThat(allowed(authz, "system:serviceaccount:" + ns.name() + ":spark", ns.name(), "create",
        "pods")).isTrue();
  }

  /**
   * With {@code authenticationSecret} a real SparkPi runs with {@code spark.authenticate}: its
   * executors could register only by proving the same key, which they read from the mounted
   * Secret, so no pod spec carries it (Spark alone puts it in every executor's environment).
   */
  @Test
  void sparkAuthenticationReadsTheKeyFromASecretAndNoPodSpecHoldsIt(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    String key = UUID.randomUUID() + "-" + UUID.randomUUID();
    core.createNamespacedSecret(ns.name(), new V1Secret().metadata(new V1ObjectMeta().name("spark-auth"))
        .putStringDataItem("secret", key)).execute();
    WatchedRun run;
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      run = WatchedRun.of(core, ns, spark.submit(onePi(ns, "authenticated")
          .authenticationSecret("spark-auth").build()));
    }
    System.out.printf("[E2E] spark.authenticate: job %s; pods %s%n", run.end(), run.pods().keySet());
    run.assertAuthenticatedWithoutShowing(key);
  }

  /** A SparkPi with one executor (which, with Spark's authentication, must prove the key). */
  private static io.sparkk8s.spec.SparkJob.Builder onePi(TestNamespace ns, String name) {
    return SparkJobLifecycleE2E.job(ns, name)
        .application(SparkJobLifecycleE2E.PI).addArguments("2", "2000000")
        .executor(Executor.builder().instances(1).memory("512m").coreRequest("100m").build());
  }

  /**
   * A job run to its end, with every pod of its namespace as seen while it ran (executor pods
   * exist only then), and the driver's log.
   */
  private record WatchedRun(JobState end, String driverLog, Map<String, String> pods) {
    static WatchedRun of(CoreV1Api core, TestNamespace ns, SparkJobHandle job)
        throws Exception {
      Map<String, String> pods = new ConcurrentHashMap<>();
      await("an executor pod").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250))
          .until(() -> {
            for (V1Pod p : core.listNamespacedPod(ns.name()).execute().getItems()) {
              pods.put(p.getMetadata().getName(), JSON.serialize(p));
            }
            return pods.keySet().stream().anyMatch(k -> k.contains("-exec-"))
                || job.state().phase().isFinal();
          });
      JobState end = job.awaitCompletion(Duration.ofMinutes(6));
      for (V1Pod p : core.listNamespacedPod(ns.name()).execute().getItems()) {
        pods.put(p.getMetadata().getName(), JSON.serialize(p));
      }
      try (InputStream in = job.driverLog()) {
        return new WatchedRun(end, new String(in.readAllBytes(), StandardCharsets.UTF_8), pods);
      }
    }

    /**
     * It succeeded with an executor, which registered only by proving the key, and neither the
     * driver's log nor any pod spec holds the key or Spark's own environment literal of it.
     */
    void assertAuthenticatedWithoutShowing(String key) {
      assertThat(end.phase()).as("final state; driver log:%n%s", driverLog)
          .isEqualTo(JobPhase.SUCCEEDED);
      assertThat(driverLog).contains("authentication enabled").doesNotContain(key);
      assertThat(pods.keySet()).anyMatch(k -> k.contains("-exec-"));
      assertThat(pods.values()).allSatisfy(spec -> assertThat(spec).doesNotContain(key)
          .doesNotContain("_SPARK_AUTH_SECRET"));
    }
  }

  /**
   * With {@code sparkAuthentication} and no Secret of the caller's, the client draws a key per job:
   * a real SparkPi (with a retry policy, so a record of its attempts is written) authenticates its
   * executor with a key that is in the job's own Secret only, owned by the driver and gone with it;
   * no pod spec, ConfigMap (the record included) or log holds it, and the preflight finds nothing
   * missing.
   */
  @Test
  void aKeyTheClientDrawsPerJobAuthenticatesTheExecutorsAndStaysInItsSecret(
      ClusterConnection cluster, TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      var job = onePi(ns, "drawn-key")
          .retryPolicy(io.sparkk8s.spec.RetryPolicy.onFailure(2))
          .sparkAuthentication(true).build();
      assertThat(spark.preflight(job).problems()).as("the job's own Secret is not missing").isEmpty();
      SparkJobHandle handle = spark.submit(job);
      WatchedRun run = WatchedRun.of(core, ns, handle);
      V1Pod driver = core.readNamespacedPod(handle.name(), ns.name()).execute();
      String secretName = handle.name().substring(0, handle.name().length() - "-driver".length())
          + "-auth";
      V1Secret secret = core.readNamespacedSecret(secretName, ns.name()).execute();
      String key = new String(secret.getData().get("secret"), StandardCharsets.UTF_8);
      List<String> configMaps = core.listNamespacedConfigMap(ns.name()).execute().getItems().stream()
          .map(JSON::serialize).toList();
      System.out.printf("[E2E] drawn key: job %s; Secret %s (%d hex digits, immutable %s, owner %s);"
          + " %d ConfigMaps; pods %s%n", run.end(), secretName, key.length(), secret.getImmutable(),
          secret.getMetadata().getOwnerReferences().get(0).getName(), configMaps.size(),
          run.pods().keySet());
      run.assertAuthenticatedWithoutShowing(key);
      assertThat(key).matches("[0-9a-f]{64}");
      assertThat(secret.getImmutable()).isTrue();
      assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(driver.getMetadata().getUid()));
      assertThat(configMaps).as("the attempts' record among them")
          .anyMatch(cm -> cm.contains("attempt-1.json")).noneMatch(cm -> cm.contains(key));

      handle.delete(Duration.ofMinutes(2));
      await("the Secret goes with the driver").atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250)).until(() -> core.listNamespacedSecret(ns.name())
              .execute().getItems().stream().noneMatch(x -> x.getMetadata().getName()
                  .equals(secretName)));
    }
  }

  /**
   * The local cluster has no network plugin that enforces NetworkPolicies, so this proves only
   * that the API server accepts the job's policies as compiled (a server-side dry run with its
   * full validation and defaulting) and keeps every rule.
   */
  @Tag("api-server")
  @Test
  void theJobsNetworkPoliciesPassTheApiServersValidation(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    var compiled = io.sparkk8s.SparkCompiler.compile(SparkJobLifecycleE2E.job(ns, "isolated")
        .application(SparkJobLifecycleE2E.PI)
        .networkIsolation(io.sparkk8s.spec.NetworkIsolation.strict()
            .withUiClients(Map.of("app", "gateway")).withEgressCidrs("10.20.0.0/16", "fd00::/8")
            .withApiServerCidr("10.0.0.1/32"))
        .build());
    var networking = new io.kubernetes.client.openapi.apis.NetworkingV1Api(cluster.client());
    List<io.kubernetes.client.openapi.models.V1NetworkPolicy> policies = compiled.ownedResources()
        .stream().filter(o -> o instanceof io.kubernetes.client.openapi.models.V1NetworkPolicy)
        .map(o -> (io.kubernetes.client.openapi.models.V1NetworkPolicy) o).toList();
    assertThat(policies).hasSize(2);
    for (var policy : policies) {
      var created = networking.createNamespacedNetworkPolicy(ns.name(), policy).dryRun("All")
          .execute();
      System.out.printf("[E2E] NetworkPolicy %s accepted by a server-side dry run: %s%n",
          created.getMetadata().getName(), JSON.serialize(created.getSpec()));
      assertThat(created.getMetadata().getName()).isEqualTo(policy.getMetadata().getName());
      assertThat(created.getSpec().getPodSelector()).isEqualTo(policy.getSpec().getPodSelector());
      assertThat(created.getSpec().getPolicyTypes()).isEqualTo(policy.getSpec().getPolicyTypes());
      assertThat(created.getSpec().getIngress() == null ? 0 : created.getSpec().getIngress().size())
          .isEqualTo(policy.getSpec().getIngress() == null ? 0 : policy.getSpec().getIngress().size());
      assertThat(created.getSpec().getEgress()).hasSameSizeAs(policy.getSpec().getEgress());
    }
    // A dry run stores nothing.
    assertThat(networking.listNamespacedNetworkPolicy(ns.name()).execute().getItems()).isEmpty();

    // Submitted, the policies are created after the driver and owned by it, like its Service.
    try (SparkKubernetes spark = SparkJobLifecycleE2E.connect(cluster)) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      SparkJobHandle job = spark.submit(SparkJobLifecycleE2E.job(ns, "isolated")
          .application(SparkJobLifecycleE2E.PI)
          .networkIsolation(io.sparkk8s.spec.NetworkIsolation.strict()).build());
      var stored = networking.listNamespacedNetworkPolicy(ns.name()).execute().getItems();
      String driverPod = new CoreV1Api(cluster.client()).listNamespacedPod(ns.name())
          .labelSelector("spark-role=driver").execute().getItems().get(0).getMetadata().getName();
      assertThat(stored).extracting(p -> p.getMetadata().getName()).hasSize(2)
          .anyMatch(n -> n.endsWith("-network")).anyMatch(n -> n.endsWith("-driver-api"));
      assertThat(stored).allSatisfy(p -> assertThat(p.getMetadata().getOwnerReferences())
          .singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Pod");
            assertThat(o.getName()).isEqualTo(driverPod);
          }));
      job.kill();
    }
  }

  /** The API server's authorizer's answer, with the groups a ServiceAccount token carries. */
  static boolean allowed(AuthorizationV1Api authz, String user, String namespace, String verb,
      String resource) throws Exception {
    return allowed(authz, user, namespace, new Access(verb, resource, null, namespace, false));
  }

  /**
   * Whether the ServiceAccount {@code user} of {@code accountNamespace} may do {@code a}, as the
   * API server's authorizer says.
   */
  private static boolean allowed(AuthorizationV1Api authz, String user, String accountNamespace,
      Access a) throws Exception {
    String group = List.of("roles", "rolebindings", "clusterroles", "clusterrolebindings")
        .contains(a.resource()) ? "rbac.authorization.k8s.io" : "";
    V1SubjectAccessReview review = authz.createSubjectAccessReview(new V1SubjectAccessReview()
        .spec(new V1SubjectAccessReviewSpec().user(user)
            // The groups a ServiceAccount token carries, so group-wide grants count too.
            .groups(List.of("system:serviceaccounts", "system:serviceaccounts:" + accountNamespace,
                "system:authenticated"))
            .resourceAttributes(new V1ResourceAttributes().verb(a.verb()).group(group)
                .resource(a.resource()).subresource(a.subresource()).namespace(a.namespace()))))
        .execute();
    return Boolean.TRUE.equals(review.getStatus().getAllowed());
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
