package io.sparkk8s.internal.kube;

import io.sparkk8s.JobState;
import io.sparkk8s.SparkUi;
import java.io.InputStream;
import java.time.Duration;

/**
 * What a job's handle asks of the client that made it: its job or an attempt ended, progress to
 * follow, the driver's pod, log and UI, a delete. {@link JobRuntime} answers it; a handle knows
 * only this, so that the handle does not depend on the runtime that holds it ({@code H} is the
 * handle's own type).
 */
interface HandleHost<H> {
  /** Attempt {@code n} of a retried job ended. */
  void attemptEnded(H handle, int n, String appId, String name, JobState end);

  /** The job ended. */
  void jobEnded(H handle);

  /** Reads the job's progress for its progress listeners until {@link #unfollow}. */
  void follow(H handle);

  void unfollow(H handle);

  /** The driver pod through the API server. */
  DriverPods pods();

  /** The driver's log: from the pod while it is there, then from the archive. */
  InputStream driverLog(String ns, String name, String appId);

  /** Archives the log of a driver about to be deleted by a caller. */
  void archiveBeforeDelete(String ns, String name, String appId);

  /** The job's every attempt and record deleted, waiting at most {@code timeout}. */
  void deleteJob(H handle, Duration timeout);

  /** The driver's Spark UI, forwarded to this machine. */
  SparkUi forwardUi(H handle);
}
