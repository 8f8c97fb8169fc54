package io.sparkk8s.api;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Status;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.exception.KubernetesApiExceptions;

/** Turns the client's ApiException and error responses into the SDK's exception family. */
public final class ApiErrors {
  private ApiErrors() {}

  /**
   * The object an operation was about, for messages.
   *
   * @param operation what was done ({@code create}, {@code get}, {@code delete}, ...)
   * @param kind the object's kind ({@code Pod}, {@code ConfigMap}, ...)
   * @param namespace its namespace
   * @param name its name
   */
  public record Target(String operation, String kind, String namespace, String name) {}

  /**
   * The SDK's exception for a failed call: {@code NotFoundException} for 404, {@code
   * ConflictException} for 409, {@code ForbiddenException} for 403, ... with the server's own
   * message when its answer carries a {@code Status}.
   */
  public static KubernetesApiException translate(Target t, ApiException e) {
    V1Status status = parseStatus(e.getResponseBody());
    String detail = status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
    return of(t, e.getCode(), status, detail, e);
  }

  /** The SDK's exception for an answer with HTTP {@code code} and the server's {@code status}. */
  public static KubernetesApiException of(Target t, int code, V1Status status, String detail,
      Throwable cause) {
    return KubernetesApiExceptions.of(t.operation(), t.kind(), t.namespace(), t.name(), code,
        status, detail, cause);
  }

  private static V1Status parseStatus(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.deserialize(body, V1Status.class);
    } catch (RuntimeException ignored) {
      return null;
    }
  }
}
