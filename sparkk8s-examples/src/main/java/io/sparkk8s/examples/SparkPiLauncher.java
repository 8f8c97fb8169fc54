package io.sparkk8s.examples;

import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.exception.SparkK8sException;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.SparkJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Submits SparkPi and shows it run: in a terminal, a live bar of Spark's tasks with the job's state
 * and executors ({@link ProgressDisplay}); elsewhere, every state change, Spark's progress and the
 * driver's log as plain lines. Exits with the driver's exit code. Uses the current kube context, or, where
 * none is configured, the local test cluster of {@code scripts/local-k8s/up.sh}, which it starts
 * when it can (Linux, root); where it cannot, it says what to do and exits 3 at once.
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
    Optional<SparkKubernetes> connected = connect();
    if (connected.isEmpty()) {
      System.exit(3);
    }
    int exit;
    // System.exit only after the client is closed: inside the try it would skip close().
    try (SparkKubernetes spark = connected.get()) {
      spark.ensureDriverServiceAccount(namespace, "spark");
      SparkJobHandle job = spark.submit(pi);
      System.out.println("submitted " + job.namespace() + "/" + job.name() + " (" + job.appId() + ")");
      // In a terminal: a live bar of Spark's tasks, the state and executors beside it, and the
      // driver's log kept for the end. Elsewhere (CI logs, a pipe): plain lines as things happen.
      String result;
      if (System.console() != null) {
        try (ProgressDisplay bar = ProgressDisplay.inTerminal("SparkPi")) {
          job.addListener((j, from, to) -> bar.state(to));
          job.addProgressListener((j, p) -> bar.progress(p));
          result = piLine(job, false);
        }
      } else {
        job.addListener((j, from, to) -> System.out.println("state: " + to));
        job.addProgressListener((j, p) -> System.out.println(ProgressDisplay.plain(p)));
        result = piLine(job, true);
      }
      JobState end = job.awaitCompletion(Duration.ofMinutes(30));
      exit = end.exitCode().orElse(1);
      System.out.printf("SparkPi %s in %s: %s; exit code %d%n", end.phase(),
          job.metrics().totalTime().map(d -> d.toSeconds() + " s").orElse("?"), result, exit);
      job.failureReport().ifPresent(r -> System.out.println("why: " + r));
    } catch (SparkK8sException e) {
      System.err.println(e.getMessage());
      exit = 2;
    }
    System.exit(exit);
  }

  /** Reads the driver's log to its end (printing it when asked); returns SparkPi's result line. */
  private static String piLine(SparkJobHandle job, boolean print) throws IOException {
    String result = "no result printed";
    try (java.io.BufferedReader log = new java.io.BufferedReader(new java.io.InputStreamReader(
        job.driverLog(), StandardCharsets.UTF_8))) {
      for (String line = log.readLine(); line != null; line = log.readLine()) {
        if (print) {
          System.out.println(line);
        }
        result = line.startsWith("Pi is roughly") ? line : result;
      }
    }
    return result;
  }

  /**
   * The cluster to run on: the configured kube context; else the local test cluster, started
   * here when this machine can (Linux, root, a checkout with {@code scripts/local-k8s}); else
   * empty, after saying what to do.
   */
  static Optional<SparkKubernetes> connect() throws IOException, InterruptedException {
    String env = System.getenv("KUBECONFIG");
    Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
    if (env != null && !env.isBlank() || Files.exists(home)) {
      System.out.println("using the current kube context of "
          + (env != null && !env.isBlank() ? "KUBECONFIG=" + env : home.toString()));
      return Optional.of(SparkKubernetes.connect());
    }
    if (System.getenv("KUBERNETES_SERVICE_HOST") != null) {
      System.out.println("using this pod's service account (in-cluster)");
      return Optional.of(SparkKubernetes.connect());
    }
    Optional<Path> upScript = localClusterScript();
    boolean canStart = upScript.isPresent()
        && System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
        && "root".equals(System.getProperty("user.name"));
    if (canStart) {
      System.out.println("no kube context configured; starting the local cluster with "
          + upScript.get() + " (reused when already up; a first, cold build takes 12-20 min on "
          + "2 cores, numbers its phases and says how long is left as it goes)");
      Process up = new ProcessBuilder("bash", upScript.get().toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(up.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (up.waitFor() != 0) {
        System.err.println("the local cluster did not come up (exit " + up.exitValue()
            + "); its logs are in " + LOCAL_CLUSTER.getParent().resolve("logs"));
        return Optional.empty();
      }
      Path kubeconfig = Path.of(out.substring(out.lastIndexOf('\n') + 1));
      System.out.println("using the local cluster " + kubeconfig);
      return Optional.of(SparkKubernetes.fromKubeconfig(kubeconfig, Optional.empty()));
    }
    if (Files.isReadable(LOCAL_CLUSTER)) {
      System.out.println("no kube context configured; using the local cluster " + LOCAL_CLUSTER);
      return Optional.of(SparkKubernetes.fromKubeconfig(LOCAL_CLUSTER, Optional.empty()));
    }
    System.err.println(String.join(System.lineSeparator(),
        "No Kubernetes cluster to run SparkPi on: no KUBECONFIG, no " + home + ", not in a pod.",
        "Do one of:",
        "  - point KUBECONFIG at a cluster's kubeconfig (GKE, EKS, PKS, on-premises), or",
        "  - start a local one: `minikube start` or `kind create cluster`, then run this again, or",
        "  - on Linux, as root, from a checkout of sparkk8s: run this again and it builds and starts",
        "    the project's own local cluster (scripts/local-k8s/up.sh; 12-20 min the first time)."));
    return Optional.empty();
  }

  /** {@code scripts/local-k8s/up.sh} of the checkout this runs in (Maven runs it from a module). */
  static Optional<Path> localClusterScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path up = dir.resolve("scripts/local-k8s/up.sh");
      if (Files.isRegularFile(up)) {
        return Optional.of(up);
      }
    }
    return Optional.empty();
  }
}
