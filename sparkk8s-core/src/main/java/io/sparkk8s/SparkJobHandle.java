package io.sparkk8s;

import io.sparkk8s.exception.SparkK8sException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A job on the cluster, however it was found: submitted by this client, or attached to after a
 * restart. Its state comes from the client's shared watch; a handle costs no connection of its own.
 *
 * <pre>{@code
 * SparkJobHandle job = spark.submit(pi);
 * job.addListener((j, from, to) -> log.info("{}: {}", j.name(), to));
 * JobState end = job.awaitCompletion(Duration.ofMinutes(30));
 * System.exit(end.exitCode().orElse(1));
 * }</pre>
 */
public interface SparkJobHandle {
  /** The namespace of the job. */
  String namespace();

  /**
   * The driver pod's name, which identifies the job within its namespace; with a retry policy,
   * the current attempt's driver.
   */
  String name();

  /**
   * {@code spark.app.id}, the value of every pod's {@code spark-app-selector} label; with a retry
   * policy, the current attempt's (see {@link JobAttempt#appId()}).
   */
  String appId();

  /**
   * The latest known state. With a {@link io.sparkk8s.spec.RetryPolicy}, the state of the current
   * attempt, and between two attempts {@link JobPhase#PENDING} with reason
   * {@code RetryBackoff}; the job is final only when no attempt follows.
   */
  JobState state();

  /**
   * When the job (its current attempt) was submitted, scheduled, running, got its first executor
   * and finished, as the API server recorded it, and the durations between.
   */
  JobMetrics metrics();

  /**
   * The Spark UI: while the driver runs, a local URL forwarded to its UI port by the SDK (close the
   * returned {@link SparkUi} to stop); after the job ended, the History Server's page of the
   * application ({@code <historyServerUrl>/history/<appId>/}).
   *
   * @throws IllegalStateException when the driver is not running yet (wait for
   *     {@link JobPhase#RUNNING}), or the job ended and its description named no History Server
   */
  SparkUi sparkUi();

  /** The number of the current (or last) attempt, from 1; {@link #name()} is its driver. */
  int attempt();

  /**
   * Every attempt so far, oldest first, the current one last. Found on the cluster by label, so a
   * handle from {@link SparkKubernetes#attach} after a restart has the attempts made before it.
   */
  List<JobAttempt> attempts();

  /** Completes with the final state ({@link JobPhase#isFinal()}) exactly once. */
  CompletableFuture<JobState> completion();

  /**
   * Calls {@code listener} on every later change. A listener added after the end is told nothing;
   * use {@link #completion()} for the end.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  void addListener(JobListener listener);

  /** Removes a listener added before. */
  void removeListener(JobListener listener);

  /**
   * Calls {@code listener} with the job's progress whenever it changes while the job runs (see
   * {@link ProgressListener}: one shared poller, reading at most every two seconds per job).
   */
  void addProgressListener(ProgressListener listener);

  /** Removes a progress listener added before; with none left, the job's progress is not read. */
  void removeProgressListener(ProgressListener listener);

  /**
   * Waits for the final state.
   *
   * @throws SparkK8sException when the job has not ended within {@code timeout} (its cause is a
   *     {@link java.util.concurrent.TimeoutException}); the job keeps running.
   */
  default JobState awaitCompletion(Duration timeout) {
    return awaitEnd(completion(), timeout, namespace() + "/" + name(), this::state);
  }

  /**
   * Waits for {@code completion} as {@link #awaitCompletion(Duration)} does, naming {@code job}
   * and its last state on a time-out. For implementations of this interface (the client's and the
   * test kit's handles use it), which pass the future they complete themselves: the copy {@link
   * #completion()} returns stays attached to that future until the job ends, one per call.
   *
   * @throws SparkK8sException when {@code completion} is not done within {@code timeout} (its
   *     cause is a {@link java.util.concurrent.TimeoutException}), or the wait is interrupted
   */
  static JobState awaitEnd(CompletableFuture<JobState> completion, Duration timeout, String job,
      java.util.function.Supplier<JobState> lastState) {
    java.util.Objects.requireNonNull(timeout, "timeout");
    try {
      return completion.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new SparkK8sException("Job " + job + " did not end within " + timeout
          + "; last state: " + lastState.get(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SparkK8sException("Interrupted while waiting for " + job, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new SparkK8sException("Waiting for " + job + " failed", e.getCause());
    }
  }

  /**
   * The driver's log from its start, following it until the driver ends. Waits until the driver
   * container has started. Close the stream to stop following.
   */
  InputStream driverLog();

  /**
   * How far the running application is, in Spark's own numbers ({@link SparkProgress}: jobs,
   * stages, tasks, executors, bytes), read from the driver's REST API when called (through the
   * API server's pod proxy; the caller needs {@code get} on {@code pods/proxy}). Empty when the
   * driver does not answer: not started yet, ended, or gone. Nothing polls in the background; call
   * it as often as you want a figure. The test kit's handles report empty.
   */
  default java.util.Optional<SparkProgress> progress() {
    return java.util.Optional.empty();
  }

  /**
   * Why the job failed ({@link FailureReport}): its category, the exception the driver died of,
   * the last lines of its log and, on a cluster, the driver pod's events. Empty unless the job has
   * {@link JobPhase#FAILED failed}. Reads the driver's log to its end (keeping its last
   * {@value #LOG_LINES_READ} lines), so it can take as long as the log is long; what could not be
   * read (the log of a pod already deleted) is listed in {@link FailureReport#unavailable()}.
   */
  default java.util.Optional<FailureReport> failureReport() {
    JobState end = state();
    if (end.phase() != JobPhase.FAILED) {
      return java.util.Optional.empty();
    }
    java.util.List<String> unavailable = new java.util.ArrayList<>();
    java.util.List<String> log = java.util.List.of();
    try (InputStream in = driverLog()) {
      log = FailureReport.lastLines(in, LOG_LINES_READ);
    } catch (java.io.IOException | RuntimeException e) {
      unavailable.add("the driver's log: " + e.getMessage());
    }
    return java.util.Optional.of(FailureReport.of(end, log, java.util.List.of(), unavailable));
  }

  /** How many of the driver's last log lines {@link #failureReport()} reads. */
  int LOG_LINES_READ = 2_000;

  /**
   * Ends the job: deletes the driver pod gracefully, which brings down its executors (Spark's
   * own driver shutdown, then Kubernetes' garbage collection). The job ends
   * {@link JobPhase#FAILED} with reason {@code Killed} unless it ended before.
   */
  void kill();

  /**
   * Deletes the driver and everything it owns (executors, Service, ConfigMaps, on-demand claims)
   * and waits until they are gone.
   *
   * @throws SparkK8sException when they are not gone within {@code timeout}
   */
  void delete(Duration timeout);

  /**
   * Told of every change of a job's state, including changes of the live executor count. Called on
   * the SDK's notification thread, one call at a time per client, in the order the changes were
   * observed; a slow listener delays others, so hand long work to your own executor.
   *
   * <pre>{@code
   * handle.addListener((job, from, to) -> System.out.println(job.name() + ": " + from + " -> " + to));
   * }</pre>
   */
  @FunctionalInterface
  interface JobListener {
    /** {@code job} went from {@code from} to {@code to}. */
    void onChange(SparkJobHandle job, JobState from, JobState to);
  }

  /**
   * Told of a running job's progress in Spark's own numbers ({@link SparkProgress}) as it changes.
   * The client reads the progress of every running job that has a progress listener with one shared
   * poller (no thread per job) and calls the listeners when a reading differs from the last; it
   * stops reading when the job ends or its last progress listener is removed. Called on the SDK's
   * notification thread, in order with the job's {@link JobListener} calls, so a change to
   * {@link JobPhase#SUCCEEDED} comes after the last progress.
   *
   * <pre>{@code
   * handle.addProgressListener((job, p) -> log.info("{}: {} of {} tasks",
   *     job.name(), p.completedTasks(), p.totalTasks()));
   * }</pre>
   */
  @FunctionalInterface
  interface ProgressListener {
    /** {@code job} made {@code progress}, which differs from its last reported progress. */
    void onProgress(SparkJobHandle job, SparkProgress progress);
  }
}
