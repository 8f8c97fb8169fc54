package io.sparkk8s.internal.kube;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.kubernetes.client.openapi.JSON;
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
import io.kubernetes.client.util.Watch;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads pods from the API server's JSON straight into the slim copies the watch keeps
 * ({@link CachedPods}), skipping what is not kept while reading instead of building the full pod
 * first. A pod event is about 7.5 KB of JSON, most of it {@code managedFields} and the spec's
 * containers, env, volumes and resource quantities; deserialising all of that into client-java's
 * models, only to copy out a dozen fields, was the largest part of the client's CPU and allocation
 * per job under a burst of submissions (the benchmark's profile, issue 23).
 *
 * <p>The result equals {@code CachedPods.slim(pod)} of the fully read pod ({@code
 * SlimPodReaderTest} checks it field by field through JSON). Watch events whose object is a
 * {@code Status} (an {@code ERROR}: the resource version is too old, say) come back as client-java's
 * do, with the status set.
 *
 * <p>The watch asks for protobuf first ({@link ProtoPodReader}, cheaper still); this reader is
 * for an API server, or a proxy before it, that answers JSON.
 */
final class SlimPodReader {
  private SlimPodReader() {}

  /**
   * A watch of pods in JSON: one event per line, each read by {@link #event} (the pod watch's
   * reading when the API server answers JSON, {@link ProtoPodReader}).
   */
  static final class LineWatch extends StreamWatch {
    LineWatch(okhttp3.Response response, okhttp3.Call call) {
      super(response, call);
    }

    @Override
    Watch.Response<V1Pod> read(okio.BufferedSource source) throws IOException {
      String line = source.readUtf8Line();
      if (line == null) {
        throw new RuntimeException("Null response from the server.");
      }
      return event(line);
    }
  }

  /** One line of a watch of pods. */
  static Watch.Response<V1Pod> event(String line) throws IOException {
    String type = null;
    V1Pod pod = null;
    boolean status = false;
    try (JsonReader in = new JsonReader(new StringReader(line))) {
      in.beginObject();
      while (in.hasNext()) {
        String name = in.nextName();
        if (name.equals("type")) {
          type = in.nextString();
        } else if (name.equals("object") && type == null) {
          // The API server writes "type" first; read anything else the slow way.
          return unordered(line);
        } else if (name.equals("object") && !"ERROR".equals(type) && object(in)) {
          pod = pod(in);
        } else {
          status |= name.equals("object");
          in.skipValue();
        }
      }
      in.endObject();
    }
    if (status || "ERROR".equals(type) || (pod != null && "Status".equals(pod.getKind()))) {
      return new Watch.Response<>(type, statusOf(line));
    }
    return new Watch.Response<>(type, pod);
  }

  /** An event whose object comes before its type. */
  private static Watch.Response<V1Pod> unordered(String line) throws IOException {
    var json = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
    String type = json.has("type") ? json.get("type").getAsString() : null;
    var object = json.get("object");
    boolean status = object != null && object.isJsonObject() && object.getAsJsonObject().has("kind")
        && "Status".equals(object.getAsJsonObject().get("kind").getAsString());
    if ("ERROR".equals(type) || status || object == null || !object.isJsonObject()) {
      return new Watch.Response<>(type, statusOf(line));
    }
    try (JsonReader in = new com.google.gson.internal.bind.JsonTreeReader(object)) {
      return new Watch.Response<>(type, pod(in));
    }
  }

  /** The {@code Status} an {@code ERROR} event carries (read in full: it is small and rare). */
  private static V1Status statusOf(String line) {
    var object = com.google.gson.JsonParser.parseString(line).getAsJsonObject().get("object");
    return object != null && object.isJsonObject()
        ? JSON.getGson().fromJson(object, V1Status.class)
        : new V1Status().status("Failure").message("a watch event without a status: " + line);
  }

  /** A pod list (a response body), its items slim. */
  static V1PodList list(Reader body) throws IOException {
    try (JsonReader in = new JsonReader(body)) {
      V1PodList list = new V1PodList().items(new ArrayList<>());
      fields(in, name -> {
        switch (name) {
          case "apiVersion" -> list.setApiVersion(string(in));
          case "kind" -> list.setKind(string(in));
          case "metadata" -> list.setMetadata(JSON.getGson().fromJson(in, V1ListMeta.class));
          case "items" -> {
            if (in.peek() == JsonToken.NULL) {
              in.nextNull();
            } else {
              in.beginArray();
              while (in.hasNext()) {
                list.getItems().add(pod(in));
              }
              in.endArray();
            }
          }
          default -> in.skipValue();
        }
      });
      return list;
    }
  }

  /** A pod object at the reader's position, slim. */
  static V1Pod pod(JsonReader in) throws IOException {
    V1Pod out = new V1Pod();
    fields(in, name -> {
      switch (name) {
        case "apiVersion" -> out.setApiVersion(SharedValues.text(string(in)));
        case "kind" -> out.setKind(SharedValues.text(string(in)));
        case "metadata" -> out.setMetadata(object(in) ? metadata(in) : null);
        case "spec" -> {
          String nodeName = object(in) ? nodeName(in) : null;
          if (nodeName != null) {
            out.setSpec(CachedPods.slimSpec(nodeName));
          }
        }
        case "status" -> out.setStatus(object(in) ? status(in) : null);
        default -> in.skipValue();
      }
    });
    return out;
  }

  private static V1ObjectMeta metadata(JsonReader in) throws IOException {
    V1ObjectMeta m = new V1ObjectMeta();
    fields(in, name -> {
      switch (name) {
        case "name" -> m.setName(string(in));
        case "namespace" -> m.setNamespace(SharedValues.text(string(in)));
        case "uid" -> m.setUid(string(in));
        case "resourceVersion" -> m.setResourceVersion(string(in));
        case "labels" -> m.setLabels(map(in));
        case "annotations" -> m.setAnnotations(map(in));
        case "creationTimestamp" -> m.setCreationTimestamp(time(in));
        case "deletionTimestamp" -> m.setDeletionTimestamp(time(in));
        default -> in.skipValue();
      }
    });
    // The slim copy leaves these unset, where the model starts them as empty lists or maps.
    return m.annotations(CachedPods.orNull(m.getAnnotations())).finalizers(null).ownerReferences(null)
        .managedFields(null);
  }

  private static String nodeName(JsonReader in) throws IOException {
    String[] nodeName = {null};
    fields(in, name -> {
      if (name.equals("nodeName")) {
        nodeName[0] = SharedValues.text(string(in));
      } else {
        in.skipValue();
      }
    });
    return nodeName[0];
  }

  private static V1PodStatus status(JsonReader in) throws IOException {
    V1PodStatus st = new V1PodStatus();
    fields(in, name -> {
      switch (name) {
        case "phase" -> st.setPhase(SharedValues.text(string(in)));
        case "reason" -> st.setReason(SharedValues.text(string(in)));
        case "message" -> st.setMessage(string(in));
        case "conditions" -> st.setConditions(array(in) ? conditions(in) : null);
        case "containerStatuses" -> st.setContainerStatuses(array(in) ? containers(in) : null);
        default -> in.skipValue();
      }
    });
    return CachedPods.nullEmpty(st);
  }

  /** Only {@code PodScheduled} is kept (see {@link CachedPods}). */
  private static List<V1PodCondition> conditions(JsonReader in) throws IOException {
    List<V1PodCondition> out = new ArrayList<>();
    in.beginArray();
    while (in.hasNext()) {
      if (!object(in)) {
        continue;
      }
      V1PodCondition c = new V1PodCondition();
      fields(in, name -> {
        switch (name) {
          case "type" -> c.setType(SharedValues.text(string(in)));
          case "status" -> c.setStatus(SharedValues.text(string(in)));
          case "reason" -> c.setReason(SharedValues.text(string(in)));
          case "message" -> c.setMessage(string(in));
          case "lastTransitionTime" -> c.setLastTransitionTime(time(in));
          default -> in.skipValue();
        }
      });
      if ("PodScheduled".equals(c.getType())) {
        out.add(c);
      }
    }
    in.endArray();
    return out;
  }

  private static List<V1ContainerStatus> containers(JsonReader in) throws IOException {
    List<V1ContainerStatus> out = new ArrayList<>();
    in.beginArray();
    while (in.hasNext()) {
      if (!object(in)) {
        continue;
      }
      V1ContainerStatus c = new V1ContainerStatus().allocatedResources(null)
          .allocatedResourcesStatus(null).volumeMounts(null);
      fields(in, name -> {
        switch (name) {
          case "name" -> c.setName(SharedValues.text(string(in)));
          case "ready" -> c.setReady(bool(in));
          case "restartCount" -> c.setRestartCount(integer(in));
          case "state" -> c.setState(object(in) ? state(in) : null);
          default -> in.skipValue();
        }
      });
      out.add(c);
    }
    in.endArray();
    return out;
  }

  private static V1ContainerState state(JsonReader in) throws IOException {
    V1ContainerState s = new V1ContainerState();
    fields(in, name -> {
      switch (name) {
        case "waiting" -> s.setWaiting(object(in) ? waiting(in) : null);
        case "running" -> s.setRunning(object(in) ? running(in) : null);
        case "terminated" -> s.setTerminated(object(in) ? terminated(in) : null);
        default -> in.skipValue();
      }
    });
    return s;
  }

  private static V1ContainerStateWaiting waiting(JsonReader in) throws IOException {
    V1ContainerStateWaiting w = new V1ContainerStateWaiting();
    fields(in, name -> {
      switch (name) {
        case "reason" -> w.setReason(SharedValues.text(string(in)));
        case "message" -> w.setMessage(string(in));
        default -> in.skipValue();
      }
    });
    return w;
  }

  private static V1ContainerStateRunning running(JsonReader in) throws IOException {
    V1ContainerStateRunning r = new V1ContainerStateRunning();
    fields(in, name -> {
      if (name.equals("startedAt")) {
        r.setStartedAt(time(in));
      } else {
        in.skipValue();
      }
    });
    return r;
  }

  private static V1ContainerStateTerminated terminated(JsonReader in) throws IOException {
    V1ContainerStateTerminated t = new V1ContainerStateTerminated();
    fields(in, name -> {
      switch (name) {
        case "exitCode" -> t.setExitCode(integer(in));
        case "reason" -> t.setReason(SharedValues.text(string(in)));
        case "message" -> t.setMessage(string(in));
        case "startedAt" -> t.setStartedAt(time(in));
        case "finishedAt" -> t.setFinishedAt(time(in));
        case "signal" -> t.setSignal(integer(in));
        default -> in.skipValue();
      }
    });
    return t;
  }

  // ---- values -------------------------------------------------------------------------------

  /** Reads one field of an object; skips the value of a field it does not keep. */
  private interface Field {
    void read(String name) throws IOException;
  }

  /** An object at the reader's position, field by field. */
  private static void fields(JsonReader in, Field field) throws IOException {
    in.beginObject();
    while (in.hasNext()) {
      field.read(in.nextName());
    }
    in.endObject();
  }

  /** Whether an object follows; a null is consumed (false). */
  private static boolean object(JsonReader in) throws IOException {
    return present(in, JsonToken.BEGIN_OBJECT);
  }

  private static boolean array(JsonReader in) throws IOException {
    return present(in, JsonToken.BEGIN_ARRAY);
  }

  private static boolean present(JsonReader in, JsonToken expected) throws IOException {
    JsonToken token = in.peek();
    if (token == JsonToken.NULL) {
      in.nextNull();
      return false;
    }
    if (token != expected) {
      throw new IOException("expected " + expected + " but found " + token + " at " + in.getPath());
    }
    return true;
  }

  private static String string(JsonReader in) throws IOException {
    if (in.peek() == JsonToken.NULL) {
      in.nextNull();
      return null;
    }
    return in.nextString();
  }

  private static Integer integer(JsonReader in) throws IOException {
    if (in.peek() == JsonToken.NULL) {
      in.nextNull();
      return null;
    }
    return in.nextInt();
  }

  private static Boolean bool(JsonReader in) throws IOException {
    if (in.peek() == JsonToken.NULL) {
      in.nextNull();
      return null;
    }
    return in.nextBoolean();
  }

  private static OffsetDateTime time(JsonReader in) throws IOException {
    // client-java's own adapter: the same formats as a fully read pod.
    return SharedValues.time(JSON.getGson().getAdapter(OffsetDateTime.class).read(in));
  }

  private static Map<String, String> map(JsonReader in) throws IOException {
    if (!object(in)) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    in.beginObject();
    while (in.hasNext()) {
      out.put(SharedValues.text(in.nextName()), SharedValues.text(string(in)));
    }
    in.endObject();
    return out;
  }
}
