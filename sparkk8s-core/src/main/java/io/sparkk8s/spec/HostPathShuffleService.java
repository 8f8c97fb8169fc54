package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.immutables.value.Value;

/**
 * Spark's external shuffle service ({@code org.apache.spark.deploy.ExternalShuffleService}, port
 * 7337) as a DaemonSet: one per node, serving the shuffle files executors on that node write to a
 * directory of the host. The design of Spark 2 on Kubernetes (the apache-spark-on-k8s fork), for
 * images that still use it.
 *
 * <pre>{@code
 * // The namespace must carry pod-security.kubernetes.io/enforce=privileged.
 * ShuffleService ess = HostPathShuffleService.inPrivilegedNamespace("/var/lib/spark-shuffle");
 * }</pre>
 *
 * <p><b>Pod Security.</b> A hostPath volume is refused by the {@code baseline} and {@code
 * restricted} levels, so {@code build()} fails unless {@link #allowHostPath()} says the caller
 * opts out of them; the namespace must be labelled {@code
 * pod-security.kubernetes.io/enforce=privileged} (a deploy into a namespace that refuses the pods
 * fails before anything is created, with the API server's reason). The service itself stays
 * hardened: uid 185, non-root, no privilege escalation, no capabilities, the runtime's seccomp
 * profile, no service-account token. An init container running as root (with only {@code CHOWN},
 * which {@code baseline} allows and {@code restricted} does not) hands the host directory to that
 * uid, unless {@link #prepareDirectory()} is off.
 *
 * <p><b>Who can use it.</b> Executors of the fork find the service pod on their node through
 * {@code spark.kubernetes.shuffle.namespace} and {@code spark.kubernetes.shuffle.labels} and write
 * under {@code spark.kubernetes.shuffle.dir}, the same host directory; see {@link
 * #clientConf(PlatformNames, String)}. Upstream Spark 3 and 4 executors cannot: they register with
 * a shuffle service at their own pod IP and {@code spark.shuffle.service.port}, where nothing
 * listens, and their local directories are their own emptyDirs. Use shuffle tracking or Celeborn
 * for them.
 */
@Value.Immutable
public abstract class HostPathShuffleService extends ShuffleService {
  /** Spark's external shuffle service port ({@code spark.shuffle.service.port}). */
  public static final int DEFAULT_PORT = 7337;

  HostPathShuffleService() {}

  /** A builder, for every option; {@link #allowHostPath()} must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Spark's external shuffle service as a DaemonSet serving {@code hostDirectory} of every node,
   * in a namespace whose Pod Security level is {@code privileged} (hostPath volumes are refused
   * by {@code baseline} and {@code restricted}). Only for Spark 2 images of the
   * apache-spark-on-k8s fork; see the class comment.
   */
  public static HostPathShuffleService inPrivilegedNamespace(String hostDirectory) {
    return builder().hostDirectory(hostDirectory).allowHostPath(true).build();
  }

  /** The builder of {@link HostPathShuffleService}. */
  public static final class Builder extends ImmutableHostPathShuffleService.Builder {
    Builder() {}
  }

  /**
   * The directory of each node that holds shuffle files, mounted at the same path in the service
   * pod; the executors of the jobs using it must use it as their local directory.
   */
  public abstract String hostDirectory();

  /**
   * The explicit opt-out of the {@code baseline} and {@code restricted} Pod Security levels that a
   * hostPath volume needs; {@code build()} fails without it.
   */
  @Value.Default
  public boolean allowHostPath() {
    return false;
  }

  /** The Spark version, which picks the default image. */
  @Value.Default
  public String sparkVersion() {
    return SparkJob.DEFAULT_SPARK_VERSION;
  }

  /** The image; the official {@code apache/spark:<sparkVersion>} by default. */
  public abstract Optional<String> image();

  /** The image actually used. */
  public String containerImage() {
    return image().orElse("apache/spark:" + sparkVersion());
  }

  /** The port it listens on ({@code spark.shuffle.service.port}). */
  @Value.Default
  public int port() {
    return DEFAULT_PORT;
  }

  /** Its heap ({@code SPARK_DAEMON_MEMORY}). */
  @Value.Default
  public String memory() {
    return "512m";
  }

  /** The CPU each pod requests. */
  @Value.Default
  public String cpuRequest() {
    return "100m";
  }

  /** The uid it runs as, which must also be the executors' uid (they write the files). */
  @Value.Default
  public long runAsUser() {
    return SparkJob.SPARK_UID;
  }

  /** Whether an init container (root, {@code CHOWN} only) gives the host directory to the uid. */
  @Value.Default
  public boolean prepareDirectory() {
    return true;
  }

  /** A copy running {@code image}. */
  public abstract HostPathShuffleService withImage(String image);

  /** A copy listening on another port. */
  public abstract HostPathShuffleService withPort(int port);

  @Override
  public Kind kind() {
    return Kind.HOST_PATH_DAEMON_SET;
  }

  /** The labels of the service pods, which jobs select them by. */
  public SortedMap<String, String> podLabels(PlatformNames platform) {
    return new TreeMap<>(platform.shuffleServiceSelector());
  }

  /**
   * The conf of the apache-spark-on-k8s 2.x images: {@code spark.shuffle.service.enabled=true},
   * the port, {@code spark.kubernetes.shuffle.namespace}, {@code spark.kubernetes.shuffle.labels}
   * (the {@link #podLabels(PlatformNames) pod labels}) and {@code spark.kubernetes.shuffle.dir}
   * and {@code spark.local.dir} (the host directory).
   *
   * @throws io.sparkk8s.exception.InvalidDescriptionException for Spark 3 or later, whose executors cannot
   *     use this service (see the class comment)
   */
  @Override
  public SortedMap<String, String> clientConf(PlatformNames platform, String sparkVersion) {
    Checks c = Checks.of("HostPathShuffleService");
    checkSparkVersion(c, "sparkVersion", sparkVersion);
    c.require(majorMinor(sparkVersion)[0] < 3, "sparkVersion", sparkVersion,
        "Spark 3 and 4 executors register with a shuffle service at their own pod IP, where this"
            + " DaemonSet does not listen: use ShuffleTracking.defaults() or"
            + " CelebornShuffle.defaults() for them");
    c.throwIfAny();
    SortedMap<String, String> conf = new TreeMap<>();
    conf.put("spark.shuffle.service.enabled", "true");
    conf.put("spark.shuffle.service.port", Integer.toString(port()));
    conf.put("spark.kubernetes.shuffle.namespace", platform.namespace());
    conf.put("spark.kubernetes.shuffle.labels", podLabels(platform).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
    conf.put("spark.kubernetes.shuffle.dir", hostDirectory());
    conf.put("spark.local.dir", hostDirectory());
    return conf;
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("HostPathShuffleService");
    c.require(allowHostPath(), "allowHostPath", false, "a hostPath volume is not allowed by the"
        + " restricted or baseline Pod Security level: opt out explicitly with allowHostPath(true)"
        + " (or HostPathShuffleService.inPrivilegedNamespace) and label the namespace"
        + " pod-security.kubernetes.io/enforce=privileged");
    String dir = hostDirectory();
    // First, as one line: the patterns below use '.', which does not match NEL or U+2028.
    c.absolutePath("hostDirectory", dir);
    c.require(dir.startsWith("/") && dir.length() > 1 && !dir.endsWith("/")
        && !dir.matches(".*(^|/)\\.\\.?(/|$).*") && !dir.contains("//") && !dir.contains(",")
        && !dir.matches(".*\\s.*"), "hostDirectory", dir,
        "must be an absolute directory path other than /, without '.', '..', ',' or spaces");
    for (String system : new String[] {"/proc", "/sys", "/dev", "/etc", "/boot", "/bin", "/sbin",
        "/usr", "/lib", "/var/run", "/run"}) {
      c.require(!dir.equals(system) && !dir.startsWith(system + "/"), "hostDirectory", dir,
          "must not be a system directory of the node (" + system + ")");
    }
    ShuffleService.checkSparkVersion(c, "sparkVersion", sparkVersion());
    image().ifPresent(i -> c.image("image", i));
    c.require(port() >= 1024 && port() <= 65535, "port", port(),
        "must be from 1024 to 65535 (it runs as a non-root user)");
    c.sparkMemory("memory", memory());
    c.cpuQuantity("cpuRequest", cpuRequest());
    c.require(runAsUser() > 0, "runAsUser", runAsUser(), "must be a non-root uid (greater than 0)");
    c.throwIfAny();
  }
}
