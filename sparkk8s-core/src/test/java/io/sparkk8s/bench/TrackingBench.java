package io.sparkk8s.bench;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.PatchUtils;
import io.sparkk8s.JobPhase;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.it.SparkSubmit;
import io.sparkk8s.it.TestNamespace;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.awaitility.Awaitility;

/**
 * Part 3 of the suite: one SDK instance tracking N concurrent jobs whose driver pods run on KWOK
 * nodes. Measures the heap the tracking costs per job, the watch connections it holds, and the
 * delay from a driver's phase change on the API server to its handle's future completing; and,
 * to compare, the memory of one spark-submit JVM waiting for its job ({@code waitAppCompletion}).
 *
 * <pre>{@code
 * TrackingBench bench = new TrackingBench(cluster, kubeconfig, report);
 * double rssKb = bench.waitingSparkSubmitRss();
 * bench.track(10_000, 500, rssKb, true);
 * }</pre>
 */
final class TrackingBench {
  static final String DRIVER_CONTAINER = "spark-kubernetes-driver";
  /** The driver ends: phase Succeeded and its container terminated with exit code 0. */
  static final String SUCCEEDED = "{\"status\":{\"phase\":\"Succeeded\",\"containerStatuses\":[{\"name\":\""
      + DRIVER_CONTAINER + "\",\"state\":{\"running\":null,\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}}}]}}";

  private final BenchCluster cluster;
  private final Path kubeconfig;
  private final Report report;
  private final ApiClient raw;

  TrackingBench(BenchCluster cluster, Path kubeconfig, Report report) {
    this.cluster = cluster;
    this.kubeconfig = kubeconfig;
    this.report = report;
    this.raw = BenchCluster.client(kubeconfig);
  }

  /**
   * The resident memory (KiB) of one spark-submit JVM waiting for its job: started with
   * waitAppCompletion=true, sampled each second for {@code seconds} once its driver runs (the
   * maximum is kept); then the driver is marked Succeeded and spark-submit must exit.
   */
  double waitingSparkSubmitRss(int seconds) throws Exception {
    TestNamespace ns = cluster.namespace("rss");
    Path log = Files.createDirectories(Path.of("target", "bench", "spark-submit")).resolve("waiting.log");
    SparkSubmit submit = cluster.sparkSubmit(ns, "rss-wait", true);
    Process process = submit.start(log, BenchCluster.PI.mainClass().orElseThrow(), BenchCluster.PI.resource(), "1000");
    CoreV1Api core = new CoreV1Api(raw);
    try {
      Awaitility.await("spark-submit's driver running on a KWOK node (log " + log + ")")
          .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
          .failFast("spark-submit exited early", () -> !process.isAlive())
          .until(() -> core.listNamespacedPod(ns.name()).labelSelector("spark-role=driver")
              .fieldSelector("status.phase=Running").execute().getItems().size() == 1);
      Samples rss = new Samples("KiB");
      ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
      try {
        timer.scheduleAtFixedRate(() -> rss.add(rssKib(process.pid())), 0, 1, TimeUnit.SECONDS);
        Awaitility.await("RSS samples").atMost(Duration.ofSeconds(seconds + 30L)).pollInterval(Duration.ofMillis(200))
            .until(() -> rss.count() >= seconds);
      } finally {
        timer.shutdownNow();
      }
      V1Pod driver = core.listNamespacedPod(ns.name()).labelSelector("spark-role=driver").execute().getItems().get(0);
      markSucceeded(core, ns.name(), driver.getMetadata().getName());
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        report.note("The waiting spark-submit did not exit within 2 minutes of its driver succeeding; it was killed.");
      }
      System.out.printf("[bench] a waiting spark-submit: RSS %s, exit %s%n", rss,
          process.isAlive() ? "-" : Integer.toString(process.exitValue()));
      return rss.max();
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly().waitFor();
      }
      cluster.deleteNamespace(ns, Duration.ofMinutes(5));
    }
  }

  private static double rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("VmRSS:")) {
          return Double.parseDouble(line.replaceAll("[^0-9]", ""));
        }
      }
      throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Tracks {@code jobs} jobs: their driver pods (the SDK's compiled driver pods, bound straight to
   * the run's KWOK nodes so the scheduler's rate limit does not set the pace) are created with the
   * raw client, then one new SDK instance takes them over with {@code list()} and follows them
   * until KWOK reports them running. Then {@code sample} of them are ended, 50 a second, each by a
   * status patch, timing each handle's future.
   */
  void track(int jobs, int sample, double sparkSubmitRssKib, boolean targetSize) throws Exception {
    // 1 KB = 1000 B in the table; /proc reports KiB.
    TestNamespace ns = cluster.namespace("track-" + jobs);
    List<String> nodes = cluster.nodes();
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(kubeconfig, Optional.empty())) {
      long before = usedHeapAfterGc();

      long start = System.nanoTime();
      RawFloor floor = new RawFloor(raw);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<?>> created = new ArrayList<>();
      for (int i = 0; i < jobs; i++) {
        int index = i;
        created.add(pool.submit(() -> {
          V1Pod driver = RawFloor.prepare(SparkCompiler.compile(cluster.sparkPi(ns, "track-" + index))).driver();
          driver.getSpec().setNodeName(nodes.get(index % nodes.size()));
          floor.createDriver(driver, ns.name());
          return null;
        }));
      }
      for (Future<?> f : created) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("creating a driver pod failed", e.getCause());
        }
      }
      pool.shutdown();
      created.clear();
      System.out.printf("[bench] tracking %d: pods created in %.1f s%n", jobs, (System.nanoTime() - start) / 1e9);

      List<SparkJobHandle> handles = spark.list(ns.name(), "");
      if (handles.size() != jobs) {
        throw new IllegalStateException("list() found " + handles.size() + " jobs, expected " + jobs);
      }
      AtomicInteger running = new AtomicInteger();
      Awaitility.await(jobs + " handles RUNNING").atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(2))
          .until(() -> {
            running.set((int) handles.stream().filter(h -> h.state().phase() == JobPhase.RUNNING).count());
            return running.get() == jobs && SdkInternals.watches(spark).synced();
          });
      System.out.printf("[bench] tracking %d: all running after %.1f s%n", jobs, (System.nanoTime() - start) / 1e9);

      long after = usedHeapAfterGc();
      double perJobKb = (after - before) / 1000.0 / jobs;
      Double sparkSubmitKb = Double.isNaN(sparkSubmitRssKib) ? null : sparkSubmitRssKib * 1.024;
      SdkInternals.Watches watches = SdkInternals.watches(spark);
      String size = String.format("%,d jobs", jobs);
      report.add(new Report.Row("3 tracking scale", "heap per tracked job, " + size, "KB", perJobKb,
          sparkSubmitKb, null, sparkSubmitKb == null ? null : sparkSubmitKb / perJobKb, "spark-submit/SDK",
          targetSize ? "<= 2.5 KB (2,500 B) at 10,000 jobs" : "",
          !targetSize ? Report.Status.INFO : perJobKb <= 2.5 ? Report.Status.MET : Report.Status.MISSED,
          String.format("used heap after GC %.1f → %.1f MiB; spark-submit column: RSS of one waiting spark-submit"
              + " JVM, one per job", before / 1048576.0, after / 1048576.0)));
      boolean oneWatch = watches.informers() == 1 && watches.tcpConnections() == 1;
      report.add(new Report.Row("3 tracking scale", "open watch connections, " + size + ", 1 namespace", "",
          (double) watches.tcpConnections(), (double) jobs, null, null, "", "1 per namespace",
          oneWatch ? Report.Status.MET : Report.Status.MISSED,
          String.format("SDK: TCP connections of its watch client, carrying %d informer(s), i.e. %d watch stream(s);"
              + " spark-submit column: one waiting JVM with its own connection per job", watches.informers(),
              watches.informers())));

      Samples delay = completionDelays(ns, handles, Math.min(sample, jobs));
      report.add(new Report.Row("3 tracking scale", "phase change → future completes, median, " + size, "ms",
          delay.median(), null, null, null, "", "", Report.Status.INFO,
          "n=" + delay.count() + ", ended 50/s, timed from sending the status patch"));
      report.add(new Report.Row("3 tracking scale", "phase change → future completes, p99, " + size, "ms",
          delay.p99(), null, null, null, "", "<= 200 ms",
          delay.p99() <= 200 ? Report.Status.MET : Report.Status.MISSED,
          "n=" + delay.count() + ", ended 50/s, timed from sending the status patch"));
    } finally {
      cluster.deleteNamespace(ns, Duration.ofMinutes(15));
    }
  }

  /**
   * Ends {@code count} jobs spread over the list at 50 a second and returns, for each, the time
   * from sending its status patch to its handle's completion future completing.
   */
  private Samples completionDelays(TestNamespace ns, List<SparkJobHandle> handles, int count) throws Exception {
    CoreV1Api core = new CoreV1Api(raw);
    AtomicLongArray sent = new AtomicLongArray(count);
    AtomicLongArray completed = new AtomicLongArray(count);
    CountDownLatch done = new CountDownLatch(count);
    List<CompletableFuture<?>> futures = new ArrayList<>();
    int step = Math.max(1, handles.size() / count);
    for (int i = 0; i < count; i++) {
      int index = i;
      futures.add(handles.get(i * step).completion().whenComplete((state, error) -> {
        completed.set(index, System.nanoTime());
        done.countDown();
      }));
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger next = new AtomicInteger();
    List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      timer.scheduleAtFixedRate(() -> {
        int i = next.getAndIncrement();
        if (i >= count) {
          return;
        }
        SparkJobHandle handle = handles.get(i * step);
        sent.set(i, System.nanoTime());
        try {
          markSucceeded(core, ns.name(), handle.name());
        } catch (Exception e) {
          failures.add(e);
          done.countDown();
        }
      }, 0, 20, TimeUnit.MILLISECONDS);
      if (!done.await(count / 50 + 120, TimeUnit.SECONDS)) {
        throw new IllegalStateException(done.getCount() + " of " + count + " handles did not complete");
      }
    } finally {
      timer.shutdownNow();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(failures.size() + " status patches failed", failures.get(0));
    }
    Samples delay = new Samples("ms");
    for (int i = 0; i < count; i++) {
      if (futures.get(i).join() instanceof io.sparkk8s.JobState s && s.phase() != JobPhase.SUCCEEDED) {
        throw new IllegalStateException(handles.get(i * step).name() + " ended " + s);
      }
      delay.addNanos(completed.get(i) - sent.get(i));
    }
    System.out.printf("[bench] completion delay over %d jobs: %s%n", handles.size(), delay);
    return delay;
  }

  static void markSucceeded(CoreV1Api core, String namespace, String pod) throws Exception {
    PatchUtils.patch(V1Pod.class, () -> core.patchNamespacedPodStatus(pod, namespace, new V1Patch(SUCCEEDED))
        .buildCall(null), V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, core.getApiClient());
  }

  /** Used heap after full collections until it stops shrinking. */
  static long usedHeapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used) {
        return Math.min(now, used);
      }
      used = now;
    }
    return used;
  }
}
