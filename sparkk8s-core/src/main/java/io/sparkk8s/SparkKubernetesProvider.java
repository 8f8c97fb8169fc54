package io.sparkk8s;

import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes the client that {@link SparkKubernetesBuilder#connect()} and the factories of {@link
 * SparkKubernetes} return. The SDK ships the one implementation and finds it with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.sparkk8s.SparkKubernetesProvider} in
 * {@code sparkk8s-core}), so that the public API does not import its implementation: a shaded jar
 * must keep that file (Maven's shade plugin and Gradle's shadow plugin copy it as it is). Not for
 * users to implement or call.
 */
public interface SparkKubernetesProvider {

  /**
   * A client calling the API server with {@code calls} and watching with {@code watches} (no read
   * timeout; the same client when the caller passed one).
   */
  SparkKubernetes create(ApiClient calls, ApiClient watches, Settings settings);

  /**
   * What a client is built with besides its connection (see {@link SparkKubernetesBuilder}).
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
