package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.immutables.value.Value;

/**
 * Shuffle tracking for dynamic allocation ({@code spark.dynamicAllocation.shuffleTracking.*}):
 * Spark keeps an executor while it holds shuffle data an active job may read, and removes it
 * afterwards (or after {@link #timeout()}). Nothing is deployed; this is what {@link
 * DynamicAllocation} does by default, offered as a platform choice so notebooks and jobs of the
 * platform share it.
 *
 * <pre>{@code
 * ShuffleService tracking = ShuffleTracking.defaults().withTimeout("30min");
 * }</pre>
 */
@Value.Immutable
public abstract class ShuffleTracking extends ShuffleService {
  ShuffleTracking() {}

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Shuffle tracking with Spark's default timeout (none: shuffle data is kept while needed). */
  public static ShuffleTracking defaults() {
    return builder().build();
  }

  /** The builder of {@link ShuffleTracking}. */
  public static final class Builder extends ImmutableShuffleTracking.Builder {
    Builder() {}
  }

  /**
   * {@code spark.dynamicAllocation.shuffleTracking.timeout}: how long an executor holding shuffle
   * data is kept at most (a Spark duration such as {@code 30min}); Spark keeps it as long as the
   * data is needed when absent.
   */
  public abstract Optional<String> timeout();

  /** A copy with a tracking timeout. */
  public abstract ShuffleTracking withTimeout(String timeout);

  @Override
  public Kind kind() {
    return Kind.SHUFFLE_TRACKING;
  }

  /** {@code shuffleTracking.enabled=true} and the timeout; Spark 3.0 or later. */
  @Override
  public SortedMap<String, String> clientConf(PlatformNames platform, String sparkVersion) {
    Checks c = Checks.of("ShuffleTracking");
    checkSparkVersion(c, "sparkVersion", sparkVersion);
    c.require(majorMinor(sparkVersion)[0] >= 3, "sparkVersion", sparkVersion,
        "shuffle tracking needs Spark 3.0 or later");
    c.throwIfAny();
    SortedMap<String, String> conf = new TreeMap<>();
    conf.put("spark.dynamicAllocation.shuffleTracking.enabled", "true");
    timeout().ifPresent(t -> conf.put("spark.dynamicAllocation.shuffleTracking.timeout", t));
    return conf;
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("ShuffleTracking");
    timeout().ifPresent(t -> c.require(t.matches("[0-9]+(ms|s|m|min|h|d)?"), "timeout", t,
        "must be a Spark duration such as 30min or 3600s"));
    c.throwIfAny();
  }
}
