package io.sparkk8s.exception;

import io.kubernetes.client.openapi.models.V1Status;
import java.util.Optional;

/**
 * The API server refused or could not be reached for an operation. Names the operation, the kind,
 * namespace and name of the object, and carries the HTTP code and the API's {@code Status} when
 * there is one. Subtypes mark the cases callers act on differently.
 */
public class KubernetesApiException extends SparkK8sException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final String kind;
  private final String namespace;
  private final String name;
  private final int code;
  private final transient V1Status status;

  /** {@code code} is the HTTP status, 0 when no answer came. */
  public KubernetesApiException(String operation, String kind, String namespace, String name,
      int code, V1Status status, String detail, Throwable cause) {
    super("Operation [" + operation + "] for kind [" + kind + "] with name [" + name
        + "] in namespace [" + namespace + "] failed" + (code > 0 ? " (HTTP " + code + ")" : "")
        + (detail == null || detail.isEmpty() ? "" : ": " + detail), cause);
    this.operation = operation;
    this.kind = kind;
    this.namespace = namespace;
    this.name = name;
    this.code = code;
    this.status = status;
  }

  public String operation() {
    return operation;
  }

  public String kind() {
    return kind;
  }

  public String namespace() {
    return namespace;
  }

  public String name() {
    return name;
  }

  /** The HTTP status code, or 0 when the server did not answer. */
  public int code() {
    return code;
  }

  /** The API server's Status object, when it sent one. */
  public Optional<V1Status> status() {
    return Optional.ofNullable(status);
  }
}
