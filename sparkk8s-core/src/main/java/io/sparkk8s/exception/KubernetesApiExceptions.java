package io.sparkk8s.exception;

import io.kubernetes.client.openapi.models.V1Status;

/** Makes the exception that reports a failed call to the API server. */
public final class KubernetesApiExceptions {
  private KubernetesApiExceptions() {}

  /**
   * The exception for an answer with HTTP status {@code code} (0: none came): {@link
   * ClusterUnreachableException} for 0, {@link ForbiddenException} for 401 and 403, {@link
   * NotFoundException} for 404, {@link ConflictException} for 409, {@link KubernetesApiException}
   * for any other. What the client throws, and what a test double should.
   */
  public static KubernetesApiException of(String operation, String kind, String namespace,
      String name, int code, V1Status status, String detail, Throwable cause) {
    return switch (code) {
      case 0 -> new ClusterUnreachableException(operation, kind, namespace, name, 0, status,
          detail, cause);
      case 401, 403 -> new ForbiddenException(operation, kind, namespace, name, code, status,
          detail, cause);
      case 404 -> new NotFoundException(operation, kind, namespace, name, code, status, detail,
          cause);
      case 409 -> new ConflictException(operation, kind, namespace, name, code, status, detail,
          cause);
      default -> new KubernetesApiException(operation, kind, namespace, name, code, status,
          detail, cause);
    };
  }
}
