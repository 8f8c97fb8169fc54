package io.sparkk8s.testing;

import io.sparkk8s.CompiledJob;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle.JobListener;
import io.sparkk8s.SparkJobHandle.ProgressListener;
import io.sparkk8s.SparkJobHandle;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One job of an {@link InMemorySparkKubernetes}: the test moves it through its life as the
 * cluster would, and the code under test watches it through {@link #handle()}.
 *
 * <pre>{@code
 * ScriptedJob job = spark.onlyJob();
 * job.pending("ContainerCreating").running().executors(2).appendLog("Pi is roughly 3.1416");
 * job.succeed();
 * assertThat(job.handle().state().exitCode()).contains(0);
 * }</pre>
 *
 * <p>Changes follow the SDK's state machine: a job never goes back from {@code RUNNING} to
 * {@code PENDING} (it may from {@code UNKNOWN}), and once {@code SUCCEEDED} or {@code FAILED} it
 * never changes again. A scripted change that breaks these rules throws
 * {@link IllegalStateException} naming the current state: the real cluster cannot do it, so the
 * test has a bug. A change to an equal state tells nobody, as with the real client.
 *
 * <p>Listeners are called synchronously on the thread that makes the change, in the order they
 * were added, with {@code (handle, from, to)}; the completion future completes after the listeners
 * of the final change. So when a scripting method returns, everyone has been told. A listener that
 * throws does not stop the others nor the change; its exception is rethrown by the scripting
 * method afterwards, so a broken listener fails the test (the real client logs it).
 *
 * <p>Thread-safe: the handle may be awaited, read and killed from other threads while the test
 * scripts.
 */
public final class ScriptedJob {
  /** Deletes this job's driver pod from its cluster (a replacement of the same name stays). */
  private final Consumer<ScriptedJob> deleteDriverPod;
  /** Whether this job's driver pod is still in its cluster. */
  private final Predicate<ScriptedJob> driverPodExists;
  private final CompiledJob compiled;
  private final io.sparkk8s.spec.SparkJob description;
  private final Map<String, String> driverLabels;
  private final Handle handle = new Handle();
  private final ScriptedListeners listeners = new ScriptedListeners();
  private final CompletableFuture<JobState> completion = new CompletableFuture<>();
  private final DriverLog log = new DriverLog();
  /** Orders changes and their notifications; held while listeners run so they see them in order. */
  private final ReentrantLock changes = new ReentrantLock();
  private volatile JobState state = JobState.of(JobPhase.SUBMITTED, "");
  /** The current attempt (with a retry policy), its driver and application id. */
  private volatile int attempt = 1;
  private volatile String attemptName;
  private volatile String attemptAppId;
  /** Between two attempts: the ended one recorded, the next one not started by the test yet. */
  private volatile boolean between;
  private final List<io.sparkk8s.JobAttempt> endedAttempts = new CopyOnWriteArrayList<>();
  private volatile io.sparkk8s.JobMetrics metrics =
      io.sparkk8s.JobMetrics.of(state.observedAt(), null, null, null, null);

  ScriptedJob(Consumer<ScriptedJob> deleteDriverPod, Predicate<ScriptedJob> driverPodExists,
      io.sparkk8s.spec.SparkJob description, CompiledJob compiled) {
    this.deleteDriverPod = deleteDriverPod;
    this.driverPodExists = driverPodExists;
    this.description = description;
    this.attemptName = compiled.driverPodName();
    this.attemptAppId = compiled.appId();
    this.compiled = compiled;
    Map<String, String> labels = compiled.driverPod().getMetadata().getLabels();
    this.driverLabels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** The objects the job was compiled to, as the real client would have created them. */
  public CompiledJob compiled() {
    return compiled;
  }

  /** The handle the code under test holds; the same object {@code attach} and {@code list} give. */
  public SparkJobHandle handle() {
    return handle;
  }

  /** The current state; the same as {@code handle().state()}. */
  public JobState state() {
    return state;
  }

  /**
   * The driver pod exists but its container does not run yet, for example {@code Unschedulable},
   * {@code ContainerCreating} or {@code ImagePullBackOff}.
   *
   * @throws IllegalStateException when the job runs or has ended
   */
  public ScriptedJob pending(String reason) {
    return pending(reason, "");
  }

  /**
   * The driver pod is pending, with the scheduler's or kubelet's explanation, for example
   * {@code pending("Unschedulable", "0/3 nodes are available: 3 Insufficient memory.")}.
   *
   * @throws IllegalStateException when the job runs or has ended
   */
  public ScriptedJob pending(String reason, String message) {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    return change(now -> JobState.of(JobPhase.PENDING, reason).withMessage(message)
        .withLiveExecutors(now.liveExecutors()));
  }

  /**
   * The driver container runs.
   *
   * @throws IllegalStateException when the job has ended
   */
  public ScriptedJob running() {
    return change(now -> JobState.of(JobPhase.RUNNING, "").withLiveExecutors(now.liveExecutors()));
  }

  /**
   * The kubelet cannot report the driver (its node is unreachable), for example
   * {@code unknown("NodeLost")}. The job may go back to any phase from there.
   *
   * @throws IllegalStateException when the job has ended
   */
  public ScriptedJob unknown(String reason) {
    Objects.requireNonNull(reason, "reason");
    return change(now -> JobState.of(JobPhase.UNKNOWN, reason)
        .withLiveExecutors(now.liveExecutors()));
  }

  /**
   * {@code count} executor pods of the job are alive. Listeners are told, as of any change.
   *
   * @throws IllegalArgumentException when {@code count < 0}, or more than Spark would ask for
   *     (dynamic allocation's {@code maxExecutors}, else {@code executor.instances}, 2 when unset)
   * @throws IllegalStateException when the job has ended (it has no executors left then)
   */
  public ScriptedJob executors(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count < 0: " + count);
    }
    // What Spark would ask for at most: dynamic allocation's maximum, else the fixed instances.
    boolean dynamic = description.dynamicAllocation().isPresent();
    int most = dynamic ? description.dynamicAllocation().get().maxExecutors()
        .orElse(Integer.MAX_VALUE) : description.executor().instances().orElse(2);
    if (count > most) {
      throw new IllegalArgumentException("executors(" + count + "): the job may have at most "
          + most + " executors (its " + (dynamic ? "dynamicAllocation.maxExecutors"
              : "executor.instances, 2 when unset") + "); Spark would never ask for more");
    }
    return change(now -> now.withLiveExecutors(count));
  }

  /**
   * The driver exits with code 0: {@code SUCCEEDED}, reason {@code Completed}, exit code 0.
   *
   * @throws IllegalStateException when the job has ended
   */
  public ScriptedJob succeed() {
    return change(now -> JobState.ended(JobPhase.SUCCEEDED, 0, "Completed", ""));
  }

  /**
   * The driver exits with {@code exitCode}: {@code FAILED} with that code and the container's
   * reason, for example {@code fail(1, "Error")} or {@code fail(137, "OOMKilled")}.
   *
   * @throws IllegalArgumentException when {@code exitCode} is 0 (use {@link #succeed()})
   * @throws IllegalStateException when the job has ended
   */
  public ScriptedJob fail(int exitCode, String reason) {
    return fail(exitCode, reason, "");
  }

  /**
   * The driver exits with {@code exitCode} and a termination message (what the driver wrote to
   * {@code /dev/termination-log}, or the kubelet's explanation).
   *
   * @throws IllegalArgumentException when {@code exitCode} is 0 (use {@link #succeed()})
   * @throws IllegalStateException when the job has ended
   */
  public ScriptedJob fail(int exitCode, String reason, String message) {
    if (exitCode == 0) {
      throw new IllegalArgumentException("exitCode 0 is a success; use succeed()");
    }
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    return change(now -> JobState.ended(JobPhase.FAILED, exitCode, reason, message));
  }

  /**
   * Someone else deletes the driver pod ({@code kubectl delete pod}, a namespace cleanup): the
   * job ends {@code FAILED} with reason {@code DriverDeleted} and no exit code unless it ended
   * before, and the cluster no longer has it ({@code attach} throws
   * {@link io.sparkk8s.exception.NotFoundException}).
   */
  public ScriptedJob deleteDriver() {
    changes.lock();
    try {
      deleteDriverPod.accept(this);
      if (!state.phase().isFinal()) {
        change(now -> JobState.driverDeleted());
      }
    } finally {
      changes.unlock();
    }
    return this;
  }

  /**
   * What {@code handle.progress()} reports while the job is RUNNING (empty until set); progress
   * listeners are told it while the job runs, or when it starts running.
   */
  public ScriptedJob progress(io.sparkk8s.SparkProgress progress) {
    changes.lock();
    try {
      return rethrow(listeners.set(handle, progress, state.phase() == JobPhase.RUNNING));
    } finally {
      changes.unlock();
    }
  }

  /**
   * The driver writes a line to its log; streams from {@link SparkJobHandle#driverLog()} that
   * follow the log receive it.
   *
   * @throws IllegalStateException when the job has ended (its log is complete then)
   */
  public ScriptedJob appendLog(String line) {
    Objects.requireNonNull(line, "line");
    JobState now = state;
    if (now.phase().isFinal()) {
      throw new IllegalStateException(
          "job " + name() + " has ended (" + now + "); append its log before it ends");
    }
    log.append((line + "\n").getBytes(StandardCharsets.UTF_8));
    return this;
  }

  @Override
  public String toString() {
    return "ScriptedJob{" + name() + ", " + state + "}";
  }

  // ---- for InMemorySparkKubernetes --------------------------------------------------------

  io.sparkk8s.spec.SparkJob description() {
    return description;
  }

  String namespace() {
    return compiled.namespace();
  }

  String driverPodName() {
    return compiled.driverPodName();
  }

  Map<String, String> driverLabels() {
    return driverLabels;
  }

  /** OnConflict.REPLACE deleted the driver; the cluster has removed it already. */
  void deletedByReplace() {
    changes.lock();
    try {
      if (!state.phase().isFinal()) {
        change(now -> JobState.driverDeleted());
      }
    } finally {
      changes.unlock();
    }
  }

  // ---- the state machine ------------------------------------------------------------------

  /** Moves to {@code next.apply(current state)}, under the rules of the real state machine. */
  private ScriptedJob change(UnaryOperator<JobState> next) {
    changes.lock();
    try {
      JobState from = state;
      if (between) {
        throw new IllegalStateException("job " + name() + " is between attempts " + attempt
            + " and " + (attempt + 1) + "; script nextAttempt() first, as the client would start it");
      }
      if (from.phase().isFinal()) {
        throw new IllegalStateException("job " + name() + " has ended (" + from
            + "); a final state never changes, so a scripted change after it is a bug in the test");
      }
      JobState requested = next.apply(from);
      // The real client's rules, so the kit cannot script what the client would never report.
      JobState to = from.updatedWith(requested);
      if (to.phase() != requested.phase()) {
        throw new IllegalStateException("job " + name() + " is " + from + "; it cannot go back to "
            + requested.phase());
      }
      if (to.equals(from)) {
        return this;
      }
      metrics = ScriptedMetrics.timed(metrics, from, to);
      java.util.Optional<io.sparkk8s.spec.RetryPolicy.Outcome> outcome =
          to.phase().isFinal() ? io.sparkk8s.JobAttempt.outcomeOf(to)
              : java.util.Optional.empty();
      if (outcome.isPresent() && description.retryPolicy()
          .filter(p -> p.retries(attempt, outcome.get())).isPresent()) {
        // As the real client: the attempt is recorded and the job waits for the next one.
        endedAttempts.add(new io.sparkk8s.JobAttempt(attempt, attemptAppId, attemptName, to,
            outcome, java.util.Optional.of(metrics.finishedAt().orElse(to.observedAt()))));
        between = true;
        to = JobState.of(JobPhase.PENDING, io.sparkk8s.JobReasons.RETRY_BACKOFF)
            .withMessage("attempt " + attempt + " ended " + to + "; attempt " + (attempt + 1)
                + " follows");
      }
      state = to;
      Throwable failure = listeners.tell(handle, from, to);
      if (to.phase().isFinal()) {
        log.end();
        completion.complete(to);
        retain(to);
      }
      RuntimeException told = listeners.tell(handle, to.phase() == JobPhase.RUNNING);
      return rethrow(failure != null ? failure : told);
    } finally {
      changes.unlock();
    }
  }

  /**
   * Starts the next attempt of a job whose retry policy retried its last one (the real client does
   * so after {@link #backoff()}): the handle follows the new attempt's driver, named as the real
   * client names it, from {@code SUBMITTED}.
   *
   * @throws IllegalStateException when the job is not between two attempts
   */
  public ScriptedJob nextAttempt() {
    changes.lock();
    try {
      if (!between) {
        throw new IllegalStateException("job " + name() + " is " + state
            + ", not between two attempts");
      }
      // Named as the real client names the attempt: the job with the attempt's application id.
      int number = attempt + 1;
      CompiledJob next = io.sparkk8s.SparkCompiler.compile(
          description.withAppId(io.sparkk8s.JobAttempt.appIdOf(compiled.appId(), number)));
      JobState from = state;
      attempt = number;
      attemptName = next.driverPodName();
      attemptAppId = next.appId();
      between = false;
      JobState to = JobState.of(JobPhase.SUBMITTED, "");
      state = to;
      metrics = io.sparkk8s.JobMetrics.of(to.observedAt(), null, null, null, null);
      Throwable failure = listeners.tell(handle, from, to);
      if (failure instanceof RuntimeException e) {
        throw e;
      } else if (failure != null) {
        throw (Error) failure;
      }
      return this;
    } finally {
      changes.unlock();
    }
  }

  /** Whether the last attempt ended, its policy retries it, and {@link #nextAttempt()} is due. */
  public boolean betweenAttempts() {
    return between;
  }

  /**
   * The wait the real client would keep before the next attempt, from the policy and the ended
   * attempt's id.
   *
   * @throws IllegalStateException when the job is not between two attempts
   */
  public Duration backoff() {
    if (!between) {
      throw new IllegalStateException("job " + name() + " is not between two attempts");
    }
    return description.retryPolicy().orElseThrow().backoffAfter(attempt, attemptAppId);
  }

  /**
   * When the job's objects are due for deletion by its {@link io.sparkk8s.spec.Retention}: its
   * end plus the retention of its outcome. Empty while it runs, or when kept. A retention of zero
   * deletes the job as it ends (the cluster no longer has it); a longer one is applied by
   * {@link InMemorySparkKubernetes#deleteExpired(java.time.Instant)}.
   */
  public java.util.Optional<java.time.Instant> retentionExpires() {
    JobState now = state;
    if (!now.phase().isFinal()) {
      return java.util.Optional.empty();
    }
    java.time.Instant ended = metrics.finishedAt().orElse(now.observedAt());
    return description.retention().flatMap(r -> r.after(now.phase() == JobPhase.SUCCEEDED))
        .map(ended::plus);
  }

  private void retain(JobState end) {
    description.retention().flatMap(r -> r.after(end.phase() == JobPhase.SUCCEEDED))
        .filter(Duration::isZero).ifPresent(zero -> deleteDriverPod.accept(this));
  }

  /**
   * Sets the metrics the handle reports, for a test about code that reads them (exact times);
   * later scripted changes fill in only the steps still absent.
   */
  public ScriptedJob metrics(io.sparkk8s.JobMetrics exact) {
    this.metrics = Objects.requireNonNull(exact, "exact");
    return this;
  }

  private ScriptedJob rethrow(Throwable failure) {
    if (failure instanceof RuntimeException e) {
      throw e;
    } else if (failure != null) {
      throw (Error) failure;
    }
    return this;
  }

  private String name() {
    return compiled.namespace() + "/" + compiled.driverPodName();
  }

  // ---- the handle -------------------------------------------------------------------------

  private final class Handle implements SparkJobHandle {
    @Override
    public String namespace() {
      return compiled.namespace();
    }

    @Override
    public String name() {
      return attemptName;
    }

    @Override
    public String appId() {
      return attemptAppId;
    }

    @Override
    public JobState state() {
      return state;
    }

    @Override
    public io.sparkk8s.JobMetrics metrics() {
      return metrics;
    }

    @Override
    public io.sparkk8s.SparkUi sparkUi() {
      JobState now = state;
      java.net.URI url;
      if (now.phase() == JobPhase.RUNNING) {
        // No driver to forward to: a stand-in URL on a port nothing listens on.
        url = java.net.URI.create("http://127.0.0.1:4040/");
      } else if (now.phase().isFinal() && description.historyServerUrl().isPresent()) {
        String base = description.historyServerUrl().get();
        url = java.net.URI.create((base.endsWith("/") ? base : base + "/") + "history/" + appId()
            + "/");
      } else {
        throw new IllegalStateException(ScriptedJob.this.name() + " is " + now
            + ": its UI is there once RUNNING, or after the end with a History Server");
      }
      return new StandInUi(url, now.phase() == JobPhase.RUNNING);
    }

    @Override
    public java.util.Optional<io.sparkk8s.SparkProgress> progress() {
      return listeners.read(state.phase() == JobPhase.RUNNING); // as the real client
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public List<io.sparkk8s.JobAttempt> attempts() {
      JobState now = state;
      List<io.sparkk8s.JobAttempt> all = new java.util.ArrayList<>(endedAttempts);
      if (!between) {
        all.add(current(now));
      }
      return List.copyOf(all);
    }

    private io.sparkk8s.JobAttempt current(JobState now) {
      return new io.sparkk8s.JobAttempt(attempt, appId(), name(), now,
          now.phase().isFinal() ? io.sparkk8s.JobAttempt.outcomeOf(now)
              : java.util.Optional.empty(),
          now.phase().isFinal() ? java.util.Optional.of(metrics.finishedAt()
              .orElse(now.observedAt())) : java.util.Optional.empty());
    }

    @Override
    public JobState awaitCompletion(Duration timeout) {
      return SparkJobHandle.awaitEnd(completion, timeout, namespace() + "/" + name(),
          () -> state);
    }

    @Override
    public CompletableFuture<JobState> completion() {
      // A copy, so a caller completing or cancelling it cannot change the job.
      return completion.thenApply(s -> s);
    }

    @Override
    public void addListener(JobListener listener) {
      listeners.add(listener);
    }

    @Override
    public void removeListener(JobListener listener) {
      listeners.remove(listener);
    }

    @Override
    public void addProgressListener(io.sparkk8s.SparkJobHandle.ProgressListener listener) {
      listeners.add(listener);
    }

    @Override
    public void removeProgressListener(io.sparkk8s.SparkJobHandle.ProgressListener listener) {
      listeners.remove(listener);
    }

    @Override
    public InputStream driverLog() {
      if (!driverPodExists.test(ScriptedJob.this)) {
        // As on a cluster: the log goes with the pod.
        throw SubmitFailure.notFound("log", namespace(), name());
      }
      return log.follow();
    }

    @Override
    public void kill() {
      changes.lock();
      try {
        if (state.phase().isFinal()) {
          return;
        }
        deleteDriverPod.accept(ScriptedJob.this);
        // Between attempts there is no driver: the kill ends the job, no attempt follows.
        between = false;
        change(now -> JobState.killed());
      } finally {
        changes.unlock();
      }
    }

    @Override
    public void delete(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      changes.lock();
      try {
        deleteDriverPod.accept(ScriptedJob.this);
        between = false;
        if (!state.phase().isFinal()) {
          change(now -> JobState.killed());
        }
      } finally {
        changes.unlock();
      }
    }

    @Override
    public String toString() {
      return "SparkJobHandle{" + ScriptedJob.this.name() + ", " + appId() + ", " + state + "}";
    }
  }
}
