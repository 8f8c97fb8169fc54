package io.sparkk8s;

import io.kubernetes.client.openapi.ApiClient;
import io.sparkk8s.SparkJobHandle.ProgressListener;
import io.sparkk8s.exception.ClusterUnreachableException;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.ForbiddenException;
import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.exception.NotFoundException;
import io.sparkk8s.exception.SparkK8sException;
import io.sparkk8s.spec.SparkJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The entry point: submits jobs to a Kubernetes cluster and finds them again. One instance serves
 * any number of jobs through one shared watch per namespace; close it when done.
 *
 * <pre>{@code
 * try (SparkKubernetes spark = SparkKubernetes.connect()) {
 *   SparkJobHandle job = spark.submit(pi);
 *   JobState end = job.awaitCompletion(Duration.ofMinutes(10));
 * }
 * }</pre>
 *
 * <p>It is an interface so that code which launches jobs can be unit-tested with a Mockito mock
 * or with {@code io.sparkk8s.testing.InMemorySparkKubernetes}.
 */
public interface SparkKubernetes extends AutoCloseable {

  /**
   * Connects as {@code kubectl} would: {@code $KUBECONFIG}, then {@code ~/.kube/config} with its
   * current context, then the pod's service account when running in a cluster. Credentials that
   * expire (exec plugins such as {@code gke-gcloud-auth-plugin}, OIDC) are fetched again every
   * minute.
   *
   * @throws ClusterUnreachableException when no configuration can be found or read
   */
  static SparkKubernetes connect() {
    return builder().connect();
  }

  /**
   * A builder for every other choice: where to connect, API retries, the record key, a driver log
   * archive ({@link Builder}).
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * As {@link #connect()}, with the key that seals this client's retry records and lets it
   * continue the retries of jobs that other clients holding the same key submitted (see {@link
   * RecordKey}).
   */
  static SparkKubernetes connect(RecordKey recordKey) {
    return builder().recordKey(recordKey).connect();
  }

  /**
   * Connects with a kubeconfig file and one of its contexts (its current one when empty). Tokens
   * from exec plugins and OIDC are fetched again every minute.
   */
  static SparkKubernetes fromKubeconfig(Path kubeconfig, Optional<String> context) {
    return builder().kubeconfig(kubeconfig, context).connect();
  }

  /**
   * As {@link #fromKubeconfig(Path, Optional)}, fetching tokens from exec plugins and OIDC every
   * {@code credentialRefresh}: choose less than the tokens' lifetime. The client renews tokens on
   * this schedule, not after a rejected call.
   */
  static SparkKubernetes fromKubeconfig(Path kubeconfig, Optional<String> context,
      Duration credentialRefresh) {
    return builder().kubeconfig(kubeconfig, context).credentialRefresh(credentialRefresh)
        .connect();
  }

  /**
   * As {@link #fromKubeconfig(Path, Optional, Duration)}, retrying calls the API server throttles
   * (429), fails (5xx) or does not answer as {@code apiRetry} says instead of {@link
   * ApiRetryPolicy#defaults()}.
   */
  static SparkKubernetes fromKubeconfig(Path kubeconfig, Optional<String> context,
      Duration credentialRefresh, ApiRetryPolicy apiRetry) {
    return builder().kubeconfig(kubeconfig, context).credentialRefresh(credentialRefresh)
        .apiRetry(apiRetry).connect();
  }

  /**
   * As {@link #fromKubeconfig(Path, Optional, Duration, ApiRetryPolicy)}, with the key that seals
   * this client's retry records and lets it continue the retries of jobs that other clients
   * holding the same key submitted. Without it, a client follows such jobs read only.
   */
  static SparkKubernetes fromKubeconfig(Path kubeconfig, Optional<String> context,
      Duration credentialRefresh, ApiRetryPolicy apiRetry, RecordKey recordKey) {
    return builder().kubeconfig(kubeconfig, context).credentialRefresh(credentialRefresh)
        .apiRetry(apiRetry).recordKey(recordKey).connect();
  }

  /** Connects with the service account of the pod this code runs in. */
  static SparkKubernetes inCluster() {
    return builder().inCluster().connect();
  }

  /** As {@link #inCluster()}, with a {@link RecordKey} (see {@link #connect(RecordKey)}). */
  static SparkKubernetes inCluster(RecordKey recordKey) {
    return builder().inCluster().recordKey(recordKey).connect();
  }

  /**
   * Uses a client the caller configured; the caller keeps owning it. Calls are retried by {@link
   * ApiRetryPolicy#defaults()}; turn off OkHttp's own retries ({@code retryOnConnectionFailure})
   * on that client, or a create whose answer was lost may be sent again unchecked.
   */
  static SparkKubernetes using(ApiClient client) {
    return builder().client(client).connect();
  }

  /** As {@link #using(ApiClient)}, retrying as {@code apiRetry} says. */
  static SparkKubernetes using(ApiClient client, ApiRetryPolicy apiRetry) {
    return builder().client(client).apiRetry(apiRetry).connect();
  }

  /**
   * As {@link #using(ApiClient, ApiRetryPolicy)}, with a {@link RecordKey} (see {@link
   * #connect(RecordKey)}).
   */
  static SparkKubernetes using(ApiClient client, ApiRetryPolicy apiRetry, RecordKey recordKey) {
    return builder().client(client).apiRetry(apiRetry).recordKey(recordKey)
        .connect();
  }

  /**
   * Submits with {@link OnConflict#ATTACH}: a retried submit returns the same job, never a second
   * driver. The application id is derived from the description unless set, so the same
   * description submitted again after its run ended returns a handle to that ended run; start
   * another run with {@code submit(job, OnConflict.NEW_RUN)}, or give each run its own id with
   * {@code job.withAppId(SparkJob.newAppId())}.
   */
  default SparkJobHandle submit(SparkJob job) {
    return submit(job, OnConflict.ATTACH);
  }

  /**
   * Compiles and creates the job's objects in Spark's order: the driver pod, then the Service and
   * ConfigMaps owned by it, so that deleting the driver deletes everything.
   *
   * @throws InvalidDescriptionException never for a built description (it was checked then)
   * @throws ConflictException when the driver exists and {@code onConflict} does not allow it
   * @throws ForbiddenException when the credentials may not create pods, services or configmaps
   * @throws ClusterUnreachableException when the API server does not answer within the client's
   *     {@link ApiRetryPolicy}
   */
  SparkJobHandle submit(SparkJob job, OnConflict onConflict);

  /**
   * A handle to a job submitted earlier, by this or another process. Never creates or deletes
   * anything by itself: a job with a retry policy continues its retries only when this client
   * wrote its record or holds the {@link RecordKey} that sealed it; otherwise it is followed read
   * only (see {@link RecordKey}).
   *
   * @throws NotFoundException when no driver pod of that name exists
   */
  SparkJobHandle attach(String namespace, String driverPodName);

  /**
   * Handles to every job whose driver pod matches {@code labelSelector} (Kubernetes syntax, for
   * example {@code team=data}; empty for all) in {@code namespace}. Creates and deletes nothing by
   * itself; retried jobs are continued as {@link #attach} says.
   */
  List<SparkJobHandle> list(String namespace, String labelSelector);

  /**
   * Ensures the ServiceAccount {@code name}, a Role with the least rights a Spark driver needs in
   * {@code namespace} (pods: create, get, list, watch, delete, deletecollection, patch; services,
   * configmaps and persistentvolumeclaims: create, get, list, watch, delete, deletecollection),
   * and a RoleBinding between them. Never a ClusterRole. Idempotent; a widened Role is narrowed
   * back.
   */
  void ensureDriverServiceAccount(String namespace, String name);

  /**
   * Ensures what {@code backend} needs on the cluster before jobs in {@code namespace} use it,
   * once, as an administrator would: for an {@link io.sparkk8s.storage.NfsStorage} export a
   * PersistentVolume (reclaim policy {@code Retain}, pre-bound, which needs the right to create
   * PersistentVolumes) and its ReadWriteMany claim; for an existing claim, a check that it exists.
   * Object stores and HDFS need nothing. Idempotent; nothing is ever deleted by a job.
   *
   * @throws NotFoundException when the backend names a claim that does not exist
   * @throws ConflictException when a volume of the same name points elsewhere
   */
  void ensureStorage(String namespace, io.sparkk8s.storage.StorageBackend backend);

  /**
   * Creates or updates every object of {@code platform} with server-side apply (field manager
   * {@code sparkk8s}), so only what changed is written; deletes objects of the release that the
   * description no longer has. Notebook claims are created when missing and otherwise kept as
   * they are, so a redeploy after {@link #teardown} mounts the same notebooks. Token Secrets are
   * created once with a random token (Zeppelin's login: a random password and the {@code
   * shiro.ini} holding its hash).
   *
   * @throws ForbiddenException when the caller may not manage Deployments, Services, Roles... in
   *     the namespace
   */
  default DeployResult deploy(io.sparkk8s.spec.SparkPlatform platform) {
    return deploy(platform, DeployOptions.defaults());
  }

  /**
   * {@link #deploy(io.sparkk8s.spec.SparkPlatform)}, or with {@link DeployOptions#dryRun()} the
   * same requests as a server-side dry run ({@code dryRun=All}): the API server validates and
   * admits every object, the Deployments' pods included, and writes nothing; the result says
   * what would be created, updated and deleted. Useful in CI, against the real cluster.
   *
   * @throws KubernetesApiException when the API server refuses an object (for example a pod that
   *     breaks the namespace's Pod Security level), with its kind, name and the server's reason
   * @throws ForbiddenException when the caller may not manage Deployments, Services, Roles... in
   *     the namespace
   */
  DeployResult deploy(io.sparkk8s.spec.SparkPlatform platform, DeployOptions options);

  /** Where each service of {@code platform} stands, read from the cluster. */
  PlatformStatus status(io.sparkk8s.spec.SparkPlatform platform);

  /**
   * Waits until every service of {@code platform} is ready.
   *
   * @throws SparkK8sException when {@code timeout} passes first, with each service's reason
   */
  PlatformStatus awaitReady(io.sparkk8s.spec.SparkPlatform platform, java.time.Duration timeout);

  /**
   * Deletes every object of {@code platform} except its PersistentVolumeClaims, which hold users'
   * notebooks: a later {@link #deploy} rebinds them. Idempotent.
   */
  void teardown(io.sparkk8s.spec.SparkPlatform platform);

  /** {@link #teardown} that also deletes the notebooks' claims, and with them users' notebooks. */
  void teardownAndDeleteClaims(io.sparkk8s.spec.SparkPlatform platform);

  /**
   * The token of notebook {@code notebook} (for Zeppelin, the {@code admin} password), read from
   * its Secret, for the caller to hand to its user. Never logged by the SDK. See {@link
   * #notebookCredentials} for the user name too.
   *
   * @throws NotFoundException when the platform is not deployed or the notebook has no token
   */
  String notebookToken(io.sparkk8s.spec.SparkPlatform platform, String notebook);

  /**
   * What a user needs to log in to notebook {@code notebook}: Jupyter's token, or Zeppelin's user
   * ({@code admin}) and password, read from its Secret. Never logged by the SDK.
   *
   * @throws NotFoundException when the platform is not deployed or the notebook has no credential
   */
  NotebookCredentials notebookCredentials(io.sparkk8s.spec.SparkPlatform platform, String notebook);
  /**
   * Checks, before anything is created, that what the job's pods would reference exists and is
   * usable: service accounts, Secrets and the keys used of them, ConfigMaps, claims (bound, or
   * bindable by their storage class), image pull Secrets, the priority class, an image with pull
   * policy {@code Never} already on a node, and room for the driver pod in the namespace's
   * ResourceQuotas (executors are asked for by Spark at run time and are not counted). Every
   * problem is returned at once; nothing is created or changed. Reads the credentials may not
   * make are listed in {@link PreflightReport#unchecked()}.
   */
  PreflightReport preflight(io.sparkk8s.spec.SparkJob job);

  /**
   * How much room the cluster has for more drivers, read now from the API server in one attempt
   * (no retries): schedulable nodes' free CPU and memory, pending pods, ResourceQuotas. A {@link
   * io.sparkk8s.fleet.SparkFleet} places jobs by it. Needs the rights to list nodes, pods and
   * ResourceQuotas in every namespace; without them the result is {@link ClusterCapacity#unknown}
   * with the reason. This default, for implementations that cannot read it, is unknown.
   *
   * @throws ClusterUnreachableException when the API server does not answer
   */
  default ClusterCapacity capacity() {
    return ClusterCapacity.unknown(getClass().getSimpleName() + " does not read capacity",
        java.time.Instant.now());
  }

  /** How many jobs this client submitted and saw end, by outcome, since it was made. */
  JobCounts jobCounts();

  /**
   * What this client holds now: handles of jobs that have not ended, handles of ended jobs the
   * caller still references, and its namespace watches with what they did. A long-running service
   * can export these to see that the client stays bounded.
   */
  ClientDiagnostics diagnostics();

  /** Stops the watches and the notification thread. Jobs keep running on the cluster. */
  @Override
  void close();

  /**
   * Builds a {@link SparkKubernetes} client: where it connects (as {@code kubectl} would by default,
   * a kubeconfig and context, the pod's service account, or a caller's {@link ApiClient}) and what
   * it is built with. Every setting is optional; {@link #connect()} makes the client.
   *
   * <pre>{@code
   * SparkKubernetes spark = SparkKubernetes.builder()
   *     .kubeconfig(Path.of("/etc/spark/gke.kubeconfig"), Optional.of("prod-eu"))
   *     .apiRetry(ApiRetryPolicy.defaults())
   *     .recordKey(RecordKey.fromBase64(System.getenv("SPARKK8S_RECORD_KEY")))
   *     .driverLogArchive(DirectoryLogArchive.at(Path.of("/var/log/spark-drivers")))
   *     .connect();
   * }</pre>
   *
   * <p>Not thread-safe; a builder can make several clients.
   */
  final class Builder {
    private enum Source { STANDARD, KUBECONFIG, IN_CLUSTER, CALLERS_CLIENT }

    private Source source = Source.STANDARD;
    private Path kubeconfig;
    private Optional<String> context = Optional.empty();
    private ApiClient client;
    private Duration credentialRefresh = Connections.CREDENTIAL_REFRESH;
    private ApiRetryPolicy apiRetry = ApiRetryPolicy.defaults();
    private Optional<RecordKey> recordKey = Optional.empty();
    private Optional<LogArchive> logArchive = Optional.empty();
    private Optional<StagedFiles> stagedFiles = Optional.empty();
    private long logLimit = Provider.Settings.DEFAULT_LOG_LIMIT;
    private Duration progressInterval = Provider.Settings.DEFAULT_PROGRESS_INTERVAL;

    Builder() {}

    /** Connects with {@code kubeconfig} and one of its contexts (its current one when empty). */
    public Builder kubeconfig(Path kubeconfig, Optional<String> context) {
      this.source = Source.KUBECONFIG;
      this.kubeconfig = Objects.requireNonNull(kubeconfig, "kubeconfig");
      this.context = Objects.requireNonNull(context, "context");
      return this;
    }

    /** Connects with the service account of the pod this code runs in. */
    public Builder inCluster() {
      this.source = Source.IN_CLUSTER;
      return this;
    }

    /**
     * Uses a client the caller configured and keeps owning (see {@link SparkKubernetes#using}: turn
     * off OkHttp's own retries on it).
     */
    public Builder client(ApiClient client) {
      this.source = Source.CALLERS_CLIENT;
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * How often tokens of exec plugins and OIDC are fetched again (kubeconfig only; default one
     * minute): choose less than the tokens' lifetime.
     */
    public Builder credentialRefresh(Duration every) {
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("credentialRefresh must be positive, was " + every);
      }
      this.credentialRefresh = every;
      return this;
    }

    /** How calls the API server throttles, fails or leaves unanswered are retried. */
    public Builder apiRetry(ApiRetryPolicy apiRetry) {
      this.apiRetry = Objects.requireNonNull(apiRetry, "apiRetry");
      return this;
    }

    /** The key sealing this client's retry records (see {@link RecordKey}). */
    public Builder recordKey(RecordKey recordKey) {
      this.recordKey = Optional.of(recordKey);
      return this;
    }

    /**
     * Keeps the log of every driver that ends in the namespaces the client follows in {@code
     * archive}, so that it outlives the pod (see {@link LogArchive}).
     */
    public Builder driverLogArchive(LogArchive archive) {
      this.logArchive = Optional.of(archive);
      return this;
    }

    /**
     * Deletes the files staged for a job (by {@code DependencyStager.submit} of {@code
     * sparkk8s-storage}) when the job's retention or a caller deletes it (see {@link StagedFiles}).
     */
    public Builder stagedFiles(StagedFiles stagedFiles) {
      this.stagedFiles = Optional.of(stagedFiles);
      return this;
    }

    /**
     * The most of one driver's log that is archived (default 128 MiB); a longer log is cut there,
     * with a last line saying so.
     */
    public Builder driverLogLimit(long bytes) {
      this.logLimit = Provider.Settings.checkLogLimit(bytes);
      return this;
    }

    /**
     * How often the progress of a running job with a {@link ProgressListener} is read (default two
     * seconds, at least 200 ms): one call through the API server per job and interval.
     */
    public Builder progressInterval(Duration every) {
      this.progressInterval = Provider.Settings.checkProgressInterval(every);
      return this;
    }

    /**
     * Makes the client.
     *
     * @throws ClusterUnreachableException when the configuration cannot be found or read
     */
    public SparkKubernetes connect() {
      var settings = new Provider.Settings(apiRetry, recordKey, logArchive, logLimit,
          progressInterval, stagedFiles);
      Provider provider = provider();
      Connections.Clients clients = switch (source) {
        case STANDARD -> Connections.standard();
        case KUBECONFIG -> Connections.fromKubeconfig(kubeconfig, context, credentialRefresh);
        case IN_CLUSTER -> Connections.inCluster();
        case CALLERS_CLIENT -> Connections.using(client);
      };
      return provider.create(clients.calls(), clients.watches(), settings);
    }

    /** The SDK's provider, looked for once, on first use. */
    private static final class Found {
      private static final Optional<Provider> PROVIDER = ServiceProviders.find(Provider.class);
    }

    /**
     * The SDK's provider.
     *
     * @throws SparkK8sException when none is on the class path (a shaded jar without
     *     sparkk8s-core's service file)
     */
    private static Provider provider() {
      return ServiceProviders.require(Found.PROVIDER, Provider.class);
    }
  }

  /**
   * Makes the client that {@link Builder#connect()} and the factories of {@link
   * SparkKubernetes} return. The SDK ships the one implementation and finds it with {@link
   * java.util.ServiceLoader} ({@code META-INF/services/io.sparkk8s.SparkKubernetes$Provider} in
   * {@code sparkk8s-core}), so that the public API does not import its implementation: a shaded jar
   * must keep that file (Maven's shade plugin and Gradle's shadow plugin copy it as it is). Not for
   * users to implement or call.
   */
  interface Provider {

    /**
     * A client calling the API server with {@code calls} and watching with {@code watches} (no read
     * timeout; the same client when the caller passed one).
     */
    SparkKubernetes create(ApiClient calls, ApiClient watches, Settings settings);

    /**
     * What a client is built with besides its connection (see {@link Builder}).
     *
     * @param apiRetry how calls the API server throttles, fails or leaves unanswered are retried
     * @param recordKey the key sealing retry records, if any
     * @param logArchive where ended drivers' logs are kept, if anywhere
     * @param logLimitBytes the most of one driver log archived
     * @param progressInterval how often a running job's progress is read for its progress listeners
     * @param stagedFiles where files staged for jobs are deleted with them, if anywhere
     */
    record Settings(ApiRetryPolicy apiRetry, Optional<RecordKey> recordKey,
        Optional<LogArchive> logArchive, long logLimitBytes, Duration progressInterval,
        Optional<StagedFiles> stagedFiles) {

      /** 128 MiB: a day of a chatty driver at INFO; the API server cuts the rest. */
      public static final long DEFAULT_LOG_LIMIT = 128L << 20;
      /** Two seconds: Spark's own UI refreshes no faster. */
      public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(2);
      /** The shortest progress interval: each read is a call through the API server. */
      public static final Duration MIN_PROGRESS_INTERVAL = Duration.ofMillis(200);

      /** Checks every setting, naming the one refused. */
      public Settings {
        Objects.requireNonNull(apiRetry, "apiRetry");
        Objects.requireNonNull(recordKey, "recordKey");
        Objects.requireNonNull(logArchive, "logArchive");
        Objects.requireNonNull(stagedFiles, "stagedFiles");
        checkProgressInterval(progressInterval);
        checkLogLimit(logLimitBytes);
      }

      static Duration checkProgressInterval(Duration every) {
        if (every.compareTo(MIN_PROGRESS_INTERVAL) < 0) {
          throw new IllegalArgumentException("progressInterval must be at least "
              + MIN_PROGRESS_INTERVAL + " (each read is a call through the API server), was " + every);
        }
        return every;
      }

      static long checkLogLimit(long bytes) {
        if (bytes < 1) {
          throw new IllegalArgumentException("driverLogLimit must be at least 1 byte, was " + bytes);
        }
        return bytes;
      }
    }
  }
}
