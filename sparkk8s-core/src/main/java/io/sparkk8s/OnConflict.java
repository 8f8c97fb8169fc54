package io.sparkk8s;

/**
 * What {@link SparkKubernetes#submit(io.sparkk8s.spec.SparkJob, OnConflict)} does when the job's
 * driver pod already exists. Names are derived from the description, so a driver with the same
 * name is either this very submission seen again (a retry after a timeout) or an earlier run of
 * the same description.
 */
public enum OnConflict {
  /**
   * The default. If the existing driver has the job's application id, it is this submission:
   * return a handle to it (a retried submit never starts a second driver). Otherwise fail with
   * {@link ConflictException}.
   */
  ATTACH,
  /** Fail with {@link ConflictException} whenever the driver exists. */
  FAIL,
  /** Delete the existing driver and everything it owns, wait until it is gone, then submit. */
  REPLACE
}
