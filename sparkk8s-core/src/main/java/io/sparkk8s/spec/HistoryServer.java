package io.sparkk8s.spec;

import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.validate.Checks;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import org.immutables.value.Value;

/**
 * Spark's History Server, reading every application's event log from one {@link EventLog}
 * directory: a Deployment and a Service on port 18080, ClusterIP unless asked.
 *
 * <pre>{@code
 * EventLog logs = EventLog.to(NfsStorage.claim("team-shared"));
 * HistoryServer history = HistoryServer.reading(logs).withCleanerMaxAge(Duration.ofDays(14));
 * }</pre>
 *
 * <p>It runs the official Spark image as a non-root user with the {@code restricted} Pod Security
 * settings, mounts the backend's volumes and Secrets as jobs do, and is ready when {@code
 * /api/v1/applications} answers. Object stores need their connector on the History Server's own
 * classpath (nothing resolves packages for it): use an image that has it and say so with {@link
 * #imageHasConnectors()}.
 */
@Value.Immutable
public abstract class HistoryServer {
  /** The History Server's port. */
  public static final int PORT = 18080;
  private static final String UI_PORT_KEY = "spark.history.ui.port";

  HistoryServer() {}

  /**
   * A History Server for the platform's event log ({@link SparkPlatform#eventLog()}), which the
   * platform then must have.
   */
  public static HistoryServer readingPlatformEventLog() {
    return builder().build();
  }

  /** A History Server for the logs in {@code eventLog}. */
  public static HistoryServer reading(EventLog eventLog) {
    return builder().eventLog(eventLog).build();
  }

  /**
   * A History Server for logs on an object store (GCS, S3), running {@code image}, which must hold
   * the store's Hadoop connector (the official image has none).
   */
  public static HistoryServer reading(EventLog eventLog, String imageWithConnectors) {
    return builder().eventLog(eventLog).image(imageWithConnectors).imageHasConnectors(true).build();
  }

  /** A builder, for every option. */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link HistoryServer}. */
  public static final class Builder extends ImmutableHistoryServer.Builder {
    Builder() {}
  }

  /** The event log directory it reads; the platform's ({@link SparkPlatform#eventLog()}) when absent. */
  public abstract Optional<EventLog> eventLog();

  /**
   * The Spark version, which picks the default image; the platform's when absent, else {@value
   * SparkJob#DEFAULT_SPARK_VERSION}.
   */
  public abstract Optional<String> sparkVersion();

  /** The Spark version actually used. */
  public String effectiveSparkVersion() {
    return sparkVersion().orElse(SparkJob.DEFAULT_SPARK_VERSION);
  }

  /**
   * The image; the platform's {@link SparkPlatform#sparkImage()} when absent, else the official
   * {@code apache/spark:<sparkVersion>}.
   */
  public abstract Optional<String> image();

  /** The image actually used. */
  public String containerImage() {
    return image().orElse("apache/spark:" + effectiveSparkVersion());
  }

  /** Whether the image holds the connectors its backend needs (GCS, S3). */
  @Value.Default
  public boolean imageHasConnectors() {
    return false;
  }

  /** Delete logs older than this ({@code spark.history.fs.cleaner.*}); keep all when absent. */
  public abstract Optional<Duration> cleanerMaxAge();

  /** The History Server's heap ({@code SPARK_DAEMON_MEMORY}). */
  @Value.Default
  public String memory() {
    return "1g";
  }

  /** The CPU it requests. */
  @Value.Default
  public String cpuRequest() {
    return "100m";
  }

  /**
   * How it is reached; inside the cluster by default. Spark's History Server has no login: a
   * NodePort or LoadBalancer needs {@link #allowUnauthenticatedExposure()} (see
   * {@link #withUnauthenticatedExposure(Exposure)}).
   */
  @Value.Default
  public Exposure exposure() {
    return Exposure.CLUSTER_IP;
  }

  /**
   * Whether the History Server may be reached outside the cluster ({@link Exposure#NODE_PORT},
   * {@link Exposure#LOAD_BALANCER}) although it asks for no login. Off: anyone who reaches it
   * reads every application's configuration, environment and logs. Keep it inside the cluster and
   * reach it through {@code kubectl port-forward} or an ingress that authenticates, or turn this
   * on when the address is private to people who may see all of that.
   */
  @Value.Default
  public boolean allowUnauthenticatedExposure() {
    return false;
  }

  /**
   * Labels of the pods in the platform's namespace that may open the UI when the platform's
   * {@link SparkPlatform#networkPolicies() NetworkPolicies} are on: an ingress controller or
   * gateway that authenticates, say. Empty (the default): none; {@code kubectl port-forward} still
   * works.
   */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> uiClients();

  /** A copy whose UI is reachable from pods with these labels. */
  public abstract HistoryServer withUiClients(java.util.Map<String, ? extends String> labels);

  /** A copy reached as {@code exposure} says, outside the cluster without a login if asked. */
  public HistoryServer withUnauthenticatedExposure(Exposure exposure) {
    return builder().from(this).allowUnauthenticatedExposure(true).exposure(exposure).build();
  }

  /** The uid it runs as. */
  @Value.Default
  public long runAsUser() {
    return SparkJob.SPARK_UID;
  }

  /** Further {@code spark.history.*} (or other) conf. */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> sparkConf();

  /** A copy deleting logs older than {@code maxAge}. */
  public abstract HistoryServer withCleanerMaxAge(Duration maxAge);

  /** A copy reached as {@code exposure} says. */
  public abstract HistoryServer withExposure(Exposure exposure);

  /** A copy running {@code image}. */
  public abstract HistoryServer withImage(String image);

  /** A copy reading {@code eventLog}. */
  public abstract HistoryServer withEventLog(EventLog eventLog);

  /** A copy running Spark {@code version}. */
  public abstract HistoryServer withSparkVersion(String version);

  /** A copy for an image holding the backend's connectors. */
  public abstract HistoryServer withImageHasConnectors(boolean imageHasConnectors);

  /** The attributes, with secret-looking conf values shown as {@code <redacted>}. */
  @Override
  public String toString() {
    return Shown.of("HistoryServer").add("eventLog", eventLog()).add("sparkVersion", sparkVersion())
        .add("image", image()).add("imageHasConnectors", imageHasConnectors())
        .add("cleanerMaxAge", cleanerMaxAge()).add("memory", memory()).add("cpuRequest", cpuRequest())
        .add("exposure", exposure())
        .add("allowUnauthenticatedExposure", allowUnauthenticatedExposure())
        .add("uiClients", uiClients())
        .add("runAsUser", runAsUser()).conf("sparkConf", sparkConf())
        .toString();
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("HistoryServer");
    sparkVersion().ifPresent(v -> c.require(v.matches("[0-9]+\\.[0-9]+\\.[0-9]+([-.][A-Za-z0-9.]+)?"),
        "sparkVersion", v, "must be a Spark version such as 4.1.1"));
    image().ifPresent(i -> c.image("image", i));
    eventLog().ifPresent(log -> {
      var backend = log.backend();
      boolean needsConnector = backend instanceof GcsStorage || backend instanceof S3Storage;
      c.require(!needsConnector || imageHasConnectors(), "imageHasConnectors", false,
          "the History Server reads " + backend.scheme() + ":// with the connector on its own"
              + " classpath and no spark-submit resolves packages for it: use an image holding the"
              + " connector: HistoryServer.reading(eventLog, imageWithConnectors)");
    });
    cleanerMaxAge().ifPresent(d -> c.require(d.toMinutes() >= 1, "cleanerMaxAge", d,
        "must be at least one minute"));
    c.sparkMemory("memory", memory());
    // SPARK_DAEMON_MEMORY ends up in -Xmx$SPARK_DAEMON_MEMORY: a space would split the option.
    c.require(memory().equals(memory().strip()), "memory", memory(),
        "must not start or end with white space");
    c.cpuQuantity("cpuRequest", cpuRequest());
    c.require(runAsUser() > 0, "runAsUser", runAsUser(), "must be a non-root uid (greater than 0)");
    c.require(exposure() == Exposure.CLUSTER_IP || allowUnauthenticatedExposure(), "exposure",
        exposure(), "the History Server asks for no login, so anyone reaching it reads every"
            + " application's conf, environment and logs: keep CLUSTER_IP (port-forward, or an"
            + " ingress that authenticates), or use withUnauthenticatedExposure(" + exposure()
            + ") if you mean it");
    c.labels("uiClients", uiClients());
    c.conf("sparkConf", sparkConf());
    sparkConf().forEach((k, v) -> c.require(k.startsWith("spark."), "sparkConf", k,
        "keys must start with 'spark.'"));
    c.require(!sparkConf().containsKey(UI_PORT_KEY), "sparkConf", UI_PORT_KEY,
        "is set by the SDK to " + PORT + ", the port the Service, container and probe use");
    sparkConf().forEach((k, v) -> {
      if (k.endsWith(".port")) {
        c.require(ConfChecks.port(v) > 0, "sparkConf[" + k + "]", v,
            "must be a port number from 1 to 65535");
      }
    });
    c.throwIfAny();
  }
}
