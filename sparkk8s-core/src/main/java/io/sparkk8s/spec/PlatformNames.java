package io.sparkk8s.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The names and labels of a platform's components that jobs and notebooks are pointed at, for the
 * platform {@code platform} in {@code namespace} ({@link SparkPlatform#names()}): the client conf
 * of {@link CelebornShuffle} names the masters, that of {@link HostPathShuffleService} selects the
 * service's pods, and {@link SparkPlatform} keeps its other components off these names. The
 * compiler names the objects it makes with the same methods.
 *
 * <pre>{@code
 * platform.names().celebornMasterEndpoints(3)
 * // [analytics-celeborn-master-0.analytics-celeborn-master.spark.svc:9097, ...]
 * }</pre>
 *
 * @param platform the platform's name
 * @param namespace the platform's namespace
 */
public record PlatformNames(String platform, String namespace) {
  /** The label naming a platform's component inside its release; Services select by it. */
  public static final String COMPONENT_LABEL = "sparkk8s.io/platform-component";
  /** The component name of Celeborn's masters. */
  public static final String CELEBORN_MASTER = "celeborn-master";
  /** The component name of Celeborn's workers. */
  public static final String CELEBORN_WORKER = "celeborn-worker";
  /** The component name of the hostPath shuffle service. */
  public static final String SHUFFLE_SERVICE = "shuffle-service";
  /** The port Celeborn's masters serve clients and each other on. */
  public static final int CELEBORN_MASTER_PORT = 9097;

  /** Names of the platform {@code platform} in {@code namespace}; neither may be null. */
  public PlatformNames {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(namespace, "namespace");
  }

  /** The labels that select the pods of the platform's {@code component}. */
  public Map<String, String> selector(String component) {
    return new TreeMap<>(Map.of("app.kubernetes.io/instance", platform, COMPONENT_LABEL, component));
  }

  /** The name of Celeborn's master StatefulSet and of its headless Service. */
  public String celebornMasterName() {
    return platform + "-" + CELEBORN_MASTER;
  }

  /** The name of Celeborn's worker StatefulSet and of its headless Service. */
  public String celebornWorkerName() {
    return platform + "-" + CELEBORN_WORKER;
  }

  /** The name of the ConfigMap holding Celeborn's server conf. */
  public String celebornConfName() {
    return platform + "-celeborn-conf";
  }

  /** The name of the hostPath shuffle service's DaemonSet. */
  public String shuffleServiceName() {
    return platform + "-" + SHUFFLE_SERVICE;
  }

  /**
   * Every master's stable name and port, for {@code masters} masters: {@code
   * <sts>-<i>.<headless svc>.<ns>.svc:9097}.
   */
  public List<String> celebornMasterEndpoints(int masters) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < masters; i++) {
      out.add(celebornMasterHost(i) + ":" + CELEBORN_MASTER_PORT);
    }
    return out;
  }

  /** The stable host name of Celeborn master {@code i}: {@code <sts>-<i>.<svc>.<ns>.svc}. */
  public String celebornMasterHost(int i) {
    String sts = celebornMasterName();
    // The cluster domain is left out on purpose: the pods' resolv.conf search path completes it,
    // and clusters do not all use cluster.local.
    return sts + "-" + i + "." + sts + "." + namespace + ".svc";
  }

  /**
   * The labels the hostPath service's pods are selected by (jobs'
   * {@code spark.kubernetes.shuffle.labels}).
   */
  public Map<String, String> shuffleServiceSelector() {
    return selector(SHUFFLE_SERVICE);
  }
}
