package io.sparkk8s.fleet;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Builds a {@link SparkFleet}: its clusters (at least one), the policy, how often capacity is read. */
public final class SparkFleetBuilder {
  private final List<FleetCluster> clusters = new ArrayList<>();
  private PlacementPolicy policy;
  private Duration capacityRefresh = Duration.ofSeconds(5);
  private Duration firstReadWait = Duration.ofSeconds(10);
  private RunLedger ledger = RunLedger.inMemory();
  private Optional<Duration> lostAfter = Optional.empty();

  SparkFleetBuilder() {}

  /** Adds a cluster; names must differ. */
  public SparkFleetBuilder cluster(FleetCluster cluster) {
    clusters.add(Objects.requireNonNull(cluster, "cluster"));
    return this;
  }

  /** The placement policy; {@link PlacementPolicy#byCapacity()} when not set. */
  public SparkFleetBuilder policy(PlacementPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * How often each cluster's capacity is read (default 5 s, at least 200 ms). Shorter sees room
   * freed and clusters back sooner, for one read of nodes, pods and quotas per cluster each time.
   */
  public SparkFleetBuilder capacityRefresh(Duration interval) {
    if (interval.compareTo(Duration.ofMillis(200)) < 0) {
      throw new IllegalArgumentException("capacityRefresh must be at least 200 ms: " + interval);
    }
    this.capacityRefresh = interval;
    return this;
  }

  /**
   * How long the first submit waits for clusters whose capacity was never read (default 10 s);
   * after that they count as capacity unknown until read.
   */
  public SparkFleetBuilder firstReadWait(Duration wait) {
    if (wait.isNegative()) {
      throw new IllegalArgumentException("firstReadWait must not be negative: " + wait);
    }
    this.firstReadWait = wait;
    return this;
  }

  /**
   * Moves the runs of a cluster that has been down for {@code lostAfter} to the others, once each
   * (the {@link #runLedger} decides), placed by the policy as new jobs are; when the lost cluster
   * answers again, the drivers left there are deleted. Off unless set: a cluster that is only
   * unreachable from here may still be running them, so choose {@code lostAfter} longer than the
   * outages you would rather wait out (at least 1 s).
   */
  public SparkFleetBuilder resubmitLostJobs(Duration lostAfter) {
    if (lostAfter.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("lostAfter must be at least 1 s: " + lostAfter);
    }
    this.lostAfter = Optional.of(lostAfter);
    return this;
  }

  /**
   * The record of which cluster owns each run ({@link RunLedger#inMemory()} by default: one
   * scheduler process). Give a shared one when several schedulers use the same clusters.
   */
  public SparkFleetBuilder runLedger(RunLedger ledger) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    return this;
  }

  /**
   * The fleet; it starts reading capacity at once.
   *
   * @throws IllegalArgumentException when there is no cluster, or two share a name
   */
  public SparkFleet build() {
    if (clusters.isEmpty()) {
      throw new IllegalArgumentException("a fleet needs at least one cluster");
    }
    Set<String> names = new HashSet<>();
    List<Member> members = new ArrayList<>();
    for (FleetCluster c : clusters) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("two clusters are named '" + c.name() + "'");
      }
      members.add(new Member(c, Clock.systemUTC()));
    }
    return new SparkFleet(members, policy == null ? PlacementPolicy.byCapacity() : policy,
        capacityRefresh, firstReadWait, ledger, lostAfter);
  }
}
