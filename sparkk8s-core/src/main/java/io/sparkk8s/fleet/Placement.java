package io.sparkk8s.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link PlacementPolicy} decided for one job: the clusters to try, in order, each with the
 * reason, and the clusters it left out, each with the reason. The fleet submits to the first that
 * takes the job; one that does not answer or refuses is skipped, and the reason recorded.
 *
 * @param tryInOrder where to submit, best first
 * @param excluded where not to, and why
 */
public record Placement(List<Choice> tryInOrder, List<Choice> excluded) {

  public Placement {
    tryInOrder = List.copyOf(tryInOrder);
    excluded = List.copyOf(excluded);
  }

  /** A copy with {@code more} clusters excluded as well. */
  public Placement excluding(List<Choice> more) {
    List<Choice> all = new ArrayList<>(excluded);
    all.addAll(more);
    return new Placement(tryInOrder, all);
  }

  /** A cluster and the reason it was chosen or left out. */
  public record Choice(String cluster, String reason) {
    public Choice {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
      return cluster + ": " + reason;
    }
  }
}
