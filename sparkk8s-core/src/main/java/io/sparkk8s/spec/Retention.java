package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.time.Duration;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * How long a finished job's objects (its driver pod, whose log stays readable while it exists,
 * executors, Service and ConfigMaps) are kept before the SDK deletes them. The time counts from
 * the driver's end as the API server recorded it, and the policy is written on the driver pod, so
 * a client that restarts (or another one that attaches or lists the namespace) enforces it.
 *
 * <pre>{@code
 * SparkJob job = pi.withRetention(Retention.deleteAfter(Duration.ofHours(1)));  // logs: 1 hour
 * SparkJob quiet = pi.withRetention(Retention.deleteOnSuccess());  // failures kept for a look
 * }</pre>
 *
 * <p>Unset, a job's objects are kept until someone deletes them, as with {@code spark-submit}.
 */
@Value.Immutable
public abstract class Retention {
  Retention() {}

  /** A builder, to choose each outcome's time; prefer the factories. */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link Retention}. */
  public static final class Builder extends ImmutableRetention.Builder {
    Builder() {}
  }

  /** Keep every finished job until someone deletes it. */
  public static Retention keepForever() {
    return builder().build();
  }

  /** Delete every finished job {@code ttl} after its driver ended. */
  public static Retention deleteAfter(Duration ttl) {
    return builder().afterSuccess(ttl).afterFailure(ttl).build();
  }

  /** Delete a job as soon as it succeeded; keep a failed one until someone deletes it. */
  public static Retention deleteOnSuccess() {
    return builder().afterSuccess(Duration.ZERO).build();
  }

  /** How long a succeeded job is kept; empty keeps it forever. */
  public abstract Optional<Duration> afterSuccess();

  /** How long a failed job is kept; empty keeps it forever. */
  public abstract Optional<Duration> afterFailure();

  /** How long a job that ended so is kept; empty keeps it forever. */
  public Optional<Duration> after(boolean succeeded) {
    return succeeded ? afterSuccess() : afterFailure();
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("Retention");
    afterSuccess().ifPresent(d -> c.require(!d.isNegative(), "retention.afterSuccess", d,
        "must not be negative"));
    afterFailure().ifPresent(d -> c.require(!d.isNegative(), "retention.afterFailure", d,
        "must not be negative"));
    c.throwIfAny();
  }
}
