package io.sparkk8s.testing;

import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusDetails;
import io.sparkk8s.CompiledJob;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.KubernetesApiException;
import io.sparkk8s.exception.KubernetesApiExceptions;
import io.sparkk8s.exception.NotFoundException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

/**
 * A queued submit failure of an {@link InMemorySparkKubernetes}: a given exception, an HTTP
 * answer, or a lost response, made into the exception the real client would throw.
 */
record SubmitFailure(KubernetesApiException error, int httpCode, boolean responseLost) {

  KubernetesApiException exception(CompiledJob job) {
    if (error != null) {
      return error;
    }
    String ns = job.namespace();
    String pod = job.driverPodName();
    if (responseLost) {
      return KubernetesApiExceptions.of("create", "Pod", ns, pod, 0, null,
          "timeout (the response was lost: InMemorySparkKubernetes.loseNextSubmitResponse())",
          new SocketTimeoutException("timeout"));
    }
    if (httpCode == 0) {
      return KubernetesApiExceptions.of("create", "Pod", ns, pod, 0, null,
          "Failed to connect (injected by InMemorySparkKubernetes.failNextSubmit(0))",
          new ConnectException("Failed to connect"));
    }
    String message = "injected by InMemorySparkKubernetes.failNextSubmit(" + httpCode + ")";
    return KubernetesApiExceptions.of("create", "Pod", ns, pod, httpCode,
        status(httpCode, reason(httpCode), message, pod), message, null);
  }

  private static String reason(int code) {
    return switch (code) {
      case 400 -> "BadRequest";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 410 -> "Gone";
      case 422 -> "Invalid";
      case 429 -> "TooManyRequests";
      case 500 -> "InternalError";
      case 503 -> "ServiceUnavailable";
      case 504 -> "Timeout";
      default -> "";
    };
  }

  /** The real client's answer when the driver exists and may not be attached to. */
  static ConflictException conflict(CompiledJob compiled, String existingAppId) {
    String name = compiled.driverPodName();
    return new ConflictException("submit", "Pod", compiled.namespace(), name, 409,
        status(409, "AlreadyExists", "pods \"" + name + "\" already exists", name),
        "a driver of this name exists (app id " + existingAppId + ", this job's is "
            + compiled.appId() + "); use OnConflict.REPLACE or a new appId", null);
  }

  static V1Status status(int code, String reason, String message, String name) {
    V1Status status = new V1Status().apiVersion("v1").kind("Status").status("Failure").code(code)
        .reason(reason).message(message);
    return name == null ? status : status.details(new V1StatusDetails().name(name).kind("pods"));
  }

  /** What the real client throws for a driver pod that does not exist. */
  static NotFoundException notFound(String operation, String namespace, String name) {
    String message = "pods \"" + name + "\" not found";
    return new NotFoundException(operation, "Pod", namespace, name, 404,
        status(404, "NotFound", message, name), message, null);
  }

  /** {@code labelSelector} parsed, or what the API server answers to one that is not valid. */
  static LabelSelector selector(String namespace, String labelSelector) {
    try {
      return LabelSelector.parse(labelSelector);
    } catch (IllegalArgumentException e) {
      throw new KubernetesApiException("list", "Pod", namespace, labelSelector, 400,
          status(400, "BadRequest", e.getMessage(), null), e.getMessage(), null);
    }
  }
}
