package io.sparkk8s.bench;

import io.sparkk8s.ClusterCapacity;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.fleet.PlacementBenchmark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Part 5, fleet placement (issue 22): one decision of a {@link io.sparkk8s.fleet.SparkFleet} with
 * 1,000 jobs in flight ({@link PlacementBenchmark} under JMH, average time), beside the peer a
 * scheduler without the fleet's background reads would pay per decision: reading one cluster's
 * capacity from its API server at decision time ({@link SparkKubernetes#capacity()} on the bench
 * cluster, the median of 20 reads).
 */
final class PlacementCost {
  private final Report report;
  private final Path kubeconfig;

  PlacementCost(Report report, Path kubeconfig) {
    this.report = report;
    this.kubeconfig = kubeconfig;
  }

  void run(boolean quick) throws Exception {
    Collection results = new Collection(new Runner(new OptionsBuilder()
        .include(PlacementBenchmark.class.getName() + "\\.")
        .forks(1).threads(1).jvmArgsAppend("-Xmx1g")
        .mode(org.openjdk.jmh.annotations.Mode.AverageTime).timeUnit(TimeUnit.MICROSECONDS)
        .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(quick ? 1 : 2))
        .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2))
        .build()).run());
    double micros = results.score();
    double readMillis = liveReadMillis(quick ? 5 : 20);
    String what = "placement decision, 3 clusters x 100 nodes, " + PlacementBenchmark.IN_FLIGHT
        + " jobs in flight";
    report.add(new Report.Row("5 fleet placement", what, "ms", micros / 1000, null, readMillis,
        readMillis / (micros / 1000), "read/decision", "< 1 ms",
        micros < 1000 ? Report.Status.MET : Report.Status.MISSED,
        String.format("JMH 1.37 average time, 1 thread, %s; the floor column: one live capacity read"
            + " (nodes, pods, quotas) of the bench cluster at decision time, median of %d",
            results.error(), quick ? 5 : 20)));
  }

  private double liveReadMillis(int reads) {
    List<Double> millis = new ArrayList<>();
    try (SparkKubernetes spark = SparkKubernetes.fromKubeconfig(kubeconfig, Optional.empty())) {
      for (int i = 0; i < reads; i++) {
        long start = System.nanoTime();
        ClusterCapacity c = spark.capacity();
        millis.add((System.nanoTime() - start) / 1e6);
        if (!c.isKnown()) {
          throw new IllegalStateException("the bench cluster's capacity is unknown: " + c);
        }
      }
    }
    Collections.sort(millis);
    return millis.get(millis.size() / 2);
  }

  /** The one JMH result of the run. */
  private record Collection(java.util.Collection<RunResult> runs) {
    double score() {
      return runs.iterator().next().getPrimaryResult().getScore();
    }

    String error() {
      double e = runs.iterator().next().getPrimaryResult().getScoreError();
      return Double.isNaN(e) ? "no CI" : String.format("± %.2f µs (99.9%% CI)", e);
    }
  }
}
