package io.sparkk8s.internal.kube;

import io.sparkk8s.ApiRetryPolicy;
import io.sparkk8s.LogArchive;
import io.sparkk8s.RecordKey;
import io.sparkk8s.StagedFiles;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client is built with besides its connection (see {@link io.sparkk8s.SparkKubernetesBuilder}).
 *
 * @param apiRetry how calls the API server throttles, fails or leaves unanswered are retried
 * @param recordKey the key sealing retry records, if any
 * @param logArchive where ended drivers' logs are kept, if anywhere
 * @param logLimitBytes the most of one driver log archived
 * @param progressInterval how often a running job's progress is read for its progress listeners
 * @param stagedFiles where files staged for jobs are deleted with them, if anywhere
 */
public record ClientSettings(ApiRetryPolicy apiRetry, Optional<RecordKey> recordKey,
    Optional<LogArchive> logArchive, long logLimitBytes, java.time.Duration progressInterval,
    Optional<StagedFiles> stagedFiles) {

  /** 128 MiB: a day of a chatty driver at INFO; the API server cuts the rest. */
  public static final long DEFAULT_LOG_LIMIT = 128L << 20;
  /** Two seconds: Spark's own UI refreshes no faster. */
  public static final java.time.Duration DEFAULT_PROGRESS_INTERVAL = java.time.Duration.ofSeconds(2);
  public static final java.time.Duration MIN_PROGRESS_INTERVAL = java.time.Duration.ofMillis(200);

  public ClientSettings {
    Objects.requireNonNull(apiRetry, "apiRetry");
    Objects.requireNonNull(recordKey, "recordKey");
    Objects.requireNonNull(logArchive, "logArchive");
    Objects.requireNonNull(stagedFiles, "stagedFiles");
    checkProgressInterval(progressInterval);
    checkLogLimit(logLimitBytes);
  }

  /** Refuses a progress interval under {@link #MIN_PROGRESS_INTERVAL}, naming the setting. */
  public static java.time.Duration checkProgressInterval(java.time.Duration every) {
    if (every.compareTo(MIN_PROGRESS_INTERVAL) < 0) {
      throw new IllegalArgumentException("progressInterval must be at least "
          + MIN_PROGRESS_INTERVAL + " (each read is a call through the API server), was " + every);
    }
    return every;
  }

  /** Refuses a driver log limit under one byte, naming the setting. */
  public static long checkLogLimit(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("driverLogLimit must be at least 1 byte, was " + bytes);
    }
    return bytes;
  }

  /** The defaults with {@code apiRetry} and {@code recordKey}. */
  public static ClientSettings of(ApiRetryPolicy apiRetry, Optional<RecordKey> recordKey) {
    return new ClientSettings(apiRetry, recordKey, Optional.empty(), DEFAULT_LOG_LIMIT,
        DEFAULT_PROGRESS_INTERVAL, Optional.empty());
  }
}
