package io.sparkk8s.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.fleet.FleetCluster;
import io.sparkk8s.fleet.SparkFleet;
import io.sparkk8s.testing.InMemorySparkKubernetes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet example over two clusters of the test kit, one of which stops answering. */
class FleetPlacementTest {

  @Test
  void placesByRoomAndSaysWhereEachJobWentAndWhy() {
    InMemorySparkKubernetes a = new InMemorySparkKubernetes().nodes(3, 4_000, 64L << 30);
    InMemorySparkKubernetes b = new InMemorySparkKubernetes().nodes(1, 4_000, 64L << 30);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (SparkFleet fleet = SparkFleet.builder().cluster(FleetCluster.of("a", a))
        .cluster(FleetCluster.of("b", b)).build()) {
      Map<String, Integer> counts = FleetPlacement.place(fleet, "jobs", 40,
          new PrintStream(bytes, true, StandardCharsets.UTF_8));
      // 100m drivers: 120 fit on a, 40 on b.
      assertThat(counts).containsEntry("a", 30).containsEntry("b", 10);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("a: 3 nodes, 12000m CPU").contains("a/jobs/")
        .contains("by capacity: room for").contains("placed: {a=30, b=10}");
  }

  @Test
  void aClusterThatDoesNotAnswerIsPassedOverOnEveryLine() {
    InMemorySparkKubernetes a = new InMemorySparkKubernetes().nodes(1, 4_000, 64L << 30);
    InMemorySparkKubernetes b = new InMemorySparkKubernetes().nodes(1, 4_000, 64L << 30)
        .unreachable(true);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (SparkFleet fleet = SparkFleet.builder().cluster(FleetCluster.of("a", a))
        .cluster(FleetCluster.of("b", b)).build()) {
      assertThat(FleetPlacement.place(fleet, "jobs", 5,
          new PrintStream(bytes, true, StandardCharsets.UTF_8))).isEqualTo(Map.of("a", 5));
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("b: down: its capacity could not"
        + " be read").contains("passed over [b: down:");
  }
}
