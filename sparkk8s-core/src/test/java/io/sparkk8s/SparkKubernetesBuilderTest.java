package io.sparkk8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        .driverLogArchive(LogArchive.directory(dir.resolve("logs"))).connect()) {
      assertThat(spark.diagnostics().trackedJobs()).isZero();
    }
  }
}
