package io.sparkk8s.internal.kube;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.kubernetes.client.util.PatchUtils;
import io.sparkk8s.api.ApiErrors;
import io.sparkk8s.api.ApiRetry;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.exception.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops long-running drivers that asked for it ({@code SparkConnectServer.idleTimeout}) once no
 * Spark job has run on them for that long. The timeout is an annotation on the driver pod, so any
 * SDK client watching the namespace enforces it, including one started after a restart of the
 * client that submitted the server; two clients enforcing it at once delete the same pod once
 * (the delete is conditional on the pod's uid).
 *
 * <p>Activity is read from the driver's own REST API ({@code /api/v1/applications/<id>/jobs},
 * through the API server's pod proxy, so the SDK needs {@code get} on {@code pods/proxy}): the
 * server is busy while a job runs, and idle since the last job ended (or, when none ran, since its
 * REST API first answered). A driver whose API does not answer is not stopped. A stop first marks
 * the pod ({@value PodFacts#STOPPED}={@code idle}), then deletes it; the job's state reads the
 * mark and ends {@code SUCCEEDED} with reason {@value io.sparkk8s.JobReasons#IDLE_SHUTDOWN}, not as a failure.
 */
final class IdleStops implements AutoCloseable {
  /** On the driver pod: its idle timeout, an ISO-8601 duration. */
  static final String IDLE_TIMEOUT = io.sparkk8s.spec.SparkConnectServer.IDLE_TIMEOUT_ANNOTATION;
  // Spark's REST API writes dates as 2026-11-23T10:00:00.123GMT.
  private static final DateTimeFormatter SPARK_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'GMT'").withZone(ZoneOffset.UTC);

  private final ApiClient api;
  private final ApiGet get;
  private final CoreV1Api core;
  private final ApiRetry retry;
  /** Its own thread: a check waits on the network and must not hold up the client's timers. */
  private volatile ScheduledExecutorService timers;
  private final Clock clock;
  private final Map<String, ScheduledFuture<?>> tracked = new ConcurrentHashMap<>();

  IdleStops(ApiClient api, ApiGet get, ApiRetry retry, Clock clock) {
    this.api = api;
    this.get = get;
    this.core = new CoreV1Api(api);
    this.retry = retry;
    this.clock = clock;
  }

  private synchronized ScheduledExecutorService timers() {
    if (timers == null) {
      timers = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          DaemonThreads.named("sparkk8s-idle-checks"));
    }
    return timers;
  }

  /** The idle timeout a driver pod carries, if any (a malformed one is ignored: keep running). */
  static Optional<Duration> timeoutOf(V1Pod pod) {
    var a = pod.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(IDLE_TIMEOUT);
    try {
      return Optional.ofNullable(v).map(Duration::parse).filter(d -> !d.isNegative() && !d.isZero());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** How often an idle server is checked: a quarter of its timeout, between 2 and 30 seconds. */
  static Duration interval(Duration timeout) {
    long ms = Math.max(2_000, Math.min(30_000, timeout.toMillis() / 4));
    return Duration.ofMillis(ms);
  }

  /** Every driver the namespace watch sees: starts or stops following it. */
  void seen(V1Pod driver) {
    Optional<Duration> timeout = timeoutOf(driver);
    String uid = driver.getMetadata().getUid();
    if (timeout.isEmpty() || uid == null) {
      return;
    }
    boolean live = driver.getStatus() != null && "Running".equals(driver.getStatus().getPhase())
        && driver.getMetadata().getDeletionTimestamp() == null && !PodFacts.stoppedIdle(driver);
    if (!live) {
      ScheduledFuture<?> f = tracked.remove(uid);
      if (f != null) {
        f.cancel(false);
      }
      return;
    }
    tracked.computeIfAbsent(uid, u -> {
      Server s = new Server(driver.getMetadata().getNamespace(), driver.getMetadata().getName(), uid,
          PodFacts.appIdOf(driver), timeout.get());
      long every = interval(s.timeout).toMillis();
      Log.LOG.info("{}/{} stops after {} without a Spark job", s.ns, s.name, s.timeout);
      return timers().scheduleWithFixedDelay(() -> check(s), every, every, TimeUnit.MILLISECONDS);
    });
  }

  private static final class Server {
    final String ns;
    final String name;
    final String uid;
    final String appId;
    final Duration timeout;
    /** When it was last seen busy; null until its REST API first answers. */
    Instant lastActive;

    Server(String ns, String name, String uid, String appId, Duration timeout) {
      this.ns = ns;
      this.name = name;
      this.uid = uid;
      this.appId = appId;
      this.timeout = timeout;
    }
  }

  private void check(Server s) {
    try {
      Optional<Activity> activity = activity(s);
      if (activity.isEmpty()) {
        return; // not answering: never stop what cannot be seen to be idle
      }
      Instant now = clock.instant();
      if (s.lastActive == null) {
        // The clock starts at the last job's end or, when none ran, when the server first
        // answers: a server still starting is not idle, and a client attaching after a restart
        // must not grant a server that has been idle for hours another full timeout.
        s.lastActive = activity.get().lastJobEnded().orElse(now);
      }
      if (activity.get().busy()) {
        s.lastActive = now;
        return;
      }
      activity.get().lastJobEnded().filter(t -> t.isAfter(s.lastActive))
          .ifPresent(t -> s.lastActive = t);
      Duration idle = Duration.between(s.lastActive, clock.instant());
      if (idle.compareTo(s.timeout) >= 0) {
        stop(s, idle);
      }
    } catch (RuntimeException e) {
      Log.LOG.warn("Idle check of {}/{} failed", s.ns, s.name, e);
    }
  }

  /** What the driver's REST API says: a job running, and when the last one ended. */
  record Activity(boolean busy, Optional<Instant> lastJobEnded) {}

  /** Reads a driver's jobs (Spark's {@code /api/v1/applications/<id>/jobs} JSON). */
  static Activity activity(String jobsJson) {
    return activity(JsonParser.parseString(jobsJson));
  }

  static Activity activity(JsonElement jobs) {
    boolean busy = false;
    Instant last = null;
    for (JsonElement e : jobs.getAsJsonArray()) {
      var job = e.getAsJsonObject();
      String status = job.has("status") ? job.get("status").getAsString() : "";
      if ("RUNNING".equals(status)) {
        busy = true;
      }
      for (String field : new String[] {"completionTime", "submissionTime"}) {
        if (job.has(field)) {
          try {
            Instant t = SPARK_DATE.parse(job.get(field).getAsString(), Instant::from);
            last = last == null || t.isAfter(last) ? t : last;
          } catch (DateTimeParseException ignored) {
            // an unknown format tells nothing
          }
        }
      }
    }
    return new Activity(busy, Optional.ofNullable(last));
  }

  private Optional<Activity> activity(Server s) {
    String path = "/api/v1/namespaces/" + s.ns + "/pods/" + s.name + ":" + PodFacts.UI_PORT
        + "/proxy/api/v1/applications/" + s.appId + "/jobs";
    try {
      return Optional.of(activity(get.json(path)));
    } catch (io.kubernetes.client.openapi.ApiException | RuntimeException e) {
      Log.LOG.debug("Idle check of {}/{}: {}", s.ns, s.name, e.toString());
      return Optional.empty();
    }
  }

  private void stop(Server s, Duration idle) {
    Log.LOG.info("{}/{} had no Spark job for {} (timeout {}); stopping it", s.ns,
        s.name, idle.withNanos(0), s.timeout);
    try {
      // The uid makes the patch conditional: a new driver of the same name is not marked.
      String patch = "{\"metadata\":{\"uid\":\"" + s.uid + "\",\"annotations\":{\""
          + PodFacts.STOPPED + "\":\"idle\"}}}";
      retry.call(new ApiErrors.Target("patch", "Pod", s.ns, s.name), () -> PatchUtils.patch(
          V1Pod.class,
          () -> core.patchNamespacedPod(s.name, s.ns, new V1Patch(patch)).buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, api));
      retry.call(new ApiErrors.Target("delete", "Pod", s.ns, s.name), () -> core
          .deleteNamespacedPod(s.name, s.ns)
          .body(new V1DeleteOptions().propagationPolicy("Background")
              .preconditions(new V1Preconditions().uid(s.uid)))
          .execute());
    } catch (NotFoundException | ConflictException gone) {
      Log.LOG.debug("{}/{} already gone", s.ns, s.name);
    } catch (KubernetesApiException e) {
      Log.LOG.warn("Cannot stop idle {}/{}; will try again", s.ns, s.name, e);
      return;
    }
    ScheduledFuture<?> f = tracked.remove(s.uid);
    if (f != null) {
      f.cancel(false);
    }
  }

  /** How many drivers are followed (tests). */
  int tracked() {
    return tracked.size();
  }

  @Override
  public synchronized void close() {
    tracked.values().forEach(f -> f.cancel(false));
    tracked.clear();
    if (timers != null) {
      timers.shutdownNow();
    }
  }
}
