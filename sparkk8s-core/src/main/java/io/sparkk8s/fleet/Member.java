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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean reading = new AtomicBoolean();
  private final Deque<Reservation> reserved = new ArrayDeque<>();
  private long reservedCpu;
  private long reservedMemory;
  private volatile ClusterCapacity capacity;
  private volatile Optional<ClusterView.Down> down = Optional.empty();
  /** Completed after the first read, whatever its outcome. */
  final CompletableFuture<Void> firstRead = new CompletableFuture<>();

  private record Reservation(Instant at, long cpu, long memory) {}

  Member(FleetCluster cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
    this.capacity = ClusterCapacity.unknown("not read yet", clock.instant());
  }

  String name() {
    return cluster.name();
  }

  /** Reads the capacity now, unless a read is under way; marks the cluster down or up. */
  void refresh() {
    if (!reading.compareAndSet(false, true)) {
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
      down = Optional.empty();
    } catch (RuntimeException e) {
      markDown("its capacity could not be read: " + e.getMessage());
    } finally {
      reading.set(false);
      firstRead.complete(null);
    }
  }

  void markDown(String reason) {
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
    return new ClusterView(name(), cluster.labels(), down, capacity, fit, inFlight.get());
  }

  /** A job was placed here: its room is taken until the next read, and it is in flight until it ends. */
  void placed(SparkJobHandle handle, long cpu, long memory) {
    synchronized (reserved) {
      reserved.addLast(new Reservation(clock.instant(), cpu, memory));
      reservedCpu += cpu;
      reservedMemory += memory;
    }
    inFlight.incrementAndGet();
    handle.completion().whenComplete((end, error) -> inFlight.decrementAndGet());
  }

  int reservations() {
    synchronized (reserved) {
      return reserved.size();
    }
  }
}
