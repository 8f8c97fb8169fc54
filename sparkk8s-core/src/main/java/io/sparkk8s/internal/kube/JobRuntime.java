package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.SparkUi;
import io.sparkk8s.api.ApiRetry;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.exception.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The parts that follow a client's jobs once they are submitted, wired together: the tracker
 * (handles and watches), the retried jobs, the policies on timers (start timeouts, retention,
 * idle stops), the driver pods' calls and the counts. Handles call back into it as their jobs
 * change; the client's facade ({@link KubeSparkClient}) only starts and finds jobs through it.
 */
final class JobRuntime implements AutoCloseable, RetryHost {
  final ApiRetry retry;
  final Tracker tracker;
  final JobObjects objects;
  final DriverPods pods;
  final RetriedJobs retried;
  /** Ended drivers' logs to the client's archive, and back once the pods are gone. */
  final LogArchiver archiver;
  /** Files staged for jobs, deleted before the jobs are. */
  final StagedFileDeleter staged;
  final JobCounter counter = new JobCounter();
  /** Start timeouts, retention and retries: a clock, and workers for their calls. */
  final Timers timers = new Timers();
  /** The progress of running jobs with progress listeners, read by one shared poller. */
  final ProgressPoller progress;
  /** Every handle's listeners run here, one at a time, in the order of the changes. */
  final ExecutorService notifier = Executors.newSingleThreadExecutor(
      DaemonThreads.named("sparkk8s-notify"));
  private final ApiClient watchApi;
  private final StartTimeouts startTimeouts;
  private final RetentionEnforcer retention;
  private final IdleStops idle;
  private volatile boolean closed;

  JobRuntime(ApiClient api, ApiClient watchApi, SparkKubernetes.Provider.Settings settings,
      RecordTrust trust) {
    this.watchApi = watchApi;
    CoreV1Api core = new CoreV1Api(api);
    this.tracker = new Tracker(api, watchApi, timers.clock(), this::confirmGone, this::driverSeen);
    this.retry = new ApiRetry(settings.apiRetry(), tracker::apiUnreachable);
    this.progress = new ProgressPoller(timers, settings.progressInterval());
    this.archiver = new LogArchiver(settings.logArchive(), settings.logLimitBytes(), core, timers);
    this.staged = new StagedFileDeleter(settings.stagedFiles());
    this.objects = new JobObjects(api, retry);
    this.pods = new DriverPods(core, watchApi, retry, objects, tracker.handles::remove);
    this.startTimeouts = new StartTimeouts(core, retry, pods::delete);
    this.retried = new RetriedJobs(this, new RecordStore(api, retry, trust), trust);
    this.retention = new RetentionEnforcer(core, retry, timers, () -> closed,
        (ns, jobId) -> retried.deleteAttempts(ns, jobId, Optional.empty()),
        archiver::ensure, staged::deleted);
    this.idle = new IdleStops(api, path -> objects.send("GET", path, null), retry,
        Clock.systemUTC());
  }

  /**
   * The handle of a driver; {@code submitted} when this client created it. Only then is the driver
   * deleted when its image cannot be pulled: list and attach never delete what they find.
   */
  KubeJobHandle handleFor(String ns, String name, String appId, boolean submitted) {
    return tracker.handles.computeIfAbsent(appId, id -> {
      KubeJobHandle h = new KubeJobHandle(this, ns, name, id, JobState.of(JobPhase.SUBMITTED, ""),
          notifier);
      if (submitted) {
        h.addListener((job, from, to) -> deleteIfImageUnavailable(ns, name, to));
      }
      return h;
    });
  }

  /**
   * A driver whose image will not be had has ended: delete it (and by ownership the rest) so the
   * kubelet stops pulling, as after a start timeout.
   */
  private void deleteIfImageUnavailable(String ns, String name, JobState to) {
    if (to.phase() == JobPhase.FAILED && DriverStates.IMAGE_UNAVAILABLE.contains(to.reason())
        && !closed) {
      Log.LOG.warn("{}/{}: the driver's image cannot be pulled ({}: {}); deleting the job", ns,
          name, to.reason(), to.message());
      try {
        pods.delete(ns, name, false);
      } catch (KubernetesApiException e) {
        Log.LOG.warn("Deleting {}/{} failed", ns, name, e);
      }
    }
  }

  /** Starts the attempt's start timeout, if the job has one. */
  @Override
  public void startTimeout(KubeJobHandle handle, int attempt, Optional<Duration> timeout) {
    timeout.ifPresent(t -> timers.after(t.toMillis(), () -> enforceStart(handle, attempt, t)));
  }

  /** Ends the attempt if its driver is not running yet: see {@link StartTimeouts}. */
  @Override
  public void enforceStart(KubeJobHandle handle, int attempt, Duration timeout) {
    startTimeouts.enforce(handle, attempt, timeout);
  }

  /** Attempt {@code n} of a retried job ended: see {@link RetriedJobs#attemptEnded}. */
  @Override
  public void attemptEnded(KubeJobHandle handle, int n, String appId, String name, JobState end) {
    retried.attemptEnded(handle, n, appId, name, end);
  }

  /**
   * A job ended: counted, its handle held from now on only while the caller holds it, and for a
   * retried job its retention scheduled ({@link RetentionEnforcer#jobEnded}).
   */
  @Override
  public void jobEnded(KubeJobHandle handle) {
    progress.unfollow(handle);
    tracker.ended(handle);
    counter.ended(handle.state());
    retention.jobEnded(handle);
  }

  /** What {@link io.sparkk8s.SparkJobHandle#delete} does: the job's every attempt and record. */
  @Override
  public void deleteJob(KubeJobHandle handle, Duration timeout) {
    if (handle.policy().maxAttempts() > 1) {
      retried.deleteAttempts(handle.namespace(), handle.jobId(), Optional.of(timeout));
      return;
    }
    archiveBeforeDelete(handle.namespace(), handle.name(), handle.appId());
    // A caller's delete goes ahead when the staged files cannot be deleted (the failure is logged).
    staged.deleted(handle.namespace(), handle.jobId());
    pods.delete(handle.namespace(), handle.name(), true);
    pods.awaitGone(handle.namespace(), handle.appId(), handle.name(), timeout);
  }

  @Override
  public void follow(KubeJobHandle handle) {
    progress.follow(handle);
  }

  @Override
  public void unfollow(KubeJobHandle handle) {
    progress.unfollow(handle);
  }

  @Override
  public DriverPods pods() {
    return pods;
  }

  @Override
  public Tracker tracker() {
    return tracker;
  }

  @Override
  public JobObjects objects() {
    return objects;
  }

  @Override
  public Timers timers() {
    return timers;
  }

  @Override
  public Executor notifier() {
    return notifier;
  }

  @Override
  public JobCounter counter() {
    return counter;
  }

  @Override
  public StagedFileDeleter staged() {
    return staged;
  }

  @Override
  public SparkUi forwardUi(KubeJobHandle handle) {
    ensureOpen();
    // The streams client: port-forward connections are long-lived like watches.
    return new UiForward(watchApi, handle.namespace(), handle.name(), PodFacts.UI_PORT);
  }

  /**
   * Whether the driver's log is in the client's archive (written now if it was not), or the client
   * has none: only then may the driver be deleted.
   */
  @Override
  public boolean archived(V1Pod driver) {
    return LogArchiver.keyOf(driver).map(archiver::ensure).orElse(true);
  }

  /** Archives the log of a driver about to be deleted by a caller (kill, delete); see {@link #archived}. */
  @Override
  public void archiveBeforeDelete(String ns, String name, String appId) {
    LogArchiver.keyOf(ns, name, appId).ifPresent(archiver::ensure);
  }

  /**
   * The driver's log: from the pod, following it while the driver runs; from the archive once
   * the pod is gone.
   */
  @Override
  public java.io.InputStream driverLog(String ns, String name, String appId) {
    try {
      return pods.streamLog(ns, name);
    } catch (NotFoundException gone) {
      return LogArchiver.keyOf(ns, name, appId).flatMap(archiver::open).orElseThrow(() -> gone);
    }
  }

  /** A watch saw a driver (any, tracked or not): its log, retention and idle timeout apply. */
  private void driverSeen(V1Pod driver) {
    archiver.driverSeen(driver);
    retention.driverSeen(driver);
    idle.seen(driver);
  }

  /**
   * The watch reported the driver deleted: ask the API server (off the watch's thread) and end the
   * job only if it is really gone; otherwise take the pod's current state.
   */
  private void confirmGone(KubeJobHandle handle, V1Pod lastSeen) {
    // An ended job's state is final: its driver's deletion (retention's, most often) changes
    // nothing, and asking would cost a call per job on the workers retention needs.
    if (closed || handle.state().phase().isFinal()) {
      return;
    }
    String appId = PodFacts.appIdOf(lastSeen);
    String name = lastSeen.getMetadata().getName();
    timers.now(() -> {
      JobState observed;
      try {
        V1Pod now = pods.get(handle.namespace(), name);
        observed = PodFacts.appIdOf(now).equals(appId)
            ? DriverStates.fromPod(now) : JobState.driverDeleted();
      } catch (NotFoundException gone) {
        // Its last seen state may already be final (it ended, then was deleted): keep that.
        observed = DriverStates.gone(lastSeen);
      } catch (KubernetesApiException unreachable) {
        Log.LOG.warn("Cannot confirm that driver {}/{} is gone; keeping its state",
            handle.namespace(), handle.name(), unreachable);
        return;
      }
      handle.observe(appId, observed);
    });
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this SparkKubernetes client is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    progress.close();
    tracker.close();
    idle.close();
    notifier.shutdown();
    timers.close();
  }
}
