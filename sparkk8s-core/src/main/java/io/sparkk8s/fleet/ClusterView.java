package io.sparkk8s.fleet;

import io.sparkk8s.ClusterCapacity;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A cluster as a {@link PlacementPolicy} sees it when one job is placed.
 *
 * @param name the cluster's name in the fleet
 * @param labels its labels
 * @param down why it is not used now (it did not answer, or refused the fleet's last call), and
 *     since when; empty when it answers
 * @param capacity what it had room for at its last read (see {@link ClusterCapacity#readAt()})
 * @param driversThatFit how many more drivers like this job's fit there: the capacity less what the
 *     fleet placed there since it was read; 0 when the capacity is not known
 * @param inFlight jobs this fleet placed there that have not ended
 */
public record ClusterView(String name, SortedMap<String, String> labels, Optional<Down> down,
    ClusterCapacity capacity, long driversThatFit, int inFlight) {

  /** Whether the cluster answers. */
  public boolean isUp() {
    return down.isEmpty();
  }

  /** Why a cluster is not used, since when. */
  public record Down(String reason, Instant since) {
    @Override
    public String toString() {
      return reason + " (since " + since + ")";
    }
  }
}
