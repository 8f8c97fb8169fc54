package io.sparkk8s.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.ApiException;
import io.sparkk8s.exception.ClusterUnreachableException;
import io.sparkk8s.exception.ConflictException;
import io.sparkk8s.exception.ForbiddenException;
import io.sparkk8s.exception.NotFoundException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {
  final ApiErrors.Target target = new ApiErrors.Target("create", "Pod", "jobs", "pi-driver");

  @Test
  void mapsCodesToTheExceptionsCallersActOn() {
    assertThat(ApiErrors.translate(target, new ApiException(409, "x"))).isInstanceOf(ConflictException.class);
    assertThat(ApiErrors.translate(target, new ApiException(404, "x"))).isInstanceOf(NotFoundException.class);
    assertThat(ApiErrors.translate(target, new ApiException(403, "x"))).isInstanceOf(ForbiddenException.class);
    assertThat(ApiErrors.translate(target, new ApiException(new java.io.IOException("refused"))))
        .isInstanceOf(ClusterUnreachableException.class);
  }

  @Test
  void messageNamesOperationKindNameNamespaceAndTheServersWords() {
    String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
        + "\"pods \\\"pi-driver\\\" is forbidden: violates PodSecurity\",\"reason\":\"Forbidden\",\"code\":403}";
    var e = ApiErrors.translate(target, new ApiException(403, Map.of(), body));
    assertThat(e.getMessage()).isEqualTo("Operation [create] for kind [Pod] with name [pi-driver]"
        + " in namespace [jobs] failed (HTTP 403): pods \"pi-driver\" is forbidden: violates PodSecurity");
    assertThat(e.status()).hasValueSatisfying(s -> assertThat(s.getReason()).isEqualTo("Forbidden"));
    assertThat(e.code()).isEqualTo(403);
  }
}
