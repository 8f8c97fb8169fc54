package io.sparkk8s.internal.kube;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import io.kubernetes.client.openapi.models.V1StatusDetails;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Meta.ObjectMeta;
import io.kubernetes.client.proto.Meta.OwnerReference;
import io.kubernetes.client.proto.Runtime;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' protobuf as the client reads it: the envelope every object comes in, embedded
 * messages read field by field with what is not kept passed over by its length, and refusals.
 * Readers built on it: the pod watch's ({@link ProtoPodReader}) and the head of a created object
 * ({@link ObjectHead}), which read an object's metadata alike ({@link #objectMeta}). Field numbers are those of client-java's generated protobuf classes.
 *
 * <p>Kubernetes' protobuf writes every non-pointer field, so an empty string is a field its JSON
 * leaves out ({@code omitempty}): {@link #optional} reads it as null, as JSON readers see it.
 */
final class ProtoWire {
  private ProtoWire() {}

  static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
  /** JSON stays acceptable: an API server or proxy that does not speak protobuf (or a CRD) answers that. */
  static final String ACCEPT = PROTOBUF + ", application/json";
  /** The prefix of Kubernetes' protobuf envelope ({@code runtime.Unknown}). */
  private static final ByteString MAGIC = ByteString.copyFrom(new byte[] {'k', '8', 's', 0});

  /**
   * Kubernetes' envelope: the object's apiVersion and kind, and the object's own bytes (a view of
   * the bytes read, not a copy).
   */
  record Envelope(String apiVersion, String kind, ByteString raw) {
    /** A reader of the object's fields. */
    CodedInputStream fields() {
      return reader(raw);
    }
  }

  /** A reader of {@code bytes} whose length-delimited fields are views of them, not copies. */
  static CodedInputStream reader(ByteString bytes) {
    CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    return in;
  }

  /** Reads the fields of one embedded message. */
  interface Body<T> {
    T read(CodedInputStream in) throws IOException;
  }

  static boolean protobuf(okhttp3.Response response) {
    String type = response.header("Content-Type");
    return type != null && type.startsWith(PROTOBUF);
  }

  /**
   * An {@link ApiException} as client-java raises it when the API server did not answer 2xx; a
   * {@code Status} in protobuf is given as its JSON, so the body reads as it would have.
   */
  static void refused(okhttp3.Response response) throws ApiException {
    if (response.isSuccessful()) {
      return;
    }
    String body;
    try {
      if (response.body() == null) {
        body = null;
      } else if (protobuf(response)) {
        body = JSON.serialize(status(envelope(ByteString.copyFrom(response.body().bytes()))));
      } else {
        body = response.body().string();
      }
    } catch (IOException e) {
      throw new ApiException(response.message(), e, response.code(), response.headers().toMultimap());
    }
    throw new ApiException(response.message(), response.code(), response.headers().toMultimap(), body);
  }

  /** Reads the envelope's prefix off a stream; refuses one without it. */
  static void magic(java.io.InputStream in) throws IOException {
    prefixed(ByteString.copyFrom(in.readNBytes(MAGIC.size())));
  }

  private static void prefixed(ByteString data) throws IOException {
    if (!data.startsWith(MAGIC)) {
      throw new IOException("not Kubernetes' protobuf: the envelope's prefix is missing");
    }
  }

  static Envelope envelope(ByteString data) throws IOException {
    prefixed(data);
    CodedInputStream in = reader(data.substring(MAGIC.size()));
    String[] typeMeta = {null, null};
    ByteString raw = ByteString.EMPTY;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == Runtime.Unknown.TYPEMETA_FIELD_NUMBER && delimited(tag)) {
        String[] read = message(in, ProtoWire::typeMeta);
        typeMeta[0] = read[0];
        typeMeta[1] = read[1];
      } else if (field == Runtime.Unknown.RAW_FIELD_NUMBER && delimited(tag)) {
        raw = in.readBytes();
      } else {
        plain(in, tag);
      }
    }
    return new Envelope(typeMeta[0], typeMeta[1], raw);
  }

  /**
   * Any other field of an envelope: a content encoding (a compressed object, which nothing here
   * reads) is refused; the rest is passed over.
   */
  static void plain(CodedInputStream in, int tag) throws IOException {
    if (WireFormat.getTagFieldNumber(tag) == Runtime.Unknown.CONTENTENCODING_FIELD_NUMBER && delimited(tag)) {
      String encoding = in.readString();
      if (!encoding.isEmpty()) {
        throw new IOException("an object in content encoding " + encoding + " (none is read)");
      }
    } else {
      in.skipField(tag);
    }
  }

  /** A {@code TypeMeta}: apiVersion and kind. */
  static String[] typeMeta(CodedInputStream in) throws IOException {
    String[] out = {null, null};
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == Runtime.TypeMeta.APIVERSION_FIELD_NUMBER && delimited(tag)) {
        out[0] = SharedValues.text(optional(in.readString()));
      } else if (field == Runtime.TypeMeta.KIND_FIELD_NUMBER && delimited(tag)) {
        out[1] = SharedValues.text(optional(in.readString()));
      } else {
        in.skipField(tag);
      }
    }
    return out;
  }

  /**
   * The {@code Status} of an error, in full as its JSON reads (details and causes included: users
   * read them from the SDK's exceptions); parsed by the generated parser: it is small and rare.
   */
  static V1Status status(Envelope envelope) throws IOException {
    Meta.Status s = Meta.Status.parseFrom(envelope.raw());
    V1Status out = new V1Status().apiVersion(envelope.apiVersion()).kind(envelope.kind())
        .status(optional(s.getStatus())).message(optional(s.getMessage()))
        .reason(optional(s.getReason())).code(s.getCode() == 0 ? null : s.getCode())
        .metadata(new V1ListMeta().resourceVersion(optional(s.getMetadata().getResourceVersion()))
            ._continue(optional(s.getMetadata().getContinue())));
    if (s.hasDetails()) {
      Meta.StatusDetails d = s.getDetails();
      out.details(new V1StatusDetails().name(optional(d.getName())).group(optional(d.getGroup()))
          .kind(optional(d.getKind())).uid(optional(d.getUid()))
          .retryAfterSeconds(d.getRetryAfterSeconds() == 0 ? null : d.getRetryAfterSeconds())
          // An empty list where there are none, as client-java's model starts it.
          .causes(d.getCausesList().stream()
              .map(c -> new V1StatusCause().reason(optional(c.getReason()))
                  .message(optional(c.getMessage())).field(optional(c.getField())))
              .toList()));
    }
    return out;
  }

  /**
   * An {@code ObjectMeta}: name, namespace, uid, resourceVersion, creation and deletion times,
   * labels, annotations and, if {@code owners}, owner references; the rest (managedFields above
   * all) passed over. What the watch's slim pods and a created object's head read.
   */
  static V1ObjectMeta objectMeta(CodedInputStream in, boolean owners) throws IOException {
    V1ObjectMeta m = new V1ObjectMeta();
    Map<String, String> labels = null;
    Map<String, String> annotations = null;
    List<V1OwnerReference> references = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (!delimited(tag)) {
        in.skipField(tag);
        continue;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case ObjectMeta.NAME_FIELD_NUMBER -> m.setName(optional(in.readString()));
        case ObjectMeta.NAMESPACE_FIELD_NUMBER -> m.setNamespace(SharedValues.text(optional(in.readString())));
        case ObjectMeta.UID_FIELD_NUMBER -> m.setUid(optional(in.readString()));
        case ObjectMeta.RESOURCEVERSION_FIELD_NUMBER -> m.setResourceVersion(optional(in.readString()));
        case ObjectMeta.CREATIONTIMESTAMP_FIELD_NUMBER -> m.setCreationTimestamp(message(in, ProtoWire::time));
        case ObjectMeta.DELETIONTIMESTAMP_FIELD_NUMBER -> m.setDeletionTimestamp(message(in, ProtoWire::time));
        case ObjectMeta.LABELS_FIELD_NUMBER -> labels = entry(in, labels);
        case ObjectMeta.ANNOTATIONS_FIELD_NUMBER -> annotations = entry(in, annotations);
        case ObjectMeta.OWNERREFERENCES_FIELD_NUMBER -> {
          if (owners) {
            references = references == null ? new ArrayList<>() : references;
            references.add(message(in, ProtoWire::owner));
          } else {
            in.skipField(tag);
          }
        }
        default -> in.skipField(tag);
      }
    }
    if (labels != null) {
      m.setLabels(labels);
    }
    if (annotations != null) {
      m.setAnnotations(annotations);
    }
    // Left unset where the model starts them as empty lists, as a JSON reading leaves them.
    return m.finalizers(null).ownerReferences(references).managedFields(null);
  }

  private static V1OwnerReference owner(CodedInputStream in) throws IOException {
    V1OwnerReference r = new V1OwnerReference();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      boolean text = delimited(tag);
      boolean flag = varint(tag);
      if (field == OwnerReference.APIVERSION_FIELD_NUMBER && text) {
        r.setApiVersion(in.readString());
      } else if (field == OwnerReference.KIND_FIELD_NUMBER && text) {
        r.setKind(in.readString());
      } else if (field == OwnerReference.NAME_FIELD_NUMBER && text) {
        r.setName(in.readString());
      } else if (field == OwnerReference.UID_FIELD_NUMBER && text) {
        r.setUid(in.readString());
      } else if (field == OwnerReference.CONTROLLER_FIELD_NUMBER && flag) {
        r.setController(in.readBool());
      } else if (field == OwnerReference.BLOCKOWNERDELETION_FIELD_NUMBER && flag) {
        r.setBlockOwnerDeletion(in.readBool());
      } else {
        in.skipField(tag);
      }
    }
    return r;
  }

  /**
   * A {@code meta.v1.Time}: whole seconds (the API server writes no nanos, as its JSON has
   * none); the zero time, which JSON writes as null, is null.
   */
  static OffsetDateTime time(CodedInputStream in) throws IOException {
    long seconds = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == Meta.Time.SECONDS_FIELD_NUMBER && varint(tag)) {
        seconds = in.readInt64();
      } else {
        in.skipField(tag);
      }
    }
    return seconds == 0 ? null : SharedValues.time(seconds);
  }

  /** An embedded message at the reader's position (its length, then its fields), read by {@code body}. */
  static <T> T message(CodedInputStream in, Body<T> body) throws IOException {
    int length = in.readRawVarint32();
    int outer = in.pushLimit(length);
    T value = body.read(in);
    in.popLimit(outer);
    return value;
  }

  /** One entry of a {@code map<string, string>} (a message of key 1 and value 2) put into {@code map}. */
  static Map<String, String> entry(CodedInputStream in, Map<String, String> map) throws IOException {
    Map<String, String> out = map == null ? new LinkedHashMap<>() : map;
    String[] kv = message(in, e -> {
      String[] pair = {"", ""};
      for (int tag = e.readTag(); tag != 0; tag = e.readTag()) {
        int field = WireFormat.getTagFieldNumber(tag);
        if ((field == 1 || field == 2) && delimited(tag)) {
          pair[field - 1] = SharedValues.text(e.readString());
        } else {
          e.skipField(tag);
        }
      }
      return pair;
    });
    out.put(kv[0], kv[1]);
    return out;
  }

  static boolean delimited(int tag) {
    return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  static boolean varint(int tag) {
    return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT;
  }

  /** Kubernetes' protobuf writes an unset string as empty; its JSON leaves it out. */
  static String optional(String value) {
    return value.isEmpty() ? null : value;
  }
}
