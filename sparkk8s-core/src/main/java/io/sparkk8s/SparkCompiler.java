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

  /**
   * The objects of {@code platform} as YAML, for review or {@code kubectl apply -f}: what {@link
   * SparkKubernetes#deploy} applies, then what it creates once (the notebooks' claims, and the
   * token Secrets, without a token: {@code deploy} draws it).
   */
  public static String toYaml(io.sparkk8s.spec.SparkPlatform platform) {
    var out = io.sparkk8s.internal.compile.PlatformCompiler.compile(platform);
    java.util.List<Object> all = new java.util.ArrayList<>(out.applied());
    all.addAll(out.createdOnce());
    return io.sparkk8s.internal.compile.Manifests.yaml(all);
  }
}
