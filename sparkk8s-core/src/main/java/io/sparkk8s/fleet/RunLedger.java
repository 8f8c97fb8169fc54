package io.sparkk8s.fleet;

import java.util.Objects;
import java.util.Optional;

/**
 * The record of which cluster owns each run of a {@link SparkFleet}: when a cluster is lost, it
 * decides who may start the run elsewhere, so that a run is moved once, by one scheduler, and the
 * driver left on the lost cluster is deleted when it comes back. Compare-and-set: {@link #move}
 * succeeds for one caller only.
 *
 * <p>{@link #inMemory()} serves one scheduler process. {@link #configMaps} keeps the records on a
 * cluster, for schedulers that run as several replicas or must survive a restart in the middle of
 * a move; or implement it on the store you already share (a database row per run with a version
 * column is enough).
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

  /** A ledger in this process's memory, holding the runs that have not ended. */
  static RunLedger inMemory() {
    return new InMemoryRunLedger();
  }

  /**
   * A ledger of ConfigMaps in {@code namespace} of the cluster {@code client} reaches (one per run
   * in flight, deleted at its end), each sealed with an HMAC under {@code key}: every scheduler
   * sharing the ledger holds the same key, and a record it cannot verify (planted by anyone who
   * may write ConfigMaps there) is refused with its name, never obeyed. A move is a replace at the
   * read resourceVersion, so the API server lets exactly one scheduler move a run. Put it on a
   * cluster that outlives the others' outages (a management cluster), in a namespace only the
   * schedulers may write. Needs get, create, update and delete on ConfigMaps there.
   */
  static RunLedger configMaps(io.kubernetes.client.openapi.ApiClient client, String namespace,
      io.sparkk8s.RecordKey key) {
    return new ConfigMapRunLedger(java.util.Objects.requireNonNull(client, "client"),
        java.util.Objects.requireNonNull(namespace, "namespace"),
        java.util.Objects.requireNonNull(key, "key"));
  }
}
