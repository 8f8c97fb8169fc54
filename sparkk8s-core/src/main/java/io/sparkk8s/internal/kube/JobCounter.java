package io.sparkk8s.internal.kube;

import io.sparkk8s.JobCounts;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The client's running totals: drivers created, jobs succeeded, jobs failed by reason. */
final class JobCounter {
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong succeeded = new AtomicLong();
  /**
   * Failed jobs by reason. A reason is the SDK's own or the kubelet's word, as read from the pod's
   * status, which whoever may write pod status can set to anything: past {@link #MAX_REASONS}
   * distinct reasons the rest are counted under {@link #OTHER}, so the map stays bounded.
   */
  private final Map<String, Long> failedByReason = new ConcurrentHashMap<>();

  static final int MAX_REASONS = 64;
  static final String OTHER = "Other";

  /** A job was submitted (a retried job once, whatever its attempts; attaching counts not). */
  void submitted() {
    submitted.incrementAndGet();
  }

  void ended(JobState end) {
    if (end.phase() == JobPhase.SUCCEEDED) {
      succeeded.incrementAndGet();
    } else {
      String reason = end.reason();
      if (!failedByReason.containsKey(reason) && failedByReason.size() >= MAX_REASONS - 1) {
        reason = OTHER;
      }
      failedByReason.merge(reason, 1L, Long::sum);
    }
  }

  JobCounts counts() {
    Map<String, Long> failed = new HashMap<>(failedByReason);
    return new JobCounts(submitted.get(), succeeded.get(),
        failed.values().stream().mapToLong(Long::longValue).sum(), failed);
  }
}
