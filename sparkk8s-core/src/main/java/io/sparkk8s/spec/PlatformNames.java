package io.sparkk8s.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The names and labels of a platform's shuffle service that jobs and notebooks are pointed at: the
 * client conf of {@link CelebornShuffle} names the masters, that of {@link HostPathShuffleService}
 * selects the service's pods, and {@link SparkPlatform} keeps its other components off these names.
 * The compiler names the objects it makes with the same methods.
 *
 * <pre>{@code
 * PlatformNames.celebornMasterEndpoints(platform, celeborn)
 * // [analytics-celeborn-master-0.analytics-celeborn-master.spark.svc:9097, ...]
 * }</pre>
 */
public final class PlatformNames {
  /** The label naming a platform's component inside its release; Services select by it. */
  public static final String COMPONENT_LABEL = "sparkk8s.io/platform-component";
  /** The component name of Celeborn's masters. */
  public static final String CELEBORN_MASTER = "celeborn-master";
  /** The component name of Celeborn's workers. */
  public static final String CELEBORN_WORKER = "celeborn-worker";
  /** The component name of the hostPath shuffle service. */
  public static final String SHUFFLE_SERVICE = "shuffle-service";

  private PlatformNames() {}

  /** The labels that select the pods of {@code component} of platform {@code p}. */
  public static Map<String, String> selector(SparkPlatform p, String component) {
    return new TreeMap<>(Map.of("app.kubernetes.io/instance", p.name(), COMPONENT_LABEL, component));
  }

  /** The name of Celeborn's master StatefulSet and of its headless Service. */
  public static String celebornMasterName(SparkPlatform p) {
    return p.name() + "-" + CELEBORN_MASTER;
  }

  /** The name of Celeborn's worker StatefulSet and of its headless Service. */
  public static String celebornWorkerName(SparkPlatform p) {
    return p.name() + "-" + CELEBORN_WORKER;
  }

  /** The name of the ConfigMap holding Celeborn's server conf. */
  public static String celebornConfName(SparkPlatform p) {
    return p.name() + "-celeborn-conf";
  }

  /** The name of the hostPath shuffle service's DaemonSet. */
  public static String shuffleServiceName(SparkPlatform p) {
    return p.name() + "-" + SHUFFLE_SERVICE;
  }

  /** The component names a shuffle service takes in its platform. */
  static Set<String> componentNames(ShuffleService s) {
    return switch (s.kind()) {
      case SHUFFLE_TRACKING -> Set.of();
      case CELEBORN -> Set.of(CELEBORN_MASTER, CELEBORN_WORKER);
      case HOST_PATH_DAEMON_SET -> Set.of(SHUFFLE_SERVICE);
    };
  }

  /** Every master's stable name and port: {@code <sts>-<i>.<headless svc>.<ns>.svc:9097}. */
  public static List<String> celebornMasterEndpoints(SparkPlatform p, CelebornShuffle c) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < c.masterReplicas(); i++) {
      out.add(celebornMasterHost(p, i) + ":" + CelebornShuffle.MASTER_PORT);
    }
    return out;
  }

  /** The stable host name of Celeborn master {@code i}: {@code <sts>-<i>.<svc>.<ns>.svc}. */
  public static String celebornMasterHost(SparkPlatform p, int i) {
    String sts = celebornMasterName(p);
    // The cluster domain is left out on purpose: the pods' resolv.conf search path completes it,
    // and clusters do not all use cluster.local.
    return sts + "-" + i + "." + sts + "." + p.namespace() + ".svc";
  }

  /**
   * The labels the hostPath service's pods are selected by (jobs'
   * {@code spark.kubernetes.shuffle.labels}).
   */
  public static Map<String, String> shuffleServiceSelector(SparkPlatform p) {
    return selector(p, SHUFFLE_SERVICE);
  }
}
