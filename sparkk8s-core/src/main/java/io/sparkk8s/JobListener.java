package io.sparkk8s;

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
public interface JobListener {
  /** {@code job} went from {@code from} to {@code to}. */
  void onChange(SparkJobHandle job, JobState from, JobState to);
}
