package io.sparkk8s.examples;

import io.sparkk8s.CompiledJob;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.SparkJob;

/**
 * Describes SparkPi and prints the Kubernetes objects Spark's cluster-mode submission would create
 * for it, as YAML that {@code kubectl apply -f -} accepts. Arguments: [namespace] [slices].
 */
public final class SparkPiYaml {
  private SparkPiYaml() {}

  public static void main(String[] args) {
    String namespace = args.length > 0 ? args[0] : "default";
    String slices = args.length > 1 ? args[1] : "100";
    try {
      SparkJob pi = SparkJob.builder()
          .name("spark-pi")
          .namespace(namespace)
          .application(Application.jvm("org.apache.spark.examples.SparkPi",
              "local:///opt/spark/examples/jars/spark-examples.jar"))
          .addArgument(slices)
          .executor(Executor.builder().instances(2).build())
          .serviceAccount("spark")
          .build();
      CompiledJob compiled = SparkCompiler.compile(pi);
      System.out.print(compiled.toYaml());
    } catch (InvalidDescriptionException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }
}
