package io.sparkk8s.spec;

import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.internal.validate.Checks;
import java.util.SortedMap;

/**
 * Where executors' shuffle data lives when dynamic allocation removes executors: part of a
 * {@link SparkPlatform}, which deploys what it needs and hands its client conf to the platform's
 * notebooks and, through {@link SparkPlatform#applyShuffleService(SparkJob)}, to jobs.
 *
 * <pre>{@code
 * SparkPlatform team = SparkPlatform.builder().name("team").namespace("data")
 *     .shuffleService(ShuffleService.celeborn())          // 3 masters (Raft), 3 workers
 *     .addNotebook(NotebookEnvironment.jupyter("lab"))     // gets the client conf itself
 *     .build();
 * SparkJob etl = team.applyShuffleService(SparkJob.builder().name("etl").namespace("data")
 *     .application(app).dynamicAllocation(DynamicAllocation.between(0, 50)).build());
 * }</pre>
 *
 * <p>Spark 3 and 4 on Kubernetes do not use Spark 2's external shuffle service. Which to choose:
 *
 * <ul>
 *   <li>{@link #tracking()}: nothing to install; executors that hold shuffle data live until no
 *       stage needs it ({@code spark.dynamicAllocation.shuffleTracking.*}). The default for dynamic
 *       allocation; choose it unless idle executors pinned by shuffle data cost too much, or
 *       shuffle data must survive executor loss.
 *   <li>{@link #celeborn()}: Apache Celeborn, a remote shuffle service (masters in a Raft group,
 *       workers with their own claims). Executors push shuffle data to workers, so they can go as
 *       soon as they are idle, and a lost executor loses no shuffle output. Choose it for large
 *       shuffles, spot nodes, or aggressive scale-down; it needs the Celeborn client jar on Spark's
 *       classpath and Spark 3.5 or later for dynamic allocation without shuffle tracking.
 *   <li>{@link #hostPathDaemonSetInPrivilegedNamespace(String)}: the classic Spark 2 design, one
 *       external shuffle service per node serving a host directory. Only for images that still
 *       speak to it (the apache-spark-on-k8s 2.x fork): upstream Spark 3 and 4 executors register
 *       with a shuffle service at their own pod IP, where nothing listens. It mounts a hostPath,
 *       which the {@code restricted} and {@code baseline} Pod Security levels refuse, so it must be
 *       asked for explicitly and its namespace labelled {@code
 *       pod-security.kubernetes.io/enforce=privileged}.
 * </ul>
 */
public abstract class ShuffleService {
  /** The kinds of shuffle service. */
  public enum Kind {
    /** Shuffle tracking for dynamic allocation: Spark conf only, nothing deployed. */
    SHUFFLE_TRACKING,
    /** Apache Celeborn masters and workers. */
    CELEBORN,
    /** Spark's external shuffle service as a hostPath DaemonSet. */
    HOST_PATH_DAEMON_SET
  }

  ShuffleService() {}

  /** Shuffle tracking: executors holding shuffle data stay until it is no longer needed. */
  public static ShuffleTracking tracking() {
    return ShuffleTracking.builder().build();
  }

  /** Apache Celeborn with every default: 3 masters (a Raft group), 3 workers, one claim each. */
  public static CelebornShuffle celeborn() {
    return CelebornShuffle.builder().build();
  }

  /** Apache Celeborn with {@code masters} masters (an odd number) and {@code workers} workers. */
  public static CelebornShuffle celeborn(int masters, int workers) {
    return CelebornShuffle.builder().masterReplicas(masters).workerReplicas(workers).build();
  }

  /**
   * Spark's external shuffle service as a DaemonSet serving {@code hostDirectory} of every node,
   * in a namespace whose Pod Security level is {@code privileged} (hostPath volumes are refused
   * by {@code baseline} and {@code restricted}). Only for Spark 2 images of the
   * apache-spark-on-k8s fork; see the class comment.
   */
  public static HostPathShuffleService hostPathDaemonSetInPrivilegedNamespace(String hostDirectory) {
    return HostPathShuffleService.builder().hostDirectory(hostDirectory).allowHostPath(true).build();
  }

  /** Which kind of service this is. */
  public abstract Kind kind();

  /**
   * The Spark conf a job or notebook of {@code sparkVersion} needs to use this service when it is
   * deployed by {@code platform}.
   *
   * @throws InvalidDescriptionException when this service cannot serve that Spark version; the
   *     message says what would
   */
  public abstract SortedMap<String, String> clientConf(SparkPlatform platform, String sparkVersion);

  /** Major and minor of a Spark version such as {@code 3.5.6}; {@code {0, 0}} when unparsable. */
  static int[] majorMinor(String version) {
    String[] parts = version.split("[.-]");
    try {
      return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
    } catch (NumberFormatException e) {
      return new int[] {0, 0};
    }
  }

  static void checkSparkVersion(Checks c, String attribute, String version) {
    c.require(version.matches("[0-9]+\\.[0-9]+\\.[0-9]+([-.][A-Za-z0-9.]+)?"), attribute, version,
        "must be a Spark version such as 4.1.1");
  }
}
