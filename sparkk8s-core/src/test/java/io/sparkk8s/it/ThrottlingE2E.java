package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.FlowcontrolApiserverV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.AuthenticationV1TokenRequest;
import io.kubernetes.client.openapi.models.FlowcontrolV1Subject;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1FlowSchema;
import io.kubernetes.client.openapi.models.V1FlowSchemaSpec;
import io.kubernetes.client.openapi.models.V1LimitResponse;
import io.kubernetes.client.openapi.models.V1LimitedPriorityLevelConfiguration;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1PolicyRulesWithSubjects;
import io.kubernetes.client.openapi.models.V1PriorityLevelConfiguration;
import io.kubernetes.client.openapi.models.V1PriorityLevelConfigurationReference;
import io.kubernetes.client.openapi.models.V1PriorityLevelConfigurationSpec;
import io.kubernetes.client.openapi.models.V1ResourcePolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1RoleRef;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1TokenRequestSpec;
import io.sparkk8s.ApiRetryPolicy;
import io.sparkk8s.ClientDiagnostics;
import io.sparkk8s.OnConflict;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throttling and server faults on the real API server (issue 8, part 3): submits retry with
 * backoff and jitter within the policy's bounds, and a retried create never makes a second driver.
 */
@RealCluster
class ThrottlingE2E {
  static final Duration MAX_ELAPSED = Duration.ofSeconds(60);

  /**
   * The API server's own API Priority and Fairness throttles a dedicated ServiceAccount: its
   * priority level has the smallest share (a few seats) and rejects (429) instead of queueing.
   * Forty submits from twenty threads all end with exactly one driver each.
   */
  @Test
  void submitsThrottledByTheApiServerRetryAndEachMakesOneDriver(ClusterConnection cluster,
      TestNamespace ns, @TempDir Path dir) throws Exception {
    ApiClient admin = cluster.client();
    CoreV1Api core = new CoreV1Api(admin);
    FaultKit.requireKwok(core);
    FlowcontrolApiserverV1Api apf = new FlowcontrolApiserverV1Api(admin);
    String level = "sparkk8s-" + ns.name();
    int jobs = 40;
    try (SparkKubernetes setup = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(),
        Optional.empty())) {
      setup.ensureDriverServiceAccount(ns.name(), "spark");
    }
    Path kubeconfig = submitterKubeconfig(cluster, ns, dir);
    try {
      apf.createPriorityLevelConfiguration(new V1PriorityLevelConfiguration()
          .metadata(new V1ObjectMeta().name(level))
          .spec(new V1PriorityLevelConfigurationSpec().type("Limited")
              .limited(new V1LimitedPriorityLevelConfiguration().nominalConcurrencyShares(1)
                  .lendablePercent(0).borrowingLimitPercent(0)
                  .limitResponse(new V1LimitResponse().type("Reject"))))).execute();
      apf.createFlowSchema(new V1FlowSchema().metadata(new V1ObjectMeta().name(level))
          .spec(new V1FlowSchemaSpec().matchingPrecedence(300)
              .priorityLevelConfiguration(new V1PriorityLevelConfigurationReference().name(level))
              .addRulesItem(new V1PolicyRulesWithSubjects()
                  .addSubjectsItem(new FlowcontrolV1Subject().kind("ServiceAccount")
                      .serviceAccount(new io.kubernetes.client.openapi.models.V1ServiceAccountSubject()
                          .name("submitter").namespace(ns.name())))
                  .addResourceRulesItem(new V1ResourcePolicyRule().verbs(List.of("*"))
                      .apiGroups(List.of("*")).resources(List.of("*"))
                      .namespaces(List.of("*")).clusterScope(true))))).execute();
      await("the API server to apply flow schema " + level).atMost(Duration.ofSeconds(30))
          .until(() -> metric(admin, "apiserver_flowcontrol_nominal_limit_seats", level) > 0);
      double seats = metric(admin, "apiserver_flowcontrol_nominal_limit_seats", level);
      double rejectedBefore = metric(admin, "apiserver_flowcontrol_rejected_requests_total", level);

      ApiRetryPolicy policy = ApiRetryPolicy.defaults().withMaxElapsed(MAX_ELAPSED);
      List<Long> millis = new ArrayList<>();
      List<SparkJobHandle> handles = new ArrayList<>();
      ClientDiagnostics.ApiCalls stats;
      long start = System.nanoTime();
      try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(kubeconfig, Optional.empty(),
          Duration.ofMinutes(1), policy)) {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
          List<Future<SparkJobHandle>> futures = new ArrayList<>();
          for (int i = 0; i < jobs; i++) {
            String name = "throttled-" + i;
            futures.add(pool.submit(() -> {
              long t = System.nanoTime();
              SparkJobHandle h = spark.submit(FaultKit.kwokJob(ns, name));
              synchronized (millis) {
                millis.add((System.nanoTime() - t) / 1_000_000);
              }
              return h;
            }));
          }
          for (Future<SparkJobHandle> f : futures) {
            handles.add(f.get());
          }
        } finally {
          pool.shutdownNow();
        }
        stats = spark.diagnostics().apiCalls();
      }
      long total = (System.nanoTime() - start) / 1_000_000;
      double rejected = metric(admin, "apiserver_flowcontrol_rejected_requests_total", level)
          - rejectedBefore;
      long slowest = millis.stream().mapToLong(Long::longValue).max().orElse(0);

      Map<String, Long> drivers = core.listNamespacedPod(ns.name()).labelSelector("spark-role=driver")
          .execute().getItems().stream()
          .collect(Collectors.groupingBy(p -> p.getMetadata().getName(), Collectors.counting()));
      System.out.printf("[faults] throttling: injected API Priority and Fairness level %s (%.0f "
          + "seats, Reject); %d submits from 20 threads in %d ms; server rejected %.0f requests "
          + "(429); SDK retries %s; slowest submit %d ms; drivers %d%n", level, seats, jobs, total,
          rejected, stats, slowest, drivers.size());

      assertThat(handles).hasSize(jobs);
      assertThat(rejected).as("429s the API server sent").isPositive();
      assertThat(stats.throttled()).as("429s the SDK retried").isPositive();
      assertThat(stats.exhausted()).as("calls that ran out of retries").isZero();
      assertThat(slowest).as("every submit within the policy's bound")
          .isLessThan(MAX_ELAPSED.toMillis() + 15_000);
      assertThat(drivers).as("one driver per submit").hasSize(jobs)
          .allSatisfy((name, count) -> assertThat(count).isEqualTo(1));
      assertThat(handles.stream().map(SparkJobHandle::name).collect(Collectors.toSet()))
          .isEqualTo(drivers.keySet());
    } finally {
      ignore(() -> apf.deleteFlowSchema(level).execute());
      ignore(() -> apf.deletePriorityLevelConfiguration(level).execute());
      FaultKit.forceDeletePods(core, ns.name());
    }
  }

  /**
   * A proxy lets creates reach the API server and swallows their answers: the SDK's retry finds
   * the driver (or Service, ConfigMap) its lost attempt made, takes it, and makes no second one.
   */
  @Test
  void aCreateWhoseAnswerIsLostIsNotMadeTwice(ClusterConnection cluster, TestNamespace ns,
      @TempDir Path dir) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    FaultKit.requireKwok(core);
    int jobs = 8;
    int lose = 6;
    try (FaultProxy proxy = FaultKit.proxyTo(cluster);
        SparkKubernetes spark = SparkKubernetes.fromKubeconfig(
            FaultKit.kubeconfigVia(cluster, proxy, dir), Optional.empty())) {
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      proxy.loseAnswersToCreates(lose);
      List<SparkJobHandle> handles = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < jobs; i++) {
        // FAIL, not ATTACH: the retry itself must recognise its own driver.
        handles.add(spark.submit(FaultKit.kwokJob(ns, "lost-answer-" + i), OnConflict.FAIL));
      }
      long total = (System.nanoTime() - start) / 1_000_000;
      ClientDiagnostics.ApiCalls stats = spark.diagnostics().apiCalls();
      List<V1Pod> drivers = core.listNamespacedPod(ns.name()).labelSelector("spark-role=driver")
          .execute().getItems();
      int services = core.listNamespacedService(ns.name()).execute().getItems().size();
      int configMaps = (int) core.listNamespacedConfigMap(ns.name()).execute().getItems().stream()
          .filter(c -> c.getMetadata().getOwnerReferences() != null).count();
      System.out.printf("[faults] lost answers: proxy swallowed %s answers to creates; %d submits "
          + "in %d ms; SDK retries %s; drivers %d, services %d, owned configmaps %d%n",
          proxy.stats(), jobs, total, stats, drivers.size(), services, configMaps);

      assertThat(proxy.stats().lostAnswers()).as("answers swallowed").isEqualTo(lose);
      assertThat(stats.adopted()).as("creates found applied after a lost answer")
          .isEqualTo(lose);
      assertThat(drivers).hasSize(jobs);
      assertThat(drivers.stream().map(p -> p.getMetadata().getName()).distinct()).hasSize(jobs);
      assertThat(handles).extracting(SparkJobHandle::appId).doesNotHaveDuplicates();
      Map<String, String> appOfDriver = drivers.stream().collect(Collectors.toMap(
          p -> p.getMetadata().getName(), p -> p.getMetadata().getLabels().get("spark-app-selector")));
      assertThat(handles).allSatisfy(h -> assertThat(appOfDriver.get(h.name())).isEqualTo(h.appId()));
      assertThat(services).as("one driver Service per job").isEqualTo(jobs);
    } finally {
      FaultKit.forceDeletePods(core, ns.name());
    }
  }

  /** A ServiceAccount "submitter" allowed what a submit does, and a kubeconfig with its token. */
  private static Path submitterKubeconfig(ClusterConnection cluster, TestNamespace ns, Path dir)
      throws Exception {
    ApiClient admin = cluster.client();
    CoreV1Api core = new CoreV1Api(admin);
    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(admin);
    core.createNamespacedServiceAccount(ns.name(), new V1ServiceAccount()
        .metadata(new V1ObjectMeta().name("submitter"))).execute();
    rbac.createNamespacedRole(ns.name(), new V1Role().metadata(new V1ObjectMeta().name("submitter"))
        .rules(List.of(
            new V1PolicyRule().apiGroups(List.of("")).resources(List.of("pods"))
                .verbs(List.of("create", "get", "list", "watch", "delete")),
            new V1PolicyRule().apiGroups(List.of("")).resources(List.of("services", "configmaps"))
                .verbs(List.of("create", "get", "list", "delete")),
            new V1PolicyRule().apiGroups(List.of("")).resources(List.of("events"))
                .verbs(List.of("list"))))).execute();
    rbac.createNamespacedRoleBinding(ns.name(), new V1RoleBinding()
        .metadata(new V1ObjectMeta().name("submitter"))
        .roleRef(new V1RoleRef().apiGroup("rbac.authorization.k8s.io").kind("Role").name("submitter"))
        .subjects(List.of(new RbacV1Subject().kind("ServiceAccount").name("submitter")
            .namespace(ns.name())))).execute();
    String token = core.createNamespacedServiceAccountToken("submitter", ns.name(),
            new AuthenticationV1TokenRequest().spec(new V1TokenRequestSpec().expirationSeconds(3600L)
                .audiences(List.of())))
        .execute().getStatus().getToken();
    String adminConfig = Files.readString(cluster.kubeconfig(), StandardCharsets.UTF_8);
    Matcher ca = Pattern.compile("certificate-authority-data: (\\S+)").matcher(adminConfig);
    if (!ca.find()) {
      throw new IllegalStateException("no certificate-authority-data in " + cluster.kubeconfig());
    }
    Path out = dir.resolve("submitter.kubeconfig");
    Files.writeString(out, String.join("\n",
        "apiVersion: v1", "kind: Config",
        "clusters:", "- name: c", "  cluster:", "    server: " + cluster.apiServer(),
        "    certificate-authority-data: " + ca.group(1),
        "users:", "- name: submitter", "  user:", "    token: " + token,
        "contexts:", "- name: c", "  context: {cluster: c, user: submitter}",
        "current-context: c", ""));
    return out;
  }

  /** The sum of a metric's samples whose labels name {@code level}. */
  static double metric(ApiClient admin, String name, String level) throws ApiException {
    var call = admin.buildCall(admin.getBasePath(), "/metrics", "GET", new ArrayList<>(),
        new ArrayList<>(), null, new java.util.HashMap<>(Map.of("Accept", "text/plain")),
        new java.util.HashMap<>(), new java.util.HashMap<>(), new String[] {"BearerToken"}, null);
    String text;
    try (var response = call.execute()) {
      text = response.body().string();
    } catch (java.io.IOException e) {
      throw new ApiException(e);
    }
    Function<String, Double> value = line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    return text.lines().filter(l -> l.startsWith(name + "{") && l.contains("\"" + level + "\""))
        .mapToDouble(value::apply).sum();
  }

  private interface ApiCall {
    Object run() throws ApiException;
  }

  private static void ignore(ApiCall call) {
    try {
      call.run();
    } catch (ApiException e) {
      System.err.println("[faults] cleanup failed: HTTP " + e.getCode() + " " + e.getResponseBody());
    }
  }
}
