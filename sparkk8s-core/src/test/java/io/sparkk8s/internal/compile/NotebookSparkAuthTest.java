package io.sparkk8s.internal.compile;

import static io.sparkk8s.internal.compile.PlatformCompilerTest.find;
import static io.sparkk8s.internal.compile.PlatformCompilerTest.platform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.util.Yaml;
import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.spec.StorageExpansion;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A notebook's {@code spark.authenticate} (on by default): the key in a created-once Secret the
 * deployer fills, read from a file by the in-pod driver and every executor; never a literal.
 * {@code PlatformE2E} runs a session's executors with it.
 */
class NotebookSparkAuthTest {
  static SparkPlatform with(NotebookEnvironment nb) {
    return SparkPlatform.builder().from(platform()).notebooks(List.of(nb)).build();
  }

  static boolean mounts(V1PodSpec spec) {
    boolean volume = spec.getVolumes() != null && spec.getVolumes().stream().anyMatch(v ->
        v.getSecret() != null && "team-lab-spark-auth".equals(v.getSecret().getSecretName()));
    boolean mount = spec.getContainers().get(0).getVolumeMounts() != null
        && spec.getContainers().get(0).getVolumeMounts().stream().anyMatch(m ->
            m.getMountPath().equals(StorageExpansion.AUTH_MOUNT_PATH) && Boolean.TRUE.equals(m.getReadOnly()));
    return volume && mount;
  }

  @Test
  void theDriverAndEveryExecutorReadTheKeyFromTheGeneratedSecret() {
    var out = PlatformCompiler.compile(platform());
    V1Secret secret = find(out.createdOnce(), V1Secret.class, "team-lab-spark-auth");
    assertThat(secret.getMetadata().getAnnotations()).containsEntry(
        PlatformObjects.CREDENTIAL_ANNOTATION, SparkAuthStep.CREDENTIAL);
    assertThat(secret.getData()).as("the deployer draws the key").isNullOrEmpty();
    assertThat(secret.getStringData()).isNullOrEmpty();

    V1ConfigMap conf = find(out.applied(), V1ConfigMap.class, "team-lab-spark-conf");
    assertThat(conf.getData().get("spark-defaults.conf")).contains("spark.authenticate=true")
        .contains("spark.authenticate.secret.file=" + StorageExpansion.AUTH_FILE)
        .contains("spark.executorEnv." + "SPARK_JAVA_OPT_SPARKK8S_AUTH_MASTER" + "=")
        .doesNotContain("spark.authenticate.secret=");
    assertThat(mounts(find(out.applied(), V1Deployment.class, "team-lab").getSpec().getTemplate()
        .getSpec())).as("the notebook (its in-pod driver) mounts the key").isTrue();
    V1Pod template = Yaml.loadAs(conf.getData().get("executor-template.yaml"), V1Pod.class);
    assertThat(mounts(template.getSpec())).as("every executor mounts the key").isTrue();
  }

  @Test
  void offLeavesSparkUnauthenticatedAndNoSecret() {
    var out = PlatformCompiler.compile(with(platform().notebooks().get(0)
        .withSparkAuthentication(false)));
    assertThat(out.createdOnce()).noneMatch(o -> o.getMetadata().getName().endsWith("-spark-auth"));
    V1ConfigMap conf = find(out.applied(), V1ConfigMap.class, "team-lab-spark-conf");
    assertThat(conf.getData().get("spark-defaults.conf")).doesNotContain("spark.authenticate");
    assertThat(mounts(find(out.applied(), V1Deployment.class, "team-lab").getSpec().getTemplate()
        .getSpec())).isFalse();
  }

  @Test
  void theNotebooksConfCannotTurnItOffBehindItsBack() {
    assertThatThrownBy(() -> NotebookEnvironment.builder().from(platform().notebooks().get(0))
        .putSparkConf("spark.authenticate", "false").build())
        .isInstanceOfSatisfying(InvalidDescriptionException.class, e ->
            assertThat(e.getMessage()).contains("sparkConf").contains("spark.authenticate")
                .contains("withSparkAuthentication(false)"));
    // Off, the caller manages it.
    assertThat(NotebookEnvironment.builder().from(platform().notebooks().get(0))
        .sparkAuthentication(false).putSparkConf("spark.authenticate", "false").build()
        .sparkConf()).containsEntry("spark.authenticate", "false");
  }
}
