package io.sparkk8s;

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
public interface ProgressListener {
  /** {@code job} made {@code progress}, which differs from its last reported progress. */
  void onProgress(SparkJobHandle job, SparkProgress progress);
}
