package io.sparkk8s;

import io.sparkk8s.internal.compile.JobCompiler;
import io.sparkk8s.spec.SparkJob;

/**
 * Compiles descriptions into Kubernetes objects, offline: no cluster is contacted.
 *
 * <pre>{@code
 * CompiledJob compiled = SparkCompiler.compile(job);
 * System.out.println(compiled.toYaml());
 * }</pre>
 */
public final class SparkCompiler {
  private SparkCompiler() {}

  /**
   * The objects Spark's cluster-mode submission would create for {@code job}. Pure and
   * deterministic: the same job always gives equal objects.
   */
  public static CompiledJob compile(SparkJob job) {
    return CompiledJob.of(JobCompiler.compile(job));
  }
}
