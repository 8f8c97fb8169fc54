package io.sparkk8s.fleet;

import io.sparkk8s.SparkJobHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A run of the fleet: the cluster it runs on (part of its identity: the same namespace and driver
 * name may exist on two clusters) and its handle there. When the fleet moves the run to another
 * cluster because its own was lost ({@link SparkFleet.Builder#resubmitLostJobs}), {@link
 * #cluster()}, {@link #job()} and {@link #placement()} follow it, and {@link #moves()} says where
 * it was.
 */
public final class FleetJobHandle {
  private final String runId;
  private volatile Where where;
  private final List<PlacementDecision> moves = new ArrayList<>();

  private record Where(String cluster, SparkJobHandle job, Optional<PlacementDecision> placement) {}

  /**
   * A handle of a run on {@code cluster}.
   *
   * @param placement where and why the fleet placed it; empty for a job found by {@link
   *     SparkFleet#list} or {@link SparkFleet#attach}
   */
  FleetJobHandle(String cluster, SparkJobHandle job, Optional<PlacementDecision> placement) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(placement, "placement");
    this.runId = job.appId();
    this.where = new Where(cluster, job, placement);
  }

  /** The cluster's name in the fleet. */
  public String cluster() {
    return where.cluster();
  }

  /** The job's handle on that cluster: state, listeners, logs, kill. */
  public SparkJobHandle job() {
    return where.job();
  }

  /** Where and why the fleet placed (or last moved) it; empty for a job found by list or attach. */
  public Optional<PlacementDecision> placement() {
    return where.placement();
  }

  /** The run's application id, the same on every cluster it ran on. */
  public String runId() {
    return runId;
  }

  /** Every move of the run to another cluster, oldest first; empty when it never moved. */
  public List<PlacementDecision> moves() {
    synchronized (moves) {
      return List.copyOf(moves);
    }
  }

  /** {@code cluster/namespace/driver}: the job's identity in the fleet. */
  public String id() {
    Where w = where;
    return w.cluster() + "/" + w.job().namespace() + "/" + w.job().name();
  }

  void moved(String cluster, SparkJobHandle job, PlacementDecision decision) {
    synchronized (moves) {
      moves.add(decision);
      where = new Where(cluster, job, Optional.of(decision));
    }
  }

  @Override
  public String toString() {
    return id();
  }
}
