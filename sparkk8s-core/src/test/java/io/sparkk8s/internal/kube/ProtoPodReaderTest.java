package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the real API server does not readily send, encoded by protobuf-java's own generated
 * classes: an {@code ERROR} event's {@code Status}, a refusal in protobuf, a frame announced too
 * large, bytes that are not Kubernetes' envelope, a field of an unexpected wire type. That pods
 * read the same from the API server's protobuf as from its JSON is {@code ProtoPodReaderE2E}'s.
 */
class ProtoPodReaderTest {

  private static byte[] envelope(String kind, ByteString raw) {
    byte[] unknown = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind(kind))
        .setRaw(raw).build().toByteArray();
    byte[] out = new byte[unknown.length + 4];
    out[0] = 'k';
    out[1] = '8';
    out[2] = 's';
    System.arraycopy(unknown, 0, out, 4, unknown.length);
    return out;
  }

  private static byte[] event(String type, String kind, ByteString raw) {
    return Meta.WatchEvent.newBuilder().setType(type).setObject(Runtime.RawExtension.newBuilder()
        .setRaw(ByteString.copyFrom(envelope(kind, raw)))).build().toByteArray();
  }

  private static V1.Pod pod(String name) {
    return V1.Pod.newBuilder()
        .setMetadata(Meta.ObjectMeta.newBuilder().setName(name).setNamespace("jobs").setUid("u-1")
            .setGenerateName("").setResourceVersion("42").putLabels("spark-app-selector", "spark-1")
            .putLabels("spark-role", "driver")
            .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1_796_000_000L)))
        .setSpec(V1.PodSpec.newBuilder().setNodeName("")
            .addContainers(V1.Container.newBuilder().setName("spark-kubernetes-driver").setImage("spark")))
        .setStatus(V1.PodStatus.newBuilder().setPhase("Running").setReason("").setMessage("")
            .addConditions(V1.PodCondition.newBuilder().setType("Ready").setStatus("True"))
            .addConditions(V1.PodCondition.newBuilder().setType("PodScheduled").setStatus("True")
                .setReason("").setLastTransitionTime(Meta.Time.newBuilder().setSeconds(0)))
            .addContainerStatuses(V1.ContainerStatus.newBuilder().setName("spark-kubernetes-driver")
                .setReady(true).setRestartCount(0).setImage("spark")
                .setState(V1.ContainerState.newBuilder().setTerminated(V1.ContainerStateTerminated
                    .newBuilder().setExitCode(0).setSignal(0).setReason("Completed")))))
        .build();
  }

  /** A MODIFIED event of a pod bound to a node, as its own new bytes each call. */
  static byte[] runningEvent() {
    V1.Pod p = pod("driver");
    return event("MODIFIED", "Pod", p.toBuilder().setSpec(p.getSpec().toBuilder().setNodeName("node-1"))
        .build().toByteString());
  }

  @Test
  void aPodEventReadsWhatTheSlimPodKeepsWithEmptyAndZeroAsJsonLeavesThemOut() throws Exception {
    Watch.Response<V1Pod> read = ProtoPodReader.event(event("ADDED", "Pod", pod("driver").toByteString()));
    assertThat(read.type).isEqualTo("ADDED");
    assertThat(read.status).isNull();
    V1Pod p = read.object;
    assertThat(p.getKind()).isEqualTo("Pod");
    assertThat(p.getApiVersion()).isEqualTo("v1");
    assertThat(p.getMetadata().getName()).isEqualTo("driver");
    assertThat(p.getMetadata().getLabels()).containsEntry("spark-role", "driver").hasSize(2);
    assertThat(p.getMetadata().getCreationTimestamp().toEpochSecond()).isEqualTo(1_796_000_000L);
    assertThat(p.getSpec()).as("an empty nodeName is no node").isNull();
    assertThat(p.getStatus().getReason()).isNull();
    assertThat(p.getStatus().getConditions()).as("only PodScheduled").singleElement()
        .satisfies(c -> {
          assertThat(c.getReason()).isNull();
          assertThat(c.getLastTransitionTime()).as("the zero time").isNull();
        });
    var terminated = p.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(terminated.getExitCode()).isZero();
    assertThat(terminated.getSignal()).as("a zero signal is none").isNull();
    assertThat(terminated.getReason()).isEqualTo("Completed");
  }

  @Test
  void anErrorEventCarriesItsStatusAsClientJavasWatchDoes() throws Exception {
    ByteString gone = Meta.Status.newBuilder().setStatus("Failure").setCode(410).setReason("Expired")
        .setMessage("too old resource version: 1 (4242)").build().toByteString();
    Watch.Response<V1Pod> read = ProtoPodReader.event(event("ERROR", "Status", gone));
    assertThat(read.type).isEqualTo("ERROR");
    assertThat(read.object).isNull();
    assertThat(read.status.getCode()).isEqualTo(410);
    assertThat(read.status.getReason()).isEqualTo("Expired");
    assertThat(read.status.getMessage()).contains("too old");
  }

  @Test
  void bytesThatAreNotKubernetesEnvelopeAreRefusedAndAFieldOfAnotherWireTypeIsPassedOver() throws Exception {
    byte[] noMagic = Meta.WatchEvent.newBuilder().setType("ADDED").setObject(Runtime.RawExtension
        .newBuilder().setRaw(pod("x").toByteString())).build().toByteArray();
    assertThatThrownBy(() -> ProtoPodReader.event(noMagic)).isInstanceOf(IOException.class)
        .hasMessageContaining("envelope");
    // metadata.name (field 1) written as a varint: not a string, so not read as one.
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    var out = com.google.protobuf.CodedOutputStream.newInstance(meta);
    out.writeUInt64(Meta.ObjectMeta.NAME_FIELD_NUMBER, 7);
    out.writeString(Meta.ObjectMeta.NAMESPACE_FIELD_NUMBER, "jobs");
    out.flush();
    ByteString odd = V1.Pod.newBuilder().build().toByteString()
        .concat(wrapped(V1.Pod.METADATA_FIELD_NUMBER, meta.toByteArray()));
    V1Pod read = ProtoPodReader.event(event("MODIFIED", "Pod", odd)).object;
    assertThat(read.getMetadata().getName()).isNull();
    assertThat(read.getMetadata().getNamespace()).isEqualTo("jobs");
  }

  private static ByteString wrapped(int field, byte[] message) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    var out = com.google.protobuf.CodedOutputStream.newInstance(bytes);
    out.writeByteArray(field, message);
    out.flush();
    return ByteString.copyFrom(bytes.toByteArray());
  }

  @Test
  void aWatchReadsFramesAndRefusesOneAnnouncedLargerThanItsBound() throws Exception {
    byte[] first = event("ADDED", "Pod", pod("driver").toByteString());
    ByteBuffer body = ByteBuffer.allocate(4 + first.length + 4);
    body.putInt(first.length).put(first).putInt(ProtoPodReader.FRAME_MAX + 1);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = serve(server, "200 OK", ProtoWire.PROTOBUF + ";stream=watch", body.array());
      Watchable<V1Pod> watch = ProtoPodReader.READING.watch(client(server), call(server, true));
      assertThat(watch.hasNext()).isTrue();
      assertThat(watch.next().object.getMetadata().getName()).isEqualTo("driver");
      assertThat(watch.hasNext()).isTrue();
      assertThatThrownBy(watch::next).hasMessage("IO Exception during next method.")
          .hasRootCauseMessage("a watch frame of " + (ProtoPodReader.FRAME_MAX + 1)
              + " bytes (at most " + ProtoPodReader.FRAME_MAX + " are read): the stream is not"
              + " Kubernetes' protobuf");
      watch.close();
      t.join(5_000);
    }
  }

  @Test
  void aRefusalInProtobufReadsAsItsStatusInJson() throws Exception {
    byte[] forbidden = envelope("Status", Meta.Status.newBuilder().setStatus("Failure").setCode(403)
        .setReason("Forbidden").setMessage("pods is forbidden: User \"x\" cannot list").build()
        .toByteString());
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = serve(server, "403 Forbidden", ProtoWire.PROTOBUF, forbidden);
      assertThatThrownBy(() -> ProtoPodReader.READING.list(client(server), call(server, false)))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getResponseBody()).contains("\"reason\":\"Forbidden\"", "cannot list");
          });
      t.join(5_000);
    }
  }

  @Test
  void theWatchAsksForProtobufAndStillTakesJson() throws Exception {
    List<String> accepted = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = serve(server, "200 OK", "application/json",
          "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"9\"},\"items\":[]}"
              .getBytes(StandardCharsets.UTF_8), accepted);
      assertThat(ProtoPodReader.READING.list(client(server), call(server, false)).getMetadata()
          .getResourceVersion()).isEqualTo("9");
      t.join(5_000);
    }
    assertThat(accepted).containsExactly("Accept: " + ProtoWire.ACCEPT);
  }

  private static ApiClient client(ServerSocket server) {
    return new ApiClient().setBasePath("http://127.0.0.1:" + server.getLocalPort());
  }

  private static okhttp3.Call call(ServerSocket server, boolean watch) throws ApiException {
    var p = new CallGeneratorParams(watch, "7", null);
    return new CoreV1Api(client(server)).listNamespacedPod("jobs").resourceVersion(p.resourceVersion)
        .watch(p.watch).buildCall(null);
  }

  private static Thread serve(ServerSocket server, String status, String type, byte[] body) {
    return serve(server, status, type, body, new ArrayList<>());
  }

  /** Answers one request with {@code body}; the request's Accept header goes to {@code accepted}. */
  private static Thread serve(ServerSocket server, String status, String type, byte[] body,
      List<String> accepted) {
    Thread t = new Thread(() -> {
      try (Socket s = server.accept()) {
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
            StandardCharsets.ISO_8859_1));
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
          if (line.regionMatches(true, 0, "Accept:", 0, 7)) {
            accepted.add(line);
          }
        }
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\nContent-Length: "
            + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
      } catch (IOException e) {
        // the client went away first
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }
}
