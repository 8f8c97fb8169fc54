package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Pod;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The state machine over driver pods as the kubelet reports them (status JSON in the shape the
 * API server sends), including duplicated, out-of-order and missed updates.
 */
class DriverStatesTest {
  static V1Pod pod(String statusJson) {
    return JSON.deserialize("{\"metadata\":{\"name\":\"pi-driver\",\"labels\":{\"spark-role\":"
        + "\"driver\",\"spark-app-selector\":\"spark-1\"}},\"status\":" + statusJson + "}", V1Pod.class);
  }

  static final V1Pod UNSCHEDULABLE = pod("{\"phase\":\"Pending\",\"conditions\":[{\"type\":"
      + "\"PodScheduled\",\"status\":\"False\",\"reason\":\"Unschedulable\",\"message\":"
      + "\"0/1 nodes are available: 1 Insufficient cpu.\"}]}");
  static final V1Pod CREATING = driver("Pending", "{\"waiting\":{\"reason\":\"ContainerCreating\"}}");
  static final V1Pod IMAGE_PULL = driver("Pending",
      "{\"waiting\":{\"reason\":\"ImagePullBackOff\",\"message\":\"Back-off pulling image\"}}");
  static final V1Pod ERR_IMAGE_PULL = driver("Pending",
      "{\"waiting\":{\"reason\":\"ErrImagePull\",\"message\":\"failed to pull\"}}");
  static final V1Pod RUNNING = driver("Running", "{\"running\":{\"startedAt\":\"2026-11-23T10:00:00Z\"}}");
  static final V1Pod SUCCEEDED = driver("Succeeded",
      "{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}}");
  static final V1Pod EXIT_3 = driver("Failed",
      "{\"terminated\":{\"exitCode\":3,\"reason\":\"Error\",\"message\":\"boom\"}}");
  static final V1Pod OOM = driver("Failed",
      "{\"terminated\":{\"exitCode\":137,\"reason\":\"OOMKilled\"}}");

  /** A pod in {@code phase} whose driver container is in {@code containerState}. */
  static V1Pod driver(String phase, String containerState) {
    return pod("{\"phase\":\"" + phase + "\",\"containerStatuses\":[{\"name\":"
        + "\"spark-kubernetes-driver\",\"ready\":false,\"restartCount\":0,\"image\":\"i\","
        + "\"imageID\":\"\",\"state\":" + containerState + "}]}");
  }
  static final V1Pod EVICTED = pod("{\"phase\":\"Failed\",\"reason\":\"Evicted\",\"message\":"
      + "\"The node was low on resource: memory.\"}");
  static final V1Pod NODE_LOST = pod("{\"phase\":\"Unknown\",\"reason\":\"NodeLost\"}");

  /** Feeds observations through the machine and records every change. */
  static List<JobState> replay(V1Pod... pods) {
    List<JobState> changes = new ArrayList<>();
    JobState s = JobState.of(JobPhase.SUBMITTED, "");
    for (V1Pod p : pods) {
      JobState next = s.updatedWith(DriverStates.fromPod(p));
      if (!next.equals(s)) {
        changes.add(next);
      }
      s = next;
    }
    return changes;
  }

  @Test
  void aNormalRunGoesPendingRunningSucceeded() {
    assertThat(replay(UNSCHEDULABLE, CREATING, RUNNING, SUCCEEDED))
        .extracting(JobState::phase, JobState::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(JobPhase.PENDING, "Unschedulable"),
            org.assertj.core.groups.Tuple.tuple(JobPhase.PENDING, "ContainerCreating"),
            org.assertj.core.groups.Tuple.tuple(JobPhase.RUNNING, ""),
            org.assertj.core.groups.Tuple.tuple(JobPhase.SUCCEEDED, "Completed"));
    assertThat(replay(RUNNING, SUCCEEDED).get(1).exitCode()).contains(0);
  }

  @Test
  void pendingCarriesTheSchedulersOrKubeletsReason() {
    assertThat(DriverStates.fromPod(UNSCHEDULABLE).message()).contains("Insufficient cpu");
    assertThat(DriverStates.fromPod(ERR_IMAGE_PULL).phase()).isEqualTo(JobPhase.PENDING);
    assertThat(DriverStates.fromPod(ERR_IMAGE_PULL).reason()).isEqualTo("ErrImagePull");
  }

  @Test
  void anImageThatWillNotBePulledEndsTheJobWithTheKubeletsReason() {
    JobState s = DriverStates.fromPod(IMAGE_PULL);
    assertThat(s.phase()).isEqualTo(JobPhase.FAILED);
    assertThat(s.reason()).isEqualTo("ImagePullBackOff");
    assertThat(s.message()).isEqualTo("Back-off pulling image");
    assertThat(DriverStates.fromPod(driver("Pending", "{\"waiting\":{\"reason\":\"ErrImageNeverPull\"}}"))
        .phase()).isEqualTo(JobPhase.FAILED);
    assertThat(DriverStates.fromPod(driver("Pending", "{\"waiting\":{\"reason\":\"InvalidImageName\"}}"))
        .reason()).isEqualTo("InvalidImageName");
  }

  @Test
  void failuresCarryExitCodeReasonAndMessage() {
    JobState exit3 = DriverStates.fromPod(EXIT_3);
    assertThat(exit3.phase()).isEqualTo(JobPhase.FAILED);
    assertThat(exit3.exitCode()).contains(3);
    assertThat(exit3.message()).isEqualTo("boom");
    assertThat(DriverStates.fromPod(OOM).reason()).isEqualTo("OOMKilled");
    assertThat(DriverStates.fromPod(EVICTED).reason()).isEqualTo("Evicted");
    assertThat(DriverStates.fromPod(EVICTED).exitCode()).isEmpty();
  }

  @Test
  void duplicatedEventsChangeNothing() {
    assertThat(replay(RUNNING, RUNNING, RUNNING, SUCCEEDED, SUCCEEDED)).hasSize(2);
  }

  @Test
  void aLateStaleEventDoesNotTakeTheJobBack() {
    assertThat(replay(RUNNING, CREATING)).extracting(JobState::phase).containsExactly(JobPhase.RUNNING);
  }

  @Test
  void theEndIsFinalWhateverComesAfter() {
    assertThat(replay(SUCCEEDED, RUNNING, EXIT_3, CREATING)).extracting(JobState::phase)
        .containsExactly(JobPhase.SUCCEEDED);
  }

  @Test
  void missedUpdatesAreSkippedNotInvented() {
    // A relist after a dropped watch may show only the end.
    assertThat(replay(EXIT_3)).extracting(JobState::phase).containsExactly(JobPhase.FAILED);
    assertThat(replay(CREATING, SUCCEEDED)).extracting(JobState::phase)
        .containsExactly(JobPhase.PENDING, JobPhase.SUCCEEDED);
  }

  @Test
  void unknownNodeThenBackIsAllowed() {
    assertThat(replay(RUNNING, NODE_LOST, RUNNING, SUCCEEDED)).extracting(JobState::phase)
        .containsExactly(JobPhase.RUNNING, JobPhase.UNKNOWN, JobPhase.RUNNING, JobPhase.SUCCEEDED);
    assertThat(DriverStates.fromPod(NODE_LOST).reason()).isEqualTo("NodeLost");
  }

  @Test
  void deletedDriverEndsTheJob() {
    assertThat(JobState.killed().reason()).isEqualTo("Killed");
    assertThat(JobState.driverDeleted().reason()).isEqualTo("DriverDeleted");
    assertThat(DriverStates.fromPod(SUCCEEDED).updatedWith(JobState.driverDeleted()).phase())
        .isEqualTo(JobPhase.SUCCEEDED);
  }

  @Test
  void aKilledDriversExitIsTheKillNotAFailure() {
    JobState killed = DriverStates.afterKill(DriverStates.fromPod(EXIT_3));
    assertThat(killed.reason()).isEqualTo("Killed");
    assertThat(killed.exitCode()).contains(3);
    assertThat(DriverStates.afterKill(DriverStates.fromPod(SUCCEEDED)).phase())
        .as("finished on its own before the kill").isEqualTo(JobPhase.SUCCEEDED);
    assertThat(DriverStates.afterKill(DriverStates.fromPod(RUNNING)).phase()).isEqualTo(JobPhase.RUNNING);
  }

  @Test
  void executorCountChangesAreChangesEvenInTheSamePhase() {
    JobState running = DriverStates.fromPod(RUNNING);
    assertThat(running.updatedWith(running.withLiveExecutors(2))).isNotEqualTo(running);
    JobState stale = running.updatedWith(DriverStates.fromPod(CREATING).withLiveExecutors(1));
    assertThat(stale.phase()).isEqualTo(JobPhase.RUNNING);
    assertThat(stale.liveExecutors()).isEqualTo(1);
  }

  @Test
  void aRunningDriverOnALostNodeIsUnknownAndComesBackWithItsNode() {
    String why = "node n1 stopped reporting (Ready=Unknown, NodeStatusUnknown)";
    JobState running = DriverStates.fromPod(RUNNING);
    JobState lost = DriverStates.onNode(running, java.util.Optional.of(why));
    assertThat(lost.phase()).isEqualTo(JobPhase.UNKNOWN);
    assertThat(lost.reason()).isEqualTo("NodeLost");
    assertThat(lost.message()).isEqualTo(why);
    JobState now = running.updatedWith(lost);
    assertThat(now).isEqualTo(lost);
    // The node is back: what the pod says counts again.
    assertThat(now.updatedWith(DriverStates.onNode(running, java.util.Optional.empty())))
        .isEqualTo(running);
  }

  @Test
  void anEndedDriverStaysEndedWhenItsNodeIsLost() {
    JobState ended = DriverStates.fromPod(EXIT_3);
    assertThat(DriverStates.onNode(ended, java.util.Optional.of("node n1 stopped reporting")))
        .isEqualTo(ended);
  }
}
