package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.CompiledJob;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.exception.InvalidDescriptionException;
import org.junit.jupiter.api.Test;

/**
 * A job's identity (its derived application id and object names) depends on the description
 * only, never on the machine or OS user that builds it: two replicas of a scheduler running as
 * different users recognise each other's jobs (issue 18).
 */
class JobIdentityTest {

  private static CompiledJob compiledAs(String osUser) {
    String before = System.getProperty("user.name");
    System.setProperty("user.name", osUser);
    try {
      return SparkCompiler.compile(SparkJob.builder().name("nightly").namespace("etl")
          .application(Application.jvm("a.B", "local:///opt/app.jar")).build());
    } finally {
      System.setProperty("user.name", before);
    }
  }

  @Test
  void theSameDescriptionIsTheSameJobWhateverTheOsUser() {
    CompiledJob alice = compiledAs("alice");
    CompiledJob svcEtl = compiledAs("svc-etl");
    assertThat(alice.appId()).isEqualTo(svcEtl.appId());
    assertThat(alice.driverPodName()).isEqualTo(svcEtl.driverPodName());
    assertThat(alice.toYaml()).isEqualTo(svcEtl.toYaml());
    assertThat(alice.driverPod().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("SPARK_USER");
          assertThat(e.getValue()).isEqualTo(SparkJob.DEFAULT_SPARK_USER);
        });
  }

  @Test
  void theUserAJobRunsForIsPartOfItsIdentity() {
    SparkJob.Builder job = SparkJob.builder().name("nightly").namespace("etl")
        .application(Application.jvm("a.B", "local:///opt/app.jar"));
    CompiledJob ana = SparkCompiler.compile(job.sparkUser("ana").build());
    CompiledJob bo = SparkCompiler.compile(job.sparkUser("bo").build());
    assertThat(ana.appId()).isNotEqualTo(bo.appId());
    assertThat(ana.driverPodName()).isNotEqualTo(bo.driverPodName());
  }

  private static SparkJob.Builder nightly() {
    return SparkJob.builder().name("nightly").namespace("etl")
        .application(Application.jvm("a.B", "local:///opt/app.jar"));
  }

  @Test
  void theTenantIsPartOfTheIdentityAndLabelsEveryPod() {
    CompiledJob teamA = SparkCompiler.compile(nightly().tenant("team-a").build());
    CompiledJob teamB = SparkCompiler.compile(nightly().tenant("team-b").build());
    CompiledJob none = SparkCompiler.compile(nightly().build());
    assertThat(teamA.appId()).isNotEqualTo(teamB.appId()).isNotEqualTo(none.appId());
    assertThat(teamA.driverPodName()).isNotEqualTo(teamB.driverPodName());
    assertThat(teamA.driverPod().getMetadata().getLabels())
        .containsEntry(SparkJob.TENANT_LABEL, "team-a");
    assertThat(teamA.configMap().getData().get("spark.properties"))
        .contains("spark.kubernetes.executor.label.sparkk8s.io/tenant=team-a");
    // Unset: no label, and the identity is the one descriptions had before the attribute.
    assertThat(none.driverPod().getMetadata().getLabels()).doesNotContainKey(SparkJob.TENANT_LABEL);
    assertThat(nightly().build().toString()).doesNotContain("tenant");
    assertThat(none.appId()).isEqualTo(compiledAs("carol").appId());
  }

  @Test
  void aTenantIsALabelValueAndItsLabelIsSetOnlyThroughIt() {
    assertThatThrownBy(() -> nightly().tenant("Team A!").build())
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("tenant[sparkk8s.io/tenant] 'Team A!'")
        .hasMessageContaining("must be a label value");
    assertThatThrownBy(() -> nightly().putLabel(SparkJob.TENANT_LABEL, "team-a").build())
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("is set by SparkJob.tenant(...)");
    assertThatThrownBy(() -> nightly().driver(Driver.builder()
        .putLabel(SparkJob.TENANT_LABEL, "team-a").build()).build())
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("driver.labels");
  }
}
