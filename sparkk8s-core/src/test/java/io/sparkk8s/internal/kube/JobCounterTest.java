package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.JobCounts;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobReasons;
import io.sparkk8s.JobState;
import org.junit.jupiter.api.Test;

class JobCounterTest {
  @Test
  void countsSubmittedSucceededAndFailedByReason() {
    JobCounter c = new JobCounter();
    c.submitted();
    c.submitted();
    c.submitted();
    c.ended(JobState.of(JobPhase.SUCCEEDED, "Completed"));
    c.ended(JobState.of(JobPhase.FAILED, JobReasons.KILLED));
    c.ended(JobState.of(JobPhase.FAILED, JobReasons.KILLED));
    JobCounts counts = c.counts();
    assertThat(counts.submitted()).isEqualTo(3);
    assertThat(counts.succeeded()).isEqualTo(1);
    assertThat(counts.failed()).isEqualTo(2);
    assertThat(counts.failedByReason()).containsExactlyEntriesOf(
        java.util.Map.of(JobReasons.KILLED, 2L));
  }

  /**
   * A failed job's reason may be read from a pod status anyone with that right wrote: 100,000
   * distinct reasons keep the map at its bound, every failure still counted.
   */
  @Test
  void distinctReasonsPastTheBoundAreCountedAsOther() {
    JobCounter c = new JobCounter();
    int jobs = 100_000;
    for (int i = 0; i < jobs; i++) {
      c.ended(JobState.of(JobPhase.FAILED, "Planted" + i));
    }
    JobCounts counts = c.counts();
    assertThat(counts.failedByReason()).hasSize(JobCounter.MAX_REASONS);
    assertThat(counts.failed()).isEqualTo(jobs);
    assertThat(counts.failedByReason().get(JobCounter.OTHER))
        .isEqualTo(jobs - (JobCounter.MAX_REASONS - 1L));
    assertThat(counts.failedByReason()).containsEntry("Planted0", 1L);
  }
}
