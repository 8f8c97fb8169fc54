package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Dynamic allocation: Spark adds executors while tasks wait and removes idle ones. On Kubernetes
 * there is no external shuffle service by default, so shuffle tracking is on unless turned off
 * (executors holding shuffle data are kept until it is no longer needed).
 *
 * <pre>{@code
 * DynamicAllocation da = DynamicAllocation.builder().minExecutors(1).maxExecutors(20).build();
 * }</pre>
 */
@Value.Immutable
public abstract class DynamicAllocation {
  DynamicAllocation() {}

  /** A builder; {@link #maxExecutors()} is worth setting, as Spark's default is unbounded. */
  public static Builder builder() {
    return new Builder();
  }

  /** Dynamic allocation between {@code min} and {@code max} executors, shuffle tracking on. */
  public static DynamicAllocation between(int min, int max) {
    return builder().minExecutors(min).maxExecutors(max).build();
  }

  /** The builder of {@link DynamicAllocation}. */
  public static final class Builder extends ImmutableDynamicAllocation.Builder {
    Builder() {}
  }

  /** {@code spark.dynamicAllocation.minExecutors}. */
  public abstract Optional<Integer> minExecutors();

  /** {@code spark.dynamicAllocation.initialExecutors}. */
  public abstract Optional<Integer> initialExecutors();

  /** {@code spark.dynamicAllocation.maxExecutors}. */
  public abstract Optional<Integer> maxExecutors();

  /** {@code spark.dynamicAllocation.shuffleTracking.enabled}; on by default. */
  @Value.Default
  public boolean shuffleTracking() {
    return true;
  }

  /** {@code spark.dynamicAllocation.executorIdleTimeout}, as Spark writes durations ({@code 60s}). */
  public abstract Optional<String> executorIdleTimeout();

  @Value.Check
  void check() {
    Checks c = Checks.of("DynamicAllocation");
    minExecutors().ifPresent(n -> c.require(n >= 0, "dynamicAllocation.minExecutors", n,
        "must not be negative"));
    initialExecutors().ifPresent(n -> c.require(n >= 0, "dynamicAllocation.initialExecutors", n,
        "must not be negative"));
    maxExecutors().ifPresent(n -> c.require(n >= 1, "dynamicAllocation.maxExecutors", n,
        "must be at least 1"));
    int min = minExecutors().orElse(0);
    maxExecutors().ifPresent(max -> c.require(min <= max, "dynamicAllocation.maxExecutors", max,
        "must be at least minExecutors (" + min + ")"));
    initialExecutors().ifPresent(init -> {
      c.require(init >= min, "dynamicAllocation.initialExecutors", init,
          "must be at least minExecutors (" + min + ")");
      maxExecutors().ifPresent(max -> c.require(init <= max, "dynamicAllocation.initialExecutors",
          init, "must be at most maxExecutors (" + max + ")"));
    });
    executorIdleTimeout().ifPresent(t -> c.require(t.matches("[0-9]+(ms|s|m|min|h|d)?"),
        "dynamicAllocation.executorIdleTimeout", t, "must be a Spark duration such as 60s or 5min"));
    c.throwIfAny();
  }
}
