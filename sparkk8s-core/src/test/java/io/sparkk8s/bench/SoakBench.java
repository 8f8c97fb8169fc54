package io.sparkk8s.bench;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.ClientDiagnostics;
import io.sparkk8s.JobPhase;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.it.TestNamespace;
import io.sparkk8s.spec.Retention;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;

/**
 * The soak ({@code scripts/bench.sh --soak}, issue 17): one client that lives through many jobs. It submits and
 * completes {@code jobs} jobs in waves across {@code namespaces} namespaces, each job with
 * {@link Retention#deleteOnSuccess()} so the client's own retention deletes it, and the caller
 * drops every handle after its wave. After each wave it samples, after full collections, the used
 * heap, the JVM's threads and {@link SparkKubernetes#diagnostics()}; when the namespaces went
 * quiet it checks that the heap is within {@value #HEAP_ALLOWANCE_MB} MB of its level after the
 * first wave, the thread count is back to where it was before the waves, no handle is held and
 * retention left no driver pod. Writes {@code soak.md}, {@code soak.csv} and {@code soak.svg}
 * (heap over time) and the soak section of the benchmarks page; a {@code --quick} soak writes
 * under {@code target/bench/quick/} instead. Not part of the full run, which it would double.
 *
 * <pre>{@code
 * scripts/bench.sh --soak                    # 20,000 jobs over 200 namespaces, waves of 1,000
 * scripts/bench.sh --soak=2000/50/500 --quick
 * }</pre>
 */
final class SoakBench {
  static final int HEAP_ALLOWANCE_MB = 20;
  static final String SECTION = "5 soak";

  /** Runs the soak alone against the cluster, and writes its results. */
  static void main(String[] args, Path kubeconfig, Path site) throws Exception {
    boolean quick = java.util.Arrays.asList(args).contains("--quick");
    Size size = Size.parse(args, quick);
    Path out = quick ? Path.of("target", "bench", "quick") : site.resolve("resources").resolve("benchmarks");
    java.time.Instant started = java.time.Instant.now();
    Report report = new Report();
    String kubernetes;
    try (Machine.LoadSampler load = Machine.LoadSampler.start(Duration.ofSeconds(5));
        BenchCluster cluster = BenchCluster.connect(kubeconfig)) {
      kubernetes = new io.kubernetes.client.openapi.apis.VersionApi(cluster.connection.client()).getCode()
          .execute().getGitVersion();
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "bench-cleanup"));
      System.out.printf("[soak] run %s against %s (Kubernetes %s): %s%n", cluster.runId, kubeconfig, kubernetes,
          size);
      cluster.removeLeftovers();
      cluster.addKwokNodes(Math.max(2, 2 * size.wave() / 5000 + 1), 5000);
      new SoakBench(cluster, kubeconfig, report).run(size, out);
      report.note("Load average during the run: " + load.summary() + ".");
    }
    String took = Duration.between(started, java.time.Instant.now()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        .toString().substring(2).toLowerCase(Locale.ROOT);
    String header = String.format(Locale.ROOT, "Soak of %s (%s), took %s. Cluster: Kubernetes %s, one node, KWOK"
        + " fake nodes for the jobs' pods. Machine: %s.", started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
        quick ? "quick: small N, not the published figures" : "full", took, kubernetes, Machine.describe());
    String table = report.markdownTable();
    Report.write(out.resolve("soak.md"), "# sparkk8s soak results\n\n" + header + "\n\n" + table);
    if (!quick) {
      Path page = site.resolve("markdown").resolve("benchmarks.md");
      String generated = header + "\n\n![Soak: used heap over time](benchmarks/soak.svg)\n\n" + table
          + "\nSamples: [soak.csv](benchmarks/soak.csv), [soak.md](benchmarks/soak.md).\n";
      Report.write(page, Report.replaceGenerated(java.nio.file.Files.readString(page), "soak", generated));
    }
    System.out.println(table);
    System.out.println("[soak] results written to " + out.toAbsolutePath().normalize());
  }

  /** How big a soak is: {@code --soak=JOBS/NAMESPACES/WAVE}. */
  record Size(int jobs, int namespaces, int wave) {
    static Size parse(String[] args, boolean quick) {
      Size size = quick ? new Size(400, 10, 100) : new Size(20_000, 200, 1_000);
      for (String arg : args) {
        if (arg.startsWith("--soak=")) {
          String[] p = arg.substring(7).split("/");
          size = new Size(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        }
      }
      if (size.wave % size.namespaces != 0 || size.jobs % size.wave != 0) {
        throw new IllegalArgumentException("--soak=JOBS/NAMESPACES/WAVE: WAVE must be a multiple of"
            + " NAMESPACES and JOBS of WAVE, got " + size);
      }
      return size;
    }
  }

  /** One sample, taken after full collections. */
  record Point(int jobsDone, double seconds, double heapMb, int threads, ClientDiagnostics held) {}

  private final BenchCluster cluster;
  private final Path kubeconfig;
  private final Report report;

  SoakBench(BenchCluster cluster, Path kubeconfig, Report report) {
    this.cluster = cluster;
    this.kubeconfig = kubeconfig;
    this.report = report;
  }

  /** Runs the soak; returns its samples, the last one taken once the namespaces went quiet. */
  List<Point> run(Size size, Path out) throws Exception {
    List<TestNamespace> spaces = new ArrayList<>();
    for (int i = 0; i < size.namespaces(); i++) {
      spaces.add(cluster.namespace("soak-" + i));
    }
    CoreV1Api core = new CoreV1Api(BenchCluster.client(kubeconfig));
    // The bench's own threads all exist before the start is taken, so they are not counted as
    // the client's.
    java.util.concurrent.ThreadPoolExecutor pool = (java.util.concurrent.ThreadPoolExecutor)
        Executors.newFixedThreadPool(16);
    pool.prestartAllCoreThreads();
    List<Point> points = new ArrayList<>();
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(kubeconfig, Optional.empty())) {
      // The start: the client has done one job (its notifier, timers, node watch and HTTP
      // threads exist) and that namespace went quiet.
      wave(spark, core, pool, spaces.subList(0, 1), 1, "warm");
      awaitQuiet(spark);
      int startThreads = threads();
      java.util.Set<String> startNames = threadNames();
      long t0 = System.nanoTime();
      int waves = size.jobs() / size.wave();
      for (int w = 0; w < waves; w++) {
        wave(spark, core, pool, spaces, size.wave() / size.namespaces(), "w" + w);
        points.add(sample((w + 1) * size.wave(), t0, spark));
        Point p = points.get(points.size() - 1);
        double perSecond = p.jobsDone() / p.seconds();
        System.out.printf(Locale.ROOT, "[soak] wave %d/%d: %,d jobs done in %.0f s (%.1f/s), heap %.1f MB,"
            + " threads %d, watches %d; about %.0f s left%n", w + 1, waves, p.jobsDone(), p.seconds(),
            perSecond, p.heapMb(), p.threads(), p.held().watches().size(),
            (size.jobs() - p.jobsDone()) / perSecond);
      }
      ClientDiagnostics quiet = awaitQuiet(spark);
      // Judged, not required: a miss is reported with the threads that stayed. Idle timed-work
      // workers exit after 30 s; the HTTP client's pooled connections (and the thread that pings
      // an HTTP/2 one) close after OkHttp's keep-alive of five minutes: hence up to seven.
      pollUntil(Duration.ofMinutes(7), () -> threads() <= startThreads);
      points.add(sample(size.jobs(), t0, spark));
      java.util.Set<String> extra = new java.util.TreeSet<>(threadNames());
      extra.removeAll(startNames);
      int podsLeft = awaitPodsGone(core, spaces);
      judge(size, points, startThreads, quiet, podsLeft, extra);
      write(size, points, out);
      return points;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Submits {@code perNamespace} jobs in each namespace, waits until KWOK runs their drivers, ends
   * them (exit 0, as a kubelet would write it) and waits for every handle to say so. The handles
   * are dropped on return; retention deletes the jobs.
   */
  private void wave(SparkKubernetes spark, CoreV1Api core, ExecutorService pool,
      List<TestNamespace> spaces, int perNamespace, String prefix) throws Exception {
    List<Future<SparkJobHandle>> submits = new ArrayList<>();
    for (TestNamespace ns : spaces) {
      for (int j = 0; j < perNamespace; j++) {
        String name = prefix + "-" + j;
        submits.add(pool.submit(() -> spark.submit(cluster.sparkPi(ns, name)
            .withRetention(Retention.deleteOnSuccess()))));
      }
    }
    List<SparkJobHandle> handles = new ArrayList<>();
    for (Future<SparkJobHandle> f : submits) {
      handles.add(f.get());
    }
    Awaitility.await(handles.size() + " drivers running").atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> handles.stream().allMatch(h -> h.state().phase() == JobPhase.RUNNING));
    List<Future<?>> ends = new ArrayList<>();
    for (SparkJobHandle h : handles) {
      ends.add(pool.submit(() -> {
        TrackingBench.markSucceeded(core, h.namespace(), h.name());
        return null;
      }));
    }
    for (Future<?> f : ends) {
      f.get();
    }
    Awaitility.await(handles.size() + " jobs succeeded").atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> handles.stream().allMatch(h -> h.state().phase() == JobPhase.SUCCEEDED));
  }

  private static Point sample(int done, long t0, SparkKubernetes spark) {
    long heap = TrackingBench.usedHeapAfterGc();
    return new Point(done, (System.nanoTime() - t0) / 1e9, heap / 1e6, threads(), spark.diagnostics());
  }

  /** Waits (collecting garbage) until the client holds no handle and no watch. */
  private static ClientDiagnostics awaitQuiet(SparkKubernetes spark) {
    ClientDiagnostics[] last = new ClientDiagnostics[1];
    Awaitility.await("no handle and no watch held").atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2)).until(() -> {
          System.gc();
          last[0] = spark.diagnostics();
          return last[0].trackedJobs() == 0 && last[0].endedJobsHeld() == 0
              && last[0].watches().isEmpty();
        });
    return last[0];
  }

  /** Waits up to three minutes for retention's deletions; returns the driver pods left. */
  private static int awaitPodsGone(CoreV1Api core, List<TestNamespace> spaces) throws Exception {
    java.util.concurrent.Callable<Integer> left = () -> {
      int n = 0;
      for (TestNamespace ns : spaces) {
        n += core.listNamespacedPod(ns.name()).labelSelector("spark-role=driver").execute()
            .getItems().size();
      }
      return n;
    };
    pollUntil(Duration.ofMinutes(3), () -> left.call() == 0);
    return left.call();
  }

  /**
   * Polls {@code done} every two seconds until it holds or {@code within} has passed; a condition
   * still false then is for the caller to report, not an error.
   */
  private static void pollUntil(Duration within, java.util.concurrent.Callable<Boolean> done) {
    try {
      Awaitility.await().atMost(within).pollInterval(Duration.ofSeconds(2)).until(done);
    } catch (org.awaitility.core.ConditionTimeoutException stillFalse) {
      // reported by the caller from what it reads next
    }
  }


  private void judge(Size size, List<Point> points, int startThreads, ClientDiagnostics quiet,
      int podsLeft, java.util.Set<String> extraThreads) {
    String what = String.format(Locale.ROOT, "%,d jobs over %d namespaces", size.jobs(), size.namespaces());
    Point first = points.get(0);
    Point end = points.get(points.size() - 1);
    double growth = end.heapMb() - first.heapMb();
    double worst = points.stream().mapToDouble(p -> p.heapMb() - first.heapMb()).max().orElse(0);
    report.add(new Report.Row(SECTION, "heap growth after full GC, quiet end vs after the first "
        + String.format(Locale.ROOT, "%,d", first.jobsDone()) + " jobs, " + what, "MB", growth, null, null,
        null, "", "<= " + HEAP_ALLOWANCE_MB + " MB",
        growth <= HEAP_ALLOWANCE_MB ? Report.Status.MET : Report.Status.MISSED,
        String.format(Locale.ROOT, "used heap %.1f MB after the first wave, %.1f MB at the quiet end; the"
            + " largest growth at any wave's end %.1f MB", first.heapMb(), end.heapMb(), worst)));
    int peakThreads = points.stream().mapToInt(Point::threads).max().orElse(0);
    report.add(new Report.Row(SECTION, "JVM threads once the namespaces went quiet, " + what, "", (double) end.threads(),
        null, null, null, "", "<= the start (" + startThreads + ")",
        end.threads() <= startThreads ? Report.Status.MET : Report.Status.MISSED,
        "at the start " + startThreads + "; at the largest wave's end " + peakThreads
            + (extraThreads.isEmpty() ? "" : "; threads not there at the start: " + extraThreads)));
    int held = quiet.trackedJobs() + quiet.endedJobsHeld();
    report.add(new Report.Row(SECTION, "handles and watches held once quiet, " + what, "",
        (double) (held + quiet.watches().size()), null, null, null, "", "0",
        held == 0 && quiet.watches().isEmpty() ? Report.Status.MET : Report.Status.MISSED,
        "diagnostics(): " + quiet));
    report.add(new Report.Row(SECTION, "driver pods left after retention, " + what, "", (double) podsLeft, null, null,
        null, "", "0", podsLeft == 0 ? Report.Status.MET : Report.Status.MISSED,
        "every job has Retention.deleteOnSuccess(); the client's own retention deletes them"));
    report.add(new Report.Row(SECTION, "jobs submitted, run and ended per second over the soak, " + what, "jobs/s",
        size.jobs() / points.get(points.size() - 2).seconds(), null, null, null, "", "", Report.Status.INFO,
        "each wave waits for KWOK to run its drivers, then ends them by status patches"));
  }

  private static void write(Size size, List<Point> points, Path out) throws java.io.IOException {
    StringBuilder csv = new StringBuilder("jobs_done,seconds,heap_mb,threads,tracked,ended_held,watches\n");
    List<LineChart.Point> heap = new ArrayList<>();
    for (Point p : points) {
      csv.append(String.format(Locale.ROOT, "%d,%.1f,%.2f,%d,%d,%d,%d%n", p.jobsDone(), p.seconds(), p.heapMb(),
          p.threads(), p.held().trackedJobs(), p.held().endedJobsHeld(), p.held().watches().size()));
      heap.add(new LineChart.Point(p.seconds() / 60, p.heapMb()));
    }
    Report.write(out.resolve("soak.csv"), csv.toString());
    double first = points.get(0).heapMb();
    Report.write(out.resolve("soak.svg"), new LineChart(String.format(Locale.ROOT,
        "Used heap after full GC, one client, %,d jobs over %d namespaces (last point: namespaces quiet)",
        size.jobs(), size.namespaces()), "minutes", "MB", heap,
        Optional.of(new LineChart.Band(Math.max(0, first - HEAP_ALLOWANCE_MB), first + HEAP_ALLOWANCE_MB,
            String.format(Locale.ROOT, "first wave ± %d MB", HEAP_ALLOWANCE_MB)))).svg());
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private static java.util.Set<String> threadNames() {
    java.util.Set<String> names = new java.util.HashSet<>();
    Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName()));
    return names;
  }
}
