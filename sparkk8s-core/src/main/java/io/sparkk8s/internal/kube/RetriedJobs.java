package io.sparkk8s.internal.kube;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.JobAttempt;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.OnConflict;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.spec.RetryPolicy;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;
import org.slf4j.Logger;

/**
 * Jobs with a retry policy ({@link RetryPolicy}): the record written before attempt 1 (sealed,
 * see {@link RecordTrust}), each attempt's objects created and its end recorded, the next attempt
 * started after its backoff, and a job found again (by a restarted caller, or by another client
 * holding the record key) continued where its attempts left it. What is read back from the
 * cluster decides nothing here unless {@link RecordTrust} and {@link AttemptNumbers} accept it.
 */
final class RetriedJobs {
  private static final Logger LOG = Log.LOG;
  private final RetryHost runtime;
  private final Tracker tracker;
  private final HandleRegistry handles;
  private final HandleRegistry jobs;
  private final RecordStore records;
  private final RecordTrust trust;
  private final JobObjects apiObjects;
  private final Timers timers;
  private final Executor notifier;

  RetriedJobs(RetryHost runtime, RecordStore records, RecordTrust trust) {
    this.runtime = runtime;
    this.tracker = runtime.tracker();
    this.handles = tracker.handles;
    this.jobs = tracker.jobs;
    this.records = records;
    this.trust = trust;
    this.apiObjects = runtime.objects();
    this.timers = runtime.timers();
    this.notifier = runtime.notifier();
  }

  /**
   * A job with a retry policy: its record first (the policy and every attempt's objects, so a
   * client that only attaches can continue), then attempt 1. If attempts exist on the server (a
   * restarted caller submitting again), the job continues where they left it.
   */
  SparkJobHandle submit(SparkJob job, CompiledJob compiled, OnConflict onConflict) {
    RetryPolicy policy = job.retryPolicy().orElseThrow();
    String ns = compiled.namespace();
    String jobId = compiled.appId();
    KubeJobHandle known = jobs.get(jobId);
    if (known != null && onConflict == OnConflict.ATTACH) {
      return known;
    }
    IntFunction<Optional<Attempts.Objects>> objects = memo(n -> n >= 1 && n <= policy.maxAttempts()
        ? Optional.of(Attempts.compile(job, jobId, n)) : Optional.empty());
    List<V1Pod> drivers = records.drivers(ns, jobId);
    Optional<V1ConfigMap> record = records.find(ns, jobId);
    if (!drivers.isEmpty() || record.isPresent()) {
      if (onConflict == OnConflict.FAIL) {
        throw new ConflictException("submit", "Pod", ns, compiled.driverPodName(), 409, null,
            "the job has " + drivers.size() + " attempts on the cluster; use OnConflict.ATTACH to"
                + " continue it, OnConflict.REPLACE or a new appId", null);
      }
      if (onConflict == OnConflict.ATTACH) {
        return resume(ns, jobId, policy, objects, job.startTimeout(), drivers, record, true);
      }
      deleteAttempts(ns, jobId, Duration.ofMinutes(2));
    }
    Attempts.Objects first = objects.apply(1).orElseThrow();
    KubeJobHandle handle = new KubeJobHandle(runtime, ns, first.driverName(), first.appId(), 1, jobId,
        policy, objects, job.startTimeout(), JobState.of(JobPhase.SUBMITTED, ""), notifier);
    jobs.put(jobId, handle);
    tracker.watch(ns);
    V1ConfigMap newRecord = Attempts.record(job, jobId, compiled.resourcePrefix(), policy);
    try {
      apiObjects.create(trust.seal(newRecord), null);
    } catch (ConflictException exists) {
      LOG.debug("Record of {} exists already", jobId);
    } catch (KubernetesApiException e) {
      if (!policy.retries(1, RetryPolicy.Outcome.SUBMISSION_FAILURE)) {
        jobs.remove(jobId);
        throw e;
      }
      // Attempt 1 meets the same API server: it fails too, as a submission failure.
      LOG.warn("Cannot create the record of {}/{}; a restart will not continue its retries", ns,
          jobId, e);
    }
    startAttempt(handle, first, true);
    runtime.counter().submitted();
    return handle;
  }

  /** Memoizes attempt objects: the handle asks for them more than once. */
  private static IntFunction<Optional<Attempts.Objects>> memo(
      IntFunction<Optional<Attempts.Objects>> make) {
    Map<Integer, Optional<Attempts.Objects>> cache = new ConcurrentHashMap<>();
    return n -> cache.computeIfAbsent(n, make::apply);
  }

  /**
   * Creates an attempt's objects and moves the handle to it. A failure of the API server is the
   * attempt's submission failure, which the policy may retry; for the first attempt of a submit
   * that the policy does not retry, it is thrown as without a policy.
   */
  private void startAttempt(KubeJobHandle handle, Attempts.Objects o, boolean throwIfNotRetried) {
    String ns = handle.namespace();
    if (runtime.isClosed() || handle.isKilled()) {
      return;
    }
    handles.put(o.appId(), handle);
    try {
      List<KubernetesObject> created = apiObjects.createPre(o.pre());
      V1Pod driver;
      try {
        driver = apiObjects.createDriver(JobObjects.copyOf(o.driver()), created);
      } catch (ConflictException exists) {
        // Another client (the caller before a restart) created this attempt already.
        V1Pod existing = runtime.pods().get(ns, o.driverName());
        if (!PodFacts.appIdOf(existing).equals(o.appId())) {
          throw exists;
        }
        driver = existing;
      }
      try {
        apiObjects.adopt(o.pre(), driver);
        apiObjects.createOwned(o.owned(), driver);
      } catch (KubernetesApiException e) {
        runtime.pods().delete(ns, o.driverName(), false);
        throw e;
      }
    } catch (KubernetesApiException e) {
      boolean retried = !(e instanceof ConflictException)
          && handle.policy().retries(o.number(), RetryPolicy.Outcome.SUBMISSION_FAILURE);
      if (throwIfNotRetried && !retried) {
        handles.remove(o.appId(), handle);
        jobs.remove(handle.jobId(), handle);
        records.delete(ns, handle.jobId());
        throw e;
      }
      LOG.warn("Attempt {} of {}/{} could not be submitted", o.number(), ns, handle.jobId(), e);
      handle.submissionFailed(o, e.getMessage());
      return;
    }
    handle.historyServerFrom(o.driver());
    handle.begin(o, JobState.of(JobPhase.SUBMITTED, ""));
    tracker.watch(ns).refresh(handle);
    runtime.startTimeout(handle, o.number(), handle.startTimeout());
  }

  /**
   * Attempt {@code n} ended and the policy retries it: find when it ended on the server (the
   * driver's termination time, else the record's, else now), record that, and start attempt
   * {@code n + 1} after the backoff counted from then. Runs off the caller's thread.
   */
  void attemptEnded(KubeJobHandle handle, int n, String appId, String name, JobState end) {
    if (runtime.isClosed()) {
      return;
    }
    timers.now(() -> {
      String ns = handle.namespace();
      Instant endedAt = null;
      try {
        V1Pod pod = runtime.pods().get(ns, name);
        if (PodFacts.appIdOf(pod).equals(appId)) {
          endedAt = PodFacts.finishedAt(pod).orElse(null);
        }
      } catch (KubernetesApiException gone) {
        LOG.debug("Driver {} of attempt {} not readable", name, n, gone);
      }
      if (endedAt == null) {
        try {
          endedAt = records.find(ns, handle.jobId()).flatMap(r -> trust.end(r, n))
              .map(Attempts.Ended::endedAt).orElse(null);
        } catch (KubernetesApiException e) {
          LOG.debug("Record of {} not readable", handle.jobId(), e);
        }
      }
      if (endedAt == null) {
        endedAt = Instant.now();
      }
      handle.recordEnd(n, appId, name, end, endedAt);
      records.writeEnd(ns, handle.jobId(), n, end, endedAt);
      Duration wait = handle.policy().backoffAfter(n, appId);
      long delay = Math.max(0, Duration.between(Instant.now(), endedAt.plus(wait)).toMillis());
      LOG.info("{}/{}: attempt {} ended {}; attempt {} in {} ms (backoff {} from {})", ns,
          handle.jobId(), n, end, n + 1, delay, wait, endedAt);
      handles.remove(appId, handle);
      Optional<Attempts.Objects> next = handle.objectsOf(n + 1);
      next.ifPresent(o -> timers.after(delay, () -> {
        try {
          startAttempt(handle, o, false);
        } catch (RuntimeException e) {
          LOG.error("Attempt {} of {}/{} failed to start", o.number(), ns, handle.jobId(), e);
          handle.submissionFailed(o, String.valueOf(e.getMessage()));
        }
      }));
    });
  }

  /**
   * A handle to a job from what the server has: its attempts' drivers (by label) and its record.
   * Ended attempts become the handle's history; the last attempt is followed, and if it ended and
   * the policy retries it, the next attempt starts after the backoff counted from its end.
   */
  private KubeJobHandle resume(String ns, String jobId, RetryPolicy policy,
      IntFunction<Optional<Attempts.Objects>> objects, Optional<Duration> startTimeout,
      List<V1Pod> drivers, Optional<V1ConfigMap> record, boolean mayStartFirst) {
    synchronized (jobs) {
      KubeJobHandle known = jobs.get(jobId);
      if (known != null) {
        return known;
      }
      // Attempt numbers from labels and ends that pass checks only: a planted pod or entry never
      // moves the job's sequence of attempts.
      Map<Integer, V1Pod> byAttempt = AttemptNumbers.byNumber(drivers, jobId, policy.maxAttempts(),
          n -> objects.apply(n).map(Attempts.Objects::driverName),
          (p, why) -> AttemptNumbers.warnIgnored(trust, ns, p, jobId, why));
      IntFunction<Optional<Attempts.Ended>> ended = n -> trust.end(record.orElse(null), n);
      int last = Math.max(byAttempt.keySet().stream().mapToInt(i -> i).max().orElse(0),
          AttemptNumbers.lastEnded(policy.maxAttempts(), n -> ended.apply(n).isPresent()));
      if (last == 0 && !mayStartFirst) {
        throw new NotFoundException("attach", "Pod", ns, jobId, 404, null, "no attempt of job "
            + jobId + " is left", null);
      }
      if (last == 0) {
        // A record without attempts: the caller stopped between the two creations.
        Attempts.Objects first = objects.apply(1).orElseThrow();
        KubeJobHandle h = new KubeJobHandle(runtime, ns, first.driverName(), first.appId(), 1, jobId,
            policy, objects, startTimeout, JobState.of(JobPhase.SUBMITTED, ""), notifier);
        jobs.put(jobId, h);
        startAttempt(h, first, false);
        return h;
      }
      V1Pod lastPod = byAttempt.get(last);
      String lastApp = JobAttempt.appIdOf(jobId, last);
      String lastName = lastPod != null ? lastPod.getMetadata().getName()
          : objects.apply(last).map(Attempts.Objects::driverName).orElse("");
      KubeJobHandle h = new KubeJobHandle(runtime, ns, lastName, lastApp, last, jobId, policy,
          objects, startTimeout, JobState.of(JobPhase.SUBMITTED, ""), notifier);
      for (int n = 1; n < last; n++) {
        V1Pod p = byAttempt.get(n);
        Optional<Attempts.Ended> fromRecord = ended.apply(n);
        String name = p != null ? p.getMetadata().getName()
            : objects.apply(n).map(Attempts.Objects::driverName).orElse("");
        if (p != null && DriverStates.fromPod(p).phase().isFinal()) {
          Instant at = PodFacts.finishedAt(p).or(() -> fromRecord.map(Attempts.Ended::endedAt))
              .orElseGet(Instant::now);
          h.recordEnd(n, JobAttempt.appIdOf(jobId, n), name, DriverStates.fromPod(p), at);
        } else if (fromRecord.isPresent()) {
          h.recordEnd(n, JobAttempt.appIdOf(jobId, n), name, fromRecord.get().state(),
              fromRecord.get().endedAt());
        }
      }
      jobs.put(jobId, h);
      handles.put(lastApp, h);
      objects.apply(last).ifPresent(o -> h.historyServerFrom(o.driver()));
      if (lastPod != null) {
        h.historyServerFrom(lastPod);
        h.observeMetrics(lastApp, Timings.of(lastPod, null));
        h.observe(lastApp, DriverStates.fromPod(lastPod));
        tracker.watch(ns).refresh(h);
        JobPhase p = h.state().phase();
        startTimeout.filter(t -> p == JobPhase.SUBMITTED || p == JobPhase.PENDING).ifPresent(t -> {
          Instant deadline = PodFacts.createdAt(lastPod).orElseGet(Instant::now).plus(t);
          long delay = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
          timers.after(delay, () -> runtime.enforceStart(h, last, t));
        });
      } else {
        ended.apply(last).ifPresent(e -> h.observe(lastApp, e.state()));
      }
      LOG.info("{}/{}: continuing at attempt {} ({})", ns, jobId, h.attempt(), h.state());
      return h;
    }
  }

  /** Deletes every attempt of a job and its record, and waits until they are gone. */
  private void deleteAttempts(String ns, String jobId, Duration timeout) {
    deleteAttempts(ns, jobId, Optional.of(timeout));
  }

  /**
   * Deletes every attempt of a job and its record; with a timeout, waits until they are gone
   * (the timers' thread never waits: it serves every job of the client).
   *
   * @return false when retention (no wait) kept them because a driver log could not be archived or
   *     their staged files deleted
   */
  boolean deleteAttempts(String ns, String jobId, Optional<Duration> wait) {
    // Only pods that are attempts of the job: anyone may put its label on a pod.
    List<V1Pod> drivers = records.drivers(ns, jobId).stream().filter(p -> AttemptNumbers.of(p,
        jobId, RetryPolicy.MAX_ATTEMPTS, n -> Optional.empty()).valid()).toList();
    // Their logs first: retention (no wait) keeps a job whose log cannot be archived; a caller's
    // delete goes ahead (the failure is logged).
    boolean allArchived = drivers.stream().allMatch(runtime::archived);
    if (!allArchived && wait.isEmpty()) {
      LOG.warn("Keeping the attempts of {}/{} until their driver logs are archived", ns, jobId);
      return false;
    }
    // Then the files staged for the job, under the same rule (asked when an attempt says there
    // are some, or none is left to say).
    boolean staged = drivers.isEmpty() || drivers.stream().anyMatch(StagedFileDeleter::labelled);
    if (staged && !runtime.staged().deleted(ns, jobId) && wait.isEmpty()) {
      LOG.warn("Keeping the attempts of {}/{} until their staged files are deleted", ns, jobId);
      return false;
    }
    for (V1Pod d : drivers) {
      runtime.pods().delete(ns, d.getMetadata().getName(), wait.isPresent());
    }
    records.delete(ns, jobId);
    for (V1Pod d : wait.isPresent() ? drivers : List.<V1Pod>of()) {
      runtime.pods().awaitGone(ns, PodFacts.appIdOf(d), d.getMetadata().getName(), wait.get());
    }
    KubeJobHandle old = jobs.remove(jobId);
    if (old != null) {
      old.observe(JobState.driverDeleted());
    }
    return true;
  }

  /**
   * The handle of the job that {@code pod} is an attempt of, continued from its record (the policy
   * and the attempts' objects) when this client trusts the record ({@link RecordTrust}) and the
   * pod is one of its attempts ({@link AttemptNumbers}); otherwise empty, and the pod is followed
   * read only like a driver without a retry policy.
   */
  Optional<KubeJobHandle> find(String ns, V1Pod pod) {
    Optional<String> jobId = Attempts.jobIdOf(pod);
    if (jobId.isEmpty()) {
      return Optional.empty();
    }
    KubeJobHandle known = jobs.get(jobId.get());
    if (known != null) {
      return Optional.of(known);
    }
    Optional<V1ConfigMap> record = records.find(ns, jobId.get());
    Optional<RecordTrust.Replay> replay = record.flatMap(r -> trust.replay(r, ns, jobId.get()));
    if (replay.isEmpty()) {
      if (record.isEmpty()) { // an untrusted one was reported by RecordTrust
        LOG.info("{}/{} is labelled as an attempt of {}, whose record is gone: followed without"
            + " retries", ns, pod.getMetadata().getName(), jobId.get());
      }
      return Optional.empty();
    }
    RecordTrust.Replay r = replay.get();
    IntFunction<Optional<Attempts.Objects>> objects = memo(r.objects());
    AttemptNumbers.Result n = AttemptNumbers.of(pod, jobId.get(), r.policy().maxAttempts(),
        i -> objects.apply(i).map(Attempts.Objects::driverName));
    if (!n.valid()) {
      AttemptNumbers.warnIgnored(trust, ns, pod, jobId.get(), n.why());
      return Optional.empty();
    }
    try {
      return Optional.of(resume(ns, jobId.get(), r.policy(), objects, r.startTimeout(),
          records.drivers(ns, jobId.get()), record, false));
    } catch (NotFoundException goneMeanwhile) {
      return Optional.empty();
    }
  }
}
