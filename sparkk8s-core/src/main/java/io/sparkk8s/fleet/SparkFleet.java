package io.sparkk8s.fleet;

import io.sparkk8s.CompiledJob;
import io.sparkk8s.JobCounts;
import io.sparkk8s.OnConflict;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.exception.ClusterUnreachableException;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.exception.SparkK8sException;
import io.sparkk8s.fleet.Placement.Choice;
import io.sparkk8s.spec.SparkJob;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several Kubernetes clusters as one place to run Spark jobs: {@link #submit} places each job on a
 * cluster by the fleet's {@link PlacementPolicy} (by default in proportion to free capacity),
 * adapted to that cluster ({@link FleetCluster}); a cluster that does not answer, refuses or is
 * full is passed over with the reason on the handle ({@link FleetJobHandle#placement()}), and only
 * when no cluster takes the job does the caller see an error. {@link #list} finds jobs on every
 * cluster again, for a scheduler that restarted.
 *
 * <pre>{@code
 * try (SparkFleet fleet = SparkFleet.builder()
 *     .cluster(FleetCluster.of("on-prem", SparkKubernetes.fromKubeconfig(kc, Optional.of("dc1")))
 *         .withLabels(Map.of("tier", "on-prem")))
 *     .cluster(FleetCluster.of("gke", SparkKubernetes.fromKubeconfig(kc, Optional.of("gke")))
 *         .withLabels(Map.of("tier", "cloud")))
 *     .policy(PlacementPolicy.byCapacity().preferring("tier", List.of("on-prem", "cloud")))
 *     .build()) {
 *   FleetJobHandle placed = fleet.submit(pi);
 *   log.info("{} on {}: {}", placed.job().name(), placed.cluster(), placed.placement().get());
 * }
 * }</pre>
 *
 * <p>Capacity is read from every cluster in the background every {@link
 * Builder#capacityRefresh(Duration)} (one read per cluster at a time; the clients'
 * {@link io.sparkk8s.SparkKubernetes#capacity()}), so a placement asks no API server and costs
 * microseconds. A cluster whose read fails is down until a read succeeds again.
 *
 * <p>A retried submit of the same run (same application id) within the last {@value
 * #RUNS_REMEMBERED} runs this fleet placed goes to the cluster it went to before, as {@link
 * OnConflict#ATTACH} asks. Thread-safe. Closing the fleet closes its clusters' clients; jobs keep
 * running.
 */
public final class SparkFleet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SparkFleet.class);
  /** How many runs' clusters are remembered for retried submits. */
  public static final int RUNS_REMEMBERED = 10_000;
  private static final long DEFAULT_DRIVER_MEMORY = 1408L << 20;

  private final List<Member> members;
  private final Map<String, Member> byName = new LinkedHashMap<>();
  private final PlacementPolicy policy;
  private final CapacityRefresher refresher;
  private final Duration firstReadWait;
  private final RunLedger ledger;
  private final LostRuns lost;
  private final LongAdder unplaced =
      new LongAdder();
  private final Map<String, String> runs = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > RUNS_REMEMBERED;
    }
  };

  SparkFleet(List<Member> members, PlacementPolicy policy, Duration refresh,
      Duration firstReadWait, RunLedger ledger, Optional<Duration> lostAfter) {
    this.members = List.copyOf(members);
    members.forEach(m -> byName.put(m.name(), m));
    this.policy = policy;
    this.firstReadWait = firstReadWait;
    this.ledger = ledger;
    this.lost = new LostRuns(this.members, ledger, lostAfter, new LostRuns.Mover() {
      @Override
      public Optional<LostRuns.Placed> resubmit(Member.Flight flight, Member lost) {
        return SparkFleet.this.resubmit(flight, lost);
      }

      @Override
      public Optional<LostRuns.Placed> follow(Member.Flight flight, String cluster) {
        return SparkFleet.this.follow(flight, cluster);
      }
    });
    this.refresher = new CapacityRefresher(this.members, refresh, lost::pass);
  }

  /** A builder: clusters, policy, capacity refresh. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@link #submit(SparkJob, OnConflict)} with {@link OnConflict#ATTACH}. */
  public FleetJobHandle submit(SparkJob job) {
    return submit(job, OnConflict.ATTACH);
  }

  /**
   * Places {@code job} and submits it to the first cluster of the placement that takes it. The
   * run's application id is fixed before the job is adapted to a cluster, so the run has one id
   * wherever it lands.
   *
   * @throws SparkK8sException when no cluster took the job, naming each and why
   * @throws ConflictException when the driver exists on the cluster chosen and {@code onConflict}
   *     does not allow it (not passed over: it is about the job, not the cluster)
   * @throws io.sparkk8s.exception.InvalidDescriptionException never for a built description
   */
  public FleetJobHandle submit(SparkJob job, OnConflict onConflict) {
    refresher.ensureOpen();
    if (onConflict == OnConflict.NEW_RUN) {
      return submit(job.withAppId(SparkJob.newAppId()), OnConflict.FAIL);
    }
    CompiledJob compiled = SparkCompiler.compile(job);
    SparkJob run = job.appId().isPresent() ? job : job.withAppId(compiled.appId());
    long[] ask = {compiled.driverCpuMillis(), compiled.driverMemoryBytes()};
    String before = ledgerOwner(compiled.appId()).orElseGet(() -> {
      synchronized (runs) {
        return runs.get(compiled.appId());
      }
    });
    Placement placement = before != null && byName.containsKey(before)
        ? new Placement(List.of(new Choice(before, "this run was placed there before")), List.of())
        : place(run, ask);
    List<Choice> passedOver = new ArrayList<>(placement.excluded());
    for (Choice choice : placement.tryInOrder()) {
      Member m = byName.get(choice.cluster());
      Submission tried = Submission.to(m, choice.cluster(), run, onConflict);
      if (tried.refused().isPresent()) {
        passedOver.add(tried.refused().get());
        continue;
      }
      FleetJobHandle placed = new FleetJobHandle(m.name(), tried.handle(),
          Optional.of(new PlacementDecision(m.name(), choice.reason(), passedOver)));
      if (claim(placed.runId(), m.name())) {
        m.placed(new Member.Flight(placed, run, tried.handle(), ask[0], ask[1]),
            () -> ended(placed.runId()));
      }
      countPassedOver(passedOver);
      synchronized (runs) {
        runs.put(compiled.appId(), m.name());
      }
      return placed;
    }
    countPassedOver(passedOver);
    unplaced.increment();
    StringBuilder why = new StringBuilder();
    passedOver.forEach(c -> why.append("\n  ").append(c));
    throw new SparkK8sException("no cluster of the fleet took job " + run.namespace() + "/"
        + run.name() + " (" + ask[0] + "m CPU, " + (ask[1] >> 20) + " MiB for its driver):" + why
        + "\nWhat to do: bring a cluster back or free room, add a cluster, or relax the placement"
        + " policy; the fleet reads capacity again every refresh");
  }

  private void countPassedOver(List<Choice> passedOver) {
    for (Choice c : passedOver) {
      Member m = byName.get(c.cluster());
      if (m != null) {
        m.passedOverHere.increment();
      }
    }
  }

  /** What the fleet did since it was built: placements and passes by cluster, moves, refusals. */
  public FleetCounts counts() {
    Map<String, Long> placed = new LinkedHashMap<>();
    Map<String, Long> passed = new LinkedHashMap<>();
    for (Member m : members) {
      placed.put(m.name(), m.placedHere.sum());
      passed.put(m.name(), m.passedOverHere.sum());
    }
    return new FleetCounts(placed, passed, lost.moved(), unplaced.sum());
  }

  /**
   * The cluster the ledger names for a run. A ledger that cannot be read (down, or a record it
   * does not trust) guides no placement: the submit goes on, placed by the policy, and says so.
   */
  private Optional<String> ledgerOwner(String runId) {
    try {
      return ledger.owner(runId).map(RunLedger.Ownership::cluster);
    } catch (SparkK8sException e) {
      LOG.warn("sparkk8s fleet: the run ledger could not say where run {} runs ({}); placing it"
          + " by the policy", runId, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Records {@code cluster} as the run's owner; false when the ledger names another (a second
   * scheduler placed the same run at the same moment). A ledger that cannot be written leaves the
   * run unrecorded until a move needs it, and says so.
   */
  private boolean claim(String runId, String cluster) {
    try {
      return ledger.claim(runId, cluster).cluster().equals(cluster);
    } catch (SparkK8sException e) {
      LOG.warn("sparkk8s fleet: run {} on {} could not be recorded in the run ledger ({}); it is"
          + " recorded when it has to move", runId, cluster, e.getMessage());
      return true;
    }
  }

  /** A run ended on the cluster that owns it: the ledger forgets it. */
  private void ended(String runId) {
    try {
      ledger.owner(runId).ifPresent(o -> ledger.release(runId, o));
    } catch (SparkK8sException e) {
      LOG.warn("sparkk8s fleet: the run ledger's record of ended run {} could not be removed"
          + " ({})", runId, e.getMessage());
    }
  }

  /** The run's driver on {@code cluster} (moved there by another scheduler), once it exists. */
  private Optional<LostRuns.Placed> follow(Member.Flight flight, String cluster) {
    Member m = byName.get(cluster);
    if (m == null) {
      return Optional.empty();
    }
    try {
      SparkJobHandle there = m.cluster.client().attach(
          m.cluster.namespaceFor(flight.run().namespace()), flight.here().name());
      m.placed(new Member.Flight(flight.handle(), flight.run(), there, flight.cpu(),
          flight.memory()), () -> ended(flight.runId()));
      return Optional.of(new LostRuns.Placed(m, there, new Choice(cluster, "the run ledger"),
          List.of()));
    } catch (SparkK8sException e) {
      return Optional.empty(); // not there yet, or that cluster does not answer: next pass
    }
  }

  /**
   * A run of cluster {@code lost} placed again among the others and submitted to the first that
   * takes it; the ledger moved first, so only one scheduler starts it. Empty when no cluster took
   * it, or another scheduler moved it.
   */
  private Optional<LostRuns.Placed> resubmit(Member.Flight flight, Member lost) {
    String runId = flight.runId();
    RunLedger.Ownership owner = ledger.claim(runId, lost.name());
    Placement placement = place(flight.run(), new long[] {flight.cpu(), flight.memory()});
    List<Choice> passedOver = new ArrayList<>(placement.excluded());
    for (Choice choice : placement.tryInOrder()) {
      Member m = byName.get(choice.cluster());
      if (m == lost) {
        continue;
      }
      if (!owner.cluster().equals(lost.name()) || !ledger.move(runId, owner, choice.cluster())) {
        return Optional.empty();
      }
      owner = ledger.owner(runId).orElseThrow();
      Submission tried = Submission.to(m, choice.cluster(), flight.run(), OnConflict.ATTACH);
      if (tried.refused().isPresent()) {
        passedOver.add(tried.refused().get());
        if (!ledger.move(runId, owner, lost.name())) {
          return Optional.empty();
        }
        owner = ledger.owner(runId).orElseThrow();
        continue;
      }
      m.placed(new Member.Flight(flight.handle(), flight.run(), tried.handle(), flight.cpu(),
          flight.memory()), () -> ended(runId));
      return Optional.of(new LostRuns.Placed(m, tried.handle(), choice, passedOver));
    }
    return Optional.empty();
  }

  /** The policy's decision for {@code run}: clusters read at least once first (bounded wait). */
  Placement place(SparkJob run, long[] ask) {
    refresher.awaitFirstReads(firstReadWait);
    List<ClusterView> views = new ArrayList<>(members.size());
    for (Member m : members) {
      views.add(m.view(run, ask[0], ask[1]));
    }
    synchronized (policy) {
      return policy.place(new PlacementRequest(run, ask[0], ask[1], views));
    }
  }

  /**
   * The handle of a job on cluster {@code cluster}, as that cluster's client attaches.
   *
   * @throws IllegalArgumentException when the fleet has no such cluster
   * @throws NotFoundException when no such driver exists there
   */
  public FleetJobHandle attach(String cluster, String namespace, String driverPodName) {
    refresher.ensureOpen();
    Member m = byName.get(cluster);
    if (m == null) {
      throw new IllegalArgumentException("the fleet has no cluster '" + cluster + "'; it has "
          + byName.keySet());
    }
    return new FleetJobHandle(cluster, m.cluster.client().attach(
        m.cluster.namespaceFor(namespace), driverPodName), Optional.empty());
  }

  /**
   * Every job in {@code namespace} (mapped per cluster) matching {@code labelSelector}, on every
   * cluster that answers; the others are in {@link FleetListing#unanswered()}.
   */
  public FleetListing list(String namespace, String labelSelector) {
    refresher.ensureOpen();
    List<FleetJobHandle> jobs = new ArrayList<>();
    Map<String, String> unanswered = onEveryClusterUp("list", m -> {
      for (SparkJobHandle h : m.cluster.client().list(m.cluster.namespaceFor(namespace),
          labelSelector)) {
        jobs.add(new FleetJobHandle(m.name(), h, Optional.empty()));
      }
    });
    return new FleetListing(jobs, unanswered);
  }

  /**
   * Ensures the driver ServiceAccount and its least-privilege Role on every cluster (in {@code
   * namespace} as each cluster maps it; see {@link io.sparkk8s.SparkKubernetes#ensureDriverServiceAccount}),
   * so a job can land on any of them. Returns, by cluster, why it could not be done there (down,
   * refused); empty when done everywhere.
   */
  public Map<String, String> ensureDriverServiceAccount(String namespace, String name) {
    refresher.ensureOpen();
    return onEveryClusterUp("ensure the driver account", m -> m.cluster.client()
        .ensureDriverServiceAccount(m.cluster.namespaceFor(namespace), name));
  }

  /**
   * Runs {@code call} for each cluster that is up, in order; a down one is not asked (it would
   * hold the caller up for its client's retries), one that does not answer is marked down.
   * Returns, by cluster, why the call was not made or failed.
   */
  private Map<String, String> onEveryClusterUp(String what,
      java.util.function.Consumer<Member> call) {
    Map<String, String> notDone = new LinkedHashMap<>();
    for (Member m : members) {
      if (!m.isUp()) {
        notDone.put(m.name(), "down, not asked: " + m.down().orElseThrow());
        continue;
      }
      try {
        call.accept(m);
      } catch (SparkK8sException e) {
        if (e instanceof ClusterUnreachableException) {
          m.markDown("did not answer a call to " + what + ": " + e.getMessage());
        }
        notDone.put(m.name(), e.getMessage());
      }
    }
    return notDone;
  }

  /**
   * Every cluster as placement sees it now, with room counted for a driver of Spark's defaults
   * (1 CPU, 1408 MiB) in namespace {@code default}.
   */
  public List<ClusterView> clusters() {
    List<ClusterView> out = new ArrayList<>();
    for (Member m : members) {
      out.add(m.view("default", Map.of(), List.of(), 1000, DEFAULT_DRIVER_MEMORY));
    }
    return out;
  }

  /** Each cluster's client's counts, by cluster name. */
  public Map<String, JobCounts> jobCounts() {
    Map<String, JobCounts> out = new LinkedHashMap<>();
    members.forEach(m -> out.put(m.name(), m.cluster.client().jobCounts()));
    return out;
  }

  /** Reads every cluster's capacity now, waiting for the reads (each one attempt). */
  public void refreshCapacity() {
    refresher.ensureOpen();
    refresher.refreshAllAndWait();
  }

  /** Stops the capacity reads and closes every cluster's client. Jobs keep running. */
  @Override
  public void close() {
    if (refresher.close()) {
      members.forEach(m -> m.cluster.client().close());
    }
  }

  /** Builds a {@link SparkFleet}: its clusters (at least one), the policy, how often capacity is read. */
  public static final class Builder {
    private final List<FleetCluster> clusters = new ArrayList<>();
    private PlacementPolicy policy;
    private Duration capacityRefresh = Duration.ofSeconds(5);
    private Duration firstReadWait = Duration.ofSeconds(10);
    private RunLedger ledger = new InMemoryRunLedger();
    private Optional<Duration> lostAfter = Optional.empty();

    Builder() {}

    /** Adds a cluster; names must differ. */
    public Builder cluster(FleetCluster cluster) {
      clusters.add(Objects.requireNonNull(cluster, "cluster"));
      return this;
    }

    /** The placement policy; {@link PlacementPolicy#byCapacity()} when not set. */
    public Builder policy(PlacementPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * How often each cluster's capacity is read (default 5 s, at least 200 ms). Shorter sees room
     * freed and clusters back sooner, for one read of nodes, pods and quotas per cluster each time.
     */
    public Builder capacityRefresh(Duration interval) {
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
    public Builder firstReadWait(Duration wait) {
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
    public Builder resubmitLostJobs(Duration lostAfter) {
      if (lostAfter.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("lostAfter must be at least 1 s: " + lostAfter);
      }
      this.lostAfter = Optional.of(lostAfter);
      return this;
    }

    /**
     * The record of which cluster owns each run ({@link InMemoryRunLedger} by default: one
     * scheduler process). Give a shared one when several schedulers use the same clusters.
     */
    public Builder runLedger(RunLedger ledger) {
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
}
