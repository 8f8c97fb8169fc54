package io.sparkk8s;

import java.util.List;

/**
 * What a {@link SparkKubernetes#deploy(io.sparkk8s.spec.SparkPlatform) deploy} changed (or, for a
 * {@link DeployOptions#dryRun() dry run}, would change), each entry as {@code Kind/name}.
 *
 * <pre>{@code
 * DeployResult r = spark.deploy(platform, DeployOptions.dryRun());
 * if (!r.noChange()) System.out.println("would create " + r.created() + ", update " + r.updated());
 * }</pre>
 *
 * @param created objects that did not exist
 * @param updated objects in which the deploy changed a field it applies
 * @param unchanged objects already as described: every field the deploy applies held the described
 *     value (what other writers change, such as a controller's status, does not count)
 * @param deleted objects of the release no longer described (never claims)
 * @param dryRun whether nothing was written: the API server validated and admitted every object
 *     (and the Deployments' pods) with {@code dryRun=All}
 */
public record DeployResult(List<String> created, List<String> updated, List<String> unchanged,
    List<String> deleted, boolean dryRun) {
  public DeployResult {
    created = List.copyOf(created);
    updated = List.copyOf(updated);
    unchanged = List.copyOf(unchanged);
    deleted = List.copyOf(deleted);
  }

  /** The result of a real deploy. */
  public DeployResult(List<String> created, List<String> updated, List<String> unchanged,
      List<String> deleted) {
    this(created, updated, unchanged, deleted, false);
  }

  /** Whether the deploy changed (or would change) nothing. */
  public boolean noChange() {
    return created.isEmpty() && updated.isEmpty() && deleted.isEmpty();
  }
}
