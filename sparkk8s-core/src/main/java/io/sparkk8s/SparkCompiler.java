package io.sparkk8s;

import io.sparkk8s.exception.SparkK8sException;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.SparkPlatform;
import java.util.Optional;

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
    return provider().compile(job);
  }

  /**
   * The objects of {@code platform} (see {@link CompiledPlatform}). Pure and deterministic: the
   * same platform always gives equal objects.
   */
  public static CompiledPlatform compile(SparkPlatform platform) {
    return provider().compile(platform);
  }

  /**
   * The objects of {@code platform} as YAML, for review or {@code kubectl apply -f}: what {@link
   * SparkKubernetes#deploy} applies, then what it creates once (the notebooks' claims, and their
   * Secrets without their values: {@code deploy} draws them).
   */
  public static String toYaml(SparkPlatform platform) {
    return compile(platform).toYaml();
  }

  /**
   * The compiler behind {@link SparkCompiler}. The SDK ships the one implementation and finds it
   * with {@link java.util.ServiceLoader} ({@code
   * META-INF/services/io.sparkk8s.SparkCompiler$Provider} in {@code sparkk8s-core}), as {@link
   * SparkKubernetes} finds its client, so that the public API does not import its implementation:
   * a shaded jar must keep that file. Not for users to implement or call.
   */
  public interface Provider {

    /** The objects of {@code job}. */
    CompiledJob compile(SparkJob job);

    /** The objects of {@code platform}. */
    CompiledPlatform compile(SparkPlatform platform);
  }

  /** The SDK's compiler, looked for once, on first use. */
  private static final class Found {
    private static final Optional<Provider> PROVIDER = ServiceProviders.find(Provider.class);
  }

  /**
   * The SDK's compiler.
   *
   * @throws SparkK8sException when none is on the class path (a shaded jar without
   *     sparkk8s-core's service file)
   */
  private static Provider provider() {
    return ServiceProviders.require(Found.PROVIDER, Provider.class);
  }
}
