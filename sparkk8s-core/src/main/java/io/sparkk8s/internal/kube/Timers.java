package io.sparkk8s.internal.kube;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A client's time-driven work (start timeouts, retention, retries, confirming deletions): one
 * thread that only keeps time, and a pool of {@value #WORKERS} that does the work. The work waits
 * on the network, with {@code ApiRetry} backing off for up to a minute; on the clock's thread,
 * one such call held up every other job's timers (a slow namespace delayed the start timeouts of
 * all others). Work handed over after {@link #close} is dropped: the client is closed.
 *
 * <p>A worker idle for {@link #IDLE} exits and a new one starts when work comes: a client that
 * went quiet holds only its clock thread, so a long-lived service's thread count goes back to
 * where it was (the soak benchmark found six idle workers kept for ever).
 */
final class Timers implements AutoCloseable {
  /**
   * Calls that may wait at once; more wait in the queue, each timer still on time to the queue.
   * Retention deletes one driver per finished job here: the soak benchmark found four workers
   * falling behind a scheduler finishing 15 jobs a second on a loaded API server (3,700 ended
   * drivers waiting after 11,000 jobs); eight keep up with room.
   */
  static final int WORKERS = 8;

  /** How long a worker with nothing to do stays before it exits. */
  static final Duration IDLE = Duration.ofSeconds(30);

  private final ScheduledExecutorService clock;
  private final ThreadPoolExecutor work;

  Timers() {
    this(IDLE);
  }

  Timers(Duration idle) {
    this.clock = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sparkk8s-timers"));
    this.work = new ThreadPoolExecutor(WORKERS, WORKERS, idle.toMillis(), TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), DaemonThreads.numbered("sparkk8s-work"));
    this.work.allowCoreThreadTimeOut(true);
  }

  /** Workers alive now (busy or idle); for tests. */
  int workers() {
    return work.getPoolSize();
  }

  /** Runs {@code task} (which may call the API server) on a worker now. */
  void now(Runnable task) {
    try {
      work.execute(guarded(task));
    } catch (RejectedExecutionException closed) {
      Log.LOG.debug("Client closed: dropped {}", task);
    }
  }

  /** Runs {@code task} (which may call the API server) on a worker after {@code millis}. */
  void after(long millis, Runnable task) {
    try {
      clock.schedule(() -> now(task), Math.max(0, millis), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      Log.LOG.debug("Client closed: dropped {}", task);
    }
  }

  /** The clock, for short work that never waits on the network (the node and track timers). */
  ScheduledExecutorService clock() {
    return clock;
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        Log.LOG.warn("A scheduled task of the client failed", e);
      }
    };
  }

  @Override
  public void close() {
    clock.shutdownNow();
    work.shutdownNow();
  }
}
