package io.sparkk8s.bench;

import io.sparkk8s.CompiledJob;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.Toleration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * JMH benchmark of part 4: compiling the suite's job description (SparkPi with the settings the
 * other parts submit) into its Kubernetes objects, with and without building (validating) the
 * description first. Run by {@link CompileCost} with JMH's gc profiler for the allocation.
 *
 * <pre>{@code
 * new Runner(new OptionsBuilder().include(CompileBenchmark.class.getName()).build()).run();
 * }</pre>
 */
@State(Scope.Benchmark)
public class CompileBenchmark {
  private final SparkJob job = describe("bench-compile");

  static SparkJob describe(String name) {
    return SparkJob.builder().name(name).namespace("bench").application(BenchCluster.PI).addArguments("1000")
        .serviceAccount("spark")
        .driver(Driver.builder().memory("512m").coreRequest("100m").build())
        .executor(Executor.builder().instances(2).memory("512m").coreRequest("100m").build())
        .putNodeSelector(BenchCluster.NODE_LABEL, "run")
        .addTolerations(Toleration.exists(BenchCluster.KWOK_TAINT_KEY))
        .build();
  }

  /** A built description into its objects: what {@code submit()} does before calling the API. */
  @Benchmark
  public CompiledJob compile() {
    return SparkCompiler.compile(job);
  }

  /** The same job as a spark-submit command line (the conformance suite's, written from Spark's docs). */
  private final java.util.List<String> sparkArgs =
      io.sparkk8s.conformance.SubmitArgs.of(describe("bench-compile"), null, null);

  /**
   * The peer: Spark 4.1.1's own submission code run in this JVM for the same job (argument
   * parsing, {@code SparkSubmit}'s environment, {@code KubernetesConf} and {@code Client.run} with
   * its {@code KubernetesDriverBuilder}) against a client that records instead of sending; the
   * recorded objects are read back as client-java models. No JVM start: what spark-submit computes,
   * not what it costs to launch.
   */
  @Benchmark
  public Object sparkSubmission() {
    return io.sparkk8s.conformance.reference.SparkReference.spark4().submit(sparkArgs,
        "spark-0123456789abcdef0123456789abcdef");
  }

  /** Building (all validation rules) and compiling a description. */
  @Benchmark
  public CompiledJob buildAndCompile() {
    return SparkCompiler.compile(describe("bench-compile"));
  }
}
