package io.sparkk8s.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measured values of one quantity, with the order statistics the results report. Percentiles are
 * nearest-rank (the smallest sample with at least p% of the samples at or below it), so a
 * reported p99 is always a value that was measured, never an interpolation.
 *
 * <pre>{@code
 * Samples latency = new Samples("ms");
 * latency.addNanos(System.nanoTime() - start);
 * double p99 = latency.percentile(99);
 * }</pre>
 */
final class Samples {
  private final String unit;
  private final List<Double> values = new ArrayList<>();

  Samples(String unit) {
    this.unit = unit;
  }

  String unit() {
    return unit;
  }

  synchronized void add(double value) {
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("value is NaN");
    }
    values.add(value);
  }

  /** Adds a duration measured in nanoseconds, as milliseconds. */
  void addNanos(long nanos) {
    add(nanos / (double) TimeUnit.MILLISECONDS.toNanos(1));
  }

  synchronized int count() {
    return values.size();
  }

  /** The nearest-rank percentile, {@code 0 < p <= 100}. */
  synchronized double percentile(double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("p must be in (0, 100]: " + p);
    }
    if (values.isEmpty()) {
      throw new IllegalStateException("no samples");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  double median() {
    return percentile(50);
  }

  double p99() {
    return percentile(99);
  }

  synchronized double mean() {
    if (values.isEmpty()) {
      throw new IllegalStateException("no samples");
    }
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  synchronized double max() {
    return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  @Override
  public synchronized String toString() {
    return values.isEmpty() ? "no samples"
        : String.format(java.util.Locale.ROOT, "n=%d median=%.2f%s p99=%.2f%s", count(), median(), unit,
            p99(), unit);
  }
}
