package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.LogArchive;
import io.sparkk8s.api.ApiErrors;
import io.sparkk8s.api.ApiRetry;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.exception.NotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;

/**
 * Deletes ended jobs when their retention says ({@link io.sparkk8s.spec.Retention}, written on the
 * driver pod by {@link Retentions}), so any client watching the namespace enforces it. A driver
 * goes at its end plus its retention (and by ownership everything of its job); the attempts of a
 * retried job and its record go together, once the job ended. The deletions wait on the
 * {@link Timers}' clock and run on its workers.
 *
 * <p>Bounded: a driver or job is remembered only while its deletion is pending (so that a driver
 * seen again by the watch is not scheduled twice), and forgotten once it is done or has failed.
 */
final class RetentionEnforcer {
  private static final Logger LOG = Log.LOG;
  /** How soon an archive that failed is tried again before a driver is deleted. */
  static final Duration ARCHIVE_RETRY = Duration.ofSeconds(10);
  private final CoreV1Api core;
  private final ApiRetry retry;
  private final Timers timers;
  private final BooleanSupplier closed;
  private final BiPredicate<String, String> deleteAttempts;
  /** Whether a driver's log is archived (or need not be): only then is it deleted. */
  private final Predicate<LogArchive.Key> archived;
  /**
   * Whether the staged files of a job (namespace, job id) are deleted, asked about drivers
   * labelled {@link io.sparkk8s.StagedFiles#LABEL}: only then is the driver deleted.
   */
  private final BiPredicate<String, String> filesDeleted;
  /** Drivers (by uid) and retried jobs (by job id) whose deletion is pending. */
  private final Set<String> pending = ConcurrentHashMap.newKeySet();

  /**
   * {@code deleteAttempts} deletes every attempt of a job and its record (namespace, job id), or
   * answers false when it kept them (their logs are not archived yet).
   */
  RetentionEnforcer(CoreV1Api core, ApiRetry retry, Timers timers, BooleanSupplier closed,
      BiPredicate<String, String> deleteAttempts, Predicate<LogArchive.Key> archived,
      BiPredicate<String, String> filesDeleted) {
    this.archived = archived;
    this.filesDeleted = filesDeleted;
    this.core = core;
    this.retry = retry;
    this.timers = timers;
    this.closed = closed;
    this.deleteAttempts = deleteAttempts;
  }

  /**
   * A watch saw {@code driver}: if it ended and carries a retention (and is not an attempt of a
   * retried job: those go with their job), its deletion is scheduled at its end plus the retention.
   */
  void driverSeen(V1Pod driver) {
    // A driver being deleted already (by retention a moment ago, or anyone) is not deleted again
    // at each change the watch reports while it terminates.
    if (closed.getAsBoolean() || Attempts.jobIdOf(driver).isPresent()
        || driver.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    Optional<Instant> at = Retentions.deleteAt(driver);
    String uid = driver.getMetadata().getUid();
    if (at.isEmpty() || !pending.add(uid)) {
      return;
    }
    String ns = driver.getMetadata().getNamespace();
    String name = driver.getMetadata().getName();
    LOG.info("{}/{} ended; deleting it at {} as its retention says", ns, name, at.get());
    // Only the names are kept until then, not the pod.
    Optional<LogArchive.Key> log = LogArchiver.keyOf(driver);
    boolean staged = StagedFileDeleter.labelled(driver);
    timers.after(millisUntil(at.get()), () -> deleteWhenArchived(ns, name, uid, log, staged));
  }

  /**
   * Deletes the ended driver once its log is archived and its staged files deleted; until then it
   * is kept and both tried again every {@link #ARCHIVE_RETRY} (one pending task per driver).
   */
  private void deleteWhenArchived(String ns, String name, String uid,
      Optional<LogArchive.Key> log, boolean staged) {
    if (closed.getAsBoolean()) {
      pending.remove(uid);
      return;
    }
    if (!log.map(k -> archived.test(k) && (!staged || filesDeleted.test(ns, k.appId())))
        .orElse(true)) {
      LOG.warn("{}/{}: kept past its retention until its log is archived and its staged files"
          + " deleted; trying again in {}", ns, name, ARCHIVE_RETRY);
      timers.after(ARCHIVE_RETRY.toMillis(),
          () -> deleteWhenArchived(ns, name, uid, log, staged));
      return;
    }
    try {
      // Only this very pod: a driver of the same name submitted since is not ours to delete.
      retry.call(new ApiErrors.Target("delete", "Pod", ns, name), () -> core.deleteNamespacedPod(
          name, ns).body(new V1DeleteOptions().propagationPolicy("Background")
              .preconditions(new V1Preconditions().uid(uid))).execute());
      LOG.info("{}/{} deleted: its retention ended", ns, name);
    } catch (NotFoundException | ConflictException gone) {
      LOG.debug("{}/{} already gone", ns, name);
    } catch (KubernetesApiException e) {
      LOG.warn("Cannot delete {}/{} after its retention; will try when it is seen again", ns,
          name, e);
    } finally {
      pending.remove(uid);
    }
  }

  /**
   * A job ended. For a retried job, its retention (read from its last attempt's driver, or that
   * attempt's objects when the driver is gone) schedules the deletion of every attempt and of its
   * record at the last attempt's end plus the retention.
   */
  void jobEnded(KubeJobHandle handle) {
    String jobId = handle.jobId();
    if (closed.getAsBoolean() || handle.policy().maxAttempts() == 1 || !pending.add(jobId)) {
      return;
    }
    String ns = handle.namespace();
    JobState end = handle.state();
    timers.now(() -> {
      Optional<Instant> at;
      try {
        V1Pod last = retry.call(new ApiErrors.Target("get", "Pod", ns, handle.name()),
            () -> core.readNamespacedPod(handle.name(), ns).execute());
        at = Retentions.deleteAt(last);
      } catch (NotFoundException gone) {
        Instant ended = handle.attempts().get(handle.attempts().size() - 1).endedAt()
            .orElseGet(Instant::now);
        at = handle.objectsOf(handle.attempt()).flatMap(o -> Retentions.of(o.driver()))
            .flatMap(r -> r.after(end.phase() == JobPhase.SUCCEEDED)).map(ended::plus);
      } catch (KubernetesApiException e) {
        pending.remove(jobId);
        LOG.warn("Cannot read the last driver of {}/{}; its retention waits for an attach", ns,
            jobId, e);
        return;
      }
      if (at.isEmpty()) {
        pending.remove(jobId); // kept: nothing to schedule
        return;
      }
      LOG.info("{}/{} ended; deleting its {} attempts at {} as its retention says", ns, jobId,
          handle.attempt(), at.get());
      // Only the names are kept until then, not the handle: nobody may hold it any more.
      timers.after(millisUntil(at.get()), () -> deleteAttemptsWhenArchived(ns, jobId));
    });
  }

  /** As {@link #deleteWhenArchived}, for every attempt of a retried job. */
  private void deleteAttemptsWhenArchived(String ns, String jobId) {
    boolean kept = false;
    try {
      kept = !closed.getAsBoolean() && !deleteAttempts.test(ns, jobId);
    } catch (RuntimeException e) {
      LOG.warn("Cannot delete the attempts of {}/{} after their retention", ns, jobId, e);
    } finally {
      if (kept) {
        timers.after(ARCHIVE_RETRY.toMillis(), () -> deleteAttemptsWhenArchived(ns, jobId));
      } else {
        pending.remove(jobId);
      }
    }
  }

  /** How many deletions are pending, for tests. */
  int pending() {
    return pending.size();
  }

  private static long millisUntil(Instant at) {
    return Math.max(0, Duration.between(Instant.now(), at).toMillis());
  }
}
