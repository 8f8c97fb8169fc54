package io.sparkk8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.sparkk8s.internal.kube.DriverStates;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The states the client makes carry the public reason constants, so callers can compare. */
class JobReasonsTest {

  private static V1Pod driver(String phase, V1ContainerState state) {
    return new V1Pod().metadata(new V1ObjectMeta().name("d"))
        .status(new V1PodStatus().phase(phase).containerStatuses(List.of(new V1ContainerStatus()
            .name("spark-kubernetes-driver").image("i").imageID("").ready(false).restartCount(0)
            .state(state))));
  }

  @Test
  void theKubeletsReasonsArePassedThroughAsTheConstantsSay() {
    assertThat(DriverStates.fromPod(driver("Failed", new V1ContainerState().terminated(
        new V1ContainerStateTerminated().exitCode(137).reason("OOMKilled")))).reason())
        .isEqualTo(JobReasons.OOM_KILLED);
    assertThat(DriverStates.fromPod(driver("Succeeded", new V1ContainerState().terminated(
        new V1ContainerStateTerminated().exitCode(0).reason("Completed")))).reason())
        .isEqualTo(JobReasons.COMPLETED);
    JobState pull = DriverStates.fromPod(driver("Pending", new V1ContainerState().waiting(
        new V1ContainerStateWaiting().reason("ImagePullBackOff"))));
    assertThat(pull.reason()).isEqualTo(JobReasons.IMAGE_PULL_BACK_OFF);
    assertThat(DriverStates.IMAGE_UNAVAILABLE).containsExactlyInAnyOrder(
        JobReasons.IMAGE_PULL_BACK_OFF, JobReasons.ERR_IMAGE_NEVER_PULL,
        JobReasons.INVALID_IMAGE_NAME);
  }

  @Test
  void theSdksOwnEndsUseTheConstants() {
    assertThat(JobState.killed().reason()).isEqualTo(JobReasons.KILLED);
    assertThat(JobState.driverDeleted().reason()).isEqualTo(JobReasons.DRIVER_DELETED);
  }
}
