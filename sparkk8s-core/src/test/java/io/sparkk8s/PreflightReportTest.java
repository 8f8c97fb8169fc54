package io.sparkk8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.PreflightReport.Problem;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.testing.InMemorySparkKubernetes;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreflightReportTest {

  @Test
  void theReportListsEveryProblemAndWhatWasNotChecked() {
    PreflightReport report = new PreflightReport("jobs", "etl-0a1b-driver", List.of(
        new Problem("Secret", "db-creds", "env DB_PASSWORD of the driver",
            "has no key 'password' (keys: user)"),
        new Problem("PersistentVolumeClaim", "shared-data", "volume data of the driver",
            "does not exist in namespace jobs; create it before submitting")),
        List.of("ResourceQuotas: the credentials may not read it (HTTP 403)"));
    assertThat(report.ok()).isFalse();
    assertThat(report).hasToString("""
        Preflight of jobs/etl-0a1b-driver: 2 problems
          - Secret db-creds (env DB_PASSWORD of the driver): has no key 'password' (keys: user)
          - PersistentVolumeClaim shared-data (volume data of the driver): does not exist in \
        namespace jobs; create it before submitting
          (not checked: ResourceQuotas: the credentials may not read it (HTTP 403))""");
  }

  @Test
  void theTestKitReportsTheProblemsATestGivesItAndSaysItCheckedNothing() {
    SparkJob job = SparkJob.builder().name("etl").namespace("jobs")
        .application(Application.jvm("a.B", "local:///opt/app.jar")).build();
    try (InMemorySparkKubernetes spark = new InMemorySparkKubernetes()) {
      assertThat(spark.preflight(job).ok()).isTrue();
      assertThat(spark.preflight(job).unchecked()).singleElement().asString()
          .contains("no cluster objects");
      Problem missing = new Problem("ServiceAccount", "etl", "service account of the driver",
          "does not exist");
      spark.preflightFinds(List.of(missing));
      assertThat(spark.preflight(job).problems()).containsExactly(missing);
      assertThat(spark.preflight(job).driverPodName())
          .isEqualTo(SparkCompiler.compile(job).driverPodName());
    }
  }
}
