package io.sparkk8s.fleet;

import io.sparkk8s.SparkJobHandle;
import java.util.Objects;
import java.util.Optional;

/**
 * A job of the fleet: the cluster it runs on (part of its identity: the same namespace and driver
 * name may exist on two clusters) and its handle there.
 *
 * @param cluster the cluster's name in the fleet
 * @param job the job's handle on that cluster: state, listeners, logs, kill
 * @param placement where and why this fleet placed it; empty for a job found by {@link
 *     SparkFleet#list} or {@link SparkFleet#attach}
 */
public record FleetJobHandle(String cluster, SparkJobHandle job,
    Optional<PlacementDecision> placement) {
  public FleetJobHandle {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(placement, "placement");
  }

  /** {@code cluster/namespace/driver}: the job's identity in the fleet. */
  public String id() {
    return cluster + "/" + job.namespace() + "/" + job.name();
  }

  @Override
  public String toString() {
    return id();
  }
}
