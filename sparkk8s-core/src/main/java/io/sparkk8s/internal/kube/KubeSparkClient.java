package io.sparkk8s.internal.kube;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.PodLogs;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1RoleRef;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.sparkk8s.ApiRetryPolicy;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.CreateOptions;
import io.sparkk8s.ClusterUnreachableException;
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
import io.sparkk8s.internal.compile.Manifests;
import io.sparkk8s.spec.RetryPolicy;
import io.sparkk8s.spec.SparkJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SDK's client on client-java: submits in Spark's order, one shared watch per namespace. */
public final class KubeSparkClient implements SparkKubernetes {
  static final Logger LOG = LoggerFactory.getLogger(SparkKubernetes.class);
  /**
   * How often tokens of exec plugins and OIDC are fetched again. client-java renews on this
   * schedule only (not after a 401), so it must be shorter than any token's life; a minute costs
   * one plugin run per minute, and the plugins of GKE and PKS cache their tokens.
   */
  public static final Duration CREDENTIAL_REFRESH = Duration.ofMinutes(1);

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

  private KubeSparkClient(ApiClient api, ApiClient watchApi, ApiRetryPolicy retryPolicy,
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
    this.retention = new RetentionEnforcer(core, retry, timers, () -> closed,
        (ns, jobId) -> deleteAttempts(ns, jobId, Optional.empty()));
    this.idle = new IdleStops(api, path -> apiObjects.send("GET", path, null), retry,
        java.time.Clock.systemUTC());
  }

  // ---- construction -----------------------------------------------------------------------

  public static SparkKubernetes standard(Optional<RecordKey> recordKey) {
    String what = "the standard kubeconfig or in-cluster configuration";
    return build(ApiRetryPolicy.defaults(), recordKey, what, () -> {
      String env = System.getenv("KUBECONFIG");
      Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
      Path file = env != null && !env.isBlank() ? Path.of(env.split(java.io.File.pathSeparator)[0])
          : Files.isReadable(home) ? home : null;
      if (file == null) {
        // No kubeconfig: the pod's service account (its token file is re-read as it rotates).
        return ClientBuilder.standard().build();
      }
      return kubeconfigClient(file, Optional.empty(), CREDENTIAL_REFRESH);
    });
  }

  public static SparkKubernetes inCluster(Optional<RecordKey> recordKey) {
    return build(ApiRetryPolicy.defaults(), recordKey, "the pod's service account",
        () -> ClientBuilder.cluster().build());
  }

  public static SparkKubernetes fromKubeconfig(Path path, Optional<String> context,
      Duration credentialRefresh, ApiRetryPolicy retryPolicy, Optional<RecordKey> recordKey) {
    return build(retryPolicy, recordKey, "kubeconfig " + path,
        () -> kubeconfigClient(path, context, credentialRefresh));
  }

  private static ApiClient kubeconfigClient(Path path, Optional<String> context, Duration refresh)
      throws IOException {
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      KubeConfig kc = KubeConfig.loadKubeConfig(r);
      kc.setFile(path.toFile());
      context.ifPresent(c -> {
        if (!kc.setContext(c)) {
          throw new IllegalArgumentException("context '" + c + "' is not in " + path);
        }
      });
      // With a refresh period, KubeconfigAuthentication runs the exec plugin (or OIDC refresh)
      // again on that schedule instead of keeping the first token for the client's life.
      return ClientBuilder.kubeconfig(kc, refresh).build();
    }
  }

  public static SparkKubernetes using(ApiClient client, ApiRetryPolicy retryPolicy,
      Optional<RecordKey> recordKey) {
    // The caller's client is used for watches too; its read timeout should be 0 for them.
    return new KubeSparkClient(client, client, retryPolicy, recordKey);
  }

  private interface ClientSource {
    ApiClient get() throws IOException;
  }

  private static SparkKubernetes build(ApiRetryPolicy retryPolicy, Optional<RecordKey> recordKey,
      String what, ClientSource source) {
    try {
      ApiClient api = source.get();
      // ApiRetry decides every retry: OkHttp's own would resend a create unseen, and a lost
      // answer to it must be followed by an ownership check, not a blind second POST.
      api.setHttpClient(api.getHttpClient().newBuilder().retryOnConnectionFailure(false).build());
      ApiClient watch = source.get();
      watch.setHttpClient(watch.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
      return new KubeSparkClient(api, watch, retryPolicy, recordKey);
    } catch (IOException | RuntimeException e) {
      throw new ClusterUnreachableException("connect", "Cluster", "", what, 0, null,
          e.getMessage(), e);
    }
  }

  // ---- submit -----------------------------------------------------------------------------

  @Override
  public SparkJobHandle submit(SparkJob job, OnConflict onConflict) {
    ensureOpen();
    CompiledJob compiled = SparkCompiler.compile(job);
    if (job.retryPolicy().filter(p -> p.maxAttempts() > 1).isPresent()) {
      return submitWithRetries(job, compiled, onConflict);
    }
    String ns = compiled.namespace();
    String name = compiled.driverPodName();
    List<KubernetesObject> pre = compiled.preResources();
    List<KubernetesObject> created = apiObjects.createPre(pre);
    V1Pod driver;
    try {
      driver = apiObjects.createDriver(Retentions.annotate(compiled.driverPod(), job), created);
      submitted.incrementAndGet();
    } catch (ConflictException exists) {
      V1Pod existing = getPod(ns, name);
      String existingApp = NamespaceWatch.appIdOf(existing);
      if (onConflict == OnConflict.ATTACH && existingApp.equals(compiled.appId())) {
        LOG.info("Driver {}/{} exists with app id {}: attaching (a retried submit)", ns, name,
            existingApp);
        driver = existing;
      } else if (onConflict == OnConflict.REPLACE) {
        // The old job ends DriverDeleted (not Killed: nobody killed it through its handle).
        KubeJobHandle old = handleFor(ns, name, existingApp, true);
        deleteDriver(ns, name, true);
        awaitGone(old, Duration.ofMinutes(2));
        // A PodGroup of the same app id was the old driver's and goes with it: make a fresh one.
        apiObjects.deletePre(pre);
        driver = apiObjects.createDriver(Retentions.annotate(compiled.driverPod(), job), apiObjects.createPre(pre));
        submitted.incrementAndGet();
      } else {
        // Not submitted: remove what this call created (a PodGroup found is the other job's).
        apiObjects.deletePre(created);
        throw new ConflictException("submit", "Pod", ns, name, 409, exists.status().orElse(null),
            "a driver of this name exists (app id " + existingApp + ", this job's is "
                + compiled.appId() + "); use OnConflict.REPLACE or a new appId", exists);
      }
    }
    try {
      apiObjects.adopt(pre, driver);
      apiObjects.createOwned(compiled.ownedResources(), driver);
    } catch (KubernetesApiException e) {
      // As Spark's Client.run: without its Service and ConfigMap the driver cannot start.
      LOG.warn("Creating the objects of {}/{} failed; deleting the driver", ns, name, e);
      deleteDriver(ns, name, false);
      throw e;
    }
    KubeJobHandle handle = handleFor(ns, name, compiled.appId(), true);
    handle.historyServerFrom(driver);
    // The watch is asked for once the handle is tracked: a quiet namespace's watch closed
    // meanwhile (Tracker.LINGER) is opened again and finds the handle.
    watch(ns).refresh(handle);
    job.startTimeout().ifPresent(timeout -> timers.after(timeout.toMillis(),
        () -> enforceStart(handle, 1, timeout)));
    return handle;
  }

  // ---- retries ----------------------------------------------------------------------------

  /**
   * A job with a retry policy: its record first (the policy and every attempt's objects, so a
   * client that only attaches can continue), then attempt 1. If attempts exist on the server (a
   * restarted caller submitting again), the job continues where they left it.
   */
  private SparkJobHandle submitWithRetries(SparkJob job, CompiledJob compiled,
      OnConflict onConflict) {
    RetryPolicy policy = job.retryPolicy().orElseThrow();
    String ns = compiled.namespace();
    String jobId = compiled.appId();
    KubeJobHandle known = jobs.get(jobId);
    if (known != null && onConflict == OnConflict.ATTACH) {
      return known;
    }
    IntFunction<Optional<Attempts.Objects>> objects = memo(n -> n >= 1 && n <= policy.maxAttempts()
        ? Optional.of(Attempts.compile(job, jobId, n)) : Optional.empty());
    List<V1Pod> drivers = records.drivers(ns, jobId);
    Optional<V1ConfigMap> record = records.find(ns, jobId);
    if (!drivers.isEmpty() || record.isPresent()) {
      if (onConflict == OnConflict.FAIL) {
        throw new ConflictException("submit", "Pod", ns, compiled.driverPodName(), 409, null,
            "the job has " + drivers.size() + " attempts on the cluster; use OnConflict.ATTACH to"
                + " continue it, OnConflict.REPLACE or a new appId", null);
      }
      if (onConflict == OnConflict.ATTACH) {
        return resume(ns, jobId, policy, objects, job.startTimeout(), drivers, record, true);
      }
      deleteAttempts(ns, jobId, Duration.ofMinutes(2));
    }
    Attempts.Objects first = objects.apply(1).orElseThrow();
    KubeJobHandle handle = new KubeJobHandle(this, ns, first.driverName(), first.appId(), 1, jobId,
        policy, objects, job.startTimeout(), JobState.of(JobPhase.SUBMITTED, ""), notifier);
    jobs.put(jobId, handle);
    watch(ns);
    V1ConfigMap newRecord = Attempts.record(job, jobId, compiled.resourcePrefix(), policy);
    try {
      apiObjects.create(trust.seal(newRecord), V1ConfigMap.class);
    } catch (ConflictException exists) {
      LOG.debug("Record of {} exists already", jobId);
    } catch (KubernetesApiException e) {
      if (!policy.retries(1, RetryPolicy.Outcome.SUBMISSION_FAILURE)) {
        jobs.remove(jobId);
        throw e;
      }
      // Attempt 1 meets the same API server: it fails too, as a submission failure.
      LOG.warn("Cannot create the record of {}/{}; a restart will not continue its retries", ns,
          jobId, e);
    }
    startAttempt(handle, first, true);
    submitted.incrementAndGet();
    return handle;
  }

  /** Memoizes attempt objects: the handle asks for them more than once. */
  private static IntFunction<Optional<Attempts.Objects>> memo(
      IntFunction<Optional<Attempts.Objects>> make) {
    Map<Integer, Optional<Attempts.Objects>> cache = new ConcurrentHashMap<>();
    return n -> cache.computeIfAbsent(n, make::apply);
  }

  /**
   * Creates an attempt's objects and moves the handle to it. A failure of the API server is the
   * attempt's submission failure, which the policy may retry; for the first attempt of a submit
   * that the policy does not retry, it is thrown as without a policy.
   */
  private void startAttempt(KubeJobHandle handle, Attempts.Objects o, boolean throwIfNotRetried) {
    String ns = handle.namespace();
    if (closed || handle.isKilled()) {
      return;
    }
    handles.put(o.appId(), handle);
    try {
      List<KubernetesObject> created = apiObjects.createPre(o.pre());
      V1Pod driver;
      try {
        driver = apiObjects.createDriver(JobObjects.copyOf(o.driver()), created);
      } catch (ConflictException exists) {
        // Another client (the caller before a restart) created this attempt already.
        V1Pod existing = getPod(ns, o.driverName());
        if (!NamespaceWatch.appIdOf(existing).equals(o.appId())) {
          throw exists;
        }
        driver = existing;
      }
      try {
        apiObjects.adopt(o.pre(), driver);
        apiObjects.createOwned(o.owned(), driver);
      } catch (KubernetesApiException e) {
        deleteDriver(ns, o.driverName(), false);
        throw e;
      }
    } catch (KubernetesApiException e) {
      boolean retried = !(e instanceof ConflictException)
          && handle.policy().retries(o.number(), RetryPolicy.Outcome.SUBMISSION_FAILURE);
      if (throwIfNotRetried && !retried) {
        handles.remove(o.appId(), handle);
        jobs.remove(handle.jobId(), handle);
        records.delete(ns, handle.jobId());
        throw e;
      }
      LOG.warn("Attempt {} of {}/{} could not be submitted", o.number(), ns, handle.jobId(), e);
      handle.submissionFailed(o, e.getMessage());
      return;
    }
    handle.historyServerFrom(o.driver());
    handle.begin(o, JobState.of(JobPhase.SUBMITTED, ""));
    watch(ns).refresh(handle);
    handle.startTimeout().ifPresent(timeout -> timers.after(timeout.toMillis(),
        () -> enforceStart(handle, o.number(), timeout)));
  }

  /**
   * Attempt {@code n} ended and the policy retries it: find when it ended on the server (the
   * driver's termination time, else the record's, else now), record that, and start attempt
   * {@code n + 1} after the backoff counted from then. Runs off the caller's thread.
   */
  void attemptEnded(KubeJobHandle handle, int n, String appId, String name, JobState end) {
    if (closed) {
      return;
    }
    timers.now(() -> {
      String ns = handle.namespace();
      Instant endedAt = null;
      try {
        V1Pod pod = getPod(ns, name);
        if (NamespaceWatch.appIdOf(pod).equals(appId)) {
          endedAt = Attempts.finishedAt(pod).orElse(null);
        }
      } catch (KubernetesApiException gone) {
        LOG.debug("Driver {} of attempt {} not readable", name, n, gone);
      }
      if (endedAt == null) {
        try {
          endedAt = records.find(ns, handle.jobId()).flatMap(r -> trust.end(r, n))
              .map(Attempts.Ended::endedAt).orElse(null);
        } catch (KubernetesApiException e) {
          LOG.debug("Record of {} not readable", handle.jobId(), e);
        }
      }
      if (endedAt == null) {
        endedAt = Instant.now();
      }
      handle.recordEnd(n, appId, name, end, endedAt);
      records.writeEnd(ns, handle.jobId(), n, end, endedAt);
      Duration wait = handle.policy().backoffAfter(n, appId);
      long delay = Math.max(0, Duration.between(Instant.now(), endedAt.plus(wait)).toMillis());
      LOG.info("{}/{}: attempt {} ended {}; attempt {} in {} ms (backoff {} from {})", ns,
          handle.jobId(), n, end, n + 1, delay, wait, endedAt);
      handles.remove(appId, handle);
      Optional<Attempts.Objects> next = handle.objectsOf(n + 1);
      next.ifPresent(o -> timers.after(delay, () -> {
        try {
          startAttempt(handle, o, false);
        } catch (RuntimeException e) {
          LOG.error("Attempt {} of {}/{} failed to start", o.number(), ns, handle.jobId(), e);
          handle.submissionFailed(o, String.valueOf(e.getMessage()));
        }
      }));
    });
  }

  /**
   * A handle to a job from what the server has: its attempts' drivers (by label) and its record.
   * Ended attempts become the handle's history; the last attempt is followed, and if it ended and
   * the policy retries it, the next attempt starts after the backoff counted from its end.
   */
  private KubeJobHandle resume(String ns, String jobId, RetryPolicy policy,
      IntFunction<Optional<Attempts.Objects>> objects, Optional<Duration> startTimeout,
      List<V1Pod> drivers, Optional<V1ConfigMap> record, boolean mayStartFirst) {
    synchronized (jobs) {
      KubeJobHandle known = jobs.get(jobId);
      if (known != null) {
        return known;
      }
      // Attempt numbers from labels and ends that pass checks only: a planted pod or entry never
      // moves the job's sequence of attempts.
      Map<Integer, V1Pod> byAttempt = AttemptNumbers.byNumber(drivers, jobId, policy.maxAttempts(),
          n -> objects.apply(n).map(Attempts.Objects::driverName),
          (p, why) -> AttemptNumbers.warnIgnored(trust, ns, p, jobId, why));
      IntFunction<Optional<Attempts.Ended>> ended = n -> trust.end(record.orElse(null), n);
      int last = Math.max(byAttempt.keySet().stream().mapToInt(i -> i).max().orElse(0),
          AttemptNumbers.lastEnded(policy.maxAttempts(), n -> ended.apply(n).isPresent()));
      if (last == 0 && !mayStartFirst) {
        throw new NotFoundException("attach", "Pod", ns, jobId, 404, null, "no attempt of job "
            + jobId + " is left", null);
      }
      if (last == 0) {
        // A record without attempts: the caller stopped between the two creations.
        Attempts.Objects first = objects.apply(1).orElseThrow();
        KubeJobHandle h = new KubeJobHandle(this, ns, first.driverName(), first.appId(), 1, jobId,
            policy, objects, startTimeout, JobState.of(JobPhase.SUBMITTED, ""), notifier);
        jobs.put(jobId, h);
        startAttempt(h, first, false);
        return h;
      }
      V1Pod lastPod = byAttempt.get(last);
      String lastApp = Attempts.appId(jobId, last);
      String lastName = lastPod != null ? lastPod.getMetadata().getName()
          : objects.apply(last).map(Attempts.Objects::driverName).orElse("");
      KubeJobHandle h = new KubeJobHandle(this, ns, lastName, lastApp, last, jobId, policy,
          objects, startTimeout, JobState.of(JobPhase.SUBMITTED, ""), notifier);
      for (int n = 1; n < last; n++) {
        V1Pod p = byAttempt.get(n);
        Optional<Attempts.Ended> fromRecord = ended.apply(n);
        String name = p != null ? p.getMetadata().getName()
            : objects.apply(n).map(Attempts.Objects::driverName).orElse("");
        if (p != null && DriverStates.fromPod(p).phase().isFinal()) {
          Instant at = Attempts.finishedAt(p).or(() -> fromRecord.map(Attempts.Ended::endedAt))
              .orElseGet(Instant::now);
          h.recordEnd(n, Attempts.appId(jobId, n), name, DriverStates.fromPod(p), at);
        } else if (fromRecord.isPresent()) {
          h.recordEnd(n, Attempts.appId(jobId, n), name, fromRecord.get().state(),
              fromRecord.get().endedAt());
        }
      }
      jobs.put(jobId, h);
      handles.put(lastApp, h);
      objects.apply(last).ifPresent(o -> h.historyServerFrom(o.driver()));
      if (lastPod != null) {
        h.historyServerFrom(lastPod);
        h.observeMetrics(lastApp, Timings.of(lastPod, null));
        h.observe(lastApp, DriverStates.fromPod(lastPod));
        watch(ns).refresh(h);
        JobPhase p = h.state().phase();
        startTimeout.filter(t -> p == JobPhase.SUBMITTED || p == JobPhase.PENDING).ifPresent(t -> {
          Instant deadline = Attempts.createdAt(lastPod).orElseGet(Instant::now).plus(t);
          long delay = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
          timers.after(delay, () -> enforceStart(h, last, t));
        });
      } else {
        ended.apply(last).ifPresent(e -> h.observe(lastApp, e.state()));
      }
      LOG.info("{}/{}: continuing at attempt {} ({})", ns, jobId, h.attempt(), h.state());
      return h;
    }
  }

  /** Deletes every attempt of a job and its record, and waits until they are gone. */
  private void deleteAttempts(String ns, String jobId, Duration timeout) {
    deleteAttempts(ns, jobId, Optional.of(timeout));
  }

  /**
   * Deletes every attempt of a job and its record; with a timeout, waits until they are gone
   * (the timers' thread never waits: it serves every job of the client).
   */
  private void deleteAttempts(String ns, String jobId, Optional<Duration> wait) {
    // Only pods that are attempts of the job: anyone may put its label on a pod.
    List<V1Pod> drivers = records.drivers(ns, jobId).stream().filter(p -> AttemptNumbers.of(p,
        jobId, RetryPolicy.MAX_ATTEMPTS, n -> Optional.empty()).valid()).toList();
    for (V1Pod d : drivers) {
      deleteDriver(ns, d.getMetadata().getName(), wait.isPresent());
    }
    records.delete(ns, jobId);
    for (V1Pod d : wait.isPresent() ? drivers : List.<V1Pod>of()) {
      awaitGone(ns, NamespaceWatch.appIdOf(d), d.getMetadata().getName(), wait.get());
    }
    KubeJobHandle old = jobs.remove(jobId);
    if (old != null) {
      old.observe(DriverStates.deleted(false));
    }
  }

  /** What {@link SparkJobHandle#delete} does: the job's every attempt and record. */
  void deleteJob(KubeJobHandle handle, Duration timeout) {
    if (handle.policy().maxAttempts() > 1) {
      deleteAttempts(handle.namespace(), handle.jobId(), timeout);
      return;
    }
    deleteDriver(handle.namespace(), handle.name(), true);
    awaitGone(handle.namespace(), handle.appId(), handle.name(), timeout);
  }

  /**
   * Ends a job whose driver is not running after its start timeout: FAILED with reason
   * StartTimeout, what Kubernetes last said (the pending reason and the pod's latest events), and
   * its objects deleted (the driver, and by ownership everything else).
   */
  private void enforceStart(KubeJobHandle handle, int attempt, Duration timeout) {
    JobState last = handle.state();
    String driver = handle.name();
    if (handle.attempt() != attempt || handle.isWaiting()
        || last.phase() != JobPhase.SUBMITTED && last.phase() != JobPhase.PENDING) {
      return;
    }
    StringBuilder why = new StringBuilder("the driver was not running after ").append(timeout);
    if (!last.reason().isEmpty()) {
      why.append(": ").append(last.reason());
    }
    if (!last.message().isEmpty()) {
      why.append(" (").append(last.message()).append(')');
    }
    try {
      String events = lastEvents(handle.namespace(), driver, 3);
      if (!events.isEmpty()) {
        why.append("; events: ").append(events);
      }
    } catch (KubernetesApiException e) {
      LOG.debug("Cannot read the events of {}", handle.name(), e);
    }
    if (handle.failIfNotStarted(attempt,
        JobState.ended(JobPhase.FAILED, io.sparkk8s.JobReasons.START_TIMEOUT, why.toString()))) {
      LOG.warn("{}/{}: {}", handle.namespace(), driver, why);
      deleteDriver(handle.namespace(), driver, false);
    }
  }

  /** The latest events about a pod, oldest first, as "Reason: message" joined by " | ". */
  private String lastEvents(String ns, String pod, int count) {
    var events = call(new Errors.Target("list", "Event", ns, pod), () -> core.listNamespacedEvent(ns)
        .fieldSelector("involvedObject.name=" + pod).execute().getItems());
    return events.stream()
        .sorted(java.util.Comparator.comparing(e -> String.valueOf(e.getLastTimestamp() != null
            ? e.getLastTimestamp() : e.getEventTime())))
        .skip(Math.max(0, events.size() - count))
        .map(e -> e.getReason() + ": " + e.getMessage())
        .collect(java.util.stream.Collectors.joining(" | "));
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
    Optional<String> base = handle.historyServer();
    String url = base.map(b -> (b.endsWith("/") ? b : b + "/") + "history/" + handle.appId() + "/")
        .orElseThrow(() -> new IllegalStateException(handle.namespace() + "/" + handle.name()
            + " has ended and its description names no History Server"
            + " (SparkJob.historyServerUrl)"));
    java.net.URI uri = java.net.URI.create(url);
    return new SparkUi() {
      @Override
      public java.net.URI url() {
        return uri;
      }

      @Override
      public boolean live() {
        return false;
      }

      @Override
      public void close() {}

      @Override
      public String toString() {
        return "SparkUi{" + uri + " (History Server)}";
      }
    };
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
    Optional<KubeJobHandle> retried = retriedJob(namespace, pod);
    if (retried.isPresent()) {
      return retried.get();
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
      KubeJobHandle h = retriedJob(namespace, pod).orElseGet(() -> follow(namespace, pod));
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
   * The handle of the job that {@code pod} is an attempt of, continued from its record (the policy
   * and the attempts' objects) when this client trusts the record ({@link RecordTrust}) and the
   * pod is one of its attempts ({@link AttemptNumbers}); otherwise empty, and the pod is followed
   * read only like a driver without a retry policy.
   */
  private Optional<KubeJobHandle> retriedJob(String ns, V1Pod pod) {
    Optional<String> jobId = Attempts.jobIdOf(pod);
    if (jobId.isEmpty()) {
      return Optional.empty();
    }
    KubeJobHandle known = jobs.get(jobId.get());
    if (known != null) {
      return Optional.of(known);
    }
    Optional<V1ConfigMap> record = records.find(ns, jobId.get());
    Optional<RecordTrust.Replay> replay = record.flatMap(r -> trust.replay(r, ns, jobId.get()));
    if (replay.isEmpty()) {
      if (record.isEmpty()) { // an untrusted one was reported by RecordTrust
        LOG.info("{}/{} is labelled as an attempt of {}, whose record is gone: followed without"
            + " retries", ns, pod.getMetadata().getName(), jobId.get());
      }
      return Optional.empty();
    }
    RecordTrust.Replay r = replay.get();
    IntFunction<Optional<Attempts.Objects>> objects = memo(r.objects());
    AttemptNumbers.Result n = AttemptNumbers.of(pod, jobId.get(), r.policy().maxAttempts(),
        i -> objects.apply(i).map(Attempts.Objects::driverName));
    if (!n.valid()) {
      AttemptNumbers.warnIgnored(trust, ns, pod, jobId.get(), n.why());
      return Optional.empty();
    }
    try {
      return Optional.of(resume(ns, jobId.get(), r.policy(), objects, r.startTimeout(),
          records.drivers(ns, jobId.get()), record, false));
    } catch (NotFoundException goneMeanwhile) {
      return Optional.empty();
    }
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

  private V1Pod getPod(String ns, String name) {
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
