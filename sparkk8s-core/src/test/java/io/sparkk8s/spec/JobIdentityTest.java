package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.CompiledJob;
import io.sparkk8s.SparkCompiler;
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
}
