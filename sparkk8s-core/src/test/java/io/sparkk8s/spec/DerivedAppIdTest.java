package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.SparkCompiler;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The derived application id is part of a job's identity across SDK versions: a scheduler that
 * restarts on a newer SDK and submits the same description again must find the driver it started
 * before, not start a second one. These ids were computed by the SDK before the id's hashing and
 * the descriptions' {@code toString()} were reworked for speed (stop 31) and must never change.
 * One change was made on purpose (stop 32): a description holding secret-looking values hashed
 * them redacted, so two runs differing only in a secret shared an id and the second submit
 * attached to the first's driver; such descriptions now hash their secrets too (a new id once).
 */
class DerivedAppIdTest {
  private static final Application PI = Application.jvm("org.apache.spark.examples.SparkPi",
      "local:///opt/spark/examples/jars/spark-examples.jar");

  @Test
  void aPlainJobKeepsItsId() {
    SparkJob job = SparkJob.builder().name("pi").application(PI).build();
    assertThat(job.sparkAppId()).isEqualTo("spark-04be10a31558fc4d79dcc81de2977bb6");
    assertThat(SparkCompiler.compile(job).driverPod().getMetadata().getLabels())
        .containsEntry("spark-app-selector", "spark-04be10a31558fc4d79dcc81de2977bb6");
  }

  @Test
  void aJobWithSecretsNonAsciiTextListsAndMapsKeepsItsId() {
    SparkJob job = SparkJob.builder().name("etl").namespace("team-a").application(PI)
        .addArguments("1000", "--password=hunter2", "caf\u00e9 \ud83d\ude00")
        .putSparkConf("spark.sql.shuffle.partitions", "3")
        .putSparkConf("spark.hadoop.fs.s3a.secret.key", "abc").putSparkConf("spark.ui.port", "4041")
        .putEnv("TOKEN", "x").putEnv("PLAIN", "y").putLabel("team", "a").putAnnotation("note", "hi")
        .driver(Driver.builder().memory("1g").coreRequest("500m").putEnv("A", "b").putLabel("x", "y").build())
        .executor(Executor.builder().instances(4).memory("2g").cores(2).build())
        .addTolerations(Toleration.exists("k")).putNodeSelector("pool", "spark")
        .addJars("local:///a.jar", "local:///b.jar").build();
    // spark-d516620bcc4475e533a8dd7dd5d2708c until stop 32, when its secrets began to count.
    assertThat(job.sparkAppId()).isEqualTo("spark-bd933e189e49b45c9fd069658ae412fd");
    assertThat(job.withNamespace("team-b").sparkAppId()).isNotEqualTo(job.sparkAppId());
  }

  @Test
  void descriptionsThatDifferOnlyInASecretShowTheSameTextButGetDifferentIds() {
    SparkJob base = SparkJob.builder().name("etl").application(PI).build();
    List<Function<String, SparkJob>> places = List.of(
        v -> base.withArguments("--password=" + v),
        v -> base.withSparkConf(Map.of("spark.hadoop.fs.s3a.secret.key", v)),
        v -> SparkJob.builder().from(base).putEnv("RUN_TOKEN", v).build(),
        v -> SparkJob.builder().from(base).putAnnotation("api-token", v).build(),
        v -> base.withDriver(Driver.builder().putEnv("DB_PASSWORD", v).build()),
        v -> base.withDriver(Driver.builder().putAnnotation("vault-secret", v).build()),
        v -> base.withExecutor(Executor.builder().putEnv("DB_PASSWORD", v).build()),
        v -> base.withExecutor(Executor.builder().putAnnotation("vault-secret", v).build()));
    Set<String> ids = new HashSet<>();
    for (Function<String, SparkJob> place : places) {
      SparkJob one = place.apply("RUN-1");
      SparkJob two = place.apply("RUN-2");
      assertThat(two.toString()).as("the text hides the secret").isEqualTo(one.toString())
          .contains("<redacted>").doesNotContain("RUN-");
      assertThat(two.sparkAppId()).as("%s", one).isNotEqualTo(one.sparkAppId());
      assertThat(place.apply("RUN-1").sparkAppId()).as("equal descriptions, equal ids")
          .isEqualTo(one.sparkAppId());
      ids.add(one.sparkAppId());
      ids.add(two.sparkAppId());
    }
    assertThat(ids).hasSize(2 * places.size()).doesNotContain(base.sparkAppId());
  }

  @Test
  void aPythonJobOnSpark35KeepsItsId() {
    SparkJob job = SparkJob.builder().name("py").application(Application.python("local:///opt/app/main.py"))
        .appName("My Job!").sparkVersion("3.5.6").build();
    assertThat(job.sparkAppId()).isEqualTo("spark-59a6d05b07efe99e4bc691d057125330");
  }

  @Test
  void aGivenIdIsTheIdInEffect() {
    SparkJob job = SparkJob.builder().name("pi").application(PI).appId("spark-given").build();
    assertThat(job.sparkAppId()).isEqualTo("spark-given");
  }
}
