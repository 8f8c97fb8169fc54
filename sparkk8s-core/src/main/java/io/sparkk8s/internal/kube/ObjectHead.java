package io.sparkk8s.internal.kube;

import static io.sparkk8s.internal.kube.ProtoWire.delimited;
import static io.sparkk8s.internal.kube.ProtoWire.message;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.proto.V1;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * An object as far as the client reads it back after creating it: kind and the metadata it uses
 * (name, namespace, uid, labels, annotations, owners). Gson fills the fields and skips the rest of
 * the response (spec, status, {@code managedFields}) instead of reading it into full models; in
 * protobuf ({@link #read}) the rest is passed over by its length, unread.
 */
final class ObjectHead implements KubernetesObject {
  private String apiVersion;
  private String kind;
  private Meta metadata;

  /** The metadata fields read; everything else in the response is skipped. */
  private static final class Meta {
    private String name;
    private String namespace;
    private String uid;
    private Map<String, String> labels;
    private Map<String, String> annotations;
    private List<V1OwnerReference> ownerReferences;

    static Meta of(V1ObjectMeta read) {
      Meta m = new Meta();
      m.name = read.getName();
      m.namespace = read.getNamespace();
      m.uid = read.getUid();
      m.labels = read.getLabels();
      m.annotations = read.getAnnotations();
      m.ownerReferences = read.getOwnerReferences();
      return m;
    }
  }

  /**
   * The head of an object in Kubernetes' protobuf (a response body in its envelope): every
   * built-in kind carries its {@code ObjectMeta} as field 1. Reads as Gson reads the same object's
   * JSON into this class ({@code ProtoPodReaderE2E} checks it on the API server's answers).
   */
  static ObjectHead read(byte[] body) throws IOException {
    ProtoWire.Envelope envelope = ProtoWire.envelope(UnsafeByteOperations.unsafeWrap(body));
    ObjectHead head = new ObjectHead();
    head.apiVersion = envelope.apiVersion();
    head.kind = envelope.kind();
    CodedInputStream in = envelope.fields();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == V1.Pod.METADATA_FIELD_NUMBER
          && delimited(tag)) {
        head.metadata = Meta.of(message(in, m -> ProtoWire.objectMeta(m, true)));
      } else {
        in.skipField(tag);
      }
    }
    return head;
  }

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public String getKind() {
    return kind;
  }

  @Override
  public V1ObjectMeta getMetadata() {
    if (metadata == null) {
      return null;
    }
    return new V1ObjectMeta().name(metadata.name).namespace(metadata.namespace).uid(metadata.uid)
        .labels(metadata.labels).annotations(metadata.annotations)
        .ownerReferences(metadata.ownerReferences);
  }
}
