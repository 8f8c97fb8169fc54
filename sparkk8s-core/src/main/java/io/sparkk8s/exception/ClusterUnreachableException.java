package io.sparkk8s.exception;

import io.kubernetes.client.openapi.models.V1Status;

/** No answer from the API server (connection refused, timed out, TLS failure). Safe to retry: submits are idempotent. */
public class ClusterUnreachableException extends KubernetesApiException {
  private static final long serialVersionUID = 1L;

  /** See {@link KubernetesApiException}. */
  public ClusterUnreachableException(String operation, String kind, String namespace, String name, int code,
      V1Status status, String detail, Throwable cause) {
    super(operation, kind, namespace, name, code, status, detail, cause);
  }
}
