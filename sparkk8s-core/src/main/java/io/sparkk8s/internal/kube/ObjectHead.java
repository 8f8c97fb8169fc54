package io.sparkk8s.internal.kube;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/**
 * An object as far as the client reads it back after creating it: kind and metadata (its uid,
 * owners, labels), the rest of the response skipped instead of read into a full model. Gson fills
 * the fields.
 */
final class ObjectHead implements KubernetesObject {
  private String apiVersion;
  private String kind;
  private V1ObjectMeta metadata;

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
    return metadata;
  }
}
