package io.sparkk8s.fleet;

import io.sparkk8s.fleet.Placement.Choice;
import java.util.List;

/**
 * Where a job was placed and why, and every cluster passed over first with why: left out by the
 * policy (down, full, lacking a label) or skipped at submit (did not answer, refused).
 *
 * @param cluster where the job runs
 * @param reason why there
 * @param passedOver the clusters not used, with reasons, in the order they were considered
 */
public record PlacementDecision(String cluster, String reason, List<Choice> passedOver) {
  public PlacementDecision {
    passedOver = List.copyOf(passedOver);
  }

  @Override
  public String toString() {
    return cluster + " (" + reason + ")" + (passedOver.isEmpty() ? "" : "; passed over " + passedOver);
  }
}
