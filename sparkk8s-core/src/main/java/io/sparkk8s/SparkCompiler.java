package io.sparkk8s;

import io.sparkk8s.internal.compile.JobCompiler;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.SparkPlatform;

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

  /**
   * The objects of {@code platform} (see {@link CompiledPlatform}). Pure and deterministic: the
   * same platform always gives equal objects.
   */
  public static CompiledPlatform compile(SparkPlatform platform) {
    return CompiledPlatform.of(platform);
  }

  /**
   * The objects of {@code platform} as YAML, for review or {@code kubectl apply -f}: what {@link
   * SparkKubernetes#deploy} applies, then what it creates once (the notebooks' claims, and their
   * Secrets without their values: {@code deploy} draws them).
   */
  public static String toYaml(SparkPlatform platform) {
    return compile(platform).toYaml();
  }
}
