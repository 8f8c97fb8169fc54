package io.sparkk8s.internal.kube;

import io.sparkk8s.JobAttempt;
import io.sparkk8s.JobMetrics;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobReasons;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle.JobListener;
import io.sparkk8s.SparkJobHandle.ProgressListener;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.exception.SparkK8sException;
import io.sparkk8s.spec.RetryPolicy.Outcome;
import io.sparkk8s.spec.RetryPolicy;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;

/**
 * A handle fed by the namespace's shared watch. {@link #observe} is the only way its state
 * changes; it applies {@link JobState#updatedWith} under the handle's lock and hands notifications
 * to the client's single notification thread, so listeners see changes in order and the future
 * completes exactly once, after the listeners of the final change.
 *
 * <p>With a retry policy the handle follows the job across attempts: when an attempt ends and the
 * policy retries it, the handle records the attempt, waits ({@link JobReasons#RETRY_BACKOFF}) and
 * the client starts the next attempt, whose driver the handle then follows. Observations carry the
 * application id they are about, so a late event of an ended attempt never touches the next one.
 */
final class KubeJobHandle implements SparkJobHandle, ProgressPoller.Followed {
  private final HandleHost<KubeJobHandle> runtime;
  private final String namespace;
  private final String jobId;
  private final RetryPolicy policy;
  /** Attempt n's objects; empty when they cannot be made (an attached job without a record). */
  private final IntFunction<Optional<Attempts.Objects>> attemptObjects;
  private final Optional<Duration> startTimeout;
  private final Executor notifier;
  // Copied on write, and List.of() until a listener comes: most handles never get one, and a
  // CopyOnWriteArrayList per handle was 56 bytes of every tracked job.
  private volatile List<JobListener> listeners = List.of();
  /** Copied on change: the shared empty list until the first (a client may track 10,000s of jobs). */
  private volatile List<io.sparkk8s.SparkJobHandle.ProgressListener> progressListeners = List.of();
  /** The last progress told to the progress listeners. */
  private volatile io.sparkk8s.SparkProgress toldProgress;
  private final CompletableFuture<JobState> completion = new CompletableFuture<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  /** Ended attempts, replaced whole under the handle's lock (List.of() for the many never retried). */
  private volatile List<JobAttempt> ended = List.of();
  private volatile String name;
  private volatile String appId;
  private volatile int attempt;
  private volatile JobState state;
  private volatile JobMetrics metrics = JobMetrics.none();
  /** The History Server's base URL, from the description or the driver pod's annotation. */
  private volatile Optional<String> historyServer = Optional.empty();
  private volatile boolean killed;
  /** Between two attempts: the ended one is recorded, the next not created yet. */
  private volatile boolean waiting;

  KubeJobHandle(HandleHost<KubeJobHandle> runtime, String namespace, String name, String appId,
      JobState initial, Executor notifier) {
    this(runtime, namespace, name, appId, 1, appId, RetryPolicy.never(), n -> Optional.empty(),
        Optional.empty(), initial, notifier);
  }

  KubeJobHandle(HandleHost<KubeJobHandle> runtime, String namespace, String name, String appId,
      int attempt, String jobId, RetryPolicy policy,
      IntFunction<Optional<Attempts.Objects>> attemptObjects,
      Optional<Duration> startTimeout, JobState initial, Executor notifier) {
    this.startTimeout = startTimeout;
    this.runtime = runtime;
    this.namespace = namespace;
    this.name = name;
    this.appId = appId;
    this.attempt = attempt;
    this.jobId = jobId;
    this.policy = policy;
    this.attemptObjects = attemptObjects;
    this.state = initial;
    this.notifier = notifier;
  }

  /** Takes newer timestamps of attempt {@code about}; ignored for another attempt. */
  synchronized void observeMetrics(String about, JobMetrics newer) {
    if (about.equals(appId) && !waiting) {
      metrics = Timings.merge(metrics, newer);
    }
  }

  /** Applies an observation of the current attempt. */
  synchronized boolean observe(JobState observed) {
    return observe(appId, observed);
  }

  /**
   * Applies an observation of the attempt with application id {@code about}; ignored when that is
   * not the current attempt. Returns whether the state changed. Once this handle killed the job,
   * the driver's end is read as the kill ({@link DriverStates#afterKill}), whoever observed it.
   */
  synchronized boolean observe(String about, JobState observed) {
    if (waiting || !about.equals(appId)) {
      return false;
    }
    JobState before = state;
    JobState after = before.updatedWith(killed ? DriverStates.afterKill(observed) : observed);
    if (after.equals(before)) {
      return false;
    }
    if (after.phase().isFinal() && !killed) {
      Optional<Outcome> outcome = JobAttempt.outcomeOf(after);
      if (outcome.isPresent() && policy.retries(attempt, outcome.get())
          && attemptObjects.apply(attempt + 1).isPresent()) {
        waiting = true;
        // When it ended on the server is read by the client next; until then, when seen.
        recordEnd(attempt, appId, name, after, after.observedAt());
        JobState between = JobState.of(JobPhase.PENDING, JobReasons.RETRY_BACKOFF).withMessage(
            "attempt " + attempt + " ended " + after + "; attempt " + (attempt + 1) + " follows");
        set(before, between);
        runtime.attemptEnded(this, attempt, appId, name, after);
        return true;
      }
    }
    set(before, after);
    return true;
  }

  private void set(JobState before, JobState after) {
    state = after;
    if (after.phase().isFinal()) {
      runtime.jobEnded(this);
    }
    notifier.execute(() -> {
      for (JobListener l : listeners) {
        try {
          l.onChange(this, before, after);
        } catch (RuntimeException e) {
          Log.LOG.warn("Listener of {}/{} failed", namespace, name, e);
        }
      }
      if (after.phase() != JobPhase.PENDING && after.phase() != JobPhase.SUBMITTED) {
        started.complete(null);
      }
      if (after.phase().isFinal()) {
        completion.complete(after);
      }
    });
  }

  /** Records the end of attempt {@code n} (once the client knows when it ended on the server). */
  synchronized void recordEnd(int n, String endedAppId, String endedName, JobState end,
      Instant endedAt) {
    List<JobAttempt> more = new ArrayList<>(ended);
    more.removeIf(a -> a.number() == n);
    more.add(new JobAttempt(n, endedAppId, endedName, end, JobAttempt.outcomeOf(end),
        Optional.of(endedAt)));
    more.sort(java.util.Comparator.comparingInt(JobAttempt::number));
    ended = List.copyOf(more);
  }

  /** The current attempt is now {@code next}, whose objects exist; its state starts over. */
  synchronized void begin(Attempts.Objects next, JobState initial) {
    if (!waiting && attempt == next.number()) {
      return;
    }
    JobState before = state;
    this.attempt = next.number();
    this.appId = next.appId();
    this.name = next.driverName();
    this.waiting = false;
    this.metrics = JobMetrics.none();
    set(before, initial);
  }

  /** Attempt {@code n} could not be created: it ends as a submission failure. */
  synchronized void submissionFailed(Attempts.Objects failed, String why) {
    if (killed) {
      return;
    }
    this.attempt = failed.number();
    this.appId = failed.appId();
    this.name = failed.driverName();
    this.waiting = false;
    observe(appId, JobState.ended(JobPhase.FAILED, JobReasons.SUBMISSION_FAILED, why));
  }

  /** Applies {@code failed} only if the driver has not started yet, atomically with the watch. */
  synchronized boolean failIfNotStarted(int ofAttempt, JobState failed) {
    JobPhase p = state.phase();
    return ofAttempt == attempt && !waiting
        && (p == JobPhase.SUBMITTED || p == JobPhase.PENDING) && observe(failed);
  }

  /** Notes the History Server written on a driver pod of this job, if any. */
  void historyServerFrom(io.kubernetes.client.openapi.models.V1Pod driver) {
    var a = driver.getMetadata().getAnnotations();
    if (a != null && a.containsKey(Retentions.HISTORY_SERVER)) {
      historyServer = Optional.of(a.get(Retentions.HISTORY_SERVER));
    }
  }

  Optional<String> historyServer() {
    return historyServer;
  }

  boolean isKilled() {
    return killed;
  }

  boolean isWaiting() {
    return waiting;
  }

  String jobId() {
    return jobId;
  }

  Optional<Duration> startTimeout() {
    return startTimeout;
  }

  RetryPolicy policy() {
    return policy;
  }

  Optional<Attempts.Objects> objectsOf(int n) {
    return attemptObjects.apply(n);
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String appId() {
    return appId;
  }

  @Override
  public JobState state() {
    return state;
  }

  @Override
  public JobMetrics metrics() {
    return metrics;
  }

  @Override
  public io.sparkk8s.SparkUi sparkUi() {
    JobState now = state;
    if (now.phase().isFinal()) {
      // The History Server's page, as the description or the driver pod named it.
      return HistoryUi.of(namespace, name, appId, historyServer());
    }
    if (now.phase() != JobPhase.RUNNING || waiting) {
      throw new IllegalStateException("the driver of " + namespace + "/" + name
          + " is not running (" + now + "); its UI is there once the job is RUNNING");
    }
    return runtime.forwardUi(this);
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public synchronized List<JobAttempt> attempts() {
    List<JobAttempt> out = new ArrayList<>(ended);
    if (!waiting && out.stream().noneMatch(a -> a.number() == attempt)) {
      out.add(new JobAttempt(attempt, appId, name, state,
          state.phase().isFinal() ? JobAttempt.outcomeOf(state) : Optional.empty(),
          // The server's end time once the watch has it; when seen, for a driver that never ran.
          state.phase().isFinal() ? Optional.of(metrics.finishedAt().orElse(state.observedAt()))
              : Optional.empty()));
    }
    return List.copyOf(out);
  }

  @Override
  public JobState awaitCompletion(Duration timeout) {
    return SparkJobHandle.awaitEnd(completion, timeout, namespace + "/" + name, () -> state);
  }

  @Override
  public CompletableFuture<JobState> completion() {
    // A copy, so a caller completing or cancelling it cannot change the handle.
    return completion.thenApply(s -> s);
  }

  /** {@code list} and {@code item}, as a new immutable list (listener lists are copied on write). */
  private static <T> List<T> with(List<T> list, T item) {
    List<T> more = new ArrayList<>(list);
    more.add(item);
    return List.copyOf(more);
  }

  /** {@code list} without the first occurrence of {@code item}, as a new immutable list. */
  private static <T> List<T> without(List<T> list, T item) {
    List<T> fewer = new ArrayList<>(list);
    fewer.remove(item);
    return List.copyOf(fewer);
  }

  @Override
  public void addListener(JobListener listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    synchronized (this) {
      listeners = with(listeners, listener);
    }
  }

  @Override
  public void removeListener(JobListener listener) {
    synchronized (this) {
      listeners = without(listeners, listener);
    }
  }

  @Override
  public void addProgressListener(io.sparkk8s.SparkJobHandle.ProgressListener listener) {
    java.util.Objects.requireNonNull(listener, "listener");
    synchronized (this) {
      progressListeners = with(progressListeners, listener);
    }
    if (!state.phase().isFinal()) {
      runtime.follow(this);
    }
  }

  @Override
  public void removeProgressListener(io.sparkk8s.SparkJobHandle.ProgressListener listener) {
    boolean none;
    synchronized (this) {
      progressListeners = without(progressListeners, listener);
      none = progressListeners.isEmpty();
    }
    if (none) {
      runtime.unfollow(this);
    }
  }

  @Override
  public JobPhase phase() {
    return state.phase();
  }

  /**
   * Reads the progress (on a worker of the {@link ProgressPoller}) and tells the progress listeners
   * when it changed, on the notification thread, never after the job's end was told.
   */
  @Override
  public void readProgress() {
    progress().filter(p -> !p.sameFiguresAs(toldProgress)).ifPresent(p -> {
      toldProgress = p;
      notifier.execute(() -> {
        if (state.phase().isFinal()) {
          return;
        }
        for (io.sparkk8s.SparkJobHandle.ProgressListener l : progressListeners) {
          try {
            l.onProgress(this, p);
          } catch (RuntimeException e) {
            Log.LOG.warn("Progress listener of {}/{} failed", namespace, name, e);
          }
        }
      });
    });
  }

  @Override
  public java.util.Optional<io.sparkk8s.SparkProgress> progress() {
    return state().phase() == io.sparkk8s.JobPhase.RUNNING
        ? runtime.pods().progress(namespace, name, appId) : java.util.Optional.empty();
  }

  @Override
  public java.util.Optional<io.sparkk8s.FailureReport> failureReport() {
    JobState end = state();
    if (end.phase() != io.sparkk8s.JobPhase.FAILED) {
      return java.util.Optional.empty();
    }
    List<String> unavailable = new java.util.ArrayList<>();
    List<String> log = List.of();
    if (io.sparkk8s.FailureReport.Category.ofReason(end.reason())
        .filter(io.sparkk8s.FailureReport.Category::beforeTheDriverRan).isPresent()) {
      unavailable.add("the driver's log: the driver container never started (" + end.reason()
          + ")");
    } else {
      try (InputStream in = runtime.driverLog(namespace, name, appId)) {
        log = io.sparkk8s.FailureReport.lastLines(in, LOG_LINES_READ);
      } catch (io.sparkk8s.exception.NotFoundException gone) {
        unavailable.add("the driver's log: the driver pod is gone (its events remain)");
      } catch (java.io.IOException | RuntimeException e) {
        unavailable.add("the driver's log: " + String.valueOf(e.getMessage()).lines().findFirst()
            .orElse(e.toString()));
      }
    }
    List<String> events = runtime.pods().events(namespace, name, unavailable);
    return java.util.Optional.of(io.sparkk8s.FailureReport.of(end, log, events, unavailable));
  }

  @Override
  public InputStream driverLog() {
    try {
      started.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SparkK8sException("Interrupted while waiting for " + name + " to start", e);
    } catch (ExecutionException e) {
      throw new SparkK8sException("Waiting for " + name + " failed", e.getCause());
    }
    return runtime.driverLog(namespace, name, appId);
  }

  @Override
  public void kill() {
    synchronized (this) {
      if (state.phase().isFinal()) {
        return;
      }
      killed = true;
      if (waiting) {
        // No driver runs between attempts: the kill ends the job at once, no attempt follows.
        waiting = false;
        set(state, JobState.killed());
        return;
      }
    }
    runtime.archiveBeforeDelete(namespace, name, appId);
    runtime.pods().delete(namespace, name, false);
  }

  @Override
  public void delete(Duration timeout) {
    synchronized (this) {
      if (!state.phase().isFinal()) {
        killed = true;
      }
      if (waiting) {
        waiting = false;
        set(state, JobState.killed());
      }
    }
    runtime.deleteJob(this, timeout);
  }

  @Override
  public String toString() {
    return "SparkJobHandle{" + namespace + "/" + name + ", " + appId
        + (attempt > 1 ? ", attempt " + attempt : "") + ", " + state + "}";
  }
}
