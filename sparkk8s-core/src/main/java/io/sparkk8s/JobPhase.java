package io.sparkk8s;

/** Where a job is in its life. {@link #SUCCEEDED} and {@link #FAILED} are final. */
public enum JobPhase {
  /** Objects created; the driver pod has not been seen by the watch yet. */
  SUBMITTED,
  /** The driver pod exists but its container is not running (scheduling, image pull, start). */
  PENDING,
  /** The driver container runs. */
  RUNNING,
  /** The driver exited with code 0. */
  SUCCEEDED,
  /** The driver exited with another code, was killed, deleted, evicted, or never started. */
  FAILED,
  /** The kubelet cannot report the pod (its node is unreachable). */
  UNKNOWN;

  /** Whether the job has ended; a final phase never changes again. */
  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED;
  }
}
