package io.sparkk8s.fleet;

import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.exception.SparkK8sException;
import io.sparkk8s.fleet.Member.Flight;
import io.sparkk8s.fleet.Placement.Choice;
import io.sparkk8s.fleet.RunLedger.Ownership;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs whose cluster is lost, moved elsewhere once ({@link SparkFleet.Builder#resubmitLostJobs}):
 * a cluster down for {@code lostAfter} has each of its runs in flight placed again among the
 * others; the ledger's compare-and-set decides which scheduler moves it, so it starts once. When
 * the lost cluster answers again, the drivers left there are deleted: the ledger says the run is
 * elsewhere. One pass at a time, on the fleet's reader threads, after each capacity refresh.
 */
final class LostRuns {
  private static final Logger LOG = LoggerFactory.getLogger(LostRuns.class);
  private final List<Member> members;
  private final RunLedger ledger;
  private final Optional<Duration> lostAfter;
  private final Mover mover;
  private final AtomicBoolean passing = new AtomicBoolean();
  private final LongAdder moved =
      new LongAdder();

  /** Places a run again, leaving {@code lost} out, and submits it to the first that takes it. */
  interface Mover {
    Optional<Placed> resubmit(Flight flight, Member lost);

    /** The run's driver on {@code cluster}, where another scheduler moved it, once it exists. */
    Optional<Placed> follow(Flight flight, String cluster);
  }

  /** Where a moved run landed. */
  record Placed(Member member, SparkJobHandle job, Choice choice, List<Choice> passedOver) {}

  LostRuns(List<Member> members, RunLedger ledger, Optional<Duration> lostAfter, Mover mover) {
    this.members = members;
    this.ledger = ledger;
    this.lostAfter = lostAfter;
    this.mover = mover;
  }

  long moved() {
    return moved.sum();
  }

  void pass() {
    if (!passing.compareAndSet(false, true)) {
      return;
    }
    try {
      for (Member m : members) {
        if (m.isUp()) {
          deleteLeftBehind(m);
        } else if (lostAfter.isPresent() && m.lostFor(lostAfter.get())) {
          for (Flight f : m.flights()) {
            try {
              move(f, m);
            } catch (RuntimeException e) {
              LOG.warn("sparkk8s fleet: run {} of lost cluster {} not moved now ({}); tried again"
                  + " at the next refresh", f.runId(), m.name(), e.getMessage());
            }
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("sparkk8s fleet: moving the runs of lost clusters failed; tried again at the next"
          + " refresh", e);
    } finally {
      passing.set(false);
    }
  }

  private void move(Flight flight, Member lost) {
    Optional<Ownership> owner = ledger.owner(flight.runId());
    if (owner.isPresent() && !owner.get().cluster().equals(lost.name())) {
      // Another scheduler moved it: follow the run there once its driver exists.
      Optional<Placed> there = mover.follow(flight, owner.get().cluster());
      if (there.isPresent()) {
        lost.moveAway(flight);
        flight.handle().moved(there.get().member().name(), there.get().job(),
            new PlacementDecision(there.get().member().name(), "moved by another scheduler: "
                + lost.name() + " lost; the run ledger names " + owner.get().cluster(),
                List.of()));
      }
      return;
    }
    Optional<Placed> placed = mover.resubmit(flight, lost);
    if (placed.isEmpty()) {
      return; // no cluster takes it now: the next pass tries again
    }
    Placed p = placed.get();
    lost.moveAway(flight);
    String reason = "moved: " + lost.name() + " lost (" + lost.down().map(Object::toString)
        .orElse("down") + "); " + p.choice().reason();
    flight.handle().moved(p.member().name(), p.job(),
        new PlacementDecision(p.member().name(), reason, p.passedOver()));
    moved.increment();
    LOG.info("sparkk8s fleet: run {} moved from {} to {}: {}", flight.runId(), lost.name(),
        p.member().name(), reason);
  }

  private void deleteLeftBehind(Member m) {
    for (Map.Entry<String, SparkJobHandle> e : Map.copyOf(m.leftBehind()).entrySet()) {
      Optional<Ownership> owner = ledger.owner(e.getKey());
      if (owner.isPresent() && owner.get().cluster().equals(m.name())) {
        m.leftBehind().remove(e.getKey()); // moved back here: this driver is the run
        continue;
      }
      try {
        e.getValue().kill();
        m.leftBehind().remove(e.getKey());
        LOG.info("sparkk8s fleet: {} answers again; deleted driver {}/{} of run {}, which runs"
            + " elsewhere now", m.name(), e.getValue().namespace(), e.getValue().name(), e.getKey());
      } catch (SparkK8sException ex) {
        LOG.warn("sparkk8s fleet: deleting driver {}/{} left on {} failed ({}); tried again at"
            + " the next refresh", e.getValue().namespace(), e.getValue().name(), m.name(),
            ex.getMessage());
      }
    }
  }
}
