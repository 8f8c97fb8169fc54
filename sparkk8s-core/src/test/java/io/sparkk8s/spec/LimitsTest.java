package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.SparkCompiler;
import io.sparkk8s.exception.InvalidDescriptionException;
import org.junit.jupiter.api.Test;

class LimitsTest {
  static final Application PI = BadInputTest.PI;

  static SparkJob.Builder job() {
    return SparkJob.builder().name("pi").application(PI);
  }

  static InvalidDescriptionException refused(SparkJob.Builder b) {
    return (InvalidDescriptionException) org.assertj.core.api.Assertions.catchThrowable(b::build);
  }

  @Test
  void moreExecutorsThanTheLimitAreRefusedNamingTheOverride() {
    var e = refused(job().executor(Executor.builder().instances(1001).build()));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("executor.instances '1001'")
        .contains("at most limits.maxExecutors (1000)").contains("maxExecutors(n)");
    assertThatCode(() -> job().executor(Executor.builder().instances(1001).build())
        .limits(Limits.builder().maxExecutors(2000).build()).build()).doesNotThrowAnyException();
  }

  @Test
  void dynamicAllocationIsCappedAndGetsTheLimitAsItsMaximumWhenUnset() {
    assertThat(refused(job().dynamicAllocation(DynamicAllocation.between(1, 5000))).getMessage())
        .contains("dynamicAllocation.maxExecutors '5000'");
    var unbounded = job().dynamicAllocation(DynamicAllocation.builder().minExecutors(1).build())
        .build();
    assertThat(SparkCompiler.compile(unbounded).configMap().getData().get("spark.properties"))
        .contains("spark.dynamicAllocation.maxExecutors=1000");
    assertThat(refused(job().putSparkConf("spark.dynamicAllocation.maxExecutors", "100000")
        .dynamicAllocation(DynamicAllocation.builder().build())).getMessage())
        .contains("sparkConf[spark.dynamicAllocation.maxExecutors] '100000'");
  }

  @Test
  void coresAboveTheLimitAreRefusedWhereverTheyAreSet() {
    assertThat(refused(job().executor(Executor.builder().cores(300).build())).getMessage())
        .contains("executor.cores '300'").contains("limits.maxCoresPerPod (256)");
    assertThat(refused(job().driver(Driver.builder().coreLimit("257").build())).getMessage())
        .contains("driver.coreLimit '257'");
    assertThat(refused(job().putSparkConf("spark.kubernetes.executor.request.cores", "1000"))
        .getMessage()).contains("sparkConf[spark.kubernetes.executor.request.cores] '1000'");
    assertThatCode(() -> job().executor(Executor.builder().cores(300).build())
        .limits(Limits.builder().maxCoresPerPod(512).build()).build()).doesNotThrowAnyException();
  }

  @Test
  void memoryWithOverheadAboveTheLimitIsRefused() {
    assertThat(refused(job().executor(Executor.builder().memory("1000g").build())).getMessage())
        .contains("executor.memory '1000g'").contains("limits.maxMemoryPerPod (1t)");
    assertThat(refused(job().driver(Driver.builder().memory("1t").memoryOverhead("1g").build()))
        .getMessage()).contains("driver.memory '1t + 1g overhead'");
    assertThatCode(() -> job().executor(Executor.builder().memory("1000g").build())
        .limits(Limits.builder().maxMemoryPerPod("2t").build()).build()).doesNotThrowAnyException();
  }

  @Test
  void systemPriorityClassesNeedAnExplicitOptIn() {
    for (String p : new String[] {"system-node-critical", "system-cluster-critical"}) {
      assertThat(refused(job().priorityClassName(p)).getMessage())
          .contains("priorityClassName '" + p + "'").contains("allowSystemPriority(true)");
      assertThatCode(() -> job().priorityClassName(p)
          .limits(Limits.builder().allowSystemPriority(true).build()).build())
          .doesNotThrowAnyException();
    }
    assertThatCode(() -> job().priorityClassName("batch-high").build()).doesNotThrowAnyException();
  }

  @Test
  void executorAnnotationsCountJobAndExecutorTogetherAsTheApiServerDoes() {
    var e = refused(job().putAnnotation("a", "x".repeat(200 * 1024))
        .executor(Executor.builder().putAnnotation("b", "x".repeat(100 * 1024)).build()));
    assertThat(e.problems()).extracting(InvalidDescriptionException.Problem::attribute)
        .containsExactly("executor.annotations");
    assertThat(e.getMessage()).contains("the executors' annotations (job and executor together)");
    // Bytes, not characters: 100,000 three-byte characters are 300,000 bytes.
    assertThat(refused(job().putAnnotation("a", "€".repeat(100_000))).problems())
        .extracting(InvalidDescriptionException.Problem::attribute)
        .containsExactlyInAnyOrder("annotations", "executor.annotations");
  }

  @Test
  void argumentsAndEnvironmentOfAPodAreBounded() {
    var b = job();
    for (int i = 0; i < 5; i++) {
      b.addArgument("a".repeat(120 * 1024));
    }
    assertThat(refused(b).getMessage()).contains("arguments '614405 bytes'")
        .contains("limits.maxArgsAndEnvBytes (524288 bytes)");
    var big = job().putEnv("A", "v".repeat(100 * 1024)).putEnv("B", "v".repeat(100 * 1024))
        .putEnv("C", "v".repeat(100 * 1024)).putEnv("D", "v".repeat(100 * 1024))
        .putEnv("E", "v".repeat(100 * 1024)).putEnv("F", "v".repeat(100 * 1024));
    assertThat(refused(big).problems()).extracting(InvalidDescriptionException.Problem::attribute)
        .contains("arguments", "executor.env");
  }

  @Test
  void limitsThemselvesAreValidated() {
    assertThatThrownBy(() -> Limits.builder().maxExecutors(0).maxArgsAndEnvBytes(2 * 1024 * 1024)
        .maxMemoryPerPod("lots").build())
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("maxExecutors '0'").hasMessageContaining("maxArgsAndEnvBytes '2097152'")
        .hasMessageContaining("maxMemoryPerPod 'lots'");
  }

  /** The counts the rules read by hand are the ones {@code SpecPatterns.COUNT} admits, same value. */
  @Test
  void aCountIsReadAsThePatternReadsIt() {
    java.util.Random random = new java.util.Random(17);
    String alphabet = "0123456789 +-.emk\u0660";
    java.util.List<String> cases = new java.util.ArrayList<>(java.util.List.of("", "0", "007",
        "999999999", "1000000000", "12a", " 1", "1 ", "+1", "-1", "1e3", "100m", "\u0661"));
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int n = random.nextInt(12); n > 0; n--) {
        sb.append(alphabet.charAt(random.nextInt(random.nextBoolean() ? 10 : alphabet.length())));
      }
      cases.add(sb.toString());
    }
    for (String v : cases) {
      long expected = SpecPatterns.COUNT.matcher(v).matches() ? Long.parseLong(v) : -1;
      assertThat(JobLimits.count(v)).as("'%s'", v).isEqualTo(expected);
    }
  }
}
