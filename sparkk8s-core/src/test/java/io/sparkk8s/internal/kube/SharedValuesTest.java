package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Watch;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The short texts and the times every cached pod repeats are kept once, whichever reading made the
 * pod, and the tables that keep them never hold more than their slots, whatever they are fed.
 */
class SharedValuesTest {

  @Test
  void anEqualTextReadLaterIsTheCopyReadFirstAndALongTextIsNotKept() {
    String first = SharedValues.text(new String("spark-role-" + 1));
    String later = new String("spark-role-" + 1);
    assertThat(later).isNotSameAs(first);
    assertThat(SharedValues.text(later)).isSameAs(first);
    assertThat(SharedValues.text(null)).isNull();

    String longText = "x".repeat(SharedValues.MAX_LENGTH + 1);
    SharedValues.text(longText);
    assertThat(SharedValues.text(new String(longText))).as("longer than the bound: not kept")
        .isNotSameAs(longText);
  }

  @Test
  void aTimeOfTheSameSecondIsTheOneMadeFirstAndAnyOtherTimeIsKeptAsItIs() {
    OffsetDateTime first = SharedValues.time(1_796_000_123L);
    assertThat(first).isEqualTo(OffsetDateTime.parse("2026-11-30T00:55:23Z"));
    assertThat(SharedValues.time(1_796_000_123L)).isSameAs(first);
    assertThat(SharedValues.time(OffsetDateTime.parse("2026-11-30T00:55:23Z"))).isSameAs(first);
    OffsetDateTime withNanos = OffsetDateTime.parse("2026-11-30T00:55:23.5Z");
    assertThat(SharedValues.time(withNanos)).isSameAs(withNanos);
    OffsetDateTime elsewhere = OffsetDateTime.parse("2026-11-30T01:55:23+01:00");
    assertThat(SharedValues.time(elsewhere)).as("the same instant in another offset").isSameAs(elsewhere);
    assertThat(SharedValues.time((OffsetDateTime) null)).isNull();
  }

  @Test
  void aMillionDistinctValuesLeaveAtMostOnePerSlot() {
    for (int i = 0; i < 1_000_000; i++) {
      SharedValues.text("hostile-label-value-" + i);
      SharedValues.time(1_796_000_000L + i);
    }
    assertThat(SharedValues.held()).isLessThanOrEqualTo(2 * SharedValues.SLOTS);
    // The table still does its work after the flood.
    String kept = SharedValues.text(new String("spark-kubernetes-driver"));
    assertThat(SharedValues.text(new String("spark-kubernetes-driver"))).isSameAs(kept);
  }

  @Test
  void twoPodsReadFromJsonShareTheirLabelsNamespaceNodePhaseAndContainerName() throws Exception {
    List<V1Pod> pods = CachedPodsTest.pods();
    V1Pod one = running(pods);
    String json = "{\"type\":\"MODIFIED\",\"object\":" + JSON.serialize(one) + "}";
    // Two events read from their own bytes, as the watch reads them.
    V1Pod a = SlimPodReader.event(new String(json)).object;
    V1Pod b = SlimPodReader.event(new String(json)).object;
    assertSharedBetween(a, b);
  }

  static void assertSharedBetween(V1Pod a, V1Pod b) {
    assertThat(a).isNotSameAs(b);
    assertThat(b.getMetadata().getNamespace()).isSameAs(a.getMetadata().getNamespace());
    assertThat(b.getSpec().getNodeName()).isSameAs(a.getSpec().getNodeName());
    assertThat(b.getStatus().getPhase()).isSameAs(a.getStatus().getPhase());
    assertThat(a.getMetadata().getCreationTimestamp()).isNotNull();
    assertThat(b.getMetadata().getCreationTimestamp()).isSameAs(a.getMetadata().getCreationTimestamp());
    assertThat(b.getStatus().getContainerStatuses().get(0).getName())
        .isSameAs(a.getStatus().getContainerStatuses().get(0).getName());
    assertThat(a.getMetadata().getLabels()).isNotEmpty();
    for (Map.Entry<String, String> la : a.getMetadata().getLabels().entrySet()) {
      Map.Entry<String, String> lb = b.getMetadata().getLabels().entrySet().stream()
          .filter(e -> e.getKey().equals(la.getKey())).findFirst().orElseThrow();
      assertThat(lb.getKey()).as("label key " + la.getKey()).isSameAs(la.getKey());
      assertThat(lb.getValue()).as("label value of " + la.getKey()).isSameAs(la.getValue());
    }
    // What is one object's own is not passed through the table.
    assertThat(b.getMetadata().getName()).isEqualTo(a.getMetadata().getName())
        .isNotSameAs(a.getMetadata().getName());
  }

  /** A pod of the fixture set with a node, a phase, labels and a container status. */
  static V1Pod running(List<V1Pod> pods) {
    return pods.stream()
        .filter(p -> p.getSpec() != null && p.getSpec().getNodeName() != null)
        .filter(p -> p.getStatus() != null && p.getStatus().getPhase() != null
            && p.getStatus().getContainerStatuses() != null && !p.getStatus().getContainerStatuses().isEmpty())
        .filter(p -> p.getMetadata().getLabels() != null && !p.getMetadata().getLabels().isEmpty())
        .findFirst().orElseThrow(() -> new AssertionError("no running pod among the fixtures"));
  }

  @Test
  void twoPodsReadFromProtobufShareThemToo() throws Exception {
    Watch.Response<V1Pod> a = ProtoPodReader.event(ProtoPodReaderTest.runningEvent());
    Watch.Response<V1Pod> b = ProtoPodReader.event(ProtoPodReaderTest.runningEvent());
    assertSharedBetween(a.object, b.object);
  }
}
