package io.sparkk8s.fleet;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link SparkFleet} did since it was built: the figures a scheduler exports about its
 * placements ({@code io.sparkk8s.micrometer.FleetMetrics} does).
 *
 * @param placed runs placed, by cluster
 * @param passedOver clusters passed over at submit (left out by the policy, or failed the submit),
 *     by cluster
 * @param moved runs moved off a lost cluster
 * @param unplaced submits that no cluster took (the caller got the error)
 */
public record FleetCounts(Map<String, Long> placed, Map<String, Long> passedOver, long moved,
    long unplaced) {
  public FleetCounts {
    placed = java.util.Collections.unmodifiableMap(new TreeMap<>(placed));
    passedOver = java.util.Collections.unmodifiableMap(new TreeMap<>(passedOver));
  }
}
