package io.sparkk8s.storage.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One application attempt found in an event log directory, as Spark's History Server lists it in
 * {@code /api/v1/applications}.
 *
 * <pre>{@code
 * for (ApplicationSummary app : reader.applications()) {
 *   System.out.printf("%s %s %s %s%n", app.id(), app.name(),
 *       app.completed() ? "completed" : "running", app.duration());
 * }
 * }</pre>
 */
@Value.Immutable
public abstract class ApplicationSummary {
  ApplicationSummary() {}

  /** A builder, for tests and tools. */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link ApplicationSummary}. */
  public static final class Builder extends ImmutableApplicationSummary.Builder {
    Builder() {}
  }

  /** The Spark application id ({@code spark.app.id}), such as {@code spark-1f0e...}. */
  public abstract String id();

  /** The application name ({@code spark.app.name}). */
  public abstract String name();

  /** The attempt id, for applications that have attempts (YARN, some cluster managers). */
  public abstract Optional<String> attemptId();

  /** The user Spark ran as. */
  public abstract String sparkUser();

  /** The Spark version that wrote the log. */
  public abstract Optional<String> sparkVersion();

  /** When the application started. */
  public abstract Instant startTime();

  /** When it ended: present exactly when {@link #completed()}. */
  public abstract Optional<Instant> endTime();

  /** When its log was last written. */
  public abstract Instant lastUpdated();

  /** Whether the log holds the application's end. */
  @Value.Derived
  public boolean completed() {
    return endTime().isPresent();
  }

  /**
   * How long it ran: end minus start when completed, else last update minus start (so far).
   */
  @Value.Derived
  public Duration duration() {
    Instant end = endTime().orElse(lastUpdated());
    return end.isBefore(startTime()) ? Duration.ZERO : Duration.between(startTime(), end);
  }

  /** The event log (a file, or a rolling log's directory) as the backend names it. */
  public abstract String logPath();

  /** The event log's codec ({@code lz4}, {@code lzf}, {@code snappy}, {@code zstd}), if any. */
  public abstract Optional<String> compressionCodec();

  /** Whether the log is a rolling one ({@code eventlog_v2_*} directory). */
  public abstract boolean rolling();
}
