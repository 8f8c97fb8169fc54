package io.sparkk8s.internal.kube;

import io.sparkk8s.JobPhase;
import java.time.Duration;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Reads the progress of every running job that has a progress listener, for the whole client: one
 * task on the timers' clock every {@link #INTERVAL} hands each followed job's read, in turn, to the
 * workers, at most {@link #IN_FLIGHT} at once (so progress never takes the workers retention and
 * start timeouts need), and each job at most once per tick. A job is followed from its first
 * progress listener until it ends or its last one is removed; the tick runs only while a job is
 * followed.
 */
final class ProgressPoller implements AutoCloseable {
  /** A job whose progress is followed (a {@link KubeJobHandle}). */
  interface Followed {
    /** Its phase now: only a running job's progress is read. */
    JobPhase phase();

    /** Reads its progress and tells its listeners when it changed; may wait on the network. */
    void readProgress();
  }

  static final int IN_FLIGHT = 2;
  private final Timers timers;
  private final Duration interval;
  private final Set<Followed> followed = ConcurrentHashMap.newKeySet();
  /** The followed jobs in the order of their next read; one not followed any more is skipped. */
  private final Deque<Followed> turn = new ConcurrentLinkedDeque<>();
  private final Semaphore slots = new Semaphore(IN_FLIGHT);
  private ScheduledFuture<?> tick;

  ProgressPoller(Timers timers, Duration interval) {
    this.timers = timers;
    this.interval = interval;
  }

  void follow(Followed handle) {
    if (followed.add(handle) && !turn.contains(handle)) {
      turn.add(handle);
      synchronized (this) {
        if (tick == null) {
          tick = timers.clock().scheduleWithFixedDelay(this::tick, 0, interval.toMillis(),
              TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  void unfollow(Followed handle) {
    followed.remove(handle);
  }

  /** Jobs followed now, for diagnostics and tests. */
  int followed() {
    return followed.size();
  }

  private void tick() {
    synchronized (this) {
      if (followed.isEmpty() && tick != null) {
        tick.cancel(false);
        tick = null;
        turn.clear();
        return;
      }
    }
    // Only those in line at the start: a job read now goes to the end, for the next tick.
    for (int n = turn.size(); n > 0 && slots.tryAcquire(); n--) {
      Followed h = turn.poll();
      if (h == null || !followed.contains(h)) {
        slots.release();
        continue;
      }
      if (h.phase() != JobPhase.RUNNING) {
        slots.release();
        turn.add(h);
        continue;
      }
      timers.now(() -> {
        try {
          h.readProgress();
        } finally {
          slots.release();
          if (followed.contains(h)) {
            turn.add(h);
          }
        }
      });
    }
  }

  @Override
  public synchronized void close() {
    if (tick != null) {
      tick.cancel(false);
    }
    followed.clear();
    turn.clear();
  }
}
