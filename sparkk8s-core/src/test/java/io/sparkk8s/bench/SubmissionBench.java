package io.sparkk8s.bench;

import io.kubernetes.client.openapi.ApiException;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.it.SparkSubmit;
import io.sparkk8s.it.TestNamespace;
import io.sparkk8s.spec.SparkJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Parts 1 and 2 of the suite: how long one submission takes, and how many a second one SDK
 * instance accepts, each beside spark-submit (latency only) and the raw client-java floor.
 *
 * <pre>{@code
 * new SubmissionBench(cluster, kubeconfig, report).latency(50, 50, 5);
 * }</pre>
 */
final class SubmissionBench {
  private final BenchCluster cluster;
  private final Path kubeconfig;
  private final Report report;

  SubmissionBench(BenchCluster cluster, Path kubeconfig, Report report) {
    this.cluster = cluster;
    this.kubeconfig = kubeconfig;
    this.report = report;
  }

  /**
   * {@code rounds} rounds, each one SDK submit, one raw creation and (in the first
   * {@code sparkSubmits} rounds) one spark-submit, interleaved so that all three see the same
   * load on the shared machine. {@code warmup} rounds of SDK and floor go first, unmeasured.
   */
  void latency(int rounds, int sparkSubmits, int warmup) throws Exception {
    TestNamespace ns = cluster.namespace("latency");
    Samples sdk = new Samples("ms");
    Samples raw = new Samples("ms");
    Samples submit = new Samples("ms");
    RawFloor floor = new RawFloor(BenchCluster.client(kubeconfig));
    Path logs = Files.createDirectories(Path.of("target", "bench", "spark-submit"));
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(kubeconfig, Optional.empty())) {
      for (int i = -warmup; i < rounds; i++) {
        String id = i < 0 ? "w" + (-i) : Integer.toString(i);
        SparkJob job = cluster.sparkPi(ns, "lat-sdk-" + id);
        long start = System.nanoTime();
        spark.submit(job);
        long sdkNanos = System.nanoTime() - start;

        RawFloor.Prepared prepared = RawFloor.prepare(SparkCompiler.compile(cluster.sparkPi(ns, "lat-raw-" + id)));
        start = System.nanoTime();
        floor.create(prepared);
        long rawNanos = System.nanoTime() - start;
        if (i < 0) {
          continue;
        }
        sdk.addNanos(sdkNanos);
        raw.addNanos(rawNanos);
        if (i < sparkSubmits) {
          submit.addNanos(sparkSubmitOnce(ns, "lat-ss-" + id, logs.resolve("latency-" + id + ".log")));
        }
        if ((i + 1) % 10 == 0) {
          System.out.printf("[bench] latency round %d/%d: sdk %s | floor %s | spark-submit %s%n", i + 1, rounds,
              sdk, raw, submit);
        }
      }
    }
    int expected = 2 * (rounds + warmup) + Math.min(rounds, sparkSubmits);
    int drivers = cluster.core.listNamespacedPod(ns.name()).labelSelector("spark-role=driver").execute()
        .getItems().size();
    if (drivers != expected) {
      throw new IllegalStateException("expected " + expected + " driver pods in " + ns + ", found " + drivers);
    }
    String n = String.format("n=%d SDK and floor, %d spark-submit", sdk.count(), submit.count());
    addLatencyRows("median", sdk.median(), submit.median(), raw.median(), true, n);
    addLatencyRows("p99", sdk.p99(), submit.p99(), raw.p99(), false, n);
    cluster.deleteNamespace(ns, Duration.ofMinutes(5));
  }

  private void addLatencyRows(String stat, double a, double b, double c, boolean targets, String n) {
    double faster = b / a;
    double overFloor = a / c;
    report.add(new Report.Row("1 submit latency", "submit until the driver pod exists, " + stat + " (b/a)", "ms",
        a, b, c, faster, "b/a", targets ? ">= 50× faster than spark-submit" : "",
        !targets ? Report.Status.INFO : faster >= 50 ? Report.Status.MET : Report.Status.MISSED, n));
    report.add(new Report.Row("1 submit latency", "submit until the driver pod exists, " + stat + " (a/c)", "ms",
        a, null, c, overFloor, "a/c", targets ? "<= 1.5× the floor" : "",
        !targets ? Report.Status.INFO : overFloor <= 1.5 ? Report.Status.MET : Report.Status.MISSED, n));
  }

  /** One spark-submit with waitAppCompletion=false, timed from process start to its exit. */
  private long sparkSubmitOnce(TestNamespace ns, String appName, Path log) throws IOException, InterruptedException {
    SparkSubmit submit = cluster.sparkSubmit(ns, appName, false);
    long start = System.nanoTime();
    Process process = submit.start(log, BenchCluster.PI.mainClass().orElseThrow(), BenchCluster.PI.resource(),
        "1000");
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("spark-submit did not exit within 3 minutes; its output: " + log);
    }
    long nanos = System.nanoTime() - start;
    if (process.exitValue() != 0) {
      throw new IllegalStateException("spark-submit exited " + process.exitValue() + ":\n"
          + Files.readString(log, StandardCharsets.UTF_8));
    }
    return nanos;
  }

  /**
   * {@code jobs} submissions through one SDK instance with {@code concurrency} threads, then the
   * same number through the floor, each into its own namespace; jobs accepted per second is
   * {@code jobs} over the wall time from the first call to the last return.
   */
  void throughput(int jobs, int concurrency) throws Exception {
    TestNamespace rawNs = cluster.namespace("tput-floor");
    TestNamespace sdkNs = cluster.namespace("tput-sdk");
    // The floor's objects are compiled before its clock starts; the SDK compiles inside submit().
    List<RawFloor.Prepared> prepared = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      prepared.add(RawFloor.prepare(SparkCompiler.compile(cluster.sparkPi(rawNs, "tput-raw-" + i))));
    }
    RawFloor floor = new RawFloor(BenchCluster.client(kubeconfig));
    double rawRate = timed("floor", jobs, concurrency, i -> floor.create(prepared.get(i)));
    prepared.clear();
    awaitRunning(rawNs, jobs);

    List<SparkJob> descriptions = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      descriptions.add(cluster.sparkPi(sdkNs, "tput-sdk-" + i));
    }
    double sdkRate;
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(kubeconfig, Optional.empty())) {
      sdkRate = timed("SDK", jobs, concurrency, i -> spark.submit(descriptions.get(i)));
    }
    awaitRunning(sdkNs, jobs);
    double ratio = sdkRate / rawRate;
    report.add(new Report.Row("2 throughput", String.format("jobs accepted per second, %d jobs, %d threads", jobs,
        concurrency), "jobs/s", sdkRate, null, rawRate, ratio, "SDK/floor", ">= 0.8× the floor",
        ratio >= 0.8 ? Report.Status.MET : Report.Status.MISSED, "one SDK instance; floor first, then the SDK"));
    cluster.deleteNamespace(rawNs, Duration.ofMinutes(10));
    cluster.deleteNamespace(sdkNs, Duration.ofMinutes(10));
  }

  private interface Task {
    void run(int i) throws Exception;
  }

  private static double timed(String what, int jobs, int concurrency, Task task) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> done = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < jobs; i++) {
        int index = i;
        done.add(pool.submit(() -> {
          task.run(index);
          return null;
        }));
      }
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException(what + " submission failed", e.getCause());
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("[bench] throughput %s: %d jobs in %.2f s = %.1f jobs/s%n", what, jobs, seconds,
          jobs / seconds);
      return jobs / seconds;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Lets KWOK bring the pods up before the next part starts, so the parts do not overlap. */
  private void awaitRunning(TestNamespace ns, int pods) {
    Awaitility.await("pods of " + ns + " running on KWOK nodes").atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> runningPods(ns) >= pods);
  }

  private int runningPods(TestNamespace ns) throws ApiException {
    return cluster.core.listNamespacedPod(ns.name()).fieldSelector("status.phase=Running").execute()
        .getItems().size();
  }
}
