package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.exception.InvalidDescriptionException;
import org.junit.jupiter.api.Test;

/**
 * Typos a newcomer makes (issue 18) fail at {@code build()} naming the attribute, the value and
 * the rule, instead of reaching Spark or the API server.
 */
class NewcomerMistakesTest {

  private static SparkJob.Builder job() {
    return SparkJob.builder().name("x").namespace("ns")
        .application(Application.jvm("a.B", "local:///opt/app.jar"));
  }

  @Test
  void confKeysWithSpacesEqualsOrNoNameAreRefused() {
    for (String key : new String[] {"spark.sql.shuffle partitions", "spark.executor.memory=4g",
        "spark.ui:port"}) {
      assertThatThrownBy(() -> job().putSparkConf(key, "1").build())
          .isInstanceOf(InvalidDescriptionException.class)
          .hasMessageContaining("sparkConf '" + key + "'")
          .hasMessageContaining("a key has no spaces, '=' or ':'");
    }
    for (String key : new String[] {"spark.", "spark.sql."}) {
      assertThatThrownBy(() -> job().putSparkConf(key, "1").build())
          .isInstanceOf(InvalidDescriptionException.class)
          .hasMessageContaining("names no setting");
    }
    // Label and annotation keys inside conf keep their slashes.
    job().putSparkConf("spark.kubernetes.driver.annotation.example.com/team", "data").build();
  }

  @Test
  void aJvmApplicationWithAPythonFileIsRefused() {
    assertThatThrownBy(() -> Application.jvm("a.B", "local:///opt/etl.py"))
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("application.resource 'local:///opt/etl.py'")
        .hasMessageContaining("use Application.python(file)");
  }

  @Test
  void envThatSparkSetsItselfIsRefusedWhereverItIsGiven() {
    assertThatThrownBy(() -> job().putEnv("SPARK_APPLICATION_ID", "mine").build())
        .hasMessageContaining("env 'SPARK_APPLICATION_ID': is set by Spark in its pods");
    assertThatThrownBy(() -> job().driver(Driver.builder().putEnv("SPARK_USER", "ana").build())
        .build()).hasMessageContaining("driver.env 'SPARK_USER'")
        .hasMessageContaining("use sparkUser(name)");
    assertThatThrownBy(() -> job().executor(Executor.builder()
        .putEnv("SPARK_JAVA_OPT_0", "-Xmx1g").build()).build())
        .hasMessageContaining("executor.env 'SPARK_JAVA_OPT_0'");
    job().putEnv("SPARK_HOME_EXTRA", "fine").build();
  }

  @Test
  void missingMandatoryAttributesAreEachAProblem() {
    assertThatThrownBy(() -> SparkJob.builder().namespace("ns").build())
        .isInstanceOfSatisfying(InvalidDescriptionException.class, e -> {
          assertThat(e.description()).isEqualTo("SparkJob");
          assertThat(e.problems()).extracting(InvalidDescriptionException.Problem::attribute)
              .containsExactlyInAnyOrder("name", "application");
          assertThat(e.problems()).allSatisfy(p -> assertThat(p.rule()).startsWith("is required"));
        });
    assertThatThrownBy(() -> SparkJob.builder().name("x").build())
        .hasMessage("Invalid SparkJob: application: is required; set it on the builder");
  }

  @Test
  void aNullValueNamesItsAttributeInsteadOfABareNullPointerException() {
    String nullName = null;
    assertThatThrownBy(() -> SparkJob.builder().name(nullName))
        .isInstanceOfSatisfying(InvalidDescriptionException.class, e -> assertThat(e.problems())
            .containsExactly(new InvalidDescriptionException.Problem("name", null, "must not be null")));
    assertThatThrownBy(() -> job().putSparkConf("spark.sql.shuffle.partitions", null))
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("sparkConf[spark.sql.shuffle.partitions]: must not be null");
    assertThatThrownBy(() -> job().addArguments("a", null))
        .hasMessageContaining("arguments: an element must not be null");
    assertThatThrownBy(() -> job().putEnv(null, "v")).hasMessageContaining("env: a key must not be null");
    assertThatThrownBy(() -> Driver.builder().memory((String) null))
        .isInstanceOfSatisfying(InvalidDescriptionException.class,
            e -> assertThat(e.problems()).singleElement().satisfies(
                p -> assertThat(p.attribute()).isEqualTo("memory")));
  }
}
