package io.sparkk8s;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one {@link SparkKubernetes} client holds right now: the figures to watch in a service that
 * keeps one client for months. A client holds the handle of every job that has not ended (its
 * watch updates it); the handle of an ended job only while the caller still references it; and a
 * watch (with its threads) of a namespace only while a job there has not ended, and a short while
 * after, so a burst of submits reuses it.
 *
 * <pre>{@code
 * ClientDiagnostics d = spark.diagnostics();
 * metrics.gauge("spark.jobs.tracked", d.trackedJobs());
 * metrics.gauge("spark.namespaces.watched", d.watches().size());
 * }</pre>
 *
 * @param trackedJobs handles of jobs that have not ended
 * @param endedJobsHeld handles of ended jobs still referenced by the caller (a handle nobody
 *     references is dropped by the garbage collector, and not counted)
 * @param watches each watched namespace and what its watch did, sorted by namespace
 * @param apiCalls what the client's retries of its calls to the API server did since it started
 *     ({@link ApiRetryPolicy}): a rising {@code throttled} or {@code unreachable} is the first
 *     sign of an API server in trouble
 */
public record ClientDiagnostics(int trackedJobs, int endedJobsHeld,
    Map<String, WatchStats> watches, ApiCalls apiCalls) {

  public ClientDiagnostics {
    Objects.requireNonNull(watches, "watches");
    Objects.requireNonNull(apiCalls, "apiCalls");
    watches = java.util.Collections.unmodifiableMap(new TreeMap<>(watches));
  }

  /**
   * What the watch of one namespace did since it was opened.
   *
   * @param lists lists of the namespace's Spark pods (the first and every relist)
   * @param watches watches started (a watch ends after a few minutes and is started again)
   * @param expired lists after a watch expired (HTTP 410 Gone: the API server no longer had the
   *     point the watch would resume from)
   * @param failures calls of the watch that failed (refused, broken, or answered with an error)
   */
  public record WatchStats(long lists, long watches, long expired, long failures) {}

  /**
   * What the retries of the client's calls did since it started ({@link ApiRetryPolicy}).
   *
   * @param retries attempts after the first
   * @param throttled answers 429 Too Many Requests
   * @param serverErrors answers 5xx
   * @param unreachable attempts with no answer (refused, reset, timed out)
   * @param adopted creates whose retry found the object a lost attempt had made
   * @param exhausted calls that failed after the policy's last attempt or time
   */
  public record ApiCalls(long retries, long throttled, long serverErrors, long unreachable,
      long adopted, long exhausted) {
    /** No call retried (the test kit's client, or a client that has made no call). */
    public static final ApiCalls NONE = new ApiCalls(0, 0, 0, 0, 0, 0);
  }
}
