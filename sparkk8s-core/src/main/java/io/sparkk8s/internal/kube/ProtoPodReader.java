package io.sparkk8s.internal.kube;

import static io.sparkk8s.internal.kube.ProtoWire.delimited;
import static io.sparkk8s.internal.kube.ProtoWire.message;
import static io.sparkk8s.internal.kube.ProtoWire.optional;
import static io.sparkk8s.internal.kube.ProtoWire.varint;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod watch's reading: asks the API server for Kubernetes' protobuf encoding and reads lists
 * and watch events straight into the slim pods the watch keeps ({@link CachedPods}); an API server
 * (or a proxy before it) that answers JSON is read as JSON ({@link SlimPodReader}).
 *
 * <p>Why protobuf: the JSON reader must scan every byte of a pod to skip what is not kept (its
 * {@code managedFields}, the spec's containers, env and volumes), and the watch stream carries
 * several such pods per job; under a burst of submissions that scanning, and the TLS and HTTP/2
 * work on bytes that are then thrown away, was most of what the client spent beyond the floor
 * (issue 23's profile). In protobuf every field carries its length: what is not kept is passed
 * over without being read, times come as seconds instead of text to parse, and a driver's events
 * are 27% smaller on the wire (what is left is mostly {@code managedFields}, raw JSON in protobuf
 * too).
 *
 * <p>The result equals what {@link SlimPodReader} reads from the same pod as JSON, which {@code
 * ProtoPodReaderE2E} checks on pods of the real API server in both encodings. An empty string
 * reads as null ({@link ProtoWire#optional}), as does a zero signal and a zero time; field numbers
 * are those of client-java's generated protobuf classes.
 */
final class ProtoPodReader {
  private ProtoPodReader() {}

  static final String WATCH_ACCEPT = ProtoWire.PROTOBUF + ";stream=watch, application/json";
  /**
   * The largest watch frame read: etcd keeps objects up to 1.5 MiB; a frame announced larger is
   * refused before anything is allocated for it.
   */
  static final int FRAME_MAX = 16 << 20;

  /** Lists and watches of pods into slim pods, in protobuf where the API server answers so. */
  static final ReportingListerWatcher.Reading<V1Pod, V1PodList> READING = new ReportingListerWatcher.Reading<>() {
    @Override
    public V1PodList list(ApiClient client, okhttp3.Call call) throws ApiException {
      try (okhttp3.Response response = accepting(client, call, ProtoWire.ACCEPT).execute()) {
        ProtoWire.refused(response);
        return ProtoWire.protobuf(response) ? ProtoPodReader.list(response.body().byteStream())
            : SlimPodReader.list(response.body().charStream());
      } catch (IOException e) {
        throw new ApiException(e);
      }
    }

    @Override
    public Watchable<V1Pod> watch(ApiClient client, okhttp3.Call call) throws ApiException {
      okhttp3.Call negotiated = accepting(client, call, WATCH_ACCEPT);
      okhttp3.Response response;
      try {
        response = negotiated.execute();
      } catch (IOException e) {
        throw new ApiException(e);
      }
      try {
        ProtoWire.refused(response);
      } catch (ApiException | RuntimeException e) {
        response.close();
        throw e;
      }
      return ProtoWire.protobuf(response) ? new FrameWatch(response, negotiated)
          : new SlimPodReader.LineWatch(response, negotiated);
    }
  };

  /** {@code call} as a new call that asks for {@code accept} (client-java's calls ask for JSON). */
  private static okhttp3.Call accepting(ApiClient client, okhttp3.Call call, String accept) {
    return client.getHttpClient().newCall(call.request().newBuilder().header("Accept", accept).build());
  }

  /**
   * A protobuf watch of pods: each event is a 4-byte big-endian length, then a {@code WatchEvent}
   * whose object is a pod (or a {@code Status}) in its envelope.
   */
  private static final class FrameWatch extends StreamWatch {
    FrameWatch(okhttp3.Response response, okhttp3.Call call) {
      super(response, call);
    }

    @Override
    Watch.Response<V1Pod> read(okio.BufferedSource source) throws IOException {
      int length = source.readInt();
      if (length < 0 || length > FRAME_MAX) {
        throw new IOException("a watch frame of " + Integer.toUnsignedString(length)
            + " bytes (at most " + FRAME_MAX + " are read): the stream is not Kubernetes' protobuf");
      }
      return event(source.readByteArray(length));
    }
  }

  /** One frame of a protobuf watch of pods. */
  static Watch.Response<V1Pod> event(byte[] frame) throws IOException {
    CodedInputStream in = ProtoWire.reader(UnsafeByteOperations.unsafeWrap(frame));
    String type = null;
    ByteString object = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == Meta.WatchEvent.TYPE_FIELD_NUMBER && delimited(tag)) {
        type = in.readString();
      } else if (field == Meta.WatchEvent.OBJECT_FIELD_NUMBER && delimited(tag)) {
        object = message(in, ProtoPodReader::raw);
      } else {
        in.skipField(tag);
      }
    }
    if (object == null) {
      return new Watch.Response<>(type, new V1Status().status("Failure")
          .message("a watch event without an object (type " + type + ")"));
    }
    ProtoWire.Envelope envelope = ProtoWire.envelope(object);
    if ("ERROR".equals(type) || "Status".equals(envelope.kind())) {
      return new Watch.Response<>(type, ProtoWire.status(envelope));
    }
    V1Pod pod = pod(envelope.fields());
    return new Watch.Response<>(type, pod.apiVersion(envelope.apiVersion()).kind(envelope.kind()));
  }

  /**
   * A pod list (a response body in its envelope), its items slim, read as it streams in: a list
   * of ten thousand drivers is never held whole, as bytes or as full pods.
   */
  static V1PodList list(java.io.InputStream body) throws IOException {
    ProtoWire.magic(body);
    CodedInputStream in = CodedInputStream.newInstance(body);
    V1PodList list = new V1PodList().items(new ArrayList<>());
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == io.kubernetes.client.proto.Runtime.Unknown.TYPEMETA_FIELD_NUMBER && delimited(tag)) {
        String[] typeMeta = message(in, ProtoWire::typeMeta);
        list.apiVersion(typeMeta[0]).kind(typeMeta[1]);
      } else if (field == io.kubernetes.client.proto.Runtime.Unknown.RAW_FIELD_NUMBER && delimited(tag)) {
        message(in, raw -> items(raw, list));
      } else {
        ProtoWire.plain(in, tag);
      }
    }
    return list;
  }

  private static V1PodList items(CodedInputStream in, V1PodList list) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == V1.PodList.METADATA_FIELD_NUMBER && delimited(tag)) {
        list.setMetadata(message(in, ProtoPodReader::listMeta));
      } else if (field == V1.PodList.ITEMS_FIELD_NUMBER && delimited(tag)) {
        list.getItems().add(message(in, ProtoPodReader::pod));
      } else {
        in.skipField(tag);
      }
    }
    return list;
  }

  /** A {@code RawExtension}'s bytes. */
  private static ByteString raw(CodedInputStream in) throws IOException {
    ByteString raw = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == io.kubernetes.client.proto.Runtime.RawExtension.RAW_FIELD_NUMBER
          && delimited(tag)) {
        raw = in.readBytes();
      } else {
        in.skipField(tag);
      }
    }
    return raw;
  }

  private static V1ListMeta listMeta(CodedInputStream in) throws IOException {
    V1ListMeta m = new V1ListMeta();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == Meta.ListMeta.RESOURCEVERSION_FIELD_NUMBER && delimited(tag)) {
        m.setResourceVersion(optional(in.readString()));
      } else if (field == Meta.ListMeta.CONTINUE_FIELD_NUMBER && delimited(tag)) {
        m.setContinue(optional(in.readString()));
      } else if (field == Meta.ListMeta.REMAININGITEMCOUNT_FIELD_NUMBER && varint(tag)) {
        m.setRemainingItemCount(in.readInt64());
      } else {
        in.skipField(tag);
      }
    }
    return m;
  }

  /** A pod's bytes, slim: what {@link CachedPods#slim} keeps, the rest passed over unread. */
  static V1Pod pod(CodedInputStream in) throws IOException {
    V1Pod out = new V1Pod();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == V1.Pod.METADATA_FIELD_NUMBER && delimited(tag)) {
        V1ObjectMeta meta = message(in, m -> ProtoWire.objectMeta(m, false));
        out.setMetadata(meta.annotations(CachedPods.orNull(meta.getAnnotations())));
      } else if (field == V1.Pod.SPEC_FIELD_NUMBER && delimited(tag)) {
        String nodeName = message(in, ProtoPodReader::nodeName);
        if (nodeName != null) {
          out.setSpec(CachedPods.slimSpec(nodeName));
        }
      } else if (field == V1.Pod.STATUS_FIELD_NUMBER && delimited(tag)) {
        out.setStatus(message(in, ProtoPodReader::status));
      } else {
        in.skipField(tag);
      }
    }
    return out;
  }

  private static String nodeName(CodedInputStream in) throws IOException {
    String nodeName = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == V1.PodSpec.NODENAME_FIELD_NUMBER && delimited(tag)) {
        nodeName = SharedValues.text(optional(in.readString()));
      } else {
        in.skipField(tag);
      }
    }
    return nodeName;
  }

  private static V1PodStatus status(CodedInputStream in) throws IOException {
    V1PodStatus st = new V1PodStatus();
    List<V1PodCondition> conditions = null;
    List<V1ContainerStatus> containers = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (!delimited(tag)) {
        in.skipField(tag);
        continue;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case V1.PodStatus.PHASE_FIELD_NUMBER -> st.setPhase(SharedValues.text(optional(in.readString())));
        case V1.PodStatus.REASON_FIELD_NUMBER -> st.setReason(SharedValues.text(optional(in.readString())));
        case V1.PodStatus.MESSAGE_FIELD_NUMBER -> st.setMessage(optional(in.readString()));
        case V1.PodStatus.CONDITIONS_FIELD_NUMBER -> {
          conditions = conditions == null ? new ArrayList<>() : conditions;
          V1PodCondition c = message(in, ProtoPodReader::condition);
          // Only PodScheduled is kept (see CachedPods).
          if ("PodScheduled".equals(c.getType())) {
            conditions.add(c);
          }
        }
        case V1.PodStatus.CONTAINERSTATUSES_FIELD_NUMBER -> {
          containers = containers == null ? new ArrayList<>() : containers;
          containers.add(message(in, ProtoPodReader::container));
        }
        default -> in.skipField(tag);
      }
    }
    if (conditions != null) {
      st.setConditions(conditions);
    }
    if (containers != null) {
      st.setContainerStatuses(containers);
    }
    return CachedPods.nullEmpty(st);
  }

  private static V1PodCondition condition(CodedInputStream in) throws IOException {
    V1PodCondition c = new V1PodCondition();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (!delimited(tag)) {
        in.skipField(tag);
        continue;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        // type and status are required: JSON writes them even when empty.
        case V1.PodCondition.TYPE_FIELD_NUMBER -> c.setType(SharedValues.text(in.readString()));
        case V1.PodCondition.STATUS_FIELD_NUMBER -> c.setStatus(SharedValues.text(in.readString()));
        case V1.PodCondition.REASON_FIELD_NUMBER -> c.setReason(SharedValues.text(optional(in.readString())));
        case V1.PodCondition.MESSAGE_FIELD_NUMBER -> c.setMessage(optional(in.readString()));
        case V1.PodCondition.LASTTRANSITIONTIME_FIELD_NUMBER -> c.setLastTransitionTime(message(in, ProtoWire::time));
        default -> in.skipField(tag);
      }
    }
    return c;
  }

  private static V1ContainerStatus container(CodedInputStream in) throws IOException {
    V1ContainerStatus c = new V1ContainerStatus().allocatedResources(null)
        .allocatedResourcesStatus(null).volumeMounts(null);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == V1.ContainerStatus.NAME_FIELD_NUMBER && delimited(tag)) {
        c.setName(SharedValues.text(in.readString()));
      } else if (field == V1.ContainerStatus.READY_FIELD_NUMBER && varint(tag)) {
        c.setReady(in.readBool());
      } else if (field == V1.ContainerStatus.RESTARTCOUNT_FIELD_NUMBER && varint(tag)) {
        c.setRestartCount(in.readInt32());
      } else if (field == V1.ContainerStatus.STATE_FIELD_NUMBER && delimited(tag)) {
        c.setState(message(in, ProtoPodReader::state));
      } else {
        in.skipField(tag);
      }
    }
    return c;
  }

  private static V1ContainerState state(CodedInputStream in) throws IOException {
    V1ContainerState s = new V1ContainerState();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (!delimited(tag)) {
        in.skipField(tag);
        continue;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case V1.ContainerState.WAITING_FIELD_NUMBER -> s.setWaiting(message(in, ProtoPodReader::waiting));
        case V1.ContainerState.RUNNING_FIELD_NUMBER -> s.setRunning(message(in, ProtoPodReader::running));
        case V1.ContainerState.TERMINATED_FIELD_NUMBER -> s.setTerminated(message(in, ProtoPodReader::terminated));
        default -> in.skipField(tag);
      }
    }
    return s;
  }

  private static V1ContainerStateWaiting waiting(CodedInputStream in) throws IOException {
    V1ContainerStateWaiting w = new V1ContainerStateWaiting();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == V1.ContainerStateWaiting.REASON_FIELD_NUMBER && delimited(tag)) {
        w.setReason(SharedValues.text(optional(in.readString())));
      } else if (field == V1.ContainerStateWaiting.MESSAGE_FIELD_NUMBER && delimited(tag)) {
        w.setMessage(optional(in.readString()));
      } else {
        in.skipField(tag);
      }
    }
    return w;
  }

  private static V1ContainerStateRunning running(CodedInputStream in) throws IOException {
    V1ContainerStateRunning r = new V1ContainerStateRunning();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == V1.ContainerStateRunning.STARTEDAT_FIELD_NUMBER
          && delimited(tag)) {
        r.setStartedAt(message(in, ProtoWire::time));
      } else {
        in.skipField(tag);
      }
    }
    return r;
  }

  private static V1ContainerStateTerminated terminated(CodedInputStream in) throws IOException {
    V1ContainerStateTerminated t = new V1ContainerStateTerminated();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == V1.ContainerStateTerminated.EXITCODE_FIELD_NUMBER && varint(tag)) {
        t.setExitCode(in.readInt32());
      } else if (field == V1.ContainerStateTerminated.SIGNAL_FIELD_NUMBER && varint(tag)) {
        int signal = in.readInt32();
        t.setSignal(signal == 0 ? null : signal);
      } else if (field == V1.ContainerStateTerminated.REASON_FIELD_NUMBER && delimited(tag)) {
        t.setReason(SharedValues.text(optional(in.readString())));
      } else if (field == V1.ContainerStateTerminated.MESSAGE_FIELD_NUMBER && delimited(tag)) {
        t.setMessage(optional(in.readString()));
      } else if (field == V1.ContainerStateTerminated.STARTEDAT_FIELD_NUMBER && delimited(tag)) {
        t.setStartedAt(message(in, ProtoWire::time));
      } else if (field == V1.ContainerStateTerminated.FINISHEDAT_FIELD_NUMBER && delimited(tag)) {
        t.setFinishedAt(message(in, ProtoWire::time));
      } else {
        in.skipField(tag);
      }
    }
    return t;
  }
}
