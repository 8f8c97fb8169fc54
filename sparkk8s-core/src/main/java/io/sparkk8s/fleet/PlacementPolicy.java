package io.sparkk8s.fleet;

import io.sparkk8s.fleet.Placement.Choice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a {@link SparkFleet} submits a job: a function of the job and the fleet as it stands (each
 * cluster's labels, whether it answers, its free capacity and the fleet's jobs on it). Policies
 * compose: {@code PlacementPolicy.byCapacity().preferring("tier", List.of("on-prem", "cloud"))
 * .requiring(Map.of("region", "eu"))}.
 *
 * <p>Write your own as a lambda; test it with clusters of the test kit ({@code
 * io.sparkk8s.testing.InMemorySparkKubernetes} with {@code nodes(...)} and {@code
 * unreachable(true)}) in a real {@link SparkFleet}. A policy is called by one submit at a time.
 */
@FunctionalInterface
public interface PlacementPolicy {

  /** The clusters to try for {@code request.job()}, in order, and the ones left out, with reasons. */
  Placement place(PlacementRequest request);

  /**
   * In proportion to free capacity: over many jobs, each cluster that answers gets a share equal
   * to its share of the room for drivers like the job's (smooth weighted round robin, so the
   * order is even, not random). Clusters whose capacity is unknown are tried after those with
   * room; full and down clusters are left out. The default.
   */
  static PlacementPolicy byCapacity() {
    return new ByCapacity()::place;
  }

  /**
   * The cluster with the fewest of the fleet's jobs in flight first (ties by name), whatever
   * their size; full and down clusters are left out.
   */
  static PlacementPolicy spread() {
    return request -> {
      List<ClusterView> usable = new ArrayList<>();
      List<Choice> excluded = new ArrayList<>();
      for (ClusterView v : request.clusters()) {
        String why = ByCapacity.unusable(v, request);
        if (why != null) {
          excluded.add(new Choice(v.name(), why));
        } else {
          usable.add(v);
        }
      }
      usable.sort(java.util.Comparator.comparingInt(ClusterView::inFlight)
          .thenComparing(ClusterView::name));
      List<Choice> order = new ArrayList<>();
      for (ClusterView v : usable) {
        order.add(new Choice(v.name(), "spread: " + v.inFlight() + " of the fleet's jobs in flight"
            + " there"));
      }
      return new Placement(order, excluded);
    };
  }

  /** Only clusters with every one of {@code labels}; the others are left out, with the label. */
  default PlacementPolicy requiring(Map<String, String> labels) {
    Map<String, String> required = new TreeMap<>(labels);
    return request -> {
      List<ClusterView> keep = new ArrayList<>();
      List<Choice> excluded = new ArrayList<>();
      for (ClusterView v : request.clusters()) {
        String missing = null;
        for (Map.Entry<String, String> e : required.entrySet()) {
          if (!e.getValue().equals(v.labels().get(e.getKey()))) {
            missing = e.getKey() + "=" + e.getValue();
            break;
          }
        }
        if (missing == null) {
          keep.add(v);
        } else {
          excluded.add(new Choice(v.name(), "lacks the required label " + missing));
        }
      }
      return place(request.withClusters(keep)).excluding(excluded);
    };
  }

  /**
   * Clusters whose label {@code key} comes earlier in {@code values} first: this policy orders
   * each group, and a later group is tried only when no cluster of the earlier ones takes the job.
   * Clusters without the label, or with another value, come last.
   */
  default PlacementPolicy preferring(String key, List<String> values) {
    Objects.requireNonNull(key, "key");
    List<String> order = List.copyOf(values);
    return request -> {
      Map<Integer, List<ClusterView>> groups = new TreeMap<>();
      for (ClusterView v : request.clusters()) {
        int rank = order.indexOf(v.labels().get(key));
        groups.computeIfAbsent(rank < 0 ? order.size() : rank, r -> new ArrayList<>()).add(v);
      }
      List<Choice> tries = new ArrayList<>();
      List<Choice> excluded = new ArrayList<>();
      for (Map.Entry<Integer, List<ClusterView>> g : groups.entrySet()) {
        Placement p = place(request.withClusters(g.getValue()));
        String pref = g.getKey() < order.size() ? key + "=" + order.get(g.getKey())
            + " (preference " + (g.getKey() + 1) + " of " + order.size() + ")"
            : "not " + key + " in " + order + " (least preferred)";
        p.tryInOrder().forEach(c -> tries.add(new Choice(c.cluster(), pref + "; " + c.reason())));
        excluded.addAll(p.excluded());
      }
      return new Placement(tries, excluded);
    };
  }
}
