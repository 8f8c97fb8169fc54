package io.sparkk8s.internal.kube;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SDK's threads: daemons (a client left open never keeps its caller's JVM alive), each named
 * for what it does, so a thread dump shows whose thread is whose.
 */
public final class DaemonThreads {
  private DaemonThreads() {
  }

  /** Threads all named {@code name} (for an executor that keeps one). */
  public static ThreadFactory named(String name) {
    return r -> daemon(r, name);
  }

  /** Threads named {@code prefix-1}, {@code prefix-2}, ... in the order they are made. */
  public static ThreadFactory numbered(String prefix) {
    return numbered(prefix, new AtomicInteger());
  }

  /** As {@link #numbered(String)}, counting with {@code counter} (shared by several executors). */
  public static ThreadFactory numbered(String prefix, AtomicInteger counter) {
    return r -> daemon(r, prefix + "-" + counter.incrementAndGet());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
