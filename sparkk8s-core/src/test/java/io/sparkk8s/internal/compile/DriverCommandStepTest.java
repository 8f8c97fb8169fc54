package io.sparkk8s.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1EnvVar;
import io.sparkk8s.spec.Application;
import org.junit.jupiter.api.Test;

class DriverCommandStepTest {
  final DriverCommandStep step = new DriverCommandStep();

  @Test
  void jvmArgsFollowTheImageEntrypointContract() {
    var job = Jobs.pi().addArgument("100").proxyUser("etl").build();
    assertThat(Jobs.apply(step, job).container().getArgs()).containsExactly("driver",
        "--proxy-user", "etl", "--properties-file", "/opt/spark/conf/spark.properties",
        "--class", "org.apache.spark.examples.SparkPi",
        "local:///opt/spark/examples/jars/spark-examples.jar", "100");
    assertThat(step.systemProperties(DriverContext.of(job)))
        .containsEntry("spark.kubernetes.resource.type", "java");
  }

  @Test
  void pythonRunsThroughPythonRunnerWithTheChosenInterpreter() {
    var job = Jobs.pi().application(Application.python("local:///app/main.py"))
        .putSparkConf("spark.pyspark.python", "python3").build();
    var c = Jobs.apply(step, job).container();
    assertThat(c.getArgs()).containsSubsequence("--class", "org.apache.spark.deploy.PythonRunner",
        "local:///app/main.py");
    assertThat(c.getEnv()).extracting(V1EnvVar::getName)
        .containsExactly("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON");
    assertThat(step.systemProperties(DriverContext.of(job)))
        .containsEntry("spark.kubernetes.resource.type", "python");
  }

  @Test
  void argumentsKeepQuotesNewlinesAndUnicodeVerbatim() {
    var job = Jobs.pi().addArguments("a \"quoted\"\nline", "résumé ☃").build();
    assertThat(Jobs.apply(step, job).container().getArgs())
        .endsWith("a \"quoted\"\nline", "résumé ☃");
  }
}
