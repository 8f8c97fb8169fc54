package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobNamesTest {
  private static SparkJob.Builder pi() {
    return SparkJob.builder().name("pi").namespace("jobs").sparkUser("ana")
        .application(Application.jvm("org.apache.spark.examples.SparkPi",
            "local:///opt/spark/examples/jars/spark-examples.jar"));
  }

  @Test
  void sameJobSameNames() {
    assertThat(JobNames.of(pi().build())).isEqualTo(JobNames.of(pi().build()));
    assertThat(JobNames.of(pi().build()).appId()).matches("spark-[0-9a-f]{32}");
  }

  @Test
  void anyChangeGivesANewIdentity() {
    assertThat(JobNames.of(pi().addArgument("1").build()).appId())
        .isNotEqualTo(JobNames.of(pi().addArgument("2").build()).appId());
  }

  @Test
  void longNamesAreCutButStayDistinctAndWithinLimits() {
    String a = "nightly-sales-aggregation-for-europe-and-asia-region-a";
    String b = "nightly-sales-aggregation-for-europe-and-asia-region-b";
    JobNames na = JobNames.of(pi().name(a).build());
    JobNames nb = JobNames.of(pi().name(b).build());
    assertThat(na.resourcePrefix()).isNotEqualTo(nb.resourcePrefix()).hasSizeLessThanOrEqualTo(47);
    assertThat(na.driverServiceName()).hasSizeLessThanOrEqualTo(63);
    assertThat(na.driverPodName()).hasSizeLessThanOrEqualTo(63).doesNotContain("--");
  }

  @Test
  void appNameLabelIsAValidLabelValue() {
    assertThat(JobNames.appNameLabel("Nightly ETL: Sales (EU)!")).isEqualTo("nightly-etl-sales-eu");
    assertThat(JobNames.appNameLabel("x".repeat(80))).hasSize(63);
  }

  @Test
  void givenAppIdIsKept() {
    assertThat(JobNames.of(pi().appId("spark-1").build()).appId()).isEqualTo("spark-1");
  }

  @Test
  void aLeadingDigitBecomesXSoTheServiceNameIsADns1035Label() {
    JobNames n = JobNames.of(pi().name("2024-report").build());
    assertThat(n.driverServiceName()).startsWith("x024-report-").matches("[a-z]([-a-z0-9]*[a-z0-9])?");
    assertThat(n.driverServiceName())
        .isNotEqualTo(JobNames.of(pi().name("x024-report").build()).driverServiceName());
  }

  /** Spark's own regular expressions (KubernetesConf.getAppNameLabel), then the edge dashes cut. */
  private static String sparkAppNameLabel(String appName) {
    String s = appName.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9\\-]", "-")
        .replaceAll("-+", "-");
    s = s.length() > 63 ? s.substring(0, 63) : s;
    return s.replaceAll("^-+", "").replaceAll("-+$", "");
  }

  @net.jqwik.api.Property(tries = 2000)
  void appNameLabelIsWhatSparksExpressionsGive(@net.jqwik.api.ForAll("appNames") String appName) {
    assertThat(JobNames.appNameLabel(appName)).isEqualTo(sparkAppNameLabel(appName));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> appNames() {
    return net.jqwik.api.Arbitraries.oneOf(
        net.jqwik.api.Arbitraries.strings().withChars(" -_.aZz09!\u0130\u00df\t").ofMaxLength(90),
        net.jqwik.api.Arbitraries.strings().all().ofMaxLength(90),
        net.jqwik.api.Arbitraries.strings().withCharRange('a', 'z').withChars('-', ' ').ofMinLength(60)
            .ofMaxLength(140));
  }
}
