package io.sparkk8s;

import io.sparkk8s.spec.PlatformNames;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where each service of a {@link io.sparkk8s.spec.SparkPlatform} stands: ready or why not, and the
 * URL to reach it.
 *
 * <pre>{@code
 * PlatformStatus status = spark.status(platform);
 * status.components().forEach(c -> System.out.println(c.name() + " " + c.ready() + " " + c.url()));
 * }</pre>
 *
 * @param platform the release name
 * @param namespace its namespace
 * @param components one entry per notebook, History Server and shuffle-service workload, in
 *     deployment order
 */
public record PlatformStatus(String platform, String namespace, List<Component> components) {
  public PlatformStatus {
    components = List.copyOf(components);
  }

  /**
   * One service.
   *
   * @param name the notebook's name, {@code history}, {@code celeborn-master}, {@code
   *     celeborn-worker} or {@code shuffle-service}
   * @param kind what the service is
   * @param ready whether its pod is ready to serve (for a StatefulSet every replica, for a
   *     DaemonSet the pod of every node it is scheduled to)
   * @param detail why it is not ready (the Kubernetes reason and message), or "ready"
   * @param url the in-cluster URL ({@code http://<service>.<namespace>.svc:<port>}; {@code
   *     tcp://} for shuffle services, whose hostPath DaemonSet has no Service), and for a
   *     NodePort or LoadBalancer Service the outside one too, when known
   * @param externalUrl the URL from outside the cluster, for NodePort and LoadBalancer exposure
   */
  public record Component(String name, Kind kind, boolean ready, String detail, String url,
      Optional<String> externalUrl) {}

  /** What a service of a platform is; {@link #label()} is the label its objects carry. */
  public enum Kind {
    /** A JupyterLab notebook. */
    JUPYTER("jupyter"),
    /** A Zeppelin notebook. */
    ZEPPELIN("zeppelin"),
    /** The Spark History Server. */
    HISTORY_SERVER("spark-history-server"),
    /** Celeborn's master. */
    CELEBORN_MASTER(PlatformNames.CELEBORN_MASTER),
    /** Celeborn's workers. */
    CELEBORN_WORKER(PlatformNames.CELEBORN_WORKER),
    /** Spark's external shuffle service on every node (a hostPath DaemonSet). */
    SHUFFLE_SERVICE("spark-shuffle-service");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The label Kubernetes objects of this kind carry. */
    public String label() {
      return label;
    }

    /**
     * The kind of a label.
     *
     * @throws IllegalArgumentException for a label no kind has
     */
    public static Kind ofLabel(String label) {
      for (Kind k : values()) {
        if (k.label.equals(label)) {
          return k;
        }
      }
      throw new IllegalArgumentException("no platform service kind is labelled '" + label + "'");
    }
  }

  /** Whether every service is ready. */
  public boolean ready() {
    return components.stream().allMatch(Component::ready);
  }

  /** The component named {@code name}. */
  public Optional<Component> component(String name) {
    return components.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return "PlatformStatus{" + namespace + "/" + platform + ": " + components.stream()
        .map(c -> c.name() + "=" + (c.ready() ? "ready" : c.detail()))
        .collect(Collectors.joining(", ")) + "}";
  }
}
