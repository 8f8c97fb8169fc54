package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AdmissionregistrationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1WebhookClientConfig;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1RuleWithOperations;
import io.kubernetes.client.openapi.models.V1ValidatingWebhook;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfiguration;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Retention;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One namespace's slow API calls do not hold up another's timers (issue 17). In namespace
 * {@code slow}, every pod deletion is refused with HTTP 500 by a validating webhook that cannot be
 * reached (failurePolicy Fail), so the retention of an ended job there retries for a minute
 * ({@code ApiRetryPolicy.defaults()}). Meanwhile a job in the test's namespace must end on its
 * start timeout on time: on the client's single timer thread of 0.1 it waited for that minute.
 */
@RealCluster
class SlowCallIsolationE2E {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(4);

  @Test
  void aRetentionRetryingForAMinuteDelaysNoOtherJobsStartTimeout(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    FaultKit.requireKwok(core);
    AdmissionregistrationV1Api admission = new AdmissionregistrationV1Api(cluster.client());
    TestNamespace slow = FaultKit.derivedNamespace(ns, "slow");
    String webhook = "sparkk8s-it-" + slow.name();
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(slow.name())
        .putLabelsItem("app.kubernetes.io/managed-by", "sparkk8s-it"))).execute();
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(),
        Optional.empty())) {
      spark.ensureDriverServiceAccount(slow.name(), "spark");
      spark.ensureDriverServiceAccount(ns.name(), "spark");
      admission.createValidatingWebhookConfiguration(refusePodDeletesIn(webhook, slow.name()))
          .execute();

      // The slow one: ends, and its retention's deletion is refused (500) again and again.
      SparkJobHandle ended = spark.submit(io.sparkk8s.spec.SparkJob.builder()
          .from(FaultKit.kwokJob(slow, "retained")).retention(Retention.deleteAfter(Duration.ZERO))
          .build());
      FaultKit.setDriver(core, slow.name(), ended.name(), 0);
      assertThat(ended.awaitCompletion(Duration.ofSeconds(60)).phase())
          .isEqualTo(JobPhase.SUCCEEDED);
      Thread.sleep(2_000); // the retention's first refused deletion and its backoff are under way

      // The other one: never runs (its status is the test's to write), ends on its start timeout.
      CompletableFuture<Long> failedAtNanos = new CompletableFuture<>();
      long submittedAt = System.nanoTime();
      SparkJobHandle waiting = spark.submit(io.sparkk8s.spec.SparkJob.builder()
          .from(FaultKit.kwokJob(ns, "waiting")).startTimeout(START_TIMEOUT).build());
      long dueAt = System.nanoTime() + START_TIMEOUT.toNanos();
      waiting.addListener((job, from, to) -> {
        if (to.phase() == JobPhase.FAILED) {
          failedAtNanos.complete(System.nanoTime());
        }
      });
      JobState end = waiting.awaitCompletion(START_TIMEOUT.plusSeconds(60));
      long lateMs = (failedAtNanos.get() - dueAt) / 1_000_000;
      boolean stillRetrying = !core.listNamespacedPod(slow.name())
          .labelSelector("spark-app-selector=" + ended.appId()).execute().getItems().isEmpty();
      System.out.printf("[slow-call] start timeout %s; the job failed %d ms after it was due "
          + "(submit took %d ms); the other namespace's retention still retrying: %s; %s%n",
          START_TIMEOUT, lateMs, (dueAt - submittedAt) / 1_000_000 - START_TIMEOUT.toMillis(),
          stillRetrying, end);
      assertThat(end.phase()).isEqualTo(JobPhase.FAILED);
      assertThat(end.reason()).isEqualTo("StartTimeout");
      assertThat(stillRetrying).as("the slow namespace's deletion was still being retried")
          .isTrue();
      assertThat(lateMs).as("ms the start timeout came late").isLessThan(1_000);
    } finally {
      try {
        admission.deleteValidatingWebhookConfiguration(webhook).execute();
      } catch (ApiException e) {
        System.err.println("[slow-call] could not delete webhook " + webhook + ": HTTP "
            + e.getCode());
      }
      FaultKit.forceDeletePods(core, slow.name());
      FaultKit.forceDeletePods(core, ns.name());
      core.deleteNamespace(slow.name()).execute();
    }
  }

  /** A webhook nobody serves, asked about every pod deletion in {@code namespace}: all fail. */
  private static V1ValidatingWebhookConfiguration refusePodDeletesIn(String name,
      String namespace) {
    return new V1ValidatingWebhookConfiguration()
        .metadata(new V1ObjectMeta().name(name)
            .putLabelsItem("app.kubernetes.io/managed-by", "sparkk8s-it"))
        .webhooks(List.of(new V1ValidatingWebhook()
            .name("refuse.sparkk8s.io")
            .clientConfig(new AdmissionregistrationV1WebhookClientConfig()
                .url("https://127.0.0.1:1/refuse"))
            .rules(List.of(new V1RuleWithOperations().operations(List.of("DELETE"))
                .apiGroups(List.of("")).apiVersions(List.of("v1")).resources(List.of("pods"))))
            .namespaceSelector(new V1LabelSelector().matchLabels(
                Map.of("kubernetes.io/metadata.name", namespace)))
            .failurePolicy("Fail")
            .sideEffects("None")
            .admissionReviewVersions(List.of("v1"))
            .timeoutSeconds(1)));
  }
}
