package io.sparkk8s.internal.kube;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import io.kubernetes.client.openapi.models.V1StatusDetails;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kubernetes' protobuf as the client reads it: the envelope every object comes in, embedded
 * messages read field by field with what is not kept passed over by its length, and refusals.
 * Readers built on it: the pod watch's ({@link ProtoPodReader}) and the head of a created object
 * ({@link ObjectHead}). Field numbers are those of client-java's generated protobuf classes.
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
  private static final byte[] MAGIC = {'k', '8', 's', 0};

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
    byte[] prefix = in.readNBytes(MAGIC.length);
    if (!java.util.Arrays.equals(prefix, MAGIC)) {
      throw new IOException("not Kubernetes' protobuf: the envelope's prefix is missing");
    }
  }

  static Envelope envelope(ByteString data) throws IOException {
    if (data.size() < MAGIC.length || data.byteAt(0) != MAGIC[0] || data.byteAt(1) != MAGIC[1]
        || data.byteAt(2) != MAGIC[2] || data.byteAt(3) != MAGIC[3]) {
      throw new IOException("not Kubernetes' protobuf: the envelope's prefix is missing");
    }
    CodedInputStream in = reader(data.substring(MAGIC.length));
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
      } else if (field == Runtime.Unknown.CONTENTENCODING_FIELD_NUMBER && delimited(tag)) {
        String encoding = in.readString();
        if (!encoding.isEmpty()) {
          throw new IOException("an object in content encoding " + encoding + " (none is read)");
        }
      } else {
        in.skipField(tag);
      }
    }
    return new Envelope(typeMeta[0], typeMeta[1], raw);
  }

  /** A {@code TypeMeta}: apiVersion and kind. */
  static String[] typeMeta(CodedInputStream in) throws IOException {
    String[] out = {null, null};
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == Runtime.TypeMeta.APIVERSION_FIELD_NUMBER && delimited(tag)) {
        out[0] = optional(in.readString());
      } else if (field == Runtime.TypeMeta.KIND_FIELD_NUMBER && delimited(tag)) {
        out[1] = optional(in.readString());
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
          pair[field - 1] = e.readString();
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
