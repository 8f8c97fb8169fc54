package io.sparkk8s;

import java.time.Instant;

/**
 * How far a running application is, in Spark's own numbers, as its driver's REST API
 * ({@code /api/v1/applications/<id>/...}) reported them at {@link #at()}. Read it with
 * {@link SparkJobHandle#progress()}.
 *
 * <pre>{@code
 * handle.progress().ifPresent(p -> log.info("{}: {} of {} tasks, {} executors", handle.name(),
 *     p.completedTasks(), p.totalTasks(), p.activeExecutors()));
 * }</pre>
 *
 * @param at when the driver answered
 * @param activeJobs Spark jobs running now
 * @param completedJobs Spark jobs that succeeded
 * @param failedJobs Spark jobs that failed
 * @param activeStages stages running now
 * @param completedStages stages that completed
 * @param failedStages stages that failed (a retried stage counts each failure)
 * @param activeTasks tasks running now
 * @param completedTasks tasks that completed, over every job so far
 * @param failedTasks task attempts that failed (Spark retries them), over every job so far
 * @param totalTasks the tasks of every job submitted so far (later jobs add theirs when they start)
 * @param activeExecutors executors registered with the driver now (the driver not counted)
 * @param inputBytes bytes read from storage by every stage so far
 * @param shuffleReadBytes bytes read from shuffles so far
 * @param shuffleWriteBytes bytes written to shuffles so far
 */
public record SparkProgress(Instant at, int activeJobs, int completedJobs, int failedJobs,
    int activeStages, int completedStages, int failedStages, long activeTasks, long completedTasks,
    long failedTasks, long totalTasks, int activeExecutors, long inputBytes, long shuffleReadBytes,
    long shuffleWriteBytes) {

  /** The completed share of the tasks known so far, 0 to 1 (0 when none is known yet). */
  public double fractionDone() {
    return totalTasks == 0 ? 0 : (double) completedTasks / totalTasks;
  }

  /** Whether {@code other} has the same figures, whenever each was read ({@link #at()} aside). */
  public boolean sameFiguresAs(SparkProgress other) {
    return other != null && equals(new SparkProgress(at, other.activeJobs, other.completedJobs,
        other.failedJobs, other.activeStages, other.completedStages, other.failedStages,
        other.activeTasks, other.completedTasks, other.failedTasks, other.totalTasks,
        other.activeExecutors, other.inputBytes, other.shuffleReadBytes, other.shuffleWriteBytes));
  }

  @Override
  public String toString() {
    return String.format("jobs %d running, %d done, %d failed; stages %d running, %d done, %d"
            + " failed; tasks %d/%d done (%d running, %d failed); %d executors; input %d B,"
            + " shuffle read %d B, write %d B", activeJobs, completedJobs, failedJobs,
        activeStages, completedStages, failedStages, completedTasks, totalTasks, activeTasks,
        failedTasks, activeExecutors, inputBytes, shuffleReadBytes, shuffleWriteBytes);
  }
}
