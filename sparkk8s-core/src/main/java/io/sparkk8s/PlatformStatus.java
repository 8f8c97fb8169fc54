package io.sparkk8s;

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
 * @param components one entry per notebook and History Server, in deployment order
 */
public record PlatformStatus(String platform, String namespace, List<Component> components) {
  public PlatformStatus {
    components = List.copyOf(components);
  }

  /**
   * One service.
   *
   * @param name the notebook's name, or {@code history}
   * @param kind {@code jupyter} or {@code spark-history-server}
   * @param ready whether its pod is ready to serve
   * @param detail why it is not ready (the Kubernetes reason and message), or "ready"
   * @param url the in-cluster URL ({@code http://<service>.<namespace>.svc:<port>}), and for a
   *     NodePort or LoadBalancer Service the outside one too, when known
   * @param externalUrl the URL from outside the cluster, for NodePort and LoadBalancer exposure
   */
  public record Component(String name, String kind, boolean ready, String detail, String url,
      Optional<String> externalUrl) {}

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
