package io.sparkk8s.examples;

import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkK8sException;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.SparkJob;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Submits SparkPi, prints every state change and executor count as it happens, streams the
 * driver's log, and exits with the driver's exit code. Uses the current kube context, or, where
 * none is configured, the local test cluster of {@code scripts/local-k8s/up.sh}.
 *
 * <p>Arguments: [namespace] [slices]. The namespace must exist.
 */
public final class SparkPiLauncher {
  static final Path LOCAL_CLUSTER = Path.of(
      System.getenv().getOrDefault("SPARKK8S_STATE_DIR", "/var/lib/sparkk8s-local"), "admin.kubeconfig");

  private SparkPiLauncher() {}

  public static void main(String[] args) throws Exception {
    String namespace = args.length > 0 ? args[0] : "default";
    String slices = args.length > 1 ? args[1] : "10";
    SparkJob pi = SparkJob.builder()
        .name("spark-pi")
        .namespace(namespace)
        .appId(SparkJob.newAppId())           // a new application on every launch
        .application(Application.jvm("org.apache.spark.examples.SparkPi",
            "local:///opt/spark/examples/jars/spark-examples.jar"))
        .addArgument(slices)
        // Small requests so SparkPi fits a laptop-sized cluster (Spark asks a whole core each).
        .driver(Driver.builder().coreRequest("250m").memory("512m").build())
        .executor(Executor.builder().instances(2).coreRequest("250m").memory("512m").build())
        .serviceAccount("spark")
        .build();
    try (SparkKubernetes spark = connect()) {
      spark.ensureDriverServiceAccount(namespace, "spark");
      SparkJobHandle job = spark.submit(pi);
      System.out.println("submitted " + job.namespace() + "/" + job.name() + " (" + job.appId() + ")");
      job.addListener((j, from, to) -> System.out.println("state: " + to));
      try (InputStream log = job.driverLog()) {
        log.transferTo(System.out);
      }
      JobState end = job.awaitCompletion(Duration.ofMinutes(30));
      System.out.println("final: " + end);
      System.exit(end.exitCode().orElse(1));
    } catch (SparkK8sException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  static SparkKubernetes connect() {
    boolean kubeconfig = System.getenv("KUBECONFIG") != null
        || Files.exists(Path.of(System.getProperty("user.home"), ".kube", "config"))
        || System.getenv("KUBERNETES_SERVICE_HOST") != null;
    if (!kubeconfig && Files.isReadable(LOCAL_CLUSTER)) {
      System.out.println("no kube context configured; using the local cluster " + LOCAL_CLUSTER);
      return SparkKubernetes.fromKubeconfig(LOCAL_CLUSTER, Optional.empty());
    }
    return SparkKubernetes.connect();
  }
}
