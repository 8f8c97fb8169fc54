package io.sparkk8s.testing;

import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;

/** A scripted job's metrics, as its changes would have timed them on a cluster. */
final class ScriptedMetrics {
  private ScriptedMetrics() {}

  /**
   * The handle's metrics as the real client would read them, at the moments of the scripted
   * changes: scheduled and running when it first runs, the first executor when executors first
   * appear, finished at the end (only for a driver that ran, as a pod that never started has no
   * end time).
   */
  static io.sparkk8s.JobMetrics timed(io.sparkk8s.JobMetrics m, JobState from, JobState to) {
    java.time.Instant at = to.observedAt();
    boolean runs = to.phase() == JobPhase.RUNNING || m.driverRunningAt().isPresent();
    return io.sparkk8s.JobMetrics.of(m.submittedAt().orElse(null),
        m.driverScheduledAt().orElse(runs ? at : null),
        m.driverRunningAt().orElse(to.phase() == JobPhase.RUNNING ? at : null),
        m.firstExecutorAt().orElse(to.liveExecutors() > 0 ? at : null),
        m.finishedAt().orElse(to.phase().isFinal() && runs && to.exitCode().isPresent() ? at : null));
  }
}
