package io.sparkk8s.fleet;

import java.util.Objects;
import java.util.Optional;

/**
 * The record of which cluster owns each run of a {@link SparkFleet}: when a cluster is lost, it
 * decides who may start the run elsewhere, so that a run is moved once, by one scheduler, and the
 * driver left on the lost cluster is deleted when it comes back. Compare-and-set: {@link #move}
 * succeeds for one caller only.
 *
 * <p>{@link InMemoryRunLedger} serves one scheduler process. {@link ConfigMapRunLedger} keeps the
 * records on a cluster, for schedulers that run as several replicas or must survive a restart in
 * the middle of a move; or implement it on the store you already share (a database row per run
 * with a version column is enough).
 */
public interface RunLedger {

  /** Who owns a run, and the version of that record. */
  record Ownership(String cluster, long version) {
    public Ownership {
      Objects.requireNonNull(cluster, "cluster");
    }
  }

  /** The owner of {@code runId}, if the ledger has one. */
  Optional<Ownership> owner(String runId);

  /**
   * Records {@code cluster} as the owner of {@code runId} when it has none; returns the ownership
   * in effect afterwards (another cluster's when it had one).
   */
  Ownership claim(String runId, String cluster);

  /**
   * Makes {@code to} the owner of {@code runId} if {@code from} is still the ownership in effect;
   * true when this call moved it.
   */
  boolean move(String runId, Ownership from, String to);

  /** Forgets {@code runId} (it ended) if {@code owner} is still the ownership in effect. */
  void release(String runId, Ownership owner);
}
