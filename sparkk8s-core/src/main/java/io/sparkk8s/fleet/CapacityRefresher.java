package io.sparkk8s.fleet;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads every cluster's capacity every interval: one clock thread, and at most four reader
 * threads (one read per cluster at a time, see {@link Member#refresh}), so a cluster that does
 * not answer holds up only its own reads. Daemon threads, stopped by {@link #close()}.
 */
final class CapacityRefresher {
  private static final int READERS = 4;
  private static final AtomicInteger FLEETS = new AtomicInteger();
  private final List<Member> members;
  private final ScheduledExecutorService clock;
  private final ExecutorService readers;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Run on a reader once every cluster's read of a tick ended (the lost runs' pass). */
  private final Runnable afterReads;

  CapacityRefresher(List<Member> members, Duration interval, Runnable afterReads) {
    this.members = members;
    this.afterReads = afterReads;
    int fleet = FLEETS.incrementAndGet();
    this.clock = Executors.newSingleThreadScheduledExecutor(
        daemons("sparkk8s-fleet-" + fleet + "-clock"));
    this.readers = Executors.newFixedThreadPool(Math.min(READERS, Math.max(1, members.size())),
        daemons("sparkk8s-fleet-" + fleet + "-capacity-%d"));
    // The first reads are asked for now, not when the clock thread first runs: a caller's own
    // refresh after build() then makes them moot instead of being followed by them.
    refreshAll();
    clock.scheduleWithFixedDelay(this::refreshAll, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Daemon threads (a fleet left open never keeps its caller's JVM alive), named for the task. */
  private static java.util.concurrent.ThreadFactory daemons(String nameFormat) {
    return new ThreadFactoryBuilder().setDaemon(true).setNameFormat(nameFormat).build();
  }

  private void refreshAll() {
    if (closed.get()) {
      return;
    }
    Instant at = Instant.now();
    CompletableFuture.allOf(members.stream()
        .map(m -> CompletableFuture.runAsync(() -> m.refresh(at, false), readers))
        .toArray(CompletableFuture[]::new))
        .thenRunAsync(afterReads, readers);
  }

  void refreshAllAndWait() {
    Instant at = Instant.now();
    CompletableFuture.allOf(members.stream()
        .map(m -> CompletableFuture.runAsync(() -> m.refresh(at, true), readers))
        .toArray(CompletableFuture[]::new)).join();
  }

  /** Waits, at most {@code wait} in all, until every cluster was read once. */
  void awaitFirstReads(Duration wait) {
    try {
      CompletableFuture.allOf(members.stream().map(m -> m.firstRead)
          .toArray(CompletableFuture[]::new)).get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // A cluster still being read is placed by what is known: "not read yet" (unknown).
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this SparkFleet is closed");
    }
  }

  /** Stops the threads; true the first time. */
  boolean close() {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    clock.shutdownNow();
    readers.shutdownNow();
    return true;
  }
}
