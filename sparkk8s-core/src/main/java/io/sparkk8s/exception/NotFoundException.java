package io.sparkk8s.exception;

import io.kubernetes.client.openapi.models.V1Status;

/** The object does not exist (HTTP 404): attach to a job that is gone, or a namespace that does not exist. */
public class NotFoundException extends KubernetesApiException {
  private static final long serialVersionUID = 1L;

  /** See {@link KubernetesApiException}. */
  public NotFoundException(String operation, String kind, String namespace, String name, int code,
      V1Status status, String detail, Throwable cause) {
    super(operation, kind, namespace, name, code, status, detail, cause);
  }
}
