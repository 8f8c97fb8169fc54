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
    for (RunResult run : results) {
      String method = run.getParams().getBenchmark();
      method = method.substring(method.lastIndexOf('.') + 1);
      Result<?> primary = run.getPrimaryResult();
      // JMH names it "gc.alloc.rate.norm" (older versions prefixed a middle dot).
      Result<?> alloc = run.getSecondaryResults().getOrDefault("gc.alloc.rate.norm",
          run.getSecondaryResults().get("\u00b7gc.alloc.rate.norm"));
      String what = method.equals("compile") ? "SparkCompiler.compile(job)" : "build() + SparkCompiler.compile(job)";
      report.add(new Report.Row("4 compile cost", what + ", per second", "ops/s", primary.getScore(), null, null,
          null, "", "", Report.Status.INFO, Double.isNaN(primary.getScoreError()) ? "JMH 1.37, 1 thread"
              : String.format("JMH 1.37, 1 thread, ± %.0f (99.9%% CI)", primary.getScoreError())));
      if (alloc != null) {
        report.add(new Report.Row("4 compile cost", what + ", allocation", "KB/op", alloc.getScore() / 1000, null,
            null, null, "", "", Report.Status.INFO, "JMH gc profiler, gc.alloc.rate.norm"));
      }
    }
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
