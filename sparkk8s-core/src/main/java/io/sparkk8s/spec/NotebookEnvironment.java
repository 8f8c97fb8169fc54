package io.sparkk8s.spec;

import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.StorageBackend;
import io.sparkk8s.validate.Checks;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.immutables.value.Value;

/**
 * A Jupyter or Zeppelin notebook server whose in-pod Spark driver asks Kubernetes for executors
 * (client mode), with its notebooks on a persistent volume that survives redeploys and teardowns.
 *
 * <pre>{@code
 * NotebookEnvironment lab = NotebookEnvironment.jupyter("lab")
 *     .withDynamicAllocation(DynamicAllocation.between(0, 10))
 *     .withEventLog(EventLog.to(GcsStorage.of("team-logs").withKeySecret("gcs-key", "key.json")));
 * NotebookEnvironment zep = NotebookEnvironment.zeppelin("zep");   // Zeppelin 0.12.0, Spark 3.5.6
 * }</pre>
 *
 * <p>What it becomes: a single-replica Deployment (recreated, never two pods on one volume), a
 * ClusterIP Service for the notebook (port 8888, Zeppelin 8080) unless asked otherwise, a headless Service the
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
 *
 * <p>Zeppelin ({@link Kind#ZEPPELIN}): the official {@code apache/zeppelin:<zeppelinVersion>} image,
 * which holds no Spark: an init container copies {@code /opt/spark} of the executors' image into
 * the pod, so the in-pod driver and the executors run the same Spark. Its Spark interpreter runs
 * in the pod ({@code ZEPPELIN_RUN_MODE=local}) and starts {@code spark-submit} in client mode with
 * the same {@code spark-defaults.conf} as Jupyter's. Login is Apache Shiro's, with a generated
 * {@code admin} password kept in a Secret (with the {@code shiro.ini} mounted from it); anonymous
 * access is off. Zeppelin 0.12 drives Spark 3.3 to 3.5 only, so its default Spark is {@value
 * #ZEPPELIN_SPARK_VERSION}.
 */
@Value.Immutable
public abstract class NotebookEnvironment {
  /** Jupyter's port. */
  public static final int PORT = 8888;
  /** Zeppelin's port. */
  public static final int ZEPPELIN_PORT = 8080;
  /** The Zeppelin release of the default Zeppelin image. */
  public static final String DEFAULT_ZEPPELIN_VERSION = "0.12.0";
  /** The Spark version a Zeppelin notebook runs by default: Zeppelin 0.12 drives Spark 3.3 to 3.5. */
  public static final String ZEPPELIN_SPARK_VERSION = "3.5.6";
  /** The user Zeppelin asks for its password ({@code shiro.ini}). */
  public static final String ZEPPELIN_USER = "admin";

  /** Which notebook server. */
  public enum Kind {
    /** JupyterLab with PySpark. */
    JUPYTER,
    /** Apache Zeppelin with its Spark interpreter. */
    ZEPPELIN
  }
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

  /**
   * A Zeppelin server named {@code name} with every default: Zeppelin {@value
   * #DEFAULT_ZEPPELIN_VERSION}, Spark {@value #ZEPPELIN_SPARK_VERSION}.
   */
  public static NotebookEnvironment zeppelin(String name) {
    return builder().name(name).kind(Kind.ZEPPELIN).build();
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

  /** The notebook server: Jupyter unless asked. */
  @Value.Default
  public Kind kind() {
    return Kind.JUPYTER;
  }

  /**
   * The Spark version, which picks the default images. When absent, the platform's ({@link
   * SparkPlatform#sparkVersion()}), else {@value SparkJob#DEFAULT_SPARK_VERSION} for Jupyter and
   * {@value #ZEPPELIN_SPARK_VERSION} for Zeppelin: see {@link #effectiveSparkVersion()}.
   */
  public abstract Optional<String> sparkVersion();

  /** The Spark version actually used. */
  public String effectiveSparkVersion() {
    return sparkVersion().orElse(kind() == Kind.ZEPPELIN ? ZEPPELIN_SPARK_VERSION
        : SparkJob.DEFAULT_SPARK_VERSION);
  }

  /** The Zeppelin release, which picks the default Zeppelin image; ignored for Jupyter. */
  @Value.Default
  public String zeppelinVersion() {
    return DEFAULT_ZEPPELIN_VERSION;
  }

  /**
   * The notebook image; by default the Jupyter project's {@code
   * quay.io/jupyter/pyspark-notebook:spark-<sparkVersion>} (any image with {@code jupyter} and
   * PySpark of the same version as the executors' Spark on its {@code PATH}), or for Zeppelin the
   * official {@code apache/zeppelin:<zeppelinVersion>} (any image with Zeppelin in {@code
   * /opt/zeppelin}, started by its command).
   */
  public abstract Optional<String> image();

  /** The image actually used for the notebook. */
  public String containerImage() {
    return image().orElse(kind() == Kind.ZEPPELIN ? "apache/zeppelin:" + zeppelinVersion()
        : "quay.io/jupyter/pyspark-notebook:spark-" + effectiveSparkVersion());
  }

  /**
   * The executors' image (and for Zeppelin the source of the in-pod Spark); the platform's {@link
   * SparkPlatform#sparkImage()} when absent, else the official {@code apache/spark:<sparkVersion>}.
   */
  public abstract Optional<String> executorImage();

  /** The executors' image actually used. */
  public String executorContainerImage() {
    return executorImage().orElse("apache/spark:" + effectiveSparkVersion());
  }

  /** The notebook server's port: 8888 for Jupyter, 8080 for Zeppelin. */
  public int port() {
    return kind() == Kind.ZEPPELIN ? ZEPPELIN_PORT : PORT;
  }

  /** CPU the notebook pod requests. */
  @Value.Default
  public String cpuRequest() {
    return "500m";
  }

  /**
   * Memory of the notebook pod (request and limit), the in-pod driver included: 2Gi for Jupyter,
   * 3Gi for Zeppelin (its server's 1 GiB heap plus the interpreter's driver, 1 GiB by default).
   */
  @Value.Default
  public String memory() {
    return kind() == Kind.ZEPPELIN ? "3Gi" : "2Gi";
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

  /**
   * Where the notebooks' volume is mounted: Jupyter's root directory ({@code /home/jovyan/work}),
   * or Zeppelin's {@code ZEPPELIN_NOTEBOOK_DIR} ({@code /opt/zeppelin/notebook}).
   */
  @Value.Default
  public String notebookDir() {
    return kind() == Kind.ZEPPELIN ? "/opt/zeppelin/notebook" : "/home/jovyan/work";
  }

  /** Executor resources for SparkSessions of this notebook. */
  @Value.Default
  public Executor executor() {
    return Executor.builder().memory("1g").build();
  }

  /** Dynamic allocation of executors (with shuffle tracking by default). */
  public abstract Optional<DynamicAllocation> dynamicAllocation();

  /** Event logging of the notebook's applications, for a History Server; the platform's when absent. */
  public abstract Optional<EventLog> eventLog();

  /**
   * Storage the notebook's sessions read and write; conf, volumes and Secrets are set up. When
   * empty, the platform's {@link SparkPlatform#storage()}.
   */
  public abstract List<StorageBackend> storage();

  /** Further {@code spark-defaults.conf} entries. */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> sparkConf();

  /** How the notebook is reached; inside the cluster by default. */
  @Value.Default
  public Exposure exposure() {
    return Exposure.CLUSTER_IP;
  }

  /**
   * Whether Jupyter asks for a token, or Zeppelin for a password (kept in a Secret). On by
   * default.
   */
  @Value.Default
  public boolean authentication() {
    return true;
  }

  /**
   * Whether the notebook's Spark sessions use Spark's own authentication ({@code spark.authenticate})
   * between the in-pod driver and its executors, with a key the deployer draws into a Secret
   * ({@code <release>-<notebook>-spark-auth}, key {@code secret}) when it first creates it, and
   * mounts on the notebook and, through the executor template, on every executor. Without it any
   * pod that reaches the driver may speak Spark's RPC protocol to it. On by default.
   */
  @Value.Default
  public boolean sparkAuthentication() {
    return true;
  }

  /** A copy with Spark's own authentication on or off. */
  public abstract NotebookEnvironment withSparkAuthentication(boolean on);

  /** The uid the notebook runs as: 1000 ({@code jovyan} of the Jupyter images, Zeppelin's image user). */
  @Value.Default
  public long runAsUser() {
    return 1000;
  }

  /**
   * The gid the notebook runs as and owns its volume with: 100 ({@code users}) for Jupyter, 1000
   * for Zeppelin (whose pod also gets the supplementary group 0 that Zeppelin's image makes its
   * own directories writable for).
   */
  @Value.Default
  public long runAsGroup() {
    return kind() == Kind.ZEPPELIN ? 1000 : 100;
  }

  /**
   * Whether the notebook pod gets the security context of the {@code restricted} Pod Security
   * level (non-root uid and gid, no privilege escalation, all capabilities dropped, the runtime's
   * seccomp profile). On by default; turn it off only for an image that cannot run so, in a
   * namespace that allows it. The executors' pod template keeps its restricted settings.
   */
  @Value.Default
  public boolean restrictedSecurityContext() {
    return true;
  }

  /** A copy with or without the {@code restricted} security context. */
  public abstract NotebookEnvironment withRestrictedSecurityContext(boolean restricted);

  /** A copy running {@code image}. */
  public abstract NotebookEnvironment withImage(String image);

  /** A copy running Spark {@code version} (and its default images). */
  public abstract NotebookEnvironment withSparkVersion(String version);

  /** A copy running Zeppelin {@code version} (its default image). */
  public abstract NotebookEnvironment withZeppelinVersion(String version);

  /** A copy using {@code storage} (replacing the list). */
  public abstract NotebookEnvironment withStorage(Iterable<? extends StorageBackend> storage);

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

  private static final String VERSION = "[0-9]+\\.[0-9]+\\.[0-9]+([-.][A-Za-z0-9.]+)?";

  /** The attributes, with secret-looking conf and environment values shown as {@code <redacted>}. */
  @Override
  public String toString() {
    return Shown.of("NotebookEnvironment").add("name", name()).add("kind", kind())
        .add("sparkVersion", sparkVersion()).add("zeppelinVersion", zeppelinVersion())
        .add("image", image()).add("executorImage", executorImage())
        .add("cpuRequest", cpuRequest()).add("memory", memory())
        .add("notebookVolumeSize", notebookVolumeSize()).add("storageClass", storageClass())
        .add("existingClaim", existingClaim()).add("notebookDir", notebookDir())
        .add("executor", executor()).add("dynamicAllocation", dynamicAllocation())
        .add("eventLog", eventLog()).add("storage", storage()).conf("sparkConf", sparkConf())
        .add("exposure", exposure()).add("authentication", authentication())
        .add("sparkAuthentication", sparkAuthentication())
        .add("runAsUser", runAsUser()).add("runAsGroup", runAsGroup())
        .add("restrictedSecurityContext", restrictedSecurityContext())
        .toString();
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("NotebookEnvironment");
    c.dnsLabel("name", name(), 24);
    sparkVersion().ifPresent(v -> c.require(v.matches(VERSION), "sparkVersion", v,
        "must be a Spark version such as 4.1.1"));
    c.require(zeppelinVersion().matches(VERSION), "zeppelinVersion", zeppelinVersion(),
        "must be a Zeppelin version such as 0.12.0");
    if (kind() == Kind.ZEPPELIN && zeppelinVersion().matches("0\\.1[12]\\..*")
        && effectiveSparkVersion().matches(VERSION)) {
      // Zeppelin 0.11/0.12 refuse Spark outside [3.3.0, 4.0.0) (its SparkVersion.isUnsupportedVersion),
      // and their image's Java 11 cannot run Spark 4 (which needs Java 17).
      String[] v = effectiveSparkVersion().split("[.-]");
      int major = Integer.parseInt(v[0]);
      int minor = Integer.parseInt(v[1]);
      c.require(major == 3 && minor >= 3, "sparkVersion", effectiveSparkVersion(),
          "Zeppelin " + zeppelinVersion() + " drives Spark 3.3 to 3.5 only: use sparkVersion(\""
              + ZEPPELIN_SPARK_VERSION + "\") (or a Zeppelin image that supports it, with its"
              + " zeppelinVersion)");
    }
    image().ifPresent(i -> c.image("image", i));
    executorImage().ifPresent(i -> c.image("executorImage", i));
    c.cpuQuantity("cpuRequest", cpuRequest());
    c.byteQuantity("memory", memory());
    c.byteQuantity("notebookVolumeSize", notebookVolumeSize());
    storageClass().ifPresent(s -> c.dnsSubdomain("storageClass", s));
    existingClaim().ifPresent(s -> c.dnsSubdomain("existingClaim", s));
    c.mountPath("notebookDir", notebookDir());
    c.require(authentication() || exposure() == Exposure.CLUSTER_IP, "authentication", false,
        "a notebook without a token runs anyone's code: it may only be reachable inside the cluster"
            + " (exposure CLUSTER_IP), not " + exposure());
    c.require(runAsUser() > 0, "runAsUser", runAsUser(), "must be a non-root uid (greater than 0)");
    c.require(runAsGroup() > 0, "runAsGroup", runAsGroup(), "must be a non-root gid (greater than 0)");
    NotebookConf.check(c, sparkConf());
    if (sparkAuthentication()) {
      sparkConf().keySet().stream().filter(k -> k.startsWith("spark.authenticate")).forEach(k ->
          c.fail("sparkConf", k, "is set by the SDK while sparkAuthentication is on (the key comes"
              + " from a generated Secret); use withSparkAuthentication(false) to manage it yourself"));
    }
    c.throwIfAny();
  }
}
