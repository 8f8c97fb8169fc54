package io.sparkk8s.internal.kube;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.util.List;
import java.util.Map;

/**
 * An object as far as the client reads it back after creating it: kind and the metadata it uses
 * (name, namespace, uid, labels, annotations, owners). Gson fills the fields and skips the rest of
 * the response (spec, status, {@code managedFields}) instead of reading it into full models.
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
