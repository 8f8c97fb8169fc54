package io.sparkk8s.internal.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.sparkk8s.ClientDiagnostics;
import io.sparkk8s.ClusterCapacity;
import io.sparkk8s.DeployOptions;
import io.sparkk8s.DeployResult;
import io.sparkk8s.JobCounts;
import io.sparkk8s.NotebookCredentials;
import io.sparkk8s.OnConflict;
import io.sparkk8s.PlatformStatus;
import io.sparkk8s.PreflightReport;
import io.sparkk8s.SparkCompiler;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.spec.SparkPlatform;
import io.sparkk8s.storage.StorageBackend;
import java.time.Duration;
import java.util.List;

/**
 * The SDK's client on client-java, a facade over its parts: {@link Submitter} and
 * {@link RetriedJobs} start jobs, {@link JobFinder} finds them, {@link JobRuntime} follows them
 * (one shared watch per namespace, policies on timers), {@link PlatformDeployer},
 * {@link DriverAccounts} and {@link StorageProvisioner} make platforms and their rights. The
 * structure page of the site draws how a submit flows through them.
 */
public final class KubeSparkClient implements SparkKubernetes {
  private final ApiClient api;
  private final CoreV1Api core;
  private final JobRuntime runtime;
  private final Submitter submitter;
  private final JobFinder finder;
  private final CapacityReader capacity;

  KubeSparkClient(ApiClient api, ApiClient watchApi, SparkKubernetes.Provider.Settings settings) {
    this.api = api;
    this.core = new CoreV1Api(api);
    // Which retry records read back from the cluster this client obeys: see RecordTrust.
    this.runtime = new JobRuntime(api, watchApi, settings, new RecordTrust(settings.recordKey()));
    this.submitter = new Submitter(runtime);
    this.finder = new JobFinder(runtime, core);
    this.capacity = new CapacityReader(api);
  }

  @Override
  public PreflightReport preflight(SparkJob job) {
    runtime.ensureOpen();
    return new Preflight(api).check(SparkCompiler.compile(job));
  }

  @Override
  public SparkJobHandle submit(SparkJob job, OnConflict onConflict) {
    runtime.ensureOpen();
    if (onConflict == OnConflict.NEW_RUN) {
      return submit(job.withAppId(SparkJob.newAppId()), OnConflict.FAIL);
    }
    if (job.retryPolicy().filter(p -> p.maxAttempts() > 1).isPresent()) {
      return runtime.retried.submit(job, SparkCompiler.compile(job), onConflict);
    }
    return submitter.submit(job, onConflict);
  }

  @Override
  public SparkJobHandle attach(String namespace, String driverPodName) {
    runtime.ensureOpen();
    return finder.attach(namespace, driverPodName);
  }

  @Override
  public List<SparkJobHandle> list(String namespace, String labelSelector) {
    runtime.ensureOpen();
    return finder.list(namespace, labelSelector);
  }

  @Override
  public ClusterCapacity capacity() {
    runtime.ensureOpen();
    return capacity.read();
  }

  @Override
  public JobCounts jobCounts() {
    return runtime.counter.counts();
  }

  // ---- rights, storage and platforms ------------------------------------------------------

  @Override
  public void ensureDriverServiceAccount(String namespace, String name) {
    runtime.ensureOpen();
    new DriverAccounts(api, runtime.retry).ensure(namespace, name);
  }

  @Override
  public void ensureStorage(String namespace, StorageBackend backend) {
    runtime.ensureOpen();
    new StorageProvisioner(core).ensure(namespace, backend);
  }

  @Override
  public DeployResult deploy(SparkPlatform platform, DeployOptions options) {
    return platforms().deploy(platform, options);
  }

  @Override
  public PlatformStatus status(SparkPlatform platform) {
    return platforms().status(platform);
  }

  @Override
  public PlatformStatus awaitReady(SparkPlatform platform, Duration timeout) {
    return platforms().awaitReady(platform, timeout);
  }

  @Override
  public void teardown(SparkPlatform platform) {
    platforms().teardown(platform, false);
  }

  @Override
  public void teardownAndDeleteClaims(SparkPlatform platform) {
    platforms().teardown(platform, true);
  }

  @Override
  public String notebookToken(SparkPlatform platform, String notebook) {
    return platforms().notebookToken(platform, notebook);
  }

  @Override
  public NotebookCredentials notebookCredentials(SparkPlatform platform, String notebook) {
    return platforms().notebookCredentials(platform, notebook);
  }

  private PlatformDeployer platforms() {
    runtime.ensureOpen();
    return new PlatformDeployer(api);
  }

  // ---- diagnostics ------------------------------------------------------------------------

  @Override
  public ClientDiagnostics diagnostics() {
    return runtime.tracker.diagnostics(runtime.retry.stats());
  }

  @Override
  public void close() {
    runtime.close();
  }
}
