package io.sparkk8s.internal.compile;

import static io.sparkk8s.internal.compile.PlatformCompilerTest.find;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.sparkk8s.PlatformStatus;
import io.sparkk8s.spec.DynamicAllocation;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.spec.StorageExpansion;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.NfsStorage;
import io.sparkk8s.storage.S3Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A Zeppelin notebook's objects, and Jupyter's left exactly as they were. */
class ZeppelinCompileTest {
  static final EventLog LOGS = EventLog.to(NfsStorage.claim("shared")).withDirectory("events");

  static SparkPlatform platform() {
    return SparkPlatform.builder().name("team").namespace("data")
        .addNotebook(NotebookEnvironment.zeppelin("zep").withEventLog(LOGS)
            .withDynamicAllocation(DynamicAllocation.between(0, 4)))
        .build();
  }

  static V1PodSpec pod(PlatformCompiler.Output out) {
    return find(out.applied(), V1Deployment.class, "team-zep").getSpec().getTemplate().getSpec();
  }

  static V1Container zeppelin(PlatformCompiler.Output out) {
    return pod(out).getContainers().get(0);
  }

  static Map<String, String> env(V1Container c) {
    return c.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(V1EnvVar::getName, V1EnvVar::getValue));
  }

  @Test
  void zeppelinRunsTheOfficialImageOnSpark35WithItsInterpreterInThePod() {
    var out = PlatformCompiler.compile(platform());
    V1Container c = zeppelin(out);
    Map<String, String> env = env(c);

    assertThat(c.getImage()).isEqualTo("apache/zeppelin:0.12.0");
    assertThat(c.getCommand()).as("the image's own tini + bin/zeppelin.sh").isNullOrEmpty();
    assertThat(c.getArgs()).isNullOrEmpty();
    assertThat(env).containsEntry("ZEPPELIN_RUN_MODE", "local")
        .containsEntry("ZEPPELIN_PORT", "8080")
        .containsEntry("ZEPPELIN_NOTEBOOK_DIR", "/opt/zeppelin/notebook")
        .containsEntry("SPARK_HOME", "/opt/sparkk8s/spark-home")
        .containsEntry("SPARK_CONF_DIR", "/etc/sparkk8s/spark")
        .containsEntry("SPARK_MASTER", "k8s://https://kubernetes.default.svc")
        .containsEntry("SPARK_SUBMIT_OPTIONS", "--conf spark.kubernetes.driver.pod.name=$(POD_NAME)")
        // Zeppelin's interpreter default of 2 executors would beat dynamic allocation's 0.
        .containsEntry("ZEPPELIN_JAVA_OPTS", "-Dspark.executor.instances=0 -Dspark.executor.memory=1g");
    assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("POD_NAME")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name"));
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/api/version");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getIntValue()).isEqualTo(8080);
    assertThat(c.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath())
        .contains("notebooks:/opt/zeppelin/notebook", "spark-conf:/etc/sparkk8s/spark",
            "spark-home:/opt/sparkk8s/spark-home", "login:/opt/zeppelin/conf/shiro.ini");

    // Spark for the interpreter comes from the executors' image, so both run the same Spark.
    V1Container init = pod(out).getInitContainers().get(0);
    assertThat(init.getImage()).isEqualTo("apache/spark:3.5.6");
    assertThat(init.getCommand()).containsExactly("cp", "-R", "/opt/spark/.", "/opt/sparkk8s/spark-home/");
    assertThat(pod(out).getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("spark-home");
      assertThat(v.getEmptyDir()).isNotNull();
    });
  }

  @Test
  void theInterpreterGetsTheSameSparkDefaultsAsJupyter() {
    var out = PlatformCompiler.compile(platform());
    String conf = find(out.applied(), V1ConfigMap.class, "team-zep-spark-conf").getData()
        .get("spark-defaults.conf");

    assertThat(conf).contains("spark.master=k8s\\://https\\://kubernetes.default.svc")
        .contains("spark.submit.deployMode=client")
        .contains("spark.driver.host=team-zep-driver.data.svc")
        .contains("spark.kubernetes.container.image=apache/spark\\:3.5.6")
        .contains("spark.dynamicAllocation.enabled=true")
        .contains("spark.eventLog.dir=file\\:///mnt/sparkk8s/nfs/events");
    assertThat(find(out.applied(), V1Service.class, "team-zep-driver").getSpec().getClusterIP())
        .isEqualTo("None");
    assertThat(find(out.applied(), V1Role.class, "team-zep-spark").getRules())
        .isEqualTo(DriverRules.rules());
    assertThat(pod(out).getServiceAccountName()).isEqualTo("team-zep-spark");
  }

  @Test
  void theZeppelinServiceIsPrivateOnPort8080AndLabelled() {
    var out = PlatformCompiler.compile(platform());
    V1Service svc = find(out.applied(), V1Service.class, "team-zep");

    assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(svc.getSpec().getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
    for (KubernetesObject o : out.applied()) {
      assertThat(o.getMetadata().getLabels()).as(o.getKind() + " " + o.getMetadata().getName())
          .containsEntry("app.kubernetes.io/name", "zeppelin")
          .containsEntry("app.kubernetes.io/instance", "team")
          .containsEntry("app.kubernetes.io/component", "notebook")
          .containsEntry("app.kubernetes.io/version", "3.5.6")
          .containsEntry("sparkk8s.io/platform-component", "zep");
    }
    assertThat(PlatformCompiler.components(platform())).singleElement()
        .satisfies(c -> {
          assertThat(c.kind()).isEqualTo(PlatformStatus.Kind.ZEPPELIN);
          assertThat(c.kind().label()).isEqualTo("zeppelin");
          assertThat(c.port()).isEqualTo(8080);
        });
  }

  @Test
  void thePodMeetsTheRestrictedLevel() {
    V1PodSpec pod = pod(PlatformCompiler.compile(platform()));

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(1000L);
    assertThat(pod.getSecurityContext().getSupplementalGroups()).containsExactly(0L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getEnableServiceLinks()).isFalse();
    for (V1Container c : concat(pod.getInitContainers(), pod.getContainers())) {
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
      assertThat(c.getSecurityContext().getRunAsNonRoot()).as(c.getName()).isTrue();
    }
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
  }

  @Test
  void anExplicitOptOutDropsTheRestrictedSettingsButKeepsTheNonRootUser() {
    SparkPlatform p = SparkPlatform.builder().name("team")
        .addNotebook(NotebookEnvironment.zeppelin("zep").withRestrictedSecurityContext(false)).build();
    V1PodSpec pod = pod(PlatformCompiler.compile(p));

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isNull();
    assertThat(pod.getSecurityContext().getSeccompProfile()).isNull();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(pod.getContainers().get(0).getSecurityContext()).isNull();
    assertThat(pod.getInitContainers().get(0).getSecurityContext()).isNull();
  }

  @Test
  void theLoginIsASecretCreatedOnceAndNoPasswordIsInAnyConfigMapArgumentOrVariable() {
    var out = PlatformCompiler.compile(platform());
    V1Secret login = find(out.createdOnce(), V1Secret.class, "team-zep-login");

    assertThat(login.getMetadata().getAnnotations())
        .containsEntry(PlatformObjects.CREDENTIAL_ANNOTATION, PlatformObjects.CREDENTIAL_ZEPPELIN);
    assertThat(login.getData()).as("drawn by the deployer, not compiled").isNullOrEmpty();
    assertThat(out.createdOnce()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactly("Secret/team-zep-login", "Secret/team-zep-spark-auth",
            "PersistentVolumeClaim/team-zep-notebooks");
    // Spark's authentication key is mounted on Zeppelin's in-pod driver as on Jupyter's.
    assertThat(zeppelin(out).getVolumeMounts()).anyMatch(m ->
        m.getMountPath().equals(StorageExpansion.AUTH_MOUNT_PATH));
    V1PodSpec pod = pod(out);
    assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("login")).singleElement()
        .satisfies(v -> {
          assertThat(v.getSecret().getSecretName()).isEqualTo("team-zep-login");
          assertThat(v.getSecret().getItems()).extracting(i -> i.getKey()).containsExactly("shiro.ini");
        });
    // What reaches the pod besides the Secret volume: nothing that could carry a password.
    for (V1Container c : concat(pod.getInitContainers(), pod.getContainers())) {
      for (V1EnvVar e : c.getEnv() == null ? List.<V1EnvVar>of() : c.getEnv()) {
        assertThat(e.getName()).as(c.getName()).doesNotContainIgnoringCase("password")
            .doesNotContainIgnoringCase("token");
        if (e.getValueFrom() != null) {
          assertThat(e.getValueFrom().getSecretKeyRef()).as(e.getName()).isNull();
        }
      }
    }
    assertThat(out.applied()).filteredOn(V1ConfigMap.class::isInstance)
        .allSatisfy(cm -> assertThat(((V1ConfigMap) cm).getData().toString())
            .doesNotContainIgnoringCase("shiro").doesNotContainIgnoringCase("password"));
  }

  @Test
  void shiroIniKeepsOnlyTheHashAndLetsNoOneInAnonymouslyButTheProbe() throws Exception {
    String ini = ZeppelinPod.shiroIni("s3cret-pass");
    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest("s3cret-pass".getBytes(StandardCharsets.UTF_8)));

    assertThat(ini).doesNotContain("s3cret-pass")
        .contains("admin = " + hash + ", admin")
        .contains("iniRealm.credentialsMatcher = $sha256Matcher")
        .contains("/** = authc");
    assertThat(ini.lines().filter(l -> l.endsWith("= anon"))).containsExactly("/api/version = anon");
  }

  @Test
  void withoutAuthenticationThereIsNoLoginAndAnonymousZeppelinStaysInside() {
    SparkPlatform p = SparkPlatform.builder().name("team")
        .addNotebook(NotebookEnvironment.zeppelin("zep").withoutAuthentication()).build();
    var out = PlatformCompiler.compile(p);

    // No login; Spark's own authentication between driver and executors stays on.
    assertThat(out.createdOnce()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactly("Secret/team-zep-spark-auth", "PersistentVolumeClaim/team-zep-notebooks");
    assertThat(zeppelin(out).getVolumeMounts()).noneMatch(m -> m.getName().equals("login"));
    assertThat(find(out.applied(), V1Service.class, "team-zep").getSpec().getType())
        .isEqualTo("ClusterIP");
  }

  @Test
  void objectStoreCredentialsReachZeppelinOnlyAsSecretReferences() {
    SparkPlatform p = SparkPlatform.builder().name("team").namespace("data")
        .addNotebook(NotebookEnvironment.zeppelin("zep")
            .withEventLog(EventLog.to(S3Storage.of("logs").withCredentialsSecret("s3-creds"))))
        .build();
    V1Container c = zeppelin(PlatformCompiler.compile(p));

    assertThat(c.getEnv()).filteredOn(e -> e.getName().startsWith("AWS_")).isNotEmpty()
        .allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3-creds"));
  }

  @Test
  void jupyterNotebooksCompileExactlyAsBeforeZeppelinSupport() throws IOException {
    // Written by the compiler before NotebookEnvironment had a kind (commit 7d24b2a); since issue 16
    // the executor template also carries no API token and the default account, and the platform's
    // NetworkPolicies came with the executors' labels and block manager port, and Spark's
    // authentication with its created-once Secret and mounts. Compared as
    // JSON trees: the order of a Map.of's keys (resources) differs from one JVM to the next.
    String golden;
    try (InputStream in = getClass().getResourceAsStream("jupyter-platform.golden")) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String[] parts = golden.split("\n---ONCE---\n");
    var out = PlatformCompiler.compile(PlatformCompilerTest.platform());

    assertThat(trees(out.applied())).isEqualTo(trees(parts[0]));
    assertThat(trees(out.createdOnce())).isEqualTo(trees(parts[1]));
  }

  private static List<JsonObject> trees(List<KubernetesObject> objects) {
    return objects.stream().map(Manifests::pruned).toList();
  }

  private static List<JsonObject> trees(String yaml) throws IOException {
    return io.kubernetes.client.util.Yaml.loadAll(yaml).stream()
        .map(o -> Manifests.pruned((KubernetesObject) o)).toList();
  }

  private static List<V1Container> concat(List<V1Container> a, List<V1Container> b) {
    return java.util.stream.Stream.concat(a == null ? java.util.stream.Stream.empty() : a.stream(),
        b.stream()).toList();
  }
}
