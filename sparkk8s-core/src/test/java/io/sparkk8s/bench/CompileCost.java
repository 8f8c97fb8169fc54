package io.sparkk8s.bench;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link CompileBenchmark} under JMH (throughput mode, one fork, gc profiler) and adds its
 * rows: descriptions compiled per second and bytes allocated per compile.
 *
 * <pre>{@code
 * new CompileCost(report).run(false);
 * }</pre>
 */
final class CompileCost {
  private final Report report;

  CompileCost(Report report) {
    this.report = report;
  }

  void run(boolean quick) throws Exception {
    profile(quick ? 2_000 : 20_000);
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(CompileBenchmark.class.getName() + "\\.")
        .forks(1)
        .threads(1)
        .jvmArgsAppend("-Xmx1g")
        .timeUnit(TimeUnit.SECONDS)
        .warmupIterations(quick ? 1 : 3)
        .warmupTime(TimeValue.seconds(quick ? 1 : 2))
        .measurementIterations(quick ? 2 : 5)
        .measurementTime(TimeValue.seconds(quick ? 1 : 2))
        .addProfiler(GCProfiler.class)
        .resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON)
        .result("target/bench/jmh-compile.json");
    java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "bench"));
    Collection<RunResult> results = new Runner(options.build()).run();
    java.util.Map<String, RunResult> byMethod = new java.util.HashMap<>();
    for (RunResult run : results) {
      String method = run.getParams().getBenchmark();
      byMethod.put(method.substring(method.lastIndexOf('.') + 1), run);
    }
    RunResult spark = byMethod.get("sparkSubmission");
    Double sparkOps = spark == null ? null : spark.getPrimaryResult().getScore();
    Double sparkKb = spark == null || allocation(spark) == null ? null : allocation(spark).getScore() / 1000;
    for (String method : java.util.List.of("buildAndCompile", "compile")) {
      RunResult run = byMethod.get(method);
      if (run == null) {
        continue;
      }
      boolean built = method.equals("buildAndCompile");
      String what = built ? "build() + SparkCompiler.compile(job)" : "SparkCompiler.compile(job)";
      Result<?> primary = run.getPrimaryResult();
      double ops = primary.getScore();
      String ci = Double.isNaN(primary.getScoreError()) ? "JMH 1.37, 1 thread"
          : String.format("JMH 1.37, 1 thread, ± %.0f (99.9%% CI)", primary.getScoreError());
      String peer = "; the spark-submit column: Spark 4.1.1's submission code for the same job in process"
          + " (SparkSubmit's environment, KubernetesDriverBuilder, Client.run against a recording client)";
      report.add(new Report.Row("4 compile cost", what + ", per second", "ops/s", ops, sparkOps, null,
          sparkOps == null ? null : ops / sparkOps, "SDK/Spark", built ? ">= 2000 per second" : "",
          !built ? Report.Status.INFO : ops >= 2000 ? Report.Status.MET : Report.Status.MISSED, ci + peer));
      Result<?> alloc = allocation(run);
      if (alloc != null) {
        double kb = alloc.getScore() / 1000;
        report.add(new Report.Row("4 compile cost", what + ", allocation", "KB/op", kb, sparkKb, null,
            sparkKb == null ? null : kb / sparkKb, "SDK/Spark", built ? "<= 40 KB" : "",
            !built ? Report.Status.INFO : kb <= 40 ? Report.Status.MET : Report.Status.MISSED,
            "JMH gc profiler, gc.alloc.rate.norm"));
      }
    }
  }

  /** JMH names it "gc.alloc.rate.norm" (older versions prefixed a middle dot). */
  private static Result<?> allocation(RunResult run) {
    return run.getSecondaryResults().getOrDefault("gc.alloc.rate.norm",
        run.getSecondaryResults().get("\u00b7gc.alloc.rate.norm"));
  }

  /**
   * {@code n} build-and-compiles in this JVM under the profiler, after as many unmeasured ones
   * (JIT warm-up): where a compile's CPU and allocation go.
   */
  private void profile(int n) throws java.io.IOException {
    for (int i = 0; i < n; i++) {
      io.sparkk8s.SparkCompiler.compile(CompileBenchmark.describe("bench-compile-" + (i % 100)));
    }
    Profiler profiler = Profiler.start("build-and-compile");
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      io.sparkk8s.SparkCompiler.compile(CompileBenchmark.describe("bench-compile-" + (i % 100)));
    }
    double micros = (System.nanoTime() - start) / 1e3 / n;
    Profiler.Profile profile = profiler.stop(n);
    System.out.printf("[bench] profiled build + compile: %.0f µs each over %,d (with the profiler on)%n", micros, n);
    report.appendix(profile.markdown());
  }
}
