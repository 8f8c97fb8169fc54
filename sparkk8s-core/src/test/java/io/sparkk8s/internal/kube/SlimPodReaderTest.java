package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.Watch;
import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The watch reads pods straight into their slim copies: what it reads must be exactly what
 * {@link CachedPods#slim} makes of the fully read pod, for every driver state, in a watch event
 * and in a list, and an {@code ERROR} event must carry its status as client-java's watch does.
 */
class SlimPodReaderTest {

  private static String event(String type, V1Pod pod) {
    return "{\"type\":\"" + type + "\",\"object\":" + JSON.serialize(pod) + "}";
  }

  /** What the watch kept before: the pod read in full by client-java, then its slim copy. */
  private static String slimOfFull(V1Pod pod) {
    return JSON.serialize(CachedPods.slim(JSON.deserialize(JSON.serialize(pod), V1Pod.class)));
  }

  @Test
  void aWatchEventGivesTheSlimCopyOfItsPod() throws Exception {
    List<V1Pod> pods = CachedPodsTest.pods();
    assertThat(pods).hasSizeGreaterThan(5);
    for (V1Pod pod : pods) {
      Watch.Response<V1Pod> read = SlimPodReader.event(event("MODIFIED", pod));
      assertThat(read.type).isEqualTo("MODIFIED");
      assertThat(read.status).isNull();
      assertThat(JSON.serialize(read.object)).isEqualTo(slimOfFull(pod));
      // The informer's transform applied on top changes nothing.
      assertThat(JSON.serialize(CachedPods.slim(read.object))).isEqualTo(JSON.serialize(read.object));
    }
  }

  @Test
  void aPodWithoutStatusNodeOrLabelsAndWithAWaitingContainerReadsTheSameToo() throws Exception {
    V1Pod bare = CachedPodsTest.pods().get(0);
    bare.getSpec().setNodeName(null);
    bare.getMetadata().setLabels(null);
    bare.getMetadata().setDeletionTimestamp(OffsetDateTime.parse("2026-11-23T10:05:00.123456Z"));
    bare.setStatus(null);
    V1Pod waiting = CachedPodsTest.pods().get(1);
    waiting.getStatus().getContainerStatuses().get(0).getState().running(null)
        .waiting(new io.kubernetes.client.openapi.models.V1ContainerStateWaiting()
            .reason("ImagePullBackOff").message("Back-off pulling image \"nope\""));
    for (V1Pod pod : List.of(bare, waiting)) {
      V1Pod read = SlimPodReader.event(event("ADDED", pod)).object;
      assertThat(JSON.serialize(read)).isEqualTo(slimOfFull(pod));
    }
    assertThat(SlimPodReader.event(event("ADDED", bare)).object.getMetadata().getDeletionTimestamp())
        .isEqualTo(OffsetDateTime.parse("2026-11-23T10:05:00.123456Z"));
  }

  @Test
  void aListGivesItsMetadataAndSlimItems() throws Exception {
    List<V1Pod> pods = CachedPodsTest.pods();
    V1PodList full = new V1PodList().apiVersion("v1").kind("PodList")
        .metadata(new io.kubernetes.client.openapi.models.V1ListMeta().resourceVersion("48300"))
        .items(pods);
    V1PodList read = SlimPodReader.list(new StringReader(JSON.serialize(full)));
    assertThat(read.getMetadata().getResourceVersion()).isEqualTo("48300");
    assertThat(read.getKind()).isEqualTo("PodList");
    assertThat(read.getItems()).hasSize(pods.size());
    for (int i = 0; i < pods.size(); i++) {
      assertThat(JSON.serialize(read.getItems().get(i))).isEqualTo(slimOfFull(pods.get(i)));
    }
  }

  @Test
  void anErrorEventCarriesItsStatusWhereverItsTypeIs() throws Exception {
    String status = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"too old resource version: 1 (48213)\",\"reason\":\"Expired\",\"code\":410}";
    for (String line : List.of("{\"type\":\"ERROR\",\"object\":" + status + "}",
        "{\"object\":" + status + ",\"type\":\"ERROR\"}")) {
      Watch.Response<V1Pod> read = SlimPodReader.event(line);
      assertThat(read.type).isEqualTo("ERROR");
      assertThat(read.object).isNull();
      assertThat(read.status.getCode()).isEqualTo(410);
      assertThat(read.status.getReason()).isEqualTo("Expired");
    }
    V1Pod pod = CachedPodsTest.pods().get(2);
    Watch.Response<V1Pod> unordered = SlimPodReader.event("{\"object\":" + JSON.serialize(pod)
        + ",\"type\":\"DELETED\"}");
    assertThat(unordered.type).isEqualTo("DELETED");
    assertThat(JSON.serialize(unordered.object)).isEqualTo(slimOfFull(pod));
  }
}
