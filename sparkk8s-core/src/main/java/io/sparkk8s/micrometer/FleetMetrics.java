package io.sparkk8s.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sparkk8s.fleet.ClusterView;
import io.sparkk8s.fleet.SparkFleet;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Exports a fleet's figures to Micrometer, one series per cluster (tag {@code cluster}; as many
 * as the fleet has clusters): gauges {@code sparkk8s.fleet.cluster.up} (1 when it answers),
 * {@code sparkk8s.fleet.cluster.jobs.in.flight} (the fleet's runs there that have not ended) and
 * {@code sparkk8s.fleet.cluster.room} (drivers of Spark's defaults that still fit); counters
 * {@code sparkk8s.fleet.placements} and {@code sparkk8s.fleet.passed.over}; and, for the fleet,
 * counters {@code sparkk8s.fleet.moves} (runs moved off a lost cluster) and {@code
 * sparkk8s.fleet.unplaced} (submits no cluster took).
 *
 * <pre>{@code
 * new FleetMetrics(fleet).bindTo(registry);
 * }</pre>
 */
public final class FleetMetrics implements MeterBinder {
  private final SparkFleet fleet;

  /** Metrics of {@code fleet}; bind them with {@link #bindTo(MeterRegistry)}. */
  public FleetMetrics(SparkFleet fleet) {
    this.fleet = Objects.requireNonNull(fleet, "fleet");
  }

  @Override
  public void bindTo(MeterRegistry meters) {
    for (ClusterView v : fleet.clusters()) {
      String name = v.name();
      Tags tags = Tags.of("cluster", name);
      gauge(meters, "sparkk8s.fleet.cluster.up", tags, "1 when the cluster answers",
          f -> view(f, name).isUp() ? 1 : 0);
      gauge(meters, "sparkk8s.fleet.cluster.jobs.in.flight", tags,
          "the fleet's runs on the cluster that have not ended", f -> view(f, name).inFlight());
      gauge(meters, "sparkk8s.fleet.cluster.room", tags,
          "drivers of Spark's defaults that still fit", f -> view(f, name).driversThatFit());
      FunctionCounter.builder("sparkk8s.fleet.placements", fleet,
          f -> f.counts().placed().getOrDefault(name, 0L)).tags(tags)
          .description("runs placed on the cluster").register(meters);
      FunctionCounter.builder("sparkk8s.fleet.passed.over", fleet,
          f -> f.counts().passedOver().getOrDefault(name, 0L)).tags(tags)
          .description("submits that passed the cluster over").register(meters);
    }
    FunctionCounter.builder("sparkk8s.fleet.moves", fleet, f -> f.counts().moved())
        .description("runs moved off a lost cluster").register(meters);
    FunctionCounter.builder("sparkk8s.fleet.unplaced", fleet, f -> f.counts().unplaced())
        .description("submits that no cluster took").register(meters);
  }

  private void gauge(MeterRegistry meters, String name, Tags tags, String description,
      ToDoubleFunction<SparkFleet> value) {
    Gauge.builder(name, fleet, value).tags(tags).description(description).register(meters);
  }

  private static ClusterView view(SparkFleet fleet, String name) {
    return fleet.clusters().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }
}
