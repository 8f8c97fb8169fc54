package io.sparkk8s.exception;

import io.kubernetes.client.openapi.models.V1Status;

/**
 * The object already exists or was changed concurrently (HTTP 409). Avoid it with {@link
 * io.sparkk8s.OnConflict#ATTACH} or {@link io.sparkk8s.OnConflict#REPLACE}, or a new application
 * id.
 */
public class ConflictException extends KubernetesApiException {
  private static final long serialVersionUID = 1L;

  /** See {@link KubernetesApiException}. */
  public ConflictException(String operation, String kind, String namespace, String name, int code,
      V1Status status, String detail, Throwable cause) {
    super(operation, kind, namespace, name, code, status, detail, cause);
  }
}
