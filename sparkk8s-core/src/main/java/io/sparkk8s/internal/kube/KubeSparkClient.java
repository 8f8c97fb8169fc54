package io.sparkk8s.internal.kube;

import io.kubernetes.client.PodLogs;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.ApiRetryPolicy;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.ConflictException;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.KubernetesApiException;
import io.sparkk8s.NotFoundException;
import io.sparkk8s.OnConflict;
import io.sparkk8s.RecordKey;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkK8sException;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.SparkUi;
import io.sparkk8s.internal.compile.JobCompiler;
import io.sparkk8s.spec.SparkJob;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/** The SDK's client on client-java: submits in Spark's order, one shared watch per namespace. */
public final class KubeSparkClient implements SparkKubernetes {
  static final Logger LOG = Log.LOG;

  private final ApiClient api;
  private final ApiClient watchApi;
  private final CoreV1Api core;
  private final ApiRetry retry;
  /** Stops idle servers (SparkConnectServer.idleTimeout) seen by any namespace watch. */
  private final IdleStops idle;
  /** The handles, namespace watches and node watch: what this client follows. */
  private final Tracker tracker;
  private final HandleRegistry handles;
  private final HandleRegistry jobs;
  /** Deletes ended jobs when their retention says. */
  private final RetentionEnforcer retention;
  /** Jobs with a retry policy: their attempts and records. */
  private final RetriedJobs retried;
  /** Ends jobs not running within their start timeout. */
  private final StartTimeouts startTimeouts;
  private final java.util.concurrent.atomic.AtomicLong submitted =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong succeeded =
      new java.util.concurrent.atomic.AtomicLong();
  private final Map<String, Long> failedByReason = new ConcurrentHashMap<>();
  private final ExecutorService notifier;
  /** Start timeouts, retention and retries: a clock, and workers for their calls. */
  private final Timers timers = new Timers();
  private volatile boolean closed;
  /** Which retry records read back from the cluster this client obeys (see RecordTrust). */
  private final RecordTrust trust;
  private final RecordStore records;
  /** One attempt's objects, created in Spark's order and idempotently. */
  private final JobObjects apiObjects;

  KubeSparkClient(ApiClient api, ApiClient watchApi, ApiRetryPolicy retryPolicy,
      Optional<RecordKey> recordKey) {
    this.trust = new RecordTrust(recordKey);
    this.api = api;
    this.watchApi = watchApi;
    this.core = new CoreV1Api(api);
    this.retry = new ApiRetry(retryPolicy, this::apiUnreachable);
    this.notifier = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "sparkk8s-notify");
      t.setDaemon(true);
      return t;
    });
    this.tracker = new Tracker(api, watchApi, timers.clock(), this::confirmGone, this::driverSeen);
    this.handles = tracker.handles;
    this.jobs = tracker.jobs;
    this.records = new RecordStore(api, retry, trust);
    this.apiObjects = new JobObjects(api, retry);
    this.startTimeouts = new StartTimeouts(core, retry, this::deleteDriver);
    this.retried = new RetriedJobs(this, tracker, records, trust, apiObjects, timers, notifier,
        submitted);
    this.retention = new RetentionEnforcer(core, retry, timers, () -> closed,
        (ns, jobId) -> retried.deleteAttempts(ns, jobId, Optional.empty()));
    this.idle = new IdleStops(api, path -> apiObjects.send("GET", path, null), retry,
        java.time.Clock.systemUTC());
  }

  @Override
  public io.sparkk8s.PreflightReport preflight(SparkJob job) {
    ensureOpen();
    return new Preflight(api).check(SparkCompiler.compile(job));
  }

  // ---- submit -----------------------------------------------------------------------------

  @Override
  public SparkJobHandle submit(SparkJob job, OnConflict onConflict) {
    ensureOpen();
    if (onConflict == OnConflict.NEW_RUN) {
      return submit(job.withAppId(SparkJob.newAppId()), OnConflict.FAIL);
    }
    if (job.retryPolicy().filter(p -> p.maxAttempts() > 1).isPresent()) {
      return retried.submit(job, SparkCompiler.compile(job), onConflict);
    }
    // The compiler's own output: fresh objects of this call, so no defensive copies (issue 23).
    JobCompiler.Output compiled = JobCompiler.compile(job);
    String ns = job.namespace();
    String name = compiled.context().names().driverPodName();
    String appId = compiled.context().names().appId();
    List<KubernetesObject> pre = compiled.preResources();
    List<KubernetesObject> created = apiObjects.createPre(pre);
    V1Pod driver;
    try {
      driver = apiObjects.createDriver(Retentions.annotate(compiled.driverPod(), job), created);
      submitted.incrementAndGet();
    } catch (ConflictException exists) {
      V1Pod existing = getPod(ns, name);
      String existingApp = NamespaceWatch.appIdOf(existing);
      if (onConflict == OnConflict.ATTACH && existingApp.equals(appId)) {
        String phase = existing.getStatus() == null ? null : existing.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
          LOG.info("Driver {}/{} of app id {} has ended ({}): attaching to that run; submit with"
              + " OnConflict.NEW_RUN to start another", ns, name, existingApp, phase);
        } else {
          LOG.info("Driver {}/{} exists with app id {}: attaching (a retried submit)", ns, name,
              existingApp);
        }
        driver = existing;
      } else if (onConflict == OnConflict.REPLACE) {
        // The old job ends DriverDeleted (not Killed: nobody killed it through its handle).
        KubeJobHandle old = handleFor(ns, name, existingApp, true);
        deleteDriver(ns, name, true);
        awaitGone(old, Duration.ofMinutes(2));
        // Gone: its handle ends now, whether or not a watch of the namespace saw it go.
        old.observe(DriverStates.deleted(false));
        // A PodGroup of the same app id was the old driver's and goes with it: make a fresh one.
        apiObjects.deletePre(pre);
        driver = apiObjects.createDriver(compiled.driverPod(), apiObjects.createPre(pre));
        submitted.incrementAndGet();
      } else {
        // Not submitted: remove what this call created (a PodGroup found is the other job's).
        apiObjects.deletePre(created);
        throw new ConflictException("submit", "Pod", ns, name, 409, exists.status().orElse(null),
            "a driver of this name exists (app id " + existingApp + ", this job's is "
                + appId + "); use OnConflict.REPLACE or a new appId", exists);
      }
    }
    try {
      apiObjects.adopt(pre, driver);
      apiObjects.createOwned(compiled.resources(), driver);
    } catch (KubernetesApiException e) {
      // As Spark's Client.run: without its Service and ConfigMap the driver cannot start.
      LOG.warn("Creating the objects of {}/{} failed; deleting the driver", ns, name, e);
      deleteDriver(ns, name, false);
      throw e;
    }
    KubeJobHandle handle = handleFor(ns, name, appId, true);
    handle.historyServerFrom(driver);
    // The watch is asked for once the handle is tracked: a quiet namespace's watch closed
    // meanwhile (Tracker.LINGER) is opened again and finds the handle.
    watch(ns).refresh(handle);
    job.startTimeout().ifPresent(timeout -> timers.after(timeout.toMillis(),
        () -> enforceStart(handle, 1, timeout)));
    return handle;
  }

  /** Attempt {@code n} of a retried job ended: see {@link RetriedJobs#attemptEnded}. */
  void attemptEnded(KubeJobHandle handle, int n, String appId, String name, JobState end) {
    retried.attemptEnded(handle, n, appId, name, end);
  }

  /** What {@link SparkJobHandle#delete} does: the job's every attempt and record. */
  void deleteJob(KubeJobHandle handle, Duration timeout) {
    if (handle.policy().maxAttempts() > 1) {
      retried.deleteAttempts(handle.namespace(), handle.jobId(), Optional.of(timeout));
      return;
    }
    deleteDriver(handle.namespace(), handle.name(), true);
    awaitGone(handle.namespace(), handle.appId(), handle.name(), timeout);
  }

  /** Ends the attempt if its driver is not running yet: see {@link StartTimeouts}. */
  void enforceStart(KubeJobHandle handle, int attempt, Duration timeout) {
    startTimeouts.enforce(handle, attempt, timeout);
  }

  @Override
  public io.sparkk8s.JobCounts jobCounts() {
    Map<String, Long> failed = new HashMap<>(failedByReason);
    return new io.sparkk8s.JobCounts(submitted.get(), succeeded.get(),
        failed.values().stream().mapToLong(Long::longValue).sum(), failed);
  }

  // ---- Spark UI ---------------------------------------------------------------------------

  /** The UI port of Spark's driver ({@code spark.ui.port}, Spark's default). */
  static final int UI_PORT = 4040;

  SparkUi forwardUi(KubeJobHandle handle) {
    ensureOpen();
    // The streams client: port-forward connections are long-lived like watches.
    return new UiForward(watchApi, handle.namespace(), handle.name(), UI_PORT);
  }

  /** The History Server's page of a finished job, as its description or driver pod named it. */
  SparkUi historyUi(KubeJobHandle handle) {
    return HistoryUi.of(handle);
  }

  /**
   * A job ended: counted, its handle held from now on only while the caller holds it, and for a
   * retried job its retention scheduled ({@link RetentionEnforcer#jobEnded}).
   */
  void jobEnded(KubeJobHandle handle) {
    tracker.ended(handle);
    JobState end = handle.state();
    if (end.phase() == JobPhase.SUCCEEDED) {
      succeeded.incrementAndGet();
    } else {
      failedByReason.merge(end.reason(), 1L, Long::sum);
    }
    retention.jobEnded(handle);
  }

  // ---- find -------------------------------------------------------------------------------

  @Override
  public SparkJobHandle attach(String namespace, String driverPodName) {
    ensureOpen();
    V1Pod pod = getPod(namespace, driverPodName);
    Optional<KubeJobHandle> continued = retried.find(namespace, pod);
    if (continued.isPresent()) {
      return continued.get();
    }
    KubeJobHandle handle = follow(namespace, pod);
    watch(namespace).refresh(handle);
    return handle;
  }

  /**
   * The handle of a driver found, never deleted by this client. Anyone may give a pod another's
   * application id: only the pod a handle follows feeds its state.
   */
  private KubeJobHandle follow(String ns, V1Pod pod) {
    String name = pod.getMetadata().getName();
    KubeJobHandle h = handleFor(ns, name, NamespaceWatch.appIdOf(pod), false);
    if (h.name().equals(name)) {
      h.observeMetrics(h.appId(), Timings.of(pod, null));
      h.historyServerFrom(pod);
      h.observe(DriverStates.fromPod(pod));
    }
    return h;
  }

  @Override
  public List<SparkJobHandle> list(String namespace, String labelSelector) {
    ensureOpen();
    String selector = "spark-role=driver" + (labelSelector == null || labelSelector.isBlank()
        ? "" : "," + labelSelector);
    List<V1Pod> pods = call(new Errors.Target("list", "Pod", namespace, selector),
        () -> core.listNamespacedPod(namespace).labelSelector(selector).execute().getItems());
    List<SparkJobHandle> out = new ArrayList<>();
    for (V1Pod pod : pods) {
      KubeJobHandle h = retried.find(namespace, pod).orElseGet(() -> follow(namespace, pod));
      if (!out.contains(h)) {
        out.add(h);
      }
    }
    if (!out.isEmpty()) {
      watch(namespace); // after the handles are tracked: see Tracker
    }
    return out;
  }

  /**
   * The handle of a driver; {@code submitted} when this client created it. Only then is the driver
   * deleted when its image cannot be pulled: list and attach never delete what they find.
   */
  private KubeJobHandle handleFor(String ns, String name, String appId, boolean submitted) {
    return handles.computeIfAbsent(appId, id -> {
      KubeJobHandle h = new KubeJobHandle(this, ns, name, id, JobState.of(JobPhase.SUBMITTED, ""),
          notifier);
      // A driver whose image will not be had has ended; delete it (and by ownership the rest)
      // so the kubelet stops pulling, as after a start timeout.
      h.addListener((job, from, to) -> {
        if (!submitted) {
          return;
        }
        if (to.phase() == JobPhase.FAILED && DriverStates.IMAGE_UNAVAILABLE.contains(to.reason())
            && !closed) {
          LOG.warn("{}/{}: the driver's image cannot be pulled ({}: {}); deleting the job", ns,
              name, to.reason(), to.message());
          try {
            deleteDriver(ns, name, false);
          } catch (KubernetesApiException e) {
            LOG.warn("Deleting {}/{} failed", ns, name, e);
          }
        }
      });
      return h;
    });
  }

  private NamespaceWatch watch(String namespace) {
    return tracker.watch(namespace);
  }

  /** A watch saw a driver (any, tracked or not): its retention and idle timeout apply. */
  private void driverSeen(V1Pod driver) {
    retention.driverSeen(driver);
    idle.seen(driver);
  }

  /** This client could not reach the API server: see {@link NodeHealth}. */
  private void apiUnreachable(Throwable error) {
    tracker.apiUnreachable(error);
  }

  V1Pod getPod(String ns, String name) {
    return call(new Errors.Target("get", "Pod", ns, name),
        () -> core.readNamespacedPod(name, ns).execute());
  }

  /**
   * The watch reported the driver deleted: ask the API server (off the watch's thread) and end the
   * job only if it is really gone; otherwise take the pod's current state.
   */
  private void confirmGone(KubeJobHandle handle, V1Pod lastSeen) {
    if (closed) {
      return;
    }
    String appId = NamespaceWatch.appIdOf(lastSeen);
    String name = lastSeen.getMetadata().getName();
    timers.now(() -> {
      JobState observed;
      try {
        V1Pod now = getPod(handle.namespace(), name);
        observed = NamespaceWatch.appIdOf(now).equals(appId)
            ? DriverStates.fromPod(now) : DriverStates.deleted(false);
      } catch (NotFoundException gone) {
        // Its last seen state may already be final (it ended, then was deleted): keep that.
        observed = DriverStates.gone(lastSeen);
      } catch (KubernetesApiException unreachable) {
        LOG.warn("Cannot confirm that driver {}/{} is gone; keeping its state", handle.namespace(),
            handle.name(), unreachable);
        return;
      }
      handle.observe(appId, observed);
    });
  }

  // ---- kill, delete, logs ------------------------------------------------------------------

  void deleteDriver(String ns, String name, boolean foreground) {
    try {
      call(new Errors.Target("delete", "Pod", ns, name), () -> core.deleteNamespacedPod(name, ns)
          .body(new V1DeleteOptions().propagationPolicy(foreground ? "Foreground" : "Background"))
          .execute());
    } catch (NotFoundException gone) {
      LOG.debug("Driver {}/{} already gone", ns, name);
    }
  }

  void awaitGone(KubeJobHandle handle, Duration timeout) {
    awaitGone(handle.namespace(), handle.appId(), handle.name(), timeout);
  }

  void awaitGone(String ns, String appId, String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<V1Pod> left = call(new Errors.Target("list", "Pod", ns, appId),
          () -> core.listNamespacedPod(ns).labelSelector("spark-app-selector=" + appId)
              .execute().getItems());
      int services = call(new Errors.Target("list", "Service", ns, appId),
          () -> core.listNamespacedService(ns).labelSelector("spark-app-selector=" + appId)
              .execute().getItems().size());
      if (left.isEmpty() && services == 0) {
        handles.remove(appId);
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new SparkK8sException("Job " + ns + "/" + name + " still has " + left.size()
            + " pods and " + services + " services after " + timeout);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SparkK8sException("Interrupted while deleting " + name, e);
      }
    }
  }

  InputStream streamLog(String ns, String name) {
    return call(new Errors.Target("log", "Pod", ns, name), () -> {
      try {
        return new PodLogs(watchApi).streamNamespacedPodLog(ns, name, "spark-kubernetes-driver");
      } catch (IOException e) {
        throw new ApiException(e);
      }
    });
  }

  /** A running driver's progress from its REST API; empty when it does not answer. */
  Optional<io.sparkk8s.SparkProgress> progress(String ns, String name, String appId) {
    return new ProgressReader(path -> apiObjects.send("GET", path, null),
        java.time.Clock.systemUTC()).read(ns, name, appId);
  }

  /**
   * The pod's events, oldest first, as "Reason: message (xN)"; a failed read is added to
   * {@code unavailable} instead.
   */
  List<String> podEvents(String ns, String name, List<String> unavailable) {
    try {
      List<CoreV1Event> items = core.listNamespacedEvent(ns)
          .fieldSelector("involvedObject.kind=Pod,involvedObject.name=" + name).execute()
          .getItems();
      return items.stream()
          // Oldest first by the second each was first recorded (the scheduler's events carry a
          // microsecond eventTime, the kubelet's whole seconds), the scheduler's first in a tie.
          .sorted(java.util.Comparator.comparing((CoreV1Event e) -> firstSeen(e)
              .truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
              .thenComparing(e -> !"Scheduled".equals(e.getReason())))
          .map(e -> e.getReason() + ": " + e.getMessage()
              + (e.getCount() != null && e.getCount() > 1 ? " (x" + e.getCount() + ")" : ""))
          .toList();
    } catch (ApiException e) {
      unavailable.add("the driver pod's events: HTTP " + e.getCode());
      return List.of();
    }
  }

  private static java.time.OffsetDateTime firstSeen(CoreV1Event e) {
    if (e.getEventTime() != null) {
      return e.getEventTime();
    }
    if (e.getFirstTimestamp() != null) {
      return e.getFirstTimestamp();
    }
    return e.getMetadata().getCreationTimestamp() != null ? e.getMetadata().getCreationTimestamp()
        : java.time.OffsetDateTime.MIN;
  }

  // ---- RBAC -------------------------------------------------------------------------------

  @Override
  public void ensureDriverServiceAccount(String namespace, String name) {
    ensureOpen();
    new DriverAccounts(api, retry).ensure(namespace, name);
  }

  @Override
  public void ensureStorage(String namespace, io.sparkk8s.storage.StorageBackend backend) {
    ensureOpen();
    new StorageProvisioner(core).ensure(namespace, backend);
  }

  @Override
  public io.sparkk8s.DeployResult deploy(io.sparkk8s.spec.SparkPlatform platform,
      io.sparkk8s.DeployOptions options) {
    ensureOpen();
    return new PlatformDeployer(api).deploy(platform, options);
  }

  @Override
  public io.sparkk8s.PlatformStatus status(io.sparkk8s.spec.SparkPlatform platform) {
    ensureOpen();
    return new PlatformDeployer(api).status(platform);
  }

  @Override
  public io.sparkk8s.PlatformStatus awaitReady(io.sparkk8s.spec.SparkPlatform platform,
      java.time.Duration timeout) {
    ensureOpen();
    return new PlatformDeployer(api).awaitReady(platform, timeout);
  }

  @Override
  public void teardown(io.sparkk8s.spec.SparkPlatform platform) {
    ensureOpen();
    new PlatformDeployer(api).teardown(platform, false);
  }

  @Override
  public void teardownAndDeleteClaims(io.sparkk8s.spec.SparkPlatform platform) {
    ensureOpen();
    new PlatformDeployer(api).teardown(platform, true);
  }

  @Override
  public String notebookToken(io.sparkk8s.spec.SparkPlatform platform, String notebook) {
    ensureOpen();
    return new PlatformDeployer(api).notebookToken(platform, notebook);
  }

  @Override
  public io.sparkk8s.NotebookCredentials notebookCredentials(io.sparkk8s.spec.SparkPlatform platform,
      String notebook) {
    ensureOpen();
    return new PlatformDeployer(api).notebookCredentials(platform, notebook);
  }

  // ---- plumbing ---------------------------------------------------------------------------

  /** A call retried by the client's {@link ApiRetryPolicy}; errors as the SDK's exceptions. */
  private <T> T call(Errors.Target target, ApiRetry.Attempt<T> call) {
    return retry.call(target, call);
  }

  /**
   * What the watch of a namespace did: lists (the first and every relist), watches started, lists
   * after a watch expired (410 Gone), and other failures. Empty if the namespace is not watched.
   */
  public Optional<io.sparkk8s.ClientDiagnostics.WatchStats> watchStats(String namespace) {
    return tracker.openWatch(namespace).map(NamespaceWatch::stats);
  }

  @Override
  public io.sparkk8s.ClientDiagnostics diagnostics() {
    return tracker.diagnostics();
  }

  /** The retries of this client's calls, for tests and metrics. */
  public ApiRetry apiRetry() {
    return retry;
  }

  boolean isClosed() {
    return closed;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this SparkKubernetes client is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    tracker.close();
    idle.close();
    notifier.shutdown();
    timers.close();
  }
}
