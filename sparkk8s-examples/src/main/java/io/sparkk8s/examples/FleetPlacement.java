package io.sparkk8s.examples;

import io.sparkk8s.ApiRetryPolicy;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.fleet.ClusterView;
import io.sparkk8s.fleet.FleetCluster;
import io.sparkk8s.fleet.FleetJobHandle;
import io.sparkk8s.fleet.PlacementPolicy;
import io.sparkk8s.fleet.SparkFleet;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.Retention;
import io.sparkk8s.spec.SparkJob;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Places SparkPi jobs across two clusters by their free capacity and prints where each went and
 * why, then how many each cluster got beside its room. A cluster that does not answer is passed
 * over, and the line says so.
 *
 * <p>Arguments: {@code <kubeconfig-a> <kubeconfig-b> [namespace] [jobs]} (each kubeconfig's current
 * context; the namespace must exist on both).
 */
public final class FleetPlacement {
  private FleetPlacement() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: FleetPlacement <kubeconfig-a> <kubeconfig-b> [namespace] [jobs]");
      System.exit(2);
    }
    String namespace = args.length > 2 ? args[2] : "default";
    int jobs = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    ApiRetryPolicy failFast = ApiRetryPolicy.defaults().withMaxElapsed(Duration.ofSeconds(10));
    try (SparkFleet fleet = SparkFleet.builder()
        .cluster(FleetCluster.of("a", SparkKubernetes.builder()
            .kubeconfig(Path.of(args[0]), Optional.empty()).apiRetry(failFast).connect()))
        .cluster(FleetCluster.of("b", SparkKubernetes.builder()
            .kubeconfig(Path.of(args[1]), Optional.empty()).apiRetry(failFast).connect()))
        .policy(PlacementPolicy.byCapacity()).build()) {
      place(fleet, namespace, jobs, System.out);
    }
  }

  /** Places {@code jobs} SparkPi jobs, printing each decision; returns the count per cluster. */
  static Map<String, Integer> place(SparkFleet fleet, String namespace, int jobs,
      PrintStream out) {
    fleet.refreshCapacity();
    for (ClusterView v : fleet.clusters()) {
      out.printf("%s: %s, room for %d drivers of Spark's defaults%n", v.name(),
          v.isUp() ? v.capacity() : "down: " + v.down().get(), v.driversThatFit());
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < jobs; i++) {
      FleetJobHandle placed = fleet.submit(pi(namespace, "pi-" + i));
      counts.merge(placed.cluster(), 1, Integer::sum);
      out.printf("%s -> %s%n", placed.id(), placed.placement().orElseThrow());
    }
    out.println("placed: " + counts);
    return counts;
  }

  static SparkJob pi(String namespace, String name) {
    return SparkJob.builder().name(name).namespace(namespace).appId(SparkJob.newAppId())
        .application(Application.jvm("org.apache.spark.examples.SparkPi",
            "local:///opt/spark/examples/jars/spark-examples.jar"))
        .addArgument("10").serviceAccount("spark")
        .driver(Driver.builder().coreRequest("100m").memory("512m").build())
        .retention(Retention.deleteAfter(Duration.ofMinutes(5))).build();
  }
}
