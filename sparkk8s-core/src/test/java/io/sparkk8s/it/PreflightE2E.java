package io.sparkk8s.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.SchedulingV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PriorityClass;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1ResourceQuotaSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.sparkk8s.PreflightReport;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.ImagePullPolicy;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.storage.SecretEnv;
import io.sparkk8s.storage.Volume;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code preflight(job)} on the real API server: a job whose service account, Secret key, claim,
 * priority class and image are missing gets every problem in one report, and nothing is created;
 * once they exist the report is clean, and a ResourceQuota without room for the driver is named.
 */
@RealCluster
class PreflightE2E {

  @Test
  void everyMissingReferenceIsReportedAtOnceAndNothingIsCreated(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    CoreV1Api core = new CoreV1Api(cluster.client());
    String priority = "preflight-" + ns.name().substring(ns.name().length() - 5);
    SparkJob job = SparkJob.builder().name("etl").namespace(ns.name()).serviceAccount("etl-runner")
        .application(Application.jvm("org.apache.spark.examples.SparkPi",
            "local:///opt/spark/examples/jars/spark-examples.jar"))
        .addSecretEnv(SecretEnv.of("DB_PASSWORD", "db-creds", "password"))
        .addVolume(Volume.persistentVolumeClaim("data", "shared-data", "/data"))
        .priorityClassName(priority)
        .image("registry.example.com/never-loaded/spark:1").imagePullPolicy(ImagePullPolicy.NEVER)
        .build();
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(cluster.kubeconfig(),
        Optional.empty())) {
      long start = System.nanoTime();
      PreflightReport report = spark.preflight(job);
      long took = (System.nanoTime() - start) / 1_000_000;
      System.out.println("[E2E] " + report + "\n[E2E] preflight took " + took + " ms");
      assertThat(report.ok()).isFalse();
      assertThat(report.unchecked()).isEmpty();
      assertThat(report.problems()).extracting(p -> p.kind() + " " + p.name())
          .containsExactlyInAnyOrder("ServiceAccount etl-runner", "Secret db-creds",
              "PersistentVolumeClaim shared-data", "PriorityClass " + priority,
              "Image registry.example.com/never-loaded/spark:1");
      assertThat(report.problems()).filteredOn(p -> p.kind().equals("Secret")).singleElement()
          .satisfies(p -> assertThat(p.usedBy()).contains("env DB_PASSWORD of the driver"));
      assertThat(core.listNamespacedPod(ns.name()).execute().getItems()).as("nothing created")
          .isEmpty();
      assertThat(core.listNamespacedConfigMap(ns.name()).execute().getItems())
          .allMatch(cm -> cm.getMetadata().getName().equals("kube-root-ca.crt"));

      // The account and priority class exist now; the Secret lacks the key, the claim is still
      // missing and a quota has no room for the driver: all three in one report.
      core.createNamespacedServiceAccount(ns.name(), new V1ServiceAccount()
          .metadata(new V1ObjectMeta().name("etl-runner"))).execute();
      core.createNamespacedSecret(ns.name(), new V1Secret().metadata(new V1ObjectMeta()
          .name("db-creds")).putDataItem("user", "etl".getBytes(StandardCharsets.UTF_8))).execute();
      SchedulingV1Api scheduling = new SchedulingV1Api(cluster.client());
      scheduling.createPriorityClass(new V1PriorityClass().metadata(new V1ObjectMeta()
          .name(priority)).value(10)).execute();
      try {
        core.createNamespacedResourceQuota(ns.name(), new V1ResourceQuota()
            .metadata(new V1ObjectMeta().name("tight"))
            .spec(new V1ResourceQuotaSpec().hard(Map.of("pods", new Quantity("0"),
                "requests.memory", new Quantity("1Gi"))))).execute();
        Awaitility.await("the quota's status").atMost(Duration.ofSeconds(60))
            .until(() -> {
              var status = core.readNamespacedResourceQuota("tight", ns.name()).execute().getStatus();
              return status != null && status.getHard() != null && status.getUsed() != null;
            });
        SparkJob pulled = SparkJob.builder().from(job).image("apache/spark:4.1.1")
            .imagePullPolicy(ImagePullPolicy.IF_NOT_PRESENT).build();
        PreflightReport second = spark.preflight(pulled);
        System.out.println("[E2E] " + second);
        assertThat(second.problems()).extracting(p -> p.kind() + " " + p.name() + ": " + p.problem())
            .containsExactlyInAnyOrder(
                "Secret db-creds: has no key 'password' (keys: user)",
                "PersistentVolumeClaim shared-data: does not exist in namespace " + ns.name()
                    + "; create it before submitting",
                "ResourceQuota tight: pods: 0 of 0 used, and the driver asks for 1 more; free some"
                    + " or raise the quota",
                "ResourceQuota tight: requests.memory: 0 of 1Gi used, and the driver asks for"
                    + " 1408Mi more; free some or raise the quota");

        // A claim whose storage class does not exist would stay Pending: named too.
        core.createNamespacedPersistentVolumeClaim(ns.name(), new V1PersistentVolumeClaim()
            .metadata(new V1ObjectMeta().name("shared-data"))
            .spec(new V1PersistentVolumeClaimSpec().accessModes(List.of("ReadWriteMany"))
                .storageClassName("no-such-class")
                .resources(new V1VolumeResourceRequirements()
                    .putRequestsItem("storage", new Quantity("1Gi"))))).execute();
        core.deleteNamespacedResourceQuota("tight", ns.name()).execute();
        PreflightReport third = spark.preflight(pulled);
        System.out.println("[E2E] " + third);
        assertThat(third.problems()).extracting(p -> p.kind() + " " + p.name() + ": " + p.problem())
            .containsExactlyInAnyOrder(
                "Secret db-creds: has no key 'password' (keys: user)",
                "PersistentVolumeClaim shared-data: is Pending and its storage class no-such-class"
                    + " does not exist");
        // An image with pull policy Never that the node has is fine.
        SparkJob fixed = SparkJob.builder().from(job).image("apache/spark:4.1.1")
            .secretEnv(List.of()).volumes(List.of()).build();
        assertThat(fixed.imagePullPolicy()).contains(ImagePullPolicy.NEVER);
        PreflightReport clean = spark.preflight(fixed);
        System.out.println("[E2E] " + clean);
        assertThat(clean.ok()).isTrue();
      } finally {
        scheduling.deletePriorityClass(priority).execute();
      }
    }
  }
}
