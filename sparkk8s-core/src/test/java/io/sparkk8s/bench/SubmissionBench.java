package io.sparkk8s.bench;

import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        a, null, c, overFloor, "a/c", targets ? "<= 1.1× the floor" : "",
        !targets ? Report.Status.INFO : overFloor <= 1.1 ? Report.Status.MET : Report.Status.MISSED, n));
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
   * {@code jobs} submissions through one SDK instance with {@code concurrency} threads, and as many
   * through the floor, and as many through the floor from a client with a plain informer on their
   * namespace (the fair peer of a client that tracks its jobs), each into its own namespace, in
   * {@code batches} counted rounds of three batches (the first side turning with each round) so
   * that all see the same load of the shared machine; each batch's pods are left to start on KWOK
   * before the next batch. Warm-up rounds before and a profiled round after are not counted: the
   * client measured is one that has run a while, as a service embedding it does, its code compiled
   * by the JIT. Warm-up goes on from {@code minWarmup} rounds until a round in which the JIT
   * compiler threads took under {@link #JIT_SETTLED} of every side's CPU, or {@code maxWarmup}
   * rounds (the JIT's share in the counted rounds is in the thread split either way).
   * Jobs accepted per second is the number of counted jobs over the summed wall time of their
   * batches, each from its first call to its last return; client CPU per job likewise.
   */
  void throughput(int jobs, int concurrency, int batches, int minWarmup, int maxWarmup)
      throws Exception {
    TestNamespace rawNs = cluster.namespace("tput-floor-" + concurrency);
    TestNamespace sdkNs = cluster.namespace("tput-sdk-" + concurrency);
    // The fair peer of a client that tracks its jobs: the floor's creations plus a plain
    // client-java informer caching the pods of their namespace (an informational row).
    TestNamespace watchedNs = cluster.namespace("tput-watched-" + concurrency);
    RawFloor watchedFloor = new RawFloor(BenchCluster.client(kubeconfig));
    ApiClient watchClient = BenchCluster.client(kubeconfig);
    watchClient.setHttpClient(watchClient.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
    SharedInformerFactory informers = new SharedInformerFactory(watchClient);
    informers.sharedIndexInformerFor(new GenericKubernetesApi<>(V1Pod.class, V1PodList.class, "", "v1", "pods",
        watchClient), V1Pod.class, 0, watchedNs.name());
    informers.startAllRegisteredInformers();
    double[] watched = new double[2];
    // Where each side's CPU went, by thread group, over the counted rounds.
    CpuSplit.Split[] splits = {CpuSplit.Split.EMPTY, CpuSplit.Split.EMPTY, CpuSplit.Split.EMPTY};
    Machine.LoadSampler load = Machine.LoadSampler.start(java.time.Duration.ofSeconds(5));
    RawFloor floor = new RawFloor(BenchCluster.client(kubeconfig));
    double[] raw = new double[2];
    double[] sdk = new double[2];
    List<Double> floorRatios = new ArrayList<>();
    List<Double> watchedRatios = new ArrayList<>();
    Profiler.Profile floorProfile = null;
    Profiler.Profile sdkProfile = null;
    int perBatch = jobs / batches;
    // The profiled round is not counted because the recorder's own cost lands on it.
    int warmupRounds = 0;
    int countedRounds = 0;
    boolean settled = false;
    List<String> jitShares = new ArrayList<>();
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(kubeconfig, Optional.empty())) {
      for (int b = 0; ; b++) {
        int from = perBatch * b;
        int to = perBatch * (b + 1);
        // The floor's objects are compiled before its clock starts; the SDK compiles inside submit().
        List<RawFloor.Prepared> prepared = new ArrayList<>();
        List<RawFloor.Prepared> preparedWatched = new ArrayList<>();
        List<SparkJob> descriptions = new ArrayList<>();
        for (int i = from; i < to; i++) {
          prepared.add(RawFloor.prepare(SparkCompiler.compile(cluster.sparkPi(rawNs, "tput-raw-" + i))));
          preparedWatched.add(RawFloor.prepare(SparkCompiler.compile(cluster.sparkPi(watchedNs, "tput-w-" + i))));
          descriptions.add(cluster.sparkPi(sdkNs, "tput-sdk-" + i));
        }
        boolean warmUp = warmupRounds < minWarmup || (!settled && warmupRounds < maxWarmup);
        boolean profiled = !warmUp && countedRounds == batches;
        double[] f = null;
        double[] s = null;
        double[] w = null;
        CpuSplit.Split[] round = new CpuSplit.Split[3];
        // Which side goes first turns with each round, so a drift in the machine's load favours none.
        for (int k = 0; k < 3; k++) {
          int side = (b + k) % 3;
          if (side == 0) {
            Profiler profiler = profiled ? Profiler.start("throughput-floor-" + concurrency) : null;
            f = timed("floor", prepared.size(), concurrency, i -> floor.create(prepared.get(i)), round, 0);
            floorProfile = profiled ? profiler.stop(prepared.size()) : floorProfile;
            awaitRunning(rawNs, to);
          } else if (side == 1) {
            w = timed("floor + informer", preparedWatched.size(), concurrency,
                i -> watchedFloor.create(preparedWatched.get(i)), round, 1);
            awaitRunning(watchedNs, to);
          } else {
            Profiler profiler = profiled ? Profiler.start("throughput-sdk-" + concurrency) : null;
            s = timed("SDK", descriptions.size(), concurrency, i -> spark.submit(descriptions.get(i)),
                round, 2);
            sdkProfile = profiled ? profiler.stop(descriptions.size()) : sdkProfile;
            awaitRunning(sdkNs, to);
          }
        }
        if (warmUp) {
          warmupRounds++;
          double jit = jitShare(round);
          jitShares.add(String.format("%.0f %%", 100 * jit));
          settled = jit < JIT_SETTLED;
        } else if (!profiled) {
          countedRounds++;
          add(raw, f);
          add(sdk, s);
          add(watched, w);
          for (int k = 0; k < 3; k++) {
            splits[k] = splits[k].plus(round[k]);
          }
          floorRatios.add(s[1] / f[1]);
          watchedRatios.add(s[1] / w[1]);
        }
        System.out.printf("[bench] throughput at %d threads: round %d done (%s, %d jobs each side); then %s%n",
            concurrency, b + 1, warmUp ? "warm-up " + warmupRounds + ", not counted, JIT threads "
                + jitShares.get(jitShares.size() - 1) + " of the CPU"
                : profiled ? "profiled, not counted"
                : String.format("counted %d/%d, client CPU SDK/floor %.2f, SDK/(floor + informer) %.2f",
                    countedRounds, batches, s[1] / f[1], s[1] / w[1]),
            perBatch, profiled ? "the part ends" : countedRounds < batches
                ? (batches - countedRounds) + " counted round(s) and a profiled one" : "a profiled round");
        if (profiled) {
          break;
        }
      }
    } finally {
      informers.stopAllRegisteredInformers();
      load.close();
    }
    jobs = perBatch * batches; // the counted ones
    Map<String, CpuSplit.Split> sides = new LinkedHashMap<>();
    sides.put("SDK", splits[2]);
    sides.put("floor", splits[0]);
    sides.put("floor + informer", splits[1]);
    report.appendix(CpuSplit.markdown("Client CPU and allocation by thread, " + concurrency
        + " threads (counted rounds, " + jobs + " jobs each side; the JDK's per-thread counters)",
        sides, jobs));
    if (sdkProfile != null) {
      report.appendix(sdkProfile.markdown());
      report.appendix(floorProfile.markdown());
    }
    double rawRate = jobs / raw[0];
    double sdkRate = jobs / sdk[0];
    double ratio = sdkRate / rawRate;
    System.out.printf("[bench] throughput: SDK %.1f jobs/s, floor %.1f jobs/s%n", sdkRate, rawRate);
    String how = String.format("one SDK instance; %d counted rounds of batches (floor, floor + informer, SDK, in"
        + " turning order) after %d warm-up round%s (%d jobs each side; the JIT threads' share of the CPU in each: %s)"
        + " and before a profiled round (none counted); load during the part %s", batches, warmupRounds,
        warmupRounds == 1 ? "" : "s", warmupRounds * perBatch, String.join(", ", jitShares), load.summary());
    report.add(new Report.Row("2 throughput", String.format("jobs accepted per second, %d jobs, %d threads", jobs,
        concurrency), "jobs/s", sdkRate, null, rawRate, ratio, "SDK/floor", ">= 0.9× the floor",
        ratio >= 0.9 ? Report.Status.MET : Report.Status.MISSED, how));
    // On a machine whose cores the API server shares, the client's CPU is taken from the server.
    double cpuRatio = sdk[1] / raw[1];
    report.add(new Report.Row("2 throughput", String.format("client CPU per job (whole client JVM), %d threads",
        concurrency), "ms", sdk[1] / jobs, null, raw[1] / jobs, cpuRatio, "SDK/floor", "<= 1.2× the floor",
        cpuRatio <= 1.2 ? Report.Status.MET : Report.Status.MISSED,
        "process CPU time of the benchmark JVM during the batches (GC and JIT included), over the jobs; the SDK"
            + " compiles inside submit(), the floor's objects are compiled before its clock starts; SDK/floor of each"
            + " counted round: " + ratios(floorRatios)));
    double watchedRatio = sdk[1] / watched[1];
    report.add(new Report.Row("2 throughput", String.format("client CPU per job, beside the floor + a plain informer,"
        + " %d threads", concurrency), "ms", sdk[1] / jobs, null, watched[1] / jobs, watchedRatio,
        "SDK/(floor + informer)", "", Report.Status.INFO, "the floor column here: the floor's creations from a"
            + " client whose plain client-java informer caches the pods of their namespace, as a client that tracks"
            + " its jobs must; measured in the same rounds; SDK/(floor + informer) of each counted round: "
            + ratios(watchedRatios)));
    cluster.deleteNamespace(watchedNs, Duration.ofMinutes(10));
    cluster.deleteNamespace(rawNs, Duration.ofMinutes(10));
    cluster.deleteNamespace(sdkNs, Duration.ofMinutes(10));
  }

  /**
   * Warm-up ends after a round in which the JIT compiler threads took less than this share of
   * every side's CPU: by then C2 has compiled what a submit runs, as in a client that has run a
   * while.
   */
  static final double JIT_SETTLED = 0.05;

  /** The largest share of a side's CPU that the JIT compiler threads took in one round. */
  private static double jitShare(CpuSplit.Split[] round) {
    double max = 0;
    for (CpuSplit.Split side : round) {
      long jit = side.groups().getOrDefault(CpuSplit.JIT, new long[2])[0];
      max = Math.max(max, side.processCpu() == 0 ? 0 : (double) jit / side.processCpu());
    }
    return max;
  }

  /** The ratios of the counted rounds, as the note prints them: "1.42, 1.37, ...". */
  private static String ratios(List<Double> ratios) {
    return ratios.stream().map(r -> String.format("%.2f", r)).collect(java.util.stream.Collectors.joining(", "));
  }

  private interface Task {
    void run(int i) throws Exception;
  }

  private static void add(double[] total, double[] batch) {
    total[0] += batch[0];
    total[1] += batch[1];
  }

  /**
   * Runs {@code jobs} tasks on {@code concurrency} threads; returns the wall time in seconds and
   * the CPU time of this JVM (all threads: callers, HTTP/2 readers, the SDK's watch, GC) in ms.
   */
  private static double[] timed(String what, int jobs, int concurrency, Task task, CpuSplit.Split[] splits,
      int side) throws InterruptedException {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency,
        r -> new Thread(r, "bench-submit-" + n.incrementAndGet()));
    try {
      List<Future<?>> done = new ArrayList<>();
      CpuSplit.Snapshot before = CpuSplit.take();
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
      splits[side] = CpuSplit.between(before, CpuSplit.take());
      double cpuMs = splits[side].processCpu() / 1e6;
      System.out.printf("[bench] throughput %s: %d jobs in %.2f s = %.1f jobs/s, client CPU %.1f ms/job%n", what,
          jobs, seconds, jobs / seconds, cpuMs / jobs);
      return new double[] {seconds, cpuMs};
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
