package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.ClientDiagnostics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a client follows, bounded for a client that lives for months: the handles of its jobs
 * ({@link HandleRegistry}: held while the job runs, weakly once it ended), the namespace watches
 * that update them, and the node watch that tells lost nodes.
 *
 * <p>A namespace is watched while a job there has not ended. When its last one ends, its watch
 * (and the watch's threads) is closed {@link #LINGER} later unless a job there started meanwhile:
 * a scheduler that touches thousands of namespaces over a month holds watches only for those with
 * work in flight. Closing happens under the namespace's entry, and a caller registers its handle
 * before it asks for the watch it refreshes with, so a submit never ends up with a closed watch.
 */
final class Tracker implements AutoCloseable {
  /** How long a quiet namespace keeps its watch: a burst of submits reuses it. */
  static final Duration LINGER = Duration.ofSeconds(30);

  /** Handles by the application id of their current attempt (what the watch sees on pods). */
  final HandleRegistry handles = new HandleRegistry();
  /** Handles of jobs with a retry policy, by job id (the first attempt's application id). */
  final HandleRegistry jobs = new HandleRegistry();

  private final ApiClient api;
  private final ApiClient watchApi;
  private final ScheduledExecutorService timers;
  private final BiConsumer<KubeJobHandle, V1Pod> confirmGone;
  private final Consumer<V1Pod> driverSeen;
  private final Map<String, NamespaceWatch> watches = new ConcurrentHashMap<>();
  /** Namespaces whose watch will be looked at (one look due per namespace at most). */
  private final java.util.Set<String> releaseDue = ConcurrentHashMap.newKeySet();
  /** Fed by every failure to reach the API server, so its outages are not taken for lost nodes. */
  private final NodeHealth nodeHealth = new NodeHealth();
  private volatile Optional<NodeWatch> nodes;
  private volatile boolean closed;

  /**
   * {@code confirmGone} is told of a tracked driver the watch saw deleted, {@code driverSeen} of
   * every driver a watch saw (retention and idle stops act on them); both on a watch's thread.
   */
  Tracker(ApiClient api, ApiClient watchApi, ScheduledExecutorService timers,
      BiConsumer<KubeJobHandle, V1Pod> confirmGone, Consumer<V1Pod> driverSeen) {
    this.api = api;
    this.watchApi = watchApi;
    this.timers = timers;
    this.confirmGone = confirmGone;
    this.driverSeen = driverSeen;
  }

  /** The namespace's watch, opened now if it is not open. */
  NamespaceWatch watch(String namespace) {
    nodeLost(null); // starts the node watch with the first namespace watch, off the watch threads
    return watches.computeIfAbsent(namespace, ns -> {
      // A watch opened for a submit that then failed has no job to end: it is looked at once.
      releaseLater(ns);
      return new NamespaceWatch(watchApi, ns, handles::get, confirmGone, this::nodeLost,
          this::apiUnreachable, driverSeen);
    });
  }

  /** Looks at the namespace's watch {@code LINGER} from now, unless a look is due already. */
  private void releaseLater(String namespace) {
    releaseIn(namespace, LINGER.toNanos());
  }

  private void releaseIn(String namespace, long nanos) {
    if (!releaseDue.add(namespace)) {
      return;
    }
    try {
      timers.schedule(() -> {
        releaseDue.remove(namespace);
        releaseIfQuiet(namespace);
      }, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // The client is closing: every watch is closed with it.
    }
  }

  /** The handle of {@code appId}, made by {@code make} and tracked if there is none. */
  KubeJobHandle handle(String appId, Function<String, KubeJobHandle> make) {
    return handles.computeIfAbsent(appId, make);
  }

  /**
   * {@code handle}'s job ended: it is held from now on only while the caller holds it, and its
   * namespace's watch is closed after {@link #LINGER} if no job there runs by then.
   */
  void ended(KubeJobHandle handle) {
    handles.ended(handle.appId(), handle);
    if (handle.jobId() != null) {
      jobs.ended(handle.jobId(), handle);
    }
    NamespaceWatch w = watches.get(handle.namespace());
    if (w != null) {
      w.touch();
    }
    releaseLater(handle.namespace());
  }

  /**
   * Closes the namespace's watch if no job there is running and none ended for {@link #LINGER}
   * (checked under the namespace's entry); looks again later if one ended since.
   */
  void releaseIfQuiet(String namespace) {
    watches.computeIfPresent(namespace, (ns, w) -> {
      if (handles.anyLiveIn(ns) || jobs.anyLiveIn(ns)) {
        return w; // looked at again when they end
      }
      long quiet = System.nanoTime() - w.quietSinceNanos();
      if (quiet < LINGER.toNanos()) {
        releaseIn(ns, LINGER.toNanos() - quiet);
        return w;
      }
      Log.LOG.debug("No job of this client runs in {}: its watch is closed", ns);
      w.close();
      return null;
    });
  }

  /** Why a node is lost, if it is; the node watch starts with the first namespace watch. */
  Optional<String> nodeLost(String nodeName) {
    Optional<NodeWatch> n = nodes;
    if (n == null) {
      synchronized (this) {
        if (nodes == null && !closed) {
          nodes = NodeWatch.start(api, watchApi, nodeHealth, this::nodeChanged, timers);
        }
        n = nodes;
      }
    }
    return n == null ? Optional.empty() : n.flatMap(w -> w.lost(nodeName));
  }

  /** This client could not reach the API server: see {@link NodeHealth}. */
  void apiUnreachable(Throwable error) {
    nodeHealth.failed(error, System.nanoTime());
  }

  /** A node was lost or came back: recompute the running jobs' handles. */
  private void nodeChanged(String nodeName) {
    if (closed) {
      return;
    }
    timers.execute(() -> handles.live().forEach(h -> {
      NamespaceWatch w = watches.get(h.namespace());
      if (w != null) {
        w.refresh(h);
      }
    }));
  }

  ClientDiagnostics diagnostics(ClientDiagnostics.ApiCalls apiCalls) {
    Map<String, ClientDiagnostics.WatchStats> stats = new HashMap<>();
    watches.forEach((ns, w) -> stats.put(ns, w.stats()));
    int running = handles.live().size();
    for (KubeJobHandle j : jobs.live()) {
      if (handles.get(j.appId()) != j) {
        running++; // a retried job between attempts
      }
    }
    return new ClientDiagnostics(running, handles.endedHeld(), stats, apiCalls);
  }

  @Override
  public void close() {
    closed = true;
    watches.values().forEach(NamespaceWatch::close);
    watches.clear();
    synchronized (this) {
      if (nodes != null) {
        nodes.ifPresent(NodeWatch::close);
      }
    }
  }
}
