package io.sparkk8s.spec;

import io.sparkk8s.validate.Checks;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * NetworkPolicies for a job that allow only what Spark needs: the driver and its executors reach
 * each other on Spark's ports (driver RPC, block managers), the driver's UI is reachable only from
 * pods the caller names, every pod may resolve names (DNS), and the driver may reach the API
 * server. Everything else in and out is denied, so data sources must be named with
 * {@link #egressCidrs()}.
 *
 * <pre>{@code
 * SparkJob job = SparkJob.builder().name("etl").application(app)
 *     .networkIsolation(NetworkIsolation.strict()
 *         .withUiClients(Map.of("app", "spark-gateway"))
 *         .withEgressCidrs("10.20.0.0/16"))
 *     .build();
 * }</pre>
 *
 * <p>Policies take effect only where the cluster's network plugin enforces them (Calico, Cilium,
 * most managed clusters); elsewhere the API server stores them and nothing changes.
 */
@Value.Immutable
public abstract class NetworkIsolation {
  private static final Pattern IPV4_CIDR = Pattern.compile(
      "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
          + "/(3[0-2]|[12]?[0-9])");
  private static final Pattern IPV6_CIDR = Pattern.compile(
      "[0-9a-fA-F:]*:[0-9a-fA-F:]*/(12[0-8]|1[01][0-9]|[1-9]?[0-9])");

  NetworkIsolation() {}

  /** Only what Spark needs; no UI clients, no other egress. */
  public static NetworkIsolation strict() {
    return builder().build();
  }

  /** A builder with nothing allowed beyond what Spark needs. */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link NetworkIsolation}. */
  public static final class Builder extends ImmutableNetworkIsolation.Builder {
    Builder() {}
  }

  /**
   * Labels of the pods in the job's namespace that may open the driver's UI
   * ({@code spark.ui.port}). Empty (the default): none, {@code kubectl port-forward} still works.
   */
  @Value.NaturalOrder
  public abstract SortedMap<String, String> uiClients();

  /**
   * Address ranges (CIDR) every pod of the job may reach on any port: object stores, databases,
   * a proxy. Empty by default.
   */
  public abstract List<String> egressCidrs();

  /**
   * The API server's address range, which the driver may reach on ports 443 and 6443. Any address
   * when absent, because a job cannot know it in advance (a policy sees the endpoint behind
   * {@code kubernetes.default.svc}, not the Service's address).
   */
  public abstract Optional<String> apiServerCidr();

  /** A copy whose UI is reachable from pods with these labels. */
  public abstract NetworkIsolation withUiClients(java.util.Map<String, ? extends String> labels);

  /** A copy whose pods may also reach these ranges. */
  public abstract NetworkIsolation withEgressCidrs(String... cidrs);

  /** A copy whose driver reaches the API server only in this range. */
  public abstract NetworkIsolation withApiServerCidr(String cidr);

  static boolean isCidr(String s) {
    return IPV4_CIDR.matcher(s).matches() || IPV6_CIDR.matcher(s).matches();
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("NetworkIsolation");
    c.labels("uiClients", uiClients());
    for (String cidr : egressCidrs()) {
      c.require(isCidr(cidr), "egressCidrs", cidr, "must be a CIDR such as 10.0.0.0/8 or fd00::/8");
    }
    apiServerCidr().ifPresent(cidr -> c.require(isCidr(cidr), "apiServerCidr", cidr,
        "must be a CIDR such as 10.0.0.1/32"));
    c.throwIfAny();
  }
}
