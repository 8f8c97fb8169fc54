package io.sparkk8s;

import java.util.List;

/**
 * What a {@link SparkKubernetes#deploy(io.sparkk8s.spec.SparkPlatform) deploy} changed, each entry
 * as {@code Kind/name}.
 *
 * @param created objects that did not exist
 * @param updated objects whose content changed
 * @param unchanged objects already as described (the server kept their version)
 * @param deleted objects of the release no longer described (never claims)
 */
public record DeployResult(List<String> created, List<String> updated, List<String> unchanged,
    List<String> deleted) {
  public DeployResult {
    created = List.copyOf(created);
    updated = List.copyOf(updated);
    unchanged = List.copyOf(unchanged);
    deleted = List.copyOf(deleted);
  }

  /** Whether the deploy changed nothing. */
  public boolean noChange() {
    return created.isEmpty() && updated.isEmpty() && deleted.isEmpty();
  }
}
