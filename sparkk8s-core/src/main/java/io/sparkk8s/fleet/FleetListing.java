package io.sparkk8s.fleet;

import java.util.List;
import java.util.Map;

/**
 * The jobs found across the fleet, and the clusters that could not be asked, with why. A cluster
 * that is down is not asked (it would hold the listing up for the client's retries).
 *
 * @param jobs every job found, cluster by cluster in the fleet's order
 * @param unanswered by cluster name, why it is missing from {@code jobs}
 */
public record FleetListing(List<FleetJobHandle> jobs, Map<String, String> unanswered) {
  public FleetListing {
    jobs = List.copyOf(jobs);
    unanswered = Map.copyOf(unanswered);
  }

  /** Whether every cluster answered. */
  public boolean isComplete() {
    return unanswered.isEmpty();
  }
}
