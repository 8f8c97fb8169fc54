package io.sparkk8s.spec;

import io.sparkk8s.storage.EventLog;
import io.sparkk8s.validate.Checks;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import org.immutables.value.Value;

/**
 * A Spark Connect server: a long-running driver that serves Spark Connect clients (PySpark,
 * Scala, Go...) on port 15002 and runs their queries on executors it asks Kubernetes for. Services
 * and notebooks use it instead of an in-pod driver of their own.
 *
 * <pre>{@code
 * SparkConnectServer connect = SparkConnectServer.builder().name("connect").namespace("data")
 *     .serviceAccount("spark")
 *     .dynamicAllocation(DynamicAllocation.between(0, 20))
 *     .build();
 * SparkJobHandle server = spark.submit(connect.job());
 * String url = connect.endpoint();   // sc://connect-<hash>-driver-svc.data.svc:15002
 * // PySpark: SparkSession.builder.remote(url).getOrCreate()
 * }</pre>
 *
 * <p>It is a {@link SparkJob} whose main class is Spark's own {@code SparkConnectServer} (in the
 * official image's jars since Spark 4.0), so everything a job has applies: the handle, its state,
 * logs and kill, and the driver's headless Service that Spark 4 opens on the Connect port. The
 * endpoint is reachable inside the cluster only. With {@link #idleTimeout()} the server stops
 * itself once unused.
 */
@Value.Immutable
public abstract class SparkConnectServer {
  /** The Spark Connect port. */
  public static final int PORT = 15002;
  /** The annotation on the server's driver pod that carries its {@link #idleTimeout()}. */
  public static final String IDLE_TIMEOUT_ANNOTATION = "sparkk8s.io/idle-timeout";
  /** Spark's Spark Connect server main class. */
  public static final String MAIN_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer";

  SparkConnectServer() {}

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link SparkConnectServer}. */
  public static final class Builder extends ImmutableSparkConnectServer.Builder {
    Builder() {}
  }

  /** The server's name, which names its driver. */
  public abstract String name();

  /** Its namespace. */
  @Value.Default
  public String namespace() {
    return "default";
  }

  /** The Spark version (4.0 or later: earlier versions ship the server as a package). */
  @Value.Default
  public String sparkVersion() {
    return SparkJob.DEFAULT_SPARK_VERSION;
  }

  /** The image; the official {@code apache/spark:<sparkVersion>} by default. */
  public abstract Optional<String> image();

  /** The server's (driver's) resources. */
  @Value.Default
  public Driver driver() {
    return Driver.builder().memory("2g").build();
  }

  /** Executor resources. */
  @Value.Default
  public Executor executor() {
    return Executor.defaults();
  }

  /** Dynamic allocation: executors on demand, released when clients are idle. */
  public abstract Optional<DynamicAllocation> dynamicAllocation();

  /** The driver's ServiceAccount (see {@code SparkKubernetes.ensureDriverServiceAccount}). */
  public abstract Optional<String> serviceAccount();

  /** Event logging, so the History Server shows the queries clients ran. */
  public abstract Optional<EventLog> eventLog();

  /**
   * Stop the server once no Spark job has run on it for this long (none by default: it runs until
   * killed). Enforced by the SDK: any {@code SparkKubernetes} client watching the server's
   * namespace reads the driver's jobs from its REST API (through the API server's pod proxy; the
   * client needs {@code get} on {@code pods/proxy}) and deletes the driver when the last job ended
   * that long ago, or, when none ran, that long after the server first answered. The server's
   * handle then ends {@code SUCCEEDED} with reason {@code IdleShutdown}. A session that is open but runs nothing
   * counts as idle; Spark's own {@code spark.connect.session.manager.defaultSessionTimeout} closes
   * such sessions. At least 10 seconds.
   */
  public abstract Optional<Duration> idleTimeout();

  /** A copy stopping after {@code timeout} without a Spark job. */
  public abstract SparkConnectServer withIdleTimeout(Duration timeout);

  /** Further Spark conf, for example {@code spark.connect.session.manager.defaultSessionTimeout}. */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> sparkConf();

  /** The job that runs the server. */
  public SparkJob job() {
    SparkJob.Builder b = SparkJob.builder().name(name()).namespace(namespace())
        .sparkVersion(sparkVersion())
        .appName("Spark Connect server " + name())
        .application(Application.jvm(MAIN_CLASS, "local:///opt/spark/jars/spark-connect_2.13-"
            + sparkVersion() + ".jar"))
        .driver(idleTimeout().map(t -> Driver.builder().from(driver())
            .putAnnotation(IDLE_TIMEOUT_ANNOTATION, t.toString()).build()).orElse(driver()))
        .executor(executor())
        .putAllSparkConf(sparkConf())
        .putSparkConf("spark.connect.grpc.binding.port", Integer.toString(PORT))
        .putLabel("sparkk8s.io/spark-connect", "true");
    image().ifPresent(b::image);
    dynamicAllocation().ifPresent(b::dynamicAllocation);
    serviceAccount().ifPresent(b::serviceAccount);
    eventLog().ifPresent(b::eventLog);
    return b.build();
  }

  /** Where clients connect: {@code sc://<driver service>.<namespace>.svc:15002}. */
  public String endpoint() {
    return "sc://" + JobNames.of(job()).driverServiceName() + "."
        + namespace() + ".svc:" + PORT;
  }

  /** The attributes, with secret-looking conf and environment values shown as {@code <redacted>}. */
  @Override
  public String toString() {
    return Shown.of("SparkConnectServer").add("name", name()).add("namespace", namespace())
        .add("sparkVersion", sparkVersion()).add("image", image()).add("driver", driver())
        .add("executor", executor()).add("dynamicAllocation", dynamicAllocation())
        .add("serviceAccount", serviceAccount()).add("eventLog", eventLog())
        .add("idleTimeout", idleTimeout()).conf("sparkConf", sparkConf())
        .toString();
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("SparkConnectServer");
    c.dnsLabel("name", name(), SparkJob.MAX_NAME_LENGTH);
    c.dnsLabel("namespace", namespace(), Checks.DNS1123_LABEL_MAX);
    boolean version = sparkVersion().matches("[0-9]+\\.[0-9]+\\.[0-9]+([-.][A-Za-z0-9.]+)?");
    c.require(version, "sparkVersion", sparkVersion(), "must be a Spark version such as 4.1.1");
    if (version) {
      c.require(Integer.parseInt(sparkVersion().substring(0, sparkVersion().indexOf('.'))) >= 4,
          "sparkVersion", sparkVersion(), "must be 4.0 or later: Spark 3.5 ships the Connect"
              + " server as a package, not in its image");
    }
    c.require(!sparkConf().containsKey("spark.connect.grpc.binding.port"), "sparkConf",
        "spark.connect.grpc.binding.port", "is " + PORT + ", the port the driver Service opens");
    idleTimeout().ifPresent(t -> {
      c.require(t.compareTo(Duration.ofSeconds(10)) >= 0, "idleTimeout", t,
          "must be at least 10 seconds (activity is checked every few seconds)");
      c.require(!"false".equals(sparkConf().get("spark.ui.enabled")), "sparkConf",
          "spark.ui.enabled=false", "the idle timeout reads the driver's jobs from its UI's REST API");
      c.require(sparkConf().getOrDefault("spark.ui.port", "4040").equals("4040"), "sparkConf",
          "spark.ui.port=" + sparkConf().get("spark.ui.port"),
          "the idle timeout reads the driver's REST API on port 4040");
    });
    c.throwIfAny();
    job(); // the job's own rules (resources, conf keys, ...) apply too
  }
}
