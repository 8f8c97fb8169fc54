package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1Service;
import io.sparkk8s.spec.DynamicAllocation;
import io.sparkk8s.spec.Exposure;
import io.sparkk8s.spec.HistoryServer;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.NfsStorage;
import io.sparkk8s.storage.S3Storage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformCompilerTest {
  static final EventLog LOGS = EventLog.to(NfsStorage.claim("shared")).withDirectory("events");

  static SparkPlatform platform() {
    return SparkPlatform.builder().name("team").namespace("data")
        .addNotebook(NotebookEnvironment.jupyter("lab").withEventLog(LOGS)
            .withDynamicAllocation(DynamicAllocation.between(0, 4)))
        .historyServer(HistoryServer.reading(LOGS).withCleanerMaxAge(Duration.ofDays(7)))
        .build();
  }

  static <T> T find(List<KubernetesObject> objects, Class<T> type, String name) {
    return objects.stream().filter(type::isInstance).map(type::cast)
        .filter(o -> ((KubernetesObject) o).getMetadata().getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  @Test
  void everyObjectCarriesTheReleaseLabels() {
    var out = PlatformCompiler.compile(platform());

    assertThat(out.applied()).hasSize(13);
    assertThat(out.createdOnce()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactly("Secret/team-lab-token", "Secret/team-lab-spark-auth",
            "PersistentVolumeClaim/team-lab-notebooks");
    for (KubernetesObject o : out.applied()) {
      assertThat(o.getMetadata().getLabels()).as(o.getKind() + " " + o.getMetadata().getName())
          .containsEntry("app.kubernetes.io/instance", "team")
          .containsEntry("app.kubernetes.io/part-of", "sparkk8s-platform")
          .containsEntry("app.kubernetes.io/managed-by", "sparkk8s")
          .containsKeys("app.kubernetes.io/name", "app.kubernetes.io/component",
              "app.kubernetes.io/version");
      assertThat(o.getMetadata().getNamespace()).isEqualTo("data");
    }
  }

  @Test
  void theNotebookIsPrivateAuthenticatedAndRestricted() {
    var out = PlatformCompiler.compile(platform());
    V1Service svc = find(out.applied(), V1Service.class, "team-lab");
    V1Deployment dep = find(out.applied(), V1Deployment.class, "team-lab");
    V1Container c = dep.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(dep.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(c.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("JUPYTER_TOKEN");
      assertThat(e.getValue()).isNull();
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("team-lab-token");
    });
    assertThat(c.getCommand()).noneMatch(a -> a.contains("token"));
    var pod = dep.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getEnableServiceLinks()).isFalse();
    assertThat(find(out.applied(), V1Role.class, "team-lab-spark").getRules())
        .isEqualTo(DriverRules.rules());
  }

  @Test
  void aNotebooksExecutorsMayOptIntoTheToken() {
    var p = SparkPlatform.builder().name("team").namespace("data")
        .addNotebook(NotebookEnvironment.jupyter("lab").withEventLog(LOGS).withExecutor(
            io.sparkk8s.spec.Executor.builder().mountServiceAccountToken(true).build()))
        .build();
    String template = find(PlatformCompiler.compile(p).applied(), V1ConfigMap.class,
        "team-lab-spark-conf").getData().get("executor-template.yaml");
    assertThat(template).doesNotContain("automountServiceAccountToken")
        .doesNotContain("serviceAccount");
  }

  @Test
  void theInPodDriverNeedsNoConfiguration() {
    var out = PlatformCompiler.compile(platform());
    String conf = find(out.applied(), V1ConfigMap.class, "team-lab-spark-conf").getData()
        .get("spark-defaults.conf");
    String template = find(out.applied(), V1ConfigMap.class, "team-lab-spark-conf").getData()
        .get("executor-template.yaml");

    assertThat(conf).contains("spark.master=k8s\\://https\\://kubernetes.default.svc")
        .contains("spark.submit.deployMode=client")
        .contains("spark.driver.host=team-lab-driver.data.svc")
        .contains("spark.dynamicAllocation.enabled=true")
        .contains("spark.dynamicAllocation.shuffleTracking.enabled=true")
        .contains("spark.eventLog.dir=file\\:///mnt/sparkk8s/nfs/events")
        .contains("spark.kubernetes.executor.volumes.persistentVolumeClaim.sparkk8s-nfs.options.claimName=shared")
        .contains("spark.kubernetes.executor.podTemplateFile=/etc/sparkk8s/spark/executor-template.yaml");
    assertThat(template).contains("runAsNonRoot: true").contains("RuntimeDefault")
        .contains("enableServiceLinks: false").contains("automountServiceAccountToken: false")
        .contains("serviceAccountName: default");
    V1Service headless = find(out.applied(), V1Service.class, "team-lab-driver");
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPorts()).extracting(p -> p.getPort()).contains(7078, 7079);
  }

  @Test
  void theHistoryServerReadsTheLogsAndCreatesAMissingDirectory() {
    var out = PlatformCompiler.compile(platform());
    String conf = find(out.applied(), V1ConfigMap.class, "team-history-conf").getData()
        .get("spark-defaults.conf");
    V1Deployment dep = find(out.applied(), V1Deployment.class, "team-history");
    var pod = dep.getSpec().getTemplate().getSpec();

    assertThat(conf).contains("spark.history.fs.logDirectory=file\\:///mnt/sparkk8s/nfs/events")
        .contains("spark.history.fs.cleaner.enabled=true")
        .contains("spark.history.fs.cleaner.maxAge=10080min");
    assertThat(pod.getContainers().get(0).getReadinessProbe().getHttpGet().getPath())
        .isEqualTo("/api/v1/applications");
    assertThat(pod.getInitContainers()).singleElement()
        .satisfies(i -> assertThat(i.getCommand()).containsExactly("mkdir", "-p", "/mnt/sparkk8s/nfs/events"));
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void objectStoreCredentialsReachTheNotebookOnlyAsSecretReferences() {
    SparkPlatform p = SparkPlatform.builder().name("team").namespace("data")
        .addNotebook(NotebookEnvironment.jupyter("lab")
            .withEventLog(EventLog.to(S3Storage.of("logs").withCredentialsSecret("s3-creds")))
            .withExposure(Exposure.LOAD_BALANCER))
        .historyServer(HistoryServer.reading(EventLog.to(GcsStorage.of("team-logs")
            .withKeySecret("gcs-key", "key.json")), "registry.example.com/spark-gcs:4.1.1"))
        .build();
    var out = PlatformCompiler.compile(p);
    V1Container nb = find(out.applied(), V1Deployment.class, "team-lab").getSpec().getTemplate()
        .getSpec().getContainers().get(0);
    String conf = find(out.applied(), V1ConfigMap.class, "team-lab-spark-conf").getData()
        .get("spark-defaults.conf");
    var history = find(out.applied(), V1Deployment.class, "team-history").getSpec().getTemplate().getSpec();

    assertThat(nb.getEnv()).filteredOn(e -> e.getName().startsWith("AWS_"))
        .allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3-creds"));
    assertThat(conf).contains("spark.kubernetes.executor.secretKeyRef.AWS_ACCESS_KEY_ID=s3-creds\\:access-key");
    assertThat(find(out.applied(), V1Service.class, "team-lab").getSpec().getType())
        .isEqualTo("LoadBalancer");
    assertThat(history.getVolumes()).anySatisfy(v ->
        assertThat(v.getSecret()).isNotNull().satisfies(s -> assertThat(s.getSecretName()).isEqualTo("gcs-key")));
    assertThat(history.getInitContainers()).isNullOrEmpty();
  }

  @Test
  void theSameDescriptionGivesTheSameObjects() {
    assertThat(Manifests.yaml(PlatformCompiler.compile(platform()).applied()))
        .isEqualTo(Manifests.yaml(PlatformCompiler.compile(platform()).applied()));
  }
}
