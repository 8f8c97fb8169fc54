package io.sparkk8s;

import io.sparkk8s.exception.ConflictException;

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
   *
   * <p>The application id is derived from the description unless set, so submitting the same
   * description again after its run ended also attaches: the handle reports the ended run. To
   * start another run of the same description, use {@link #NEW_RUN}, or give each run its own id
   * ({@code job.withAppId(SparkJob.newAppId())}) and keep ATTACH for retries of that run.
   */
  ATTACH,
  /** Fail with {@link ConflictException} whenever the driver exists. */
  FAIL,
  /** Delete the existing driver and everything it owns, wait until it is gone, then submit. */
  REPLACE,
  /**
   * Always start a new run beside any earlier one: the job is submitted with a fresh application
   * id ({@code SparkJob.newAppId()}, replacing one it names), so its objects get new names and
   * earlier runs keep their pods, logs and history. Not idempotent: a submit repeated after a
   * lost answer starts a second run; for a new run that is safe to retry, set the id yourself and
   * submit with {@link #ATTACH}.
   */
  NEW_RUN
}
