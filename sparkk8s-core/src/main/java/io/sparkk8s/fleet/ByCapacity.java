package io.sparkk8s.fleet;

import io.sparkk8s.fleet.Placement.Choice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link PlacementPolicy#byCapacity()}: smooth weighted round robin, each cluster's weight the
 * number of drivers like the job's that still fit there. Each decision adds every cluster's
 * weight to its credit and takes the total from the one chosen (the highest credit), so over n
 * jobs a cluster is chosen about n times its share, evenly spread. Credits are kept per cluster
 * name: as many as the fleet has clusters.
 */
final class ByCapacity {
  private final Map<String, Long> credit = new HashMap<>();

  /** The order for {@code request}, and the clusters left out with why; see the class. */
  synchronized Placement place(PlacementRequest request) {
    List<ClusterView> withRoom = new ArrayList<>();
    List<ClusterView> unknown = new ArrayList<>();
    List<Choice> excluded = new ArrayList<>();
    long total = 0;
    for (ClusterView v : request.clusters()) {
      String why = unusable(v, request);
      if (why != null) {
        excluded.add(new Choice(v.name(), why));
      } else if (!v.capacity().isKnown()) {
        unknown.add(v);
      } else {
        withRoom.add(v);
        total += v.driversThatFit();
      }
    }
    List<Choice> order = new ArrayList<>();
    if (!withRoom.isEmpty()) {
      ClusterView best = null;
      long bestCredit = Long.MIN_VALUE;
      for (ClusterView v : withRoom) {
        long c = credit.merge(v.name(), v.driversThatFit(), Long::sum);
        if (c > bestCredit) {
          best = v;
          bestCredit = c;
        }
      }
      credit.merge(best.name(), -total, Long::sum);
      order.add(new Choice(best.name(), "by capacity: room for " + best.driversThatFit()
          + " more drivers like this one, of " + total + " in the fleet's clusters that answer;"
          + " its turn in proportion"));
      withRoom.remove(best);
      withRoom.sort(Comparator.comparingLong(ClusterView::driversThatFit).reversed());
      for (ClusterView v : withRoom) {
        order.add(new Choice(v.name(), "by capacity: room for " + v.driversThatFit()
            + " more drivers like this one"));
      }
    }
    for (ClusterView v : unknown) {
      order.add(new Choice(v.name(), "capacity unknown (" + v.capacity().unknownBecause().get()
          + "); tried after the clusters with known room"));
    }
    return new Placement(order, excluded);
  }

  /** Why {@code v} cannot take the job now (down, or known to be full); null when it can. */
  static String unusable(ClusterView v, PlacementRequest request) {
    if (v.down().isPresent()) {
      return "down: " + v.down().get();
    }
    if (v.capacity().isKnown() && v.driversThatFit() <= 0) {
      return "full: no room for a driver of " + request.driverCpuMillis() + "m CPU and "
          + (request.driverMemoryBytes() >> 20) + " MiB (" + v.capacity() + ")";
    }
    return null;
  }
}
