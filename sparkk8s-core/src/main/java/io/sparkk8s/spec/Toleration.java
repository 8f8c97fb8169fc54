package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A toleration of node taints, applied to the driver and the executors.
 *
 * <pre>{@code
 * Toleration spot = Toleration.equal("cloud.google.com/gke-spot", "true", "NoSchedule");
 * Toleration any = Toleration.exists("dedicated");
 * }</pre>
 */
@Value.Immutable
public abstract class Toleration {
  Toleration() {}

  /** Tolerates taint {@code key=value:effect}; {@code effect} may be null for every effect. */
  public static Toleration equal(String key, String value, String effect) {
    return builder().key(key).operator("Equal").value(value)
        .effect(Optional.ofNullable(effect)).build();
  }

  /** Tolerates every taint with this key, whatever its value and effect. */
  public static Toleration exists(String key) {
    return builder().key(key).operator("Exists").build();
  }

  /** A builder for the remaining cases (for example {@code tolerationSeconds}). */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link Toleration}. */
  public static final class Builder extends ImmutableToleration.Builder {
    Builder() {}
  }

  /** The taint key; empty with operator Exists tolerates everything. */
  public abstract Optional<String> key();

  /** {@code Equal} (default) or {@code Exists}. */
  @Value.Default
  public String operator() {
    return "Equal";
  }

  /** The taint value, for operator Equal. */
  public abstract Optional<String> value();

  /** {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}; empty for all. */
  public abstract Optional<String> effect();

  /** How long a NoExecute taint is tolerated before eviction. */
  public abstract Optional<Long> tolerationSeconds();

  @Value.Check
  void check() {
    Checks c = Checks.of("Toleration");
    c.require(operator().equals("Equal") || operator().equals("Exists"), "toleration.operator",
        operator(), "must be Equal or Exists");
    key().ifPresent(k -> c.qualifiedName("toleration.key", k));
    if (operator().equals("Exists")) {
      c.require(value().isEmpty(), "toleration.value", value().orElse(null),
          "must be empty when the operator is Exists");
    } else {
      c.require(key().isPresent(), "toleration.key", null,
          "is required when the operator is Equal; use Exists to tolerate every key");
    }
    value().ifPresent(v -> c.labels("toleration", java.util.Map.of("value", v)));
    effect().ifPresent(e -> c.require(
        e.equals("NoSchedule") || e.equals("PreferNoSchedule") || e.equals("NoExecute"),
        "toleration.effect", e, "must be NoSchedule, PreferNoSchedule or NoExecute"));
    tolerationSeconds().ifPresent(s -> c.require(effect().orElse("").equals("NoExecute"),
        "toleration.tolerationSeconds", s, "only applies to the NoExecute effect"));
    c.throwIfAny();
  }
}
