package io.sparkk8s.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Apache Spark's own {@code spark-submit} ({@code org.apache.spark.deploy.SparkSubmit}) as a child JVM,
 * in cluster mode against a {@link ClusterConnection}. Spark's jars come from the classpath file the
 * conformance oracle resolves from Maven Central during {@code generate-test-resources}
 * ({@code target/spark-oracle/spark-<version>.classpath}).
 *
 * <pre>{@code
 * SparkSubmit.Result result = SparkSubmit.cluster(cluster, namespace)
 *     .conf("spark.executor.instances", "2")
 *     .run("org.apache.spark.examples.SparkPi", "local:///opt/spark/examples/jars/spark-examples.jar", "4");
 * }</pre>
 */
public final class SparkSubmit {
  /** The service account the driver runs as. */
  public static final String SERVICE_ACCOUNT = "spark";

  /** The driver's ServiceAccount and least-privilege Role, made by the SDK itself. */
  public static void ensureDriverServiceAccount(ClusterConnection cluster, TestNamespace namespace) {
    try (io.sparkk8s.SparkKubernetes spark = io.sparkk8s.SparkKubernetes.using(cluster.client())) {
      spark.ensureDriverServiceAccount(namespace.name(), SERVICE_ACCOUNT);
    }
  }


  public static final String SPARK_VERSION = System.getProperty("sparkk8s.it.sparkVersion", "4.1.1");
  /** The SDK's default image; the local cluster imports an image of this name. */
  public static final String SPARK_IMAGE = System.getProperty("sparkk8s.it.sparkImage", "apache/spark:" + SPARK_VERSION);

  /** Java 17 needs these for Spark, as Spark's launcher adds them (org.apache.spark.launcher.JavaModuleOptions). */
  private static final List<String> JAVA_MODULE_OPTIONS = List.of(
      "-XX:+IgnoreUnrecognizedVMOptions",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "-Djdk.reflect.useDirectMethodHandle=false",
      "-Dio.netty.tryReflectionSetAccessible=true");

  /** What a finished spark-submit left: its exit code and its output (also in {@link #log()}). */
  public record Result(int exitCode, String output, Path log) {}

  private final ClusterConnection cluster;
  private final TestNamespace namespace;
  private final Map<String, String> conf = new LinkedHashMap<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private Duration timeout = Duration.ofMinutes(10);

  private SparkSubmit(ClusterConnection cluster, TestNamespace namespace) {
    this.cluster = cluster;
    this.namespace = namespace;
  }

  /**
   * A cluster-mode submission into {@code namespace}, with the defaults every E2E test needs on a small
   * (2-core) node: the SDK's default image, service account {@code spark}, small CPU requests.
   */
  public static SparkSubmit cluster(ClusterConnection cluster, TestNamespace namespace) {
    return new SparkSubmit(cluster, namespace)
        .conf("spark.kubernetes.namespace", namespace.name())
        .conf("spark.kubernetes.container.image", SPARK_IMAGE)
        .conf("spark.kubernetes.container.image.pullPolicy", "IfNotPresent")
        .conf("spark.kubernetes.authenticate.driver.serviceAccountName", SERVICE_ACCOUNT)
        .conf("spark.kubernetes.driver.request.cores", "100m")
        .conf("spark.kubernetes.executor.request.cores", "100m")
        .conf("spark.driver.memory", "512m")
        .conf("spark.executor.memory", "512m")
        .conf("spark.kubernetes.submission.waitAppCompletion", "true")
        .conf("spark.kubernetes.report.interval", "5s");
  }

  public SparkSubmit conf(String key, String value) {
    conf.put(key, value);
    return this;
  }

  public SparkSubmit timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** An option of the spark-submit JVM itself (bin/spark-submit gives it {@code -Xmx1g}). */
  public SparkSubmit jvmOption(String option) {
    jvmOptions.add(option);
    return this;
  }

  /** Submits {@code mainClass} (null for a Python resource) and waits for spark-submit to exit. */
  public Result run(String mainClass, String resource, String... appArgs) throws IOException, InterruptedException {
    Path log = logFile();
    Process process = start(log, mainClass, resource, appArgs);
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("spark-submit did not finish within " + timeout + "; its output: " + log);
    }
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), log);
  }

  /** {@code target/spark-submit/<namespace>.log}, where {@link #run} writes spark-submit's output. */
  public Path logFile() throws IOException {
    return Files.createDirectories(Paths.get("target", "spark-submit"))
        .resolve(namespace.name() + ".log").toAbsolutePath();
  }

  /**
   * Starts spark-submit without waiting for it (for benchmarks that time it or measure the waiting
   * JVM); its output goes to {@code log}.
   */
  public Process start(Path log, String mainClass, String resource, String... appArgs) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(JAVA_MODULE_OPTIONS);
    command.add("-cp");
    command.add(sparkClasspath());
    command.add("org.apache.spark.deploy.SparkSubmit");
    command.add("--master");
    command.add("k8s://" + cluster.apiServer());
    command.add("--deploy-mode");
    command.add("cluster");
    if (mainClass != null) {
      command.add("--class");
      command.add(mainClass);
    }
    conf.forEach((key, value) -> {
      command.add("--conf");
      command.add(key + "=" + value);
    });
    command.add(resource);
    command.addAll(List.of(appArgs));

    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // spark-submit's Kubernetes client (fabric8) takes credentials and CA from the kubeconfig.
    builder.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
    builder.environment().remove("SPARK_HOME");
    return builder.start();
  }

  /** The classpath file of Spark {@value #SPARK_VERSION}'s jars, written by the spark-oracle build step. */
  public static String sparkClasspath() throws IOException {
    Path file = Paths.get(System.getProperty("sparkk8s.it.sparkClasspathFile",
        Paths.get("target", "spark-oracle", "spark-" + SPARK_VERSION + ".classpath").toString()));
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(file.toAbsolutePath() + " is missing: it is written in generate-test-resources"
          + " of sparkk8s-core (run the tests through Maven: mvn verify -Pe2e)");
    }
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }
}
