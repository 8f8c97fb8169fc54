package io.sparkk8s;

/**
 * The reasons a {@link JobState} carries ({@link JobState#reason()}), to compare against instead of
 * string literals. The SDK's own reasons say what its policies did; the others are Kubernetes'
 * words for the driver container, passed through as the kubelet wrote them (a job may carry a
 * kubelet reason not listed here).
 *
 * <pre>{@code
 * JobState end = handle.awaitCompletion(Duration.ofHours(1));
 * if (JobReasons.START_TIMEOUT.equals(end.reason())) {
 *   queue.retryLater(job, end.message());   // names the pending reason and the pod's events
 * }
 * }</pre>
 */
public final class JobReasons {
  private JobReasons() {}

  // ---- the SDK's own --------------------------------------------------------------------------

  /** FAILED: the driver was not running within {@code SparkJob.startTimeout}; its objects deleted. */
  public static final String START_TIMEOUT = "StartTimeout";

  /** FAILED: the job was ended through {@link SparkJobHandle#kill()}. */
  public static final String KILLED = "Killed";

  /** FAILED: the driver pod was deleted (not through the handle) before it ended. */
  public static final String DRIVER_DELETED = "DriverDeleted";

  /**
   * UNKNOWN: the driver's node stopped reporting (its Ready condition is Unknown) while this client
   * reached the API server; the job goes back to what its pod says if the node returns.
   */
  public static final String NODE_LOST = "NodeLost";

  /** PENDING: an attempt ended and the retry policy starts the next one after its backoff. */
  public static final String RETRY_BACKOFF = "RetryBackoff";

  /** FAILED: the API server refused or did not answer the creation of an attempt's objects. */
  public static final String SUBMISSION_FAILED = "SubmissionFailed";

  /** SUCCEEDED: a server was stopped by its idle timeout (no Spark job ran for that long). */
  public static final String IDLE_SHUTDOWN = "IdleShutdown";

  // ---- the kubelet's, passed through ----------------------------------------------------------

  /** SUCCEEDED: the driver container exited 0. */
  public static final String COMPLETED = "Completed";

  /** FAILED: the driver container exited non-zero (see the exit code and message). */
  public static final String ERROR = "Error";

  /** FAILED: the driver container was killed for exceeding its memory limit (exit 137). */
  public static final String OOM_KILLED = "OOMKilled";

  /** FAILED: the kubelet failed to pull the image at least twice and backs off. */
  public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";

  /**
   * PENDING: the kubelet's first failed pull of the image; it retries at once, so a job stays
   * pending with it until the pull succeeds or backs off ({@link #IMAGE_PULL_BACK_OFF}).
   */
  public static final String ERR_IMAGE_PULL = "ErrImagePull";

  /** FAILED: the image is not on the node and the pull policy is Never. */
  public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";

  /** FAILED: the image reference cannot be parsed. */
  public static final String INVALID_IMAGE_NAME = "InvalidImageName";
}
