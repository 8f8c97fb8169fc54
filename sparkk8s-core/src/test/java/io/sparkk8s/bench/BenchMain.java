package io.sparkk8s.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The benchmark suite of issue 7, run by {@code scripts/bench.sh}: compile cost (JMH), submission
 * latency and throughput beside spark-submit and the raw client-java floor, and tracking scale on
 * KWOK nodes, all in one run against one cluster. Writes {@code results.md}, {@code results.csv}
 * and {@code chart.svg} under {@code src/site/resources/benchmarks/} and the results section of
 * {@code src/site/markdown/benchmarks.md}; a {@code --quick} run writes under
 * {@code target/bench/} instead.
 *
 * <pre>{@code
 * SPARKK8S_BENCH_KUBECONFIG=~/.kube/config java -cp ... io.sparkk8s.bench.BenchMain --quick
 * }</pre>
 */
public final class BenchMain {
  /**
   * At most this many warm-up rounds in a throughput part (250 jobs each side each), fewer once the
   * JIT has settled ({@link SubmissionBench#JIT_SETTLED}); at least {@link
   * #THROUGHPUT_MIN_WARMUP_ROUNDS}. Until 2026-12-06 one round; the thread split of runs K and K2
   * showed the JIT compiling the SDK's code through the counted rounds after it (0.5 ms of CPU per
   * job), which a client that has run a while no longer pays; run L's four still left 0.46 ms.
   */
  static final int THROUGHPUT_MAX_WARMUP_ROUNDS = 10;
  static final int THROUGHPUT_MIN_WARMUP_ROUNDS = 2;

  private BenchMain() {}

  /** What a run does; {@code --quick} is the smoke run. */
  record Plan(boolean quick, int latencyRounds, int sparkSubmits, int warmup, int throughputJobs, List<Integer> concurrencies,
      List<Integer> trackingSizes, int delaySample, int rssSeconds, List<String> skip, Optional<LocalTime> heavyAfter) {

    static Plan parse(String[] args) {
      boolean quick = Arrays.asList(args).contains("--quick");
      Plan plan = quick
          ? new Plan(true, 10, 3, 3, 100, List.of(16), List.of(200), 100, 5, List.of(), Optional.empty())
          : new Plan(false, 60, 50, 5, 1000, List.of(16, 64), List.of(1000, 5000, 10000), 500, 15, List.of(), Optional.empty());
      for (String arg : args) {
        if (arg.startsWith("--sizes=")) {
          plan = new Plan(plan.quick, plan.latencyRounds, plan.sparkSubmits, plan.warmup, plan.throughputJobs,
              plan.concurrencies, Arrays.stream(arg.substring(8).split(",")).map(String::strip).map(Integer::valueOf)
                  .toList(), plan.delaySample, plan.rssSeconds, plan.skip, plan.heavyAfter);
        } else if (arg.startsWith("--threads=")) {
          plan = new Plan(plan.quick, plan.latencyRounds, plan.sparkSubmits, plan.warmup, plan.throughputJobs,
              Arrays.stream(arg.substring(10).split(",")).map(String::strip).map(Integer::valueOf).toList(),
              plan.trackingSizes, plan.delaySample, plan.rssSeconds, plan.skip, plan.heavyAfter);
        } else if (arg.startsWith("--skip=")) {
          plan = new Plan(plan.quick, plan.latencyRounds, plan.sparkSubmits, plan.warmup, plan.throughputJobs,
              plan.concurrencies, plan.trackingSizes, plan.delaySample, plan.rssSeconds,
              List.of(arg.substring(7).split(",")), plan.heavyAfter);
        } else if (arg.startsWith("--heavy-after=")) {
          plan = new Plan(plan.quick, plan.latencyRounds, plan.sparkSubmits, plan.warmup, plan.throughputJobs,
              plan.concurrencies, plan.trackingSizes, plan.delaySample, plan.rssSeconds, plan.skip,
              Optional.of(LocalTime.parse(arg.substring(14))));
        } else if (!arg.equals("--quick") && !arg.equals("--full") && !arg.isBlank()) {
          throw new IllegalArgumentException("unknown argument " + arg
              + " (use --quick, --full, --sizes=1000,5000, --threads=16,64, --skip=compile,placement,latency,throughput,tracking,"
              + " --heavy-after=HH:MM)");
        }
      }
      return plan;
    }

    boolean runs(String part) {
      return !skip.contains(part);
    }
  }

  private interface Part {
    void run() throws Exception;
  }

  /** Runs one part; a failure is reported in the table and the run goes on with the next part. */
  private static void part(Report report, String section, Part part) {
    try {
      part.run();
    } catch (Exception | AssertionError e) {
      e.printStackTrace();
      report.add(new Report.Row(section, "(the whole part)", "", null, null, null, null, "", "",
          Report.Status.NOT_RUN, "failed: " + e));
    }
  }

  /**
   * On a shared cluster, holds the heavy sizes (5,000 jobs and more) until {@code time} UTC today
   * (option {@code --heavy-after=HH:MM}).
   */
  private static void awaitTime(LocalTime time) throws InterruptedException {
    LocalTime now = LocalTime.now(ZoneOffset.UTC);
    if (now.isBefore(time)) {
      long millis = Duration.between(now, time).toMillis();
      System.out.printf("[bench] holding the heavy sizes until %s UTC (%d s)%n", time, millis / 1000);
      Thread.sleep(millis);
    }
  }

  public static void main(String[] args) throws Exception {
    Path kubeconfig = Path.of(Optional.ofNullable(System.getenv("SPARKK8S_BENCH_KUBECONFIG"))
        .filter(s -> !s.isBlank()).orElse("/var/lib/sparkk8s-local/admin.kubeconfig"));
    Path site = Path.of(System.getProperty("sparkk8s.bench.site", "../src/site"));
    if (Arrays.stream(args).anyMatch(a -> a.equals("--soak") || a.startsWith("--soak="))) {
      SoakBench.main(args, kubeconfig, site);
      System.exit(0);
    }
    Plan plan = Plan.parse(args);
    Path out = plan.quick() ? Path.of("target", "bench", "quick") : site.resolve("resources").resolve("benchmarks");
    Instant started = Instant.now();
    Report report = new Report();
    String kubernetes;
    try (Machine.LoadSampler load = Machine.LoadSampler.start(Duration.ofSeconds(5));
        BenchCluster cluster = BenchCluster.connect(kubeconfig)) {
      kubernetes = new io.kubernetes.client.openapi.apis.VersionApi(cluster.connection.client()).getCode().execute()
          .getGitVersion();
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "bench-cleanup"));
      System.out.printf("[bench] %s run %s against %s (Kubernetes %s)%n", plan.quick() ? "quick" : "full",
          cluster.runId, kubeconfig, kubernetes);
      cluster.removeLeftovers();

      if (plan.runs("compile")) {
        part(report, "4 compile cost", () -> new CompileCost(report).run(plan.quick()));
      }
      if (plan.runs("placement")) {
        part(report, "5 fleet placement", () -> new PlacementCost(report, kubeconfig).run(plan.quick()));
      }
      int largest = plan.trackingSizes().stream().mapToInt(Integer::intValue).max().orElse(0);
      int batches = plan.quick() ? 2 : 4;
      int minWarmup = plan.quick() ? 1 : THROUGHPUT_MIN_WARMUP_ROUNDS;
      int maxWarmup = plan.quick() ? 1 : THROUGHPUT_MAX_WARMUP_ROUNDS;
      // The throughput part's pods stay until the end: three sides, every round (warm-up at its
      // longest), each thread count.
      int throughputPods = plan.throughputJobs() / batches * (batches + maxWarmup + 1) * 3
          * plan.concurrencies().size();
      int pods = Math.max(largest, throughputPods) + 2 * (plan.latencyRounds() + plan.warmup()) + 100;
      cluster.addKwokNodes(Math.max(2, (pods + 4999) / 5000 + 1), 5000);

      SubmissionBench submission = new SubmissionBench(cluster, kubeconfig, report);
      if (plan.runs("latency")) {
        part(report, "1 submit latency",
            () -> submission.latency(plan.latencyRounds(), plan.sparkSubmits(), plan.warmup()));
      }
      if (plan.runs("throughput")) {
        for (int threads : plan.concurrencies()) {
          part(report, "2 throughput",
              () -> submission.throughput(plan.throughputJobs(), threads, batches, minWarmup,
                  maxWarmup));
        }
      }
      if (plan.runs("tracking")) {
        TrackingBench tracking = new TrackingBench(cluster, kubeconfig, report);
        double[] rss = {Double.NaN};
        part(report, "3 tracking scale", () -> rss[0] = tracking.waitingSparkSubmitRss(plan.rssSeconds()));
        List<Integer> done = new ArrayList<>();
        for (int size : plan.trackingSizes()) {
          boolean target = size == largest;
          if (size >= 5000 && plan.heavyAfter().isPresent()) {
            awaitTime(plan.heavyAfter().get());
          }
          try {
            tracking.track(size, plan.delaySample(), rss[0], target);
            done.add(size);
          } catch (Exception | AssertionError e) {
            e.printStackTrace();
            report.add(new Report.Row("3 tracking scale", String.format("tracking %,d jobs", size), "", null, null,
                null, null, "", size >= 10_000 ? "<= 2.5 KB per job at 10,000 jobs" : "", Report.Status.NOT_RUN,
                "failed on this machine: " + e.getMessage()));
            break;
          }
        }
        if (!done.contains(10_000)) {
          report.note(String.format("Tracking scale: the issue's size is 10,000 jobs; this run tracked %s (the"
              + " targets were judged at the largest size that ran).", done));
        }
      }
      report.note("Load average during the run: " + load.summary() + ".");
    }
    String duration = Duration.between(started, Instant.now()).truncatedTo(ChronoUnit.SECONDS).toString()
        .substring(2).toLowerCase(Locale.ROOT);
    String machine = Machine.describe();
    String header = String.format("Run of %s (%s), took %s. Cluster: Kubernetes %s, one node, KWOK fake nodes for"
        + " the jobs' pods. Machine: %s.", started.truncatedTo(ChronoUnit.SECONDS),
        plan.quick() ? "quick: small N, not the published figures" : "full", duration, kubernetes, machine);
    String table = report.markdownTable();
    Report.write(out.resolve("results.md"), "# sparkk8s benchmark results\n\n" + header + "\n\n" + table);
    Report.write(out.resolve("results.csv"), report.csv());
    Report.write(out.resolve("chart.svg"), Charts.of(report, "sparkk8s benchmarks, " + started.truncatedTo(
        ChronoUnit.MINUTES)).svg());
    if (!plan.quick()) {
      Path page = site.resolve("markdown").resolve("benchmarks.md");
      String generated = header + "\n\n![Benchmark chart](benchmarks/chart.svg)\n\n" + table
          + "\nRaw figures: [results.csv](benchmarks/results.csv), [results.md](benchmarks/results.md).\n";
      Report.write(page, Report.replaceGenerated(Files.readString(page, StandardCharsets.UTF_8), generated));
    }
    System.out.println(table);
    System.out.println("[bench] results written to " + out.toAbsolutePath().normalize());
    // The SDK clients' OkHttp threads are daemons, but a JMH or Awaitility leftover must not keep us up.
    System.exit(0);
  }
}
