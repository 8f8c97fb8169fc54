package io.sparkk8s.exception;

import io.kubernetes.client.openapi.models.V1Status;

/**
 * The credentials may not do this (HTTP 401 or 403). Grant the Role the SDK documents, for example
 * with {@link io.sparkk8s.SparkKubernetes#ensureDriverServiceAccount(String, String)} for drivers.
 */
public class ForbiddenException extends KubernetesApiException {
  private static final long serialVersionUID = 1L;

  /** See {@link KubernetesApiException}. */
  public ForbiddenException(String operation, String kind, String namespace, String name, int code,
      V1Status status, String detail, Throwable cause) {
    super(operation, kind, namespace, name, code, status, detail, cause);
  }
}
