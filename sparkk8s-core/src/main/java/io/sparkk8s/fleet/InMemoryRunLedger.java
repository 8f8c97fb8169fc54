package io.sparkk8s.fleet;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ledger in this process's memory, for one scheduler process (a fleet's default): one entry per
 * run the fleet placed and that has not ended (released at the end), so as many as there are runs
 * in flight.
 */
public final class InMemoryRunLedger implements RunLedger {
  private final ConcurrentHashMap<String, Ownership> owners = new ConcurrentHashMap<>();

  /** An empty ledger. */
  public InMemoryRunLedger() {}

  @Override
  public Optional<Ownership> owner(String runId) {
    return Optional.ofNullable(owners.get(runId));
  }

  @Override
  public Ownership claim(String runId, String cluster) {
    return owners.computeIfAbsent(runId, id -> new Ownership(cluster, 1));
  }

  @Override
  public boolean move(String runId, Ownership from, String to) {
    return owners.replace(runId, from, new Ownership(to, from.version() + 1));
  }

  @Override
  public void release(String runId, Ownership owner) {
    owners.remove(runId, owner);
  }

  int size() {
    return owners.size();
  }
}
