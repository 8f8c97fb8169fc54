package io.sparkk8s.fleet;

import io.sparkk8s.spec.SparkJob;
import java.util.List;

/**
 * One job to place, and the fleet as it stands.
 *
 * @param job the job, as the caller described it
 * @param driverCpuMillis the CPU its driver pod requests, in millicores
 * @param driverMemoryBytes the memory its driver pod requests (Spark's overhead included)
 * @param clusters every cluster of the fleet, in the order they were added
 */
public record PlacementRequest(SparkJob job, long driverCpuMillis, long driverMemoryBytes,
    List<ClusterView> clusters) {

  public PlacementRequest {
    clusters = List.copyOf(clusters);
  }

  /** A copy with only {@code clusters}. */
  public PlacementRequest withClusters(List<ClusterView> clusters) {
    return new PlacementRequest(job, driverCpuMillis, driverMemoryBytes, clusters);
  }
}
