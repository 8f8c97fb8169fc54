package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What {@link RetriedJobs} asks of the client it runs in, besides what a handle asks: the parts it
 * shares with every job (tracking, objects, timers, the listeners' thread, counts, staged files)
 * and the start timeouts. {@link JobRuntime} answers it, so retried jobs do not depend on the
 * runtime that holds them.
 */
interface RetryHost extends HandleHost<KubeJobHandle> {
  Tracker tracker();

  JobObjects objects();

  Timers timers();

  /** The thread listeners are told on. */
  Executor notifier();

  JobCounter counter();

  StagedFileDeleter staged();

  boolean isClosed();

  /** Starts the attempt's start timeout, if the job has one. */
  void startTimeout(KubeJobHandle handle, int attempt, Optional<Duration> timeout);

  /** Ends the attempt if its driver is not running yet. */
  void enforceStart(KubeJobHandle handle, int attempt, Duration timeout);

  /** Whether the driver's log is archived (written now if it was not), or there is no archive. */
  boolean archived(V1Pod driver);
}
