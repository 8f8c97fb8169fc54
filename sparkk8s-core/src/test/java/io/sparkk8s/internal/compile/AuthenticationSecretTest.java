package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1Secret;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.spec.StorageExpansion;
import org.junit.jupiter.api.Test;

/**
 * {@code SparkJob.authenticationSecret} and {@code sparkAuthentication}, which
 * {@link StorageExpansion} turns into conf and a mount, and {@link SparkAuthStep} into a Secret
 * whose key the client draws.
 */
class AuthenticationSecretTest {

  @Test
  void theKeyIsMountedOnDriverAndExecutorsAndReadFromTheFile() {
    var compiled = SparkCompiler.compile(Jobs.pi().authenticationSecret("spark-auth").build());
    String props = compiled.configMap().getData().get("spark.properties");
    assertThat(props).contains("spark.authenticate=true")
        .contains("spark.authenticate.secret.file=/opt/sparkk8s/spark-auth/secret")
        .contains("spark.executorEnv.SPARK_JAVA_OPT_SPARKK8S_AUTH_MASTER=-Dspark.master\\=k8s\\://https\\://kubernetes.default.svc")
        .contains("spark.kubernetes.driver.secrets.spark-auth=/opt/sparkk8s/spark-auth")
        .contains("spark.kubernetes.executor.secrets.spark-auth=/opt/sparkk8s/spark-auth")
        .doesNotContain("spark.authenticate.secret=");
    var pod = compiled.driverPod();
    assertThat(pod.getSpec().getVolumes()).anySatisfy(v ->
        assertThat(v.getSecret()).isNotNull().satisfies(s -> assertThat(s.getSecretName()).isEqualTo("spark-auth")));
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/opt/sparkk8s/spark-auth"));
    assertThat(pod.getSpec().getContainers().get(0).getEnv())
        .noneSatisfy(e -> assertThat(e.getName()).isEqualTo("_SPARK_AUTH_SECRET"));
  }

  @Test
  void offUnlessAsked() {
    String props = SparkCompiler.compile(Jobs.pi().build()).configMap().getData().get("spark.properties");
    assertThat(props).doesNotContain("spark.authenticate");
  }

  @Test
  void aKeyInConfOrAContradictionIsRefused() {
    assertThatThrownBy(() -> Jobs.pi().putSparkConf("spark.authenticate.secret", "k").build())
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("sparkConf 'spark.authenticate.secret'")
        .hasMessageContaining("use authenticationSecret(secretName)")
        .hasMessageNotContaining("'k'");
    assertThatThrownBy(() -> Jobs.pi().authenticationSecret("spark-auth")
        .putSparkConf("spark.authenticate", "false").build())
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("authenticationSecret").hasMessageContaining("conflicts with");
    assertThatThrownBy(() -> Jobs.pi().authenticationSecret("Not_A_Name").build())
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("authenticationSecret 'Not_A_Name'");
  }

  @Test
  void withoutASecretOfItsOwnTheJobCarriesASecretWhoseKeyTheClientDraws() {
    var compiled = SparkCompiler.compile(Jobs.pi().sparkAuthentication(true).build());
    String prefix = compiled.driverPodName().substring(0, compiled.driverPodName().length() - "-driver".length());
    String name = prefix + "-auth";
    assertThat(compiled.preResources()).isEmpty();
    var secret = compiled.ownedResources().stream().filter(o -> o instanceof V1Secret)
        .map(o -> (V1Secret) o).findFirst().orElseThrow();
    assertThat(secret.getMetadata().getName()).isEqualTo(name);
    assertThat(secret.getData()).as("compiled without its key").isNullOrEmpty();
    assertThat(secret.getStringData()).isNullOrEmpty();
    assertThat(secret.getImmutable()).isTrue();
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry(PlatformObjects.CREDENTIAL_ANNOTATION, SparkAuthStep.CREDENTIAL);
    assertThat(secret.getMetadata().getLabels()).containsEntry("spark-app-selector", compiled.appId());
    assertThat(SparkAuthStep.wantsKey(secret)).isTrue();
    // Created with the driver, before its properties ConfigMap, which the driver waits for.
    assertThat(compiled.ownedResources().indexOf(secret))
        .isLessThan(compiled.ownedResources().indexOf(compiled.configMap()));
    String props = compiled.configMap().getData().get("spark.properties");
    assertThat(props).contains("spark.authenticate=true")
        .contains("spark.authenticate.secret.file=/opt/sparkk8s/spark-auth/secret")
        .contains("spark.kubernetes.driver.secrets." + name + "=/opt/sparkk8s/spark-auth")
        .contains("spark.kubernetes.executor.secrets." + name + "=/opt/sparkk8s/spark-auth");
    assertThat(compiled.driverPod().getSpec().getVolumes()).anySatisfy(v -> assertThat(v.getSecret())
        .isNotNull().satisfies(s -> assertThat(s.getSecretName()).isEqualTo(name)));
    // For kubectl: no Secret in the file, a command that draws the key and creates it.
    String yaml = compiled.toYaml();
    assertThat(yaml).doesNotContain("kind: Secret").contains("#   kubectl -n jobs create secret"
        + " generic " + name + " --from-literal=secret=\"$(od -An -N32 -tx1 /dev/urandom | tr -d ' \\n')\"")
        .contains(" secret/" + name);
  }

  @Test
  void aDrawnKeyIsOneSecretPerJobAndLeavesOtherJobsIdsAlone() {
    var a = SparkCompiler.compile(Jobs.pi().sparkAuthentication(true).build());
    var b = SparkCompiler.compile(Jobs.pi().name("other").sparkAuthentication(true).build());
    assertThat(a.ownedResources()).filteredOn(o -> o instanceof V1Secret).singleElement()
        .extracting(o -> o.getMetadata().getName())
        .isNotEqualTo(b.ownedResources().stream().filter(o -> o instanceof V1Secret).findFirst()
            .orElseThrow().getMetadata().getName());
    // Off, the description reads as before the attribute existed: the derived app id is the same.
    assertThat(SparkCompiler.compile(Jobs.pi().sparkAuthentication(false).build()).appId())
        .isEqualTo(SparkCompiler.compile(Jobs.pi().build()).appId())
        .isNotEqualTo(a.appId());
    assertThat(Jobs.pi().build().toString()).doesNotContain("sparkAuthentication");
    // The caller's own Secret: no Secret compiled, the caller's mounted.
    var own = SparkCompiler.compile(Jobs.pi().authenticationSecret("spark-auth").build());
    assertThat(own.ownedResources()).noneMatch(o -> o instanceof V1Secret);
    assertThat(Jobs.pi().authenticationSecret("spark-auth").build().sparkAuthentication()).isTrue();
  }

  @Test
  void anOwnSecretWithAuthenticationOffIsAContradiction() {
    assertThatThrownBy(() -> Jobs.pi().authenticationSecret("spark-auth").sparkAuthentication(false)
        .build())
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("sparkAuthentication")
        .hasMessageContaining("cannot be off with an authenticationSecret (spark-auth)");
  }
}
