package io.sparkk8s;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How many jobs one {@link SparkKubernetes} client submitted and saw end, by outcome: the figures a
 * scheduler reports about itself. A retried job counts once, with its last attempt's end.
 *
 * <pre>{@code
 * JobCounts c = spark.jobCounts();
 * log.info("{} submitted, {} succeeded, {} failed {}", c.submitted(), c.succeeded(), c.failed(),
 *     c.failedByReason());   // {Error=3, OOMKilled=1, StartTimeout=2}
 * }</pre>
 *
 * @param submitted jobs submitted by this client (a submit that attached to an existing job counts
 *     not)
 * @param succeeded jobs this client saw end {@link JobPhase#SUCCEEDED}
 * @param failed jobs this client saw end {@link JobPhase#FAILED}
 * @param failedByReason the failed ones by {@link JobState#reason()}, sorted by reason; bounded:
 *     past 63 distinct reasons (a reason is read from the pod's status, which may say anything)
 *     the rest count under {@code "Other"}
 */
public record JobCounts(long submitted, long succeeded, long failed,
    Map<String, Long> failedByReason) {

  public JobCounts {
    Objects.requireNonNull(failedByReason, "failedByReason");
    failedByReason = java.util.Collections.unmodifiableMap(new TreeMap<>(failedByReason));
  }
}
