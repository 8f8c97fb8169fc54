package io.sparkk8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.spec.HistoryServer;
import io.sparkk8s.spec.HostPathShuffleService;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.NfsStorage;
import org.junit.jupiter.api.Test;

/** A platform's objects and services, offline, as deploy and status see them. */
class CompiledPlatformTest {
  private final EventLog logs = EventLog.to(NfsStorage.claim("spark-logs"));
  private final SparkPlatform platform = SparkPlatform.builder().name("team").namespace("data")
      .addNotebook(NotebookEnvironment.jupyter("lab").withEventLog(logs))
      .historyServer(HistoryServer.builder().eventLog(logs).build())
      .shuffleService(HostPathShuffleService.builder().hostDirectory("/var/lib/spark-shuffle")
          .allowHostPath(true).build())
      .build();

  @Test
  void listsEveryServiceWithItsKindAndWhereClientsReachIt() {
    CompiledPlatform compiled = SparkCompiler.compile(platform);
    assertThat(compiled.services()).extracting(CompiledPlatform.Service::kind).containsExactly(
        PlatformStatus.Kind.JUPYTER, PlatformStatus.Kind.HISTORY_SERVER,
        PlatformStatus.Kind.SHUFFLE_SERVICE);
    assertThat(compiled.services().get(0).url()).isEqualTo("http://team-lab.data.svc:8888");
    assertThat(compiled.services().get(1).url())
        .isEqualTo("http://team-history.data.svc:" + HistoryServer.PORT);
    assertThat(compiled.services().get(2).url()).startsWith("tcp://<node's pod>:");
  }

  @Test
  void separatesWhatDeployAppliesFromWhatItCreatesOnce() {
    CompiledPlatform compiled = SparkCompiler.compile(platform);
    assertThat(compiled.applied()).extracting(o -> o.getKind())
        .contains("Deployment", "Service", "ConfigMap", "DaemonSet");
    // The notebook's claim and its Secrets (token, Spark authentication key) are created once and
    // kept across teardowns.
    assertThat(compiled.createdOnce()).extracting(o -> o.getKind())
        .containsExactlyInAnyOrder("PersistentVolumeClaim", "Secret", "Secret");
    assertThat(compiled.toYaml()).isEqualTo(SparkCompiler.toYaml(platform))
        .contains("kind: DaemonSet").contains("kind: PersistentVolumeClaim");
  }

  @Test
  void eachCompileReturnsObjectsOfItsOwn() {
    CompiledPlatform first = SparkCompiler.compile(platform);
    CompiledPlatform second = SparkCompiler.compile(platform);
    assertThat(first.applied()).isEqualTo(second.applied());
    first.applied().get(0).getMetadata().putLabelsItem("changed", "by-the-caller");
    assertThat(second.applied().get(0).getMetadata().getLabels()).doesNotContainKey("changed");
    assertThat(SparkCompiler.compile(platform).applied()).isEqualTo(second.applied());
  }
}
