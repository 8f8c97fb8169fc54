package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.SchedulingV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PriorityClass;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.util.Yaml;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.CreateOptions;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.internal.compile.Manifests;
import io.sparkk8s.spec.HostileJobs;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bad-input property against the real API server: for at least 2,000 random descriptions
 * (plausible and hostile values in every attribute, {@link HostileJobs}), {@code build()} and
 * {@code SparkCompiler.compile} either throw {@link InvalidDescriptionException} naming the
 * attribute, or give objects that the API server accepts in a server-side dry run
 * ({@code dryRun=All}: validation and admission, Pod Security included, nothing stored) in a
 * namespace that enforces the {@code restricted} Pod Security level. Never another exception,
 * never an object the server rejects.
 *
 * <p>The executor pod template is dry-run as a pod too (with the image set, as Spark does), so the
 * executors' hardening is checked as well. Descriptions that turn {@code restrictedSecurityContext}
 * off are dry-run in a second namespace without Pod Security enforcement: that is their contract.
 * Reproduce a run with {@code -Dsparkk8s.fuzz.seed=<seed>}; {@code -Dsparkk8s.fuzz.cases=<n>}
 * changes the number of cases.
 */
@RealCluster
@Tag("api-server")
class CompileFuzzE2E {
  static final int CASES = Integer.getInteger("sparkk8s.fuzz.cases", 2000);
  static final String PRIORITY_CLASS = "sparkk8s-fuzz";

  /** One case that broke the property. */
  record Bug(HostileJobs.Recipe recipe, String what) {}

  @Test
  void rejectedAtBuildOrAcceptedByTheServer(
      ClusterConnection cluster, TestNamespace ns) throws Exception {
    long seed = Long.getLong("sparkk8s.fuzz.seed", new Random().nextLong());
    CoreV1Api core = new CoreV1Api(cluster.client());
    String restricted = ns.name();
    String open = "fuzz-open-" + ns.name().substring(ns.name().length() - 5);
    V1Namespace n = core.readNamespace(restricted).execute();
    n.getMetadata().putLabelsItem("pod-security.kubernetes.io/enforce", "restricted")
        .putLabelsItem("pod-security.kubernetes.io/enforce-version", "latest");
    core.replaceNamespace(restricted, n).execute();
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(open))).execute();
    ApiServerCluster.makeDefaultServiceAccount(core, open);
    SchedulingV1Api scheduling = new SchedulingV1Api(cluster.client());
    String priorityClass = PRIORITY_CLASS + "-" + open;
    scheduling.createPriorityClass(new V1PriorityClass().metadata(new V1ObjectMeta().name(priorityClass))
        .value(100)).execute();
    try {
      for (String namespace : List.of(restricted, open)) {
        core.createNamespacedServiceAccount(namespace, new V1ServiceAccount()
            .metadata(new V1ObjectMeta().name("spark"))).execute();
        // The ServiceAccount admission plugin rejects pods until the namespace's "default" exists.
        await("default ServiceAccount in " + namespace).atMost(Duration.ofMinutes(1))
            .until(() -> core.listNamespacedServiceAccount(namespace).execute().getItems().stream()
                .anyMatch(sa -> sa.getMetadata().getName().equals("default")));
      }
      run(core, seed, new HostileJobs.Cluster(restricted, List.of("spark", "default"),
          List.of(priorityClass)), open);
    } finally {
      core.deleteNamespace(open).execute();
      scheduling.deletePriorityClass(priorityClass).execute();
    }
  }

  private void run(CoreV1Api core, long seed, HostileJobs.Cluster target, String open)
      throws Exception {
    long start = System.nanoTime();
    List<HostileJobs.Recipe> recipes = new ArrayList<>();
    // Arbitraries outside a jqwik property need a session (generation runs on this thread only).
    JqwikSession.start();
    try {
      RandomGenerator<HostileJobs.Recipe> generator = HostileJobs.recipes(target).generator(1000);
      Random random = new Random(seed);
      for (int i = 0; i < CASES; i++) {
        recipes.add(generator.next(random).value());
      }
    } finally {
      JqwikSession.finish();
    }
    long generated = System.nanoTime();

    LongAdder accepted = new LongAdder();
    LongAdder rejected = new LongAdder();
    LongAdder objects = new LongAdder();
    AtomicInteger unrestricted = new AtomicInteger();
    Map<String, LongAdder> byRule = new ConcurrentHashMap<>();
    List<Bug> bugs = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (HostileJobs.Recipe recipe : recipes) {
        done.add(pool.submit(() -> {
          SparkJob job;
          try {
            job = recipe.build();
          } catch (InvalidDescriptionException e) {
            rejected.increment();
            if (e.problems().isEmpty() || e.problems().stream().anyMatch(p -> p.attribute().isBlank()
                || p.rule().isBlank())) {
              bugs.add(new Bug(recipe, "problems without an attribute or rule: " + e.getMessage()));
            }
            e.problems().stream().map(p -> p.attribute().replaceAll("\\[[^]]*]", "[]")).distinct()
                .forEach(a -> byRule.computeIfAbsent(a, k -> new LongAdder()).increment());
            return;
          } catch (RuntimeException e) {
            bugs.add(new Bug(recipe, "build() threw " + e));
            return;
          }
          if (!job.restrictedSecurityContext()) {
            job = job.withNamespace(open);
            unrestricted.incrementAndGet();
          }
          CompiledJob compiled;
          try {
            compiled = SparkCompiler.compile(job);
            compiled.toYaml();
          } catch (RuntimeException e) {
            bugs.add(new Bug(recipe, "compile threw " + e));
            return;
          }
          for (KubernetesObject o : dryRunObjects(compiled, job)) {
            String rejection = dryRun(core.getApiClient(), job.namespace(), o);
            objects.increment();
            if (rejection != null) {
              bugs.add(new Bug(recipe, "the API server rejected " + o.getKind() + " "
                  + o.getMetadata().getName() + ": " + rejection));
              return;
            }
          }
          accepted.increment();
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    long end = System.nanoTime();

    StringBuilder summary = new StringBuilder()
        .append(String.format("[E2E] bad input: seed %d, %d cases (generated in %d ms, checked in %d s):"
                + " %d accepted by the API server in dry runs (%d objects; %d without the restricted"
                + " context, in a namespace without Pod Security), %d rejected by build(), %d broke"
                + " the property%n", seed, CASES, (generated - start) / 1_000_000,
            (end - generated) / 1_000_000_000, accepted.sum(), objects.sum(), unrestricted.get(),
            rejected.sum(), bugs.size()))
        .append("[E2E] descriptions rejected by build(), by attribute:\n");
    new TreeMap<>(byRule).entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
        .forEach(e -> summary.append(String.format("    %-42s %5d%n", e.getKey(), e.getValue().sum())));
    System.out.print(summary);
    bugs.stream().limit(5).forEach(b -> System.out.println("[E2E] BUG " + b.what() + "\n" + b.recipe()));

    assertThat(bugs).as("cases that broke the property (first printed above)").isEmpty();
    assertThat(accepted.sum() + rejected.sum()).isEqualTo(CASES);
    // A generator that degenerated into rejecting (or accepting) everything would prove nothing.
    // Measured over ten seeds of 2,000 cases: 20-23% accepted (one standard deviation is about 18
    // cases), so the floors sit more than ten deviations below what a healthy generator gives and
    // a random seed cannot cross them; a floor at the mean (CASES / 5, as before) failed every
    // other run once build() refused more.
    assertThat(accepted.sum()).as("accepted cases").isGreaterThanOrEqualTo(CASES / 10);
    assertThat(rejected.sum()).as("rejected cases").isGreaterThanOrEqualTo(CASES / 2);
  }

  /**
   * What the client creates (driver pod, Service, ConfigMaps, claims) and an executor pod as the
   * driver would build it from the template the SDK ships.
   */
  static List<KubernetesObject> dryRunObjects(CompiledJob compiled, SparkJob job) {
    List<KubernetesObject> out = new ArrayList<>(compiled.objects());
    // A Volcano PodGroup's API is Volcano's CRD, served only where Volcano is installed;
    // GangSchedulingE2E creates one on the real API server.
    out.removeIf(o -> o.getKind().equals("PodGroup"));
    for (KubernetesObject o : compiled.ownedResources()) {
      if (o instanceof V1ConfigMap cm && cm.getData() != null
          && cm.getData().containsKey("podspec-configmap-key")) {
        V1Pod executor = Yaml.loadAs(cm.getData().get("podspec-configmap-key"), V1Pod.class);
        executor.metadata(new V1ObjectMeta().name(compiled.resourcePrefix() + "-exec-1")
            .namespace(job.namespace()).putLabelsItem("spark-app-selector", compiled.appId())
            .putLabelsItem("spark-role", "executor"));
        executor.getSpec().setRestartPolicy("Never");
        executor.getSpec().getContainers().get(0).image(job.containerImage());
        out.add(executor);
      }
    }
    return out;
  }

  /**
   * Null when the server accepts {@code o} in a dry run, else its answer. Sent as the client sends
   * it: pruned JSON through the dynamic API ({@code KubeSparkClient.create}).
   */
  static String dryRun(ApiClient client, String namespace, KubernetesObject o) {
    String plural = switch (o.getKind()) {
      case "Pod" -> "pods";
      case "Service" -> "services";
      case "ConfigMap" -> "configmaps";
      case "PersistentVolumeClaim" -> "persistentvolumeclaims";
      default -> throw new IllegalArgumentException("no dry run for " + o.getKind());
    };
    CreateOptions dryRun = new CreateOptions();
    dryRun.setDryRun("All");
    DynamicKubernetesApi api = new DynamicKubernetesApi("", "v1", plural, client);
    AtomicReference<String> answer = new AtomicReference<>();
    // An unreachable or overloaded server (429, 5xx, refused connection) is not an answer: ask
    // again until it answers (the API server may be restarted by another test meanwhile).
    await("dry run of " + o.getKind() + " " + o.getMetadata().getName())
        .atMost(Duration.ofMinutes(3)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
        .until(() -> {
          KubernetesApiResponse<DynamicKubernetesObject> response;
          try {
            response = api.create(namespace, new DynamicKubernetesObject(Manifests.pruned(o)), dryRun);
          } catch (RuntimeException unreachable) {
            return false;
          }
          int code = response.getHttpStatusCode();
          if (response.isSuccess()) {
            return true;
          }
          if (code == 0 || code == 429 || code >= 500) {
            return false;
          }
          answer.set("HTTP " + code + " "
              + (response.getStatus() == null ? "" : response.getStatus().getMessage()));
          return true;
        });
    return answer.get();
  }
}
