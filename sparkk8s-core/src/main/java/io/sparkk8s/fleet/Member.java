package io.sparkk8s.fleet;

import io.sparkk8s.ClusterCapacity;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.Toleration;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.LongAdder;

/**
 * One cluster of the fleet and what the fleet knows of it: its last capacity, whether it answers,
 * what was placed there since the capacity was read (so two jobs placed in a row do not both count
 * the same room), and the fleet's jobs there that have not ended. Reservations older than the
 * last read are dropped by it (the read sees their pods), so they stay as many as the jobs placed
 * in one refresh interval.
 */
final class Member {
  final FleetCluster cluster;
  private final Clock clock;
  /** The runs placed here that have not ended, by run id: as many as are in flight. */
  private final Map<String, Flight> flights = new ConcurrentHashMap<>();
  /** Drivers of runs moved away while this cluster was lost; emptied once it answers again. */
  private final Map<String, SparkJobHandle> leftBehind = new ConcurrentHashMap<>();
  /** One read at a time; the start of the last one that ended. */
  private final ReentrantLock readLock = new ReentrantLock();
  private volatile Instant lastReadStart = Instant.MIN;
  private final Deque<Reservation> reserved = new ArrayDeque<>();
  private long reservedCpu;
  private long reservedMemory;
  private volatile ClusterCapacity capacity;
  private volatile Optional<ClusterView.Down> down = Optional.empty();
  /** Runs placed here (moved here included), and times this cluster was passed over. */
  final LongAdder placedHere = new LongAdder();
  final LongAdder passedOverHere =
      new LongAdder();
  /** Completed after the first read, whatever its outcome. */
  final CompletableFuture<Void> firstRead = new CompletableFuture<>();

  private record Reservation(Instant at, long cpu, long memory) {}

  /** A run in flight here: the fleet's handle, the run as described, its driver here, its ask. */
  record Flight(FleetJobHandle handle, SparkJob run, SparkJobHandle here, long cpu, long memory) {
    String runId() {
      return handle.runId();
    }
  }

  Member(FleetCluster cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
    this.capacity = ClusterCapacity.unknown("not read yet", clock.instant());
  }

  String name() {
    return cluster.name();
  }

  /**
   * Reads the capacity and marks the cluster up or down, unless a read that started at or after
   * {@code requestedAt} has ended (a fresher one made this one moot). With {@code wait}, waits for
   * a read under way and then decides; without, returns at once if one is under way (the periodic
   * reads: a cluster that does not answer never holds more than one reader).
   */
  void refresh(Instant requestedAt, boolean wait) {
    if (wait) {
      readLock.lock();
    } else if (!readLock.tryLock()) {
      return;
    }
    try {
      if (!lastReadStart.isBefore(requestedAt)) {
        return;
      }
      Instant start = clock.instant();
      try {
        ClusterCapacity read = cluster.client().capacity();
        synchronized (reserved) {
          capacity = read;
          while (!reserved.isEmpty() && reserved.peekFirst().at().isBefore(start)) {
            Reservation r = reserved.pollFirst();
            reservedCpu -= r.cpu();
            reservedMemory -= r.memory();
          }
        }
        // A cluster found down after this read started (a failed submit) stays down.
        synchronized (this) {
          if (down.isPresent() && down.get().since().isBefore(start)) {
            down = Optional.empty();
          }
        }
      } catch (RuntimeException e) {
        markDown("its capacity could not be read: " + e.getMessage());
      } finally {
        lastReadStart = start;
        firstRead.complete(null);
      }
    } finally {
      readLock.unlock();
    }
  }

  synchronized void markDown(String reason) {
    if (down.isEmpty()) {
      down = Optional.of(new ClusterView.Down(reason, clock.instant()));
    }
  }

  /** The cluster as a policy sees it for {@code job} asking {@code cpu} and {@code memory}. */
  ClusterView view(SparkJob job, long cpu, long memory) {
    return view(job.namespace(), job.nodeSelector(), job.tolerations(), cpu, memory);
  }

  ClusterView view(String namespace, Map<String, String> nodeSelector,
      List<Toleration> tolerations, long cpu, long memory) {
    long fit;
    synchronized (reserved) {
      fit = capacity.driversThatFit(cluster.namespaceFor(namespace), nodeSelector, tolerations,
          cpu, memory, reservedCpu, reservedMemory);
    }
    return new ClusterView(name(), cluster.labels(), down, capacity, fit, flights.size());
  }

  /**
   * A run was placed here: its room is taken until the next read, and it is in flight here until
   * its driver ends here ({@code onEnd} is then called once) or it is moved away.
   */
  void placed(Flight flight, Runnable onEnd) {
    synchronized (reserved) {
      reserved.addLast(new Reservation(clock.instant(), flight.cpu(), flight.memory()));
      reservedCpu += flight.cpu();
      reservedMemory += flight.memory();
    }
    flights.put(flight.runId(), flight);
    placedHere.increment();
    flight.here().completion().whenComplete((end, error) -> {
      if (flights.remove(flight.runId(), flight)) {
        onEnd.run();
      }
    });
  }

  /** The runs in flight here. */
  List<Flight> flights() {
    return List.copyOf(flights.values());
  }

  /**
   * {@code flight} leaves this cluster (moved elsewhere while this one is lost): its driver here
   * is remembered, to be deleted when the cluster answers again.
   */
  boolean moveAway(Flight flight) {
    if (!flights.remove(flight.runId(), flight)) {
      return false;
    }
    leftBehind.put(flight.runId(), flight.here());
    return true;
  }

  /** Drivers of runs moved away while this cluster was lost, by run. */
  Map<String, SparkJobHandle> leftBehind() {
    return leftBehind;
  }

  /** Whether the cluster has been down for at least {@code lostAfter}. */
  boolean lostFor(java.time.Duration lostAfter) {
    Optional<ClusterView.Down> d = down;
    return d.isPresent() && !d.get().since().plus(lostAfter).isAfter(clock.instant());
  }

  boolean isUp() {
    return down.isEmpty();
  }

  Optional<ClusterView.Down> down() {
    return down;
  }
}
