package io.sparkk8s.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sparkk8s.fleet.FleetCluster;
import io.sparkk8s.fleet.SparkFleet;
import io.sparkk8s.testing.InMemorySparkKubernetes;
import org.junit.jupiter.api.Test;

/** A fleet of the test kit's clusters, one of which stops answering, as Micrometer sees it. */
class FleetMetricsTest {
  private static final long GIB = 1L << 30;

  @Test
  void perClusterGaugesAndCountersFollowTheFleet() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    InMemorySparkKubernetes a = new InMemorySparkKubernetes().nodes(1, 4_000, 64 * GIB);
    InMemorySparkKubernetes b = new InMemorySparkKubernetes().nodes(1, 4_000, 64 * GIB);
    try (SparkFleet fleet = SparkFleet.builder().cluster(FleetCluster.of("a", a))
        .cluster(FleetCluster.of("b", b)).build()) {
      new FleetMetrics(fleet).bindTo(registry);
      fleet.refreshCapacity();
      assertThat(gauge(registry, "sparkk8s.fleet.cluster.room", "a")).isEqualTo(4);
      fleet.submit(SparkK8sMetricsTest.job("one"));
      fleet.submit(SparkK8sMetricsTest.job("two"));
      b.unreachable(true);
      fleet.refreshCapacity();
      fleet.submit(SparkK8sMetricsTest.job("three"));
      a.unreachable(true);
      fleet.refreshCapacity();
      assertThatThrownBy(() -> fleet.submit(SparkK8sMetricsTest.job("four")))
          .hasMessageContaining("no cluster of the fleet took job");

      assertThat(gauge(registry, "sparkk8s.fleet.cluster.up", "a")).isZero();
      assertThat(gauge(registry, "sparkk8s.fleet.cluster.jobs.in.flight", "a")).isEqualTo(2);
      assertThat(gauge(registry, "sparkk8s.fleet.cluster.jobs.in.flight", "b")).isEqualTo(1);
      assertThat(counter(registry, "sparkk8s.fleet.placements", "a")).isEqualTo(2);
      assertThat(counter(registry, "sparkk8s.fleet.placements", "b")).isEqualTo(1);
      assertThat(counter(registry, "sparkk8s.fleet.passed.over", "b")).isEqualTo(2);
      assertThat(counter(registry, "sparkk8s.fleet.passed.over", "a")).isEqualTo(1);
      assertThat(registry.get("sparkk8s.fleet.unplaced").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("sparkk8s.fleet.moves").functionCounter().count()).isZero();
    }
  }

  private static double gauge(SimpleMeterRegistry r, String name, String cluster) {
    return r.get(name).tag("cluster", cluster).gauge().value();
  }

  private static double counter(SimpleMeterRegistry r, String name, String cluster) {
    return r.get(name).tag("cluster", cluster).functionCounter().count();
  }
}
