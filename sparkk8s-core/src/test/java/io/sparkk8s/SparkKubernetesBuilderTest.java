package io.sparkk8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.exception.ClusterUnreachableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The builder refuses what cannot work, saying which setting and why. */
class SparkKubernetesBuilderTest {

  @Test
  void aMissingKubeconfigIsReportedAsUnreachableNamingTheFile() {
    assertThatThrownBy(() -> SparkKubernetes.builder()
        .kubeconfig(Path.of("/nonexistent/kubeconfig"), Optional.empty()).connect())
        .isInstanceOf(ClusterUnreachableException.class)
        .hasMessageContaining("/nonexistent/kubeconfig");
  }

  @Test
  void settingsOutOfRangeAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> SparkKubernetes.builder().driverLogLimit(0))
        .hasMessageContaining("driverLogLimit").hasMessageContaining("0");
    assertThatThrownBy(() -> SparkKubernetes.builder().credentialRefresh(Duration.ZERO))
        .hasMessageContaining("credentialRefresh");
    assertThatThrownBy(() -> SparkKubernetes.builder().client(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("client");
  }

  @Test
  void aKubeconfigContextThatDoesNotExistIsNamed(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path kubeconfig = dir.resolve("config");
    java.nio.file.Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: here, context: {cluster: c, user: u}}]
        current-context: here
        """);
    assertThatThrownBy(() -> SparkKubernetes.builder()
        .kubeconfig(kubeconfig, Optional.of("elsewhere")).connect())
        .isInstanceOf(ClusterUnreachableException.class).hasMessageContaining("elsewhere");
    try (SparkKubernetes spark = SparkKubernetes.builder().kubeconfig(kubeconfig, Optional.empty())
        .driverLogArchive(DirectoryLogArchive.at(dir.resolve("logs"))).connect()) {
      assertThat(spark.diagnostics().trackedJobs()).isZero();
    }
  }

  /**
   * The public API finds its client through the one provider registered in
   * META-INF/services, not by importing it; every factory and the builder make that client.
   */
  @Test
  void theClientComesFromTheOneRegisteredProvider() {
    assertThat(java.util.ServiceLoader.load(SparkKubernetes.Provider.class).stream()
        .map(p -> p.type().getName()))
        .containsExactly("io.sparkk8s.internal.kube.KubeProvider");
    io.kubernetes.client.openapi.ApiClient api = new io.kubernetes.client.openapi.ApiClient();
    try (SparkKubernetes spark = SparkKubernetes.using(api, ApiRetryPolicy.defaults())) {
      assertThat(spark.getClass().getPackageName()).isEqualTo("io.sparkk8s.internal.kube");
      assertThat(spark.diagnostics().trackedJobs()).isZero();
    }
  }
}
