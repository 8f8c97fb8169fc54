package io.sparkk8s.spec;

import io.sparkk8s.SparkCompiler;
import io.sparkk8s.internal.validate.Checks;
import io.sparkk8s.storage.EventLog;
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
 * endpoint is reachable inside the cluster only.
 */
@Value.Immutable
public abstract class SparkConnectServer {
  /** The Spark Connect port. */
  public static final int PORT = 15002;
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
        .driver(driver()).executor(executor())
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
    return "sc://" + SparkCompiler.compile(job()).driverService().getMetadata().getName() + "."
        + namespace() + ".svc:" + PORT;
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
    c.throwIfAny();
    job(); // the job's own rules (resources, conf keys, ...) apply too
  }
}
