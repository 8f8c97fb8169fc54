package io.sparkk8s.spec;

import io.sparkk8s.internal.validate.Checks;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.StorageBackend;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.immutables.value.Value;

/**
 * A Jupyter notebook server whose in-pod Spark driver asks Kubernetes for executors (client mode),
 * with its notebooks on a persistent volume that survives redeploys and teardowns.
 *
 * <pre>{@code
 * NotebookEnvironment lab = NotebookEnvironment.jupyter("lab")
 *     .withDynamicAllocation(DynamicAllocation.between(0, 10))
 *     .withEventLog(EventLog.to(GcsStorage.of("team-logs").withKeySecret("gcs-key", "key.json")));
 * }</pre>
 *
 * <p>What it becomes: a single-replica Deployment (recreated, never two pods on one volume), a
 * ClusterIP Service for the notebook (port 8888) unless asked otherwise, a headless Service the
 * executors reach the driver through (ports 7078 and 7079), a claim for the notebooks, a
 * ServiceAccount with a namespaced Role limited to what a Spark driver does (its executor pods,
 * their ConfigMaps, Services and claims), a Secret holding a generated Jupyter token, and a
 * ConfigMap with {@code spark-defaults.conf} and the executors' pod template (so executors get the
 * {@code restricted} security settings too). A SparkSession created in a notebook needs no
 * configuration: master, namespace, image, driver address, executor resources, dynamic allocation
 * and event logging are already set, and executors are owned by the notebook pod (deleted with
 * it).
 *
 * <p>Authentication is on: Jupyter asks for the token kept in the Secret ({@code JUPYTER_TOKEN}
 * from a {@code secretKeyRef}, never a literal). Turning it off is allowed only for a notebook
 * reachable inside the cluster.
 */
@Value.Immutable
public abstract class NotebookEnvironment {
  /** Jupyter's port. */
  public static final int PORT = 8888;
  /** The in-pod driver's RPC port. */
  public static final int DRIVER_PORT = 7078;
  /** The in-pod driver's block manager port. */
  public static final int BLOCK_MANAGER_PORT = 7079;
  /** The Spark UI port of the in-pod driver. */
  public static final int UI_PORT = 4040;

  NotebookEnvironment() {}

  /** A Jupyter server named {@code name} with every default. */
  public static NotebookEnvironment jupyter(String name) {
    return builder().name(name).build();
  }

  /** A builder, for every option. */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link NotebookEnvironment}. */
  public static final class Builder extends ImmutableNotebookEnvironment.Builder {
    Builder() {}
  }

  /** The environment's name, unique in its platform; it names every object. */
  public abstract String name();

  /** The Spark version, which picks the default images. */
  @Value.Default
  public String sparkVersion() {
    return SparkJob.DEFAULT_SPARK_VERSION;
  }

  /**
   * The notebook image; by default the Jupyter project's {@code
   * quay.io/jupyter/pyspark-notebook:spark-<sparkVersion>}. Any image with {@code jupyter} and
   * PySpark of the same version as the executors' Spark on its {@code PATH}.
   */
  public abstract Optional<String> image();

  /** The image actually used for the notebook. */
  public String containerImage() {
    return image().orElse("quay.io/jupyter/pyspark-notebook:spark-" + sparkVersion());
  }

  /** The executors' image; the official {@code apache/spark:<sparkVersion>} by default. */
  public abstract Optional<String> executorImage();

  /** The executors' image actually used. */
  public String executorContainerImage() {
    return executorImage().orElse("apache/spark:" + sparkVersion());
  }

  /** CPU the notebook pod requests. */
  @Value.Default
  public String cpuRequest() {
    return "500m";
  }

  /** Memory of the notebook pod (request and limit), the in-pod driver included. */
  @Value.Default
  public String memory() {
    return "2Gi";
  }

  /** Size of the notebooks' volume when the SDK creates its claim. */
  @Value.Default
  public String notebookVolumeSize() {
    return "10Gi";
  }

  /** The StorageClass of the notebooks' claim; the cluster's default when absent. */
  public abstract Optional<String> storageClass();

  /** An existing claim for the notebooks instead of one the SDK creates. */
  public abstract Optional<String> existingClaim();

  /** Where the notebooks' volume is mounted, Jupyter's root directory. */
  @Value.Default
  public String notebookDir() {
    return "/home/jovyan/work";
  }

  /** Executor resources for SparkSessions of this notebook. */
  @Value.Default
  public Executor executor() {
    return Executor.builder().memory("1g").build();
  }

  /** Dynamic allocation of executors (with shuffle tracking by default). */
  public abstract Optional<DynamicAllocation> dynamicAllocation();

  /** Event logging of the notebook's applications, for a History Server. */
  public abstract Optional<EventLog> eventLog();

  /** Storage the notebook's sessions read and write; conf, volumes and Secrets are set up. */
  public abstract List<StorageBackend> storage();

  /** Further {@code spark-defaults.conf} entries. */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> sparkConf();

  /** How the notebook is reached; inside the cluster by default. */
  @Value.Default
  public Exposure exposure() {
    return Exposure.CLUSTER_IP;
  }

  /** Whether Jupyter asks for a token (kept in a Secret). On by default. */
  @Value.Default
  public boolean authentication() {
    return true;
  }

  /** The uid the notebook runs as: 1000 ({@code jovyan} of the Jupyter images) by default. */
  @Value.Default
  public long runAsUser() {
    return 1000;
  }

  /** The gid the notebook runs as and owns its volume with: 100 ({@code users}) by default. */
  @Value.Default
  public long runAsGroup() {
    return 100;
  }

  /** A copy running {@code image}. */
  public abstract NotebookEnvironment withImage(String image);

  /** A copy whose executors run {@code image}. */
  public abstract NotebookEnvironment withExecutorImage(String image);

  /** A copy with these executor resources. */
  public abstract NotebookEnvironment withExecutor(Executor executor);

  /** A copy with dynamic allocation. */
  public abstract NotebookEnvironment withDynamicAllocation(DynamicAllocation dynamicAllocation);

  /** A copy logging events as {@code eventLog} says. */
  public abstract NotebookEnvironment withEventLog(EventLog eventLog);

  /** A copy reached as {@code exposure} says. */
  public abstract NotebookEnvironment withExposure(Exposure exposure);

  /** A copy keeping its notebooks on the existing claim {@code claimName}. */
  public abstract NotebookEnvironment withExistingClaim(String claimName);

  /** A copy whose notebooks' claim asks for {@code size}. */
  public abstract NotebookEnvironment withNotebookVolumeSize(String size);

  /** A copy whose notebooks' claim uses StorageClass {@code storageClass}. */
  public abstract NotebookEnvironment withStorageClass(String storageClass);

  /** A copy running as {@code uid}. */
  public abstract NotebookEnvironment withRunAsUser(long uid);

  /** A copy running with group {@code gid}. */
  public abstract NotebookEnvironment withRunAsGroup(long gid);

  /** A copy with notebook pod resources. */
  public NotebookEnvironment withResources(String cpuRequest, String memory) {
    return builder().from(this).cpuRequest(cpuRequest).memory(memory).build();
  }

  /**
   * A copy with no token: anyone who reaches the Service can run code. Refused unless the notebook
   * is reachable inside the cluster only.
   */
  public NotebookEnvironment withoutAuthentication() {
    return builder().from(this).authentication(false).build();
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("NotebookEnvironment");
    c.dnsLabel("name", name(), 24);
    c.require(sparkVersion().matches("[0-9]+\\.[0-9]+\\.[0-9]+([-.][A-Za-z0-9.]+)?"), "sparkVersion",
        sparkVersion(), "must be a Spark version such as 4.1.1");
    image().ifPresent(i -> c.require(!i.isBlank() && !i.matches(".*\\s.*"), "image", i,
        "must be a container image reference without spaces"));
    executorImage().ifPresent(i -> c.require(!i.isBlank() && !i.matches(".*\\s.*"),
        "executorImage", i, "must be a container image reference without spaces"));
    c.cpuQuantity("cpuRequest", cpuRequest());
    c.byteQuantity("memory", memory());
    c.byteQuantity("notebookVolumeSize", notebookVolumeSize());
    storageClass().ifPresent(s -> c.dnsSubdomain("storageClass", s));
    existingClaim().ifPresent(s -> c.dnsSubdomain("existingClaim", s));
    c.require(notebookDir().startsWith("/") && !notebookDir().contains(":"), "notebookDir",
        notebookDir(), "must be an absolute path");
    c.require(authentication() || exposure() == Exposure.CLUSTER_IP, "authentication", false,
        "a notebook without a token runs anyone's code: it may only be reachable inside the cluster"
            + " (exposure CLUSTER_IP), not " + exposure());
    c.require(runAsUser() > 0, "runAsUser", runAsUser(), "must be a non-root uid (greater than 0)");
    c.require(runAsGroup() > 0, "runAsGroup", runAsGroup(), "must be a non-root gid (greater than 0)");
    sparkConf().forEach((k, v) -> c.require(k.startsWith("spark."), "sparkConf", k,
        "keys must start with 'spark.'"));
    c.require(!sparkConf().containsKey("spark.master"), "sparkConf", "spark.master",
        "is set by the SDK to the cluster the notebook runs in");
    c.throwIfAny();
  }
}
