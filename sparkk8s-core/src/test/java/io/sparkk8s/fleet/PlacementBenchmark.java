package io.sparkk8s.fleet;

import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.Toleration;
import io.sparkk8s.testing.InMemorySparkKubernetes;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH benchmark of one placement decision (issue 22: under 1 ms at 1,000 jobs in flight): a fleet
 * of three clusters of 100 nodes each (the test kit's, so no API server is in the measure; the
 * fleet asks none when placing anyway), 1,000 jobs placed and not ended, then {@link
 * SparkFleet#place} for a job with a node selector and a toleration, by capacity with a
 * preference. Run by {@code io.sparkk8s.bench.PlacementCost}.
 */
@State(Scope.Benchmark)
public class PlacementBenchmark {
  /** Jobs in flight while decisions are measured. */
  public static final int IN_FLIGHT = 1_000;
  private SparkFleet fleet;
  private SparkJob job;
  private long[] ask;

  @Setup(Level.Trial)
  public void setUp() {
    SparkFleet.Builder b = SparkFleet.builder().capacityRefresh(Duration.ofHours(1))
        .policy(PlacementPolicy.byCapacity().preferring("tier", java.util.List.of("on-prem")));
    String[] tiers = {"on-prem", "cloud", "cloud"};
    for (int i = 0; i < tiers.length; i++) {
      b.cluster(FleetCluster.of("c" + i, new InMemorySparkKubernetes()
          .nodes(100, 64_000, 256L << 30)).withLabels(java.util.Map.of("tier", tiers[i])));
    }
    fleet = b.build();
    fleet.refreshCapacity();
    for (int i = 0; i < IN_FLIGHT; i++) {
      fleet.submit(job("in-flight-" + i));
    }
    job = job("measured");
    ask = new long[] {1000, 1408L << 20};
  }

  static SparkJob job(String name) {
    return SparkJob.builder().name(name).namespace("bench")
        .application(Application.jvm("org.example.Main", "local:///opt/app.jar"))
        .putNodeSelector("kubernetes.io/os", "linux")
        .addTolerations(Toleration.exists("dedicated")).build();
  }

  /** The fleet's jobs in flight, for the report. */
  public int inFlight() {
    return fleet.clusters().stream().mapToInt(ClusterView::inFlight).sum();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    fleet.close();
  }

  /** One decision: every cluster's view, the policy's order. */
  @Benchmark
  public Placement place() {
    return fleet.place(job, ask);
  }
}
