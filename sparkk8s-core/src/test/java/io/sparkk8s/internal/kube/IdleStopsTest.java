package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts of idle stops: reading Spark's jobs, the timeout, and how the job ends. */
class IdleStopsTest {
  // The shape of Spark's /api/v1/applications/<id>/jobs (JobData), newest first.
  private static final String JOBS = "[{\"jobId\":1,\"name\":\"collect at <stdin>:1\","
      + "\"submissionTime\":\"2026-11-23T10:05:00.100GMT\",\"completionTime\":"
      + "\"2026-11-23T10:05:02.250GMT\",\"stageIds\":[1],\"status\":\"SUCCEEDED\","
      + "\"numTasks\":4},{\"jobId\":0,\"name\":\"collect at <stdin>:1\",\"submissionTime\":"
      + "\"2026-11-23T10:01:00.000GMT\",\"completionTime\":\"2026-11-23T10:01:03.000GMT\","
      + "\"stageIds\":[0],\"status\":\"FAILED\",\"numTasks\":1}]";

  @Test
  void aServerIsIdleSinceItsLastJobEnded() {
    IdleStops.Activity a = IdleStops.activity(JOBS);
    assertThat(a.busy()).isFalse();
    assertThat(a.lastJobEnded()).contains(Instant.parse("2026-11-23T10:05:02.250Z"));
  }

  @Test
  void aRunningJobMakesItBusy() {
    IdleStops.Activity a = IdleStops.activity("[{\"jobId\":2,\"submissionTime\":"
        + "\"2026-11-23T10:06:00.000GMT\",\"status\":\"RUNNING\"}]");
    assertThat(a.busy()).isTrue();
    assertThat(a.lastJobEnded()).contains(Instant.parse("2026-11-23T10:06:00Z"));
  }

  @Test
  void noJobsIsIdleSinceTheStart() {
    IdleStops.Activity a = IdleStops.activity("[]");
    assertThat(a.busy()).isFalse();
    assertThat(a.lastJobEnded()).isEmpty();
  }

  @Test
  void checksComeEveryQuarterTimeoutWithinBounds() {
    assertThat(IdleStops.interval(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(2_500));
    assertThat(IdleStops.interval(Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(2));
    assertThat(IdleStops.interval(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
  }

  private static V1Pod annotated(V1Pod pod, String key, String value) {
    V1Pod copy = io.kubernetes.client.openapi.JSON.deserialize(
        io.kubernetes.client.openapi.JSON.serialize(pod), V1Pod.class);
    copy.getMetadata().putAnnotationsItem(key, value);
    return copy;
  }

  @Test
  void aMalformedOrMissingTimeoutKeepsTheServer() {
    assertThat(IdleStops.timeoutOf(DriverStatesTest.RUNNING)).isEmpty();
    assertThat(IdleStops.timeoutOf(annotated(DriverStatesTest.RUNNING, IdleStops.IDLE_TIMEOUT,
        "ten minutes"))).isEmpty();
    assertThat(IdleStops.timeoutOf(annotated(DriverStatesTest.RUNNING, IdleStops.IDLE_TIMEOUT,
        "PT0S"))).isEmpty();
    assertThat(IdleStops.timeoutOf(annotated(DriverStatesTest.RUNNING, IdleStops.IDLE_TIMEOUT,
        "PT10M"))).contains(Duration.ofMinutes(10));
  }

  @Test
  void aServerStoppedForBeingIdleSucceedsWithItsReason() {
    // SIGTERM ends the driver with an error code; with the mark that is the policy, not a failure.
    V1Pod terminated = annotated(DriverStatesTest.driver("Failed",
        "{\"terminated\":{\"exitCode\":143,\"reason\":\"Error\"}}"), PodFacts.STOPPED, "idle");
    JobState end = DriverStates.fromPod(terminated);
    assertThat(end.phase()).isEqualTo(JobPhase.SUCCEEDED);
    assertThat(end.reason()).isEqualTo(io.sparkk8s.JobReasons.IDLE_SHUTDOWN);
    assertThat(end.exitCode()).contains(143);
    // Deleted while still running (the delete event came first).
    JobState gone = DriverStates.gone(
        annotated(DriverStatesTest.RUNNING, PodFacts.STOPPED, "idle"));
    assertThat(gone.phase()).isEqualTo(JobPhase.SUCCEEDED);
    assertThat(gone.reason()).isEqualTo(io.sparkk8s.JobReasons.IDLE_SHUTDOWN);
    // Without the mark, the same events are what they were.
    assertThat(DriverStates.gone(DriverStatesTest.RUNNING).reason()).isEqualTo("DriverDeleted");
    assertThat(DriverStates.fromPod(DriverStatesTest.EXIT_3).phase()).isEqualTo(JobPhase.FAILED);
    assertThat(DriverStates.gone(DriverStatesTest.SUCCEEDED)).isEqualTo(
        DriverStates.fromPod(DriverStatesTest.SUCCEEDED));
    assertThat(Optional.of(PodFacts.stoppedIdle(DriverStatesTest.RUNNING))).contains(false);
  }
}
