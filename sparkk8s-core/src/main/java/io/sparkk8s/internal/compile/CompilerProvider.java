package io.sparkk8s.internal.compile;

import io.sparkk8s.CompiledJob;
import io.sparkk8s.CompiledPlatform;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.SparkPlatform;

/**
 * The compiler {@link SparkCompiler} finds ({@code
 * META-INF/services/io.sparkk8s.SparkCompiler$Provider}).
 */
public final class CompilerProvider implements SparkCompiler.Provider {

  @Override
  public CompiledJob compile(SparkJob job) {
    return new CompiledJobValue(JobCompiler.compile(job));
  }

  @Override
  public CompiledPlatform compile(SparkPlatform platform) {
    return CompiledPlatformValue.of(platform);
  }
}
