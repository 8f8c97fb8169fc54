package io.sparkk8s.testing;

import io.sparkk8s.CompiledJob;
import io.sparkk8s.OnConflict;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.exception.ClusterUnreachableException;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.exception.SparkK8sException;
import io.sparkk8s.spec.SparkJob;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link SparkKubernetes} with an in-memory cluster, for unit tests of code that launches jobs:
 * no API server, no threads, no waiting. Jobs are compiled exactly as by the real client (so
 * descriptions and object names are the real ones), and then stay where the test puts them with
 * their {@link ScriptedJob}.
 *
 * <pre>{@code
 * InMemorySparkKubernetes spark = new InMemorySparkKubernetes();
 * NightlyReport report = new NightlyReport(spark);            // your code, given the interface
 *
 * spark.failNextSubmit(0)                                     // the cluster does not answer once
 *     .onSubmit(job -> job.running().executors(2).succeed()); // then every job runs and succeeds
 * assertThat(report.run(LocalDate.of(2025, 1, 31))).isTrue();
 * assertThat(spark.onlyJob().compiled().driverPod().getSpec().getContainers().get(0).getArgs())
 *     .contains("2025-01-31");
 * }</pre>
 *
 * <p>Code that does not block can be driven step by step instead: submit, then script the job
 * with {@link #onlyJob()} or {@link #job(String)} while the code under test watches its handle.
 *
 * <p>It follows the client's contract: {@link OnConflict} as documented (a retried submit attaches
 * to its own driver; {@code REPLACE} deletes the old driver, whose handle ends {@code FAILED} with
 * reason {@code DriverDeleted}, then submits), {@link NotFoundException} for a driver that is not
 * there, label selectors in Kubernetes syntax, and the exceptions the real client throws for an
 * API server's answers ({@link #failNextSubmit(int)}). A killed or deleted job leaves the cluster,
 * as its pod does, but stays in {@link #jobs()} for the test to inspect.
 *
 * <p>Thread-safe: the code under test may submit and wait from several threads. Use a new
 * instance per test.
 */
public final class InMemorySparkKubernetes implements SparkKubernetes {
  private final Object lock = new Object();
  /** The driver pods that exist, by namespace/name, in the order they were created. */
  private final Map<String, ScriptedJob> drivers = new LinkedHashMap<>();
  /** Every job ever created, in order, including those deleted since. */
  private final List<ScriptedJob> jobs = new ArrayList<>();
  private final Set<String> serviceAccounts = new LinkedHashSet<>();
  private final Set<String> storage = new LinkedHashSet<>();
  /** Deployed platforms, their claims and tokens. */
  private final InMemoryPlatforms platformState = new InMemoryPlatforms(this::ensureOpen);
  private final Deque<SubmitFailure> submitFailures = new ArrayDeque<>();
  private final InMemoryCluster cluster = new InMemoryCluster();
  private Consumer<? super ScriptedJob> onSubmit = job -> { };
  private boolean closed;

  /** An empty cluster. */
  public InMemorySparkKubernetes() {}

  // ---- SparkKubernetes --------------------------------------------------------------------

  /**
   * Compiles {@code job} with {@link SparkCompiler} and creates it in memory, in state
   * {@code SUBMITTED} (then runs the {@link #onSubmit} script, if any). If its driver exists,
   * acts as {@code onConflict} says, like the real client. Each call first takes the next failure
   * queued with {@link #failNextSubmit(int)} or {@link #loseNextSubmitResponse()}.
   *
   * @throws ConflictException when the driver exists and {@code onConflict} does not allow it
   * @throws KubernetesApiException when a failure was queued
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public SparkJobHandle submit(SparkJob job, OnConflict onConflict) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(onConflict, "onConflict");
    ensureOpen();
    if (onConflict == OnConflict.NEW_RUN) {
      return submit(job.withAppId(SparkJob.newAppId()), OnConflict.FAIL);
    }
    CompiledJob compiled = SparkCompiler.compile(job);
    String key = key(compiled.namespace(), compiled.driverPodName());
    SubmitFailure failure;
    ScriptedJob created = null;
    ScriptedJob attached = null;
    ScriptedJob replaced = null;
    Consumer<? super ScriptedJob> script;
    synchronized (lock) {
      ensureOpen();
      cluster.ensureReachable("create", "Pod", compiled.namespace(), compiled.driverPodName());
      failure = submitFailures.poll();
      if (failure != null && !failure.responseLost()) {
        throw failure.exception(compiled);
      }
      ScriptedJob existing = drivers.get(key);
      if (existing == null) {
        created = create(job, compiled);
      } else if (onConflict == OnConflict.ATTACH
          && existing.compiled().appId().equals(compiled.appId())) {
        attached = existing;
      } else if (onConflict == OnConflict.REPLACE) {
        drivers.remove(key);
        replaced = existing;
      } else {
        throw SubmitFailure.conflict(compiled, existing.compiled().appId());
      }
      script = onSubmit;
    }
    if (replaced != null) {
      // Outside the lock: the old job's listeners may call this client. They run before the new
      // driver exists, as the real client waits until the old one is gone.
      replaced.deletedByReplace();
      synchronized (lock) {
        ScriptedJob meanwhile = drivers.get(key);
        if (meanwhile != null) {
          // Another submit created it in between: the real client's create is refused too.
          throw SubmitFailure.conflict(compiled, meanwhile.compiled().appId());
        }
        created = create(job, compiled);
      }
    }
    if (created != null) {
      script.accept(created);
    }
    if (failure != null) {
      throw failure.exception(compiled);
    }
    return (created != null ? created : attached).handle();
  }

  /** Creates the job's driver; called holding the lock. */
  private ScriptedJob create(SparkJob description, CompiledJob compiled) {
    ScriptedJob job = new ScriptedJob(this::remove, this::has, description, compiled);
    drivers.put(key(compiled.namespace(), compiled.driverPodName()), job);
    jobs.add(job);
    return job;
  }

  /**
   * The handle of the job whose driver pod is {@code driverPodName}: the same object its submit
   * returned.
   *
   * @throws NotFoundException when no such driver exists (never submitted, killed or deleted)
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public SparkJobHandle attach(String namespace, String driverPodName) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(driverPodName, "driverPodName");
    synchronized (lock) {
      ensureOpen();
      cluster.ensureReachable("get", "Pod", namespace, driverPodName);
      ScriptedJob job = drivers.get(key(namespace, driverPodName));
      if (job == null) {
        throw SubmitFailure.notFound("get", namespace, driverPodName);
      }
      return job.handle();
    }
  }

  /**
   * Handles of the jobs in {@code namespace} whose driver pod labels match {@code labelSelector},
   * in the order they were submitted. The selector has Kubernetes' syntax: {@code k=v},
   * {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a,b)}, {@code k}, {@code !k},
   * joined by commas; null or blank selects every job.
   *
   * @throws KubernetesApiException with code 400 when the selector is not valid syntax, as the
   *     API server answers
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public List<SparkJobHandle> list(String namespace, String labelSelector) {
    Objects.requireNonNull(namespace, "namespace");
    ensureOpen();
    LabelSelector selector = SubmitFailure.selector(namespace, labelSelector);
    List<SparkJobHandle> out = new ArrayList<>();
    synchronized (lock) {
      ensureOpen();
      cluster.ensureReachable("list", "Pod", namespace, labelSelector);
      for (ScriptedJob job : drivers.values()) {
        if (job.namespace().equals(namespace) && selector.matches(job.driverLabels())) {
          out.add(job.handle());
        }
      }
    }
    return out;
  }

  /**
   * Records that the driver ServiceAccount {@code name} was ensured in {@code namespace}; see
   * {@link #serviceAccounts()}. Idempotent. Throws as submit does while unreachable.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public void ensureDriverServiceAccount(String namespace, String name) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    synchronized (lock) {
      ensureOpen();
      cluster.ensureReachable("create", "ServiceAccount", namespace, name);
      serviceAccounts.add(namespace + "/" + name);
    }
  }

  /**
   * Records the backend (see {@link #storage()}); nothing else happens in memory.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public void ensureStorage(String namespace, io.sparkk8s.storage.StorageBackend backend) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(backend, "backend");
    synchronized (lock) {
      ensureOpen();
      storage.add(namespace + "/" + backend.name());
    }
  }

  /**
   * Compiles {@code platform} as the real client does (so an invalid one fails the same way) and
   * records it; the result says which objects are new, changed or gone since the last deploy of
   * the same release. Claims and tokens are created once and kept across teardowns. With {@link
   * io.sparkk8s.DeployOptions#dryRun()} the result is the same and nothing is recorded (no API
   * server judges the objects here: that needs the real client).
   */
  @Override
  public io.sparkk8s.DeployResult deploy(io.sparkk8s.spec.SparkPlatform platform,
      io.sparkk8s.DeployOptions options) {
    return platformState.deploy(platform, options);
  }

  /** Every service of a deployed platform is ready at once in memory; an absent one is "not deployed". */
  @Override
  public io.sparkk8s.PlatformStatus status(io.sparkk8s.spec.SparkPlatform platform) {
    return platformState.status(platform);
  }

  /**
   * The status of a deployed platform at once.
   *
   * @throws SparkK8sException when the platform is not deployed
   */
  @Override
  public io.sparkk8s.PlatformStatus awaitReady(io.sparkk8s.spec.SparkPlatform platform,
      Duration timeout) {
    io.sparkk8s.PlatformStatus status = status(platform);
    if (!status.ready()) {
      throw new SparkK8sException("platform " + platform.namespace() + "/" + platform.name()
          + " not ready after " + timeout + ": " + status);
    }
    return status;
  }

  /** Forgets the platform's objects; its claims and tokens are kept, as on a cluster. */
  @Override
  public void teardown(io.sparkk8s.spec.SparkPlatform platform) {
    platformState.teardown(platform);
  }

  /** Forgets the platform's objects, claims and tokens. */
  @Override
  public void teardownAndDeleteClaims(io.sparkk8s.spec.SparkPlatform platform) {
    platformState.teardownAndDeleteClaims(platform);
  }

  /**
   * A random token drawn once per notebook and kept until {@link #teardownAndDeleteClaims}.
   *
   * @throws NotFoundException when the platform is not deployed
   */
  @Override
  public String notebookToken(io.sparkk8s.spec.SparkPlatform platform, String notebook) {
    return platformState.notebookToken(platform, notebook);
  }

  /**
   * The credential of a deployed notebook, drawn once as {@link #notebookToken} does: for Zeppelin
   * with the user {@code admin}.
   *
   * @throws NotFoundException when the platform is not deployed
   * @throws IllegalArgumentException when the platform has no such notebook
   */
  @Override
  public io.sparkk8s.NotebookCredentials notebookCredentials(io.sparkk8s.spec.SparkPlatform platform,
      String notebook) {
    return platformState.notebookCredentials(platform, notebook);
  }

  /** The platforms deployed and not torn down, in the order of their first deploy. */
  public List<io.sparkk8s.spec.SparkPlatform> platforms() {
    return platformState.platforms();
  }

  /**
   * Marks this client closed: later calls of the {@link SparkKubernetes} methods throw
   * {@link IllegalStateException}, as the real client's do. Handles, scripting and inspection keep
   * working. Idempotent.
   */
  /**
   * Deletes every finished job whose {@link io.sparkk8s.spec.Retention} has expired at {@code now}
   * ({@link ScriptedJob#retentionExpires()}), as the real client does from its watch; returns them.
   * The handles keep their final state; {@code attach} no longer finds them.
   */
  public List<ScriptedJob> deleteExpired(java.time.Instant now) {
    List<ScriptedJob> due = new ArrayList<>();
    synchronized (lock) {
      for (ScriptedJob j : new ArrayList<>(drivers.values())) {
        if (j.retentionExpires().filter(at -> !at.isAfter(now)).isPresent()) {
          due.add(j);
        }
      }
    }
    due.forEach(this::remove);
    return due;
  }

  /**
   * The test kit holds no cluster objects: the report lists the problems given to
   * {@link #preflightFinds} (to test a caller's handling of them), and says nothing was checked.
   */
  @Override
  public io.sparkk8s.PreflightReport preflight(SparkJob job) {
    CompiledJob compiled = SparkCompiler.compile(job);
    return new io.sparkk8s.PreflightReport(compiled.namespace(), compiled.driverPodName(),
        preflightProblems, List.of("the test kit has no cluster objects; only the problems given"
            + " to preflightFinds are reported"));
  }

  /** The problems every later {@link #preflight} reports. */
  public void preflightFinds(List<io.sparkk8s.PreflightReport.Problem> problems) {
    preflightProblems = List.copyOf(problems);
  }

  private volatile List<io.sparkk8s.PreflightReport.Problem> preflightProblems = List.of();

  /** Counts over the jobs submitted to this fake, as the real client counts what it sees end. */
  @Override
  public io.sparkk8s.JobCounts jobCounts() {
    synchronized (lock) {
      return InMemoryCluster.counts(jobs);
    }
  }

  /**
   * The nodes given with {@link #nodes}, whole, less what the drivers that have not ended request
   * (counted as pending pods: the fake has no scheduler); unknown when no nodes were given.
   *
   * @throws ClusterUnreachableException while {@link #unreachable(boolean) unreachable}
   */
  @Override
  public io.sparkk8s.ClusterCapacity capacity() {
    synchronized (lock) {
      ensureOpen();
      cluster.ensureReachable("list", "Node", "", "");
      return cluster.capacity(drivers.values().stream()
          .filter(j -> !j.state().phase().isFinal()).toList());
    }
  }

  /**
   * What this fake holds: it keeps every job submitted to it (a test is short), so ended jobs
   * count as held; it watches nothing.
   */
  @Override
  public io.sparkk8s.ClientDiagnostics diagnostics() {
    synchronized (lock) {
      return InMemoryCluster.diagnostics(jobs);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  // ---- scripting --------------------------------------------------------------------------

  /**
   * Runs {@code script} on every job this client creates from now on, on the submitting thread
   * after the job exists and before {@code submit} returns; a submit that attaches to an existing
   * job does not run it. Replaces the previous script.
   *
   * <p>This is how code that submits and then blocks is tested: {@code onSubmit(job ->
   * job.running().succeed())}. A listener the code under test adds after {@code submit} returns is
   * then told nothing, as for a fast job on a real cluster; its {@code completion()} and
   * {@code awaitCompletion} see the end. To script from the test's thread instead, hand the job
   * over: {@code onSubmit(submitted::complete)} with a {@code CompletableFuture<ScriptedJob>}.
   */
  public InMemorySparkKubernetes onSubmit(Consumer<? super ScriptedJob> script) {
    Objects.requireNonNull(script, "script");
    synchronized (lock) {
      onSubmit = script;
    }
    return this;
  }

  /**
   * The next submit fails as the real client fails when the API server answers its create of the
   * driver pod with {@code httpCode}, or does not answer when it is 0: a
   * {@link ClusterUnreachableException} for 0, {@link io.sparkk8s.exception.ForbiddenException} for 401 and
   * 403, {@link NotFoundException} for 404 (the namespace does not exist), a
   * {@link KubernetesApiException} with the code otherwise. Nothing is created. Queued failures
   * are taken one per submit, in order.
   *
   * @throws IllegalArgumentException when {@code httpCode} is not 0 or 400-599, or is 409: a
   *     conflict is what an existing driver answers; submit the job twice to test it
   */
  public InMemorySparkKubernetes failNextSubmit(int httpCode) {
    if (httpCode != 0 && (httpCode < 400 || httpCode > 599)) {
      throw new IllegalArgumentException("httpCode must be 0 (no answer) or 400-599: " + httpCode);
    }
    if (httpCode == 409) {
      throw new IllegalArgumentException(
          "httpCode 409 is what an existing driver answers; submit the job twice to test it");
    }
    return queue(new SubmitFailure(null, httpCode, false));
  }

  /**
   * The next submit throws {@code error}; nothing is created. Queued failures are taken one per
   * submit, in order.
   */
  public InMemorySparkKubernetes failNextSubmit(KubernetesApiException error) {
    return queue(new SubmitFailure(Objects.requireNonNull(error, "error"), 0, false));
  }

  /**
   * The next submit reaches the cluster, which creates the job, but its answer is lost: the
   * submit throws {@link ClusterUnreachableException} (a read timeout). A retry with
   * {@link OnConflict#ATTACH} then returns the job that was created, as with the real client.
   * Queued failures are taken one per submit, in order.
   */
  public InMemorySparkKubernetes loseNextSubmitResponse() {
    return queue(new SubmitFailure(null, 0, true));
  }

  private InMemorySparkKubernetes queue(SubmitFailure failure) {
    synchronized (lock) {
      submitFailures.add(failure);
    }
    return this;
  }

  /**
   * Gives the cluster {@code count} nodes of {@code cpuMillis} and {@code memoryBytes} each, for
   * {@link #capacity()} (and so for a {@link io.sparkk8s.fleet.SparkFleet} placing by it).
   */
  public InMemorySparkKubernetes nodes(int count, long cpuMillis, long memoryBytes) {
    synchronized (lock) {
      cluster.nodes(count, cpuMillis, memoryBytes);
    }
    return this;
  }

  /**
   * While {@code true}, the API server does not answer: submit, attach, list and capacity throw
   * {@link ClusterUnreachableException} as the real client does once its retries are spent; jobs
   * already created keep their state. For fleets losing a cluster on cue.
   */
  public InMemorySparkKubernetes unreachable(boolean unreachable) {
    synchronized (lock) {
      cluster.unreachable(unreachable);
    }
    return this;
  }

  // ---- inspection -------------------------------------------------------------------------

  /** The compiled objects of every job this client created, in order, deleted ones included. */
  public List<CompiledJob> submitted() {
    synchronized (lock) {
      return jobs.stream().map(ScriptedJob::compiled).toList();
    }
  }

  /** Every job this client created, in order, deleted ones included. */
  public List<ScriptedJob> jobs() {
    synchronized (lock) {
      return List.copyOf(jobs);
    }
  }

  /**
   * The job created last with this driver pod name ({@link SparkJobHandle#name()}, see {@link
   * CompiledJob#driverPodName()}) or, failing that, this description name ({@code
   * SparkJob.name()}, as the test wrote it).
   *
   * @throws IllegalArgumentException when no job of that name was submitted
   */
  public ScriptedJob job(String name) {
    Objects.requireNonNull(name, "name");
    synchronized (lock) {
      return InMemoryCluster.find(jobs, name).orElseThrow(() -> new IllegalArgumentException(
          "no job with driver pod or name '" + name + "' was submitted; submitted: " + names()));
    }
  }

  /**
   * The one job this client created.
   *
   * @throws IllegalStateException when none or several were created; use {@link #jobs()} then
   */
  public ScriptedJob onlyJob() {
    synchronized (lock) {
      if (jobs.size() != 1) {
        throw new IllegalStateException(
            "expected exactly one submitted job, found " + jobs.size() + ": " + names());
      }
      return jobs.get(0);
    }
  }

  /**
   * The driver ServiceAccounts ensured through {@link #ensureDriverServiceAccount}, as
   * {@code namespace/name}, in the order of their first call.
   */
  public Set<String> serviceAccounts() {
    synchronized (lock) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(serviceAccounts));
    }
  }

  /**
   * The storage backends ensured through {@link #ensureStorage}, as {@code namespace/name}, in the
   * order of their first call.
   */
  public Set<String> storage() {
    synchronized (lock) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(storage));
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  @Override
  public String toString() {
    return "InMemorySparkKubernetes{" + names() + (isClosed() ? ", closed" : "") + "}";
  }

  // ---- for ScriptedJob --------------------------------------------------------------------

  /** The job's driver pod is deleted; a replacement of the same name is left alone. */
  void remove(ScriptedJob job) {
    synchronized (lock) {
      drivers.remove(key(job.namespace(), job.driverPodName()), job);
    }
  }

  /** Whether the job's driver pod exists. */
  boolean has(ScriptedJob job) {
    synchronized (lock) {
      return drivers.get(key(job.namespace(), job.driverPodName())) == job;
    }
  }

  // ---- plumbing ---------------------------------------------------------------------------

  private void ensureOpen() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("this SparkKubernetes client is closed");
      }
    }
  }

  private List<String> names() {
    synchronized (lock) {
      return jobs.stream().map(j -> key(j.namespace(), j.driverPodName())).toList();
    }
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
