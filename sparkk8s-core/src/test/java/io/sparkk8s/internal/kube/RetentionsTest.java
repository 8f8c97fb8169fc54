package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.sparkk8s.spec.Retention;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionsTest {
  static final Instant END = Instant.parse("2026-11-23T22:00:00Z");

  static V1Pod driver(Retention r, String phase, int exitCode) {
    V1Pod pod = new V1Pod().metadata(new V1ObjectMeta().name("d")
        .creationTimestamp(OffsetDateTime.ofInstant(END.minusSeconds(60), ZoneOffset.UTC)));
    Retentions.annotate(pod, Optional.ofNullable(r));
    V1ContainerState state = phase.equals("Running") ? new V1ContainerState()
        : new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(exitCode)
            .finishedAt(OffsetDateTime.ofInstant(END, ZoneOffset.UTC)));
    return pod.status(new V1PodStatus().phase(phase).containerStatuses(List.of(
        new V1ContainerStatus().name("spark-kubernetes-driver").state(state))));
  }

  @Test
  void thePolicyTravelsOnThePodAndCountsFromTheServersEndTime() {
    Retention r = Retention.deleteAfter(Duration.ofMinutes(5));
    assertThat(Retentions.of(driver(r, "Succeeded", 0))).contains(r);
    assertThat(Retentions.deleteAt(driver(r, "Succeeded", 0))).contains(END.plusSeconds(300));
    assertThat(Retentions.deleteAt(driver(r, "Failed", 1))).contains(END.plusSeconds(300));
    assertThat(Retentions.deleteAt(driver(r, "Running", 0))).as("running: not yet").isEmpty();
  }

  @Test
  void deleteOnSuccessKeepsFailuresAndNoPolicyKeepsAll() {
    Retention r = Retention.deleteOnSuccess();
    assertThat(Retentions.deleteAt(driver(r, "Succeeded", 0))).contains(END);
    assertThat(Retentions.deleteAt(driver(r, "Failed", 2))).isEmpty();
    assertThat(Retentions.deleteAt(driver(null, "Succeeded", 0))).isEmpty();
    assertThat(Retentions.deleteAt(driver(Retention.keepForever(), "Failed", 2))).isEmpty();
  }

  @Test
  void aMangledAnnotationKeeps() {
    V1Pod pod = driver(Retention.deleteAfter(Duration.ofSeconds(1)), "Succeeded", 0);
    pod.getMetadata().putAnnotationsItem(Retentions.AFTER_SUCCESS, "soon");
    assertThat(Retentions.deleteAt(pod)).isEmpty();
  }
}
