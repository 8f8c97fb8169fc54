package io.sparkk8s.internal.compile;

import static io.sparkk8s.internal.compile.PlatformCompilerTest.find;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.sparkk8s.spec.HistoryServer;
import io.sparkk8s.spec.NotebookEnvironment;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.NfsStorage;
import org.junit.jupiter.api.Test;

/** The platform's shared defaults reach the components that leave a value unset, and only those. */
class PlatformDefaultsTest {
  static final EventLog TEAM_LOGS = EventLog.to(NfsStorage.claim("team-logs")).withDirectory("events");
  static final EventLog OWN_LOGS = EventLog.to(NfsStorage.claim("own-logs")).withDirectory("mine");

  static String sparkDefaults(PlatformCompiler.Output out, String notebook) {
    return find(out.applied(), V1ConfigMap.class, "team-" + notebook + "-spark-conf").getData()
        .get("spark-defaults.conf");
  }

  static String historyConf(PlatformCompiler.Output out) {
    return find(out.applied(), V1ConfigMap.class, "team-history-conf").getData().get("spark-defaults.conf");
  }

  static String image(PlatformCompiler.Output out, String deployment) {
    return find(out.applied(), V1Deployment.class, deployment).getSpec().getTemplate().getSpec()
        .getContainers().get(0).getImage();
  }

  @Test
  void componentsThatSetNothingTakeThePlatformsEventLogVersionAndImage() {
    SparkPlatform p = SparkPlatform.builder().name("team").namespace("data")
        .sparkVersion("3.5.6").sparkImage("registry.example.com/spark:3.5.6-team").eventLog(TEAM_LOGS)
        .addNotebook(NotebookEnvironment.jupyter("lab"))
        .addNotebook(NotebookEnvironment.zeppelin("zep"))
        .historyServer(HistoryServer.readingPlatformEventLog())
        .build();
    var out = PlatformCompiler.compile(p);

    assertThat(sparkDefaults(out, "lab")).contains("spark.eventLog.dir=file\\:///mnt/sparkk8s/nfs/events")
        .contains("spark.kubernetes.container.image=registry.example.com/spark\\:3.5.6-team");
    assertThat(sparkDefaults(out, "zep")).contains("spark.eventLog.dir=file\\:///mnt/sparkk8s/nfs/events");
    assertThat(historyConf(out)).contains("spark.history.fs.logDirectory=file\\:///mnt/sparkk8s/nfs/events");
    assertThat(image(out, "team-lab")).isEqualTo("quay.io/jupyter/pyspark-notebook:spark-3.5.6");
    assertThat(image(out, "team-history")).isEqualTo("registry.example.com/spark:3.5.6-team");
    assertThat(find(out.applied(), V1Deployment.class, "team-zep").getSpec().getTemplate().getSpec()
        .getInitContainers().get(0).getImage()).isEqualTo("registry.example.com/spark:3.5.6-team");
    assertThat(p.resolved().notebooks()).allSatisfy(nb -> {
      assertThat(nb.sparkVersion()).hasValue("3.5.6");
      assertThat(nb.eventLog()).hasValue(TEAM_LOGS);
    });
  }

  @Test
  void aValueSetOnTheComponentWinsOverThePlatforms() {
    SparkPlatform p = SparkPlatform.builder().name("team").namespace("data")
        .sparkVersion("3.5.6").sparkImage("registry.example.com/spark:team").eventLog(TEAM_LOGS)
        .addStorage(NfsStorage.claim("team-data").withName("data"))
        .addNotebook(NotebookEnvironment.jupyter("lab").withSparkVersion("4.1.1")
            .withExecutorImage("registry.example.com/spark:lab").withEventLog(OWN_LOGS)
            .withStorage(java.util.List.of(NfsStorage.claim("lab-data").withName("labdata"))))
        .addNotebook(NotebookEnvironment.jupyter("other"))
        .historyServer(HistoryServer.reading(OWN_LOGS).withImage("registry.example.com/history:1"))
        .build();
    var out = PlatformCompiler.compile(p);

    assertThat(sparkDefaults(out, "lab")).contains("spark.eventLog.dir=file\\:///mnt/sparkk8s/nfs/mine")
        .doesNotContain("/events")
        .contains("spark.kubernetes.container.image=registry.example.com/spark\\:lab")
        .contains("claimName=lab-data").doesNotContain("claimName=team-data");
    assertThat(image(out, "team-lab")).isEqualTo("quay.io/jupyter/pyspark-notebook:spark-4.1.1");
    assertThat(historyConf(out)).contains("logDirectory=file\\:///mnt/sparkk8s/nfs/mine");
    assertThat(image(out, "team-history")).isEqualTo("registry.example.com/history:1");
    // The notebook that set nothing still gets the platform's values.
    assertThat(sparkDefaults(out, "other")).contains("/events").contains("claimName=team-data")
        .contains("spark.kubernetes.container.image=registry.example.com/spark\\:team");
  }

  @Test
  void withoutPlatformDefaultsEachComponentKeepsItsOwnDefault() {
    SparkPlatform p = SparkPlatform.builder().name("team")
        .addNotebook(NotebookEnvironment.jupyter("lab"))
        .addNotebook(NotebookEnvironment.zeppelin("zep"))
        .build();
    SparkPlatform resolved = p.resolved();

    assertThat(resolved).isEqualTo(p);
    assertThat(resolved.notebooks()).extracting(NotebookEnvironment::effectiveSparkVersion)
        .containsExactly("4.1.1", "3.5.6");
  }

  @Test
  void thePlatformsServiceAccountIsADriverAccountForJobs() {
    SparkPlatform p = SparkPlatform.builder().name("team").namespace("data").serviceAccount("spark-jobs")
        .build();
    var out = PlatformCompiler.compile(p);

    assertThat(find(out.applied(), V1ServiceAccount.class, "spark-jobs").getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", "team");
    assertThat(find(out.applied(), V1Role.class, "spark-jobs").getRules()).isEqualTo(DriverRules.rules());
    assertThat(find(out.applied(), V1RoleBinding.class, "spark-jobs").getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("spark-jobs"));
    assertThat(PlatformCompiler.compile(SparkPlatform.builder().name("team").build()).applied()).isEmpty();
  }
}
