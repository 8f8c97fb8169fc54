package io.sparkk8s.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.SparkCompiler;
import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.testing.InMemorySparkKubernetes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job as it runs on one cluster of a fleet. */
class ClusterJobsTest {
  private final InMemorySparkKubernetes client = new InMemorySparkKubernetes();
  private final SparkJob job = SparkJob.builder().name("etl").namespace("team-a")
      .application(Application.jvm("org.example.Main", "local:///opt/app.jar")).build();

  @Test
  void aClusterWithoutOverridesRunsTheJobAsDescribed() {
    assertThat(ClusterJobs.adapt(FleetCluster.of("x", client), job)).isSameAs(job);
  }

  @Test
  void registryNamespaceAccountAndStorageAreTheClusters() {
    GcsStorage gcs = GcsStorage.of("acme-lake");
    FleetCluster gke = FleetCluster.of("gke", client)
        .withImageRegistry("europe-docker.pkg.dev/acme/spark")
        .withNamespace("team-a", "spark-team-a").withServiceAccount("spark-driver")
        .withStorage(List.of(gcs), EventLog.to(gcs));
    SparkJob there = ClusterJobs.adapt(gke, job);
    assertThat(there.containerImage())
        .isEqualTo("europe-docker.pkg.dev/acme/spark/apache/spark:" + job.sparkVersion());
    assertThat(there.namespace()).isEqualTo("spark-team-a");
    assertThat(there.serviceAccount()).contains("spark-driver");
    assertThat(there.storage()).containsExactly(gcs);
    assertThat(SparkCompiler.compile(there).sparkProperties())
        .containsEntry("spark.eventLog.enabled", "true");
  }

  @Test
  void anImagesOwnRegistryIsReplacedAndItsPathKept() {
    assertThat(ClusterJobs.rebase("r.example/m", "apache/spark:4.0.1"))
        .isEqualTo("r.example/m/apache/spark:4.0.1");
    assertThat(ClusterJobs.rebase("r.example/m", "docker.io/apache/spark:4.0.1"))
        .isEqualTo("r.example/m/apache/spark:4.0.1");
    assertThat(ClusterJobs.rebase("r.example", "localhost:5000/team/app@sha256:ab"))
        .isEqualTo("r.example/team/app@sha256:ab");
    assertThat(ClusterJobs.rebase("r.example", "localhost/app:1")).isEqualTo("r.example/app:1");
  }

  @Test
  void aClusterEntryIsCheckedLikeEveryDescription() {
    assertThatThrownBy(() -> FleetCluster.of("Not A Name", client))
        .isInstanceOf(InvalidDescriptionException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> FleetCluster.of("x", client).withImageRegistry("evil\u0085host"))
        .isInstanceOf(InvalidDescriptionException.class).hasMessageContaining("imageRegistry");
    assertThatThrownBy(() -> FleetCluster.of("x", client).withImageRegistry("a//b"))
        .isInstanceOf(InvalidDescriptionException.class);
    assertThatThrownBy(() -> FleetCluster.of("x", client).withLabels(Map.of("cloud", "g c p")))
        .isInstanceOf(InvalidDescriptionException.class).hasMessageContaining("labels[cloud]");
    assertThatThrownBy(() -> FleetCluster.of("x", client).withNamespace("a", "B_"))
        .isInstanceOf(InvalidDescriptionException.class).hasMessageContaining("namespaces");
  }
}
