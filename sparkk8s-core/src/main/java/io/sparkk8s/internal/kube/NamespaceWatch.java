package io.sparkk8s.internal.kube;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.cache.Cache;
import io.kubernetes.client.informer.cache.ReflectorRunnable;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.sparkk8s.JobState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One watch of every Spark pod (label {@code spark-app-selector}) in a namespace, shared by all
 * handles of that namespace. client-java's reflector lists, then watches from the list's
 * resourceVersion, and lists again when the watch expires (410 Gone) or drops, so a missed event is
 * replaced by the current state; the handle's state machine makes the replay harmless.
 *
 * <p>One thread per watched namespace: the reflector's, which applies each event to the cache and
 * tells the handlers itself ({@link PodFeed}) instead of queueing it for client-java's informer
 * threads. The handlers never call the API server on it: what needs a call goes to a worker.
 */
final class NamespaceWatch implements AutoCloseable {
  /**
   * Executors by their application id. Drivers are not indexed: a handle finds its driver by name,
   * and an index entry per driver (a one-element set with a 16-slot table) cost about 200 bytes of
   * every tracked job.
   */
  static final String EXECUTOR_INDEX = "spark-app-executors";

  /** Numbers the watch threads (a namespace name is the caller's text: not in a thread name). */
  private static final AtomicInteger THREADS = new AtomicInteger();
  /** How long the reflector waits before it lists again after its loop ended, as the informer's. */
  private static final long RELIST_DELAY_MILLIS = 1000;

  private final String namespace;
  private final Cache<V1Pod> cache;
  private final PodFeed feed;
  private final ReflectorRunnable<V1Pod, V1PodList> reflector;
  private final ScheduledExecutorService thread;
  private final Function<String, Optional<String>> nodeLost;
  private final AtomicLong lists = new AtomicLong();
  private final AtomicLong watches = new AtomicLong();
  private final AtomicLong expired = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  /** Since when no job of this namespace ended and the watch was not opened. */
  private volatile long quietSinceNanos = System.nanoTime();

  /** {@code watchClient} should have no read timeout: a watch is silent while nothing changes. */
  NamespaceWatch(ApiClient watchClient, String namespace, Function<String, KubeJobHandle> handleOf,
      java.util.function.BiConsumer<KubeJobHandle, V1Pod> driverGone,
      Function<String, Optional<String>> nodeLost,
      java.util.function.Consumer<Throwable> failed,
      java.util.function.Consumer<V1Pod> driverSeen) {
    this.namespace = namespace;
    this.nodeLost = nodeLost;
    CoreV1Api core = new CoreV1Api(watchClient);
    io.kubernetes.client.util.CallGenerator calls =
        params -> {
          if (Boolean.TRUE.equals(params.watch)) {
            watches.incrementAndGet();
          } else if (lists.incrementAndGet() > 1 && "".equals(params.resourceVersion)) {
            // client-java's reflector lists from "" (a consistent read) only after a 410 Gone:
            // the resourceVersion it watched from is gone (compacted, or the API server restarted
            // and rebuilt its watch cache). The list replaces the cache; no event is replayed.
            expired.incrementAndGet();
            Log.LOG.info("Watch of pods in {} expired (410 Gone); listing again",
                namespace);
          }
          return core.listNamespacedPod(namespace)
              .labelSelector("spark-app-selector")
              .resourceVersion(params.resourceVersion)
              .timeoutSeconds(params.timeoutSeconds)
              .watch(params.watch)
              // No bookmarks: a BOOKMARK carries a pod without spec.containers, which client-java's
              // strict model validation rejects, failing the reflector loop on every bookmark.
              .buildCall(null);
        };
    // Every failed call is counted and told (a refused connection too, which client-java's
    // reflector keeps from its exception handler); the handler only logs.
    java.util.function.Consumer<Throwable> failedCall = error -> {
      failures.incrementAndGet();
      failed.accept(error);
    };
    // The cache holds only what is read (CachedPods): the reading already made every pod so.
    this.cache = PodFeed.cache(EXECUTOR_INDEX,
        pod -> "executor".equals(roleOf(pod)) ? List.of(PodFacts.appIdOf(pod)) : List.of());
    this.feed = new PodFeed(cache, new ResourceEventHandler<>() {
      @Override
      public void onAdd(V1Pod pod) {
        changed(pod, handleOf);
        seen(pod);
      }

      @Override
      public void onUpdate(V1Pod oldPod, V1Pod newPod) {
        changed(newPod, handleOf);
        seen(newPod);
      }

      /** Every driver in the namespace, with a handle or not: retention is enforced from here. */
      private void seen(V1Pod pod) {
        if ("driver".equals(roleOf(pod))) {
          driverSeen.accept(pod);
        }
      }

      @Override
      public void onDelete(V1Pod pod, boolean finalStateUnknown) {
        KubeJobHandle handle = handleOf.apply(PodFacts.appIdOf(pod));
        if (handle != null && handle.name().equals(pod.getMetadata().getName())) {
          // Only a delete event says the driver is gone, and even then (a relist may report a
          // pod it did not find) the API server is asked before the job is declared deleted.
          driverGone.accept(handle, pod);
        } else if (handle != null) {
          refresh(handle);
        }
      }
    });
    this.reflector = new ReflectorRunnable<>(V1Pod.class,
        // Pods are read straight into their slim copies, from protobuf (ProtoPodReader) or JSON,
        // never in full.
        new ReportingListerWatcher<V1Pod, V1PodList>(watchClient, calls, ProtoPodReader.READING,
            failedCall),
        feed, (type, error) -> {
          // The reflector lists again after a failure; once per second while the API server is
          // unreachable, hence one line, and the trace at debug.
          Log.LOG.warn("Watch of pods in {} failed ({}); listing again", namespace,
              String.valueOf(error));
          Log.LOG.debug("Watch of pods in {} failed", namespace, error);
        });
    this.thread = Executors.newSingleThreadScheduledExecutor(
        DaemonThreads.numbered("sparkk8s-watch", THREADS));
    // The reflector's run() lists, then watches until the watch fails or expires; it is run again
    // a second after it returns, as client-java's informer does.
    thread.scheduleWithFixedDelay(reflector::run, 0, RELIST_DELAY_MILLIS, TimeUnit.MILLISECONDS);
  }

  private static String roleOf(V1Pod pod) {
    return PodFacts.label(pod, "spark-role");
  }

  private void changed(V1Pod pod, Function<String, KubeJobHandle> handleOf) {
    KubeJobHandle handle = handleOf.apply(PodFacts.appIdOf(pod));
    if (handle != null) {
      refresh(handle);
    }
  }

  /** Recomputes a handle's state from the watch's cache. */
  void refresh(KubeJobHandle handle) {
    // The attempt this refresh is about: with retries, the handle may move to the next attempt
    // while this runs, and what is read here must not be applied to that one.
    String appId = handle.appId();
    String name = handle.name();
    V1Pod driver = cache.getByKey(namespace + "/" + name);
    if (driver != null
        && !("driver".equals(roleOf(driver)) && appId.equals(PodFacts.appIdOf(driver)))) {
      driver = null; // a pod of that name, but not this attempt's driver
    }
    int executors = 0;
    java.time.Instant firstExecutor = null;
    for (V1Pod p : cache.byIndex(EXECUTOR_INDEX, appId)) {
      if ("executor".equals(roleOf(p))) {
        java.time.Instant created = Timings.creation(p);
        if (created != null && (firstExecutor == null || created.isBefore(firstExecutor))) {
          firstExecutor = created;
        }
        if (DriverStates.liveExecutor(p)) {
          executors++;
        }
      }
    }
    if (driver != null || firstExecutor != null) {
      handle.observeMetrics(appId, driver != null ? Timings.of(driver, firstExecutor)
          : io.sparkk8s.JobMetrics.of(null, null, null, firstExecutor, null));
    }
    JobState observed;
    if (driver == null) {
      // Absent from the cache is not gone: a relist may be under way. Deletion is decided in
      // onDelete with the API server's word; here only the executor count moves.
      observed = handle.state();
    } else {
      observed = DriverStates.onNode(DriverStates.fromPod(driver),
          nodeLost.apply(driver.getSpec() == null ? null : driver.getSpec().getNodeName()));
    }
    handle.observe(appId, observed.withLiveExecutors(observed.phase().isFinal() ? 0 : executors));
  }

  /** Lists and watches started, relists after a 410 Gone, and failed calls. */
  io.sparkk8s.ClientDiagnostics.WatchStats stats() {
    return new io.sparkk8s.ClientDiagnostics.WatchStats(lists.get(), watches.get(), expired.get(),
        failures.get());
  }

  /** Since when ({@link System#nanoTime()}) the namespace is quiet: see {@link #touch}. */
  long quietSinceNanos() {
    return quietSinceNanos;
  }

  /** A job of this namespace ended now (the watch stays for a while: see Tracker). */
  void touch() {
    quietSinceNanos = System.nanoTime();
  }

  boolean hasSynced() {
    return feed.hasSynced();
  }

  String namespace() {
    return namespace;
  }

  @Override
  public void close() {
    reflector.stop();
    thread.shutdownNow();
  }
}
