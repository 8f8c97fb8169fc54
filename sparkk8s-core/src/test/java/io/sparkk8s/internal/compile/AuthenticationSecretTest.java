package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.InvalidDescriptionException;
import io.sparkk8s.SparkCompiler;
import org.junit.jupiter.api.Test;

/** {@code SparkJob.authenticationSecret}, which {@link StorageExpansion} turns into conf and a mount. */
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
}
