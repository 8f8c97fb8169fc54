package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import io.sparkk8s.it.ClusterConnection;
import io.sparkk8s.it.RealCluster;
import io.sparkk8s.it.TestNamespace;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pod watch reads Kubernetes' protobuf: what it reads from the real API server's protobuf must
 * be exactly what the JSON reader reads from the same pods as JSON, for pods in every state the
 * watch meets (pending with a scheduling condition, bound, ended with a terminated, a waiting and a
 * running container, being deleted), in a list and in watch events. Only the API is used, so it
 * runs on a bare control plane too (tag {@code api-server}). A 410 Gone in protobuf, which the
 * watch cache gives only after a restart, is {@code WatchExpiryE2E}'s (its relists count them).
 */
@RealCluster
@Tag("api-server")
class ProtoPodReaderE2E {

  private static final String FINALIZER = "sparkk8s.io/proto-reader-e2e";

  @Test
  void protobufAndJsonOfTheSamePodsReadTheSameInAListAndInWatchEvents(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    ApiClient client = cluster.client();
    CoreV1Api core = new CoreV1Api(client);
    String n = ns.name();
    core.createNamespacedPod(n, pod("ended", null)).execute();
    core.createNamespacedPod(n, pod("bound", "no-such-node")).execute();
    V1Pod going = pod("going", null);
    going.getMetadata().setFinalizers(List.of(FINALIZER));
    core.createNamespacedPod(n, going).execute();
    try {
      // Everything the slim pod keeps, and much it does not, written by the status subresource.
      merge(client, core.patchNamespacedPodStatus("ended", n, new V1Patch("""
          {"status": {"phase": "Failed", "reason": "Evicted", "message": "The node was low on memory.",
            "conditions": [
              {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2026-12-05T10:00:00Z"},
              {"type": "Ready", "status": "False", "reason": "PodFailed", "lastTransitionTime": "2026-12-05T10:02:00Z"}],
            "hostIP": "10.0.0.7", "podIP": "10.88.0.9",
            "containerStatuses": [
              {"name": "spark-kubernetes-driver", "ready": false, "restartCount": 2, "image": "spark:4",
               "imageID": "", "state": {"terminated": {"exitCode": 137, "signal": 9, "reason": "OOMKilled",
                 "message": "out of memory", "startedAt": "2026-12-05T10:00:05Z",
                 "finishedAt": "2026-12-05T10:01:59Z", "containerID": "containerd://abc"}}},
              {"name": "sidecar", "ready": false, "restartCount": 0, "image": "busybox", "imageID": "",
               "state": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling \\"busybox\\""}}},
              {"name": "logger", "ready": true, "restartCount": 0, "image": "busybox", "imageID": "",
               "state": {"running": {"startedAt": "2026-12-05T10:00:06Z"}}}]}}""")));
      core.deleteNamespacedPod("going", n).execute();

      String pods = "/api/v1/namespaces/" + n + "/pods?labelSelector=spark-app-selector";
      Answer asJson = send(client, "GET", pods, null, "application/json");
      assertThat(asJson.code).isEqualTo(200);
      V1PodList json = SlimPodReader.list(new java.io.StringReader(
          new String(asJson.body, java.nio.charset.StandardCharsets.UTF_8)));
      Answer asProtobuf = send(client, "GET", pods, null, ProtoWire.PROTOBUF);
      assertThat(asProtobuf.code).isEqualTo(200);
      assertThat(asProtobuf.type).startsWith(ProtoWire.PROTOBUF);
      byte[] protobuf = asProtobuf.body;
      V1PodList fromProtobuf = ProtoPodReader.list(new java.io.ByteArrayInputStream(protobuf));
      assertThat(fromProtobuf.getItems()).hasSize(3);
      assertThat(slim(fromProtobuf)).isEqualTo(slim(json));
      assertThat(fromProtobuf.getMetadata().getResourceVersion())
          .isEqualTo(json.getMetadata().getResourceVersion()).isNotBlank();
      V1Pod ended = byName(fromProtobuf, "ended");
      assertThat(ended.getStatus().getContainerStatuses()).hasSize(3);
      assertThat(ended.getStatus().getContainerStatuses().get(0).getState().getTerminated().getSignal())
          .isEqualTo(9);
      assertThat(byName(fromProtobuf, "going").getMetadata().getDeletionTimestamp()).isNotNull();
      assertThat(byName(fromProtobuf, "bound").getSpec().getNodeName()).isEqualTo("no-such-node");
      // The same through the watch's reading, which asked for protobuf and got it.
      V1PodList read = ProtoPodReader.READING.list(client, listCall(core, n, null, false));
      assertThat(slim(read)).isEqualTo(slim(json));

      // Watch events, from the list's version on: one change, seen in both encodings.
      String from = json.getMetadata().getResourceVersion();
      try (Watchable<V1Pod> proto = ProtoPodReader.READING.watch(client, listCall(core, n, from, true));
          Watchable<V1Pod> text = jsonWatch(client, core, n, from)) {
        merge(client, core.patchNamespacedPod("ended", n, new V1Patch(
            "{\"metadata\":{\"labels\":{\"changed\":\"yes\"},\"annotations\":{\"note\":\"\"}}}")));
        // Both streams carry the same events in the same order (a scheduler's update of a pending
        // pod may come first); they are compared pair by pair until the change arrives.
        Watch.Response<V1Pod> a;
        int events = 0;
        do {
          a = proto.next();
          Watch.Response<V1Pod> b = text.next();
          events++;
          assertThat(a.type).isEqualTo(b.type);
          assertThat(JSON.serialize(a.object)).isEqualTo(JSON.serialize(b.object));
          assertThat(a.object.getKind()).isEqualTo("Pod");
          assertThat(events).as("events before the change").isLessThan(20);
        } while (!a.object.getMetadata().getLabels().containsKey("changed"));
        assertThat(a.type).isEqualTo("MODIFIED");
        assertThat(a.object.getMetadata().getAnnotations()).containsEntry("note", "");
      }

    } finally {
      merge(client, core.patchNamespacedPod("going", n, new V1Patch("{\"metadata\":{\"finalizers\":null}}")));
    }
  }

  @Test
  void aCreatedObjectsHeadAndARefusalReadTheSameFromProtobufAsFromJson(ClusterConnection cluster,
      TestNamespace ns) throws Exception {
    ApiClient client = cluster.client();
    CoreV1Api core = new CoreV1Api(client);
    String n = ns.name();
    V1Pod owner = core.createNamespacedPod(n, pod("owner", null)).execute();
    String ownerRef = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"owner\",\"uid\":\""
        + owner.getMetadata().getUid() + "\",\"controller\":true}";
    String configMap = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\","
        + "\"labels\":{\"spark-app-selector\":\"spark-owner\",\"empty\":\"\"},"
        + "\"annotations\":{\"a\":\"b\"},\"ownerReferences\":[" + ownerRef + "]},"
        + "\"data\":{\"spark.properties\":\"spark.app.name=x\\n\"}}";
    String path = "/api/v1/namespaces/" + n + "/configmaps";
    // Created with the head asked for in protobuf, as the client does; read back as JSON.
    Answer created = send(client, "POST", path, String.format(configMap, "heads"), ProtoWire.ACCEPT);
    assertThat(created.code).isEqualTo(201);
    assertThat(created.type).startsWith(ProtoWire.PROTOBUF);
    Answer json = send(client, "GET", path + "/heads", null, "application/json");
    ObjectHead fromProtobuf = ObjectHead.read(created.body);
    ObjectHead fromJson = JSON.deserialize(new String(json.body, java.nio.charset.StandardCharsets.UTF_8),
        ObjectHead.class);
    assertThat(JSON.serialize(fromProtobuf.getMetadata())).isEqualTo(JSON.serialize(fromJson.getMetadata()));
    assertThat(fromProtobuf.getKind()).isEqualTo("ConfigMap").isEqualTo(fromJson.getKind());
    assertThat(fromProtobuf.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> assertThat(r.getController()).isTrue());
    assertThat(fromProtobuf.getMetadata().getLabels()).containsEntry("empty", "");

    // Refusals: the same name again (409, with details), and a name Kubernetes refuses (422, with
    // causes): the Status read from protobuf is the Status of the JSON answer.
    for (String body : List.of(String.format(configMap, "heads"), String.format(configMap, "Bad_Name"))) {
      Answer refusedProto = send(client, "POST", path, body, ProtoWire.ACCEPT);
      Answer refusedJson = send(client, "POST", path, body, "application/json");
      assertThat(refusedProto.code).isIn(409, 422).isEqualTo(refusedJson.code);
      assertThat(refusedProto.type).startsWith(ProtoWire.PROTOBUF);
      String read = JSON.serialize(ProtoWire.status(ProtoWire.envelope(com.google.protobuf.ByteString.copyFrom(refusedProto.body))));
      io.kubernetes.client.openapi.models.V1Status expected = JSON.deserialize(new String(refusedJson.body, java.nio.charset.StandardCharsets.UTF_8),
          io.kubernetes.client.openapi.models.V1Status.class);
      assertThat(read).isEqualTo(JSON.serialize(expected));
      assertThat(expected.getDetails()).isNotNull();
    }
  }

  /** An answer's status code, content type and body. */
  private record Answer(int code, String type, byte[] body) {}

  private static Answer send(ApiClient client, String method, String path, String json, String accept)
      throws Exception {
    okhttp3.Request.Builder request = new CoreV1Api(client).listNamespacedPod("default").buildCall(null)
        .request().newBuilder().url(client.getBasePath() + path).header("Accept", accept);
    request.method(method, json == null ? null
        : okhttp3.RequestBody.create(json, okhttp3.MediaType.get("application/json")));
    try (okhttp3.Response r = client.getHttpClient().newCall(request.build()).execute()) {
      return new Answer(r.code(), r.header("Content-Type"), r.body().bytes());
    }
  }

  /** A JSON merge patch (client-java's typed patch call leaves the content type to the caller). */
  private static void merge(ApiClient client, CoreV1Api.APIpatchNamespacedPodRequest patch) throws Exception {
    io.kubernetes.client.util.PatchUtils.patch(V1Pod.class, () -> patch.buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
  }

  private static void merge(ApiClient client, CoreV1Api.APIpatchNamespacedPodStatusRequest patch)
      throws Exception {
    io.kubernetes.client.util.PatchUtils.patch(V1Pod.class, () -> patch.buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
  }

  private static V1Pod pod(String name, String nodeName) {
    return new V1Pod().metadata(new V1ObjectMeta().name(name)
            .labels(Map.of("spark-app-selector", "spark-" + name, "spark-role", "driver", "empty", ""))
            .annotations(Map.of("sparkk8s.io/retention", "P1D")))
        // client-java's models start overhead as an empty map, which admission refuses.
        .spec(new V1PodSpec().nodeName(nodeName).overhead(null)
            // Never scheduled on a real cluster: no node has this label.
            .nodeSelector(Map.of("sparkk8s.io/proto-reader-e2e", "nowhere"))
            .containers(List.of(new V1Container().name("spark-kubernetes-driver").image("spark:4")
                .env(List.of(new io.kubernetes.client.openapi.models.V1EnvVar().name("A").value("b"))))));
  }

  private static okhttp3.Call listCall(CoreV1Api core, String ns, String from, boolean watch)
      throws Exception {
    return core.listNamespacedPod(ns).labelSelector("spark-app-selector").resourceVersion(from)
        .watch(watch).buildCall(null);
  }

  /** The JSON reader's watch (client-java's calls ask for JSON). */
  private static Watchable<V1Pod> jsonWatch(ApiClient client, CoreV1Api core, String ns, String from)
      throws Exception {
    okhttp3.Call call = client.getHttpClient().newCall(listCall(core, ns, from, true).request());
    okhttp3.Response r = call.execute();
    assertThat(r.header("Content-Type")).startsWith("application/json");
    return new SlimPodReader.LineWatch(r, call);
  }

  private static V1Pod byName(V1PodList list, String name) {
    return list.getItems().stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow();
  }

  /** The items as JSON, in name order (the slim pods compared field by field). */
  private static List<String> slim(V1PodList list) {
    return list.getItems().stream().sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .map(JSON::serialize).toList();
  }
}
