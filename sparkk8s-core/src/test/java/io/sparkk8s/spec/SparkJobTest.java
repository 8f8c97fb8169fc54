package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SparkJobTest {
  static SparkJob pi() {
    return SparkJob.builder().name("pi").application(BadInputTest.PI).addArgument("10").build();
  }

  @Test
  void equalDescriptionsAreEqualWhateverTheOrderOfMapEntries() {
    SparkJob a = SparkJob.builder().name("pi").application(BadInputTest.PI)
        .putLabel("a", "1").putLabel("b", "2").build();
    SparkJob b = SparkJob.builder().name("pi").application(BadInputTest.PI)
        .putLabel("b", "2").putLabel("a", "1").build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.toString()).isEqualTo(b.toString());
  }

  @Test
  void withCopiesAndLeavesTheOriginalUnchanged() {
    SparkJob job = pi();
    SparkJob renamed = job.withName("pi-2").withNamespace("jobs");
    assertThat(job.name()).isEqualTo("pi");
    assertThat(renamed.name()).isEqualTo("pi-2");
    assertThat(renamed.namespace()).isEqualTo("jobs");
    assertThat(renamed.arguments()).isEqualTo(job.arguments());
    assertThat(renamed.sparkAppName()).as("derived values follow the copy").isEqualTo("pi-2");
    assertThat(job.withAppId(SparkJob.newAppId())).isNotEqualTo(job);
  }

  @Test
  void copiesAreValidatedToo() {
    assertThatThrownBy(() -> pi().withName("Bad Name"))
        .isInstanceOf(io.sparkk8s.exception.InvalidDescriptionException.class).hasMessageContaining("name 'Bad Name'");
  }

  @Test
  void collectionsCannotBeChangedFromOutside() {
    SparkJob job = pi();
    assertThatThrownBy(() -> job.arguments().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> job.sparkConf().put("spark.x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void defaultsFollowSpark() {
    SparkJob job = pi();
    assertThat(job.namespace()).isEqualTo("default");
    assertThat(job.sparkAppName()).isEqualTo("pi");
    assertThat(job.containerImage()).isEqualTo("apache/spark:4.1.1");
    assertThat(SparkJob.builder().from(job).sparkVersion("3.5.6").build().containerImage())
        .isEqualTo("apache/spark:3.5.6");
    assertThat(job.restrictedSecurityContext()).isTrue();
    assertThat(job.runAsUser()).isEqualTo(185);
  }
}
