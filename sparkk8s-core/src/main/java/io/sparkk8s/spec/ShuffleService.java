package io.sparkk8s.spec;

import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.validate.Checks;
import java.util.Set;
import java.util.SortedMap;

/**
 * Where executors' shuffle data lives when dynamic allocation removes executors: part of a
 * {@link SparkPlatform}, which deploys what it needs and hands its client conf to the platform's
 * notebooks and, through {@link SparkPlatform#applyShuffleService(SparkJob)}, to jobs.
 *
 * <pre>{@code
 * SparkPlatform team = SparkPlatform.builder().name("team").namespace("data")
 *     .shuffleService(CelebornShuffle.defaults())         // 3 masters (Raft), 3 workers
 *     .addNotebook(NotebookEnvironment.jupyter("lab"))     // gets the client conf itself
 *     .build();
 * SparkJob etl = team.applyShuffleService(SparkJob.builder().name("etl").namespace("data")
 *     .application(app).dynamicAllocation(DynamicAllocation.between(0, 50)).build());
 * }</pre>
 *
 * <p>Spark 3 and 4 on Kubernetes do not use Spark 2's external shuffle service. Which to choose:
 *
 * <ul>
 *   <li>{@link ShuffleTracking#defaults()}: nothing to install; executors that hold shuffle data
 *       live until no stage needs it ({@code spark.dynamicAllocation.shuffleTracking.*}). The
 *       default for dynamic allocation; choose it unless idle executors pinned by shuffle data
 *       cost too much, or shuffle data must survive executor loss.
 *   <li>{@link CelebornShuffle#defaults()}: Apache Celeborn, a remote shuffle service (masters in
 *       a Raft group, workers with their own claims). Executors push shuffle data to workers, so they can go as
 *       soon as they are idle, and a lost executor loses no shuffle output. Choose it for large
 *       shuffles, spot nodes, or aggressive scale-down; it needs the Celeborn client jar on Spark's
 *       classpath and Spark 3.5 or later for dynamic allocation without shuffle tracking.
 *   <li>{@link HostPathShuffleService#inPrivilegedNamespace(String)}: the classic Spark 2
 *       design, one external shuffle service per node serving a host directory. Only for images that still
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

  /** Which kind of service this is. */
  public abstract Kind kind();

  /**
   * The Spark conf a job or notebook of {@code sparkVersion} needs to use this service when it is
   * deployed by the platform of these names ({@link SparkPlatform#names()}).
   *
   * @throws InvalidDescriptionException when this service cannot serve that Spark version; the
   *     message says what would
   */
  public abstract SortedMap<String, String> clientConf(PlatformNames platform, String sparkVersion);

  /** The component names this service takes in its platform, which no other component may use. */
  Set<String> componentNames() {
    return switch (kind()) {
      case SHUFFLE_TRACKING -> Set.of();
      case CELEBORN -> Set.of(PlatformNames.CELEBORN_MASTER, PlatformNames.CELEBORN_WORKER);
      case HOST_PATH_DAEMON_SET -> Set.of(PlatformNames.SHUFFLE_SERVICE);
    };
  }

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
