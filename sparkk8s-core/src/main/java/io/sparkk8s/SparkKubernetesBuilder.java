package io.sparkk8s;

import io.kubernetes.client.openapi.ApiClient;
import io.sparkk8s.exception.ClusterUnreachableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
 *     .driverLogArchive(LogArchive.directory(Path.of("/var/log/spark-drivers")))
 *     .connect();
 * }</pre>
 *
 * <p>Not thread-safe; a builder can make several clients.
 */
public final class SparkKubernetesBuilder {
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
  private long logLimit = SparkKubernetesProvider.Settings.DEFAULT_LOG_LIMIT;
  private Duration progressInterval = SparkKubernetesProvider.Settings.DEFAULT_PROGRESS_INTERVAL;

  SparkKubernetesBuilder() {}

  /** Connects with {@code kubeconfig} and one of its contexts (its current one when empty). */
  public SparkKubernetesBuilder kubeconfig(Path kubeconfig, Optional<String> context) {
    this.source = Source.KUBECONFIG;
    this.kubeconfig = Objects.requireNonNull(kubeconfig, "kubeconfig");
    this.context = Objects.requireNonNull(context, "context");
    return this;
  }

  /** Connects with the service account of the pod this code runs in. */
  public SparkKubernetesBuilder inCluster() {
    this.source = Source.IN_CLUSTER;
    return this;
  }

  /**
   * Uses a client the caller configured and keeps owning (see {@link SparkKubernetes#using}: turn
   * off OkHttp's own retries on it).
   */
  public SparkKubernetesBuilder client(ApiClient client) {
    this.source = Source.CALLERS_CLIENT;
    this.client = Objects.requireNonNull(client, "client");
    return this;
  }

  /**
   * How often tokens of exec plugins and OIDC are fetched again (kubeconfig only; default one
   * minute): choose less than the tokens' lifetime.
   */
  public SparkKubernetesBuilder credentialRefresh(Duration every) {
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("credentialRefresh must be positive, was " + every);
    }
    this.credentialRefresh = every;
    return this;
  }

  /** How calls the API server throttles, fails or leaves unanswered are retried. */
  public SparkKubernetesBuilder apiRetry(ApiRetryPolicy apiRetry) {
    this.apiRetry = Objects.requireNonNull(apiRetry, "apiRetry");
    return this;
  }

  /** The key sealing this client's retry records (see {@link RecordKey}). */
  public SparkKubernetesBuilder recordKey(RecordKey recordKey) {
    this.recordKey = Optional.of(recordKey);
    return this;
  }

  /**
   * Keeps the log of every driver that ends in the namespaces the client follows in {@code
   * archive}, so that it outlives the pod (see {@link LogArchive}).
   */
  public SparkKubernetesBuilder driverLogArchive(LogArchive archive) {
    this.logArchive = Optional.of(archive);
    return this;
  }

  /**
   * Deletes the files staged for a job (by {@code DependencyStager.submit} of {@code
   * sparkk8s-storage}) when the job's retention or a caller deletes it (see {@link StagedFiles}).
   */
  public SparkKubernetesBuilder stagedFiles(StagedFiles stagedFiles) {
    this.stagedFiles = Optional.of(stagedFiles);
    return this;
  }

  /**
   * The most of one driver's log that is archived (default 128 MiB); a longer log is cut there,
   * with a last line saying so.
   */
  public SparkKubernetesBuilder driverLogLimit(long bytes) {
    this.logLimit = SparkKubernetesProvider.Settings.checkLogLimit(bytes);
    return this;
  }

  /**
   * How often the progress of a running job with a {@link ProgressListener} is read (default two
   * seconds, at least 200 ms): one call through the API server per job and interval.
   */
  public SparkKubernetesBuilder progressInterval(Duration every) {
    this.progressInterval = SparkKubernetesProvider.Settings.checkProgressInterval(every);
    return this;
  }

  /**
   * Makes the client.
   *
   * @throws ClusterUnreachableException when the configuration cannot be found or read
   */
  public SparkKubernetes connect() {
    var settings = new SparkKubernetesProvider.Settings(apiRetry, recordKey, logArchive, logLimit,
        progressInterval, stagedFiles);
    return switch (source) {
      case STANDARD -> Connections.standard(settings);
      case KUBECONFIG ->
          Connections.fromKubeconfig(kubeconfig, context, credentialRefresh, settings);
      case IN_CLUSTER -> Connections.inCluster(settings);
      case CALLERS_CLIENT -> Connections.using(client, settings);
    };
  }
}
